"""``townsquare library_tick``: the periodic library work for setups without a Celery worker.

Run it every five minutes from cron (or a systemd timer): it publishes approved resources whose
date has come, and extracts the text of files whose extraction task was lost (a worker that
stopped, a broker that was down). Overlapping runs are safe."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ...services import extraction, resources


class Command(BaseCommand):
    help = "Publish scheduled library resources and extract text left pending (every 5 minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        published = resources.scheduled_publish_due()
        extracted = extraction.pending_extract()
        self.stdout.write(
            f"Resources published on schedule: {published}. Files extracted: {extracted}."
        )
