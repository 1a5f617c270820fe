"""Events API, public part: the list, one event with ticket availability, its sessions, and
calendar files. Mounted at /api/v1/events/.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from django.db.models import BooleanField, Exists, OuterRef, Value
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query
from ninja.pagination import paginate

from townsquare.accounts.auth import session_auth, token_auth
from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.pagination import Pagination

from ..models import ScheduleItem
from ..selectors import agenda as agenda_selectors
from ..selectors import events as selectors
from ..services import calendar_links, calendars
from ..views.calendars import calendar_response
from .public_schemas import (
    EventDetailOut,
    EventFilterIn,
    EventOut,
    SessionOut,
    TicketOut,
)
from .router import router


def anyone(request: HttpRequest) -> bool:
    """Published events are public: a signed-in caller is recognized, anyone else let through."""
    return True


PUBLIC = [token_auth, session_auth, anyone]
CALENDAR_RESPONSE = {
    "responses": {
        200: {
            "description": "An iCalendar (RFC 5545) file.",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        }
    }
}


@router.get("/", response=list[EventOut], auth=PUBLIC, summary="Upcoming (or past) events")
@paginate(Pagination)
def events_list(request: HttpRequest, filters: Query[EventFilterIn]) -> Any:
    return selectors.event_list(
        filters=selectors.EventFilters(
            query=filters.q,
            event_format=filters.format or "",
            mode=filters.mode,
            tier=filters.tier or "",
            series=filters.series,
            starts_from=filters.starts_from,
            starts_until=filters.starts_until,
            past=filters.past,
        )
    )


@router.get(
    "/feed.ics",
    auth=PUBLIC,
    summary="The public calendar feed of events",
    openapi_extra=CALENDAR_RESPONSE,
)
def events_feed(request: HttpRequest) -> HttpResponse:
    return calendar_response(
        calendars.public_feed(selectors.public_feed_events()), "townsquare-events.ics"
    )


@router.get(
    "/calendar/personal.ics",
    summary="My calendar: my registered events and scheduled sessions",
    openapi_extra=CALENDAR_RESPONSE,
)
def events_personal_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    return calendar_response(
        calendar_links.personal_calendar(user=request.user), "my-events.ics", private=True
    )


@router.get(
    "/{int:event_id}",
    response=EventDetailOut,
    auth=PUBLIC,
    summary="One event with its tickets and seats left (drafts: organizers only)",
)
def events_get(request: HttpRequest, event_id: int) -> Any:
    event = selectors.event_get_by_id(viewer=request.user, event_id=event_id)
    registration = selectors.viewer_registration(user=request.user, event=event)
    confirmed = selectors.is_confirmed_attendee(registration)
    is_over = event.ends_at <= timezone.now()
    # The schema reads these view-specific parts from the instance (never saved).
    event.api_tickets = [  # type: ignore[attr-defined]
        TicketOut.from_availability(item) for item in selectors.ticket_availability(event)
    ]
    event.api_join_url = (event.join_url or None) if confirmed else None  # type: ignore[attr-defined]
    event.api_recording_url = (event.recording_url or None) if is_over else None  # type: ignore[attr-defined]
    event.api_captions_url = (event.captions_url or None) if is_over else None  # type: ignore[attr-defined]
    event.api_registration_status = registration.status if registration else None  # type: ignore[attr-defined]
    return event


@router.get(
    "/{int:event_id}/calendar.ics",
    auth=PUBLIC,
    summary="One event as an iCalendar file",
    openapi_extra=CALENDAR_RESPONSE,
)
def events_calendar(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get_plain_by_id(viewer=request.user, event_id=event_id)
    registration = selectors.viewer_registration(user=request.user, event=event)
    confirmed = selectors.is_confirmed_attendee(registration)
    return calendar_response(
        calendars.event_calendar(event, registration=registration if confirmed else None),
        f"{event.slug}.ics",
        private=confirmed,
    )


@router.get(
    "/{int:event_id}/sessions",
    response=list[SessionOut],
    auth=PUBLIC,
    summary="The event's sessions in time order (with whether they are on my schedule)",
)
@paginate(Pagination)
def events_sessions(request: HttpRequest, event_id: int) -> Any:
    event = selectors.event_get_plain_by_id(viewer=request.user, event_id=event_id)
    sessions = agenda_selectors.agenda_sessions(event=event)
    if request.user.is_authenticated:
        return sessions.annotate(
            on_my_schedule=Exists(
                ScheduleItem.objects.filter(session=OuterRef("pk"), user=request.user)
            )
        )
    return sessions.annotate(on_my_schedule=Value(False, output_field=BooleanField()))
