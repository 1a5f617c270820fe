"""Reminder emails to confirmed attendees: one a day before the event, one an hour before.

``reminders_send`` runs every few minutes (Celery beat's ``events.send_reminders`` or the
``events_tick`` command). Each reminder is claimed with a conditional update
(``UPDATE … SET reminder_day_sent_at = now WHERE id = … AND reminder_day_sent_at IS NULL``), so
overlapping runs, retries and several workers send it at most once: only the run whose update
changed the row queues the email, in the same transaction (the email goes after commit).

A person who registers less than an hour before the start gets only the hour reminder; one who
registers less than a day before gets the day reminder at the next run.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from townsquare.core.email import email_queue

from ..models import EventStatus, Registration, RegistrationStatus
from .calendars import event_url, event_when

DAY = datetime.timedelta(hours=24)
HOUR = datetime.timedelta(hours=1)
BATCH_SIZE = 500


@dataclass(frozen=True)
class ReminderCounts:
    day: int
    hour: int


def _due(
    *, field: str, now: datetime.datetime, earliest: datetime.timedelta, latest: datetime.timedelta
) -> list[int]:
    """Ids of confirmed registrations whose event starts in (earliest, latest] and whose
    ``field`` is still empty."""
    return list(
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=now + earliest,
            event__starts_at__lte=now + latest,
            **{f"{field}__isnull": True},
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )


def _claim(registration_id: int, *, field: str, now: datetime.datetime) -> bool:
    claimed = Registration.objects.filter(
        pk=registration_id, status=RegistrationStatus.CONFIRMED, **{f"{field}__isnull": True}
    ).update(**{field: now})
    return claimed == 1


def reminder_email(registration: Registration, *, lead: str) -> None:
    """Queue the reminder ("tomorrow" / "in an hour") for one confirmed registration."""
    event = registration.event
    site = settings.SITE_URL.rstrip("/")
    lines = [
        f"Hello {registration.attendee.display_name},",
        "",
        f"{event.title} starts {lead}.",
        f"When: {event_when(event)}",
    ]
    if event.venue_name or event.venue_address:
        where = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
        lines.append(f"Where: {where}")
    if event.join_url:
        lines.append(f"Join online: {event.join_url}")
    if event.join_details:
        lines += ["", event.join_details]
    if event.accessibility_notes:
        lines += ["", f"Accessibility: {event.accessibility_notes}"]
    lines += [
        "",
        f"Event page: {event_url(event)}",
        f"Agenda: {site}{reverse('events:event_agenda', kwargs={'slug': event.slug})}",
    ]
    email_queue(
        to=[registration.attendee.email],
        subject=f"Reminder: {event.title} starts {lead}",
        body="\n".join(lines),
    )


def _send(field: str, ids: list[int], *, now: datetime.datetime, lead: str) -> int:
    sent = 0
    for registration_id in ids:
        with transaction.atomic():
            if not _claim(registration_id, field=field, now=now):
                continue
            registration = Registration.objects.select_related("event", "attendee").get(
                pk=registration_id
            )
            reminder_email(registration, lead=lead)
            sent += 1
    return sent


def reminders_send(*, now: datetime.datetime | None = None) -> ReminderCounts:
    """Send the reminders that are due; returns how many of each went out."""
    now = now or timezone.now()
    day_ids = _due(field="reminder_day_sent_at", now=now, earliest=HOUR, latest=DAY)
    hour_ids = _due(
        field="reminder_hour_sent_at", now=now, earliest=datetime.timedelta(0), latest=HOUR
    )
    return ReminderCounts(
        day=_send("reminder_day_sent_at", day_ids, now=now, lead="tomorrow"),
        hour=_send("reminder_hour_sent_at", hour_ids, now=now, lead="in about an hour"),
    )
