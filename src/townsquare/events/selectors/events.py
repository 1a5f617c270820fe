"""Reads of the public event pages: the filterable list of events, one event with everything its
page shows, a series, and the viewer's own registration. Each runs a fixed number of queries,
however many events, tickets, speakers or sessions there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from townsquare.core.errors import NotFound
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.search import search_ids

from .. import permissions
from ..models import (
    ONLINE_FORMATS,
    SEAT_STATUSES,
    Event,
    EventSeries,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
    Speaker,
    TicketType,
)
from ..services.events import SEARCH_KIND


class Mode:
    ONLINE = "online"
    IN_PERSON = "in_person"
    CHOICES = ((ONLINE, "Online"), (IN_PERSON, "In person"))


@dataclass(frozen=True)
class EventFilters:
    query: str = ""
    event_format: str = ""
    mode: str = ""  # Mode.ONLINE, Mode.IN_PERSON or "" for both
    tier: str = ""
    series: str = ""  # a series slug
    starts_from: datetime.date | None = None
    starts_until: datetime.date | None = None
    past: bool = False  # past events (newest first) instead of upcoming ones


def _seats_taken_subquery() -> Any:
    taken = (
        Registration.objects.filter(event=OuterRef("pk"), status__in=SEAT_STATUSES)
        .order_by()
        .values("event")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), Value(0))


def with_seats_taken(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate ``seats_taken_count`` (confirmed and offered registrations) in the same query."""
    return events.annotate(seats_taken_count=_seats_taken_subquery())


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


def _online_condition() -> Q:
    return ~Q(online_provider="") | Q(format__in=list(ONLINE_FORMATS))


def _in_person_condition() -> Q:
    return ~Q(format__in=list(ONLINE_FORMATS)) & (~Q(venue_name="") | Q(online_provider=""))


def event_list(*, filters: EventFilters, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """Published (and cancelled, so people learn of it) events: upcoming ones soonest first (an
    event under way counts as upcoming), or past ones newest first; with a query, best match
    first. Dates are days in the site's time zone."""
    now = now or timezone.now()
    events = Event.objects.filter(status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED])
    events = events.filter(ends_at__lt=now) if filters.past else events.filter(ends_at__gte=now)
    if filters.event_format:
        events = events.filter(format=filters.event_format)
    if filters.mode == Mode.ONLINE:
        events = events.filter(_online_condition())
    elif filters.mode == Mode.IN_PERSON:
        events = events.filter(_in_person_condition())
    if filters.tier:
        events = events.filter(access_tier=filters.tier)
    if filters.series:
        events = events.filter(series__slug=filters.series)
    if filters.starts_from:
        events = events.filter(starts_at__gte=_day_start(filters.starts_from))
    if filters.starts_until:
        next_day = filters.starts_until + datetime.timedelta(days=1)
        events = events.filter(starts_at__lt=_day_start(next_day))
    events = with_seats_taken(events.select_related("series", "host_organization"))
    if filters.query.strip():
        ids = search_ids(
            SEARCH_KIND, filters.query, within=Event.objects.filter(status=EventStatus.PUBLISHED)
        )
        if not ids:
            return events.none()
        rank = Case(
            *[When(pk=pk, then=position) for position, pk in enumerate(ids)],
            output_field=IntegerField(),
        )
        return events.filter(pk__in=ids).annotate(rank=rank).order_by("rank", "starts_at", "pk")
    if filters.past:
        return events.order_by("-starts_at", "-pk")
    return events.order_by("starts_at", "pk")


def series_with_events() -> QuerySet[EventSeries]:
    """Series that have at least one published event (for the list's series filter)."""
    return (
        EventSeries.objects.filter(events__status=EventStatus.PUBLISHED)
        .distinct()
        .order_by("title")
    )


def _ticket_types() -> QuerySet[TicketType]:
    return (
        TicketType.objects.filter(is_active=True)
        .annotate(
            seats_taken_count=Count(
                "registrations", filter=Q(registrations__status__in=SEAT_STATUSES)
            )
        )
        .order_by("position", "pk")
    )


def _speakers() -> QuerySet[Speaker]:
    return Speaker.objects.order_by("name", "pk")


def _sessions() -> QuerySet[Session]:
    return (
        Session.objects.select_related("track", "room")
        .prefetch_related(Prefetch("speakers", queryset=_speakers()))
        .order_by("starts_at", "room__position", "pk")
    )


