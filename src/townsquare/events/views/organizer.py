"""Organizer pages: the events I manage, creating and editing events, publishing and cancelling,
series, the registration list and its CSV, the waiting list, orders and messages. Tickets, codes
and questions are in ``organizer_tickets``, the agenda in ``organizer_agenda``. Each view checks
the gate (through the selector), validates a form, calls one service and redirects or renders."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound, PermissionRefused, ValidationFailed

from .. import permissions
from ..forms.organizer import (
    CancelForm,
    EventForm,
    MessageForm,
    RegistrationFilterForm,
    SeriesForm,
)
from ..models import (
    Event,
    EventSeries,
    EventStatus,
    Registration,
    RegistrationStatus,
    TicketType,
)
from ..selectors import organizer as selectors
from ..services import events as services
from ..services import messages as message_services
from ..services import registrations as registration_services
from ..services import ticketing
from .organizer_support import (
    managed_event,
    redirect_to,
    render_item_form,
    save_or_errors,
)

REGISTRATIONS_PER_PAGE = 100
MANAGED_PER_PAGE = 50


# Events ------------------------------------------------------------------------------------------


@login_required
def manage_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if (
        not permissions.can_create_event(request.user)
        and not request.user.events_organized.exists()
    ):
        raise PermissionRefused("Event management is for organizers, instructors and center staff.")
    paginator = Paginator(selectors.events_managed(viewer=request.user), MANAGED_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "events/organizer/manage_list.html",
        {"page": page, "can_create": permissions.can_create_event(request.user)},
    )


@login_required
def event_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_event(request.user):
        raise PermissionRefused("Center staff and instructors create events.")
    form = EventForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        created: list[Event] = []
        if save_or_errors(
            form,
            lambda: created.append(
                services.event_create(actor=request.user, fields=form.fields_for_service())
            ),
        ):
            messages.success(
                request, f"Created the draft “{created[0].title}”. Add tickets, then publish."
            )
            return redirect_to("event_edit", created[0])
        status = 422
    return render(
        request, "events/organizer/event_form.html", {"form": form, "event": None}, status=status
    )


@login_required
def event_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request, slug)
    form = EventForm(
        request.POST or None,
        request.FILES or None,
        event=event,
        initial=EventForm.initial_for(event),
    )
    status = 200
    if request.method == "POST":
        if event.status == EventStatus.CANCELLED:
            form.is_valid()
            form.add_error(None, "This event is cancelled; it can no longer be changed.")
        elif save_or_errors(
            form,
            lambda: services.event_update(
                actor=request.user, event=event, fields=form.fields_for_service()
            ),
        ):
            messages.success(request, "Saved the event.")
            return redirect_to("event_edit", event)
        status = 422
    problems = (
        services.event_publish_problems(event=event) if event.status == EventStatus.DRAFT else []
    )
    return render(
        request,
        "events/organizer/event_form.html",
        {
            "form": form,
            "event": event,
            "problems": problems,
            "cancel_form": CancelForm(),
            "seats_taken": registration_services.seats_taken(event),
        },
        status=status,
    )


@login_required
@require_POST
def event_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request, slug)
    try:
        services.event_publish(actor=request.user, event=event)
    except ValidationFailed as error:
        for problem in error.field_errors.get("publish", [error.message]):
            messages.error(request, problem)
        return redirect_to("event_edit", event)
    messages.success(request, f"“{event.title}” is published and open as its window says.")
    return redirect_to("event_edit", event)


@login_required
@require_POST
def event_cancel(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request, slug)
    form = CancelForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed("Keep the message under 2000 characters.")
    told = services.event_cancel(
        actor=request.user, event=event, reason=form.cleaned_data["reason"]
    )
    messages.success(request, f"The event is cancelled; {told} registered people were emailed.")
    return redirect_to("event_edit", event)


# Series ------------------------------------------------------------------------------------------


def _check_series(request: AuthenticatedHttpRequest) -> None:
    if not permissions.can_create_event(request.user):
        raise PermissionRefused("Center staff and instructors manage series.")


@login_required
def series_manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_series(request)
    form = SeriesForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if save_or_errors(
            form,
            lambda: services.series_save(actor=request.user, series=None, **form.cleaned_data),
        ):
            messages.success(request, f"Created the series “{form.cleaned_data['title']}”.")
            return redirect("events:series_manage")
        status = 422
    return render(
        request,
        "events/organizer/series_manage.html",
        {"form": form, "series_list": selectors.series_all()},
        status=status,
    )


@login_required
def series_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_series(request)
    series = EventSeries.objects.filter(pk=pk).first()
    if series is None:
        raise NotFound("No such series.")
    form = SeriesForm(request.POST or None, initial=SeriesForm.initial_for(series))
    status = 200
    if request.method == "POST":
        if save_or_errors(
            form,
            lambda: services.series_save(actor=request.user, series=series, **form.cleaned_data),
        ):
            messages.success(request, "Saved the series.")
            return redirect("events:series_manage")
        status = 422
    return render_item_form(
        request,
        form,
        title=f"Edit the series “{series.title}”",
        event=None,
        back="events:series_manage",
        submit="Save series",
        status=status,
    )


# Registrations ---------------------------------------------------------------------------------


def _filters(request: AuthenticatedHttpRequest, event: Event) -> tuple[Any, Any]:
    ticket_types = list(TicketType.objects.filter(event=event).order_by("position", "pk"))
    form = RegistrationFilterForm(request.GET or None, ticket_types=ticket_types)
    data: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
    checked_in = {"yes": True, "no": False}.get(data.get("checked_in") or "")
    filters = selectors.RegistrationFilters(
        status=data.get("status") or "",
        ticket_type_id=data.get("ticket_type"),
        checked_in=checked_in,
        q=data.get("q") or "",
    )
    return form, filters


@login_required
def registrations_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request, slug)
    form, filters = _filters(request, event)
    paginator = Paginator(
        selectors.registration_list(event=event, filters=filters), REGISTRATIONS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "events/organizer/registrations_manage.html",
        {
            "event": event,
            "form": form,
            "page": page,
            "counts": selectors.registration_counts(event=event),
            "export_query": request.GET.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def registrations_export(request: AuthenticatedHttpRequest, slug: str) -> StreamingHttpResponse:
    event = managed_event(request, slug)
    _form, filters = _filters(request, event)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read the file as UTF-8
        for row in selectors.registration_export_rows(event=event, filters=filters):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def waitlist_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request, slug)
    return render(
        request,
        "events/organizer/waitlist_manage.html",
        {"event": event, "entries": selectors.waitlist(event=event)},
    )


@login_required
@require_POST
def waitlist_cancel(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    """An organizer takes someone off the waiting list (or withdraws an offer)."""
    event = managed_event(request, slug)
    registration = Registration.objects.filter(
        event=event,
        pk=pk,
        status__in=[RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED],
    ).first()
    if registration is None:
        raise NotFound("No such entry on this event's waiting list.")
    registration_services.registration_cancel(
        actor=request.user, registration=registration, reason="Removed by the organizers."
    )
    messages.success(request, "Removed them from the waiting list; they were emailed.")
    return redirect_to("waitlist_manage", event)


@login_required
@require_POST
def order_mark_paid(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    event = managed_event(request, slug)
    order = selectors.order_for_managing(viewer=request.user, event=event, pk=pk)
    ticketing.order_mark_paid(actor=request.user, order=order)
    messages.success(request, f"Order {order.reference} is marked paid.")
    return redirect_to("registrations_manage", event)


# Messages --------------------------------------------------------------------------------------


@login_required
def messages_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request, slug)
    form = MessageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        sent: list[Any] = []
        if save_or_errors(
            form,
            lambda: sent.append(
                message_services.message_send(actor=request.user, event=event, **form.cleaned_data)
            ),
        ):
            messages.success(request, f"Sent to {sent[0].recipient_count} people.")
            return redirect_to("messages_manage", event)
        status = 422
    return render(
        request,
        "events/organizer/messages_manage.html",
        {
            "event": event,
            "form": form,
            "history": selectors.message_history(event=event),
            "audience_counts": message_services.audience_counts(event=event),
        },
        status=status,
    )
