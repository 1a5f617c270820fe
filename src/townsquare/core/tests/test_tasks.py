"""Background work: inline after commit without a broker; a real Celery worker on Redis with one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import kombu.pools
import pytest
from django.core import mail
from django.db import transaction

from townsquare.config.celery import app
from townsquare.core.email import email_queue

BROKER_URL = os.environ.get("TOWNSQUARE_TEST_BROKER_URL", "")


def _use_broker(**conf: object) -> None:
    """Point the app at another broker; drop connection pools made for the previous one.

    kombu keeps producer pools in a global registry keyed by connection, so switching back would
    hand out the pool closed here; ``kombu.pools.reset`` empties that registry too."""
    app.conf.update(conf)
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_mail_is_sent_inline_after_commit():
    with transaction.atomic():
        email_queue(to=["a@example.org"], subject="Hello", body="Body")
        assert mail.outbox == []
    assert [message.subject for message in mail.outbox] == ["Hello"]


@pytest.mark.django_db(transaction=True)
def test_text_attachments_travel_with_the_message():
    calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    with transaction.atomic():
        email_queue(
            to=["a@example.org"],
            subject="Invite",
            body="See attached",
            attachments=[
                {"filename": "event.ics", "content": calendar, "mimetype": "text/calendar"}
            ],
        )
    (message,) = mail.outbox
    assert message.attachments == [("event.ics", calendar, "text/calendar")]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_transaction_rolls_back():
    def change_that_fails() -> None:
        with transaction.atomic():
            email_queue(to=["a@example.org"], subject="Never", body="Body")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert mail.outbox == []


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not BROKER_URL,
    reason="set TOWNSQUARE_TEST_BROKER_URL (e.g. "
    "redis://127.0.0.1:6379/15) to run the task tests on a real Celery worker",
)
def test_a_real_worker_sends_mail_through_the_broker(settings, tmp_path: Path):
    from celery.contrib.testing.worker import start_worker

    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    previous = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    _use_broker(broker_url=BROKER_URL, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                email_queue(to=["worker@example.org"], subject="Via the worker", body="Hi")
            deadline = time.monotonic() + 20
            while not list(tmp_path.iterdir()) and time.monotonic() < deadline:
                time.sleep(0.1)
    finally:
        _use_broker(**previous)
    sent = [path.read_text() for path in tmp_path.iterdir()]
    assert len(sent) == 1
    assert "Subject: Via the worker" in sent[0]
    assert mail.outbox == []  # not sent inline: the worker did it
