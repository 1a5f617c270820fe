"""Learning pages and endpoints against every role: who gets in, who is refused, and that refusals
change nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from townsquare.academy.models import Course, Enrollment, QuizAttempt
from townsquare.academy.services.quizzes import attempt_start, attempt_submit
from townsquare.academy.tests.factories import make_course, make_enrollment
from townsquare.academy.tests.test_learning_support import (
    completion_calls,  # noqa: F401
    learning_state,
    quiz_of,
    text_lessons,
    wrong_answers,
)
from townsquare.accounts.models import Organization, User
from townsquare.accounts.tests.factories import (
    MATRIX_ROLES,
    make_matrix_people,
)
from townsquare.core.testing.matrix import (
    DENIED,
    MISSING,
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

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES


@dataclass
class World:
    people: dict[str, User | None]
    organization: Organization
    course: Course
    enrollment: Enrollment
    lesson_id: int
    quiz_id: int
    quiz_lesson_id: int
    open_attempt: QuizAttempt
    graded_attempt: QuizAttempt


@pytest.fixture
def world(completion_calls) -> World:  # noqa: F811
    cast = make_matrix_people()
    people, member, organization = cast.people, cast.member, cast.organization
    course = make_course()
    enrollment = make_enrollment(member, course)
    quiz = quiz_of(course)
    graded = attempt_start(user=member, quiz=quiz)
    attempt_submit(user=member, attempt_id=graded.pk, answers=wrong_answers(graded))
    open_attempt = attempt_start(user=member, quiz=quiz)
    return World(
        people,
        organization,
        course,
        enrollment,
        text_lessons(course)[0].pk,
        quiz.pk,
        quiz.lesson_id,
        open_attempt,
        graded,
    )


SIGNED_IN = [role for role in ROLES if role != "anonymous"]
ALL_SIGNED_IN = dict.fromkeys(SIGNED_IN, OK)
LEARNER_ONLY = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED)}

PAGES = [
    ("academy:my_learning", "get", "/academy/my/", {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN}),
    (
        "academy:course_home",
        "get",
        "/academy/learn/{slug}/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    (
        "academy:lesson",
        "get",
        "/academy/learn/{slug}/lessons/{lesson}/",
        {**LEARNER_ONLY, "member": OK},
    ),
    (
        "academy:lesson (quiz)",
        "get",
        "/academy/learn/{slug}/lessons/{quiz_lesson}/",
        {**LEARNER_ONLY, "member": OK},
    ),
    (
        "academy:attempt",
        "get",
        "/academy/attempts/{attempt}/",
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, MISSING), "member": OK},
    ),
    (
        "academy:attempt_result",
        "get",
        "/academy/attempts/{graded_attempt}/result/",
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, MISSING), "member": OK},
    ),
    (
        "academy:enroll_staff",
        "get",
        "/academy/organizations/{organization}/enroll/",
        {
            "anonymous": REDIRECT_LOGIN,
            **dict.fromkeys(SIGNED_IN, DENIED),
            "leader": OK,
            "staff": OK,
        },
    ),
]

WRITES = [
    (
        "academy:enroll",
        "/academy/courses/{slug}/enroll",
        {},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, 302), "patient": DENIED},
    ),
    (
        "academy:disclosures_acknowledge",
        "/academy/learn/{slug}/disclosures/",
        {},
        {**LEARNER_ONLY, "member": 302},
    ),
    (
        "academy:lesson_complete",
        "/academy/learn/{slug}/lessons/{lesson}/complete/",
        {},
        {**LEARNER_ONLY, "member": 302},
    ),
    (
        "academy:attempt_start",
        "/academy/learn/{slug}/lessons/{quiz_lesson}/attempts/",
        {},
        {**LEARNER_ONLY, "member": 302},
    ),
    (
        "academy:attempt (submit)",
        "/academy/attempts/{attempt}/",
        {},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, MISSING), "member": 302},
    ),
    ("academy:withdraw", "/academy/learn/{slug}/withdraw/", {}, {**LEARNER_ONLY, "member": 302}),
    (
        "academy:enroll_staff (post)",
        "/academy/organizations/{organization}/enroll/",
        {"course": "{course}", "people": "{org_member}"},
        {
            "anonymous": REDIRECT_LOGIN,
            **dict.fromkeys(SIGNED_IN, DENIED),
            "leader": 302,
            "staff": 302,
        },
    ),
]

API = [
    ("get", "/api/v1/academy/enrollments", None, {"anonymous": 401, **ALL_SIGNED_IN}),
    (
        "get",
        "/api/v1/academy/enrollments/{enrollment}",
        None,
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, MISSING), "member": OK, "staff": OK},
    ),
    (
        "get",
        "/api/v1/academy/attempts/{attempt}",
        None,
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, MISSING), "member": OK},
    ),
]

API_WRITES: list[tuple] = [
    (
        "post",
        "/api/v1/academy/courses/{course}/enrollments",
        None,
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 201), "member": OK, "patient": DENIED},
    ),
    (
        "post",
        "/api/v1/academy/enrollments/{enrollment}/lessons/{lesson}/complete",
        None,
        {
            "anonymous": 401,
            **dict.fromkeys(SIGNED_IN, MISSING),
            "member": OK,
            "staff": DENIED,
        },
    ),
    (
        "post",
        "/api/v1/academy/quizzes/{quiz}/attempts",
        None,
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, DENIED), "member": 201},
    ),
    (
        "post",
        "/api/v1/academy/attempts/{attempt}/submit",
        {"answers": []},
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, MISSING), "member": OK},
    ),
]


def fill(template: str, world: World) -> str:
    return template.format(
        slug=world.course.slug,
        course=world.course.pk,
        lesson=world.lesson_id,
        quiz_lesson=world.quiz_lesson_id,
        quiz=world.quiz_id,
        attempt=world.open_attempt.pk,
        graded_attempt=world.graded_attempt.pk,
        enrollment=world.enrollment.pk,
        organization=world.organization.slug,
        org_member=world.people["org_member"].pk,  # type: ignore[union-attr]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_page(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    before = learning_state()
    payload = {key: fill(value, world) for key, value in data.items()}
    response = client_as(world, role).post(fill(path, world), payload)
    assert_page_write(
        response,
        expected[role],
        before,
        learning_state(),
        unchanged=(DENIED, MISSING, REDIRECT_LOGIN),
    )


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
    before = learning_state()
    response = send_json(client_as(world, role), method, fill(path, world), body)
    assert_api_write(
        response,
        expected[role],
        before,
        learning_state(),
        unchanged=(DENIED, MISSING, 401),
        problem_for=(DENIED, MISSING, 401),
        code_for=(),
    )
