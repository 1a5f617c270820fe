"""Two workers delivering the same notification (or the same person's digest) at the same moment,
in threads with their own connections: exactly one email.

The race runs on PostgreSQL, where a second transaction really runs beside the first (on SQLite
every write transaction is ``BEGIN IMMEDIATE``, so writers queue for the whole database). Both
workers read the rows as waiting before either writes (a barrier between the read and the claim).
As pretix proves its quotas, the race is first run with the claim's state condition switched off:
then both workers claim and both send, so we know the race is real and the real run could fail.
"""

from __future__ import annotations

import datetime
import os
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from townsquare.accounts.tests.factories import make_user

from ..models import EmailState, Notification, NotificationSettings
from ..services import delivery, notify, settings_update

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("TOWNSQUARE_TEST_DATABASE_URL"),
        reason="the race runs on PostgreSQL (SQLite serializes every writer)",
    ),
]

WORKERS = 3
TIMEOUT = 30


def _race(call: Callable[[], Any]) -> list[Any]:
    results: list[Any] = [None] * WORKERS

    def run(index: int) -> None:
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test reads what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return results


def _everyone_reads_first(monkeypatch: pytest.MonkeyPatch, *, conditional: bool) -> None:
    """Hold every worker after it read the waiting rows until all have; without
    ``conditional``, claim the way a service without the state condition would."""
    barrier = threading.Barrier(WORKERS)
    real_ids = delivery._deliverable_ids

    def read_then_wait(rows: Any) -> list[int]:
        ids = real_ids(rows)
        barrier.wait(timeout=TIMEOUT)
        return ids

    monkeypatch.setattr(delivery, "_deliverable_ids", read_then_wait)
    if not conditional:

        def claim_regardless(ids: list[int], *, waiting: str, now: datetime.datetime) -> str:
            token = delivery.claim_token()
            Notification.objects.filter(pk__in=ids).update(
                email_state=EmailState.SENT, emailed_at=now, claim=token
            )
            return token

        monkeypatch.setattr(delivery, "_claim", claim_regardless)


def _immediate() -> Notification:
    person = make_user()
    settings_update(user=person, email_mode="immediate", disabled_kinds=[], email_disabled_kinds=[])
    mail.outbox.clear()
    notification = notify(recipient=person, kind="reply", summary="replied", url="/p/1/")
    mail.outbox.clear()  # the inline task sent it already: queue it again for the race
    assert notification is not None
    Notification.objects.filter(pk=notification.pk).update(
        email_state=EmailState.IMMEDIATE_QUEUED, emailed_at=None
    )
    return notification


@pytest.mark.parametrize(("conditional", "emails"), [(False, WORKERS), (True, 1)])
def test_racing_deliveries_send_once(monkeypatch, conditional, emails):
    notification = _immediate()
    _everyone_reads_first(monkeypatch, conditional=conditional)
    results = _race(lambda: delivery.deliver_once(notification_id=notification.pk))
    assert not [result for result in results if isinstance(result, Exception)], results
    assert len(mail.outbox) == emails
    assert sorted(results) == sorted([True] * emails + [False] * (WORKERS - emails))


@pytest.mark.parametrize(
    ("stamp", "conditional", "emails"),
    [(False, False, WORKERS), (False, True, 1), (True, True, 1)],
    ids=["no-stamp-no-condition", "rows-claimed", "period-stamped"],
)
def test_racing_digests_send_once(monkeypatch, stamp, conditional, emails):
    """Two claims guard a digest: the person's period stamp, then the rows; either alone
    keeps it to one email."""
    person = make_user()
    notify(recipient=person, kind="reply", summary="replied", url="/p/1/")
    now = timezone.now()
    Notification.objects.update(created_at=now - datetime.timedelta(days=8))
    start = delivery.digest_period_start("daily", now)
    NotificationSettings.objects.create(user=person)
    if stamp:  # everyone sets off together; the first stamp holds the others back
        barrier = threading.Barrier(WORKERS)
        real_stamp = delivery._stamp_period

        def wait_then_stamp(**kwargs: Any) -> bool:
            barrier.wait(timeout=TIMEOUT)
            return real_stamp(**kwargs)

        monkeypatch.setattr(delivery, "_stamp_period", wait_then_stamp)
    else:
        monkeypatch.setattr(delivery, "_stamp_period", lambda **kwargs: True)
        _everyone_reads_first(monkeypatch, conditional=conditional)

    def send() -> int:
        return delivery.digest_send_one(
            user_id=person.pk, mode="daily", period_start=start, now=now
        )

    results = _race(send)
    assert not [result for result in results if isinstance(result, Exception)], results
    assert len(mail.outbox) == emails
    assert sorted(results) == sorted([1] * emails + [0] * (WORKERS - emails))


def test_racing_notifications_with_one_dedupe_key_make_one():
    person = make_user()
    barrier = threading.Barrier(WORKERS)

    def report() -> bool:
        barrier.wait(timeout=TIMEOUT)
        made = notify(
            recipient=person, kind="reaction", summary="reacted", url="/p/1/", dedupe_key="r:1"
        )
        return made is not None

    results = _race(report)
    assert sorted(results) == [False] * (WORKERS - 1) + [True]
    assert Notification.objects.filter(recipient=person).count() == 1
