"""Two simultaneous claims of the same credit: exactly one is written (lock, check, write)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from townsquare.accounts.tests.factories import make_user
from townsquare.core.errors import Conflict

from ..models import CreditClaim, CreditType
from ..services import credit as services
from .factories import make_course, make_credit_activity, make_enrollment


@pytest.mark.django_db(transaction=True)
def test_double_submit_claims_once():
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections are exercised on PostgreSQL")
    user = make_user()
    course = make_course(modules=1, lessons_per_module=1, with_quiz=False)
    activity = make_credit_activity(course, credit_type=CreditType.GENERAL)
    enrollment = make_enrollment(user, course)
    enrollment.status = "completed"
    enrollment.completed_at = timezone.now()
    enrollment.save()
    answers = {
        "objective_1": "5",
        "objective_2": "5",
        "free_of_bias": "yes",
        "practice_change": "no",
        "practice_detail": "-",
        "overall": "5",
    }
    services.evaluation_submit(user=user, activity=activity, answers=answers)
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def claim() -> None:
        try:
            barrier.wait()
            services.credit_claim(user=user, activity=activity, hours="1", attested=True)
            outcomes.append("claimed")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["claimed", "conflict", "conflict", "conflict"]
    assert CreditClaim.objects.filter(user=user).count() == 1
