"""Reads of an event's agenda: sessions by day (in the event's time zone), the speakers, and a
person's own schedule. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import Event, EventStatus, Room, ScheduleItem, Session, Speaker, Track


@dataclass
class AgendaDay:
    day: datetime.date
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Agenda:
    days: list[AgendaDay]
    tracks: list[Track]
    rooms: list[Room]
    scheduled_ids: set[int]

    @property
    def session_count(self) -> int:
        return sum(len(day.sessions) for day in self.days)


def _speakers() -> QuerySet[Speaker]:
    return Speaker.objects.order_by("name", "pk")


def agenda_sessions(*, event: Event) -> QuerySet[Session]:
    return (
        Session.objects.filter(event=event)
        .select_related("track", "room")
        .prefetch_related(Prefetch("speakers", queryset=_speakers()))
        .order_by("starts_at", "room__position", "room_id", "pk")
    )


def sessions_by_day(sessions: list[Session], event: Event) -> list[AgendaDay]:
    """Sessions grouped by their day in the event's own time zone, in time order."""
    days: dict[datetime.date, AgendaDay] = {}
    for session in sessions:
        day = session.starts_at.astimezone(event.zone).date()
        days.setdefault(day, AgendaDay(day)).sessions.append(session)
    return list(days.values())


def scheduled_session_ids(*, user: Any, event: Event | None = None) -> set[int]:
    """Ids of the sessions ``user`` put on their schedule (of one event, or all)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    items = ScheduleItem.objects.filter(user=user)
    if event is not None:
        items = items.filter(session__event=event)
    return set(items.values_list("session_id", flat=True))


def agenda_for(
    *, event: Event, user: Any, track_id: int | None = None, room_id: int | None = None
) -> Agenda:
    """The event's agenda (optionally one track's or one room's) and which sessions the viewer
    has on their schedule."""
    sessions = agenda_sessions(event=event)
    if track_id is not None:
        sessions = sessions.filter(track_id=track_id)
    if room_id is not None:
        sessions = sessions.filter(room_id=room_id)
    return Agenda(
        days=sessions_by_day(list(sessions), event),
        tracks=list(Track.objects.filter(event=event).order_by("position", "pk")),
        rooms=list(Room.objects.filter(event=event).order_by("position", "pk")),
        scheduled_ids=scheduled_session_ids(user=user, event=event),
    )


def speakers_for(*, event: Event) -> list[Speaker]:
    """The event's speakers with the sessions each gives, by name."""
    return list(
        Speaker.objects.filter(event=event)
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("room").order_by("starts_at", "pk"),
            )
        )
        .order_by("name", "pk")
    )


def session_get(*, session_id: int) -> Session | None:
    return Session.objects.select_related("event").filter(pk=session_id).first()


def my_schedule(*, user: Any, past: bool = False) -> list[Session]:
    """Sessions on the person's schedule of events that are not drafts: those not yet over
    (or, with ``past``, those that are), in time order."""
    now = timezone.now()
    sessions = Session.objects.filter(schedule_items__user=user).exclude(
        event__status=EventStatus.DRAFT
    )
    sessions = sessions.filter(ends_at__lt=now) if past else sessions.filter(ends_at__gte=now)
    return list(
        sessions.select_related("event", "track", "room")
        .prefetch_related(Prefetch("speakers", queryset=_speakers()))
        .order_by("-starts_at" if past else "starts_at", "pk")
    )
