"""iCalendar (RFC 5545) files built with the ``icalendar`` library: one event, the public feed,
and a person's feed of their registered events and scheduled sessions, each with reminders."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from icalendar import Alarm, Calendar
from icalendar import Event as CalendarEvent

from ..models import Event, Registration, Session

PRODUCT_ID = "-//Townsquare//Events//EN"
# Calendar apps show these before each event: a day ahead and an hour ahead.
REMINDER_OFFSETS = (datetime.timedelta(hours=24), datetime.timedelta(hours=1))


def event_when(event: Event) -> str:
    """When the event runs, in its own time zone, for emails and PDFs."""
    start, end = event.local_starts_at, event.local_ends_at
    if start.date() == end.date():
        return f"{start:%A %d %B %Y, %H:%M}–{end:%H:%M} ({event.time_zone})"
    return f"{start:%A %d %B %Y %H:%M} to {end:%A %d %B %Y %H:%M} ({event.time_zone})"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def event_url(event: Event) -> str:
    return _absolute(reverse("events:event_detail", kwargs={"slug": event.slug}))


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _alarms(component: CalendarEvent, title: str) -> None:
    for offset in REMINDER_OFFSETS:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Reminder: {title}")
        alarm.add("trigger", -offset)
        component.add_component(alarm)


def _location(event: Event) -> str:
    if event.venue_name or event.venue_address:
        return ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    return "Online" if event.is_online else ""


def _event_component(
    event: Event, *, registration: Registration | None = None, reminders: bool
) -> CalendarEvent:
    component = CalendarEvent()
    component.add("uid", f"event-{event.pk}@{_uid_host()}")
    component.add("dtstamp", event.updated_at)
    component.add("dtstart", event.starts_at)
    component.add("dtend", event.ends_at)
    component.add("summary", event.title)
    description = [event.summary, "", event_url(event)]
    # The join link goes only into a confirmed attendee's own calendar, never the public feed.
    if registration is not None and registration.status == "confirmed" and event.join_url:
        description += ["", f"Join: {event.join_url}"]
    component.add("description", "\n".join(description))
    component.add("url", event_url(event))
    location = _location(event)
    if location:
        component.add("location", location)
    component.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
    if reminders:
        _alarms(component, event.title)
    return component


def _session_component(session: Session, *, reminders: bool) -> CalendarEvent:
    event = session.event
    component = CalendarEvent()
    component.add("uid", f"session-{session.pk}@{_uid_host()}")
    component.add("dtstamp", session.updated_at)
    component.add("dtstart", session.starts_at)
    component.add("dtend", session.ends_at)
    component.add("summary", f"{session.title} ({event.title})")
    component.add("description", event_url(event))
    if session.room is not None:
        component.add("location", f"{session.room.name}, {_location(event)}".strip(", "))
    if reminders:
        _alarms(component, session.title)
    return component


def _uid_host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "townsquare"


def event_calendar(event: Event, *, registration: Registration | None = None) -> bytes:
    """The ``.ics`` file for one event (with the join link when ``registration`` is confirmed)."""
    calendar = _calendar(event.title)
    calendar.add_component(_event_component(event, registration=registration, reminders=True))
    return calendar.to_ical()


def public_feed(events: Iterable[Event]) -> bytes:
    """The public feed of upcoming published events (no reminders: people choose their own)."""
    calendar = _calendar("Townsquare events")
    for event in events:
        calendar.add_component(_event_component(event, reminders=False))
    return calendar.to_ical()


def personal_feed(
    registrations: Iterable[Registration], sessions: Iterable[Session], *, name: str
) -> bytes:
    """A person's subscription feed: their registered events and the sessions they chose."""
    calendar = _calendar(name)
    for registration in registrations:
        calendar.add_component(
            _event_component(registration.event, registration=registration, reminders=True)
        )
    for session in sessions:
        calendar.add_component(_session_component(session, reminders=True))
    return calendar.to_ical()
