"""``townsquare events_tick``: the periodic events work for setups without a Celery worker.

Run it every five minutes from cron (or a systemd timer): it sends the reminders that are due
and expires seat offers not taken in time. Overlapping runs are safe."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ...services import registrations, reminders


class Command(BaseCommand):
    help = "Send due event reminders and expire overdue seat offers (run every 5 minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reminders.reminders_send()
        expired = registrations.offers_expire()
        self.stdout.write(
            f"Reminders sent: {counts.day} day-before, {counts.hour} hour-before. "
            f"Seat offers expired: {expired}."
        )
