"""``townsquare notifications_tick``: the periodic notification work for setups without a Celery
worker and beat.

Run it every five to fifteen minutes from cron (or a systemd timer). It sends the daily digests
once a day and the weekly ones once a week, to each person at most once (see
``services/delivery.py``), and emails immediate notifications whose task was lost. Overlapping
runs are safe."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ...models import DigestMode
from ...services import delivery


class Command(BaseCommand):
    help = "Send due notification digests and stale immediate emails (run every 5-15 minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        daily = delivery.digests_send(mode=DigestMode.DAILY)
        weekly = delivery.digests_send(mode=DigestMode.WEEKLY)
        stale = delivery.deliver_stale()
        self.stdout.write(
            f"Digests sent: {daily} daily, {weekly} weekly. "
            f"Immediate notifications sent late: {stale}."
        )
