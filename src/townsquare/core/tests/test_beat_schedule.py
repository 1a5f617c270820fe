"""The periodic tasks in the settings exist, so a beat process never schedules a missing task."""

from __future__ import annotations

from django.conf import settings

from townsquare.config.celery import app


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert scheduled
    assert scheduled <= set(app.tasks)
