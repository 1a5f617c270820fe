"""CE credit, transcripts and reports: every page and endpoint against every role, refusals change
nothing and are audited (same shape as accounts/tests/test_permission_matrix.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import (
    MATRIX_ROLES,
    make_matrix_people,
)
from townsquare.core.testing.matrix import (
    DENIED,
    OK,
    REDIRECT_LOGIN,
    api_ids,
    assert_api_read,
    assert_api_write,
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
    send_json,
)

from ..models import CreditActivity, CreditClaim, Disclosure, Evaluation, Quiz
from ..services import credit as services
from .factories import make_course, make_credit_activity, make_enrollment

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES


@dataclass
class World:
    people: dict[str, User | None]
    member: User
    activity: CreditActivity
    second: CreditActivity
    disclosure: Disclosure
    quiz: Quiz


ANSWERS = {
    "objective_1": "5",
    "objective_2": "4",
    "free_of_bias": "yes",
    "practice_change": "yes",
    "practice_detail": "Check every post for PHI.",
    "overall": "5",
}


def _completed(user: User, activity: CreditActivity) -> None:
    enrollment = make_enrollment(user, activity.course)  # type: ignore[arg-type]
    enrollment.status = "completed"
    enrollment.completed_at = timezone.now()
    enrollment.save()


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    people, member = cast.people, cast.member
    activity = make_credit_activity(make_course())
    second = make_credit_activity(make_course())
    _completed(member, activity)
    _completed(member, second)
    services.evaluation_submit(user=member, activity=activity, answers=ANSWERS)
    quiz = Quiz.objects.get(lesson__course=activity.course)
    return World(people, member, activity, second, activity.disclosures.first(), quiz)  # type: ignore[arg-type]


ALL_SIGNED_IN = {role: OK for role in ROLES if role != "anonymous"}
STAFF_ONLY = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "staff": OK}
SELF_OR_STAFF = {**STAFF_ONLY, "member": OK}

PAGES = [
    ("academy:credit_activity_edit", "get", "/academy/author/courses/{slug}/credit/", STAFF_ONLY),
    (
        "academy:credit_disclosure_add",
        "get",
        "/academy/author/courses/{slug}/credit/disclosures/new/",
        STAFF_ONLY,
    ),
    (
        "academy:credit_disclosure_edit",
        "get",
        "/academy/author/courses/{slug}/credit/disclosures/{disclosure}/",
        STAFF_ONLY,
    ),
    (
        "academy:credit_evaluation",
        "get",
        "/academy/learn/{slug}/evaluation/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    (
        "academy:credit_claim",
        "get",
        "/academy/learn/{slug}/credit/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    (
        "academy:transcript",
        "get",
        "/academy/transcript/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    (
        "academy:transcript_pdf",
        "get",
        "/academy/transcript/pdf/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    ("academy:transcript_for", "get", "/academy/transcript/{member}/", SELF_OR_STAFF),
    ("academy:transcript_for_pdf", "get", "/academy/transcript/{member}/pdf/", SELF_OR_STAFF),
    ("academy:credit_export", "get", "/academy/staff/credit/export/", STAFF_ONLY),
    ("academy:reports", "get", "/academy/staff/reports/", STAFF_ONLY),
    ("academy:reports_csv", "get", "/academy/staff/reports/courses.csv", STAFF_ONLY),
    ("academy:quiz_item_analysis", "get", "/academy/author/quizzes/{quiz}/analysis/", STAFF_ONLY),
    (
        "academy:quiz_item_analysis_csv",
        "get",
        "/academy/author/quizzes/{quiz}/analysis.csv",
        STAFF_ONLY,
    ),
]

AUTHOR_WRITE = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "staff": 302}
LEARNER_WRITE = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(ALL_SIGNED_IN, 422), "member": 302}

WRITES = [
    (
        "academy:credit_activity_edit",
        "/academy/author/courses/{slug}/credit/",
        {"credit_type": "general", "max_hours": "1.5", "objectives": "- One\n- Two"},
        AUTHOR_WRITE,
    ),
    (
        "academy:credit_disclosure_add",
        "/academy/author/courses/{slug}/credit/disclosures/new/",
        {"person_name": "New Person", "role": "reviewer"},
        AUTHOR_WRITE,
    ),
    (
        "academy:credit_disclosure_edit",
        "/academy/author/courses/{slug}/credit/disclosures/{disclosure}/",
        {"person_name": "Renamed", "role": "planner"},
        AUTHOR_WRITE,
    ),
    (
        "academy:credit_disclosure_delete",
        "/academy/author/courses/{slug}/credit/disclosures/{disclosure}/delete/",
        {},
        AUTHOR_WRITE,
    ),
    (
        "academy:credit_evaluation",
        "/academy/learn/{second_slug}/evaluation/",
        ANSWERS,
        LEARNER_WRITE,
    ),
    (
        "academy:credit_claim",
        "/academy/learn/{slug}/credit/",
        {"hours": "1", "attested": "on", "license_number": "RN1", "license_state": "OH"},
        LEARNER_WRITE,
    ),
]

API = [
    ("get", "/api/v1/academy/transcripts/me", None, {"anonymous": 401, **ALL_SIGNED_IN}),
    (
        "get",
        "/api/v1/academy/users/{member}/transcript",
        None,
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "member": OK, "staff": OK},
    ),
    ("get", "/api/v1/academy/credit-claims", None, {"anonymous": 401, **ALL_SIGNED_IN}),
    (
        "get",
        "/api/v1/academy/reports/courses",
        None,
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "staff": OK},
    ),
    (
        "get",
        "/api/v1/academy/quizzes/{quiz}/item-analysis",
        None,
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "staff": OK},
    ),
]

API_WRITES = [
    (
        "post",
        "/api/v1/academy/credit-activities/{second}/evaluations",
        {"answers": ANSWERS},
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, 422), "member": 201},
    ),
    (
        "post",
        "/api/v1/academy/credit-activities/{activity}/claims",
        {"hours": "1", "attested": True, "license_number": "RN1", "license_state": "OH"},
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, 422), "member": 201},
    ),
]


def fill(template: str, world: World) -> str:
    return template.format(
        member=world.member.pk,
        slug=world.activity.course.slug,  # type: ignore[union-attr]
        second_slug=world.second.course.slug,  # type: ignore[union-attr]
        disclosure=world.disclosure.pk,
        quiz=world.quiz.pk,
        activity=world.activity.pk,
        second=world.second.pk,
    )


def state() -> tuple:
    return (
        list(CreditActivity.objects.order_by("pk").values_list("pk", "credit_type", "max_hours")),
        list(Disclosure.objects.order_by("pk").values_list("pk", "person_name", "role")),
        list(Evaluation.objects.order_by("pk").values_list("pk", "user_id", "activity_id")),
        list(CreditClaim.objects.order_by("pk").values_list("pk", "user_id", "hours")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_page(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    before = state()
    response = client_as(world, role).post(fill(path, world), data)
    assert_page_write(response, expected[role], before, state(), changed_otherwise=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_WRITES, ids=api_ids(API_WRITES)
)
def test_api_writes(world, role, method, path, body, expected):
    before = state()
    response = send_json(client_as(world, role), method, fill(path, world), body)
    assert_api_write(
        response, expected[role], before, state(), unchanged=(DENIED, 401, 422), audited=False
    )
