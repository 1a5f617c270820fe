"""The organizers' check-in page at the door: a code field with autofocus that takes a scanner's
keystrokes (code + Enter) or typing; shows who it is; refuses second check-ins and unknown codes;
counts refresh by polling (``checkin.js``) and on every submit, so it works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError
from townsquare.core.forms import form_errors_from

from ..forms.registration import CheckInForm
from ..models import Event
from ..selectors import registrations as selectors
from ..services.checkin import check_in, check_in_counts, recent_check_ins


def _page(
    request: AuthenticatedHttpRequest,
    event: Event,
    form: CheckInForm,
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {
        "event": event,
        "form": form,
        "counts": check_in_counts(event),
        "recent": recent_check_ins(event),
        **extra,
    }
    return render(request, "events/registration/checkin.html", context, status=status)


@login_required
@require_GET
def checkin(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_check_in(viewer=request.user, slug=slug)
    return _page(request, event, CheckInForm())


@login_required
@require_POST
def checkin_submit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_check_in(viewer=request.user, slug=slug)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return _page(request, event, form, status=422)
    try:
        result = check_in(actor=request.user, event=event, code=form.cleaned_data["code"])
    except DomainError as error:
        if error.status == 403:
            raise
        form_errors_from(error, form)
        refused = None
        registration_id = error.extra.get("registration_id")
        if registration_id:
            refused = (
                event.registrations.select_related("attendee", "ticket_type")
                .filter(pk=registration_id)
                .first()
            )
        return _page(
            request,
            event,
            CheckInForm(),
            status=error.status,
            refusal=error.message,
            refused=refused,
        )
    return _page(request, event, CheckInForm(), admitted=result.registration)


@login_required
@require_GET
def checkin_counts(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_for_check_in(viewer=request.user, slug=slug)
    counts = check_in_counts(event)
    if request.headers.get("HX-Request"):
        return render(request, "events/registration/_checkin_counts.html", {"counts": counts})
    response = JsonResponse(counts)
    response["Cache-Control"] = "no-store"
    return response
