"""Test helpers of the public section: agenda pieces (tracks, rooms, speakers, sessions) and
calendar links, built directly from models like ``factories.make_event``."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from ..models import Event, EventSeries, Room, Session, Speaker, Track

_sequence = itertools.count(1)


def make_series(*, title: str | None = None, **fields: Any) -> EventSeries:
    number = next(_sequence)
    return EventSeries.objects.create(
        title=title or f"Series {number}", slug=f"series-{number}", **fields
    )


def make_track(event: Event, *, name: str | None = None, **fields: Any) -> Track:
    return Track.objects.create(event=event, name=name or f"Track {next(_sequence)}", **fields)


def make_room(event: Event, *, name: str | None = None, **fields: Any) -> Room:
    return Room.objects.create(event=event, name=name or f"Room {next(_sequence)}", **fields)


def make_speaker(event: Event, *, name: str | None = None, **fields: Any) -> Speaker:
    return Speaker.objects.create(event=event, name=name or f"Speaker {next(_sequence)}", **fields)


def make_session(
    event: Event,
    *,
    title: str | None = None,
    offset: datetime.timedelta = datetime.timedelta(0),
    length: datetime.timedelta = datetime.timedelta(minutes=45),
    speakers: tuple[Speaker, ...] = (),
    **fields: Any,
) -> Session:
    starts_at = event.starts_at + offset
    session = Session.objects.create(
        event=event,
        title=title or f"Session {next(_sequence)}",
        starts_at=starts_at,
        ends_at=starts_at + length,
        **fields,
    )
    session.speakers.set(speakers)
    return session


def make_agenda(event: Event, count: int) -> list[Session]:
    """``count`` sessions, each with a track, a room and two speakers, spread over the event."""
    track = make_track(event)
    room = make_room(event)
    speakers = (make_speaker(event), make_speaker(event))
    step = (event.ends_at - event.starts_at) / max(count, 1)
    return [
        make_session(
            event,
            offset=step * index,
            length=max(step, datetime.timedelta(minutes=1)),
            track=track,
            room=room,
            speakers=speakers,
        )
        for index in range(count)
    ]


def make_cancelled_event(**fields: Any) -> Event:
    from .factories import make_event

    event = make_event(**fields)
    Event.objects.filter(pk=event.pk).update(status="cancelled")
    event.refresh_from_db()
    return event
