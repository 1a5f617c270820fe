"""Organizer pages after the event: attendance (by hand and imported) and certificates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound
from townsquare.core.forms import form_errors_from

from ..forms.after import AttendanceFilterForm, AttendanceImportForm, AttendanceMarkForm
from ..models import Event
from ..selectors import after as selectors
from ..selectors import organizer as organizer_selectors
from ..services import attendance as services


def managed_event(user: Any, slug: str) -> Event:
    """The event by slug, for its managers only (drafts stay hidden from everyone else)."""
    return organizer_selectors.event_for_managing(viewer=user, slug=slug)


def _page(
    request: AuthenticatedHttpRequest,
    event: Event,
    *,
    import_form: AttendanceImportForm | None = None,
    row_errors: list[services.RowError] | None = None,
    summary: services.ImportSummary | None = None,
    status: int = 200,
) -> HttpResponse:
    filters = AttendanceFilterForm(request.GET or None)
    search, attended = "", ""
    if filters.is_valid():
        search = filters.cleaned_data["q"]
        attended = filters.cleaned_data["attended"]
    return render(
        request,
        "events/after/attendance.html",
        {
            "event": event,
            "registrations": selectors.attendance_list(event, search=search, attended=attended),
            "counts": selectors.attendance_counts(event),
            "filters": filters,
            "import_form": import_form or AttendanceImportForm(),
            "row_errors": row_errors or [],
            "summary": summary,
            "credit_activity": event.credit_activity,
        },
        status=status,
    )


@login_required
@require_GET
def attendance_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _page(request, managed_event(request.user, slug))


@login_required
@require_POST
def attendance_mark(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request.user, slug)
    form = AttendanceMarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a registration and whether they attended.")
        return redirect("events:attendance_manage", slug=event.slug)
    registration = event.registrations.filter(pk=form.cleaned_data["registration"]).first()
    if registration is None:
        raise NotFound("No such registration at this event.")
    try:
        registration = services.attendance_mark(
            actor=request.user,
            event=event,
            registration=registration,
            attended=form.cleaned_data["attended"],
        )
    except DomainError as error:
        if error.status == 403:
            raise
        messages.error(request, error.message)
    else:
        state = "attended" if registration.attended else "not attended"
        messages.success(request, f"{registration.attendee.display_name} is marked {state}.")
    return redirect("events:attendance_manage", slug=event.slug)


@login_required
@require_POST
def attendance_import(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request.user, slug)
    form = AttendanceImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, event, import_form=form, status=422)
    try:
        summary = services.attendance_import(
            actor=request.user,
            event=event,
            content=form.cleaned_data["report"],
            minimum_minutes=form.cleaned_data["minimum_minutes"],
        )
    except services.ReportInvalid as error:
        form.add_error("report", error.message)
        return _page(request, event, import_form=form, row_errors=error.row_errors, status=422)
    except DomainError as error:
        if error.status == 403:
            raise
        form_errors_from(error, form, {"report": "report"})
        return _page(request, event, import_form=form, status=error.status)
    messages.success(
        request,
        f"Imported: {summary.matched} matched, {summary.newly_attended} newly marked attended.",
    )
    return _page(request, event, summary=summary)


@login_required
@require_POST
def certificates_issue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request.user, slug)
    try:
        summary = services.certificates_issue(actor=request.user, event=event)
    except DomainError as error:
        if error.status == 403:
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Certificates issued: {summary.issued} new; {summary.already_held} already held one.",
        )
    return redirect("events:attendance_manage", slug=event.slug)