def _event_for_page() -> QuerySet[Event]:
    return with_seats_taken(
        Event.objects.select_related("series", "host_organization", "credit_activity", "call")
    ).prefetch_related(
        Prefetch("ticket_types", queryset=_ticket_types(), to_attr="active_ticket_types"),
        Prefetch("speakers", queryset=_speakers(), to_attr="speaker_list"),
        Prefetch("sessions", queryset=_sessions(), to_attr="session_list"),
    )


def _visible(event: Event | None, viewer: Any) -> Event:
    if event is None or not permissions.can_view_event(viewer, event):
        raise NotFound("No such event.")
    return event


def event_get(*, viewer: Any, slug: str) -> Event:
    """One event with its active tickets (each with ``seats_taken_count``), speakers
    (``speaker_list``) and sessions (``session_list``); drafts only for their managers."""
    return _visible(_event_for_page().filter(slug=slug).first(), viewer)


def event_get_by_id(*, viewer: Any, event_id: int) -> Event:
    if not 1 <= event_id <= MAX_OBJECT_ID:
        raise NotFound("No such event.")
    return _visible(_event_for_page().filter(pk=event_id).first(), viewer)


def event_get_plain(*, viewer: Any, slug: str) -> Event:
    """The event row alone (for pages that load their own parts), visible to ``viewer``."""
    return _visible(Event.objects.filter(slug=slug).first(), viewer)


def event_get_plain_by_id(*, viewer: Any, event_id: int) -> Event:
    if not 1 <= event_id <= MAX_OBJECT_ID:
        raise NotFound("No such event.")
    return _visible(Event.objects.filter(pk=event_id).first(), viewer)


@dataclass(frozen=True)
class TicketAvailability:
    ticket_type: TicketType
    seats_left: int

    @property
    def is_on_sale(self) -> bool:
        now = timezone.now()
        ticket = self.ticket_type
        return not (
            (ticket.sales_start and now < ticket.sales_start)
            or (ticket.sales_end and now >= ticket.sales_end)
        )


def seats_left(event: Event) -> int:
    """Free seats of an event loaded through these selectors (``seats_taken_count``)."""
    return max(event.capacity - int(getattr(event, "seats_taken_count", 0)), 0)


def ticket_availability(event: Event) -> list[TicketAvailability]:
    """Each active ticket type of an event from ``event_get`` with the seats still free for it:
    the event's free seats, or fewer when the ticket type's own quota is nearer."""
    free = seats_left(event)
    result = []
    for ticket in getattr(event, "active_ticket_types", []):
        left = free
        if ticket.capacity is not None:
            left = min(left, max(ticket.capacity - ticket.seats_taken_count, 0))
        result.append(TicketAvailability(ticket, left))
    return result


def viewer_registration(*, user: Any, event: Event) -> Registration | None:
    """The viewer's live registration (confirmed, offered, waiting), else their latest one."""
    if not getattr(user, "is_authenticated", False):
        return None
    registrations = Registration.objects.filter(event=event, attendee=user).select_related(
        "ticket_type"
    )
    live = [RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED]
    return (
        registrations.annotate(
            live_first=Case(When(status__in=live, then=1), default=0, output_field=IntegerField())
        )
        .order_by("-live_first", "-created_at", "-pk")
        .first()
    )


def is_confirmed_attendee(registration: Registration | None) -> bool:
    return registration is not None and registration.status == RegistrationStatus.CONFIRMED


def series_get(*, slug: str) -> EventSeries:
    series = EventSeries.objects.filter(slug=slug).first()
    if series is None:
        raise NotFound("No such series.")
    return series


def series_events(*, series: EventSeries) -> QuerySet[Event]:
    """The series' published and cancelled events, in date order, with ``seats_taken_count``."""
    events = Event.objects.filter(
        series=series, status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED]
    ).select_related("host_organization")
    return with_seats_taken(events).order_by("starts_at", "pk")


def public_feed_events(*, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """The public calendar feed: published and cancelled events that have not ended yet, and
    those of the last 30 days (so calendars keep recent entries)."""
    since = (now or timezone.now()) - datetime.timedelta(days=30)
    return Event.objects.filter(
        status__in=[EventStatus.PUBLISHED, EventStatus.CANCELLED], ends_at__gte=since
    ).order_by("starts_at", "pk")
