"""The post-event survey for attendees, its results for organizers, and the CE credit claim."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from townsquare.academy.forms.credit import ClaimForm
from townsquare.academy.selectors import credit as credit_selectors
from townsquare.academy.services import credit as credit_services
from townsquare.academy.views.credit import stream_csv
from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from

from ..forms.after import FeedbackForm
from ..models import Event
from ..permissions import can_give_feedback, can_view_event
from ..selectors import after as selectors
from ..services import feedback as services
from .attendance import managed_event


def _visible_event(user: Any, slug: str) -> Event:
    event = selectors.event_by_slug(slug)
    if not can_view_event(user, event):
        raise NotFound("No such event.")
    return event


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request.user, slug)
    registration = services.attended_registration(request.user, event)
    if registration is None or not can_give_feedback(request.user, registration):
        raise PermissionRefused(
            "The evaluation is for people who attended the event; your attendance is not recorded."
        )
    existing = selectors.feedback_for(request.user, event)
    form = FeedbackForm(request.POST or None, event=event)
    status = 200
    if request.method == "POST":
        if existing is not None:
            status = 409
            messages.error(request, "You have already evaluated this event.")
        elif form.is_valid():
            try:
                services.feedback_submit(user=request.user, event=event, answers=form.cleaned_data)
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form)
                status = error.status
            else:
                messages.success(request, "Thank you: your evaluation is recorded.")
                if event.credit_activity is not None:
                    return redirect("events:credit_claim", slug=event.slug)
                return redirect("events:feedback", slug=event.slug)
        else:
            status = 422
    answered = []
    if existing is not None:
        answered = [
            (question.text, existing.answers.get(question.key, ""))
            for question in services.feedback_questions(event)
        ]
    return render(
        request,
        "events/after/feedback.html",
        {
            "event": event,
            "form": form,
            "existing": existing,
            "answered": answered,
            "certificate": selectors.certificate_for(request.user, event),
        },
        status=status,
    )


@login_required
@require_GET
def feedback_results(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request.user, slug)
    summary = services.feedback_summary(actor=request.user, event=event)
    return render(
        request, "events/after/feedback_results.html", {"event": event, "summary": summary}
    )


@login_required
@require_GET
def feedback_results_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    event = managed_event(request.user, slug)
    rows = services.feedback_csv_rows(actor=request.user, event=event)
    return stream_csv(rows, f"{event.slug}-evaluation.csv")


@login_required
@require_http_methods(["GET", "POST"])
def credit_claim(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = _visible_event(request.user, slug)
    activity = event.credit_activity
    if activity is None:
        raise NotFound("This event does not offer continuing-education credit.")
    registration = services.attended_registration(request.user, event)
    claim = credit_selectors.claim_for(user=request.user, activity=activity)
    missing: list[tuple[str, str | None]] = []
    if registration is None:
        missing = [("Attend the event: your attendance has not been recorded.", None)]
    elif selectors.feedback_for(request.user, event) is None:
        missing = [
            ("Submit the evaluation of this event.", reverse("events:feedback", args=[event.slug]))
        ]
    initial = credit_selectors.last_identifiers(user=request.user, credit_type=activity.credit_type)
    initial.setdefault(
        "hours", min(event.certificate_hours or activity.max_hours, activity.max_hours)
    )
    form = ClaimForm(request.POST or None, activity=activity, initial=initial)
    status = 200
    if request.method == "POST":
        if claim is not None:
            status = 409
            messages.error(request, "You have already claimed credit for this event.")
        elif form.is_valid():
            try:
                claim = credit_services.credit_claim(
                    user=request.user, activity=activity, **form.cleaned_data
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form)
                status = error.status
            else:
                messages.success(request, f"You have claimed {claim.hours} hours of credit.")
                return redirect("events:credit_claim", slug=event.slug)
        else:
            status = 422
    return render(
        request,
        "events/after/credit_claim.html",
        {
            "event": event,
            "activity": activity,
            "form": form,
            "claim": claim,
            "missing": missing,
            "certificate": selectors.certificate_for(request.user, event),
        },
        status=status,
    )
