"""Reminder emails: a day and an hour before, to confirmed attendees only, each at most once
(claimed with a conditional update), from the Celery task and the ``events_tick`` command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ..models import Registration, RegistrationStatus
from ..services import reminders
from ..tasks import expire_offers, send_reminders
from .factories import make_attendee, make_event, register
from .support_public import make_cancelled_event

pytestmark = pytest.mark.django_db


def send(capture, now=None):
    with capture(execute=True):
        return reminders.reminders_send(now=now)


def test_day_reminder_once(django_capture_on_commit_callbacks):
    event = make_event(
        title="Privacy webinar",
        starts_in=datetime.timedelta(hours=20),
        join_url="https://zoom.example/j/1",
        venue_name="Room 4",
    )
    attendee = make_attendee()
    registration = register(attendee, event)
    mail.outbox.clear()
    counts = send(django_capture_on_commit_callbacks)
    assert (counts.day, counts.hour) == (1, 0)
    assert [message.subject for message in mail.outbox] == [
        "Reminder: Privacy webinar starts tomorrow"
    ]
    body = mail.outbox[0].body
    assert "https://zoom.example/j/1" in body
    assert "Where: Room 4" in body
    assert f"/events/{event.slug}/agenda/" in body
    assert mail.outbox[0].to == [attendee.email]
    registration.refresh_from_db()
    assert registration.reminder_day_sent_at is not None
    again = send(django_capture_on_commit_callbacks)
    assert (again.day, again.hour) == (0, 0)
    assert len(mail.outbox) == 1


def test_hour_reminder_and_no_day_reminder_inside_the_hour(django_capture_on_commit_callbacks):
    event = make_event(title="Soon", starts_in=datetime.timedelta(minutes=40))
    register(make_attendee(), event)
    mail.outbox.clear()
    counts = send(django_capture_on_commit_callbacks)
    assert (counts.day, counts.hour) == (0, 1)
    assert mail.outbox[0].subject == "Reminder: Soon starts in about an hour"
    assert send(django_capture_on_commit_callbacks).hour == 0


def test_both_reminders_over_time(django_capture_on_commit_callbacks):
    event = make_event(starts_in=datetime.timedelta(hours=30))
    register(make_attendee(), event)
    mail.outbox.clear()
    now = timezone.now()
    assert send(django_capture_on_commit_callbacks, now).day == 0  # too early
    day = send(django_capture_on_commit_callbacks, now + datetime.timedelta(hours=7))
    hour = send(django_capture_on_commit_callbacks, now + datetime.timedelta(hours=29, minutes=30))
    after = send(django_capture_on_commit_callbacks, now + datetime.timedelta(hours=31))
    assert (day.day, hour.hour, after.day, after.hour) == (1, 1, 0, 0)
    assert len(mail.outbox) == 2


def test_no_reminders_for_waitlisted_cancelled_registrations_or_cancelled_events(
    django_capture_on_commit_callbacks,
):
    full = make_event(capacity=1, starts_in=datetime.timedelta(hours=10))
    register(make_attendee(), full)
    waiting = register(make_attendee(), full)
    assert waiting.status == RegistrationStatus.WAITLISTED
    cancelled_event = make_cancelled_event(starts_in=datetime.timedelta(hours=10))
    mail.outbox.clear()
    counts = send(django_capture_on_commit_callbacks)
    assert counts.day == 1  # only the confirmed one at ``full``
    assert cancelled_event.status == "cancelled"
    assert Registration.objects.filter(reminder_day_sent_at__isnull=False).count() == 1


def test_a_claimed_reminder_is_not_sent_again_by_an_overlapping_run(
    django_capture_on_commit_callbacks,
):
    event = make_event(starts_in=datetime.timedelta(hours=5))
    registration = register(make_attendee(), event)
    mail.outbox.clear()
    # Another run claimed it between this run's read and its update.
    due = reminders._due(
        field="reminder_day_sent_at",
        now=timezone.now(),
        earliest=reminders.HOUR,
        latest=reminders.DAY,
    )
    assert due == [registration.pk]
    assert reminders._claim(registration.pk, field="reminder_day_sent_at", now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders._send("reminder_day_sent_at", due, now=timezone.now(), lead="tomorrow")
    assert sent == 0
    assert mail.outbox == []


def test_task_and_command_run_reminders_and_offer_expiry(django_capture_on_commit_callbacks):
    event = make_event(starts_in=datetime.timedelta(hours=3))
    register(make_attendee(), event)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders() == {"day": 1, "hour": 0}
    assert expire_offers() == 0
    out = StringIO()
    call_command("events_tick", stdout=out)
    assert out.getvalue().strip() == (
        "Reminders sent: 0 day-before, 0 hour-before. Seat offers expired: 0."
    )
