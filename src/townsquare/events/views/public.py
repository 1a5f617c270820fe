"""Public event pages: the list with filters and search, one event, its agenda with the personal
schedule, its speakers, a series, and "My schedule"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound
from townsquare.core.models import MAX_OBJECT_ID

from .. import permissions
from ..forms.public import EventFilterForm
from ..models import (
    CallForProposals,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
    WaitlistMode,
)
from ..selectors import after as after_selectors
from ..selectors import agenda as agenda_selectors
from ..selectors import events as selectors
from ..services import schedule
from ..services.proposals import call_is_open
from ..services.registrations import waitlist_position

PAGE_SIZE = 20


def _positive_int(value: str | None) -> int | None:
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if 1 <= number <= MAX_OBJECT_ID else None


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    series = list(selectors.series_with_events())
    form = EventFilterForm(request.GET or None, series=series)
    filters = form.filters()
    page = Paginator(selectors.event_list(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "events/public/event_list.html",
        {
            "form": form,
            "page": page,
            "past": filters.past,
            "manage_url": reverse("events:manage_list")
            if permissions.can_create_event(request.user)
            else "",
        },
    )


def registration_state(
    *, user: Any, event: Event, registration: Registration | None, free: int
) -> dict[str, Any]:
    """What the event page offers the viewer: their registration, or why they can or cannot
    register now (the registration service checks all of it again)."""
    now = timezone.now()
    state: dict[str, Any] = {
        "registration": registration,
        "position": None,
        "register_url": reverse("events:register", kwargs={"slug": event.slug}),
        "registration_url": "",
        "can_register": False,
        "reason": "",
        "is_full": free <= 0,
        "joins_waitlist": free <= 0 and event.waitlist_mode != WaitlistMode.NONE,
    }
    if registration is not None:
        state["registration_url"] = reverse(
            "events:registration_detail", kwargs={"pk": registration.pk}
        )
        if registration.status == RegistrationStatus.WAITLISTED:
            state["position"] = waitlist_position(registration)
        if registration.is_live:
            return state
    if event.status == EventStatus.CANCELLED:
        state["reason"] = "This event has been cancelled."
    elif event.status != EventStatus.PUBLISHED:
        state["reason"] = "This event is not published yet."
    elif event.registration_opens_at and now < event.registration_opens_at:
        state["reason"] = "opens"
    elif now >= event.registration_closes:
        state["reason"] = "Registration has closed."
    elif state["is_full"] and event.waitlist_mode == WaitlistMode.NONE:
        state["reason"] = "This event is fully booked."
    elif not getattr(user, "is_authenticated", False):
        state["reason"] = "sign-in"
    elif not permissions.can_register(user, event):
        state["reason"] = f"This event is for {event.get_access_tier_display().lower()}."
    else:
        state["can_register"] = True
    return state


def _open_call(event: Event, now: Any) -> CallForProposals | None:
    try:
        call = event.call  # selected with the event
    except CallForProposals.DoesNotExist:
        return None
    return call if call_is_open(call, now) else None


def _after_event(user: Any, event: Event, registration: Registration | None) -> dict[str, Any]:
    """For someone who attended: the survey, their certificate and the CE claim."""
    if registration is None or not registration.attended:
        return {"attended": False}
    return {
        "attended": True,
        "feedback_given": after_selectors.feedback_for(user, event) is not None,
        "certificate": after_selectors.certificate_for(user, event),
    }


@require_GET
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get(viewer=request.user, slug=slug)
    registration = selectors.viewer_registration(user=request.user, event=event)
    free = selectors.seats_left(event)
    now = timezone.now()
    sessions = event.session_list  # type: ignore[attr-defined]
    can_manage = permissions.can_manage_event(request.user, event)
    return render(
        request,
        "events/public/event_detail.html",
        {
            "event": event,
            "tickets": selectors.ticket_availability(event),
            "seats_left": free,
            "speakers": event.speaker_list,  # type: ignore[attr-defined]
            "days": agenda_selectors.sessions_by_day(sessions, event),
            "session_count": len(sessions),
            "is_over": event.ends_at <= now,
            "is_confirmed": selectors.is_confirmed_attendee(registration),
            "can_manage": can_manage,
            "manage_url": reverse("events:event_edit", kwargs={"slug": event.slug})
            if can_manage
            else "",
            "call": _open_call(event, now),
            **_after_event(request.user, event, registration),
            **registration_state(
                user=request.user, event=event, registration=registration, free=free
            ),
        },
    )


@require_GET
def event_agenda(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_plain(viewer=request.user, slug=slug)
    track_id = _positive_int(request.GET.get("track"))
    room_id = _positive_int(request.GET.get("room"))
    agenda = agenda_selectors.agenda_for(
        event=event, user=request.user, track_id=track_id, room_id=room_id
    )
    return render(
        request,
        "events/public/agenda.html",
        {
            "event": event,
            "agenda": agenda,
            "track_id": track_id,
            "room_id": room_id,
            "now": timezone.now(),
            "can_schedule": event.status != EventStatus.CANCELLED,
        },
    )


@require_GET
def speaker_list(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_plain(viewer=request.user, slug=slug)
    return render(
        request,
        "events/public/speakers.html",
        {"event": event, "speakers": agenda_selectors.speakers_for(event=event)},
    )


@require_GET
def series_detail(request: HttpRequest, slug: str) -> HttpResponse:
    series = selectors.series_get(slug=slug)
    events = list(selectors.series_events(series=series))
    now = timezone.now()
    return render(
        request,
        "events/public/series_detail.html",
        {
            "series": series,
            "upcoming": [event for event in events if event.ends_at >= now],
            "past": [event for event in events if event.ends_at < now][::-1],
        },
    )


@login_required
@require_GET
def my_schedule(request: AuthenticatedHttpRequest) -> HttpResponse:
    past = request.GET.get("past") == "1"
    sessions = agenda_selectors.my_schedule(user=request.user, past=past)
    groups: dict[int, dict[str, Any]] = {}
    for session in sessions:
        group = groups.setdefault(session.event_id, {"event": session.event, "sessions": []})
        group["sessions"].append(session)
    return render(
        request,
        "events/public/my_schedule.html",
        {"groups": list(groups.values()), "past": past},
    )


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def schedule_toggle(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    session = agenda_selectors.session_get(session_id=pk) if pk <= MAX_OBJECT_ID else None
    if session is None or not permissions.can_view_event(request.user, session.event):
        raise NotFound("No such session.")
    action = request.POST.get("action", "")
    fallback = (
        reverse("events:event_agenda", kwargs={"slug": session.event.slug})
        + f"#session-{session.pk}"
    )
    try:
        if action == "add":
            schedule.schedule_add(user=request.user, session=session)
            added = True
        elif action == "remove":
            schedule.schedule_remove(user=request.user, session=session)
            added = False
        else:
            added = schedule.schedule_toggle(user=request.user, session=session)
    except DomainError as error:
        if error.status == 404:
            raise
        if request.headers.get("HX-Request"):
            return _schedule_button(request, session, message=error.message)
        messages.error(request, error.message)
        return redirect(_back(request, fallback))
    done = f"“{session.title}” is {'on' if added else 'off'} your schedule."
    if request.headers.get("HX-Request"):
        # HTMX swaps just this session's button; the status line tells screen readers.
        return _schedule_button(request, session, message=done)
    messages.success(request, done)
    return redirect(_back(request, fallback))


def _schedule_button(
    request: AuthenticatedHttpRequest, session: Session, *, message: str
) -> HttpResponse:
    return render(
        request,
        "events/public/_schedule_button.html",
        {
            "session": session,
            "scheduled_ids": agenda_selectors.scheduled_session_ids(
                user=request.user, event=session.event
            ),
            "next_url": _back(request, "").split("#", 1)[0],
            "schedule_message": message,
        },
    )
