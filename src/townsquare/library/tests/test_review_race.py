"""Two reviewers deciding on one submission at the same moment, in two threads with their own
connections: one decision applies, the other is a ``Conflict``.

The race runs on PostgreSQL, where a second transaction really runs beside the first (on SQLite
every write transaction is ``BEGIN IMMEDIATE``, so writers queue for the whole database; the
stale-object test in ``test_review_services.py`` covers the same rule there).

As pretix proves its quotas, the race is also run with the row lock switched off: both threads
then read the submission as waiting and both decisions apply (an approval and a rejection of the
same submission), so we know the race is real and the locked run could fail.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from townsquare.accounts.tests.factories import make_staff
from townsquare.core.errors import Conflict
from townsquare.core.models import AuditRecord
from townsquare.core.testing.races import run_at_once

from ..models import Resource, ResourceStatus, ReviewAction, ReviewEvent
from ..services import review as services
from .support_submissions import scene, submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("TOWNSQUARE_TEST_DATABASE_URL"),
        reason="the race runs on PostgreSQL (SQLite serializes every writer)",
    ),
]

PAUSE = 0.3  # seconds between reading the row and writing, in both runs


def _with_pause(monkeypatch: pytest.MonkeyPatch, *, locked: bool) -> None:
    real = services._lock_in_state

    def read_then_pause(resource: Any, statuses: Any) -> list[Any]:
        if locked:
            rows = real(resource, statuses)
        else:
            rows = list(
                Resource.objects.filter(
                    pk=resource.pk, is_submission=True, status__in=sorted(statuses)
                ).select_related("created_by", "current_version")
            )
        time.sleep(PAUSE)
        return rows

    monkeypatch.setattr(services, "_lock_in_state", read_then_pause)


def _approve_and_reject_at_once(monkeypatch: pytest.MonkeyPatch, *, locked: bool):
    world = scene()
    second = make_staff(display_name="Second Reviewer")
    resource = submit(world.submitter)
    _with_pause(monkeypatch, locked=locked)
    results = run_at_once(
        lambda: services.review_decide(
            actor=world.reviewer, resource=Resource.objects.get(pk=resource.pk), action="approve"
        ),
        lambda: services.review_decide(
            actor=second,
            resource=Resource.objects.get(pk=resource.pk),
            action="reject",
            comment="Out of scope.",
        ),
    )
    return resource, results


def test_an_approval_and_a_rejection_at_once_apply_exactly_one(monkeypatch):
    resource, results = _approve_and_reject_at_once(monkeypatch, locked=True)

    conflicts = [result for result in results if isinstance(result, Conflict)]
    decided = [result for result in results if isinstance(result, Resource)]
    assert (len(conflicts), len(decided)) == (1, 1), results
    resource.refresh_from_db()
    assert resource.status == decided[0].status
    decisions = list(
        ReviewEvent.objects.exclude(action=ReviewAction.SUBMITTED).values_list("action", flat=True)
    )
    if resource.status == ResourceStatus.PUBLISHED:
        assert decisions == [ReviewAction.APPROVED, ReviewAction.PUBLISHED]
    else:
        assert decisions == [ReviewAction.REJECTED]
    assert AuditRecord.objects.filter(action="library.review_decide").count() == 1


def test_without_the_lock_both_decisions_apply(monkeypatch):
    _resource, results = _approve_and_reject_at_once(monkeypatch, locked=False)

    assert all(isinstance(result, Resource) for result in results), results
    assert AuditRecord.objects.filter(action="library.review_decide").count() == 2
    assert sorted(
        ReviewEvent.objects.filter(
            action__in=[ReviewAction.APPROVED, ReviewAction.REJECTED]
        ).values_list("action", flat=True)
    ) == [ReviewAction.APPROVED, ReviewAction.REJECTED]
