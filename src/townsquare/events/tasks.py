"""Events background work, run every few minutes by Celery beat (or the ``events_tick``
command where there is no worker): reminders before events, and expiring seat offers."""

from __future__ import annotations

from celery import shared_task

from .services import registrations, reminders


@shared_task(name="events.send_reminders", ignore_result=True)
def send_reminders() -> dict[str, int]:
    """Day-before and hour-before reminders; each goes out at most once (safe to overlap)."""
    counts = reminders.reminders_send()
    return {"day": counts.day, "hour": counts.hour}


@shared_task(name="events.expire_offers", ignore_result=True)
def expire_offers() -> int:
    """Expire seat offers not taken in time and pass each seat to the next person in line."""
    return registrations.offers_expire()
