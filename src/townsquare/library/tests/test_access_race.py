"""Two deciders deciding one access request at the same moment, in two threads with their own
connections: one decision applies, the other is a ``Conflict`` that changes nothing.

The race runs on PostgreSQL, where a second transaction really runs beside the first (on SQLite
every write transaction is ``BEGIN IMMEDIATE``, so writers queue for the whole database; the
stale-object test in ``test_access_services.py`` covers the same rule there).

As pretix proves its quotas, the race is also run with the row lock switched off: both threads
then read the request as pending and both decisions apply (a grant and a refusal of the same
request), so we know the race is real and the locked run could fail.
"""

from __future__ import annotations

import os
import time

import pytest

from townsquare.core.errors import Conflict
from townsquare.core.models import AuditRecord
from townsquare.core.testing.races import run_at_once

from ..models import AccessGrant, AccessRequest, AccessRequestStatus
from ..services import access as services
from .support_access import access_scene

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("TOWNSQUARE_TEST_DATABASE_URL"),
        reason="the race runs on PostgreSQL (SQLite serializes every writer)",
    ),
]

PAUSE = 0.3  # seconds between reading the row and writing, in both runs


def _with_pause(monkeypatch: pytest.MonkeyPatch, *, locked: bool) -> None:
    """Widen the window between reading the request and writing; without ``locked``, read it as
    a service without the lock would (a plain read of the state it saw)."""
    real = services._lock_request

    def read_then_pause(request_id: int) -> AccessRequest | None:
        if locked:
            found = real(request_id)
        else:
            found = (
                AccessRequest.objects.filter(pk=request_id, status=AccessRequestStatus.PENDING)
                .select_related("resource", "requester")
                .first()
            )
        time.sleep(PAUSE)
        return found

    monkeypatch.setattr(services, "_lock_request", read_then_pause)


def _grant_and_refuse_at_once(monkeypatch: pytest.MonkeyPatch, *, locked: bool):
    scene = access_scene()
    _with_pause(monkeypatch, locked=locked)
    request_id = scene.pending.pk
    results = run_at_once(
        lambda: services.access_decide(
            actor=scene.person("staff"),
            access_request=AccessRequest.objects.get(pk=request_id),
            decision="grant",
        ),
        lambda: services.access_decide(
            actor=scene.person("leader"),
            access_request=AccessRequest.objects.get(pk=request_id),
            decision="refuse",
            note="Not for outsiders.",
        ),
    )
    return scene, results


def test_a_grant_and_a_refusal_at_once_apply_exactly_one(monkeypatch):
    scene, results = _grant_and_refuse_at_once(monkeypatch, locked=True)

    conflicts = [result for result in results if isinstance(result, Conflict)]
    decided = [result for result in results if isinstance(result, AccessRequest)]
    assert (len(conflicts), len(decided)) == (1, 1), results
    stored = AccessRequest.objects.get(pk=scene.pending.pk)
    assert stored.status == decided[0].status
    granted = AccessGrant.objects.filter(
        resource=scene.org_private, person=scene.person("member")
    ).count()
    assert granted == (1 if stored.status == AccessRequestStatus.GRANTED else 0)
    decisions = AuditRecord.objects.filter(
        action="library.access_decide", target_id=str(scene.pending.pk)
    )
    assert decisions.count() == 1


def test_without_the_lock_both_decisions_apply(monkeypatch):
    scene, results = _grant_and_refuse_at_once(monkeypatch, locked=False)

    assert all(isinstance(result, AccessRequest) for result in results), results
    decisions = AuditRecord.objects.filter(
        action="library.access_decide", target_id=str(scene.pending.pk)
    )
    assert sorted(record.data["decision"] for record in decisions) == ["grant", "refuse"]


def test_the_same_person_asking_twice_at_once_makes_one_request():
    scene = access_scene()
    outsider = scene.person("outsider")

    results = run_at_once(
        lambda: services.access_request_create(actor=outsider, resource=scene.org_private),
        lambda: services.access_request_create(actor=outsider, resource=scene.org_private),
    )

    assert sorted(type(result).__name__ for result in results) == [
        "AccessRequest",
        "Conflict",
    ], results
    assert AccessRequest.objects.filter(requester=outsider).count() == 1
