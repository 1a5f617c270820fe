"""Two staff assign different learners to the same mentor at once, with room for one mentee.

On PostgreSQL, where writers really run concurrently: first with the cohort-row lock switched off,
both checks see room and both assignments go through (the race is real); then with the lock,
exactly one succeeds. SQLite serializes writers for the whole database, so the test needs
PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.errors import Conflict

from ..models import CohortMember, CohortRole
from ..services import cohorts as services
from .test_program_support import make_cohort

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time",
    ),
]


def _world() -> tuple[Any, CohortMember, list[CohortMember]]:
    staff = make_staff()
    cohort = make_cohort(mentee_limit=1)

    def add(role: str) -> CohortMember:
        return services.cohort_member_add(
            actor=staff, cohort=cohort, email=make_user().email, role=role
        )

    mentor = add(CohortRole.MENTOR)
    return staff, mentor, [add(CohortRole.LEARNER), add(CohortRole.LEARNER)]


def _assign_at_once(staff, mentor, learners, start: threading.Barrier | None) -> list[str]:
    results: list[str] = []

    def assign(learner: CohortMember) -> None:
        try:
            if start is not None:
                start.wait(timeout=10)
            services.cohort_mentor_assign(actor=staff, member=learner, mentor=mentor)
            results.append("assigned")
        except Conflict:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(learner,)) for learner in learners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(results)


def test_without_the_lock_both_assignments_slip_through(monkeypatch):
    staff, mentor, learners = _world()
    both_checked = threading.Barrier(2)

    def read_without_locking(queryset):
        row = queryset.get()
        both_checked.wait(timeout=10)  # both read before either writes
        return row

    monkeypatch.setattr(services, "lock_row", read_without_locking)
    assert _assign_at_once(staff, mentor, learners, None) == ["assigned", "assigned"]
    assert CohortMember.objects.filter(mentor=mentor).count() == 2


def test_with_the_lock_exactly_one_assignment_succeeds():
    staff, mentor, learners = _world()
    results = _assign_at_once(staff, mentor, learners, threading.Barrier(2))
    assert results == ["assigned", "refused"]
    assert CohortMember.objects.filter(mentor=mentor).count() == 1
