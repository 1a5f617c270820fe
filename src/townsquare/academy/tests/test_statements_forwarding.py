"""Forwarding xAPI statements to a learning record store: a real LRS over HTTP on loopback."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from townsquare.academy import tasks
from townsquare.academy.models import LearningStatement
from townsquare.academy.services.statements import (
    ForwardOutcome,
    statement_forward_once,
    statement_record,
    statements_forward_pending,
)

from .lrs_support import PASSWORD, USERNAME, RunningLrs, running_lrs

BROKER_URL = os.environ.get("TOWNSQUARE_TEST_BROKER_URL", "")


@pytest.fixture
def lrs(settings) -> Iterator[RunningLrs]:
    with running_lrs() as server:
        settings.XAPI_LRS_ENDPOINT = server.endpoint
        settings.XAPI_LRS_USERNAME = USERNAME
        settings.XAPI_LRS_PASSWORD = PASSWORD
        settings.XAPI_LRS_TIMEOUT = 5.0
        yield server


def _record(user, name: str = "GSM 101 Social media foundations") -> LearningStatement:
    return statement_record(
        user=user, verb="completed", object_type="course", object_id=7, name=name, completion=True
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db(transaction=True)
def test_a_statement_is_forwarded_after_commit_and_not_before(lrs, member):
    with transaction.atomic():
        record = _record(member)
        assert lrs.requests == []
    record.refresh_from_db()
    assert lrs.statements == {str(record.pk): record.statement}
    assert lrs.requests == [("PUT", 204, str(record.pk))]
    assert record.forwarded_at is not None
    assert (record.forward_attempts, record.last_error) == (1, "")
    sent = lrs.statements[str(record.pk)]
    assert sent["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"
    assert sent["actor"]["account"]["name"] == str(member.pk)
    assert member.email not in str(sent)  # the account, never the address, leaves the site


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_for_a_transaction_that_rolled_back(lrs, member):
    def lesson_complete_that_fails() -> None:
        with transaction.atomic():
            _record(member)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        lesson_complete_that_fails()
    assert lrs.requests == []
    assert not LearningStatement.objects.exists()


@pytest.mark.django_db
def test_a_statement_is_retried_after_503_until_the_lrs_takes_it(
    lrs, member, django_capture_on_commit_callbacks
):
    lrs.fail_next(2, status=503)
    with django_capture_on_commit_callbacks(execute=True):
        record = _record(member)
    record.refresh_from_db()
    assert [status for _, status, _ in lrs.requests] == [503, 503, 204]
    assert record.forwarded_at is not None
    assert (record.forward_attempts, record.last_error) == (3, "")
    assert list(lrs.statements) == [str(record.pk)]


@pytest.mark.django_db
def test_inline_forwarding_gives_up_after_a_few_attempts_and_the_sweep_sends_it_later(
    lrs, member, django_capture_on_commit_callbacks
):
    lrs.fail_next(tasks.INLINE_ATTEMPTS, status=502)
    with django_capture_on_commit_callbacks(execute=True):
        record = _record(member)  # the learner's request is not disturbed
    record.refresh_from_db()
    assert record.forwarded_at is None
    assert record.forward_attempts == tasks.INLINE_ATTEMPTS
    assert record.last_error.startswith("HTTP 502")
    assert lrs.statements == {}

    assert tasks.statements_forward_pending.delay(older_than_minutes=0).get() == 1
    record.refresh_from_db()
    assert record.forwarded_at is not None
    assert list(lrs.statements) == [str(record.pk)]
    assert statements_forward_pending(older_than=timedelta(0)) == 0  # nothing left to send


@pytest.mark.django_db
def test_a_wrong_password_is_recorded_without_retrying(
    lrs, member, settings, django_capture_on_commit_callbacks
):
    settings.XAPI_LRS_PASSWORD = "not-the-password"  # noqa: S105
    with django_capture_on_commit_callbacks(execute=True):
        record = _record(member)
    record.refresh_from_db()
    assert lrs.requests == [("PUT", 401, str(record.pk))]
    assert record.forwarded_at is None
    assert record.forward_attempts == 1
    assert record.last_error == "HTTP 401: bad credentials"

    settings.XAPI_LRS_PASSWORD = PASSWORD  # the operator fixes it, then re-sends
    assert statements_forward_pending(older_than=timedelta(0)) == 1
    record.refresh_from_db()
    assert record.forwarded_at is not None
    assert record.forward_attempts == 2


@pytest.mark.django_db
def test_sending_again_is_idempotent(lrs, member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        record = _record(member)
    # Already forwarded: the task skips it without a request.
    assert tasks.statement_forward.delay(str(record.pk)).get() == "already_forwarded"
    assert len(lrs.requests) == 1
    # Forced out again (a lost answer, a reset): the LRS keeps one copy and it counts as sent.
    LearningStatement.objects.filter(pk=record.pk).update(forwarded_at=None)
    assert tasks.statement_forward.delay(str(record.pk)).get() == "sent"
    assert [status for _, status, _ in lrs.requests] == [204, 204]
    assert len(lrs.statements) == 1


@pytest.mark.django_db
def test_a_409_conflict_means_the_lrs_already_has_it(lrs, member):
    record = _record(member)
    lrs.statements[str(record.pk)] = {"id": str(record.pk), "verb": "stored earlier"}
    assert statement_forward_once(statement_id=str(record.pk)) == ForwardOutcome.SENT
    record.refresh_from_db()
    assert lrs.requests == [("PUT", 409, str(record.pk))]
    assert record.forwarded_at is not None


@pytest.mark.django_db
def test_an_unreachable_lrs_is_a_retryable_error(lrs, member, settings):
    record = _record(member)
    settings.XAPI_LRS_ENDPOINT = f"http://127.0.0.1:{_closed_port()}/xapi/statements"
    assert statement_forward_once(statement_id=str(record.pk)) == ForwardOutcome.RETRY
    record.refresh_from_db()
    assert record.forward_attempts == 1
    assert record.last_error.startswith("ConnectionError")


@pytest.mark.django_db
def test_other_client_errors_are_not_retried(lrs, member, django_capture_on_commit_callbacks):
    lrs.fail_next(1, status=400)
    with django_capture_on_commit_callbacks(execute=True):
        record = _record(member)
    record.refresh_from_db()
    assert [status for _, status, _ in lrs.requests] == [400]
    assert (record.forwarded_at, record.forward_attempts) == (None, 1)


@pytest.mark.django_db
def test_without_an_lrs_nothing_is_queued(member, settings, django_capture_on_commit_callbacks):
    settings.XAPI_LRS_ENDPOINT = ""
    with django_capture_on_commit_callbacks() as callbacks:
        record = _record(member)
    assert callbacks == []
    assert statement_forward_once(statement_id=str(record.pk)) == ForwardOutcome.NOT_CONFIGURED
    assert statements_forward_pending(older_than=timedelta(0)) == 0


@pytest.mark.django_db
def test_the_sweep_leaves_recent_statements_to_their_retries_and_respects_the_limit(lrs, member):
    old = [_record(member, f"Course {number}") for number in range(3)]
    recent = _record(member, "Recent")
    LearningStatement.objects.filter(pk__in=[r.pk for r in old]).update(
        timestamp=timezone.now() - timedelta(hours=1)
    )
    assert statements_forward_pending(limit=2) == 2
    assert statements_forward_pending() == 1
    assert statements_forward_pending() == 0
    assert set(lrs.statements) == {str(r.pk) for r in old}
    assert str(recent.pk) not in lrs.statements
    assert tasks.statement_forward.delay("00000000-0000-0000-0000-000000000000").get() == "missing"


def test_backoff_grows_exponentially_up_to_a_cap():
    assert 2.0 <= tasks.backoff_seconds(0) <= 2.5
    assert 16.0 <= tasks.backoff_seconds(3) <= 20.0
    assert tasks.backoff_seconds(20) <= tasks.BACKOFF_CAP_SECONDS * 1.25


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    not BROKER_URL,
    reason="set TOWNSQUARE_TEST_BROKER_URL (e.g. "
    "redis://127.0.0.1:6379/15) to run the task tests on a real Celery worker",
)
def test_a_real_worker_forwards_and_retries_with_backoff(lrs, member, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    from townsquare.config.celery import app
    from townsquare.core.tests.test_tasks import _use_broker

    monkeypatch.setattr(tasks, "BACKOFF_SECONDS", 0.2)
    lrs.fail_next(2, status=503)
    previous = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    _use_broker(broker_url=BROKER_URL, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            with transaction.atomic():
                record = _record(member)
            deadline = time.monotonic() + 30
            while not lrs.statements and time.monotonic() < deadline:
                time.sleep(0.1)
            # The worker records the attempt just after the LRS answers.
            while time.monotonic() < deadline:
                record.refresh_from_db()
                if record.forwarded_at is not None:
                    break
                time.sleep(0.1)
    finally:
        _use_broker(**previous)
    assert [status for _, status, _ in lrs.requests] == [503, 503, 204]
    assert record.forwarded_at is not None
    assert record.forward_attempts == 3
