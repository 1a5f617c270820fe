"""Programs and cohorts pages and endpoints against every role: who gets in, who is refused, and
that refusals change nothing and are audited. Besides the platform roles of the accounts matrix,
``instructor`` and ``mentor`` are the instructor and a mentor of the cohort under test."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from townsquare.accounts import services as account_services
from townsquare.accounts.models import Role, User
from townsquare.accounts.tests.factories import make_organization, make_staff, make_user
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

from ..models import (
    Cohort,
    CohortMember,
    CohortRole,
    Course,
    Enrollment,
    Program,
    ProgramEnrollment,
    ProgramItem,
)
from ..services import cohorts as cohort_services
from .factories import make_course, make_instructor
from .test_program_support import make_cohort, make_program

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "patient",
    "member",
    "outsider",
    "org_member",
    "leader",
    "moderator",
    "staff",
    "instructor",
    "mentor",
]


@dataclass
class World:
    people: dict[str, User | None]
    program: Program
    draft: Program
    item: ProgramItem
    spare_course: Course
    cohort: Cohort
    learner: CohortMember
    mentor: CohortMember
    newcomer: User


@pytest.fixture
def world() -> World:
    staff_actor = make_staff()
    leader, org_member, outsider = make_user(), make_user(), make_user()
    organization = make_organization(leader=leader)
    account_services.membership_add(
        actor=staff_actor, organization=organization, email=org_member.email
    )
    account_services.membership_add(
        actor=staff_actor, organization=make_organization(), email=outsider.email
    )
    program = make_program(courses=2)
    cohort = make_cohort()

    def add(role: str, person: User) -> CohortMember:
        return cohort_services.cohort_member_add(
            actor=staff_actor, cohort=cohort, email=person.email, role=role
        )

    instructor = add(CohortRole.INSTRUCTOR, make_instructor())
    mentor = add(CohortRole.MENTOR, make_user())
    learner = add(CohortRole.LEARNER, make_user())
    people: dict[str, User | None] = {
        "anonymous": None,
        "patient": make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver"),
        "member": make_user(),
        "outsider": outsider,
        "org_member": org_member,
        "leader": leader,
        "moderator": make_user(roles=(Role.MODERATOR, Role.MEMBER)),
        "staff": make_staff(),
        "instructor": instructor.user,
        "mentor": mentor.user,
    }
    return World(
        people=people,
        program=program,
        draft=make_program(published=False),
        item=program.items.order_by("position").first(),  # type: ignore[arg-type]
        spare_course=make_course(with_quiz=False),
        cohort=cohort,
        learner=learner,
        mentor=mentor,
        newcomer=make_user(),
    )


ALL_SIGNED_IN = {role: OK for role in ROLES if role != "anonymous"}
NONE_SIGNED_IN = dict.fromkeys(ALL_SIGNED_IN, DENIED)
STAFF_ONLY = {"anonymous": REDIRECT_LOGIN, **NONE_SIGNED_IN, "staff": OK}
COHORT_MANAGERS = {"anonymous": REDIRECT_LOGIN, **NONE_SIGNED_IN, "staff": 302, "instructor": 302}

PAGES = [
    ("academy:program_list", "get", "/academy/programs/", {"anonymous": OK, **ALL_SIGNED_IN}),
    (
        "academy:program_detail",
        "get",
        "/academy/programs/{program}/",
        {"anonymous": OK, **ALL_SIGNED_IN},
    ),
    (
        "academy:program_detail (draft)",
        "get",
        "/academy/programs/{draft}/",
        {"anonymous": MISSING, **dict.fromkeys(ALL_SIGNED_IN, MISSING), "staff": OK},
    ),
    ("academy:program_create", "get", "/academy/programs/new/", STAFF_ONLY),
    ("academy:program_edit", "get", "/academy/programs/{program}/edit/", STAFF_ONLY),
    (
        "academy:cohort_list",
        "get",
        "/academy/cohorts/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    ("academy:cohort_create", "get", "/academy/cohorts/new/", STAFF_ONLY),
    (
        "academy:cohort_detail",
        "get",
        "/academy/cohorts/{cohort}/",
        {**STAFF_ONLY, "instructor": OK, "mentor": OK},
    ),
]

WRITES = [
    (
        "academy:program_enroll",
        "/academy/programs/{program}/enroll/",
        {},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(ALL_SIGNED_IN, 302), "patient": DENIED},
    ),
    (
        "academy:program_course_add",
        "/academy/programs/{program}/courses/add/",
        {"course": "{spare_course}"},
        {"anonymous": REDIRECT_LOGIN, **NONE_SIGNED_IN, "staff": 302},
    ),
    (
        "academy:program_course_remove",
        "/academy/programs/{program}/courses/{item}/remove/",
        {},
        {"anonymous": REDIRECT_LOGIN, **NONE_SIGNED_IN, "staff": 302},
    ),
    (
        "academy:program_course_move",
        "/academy/programs/{program}/courses/{item}/move/",
        {"direction": "down"},
        {"anonymous": REDIRECT_LOGIN, **NONE_SIGNED_IN, "staff": 302},
    ),
    (
        "academy:cohort_member_add",
        "/academy/cohorts/{cohort}/members/add/",
        {"email": "{newcomer_email}", "role": "mentor"},
        COHORT_MANAGERS,
    ),
    (
        "academy:cohort_member_remove",
        "/academy/cohorts/{cohort}/members/{learner}/remove/",
        {},
        COHORT_MANAGERS,
    ),
    (
        "academy:cohort_mentor_assign",
        "/academy/cohorts/{cohort}/members/{learner}/mentor/",
        {"mentor": "{mentor}"},
        COHORT_MANAGERS,
    ),
]

API = [
    ("get", "/api/v1/academy/programs", None, {"anonymous": 401, **ALL_SIGNED_IN}),
    ("get", "/api/v1/academy/programs/{program_id}", None, {"anonymous": 401, **ALL_SIGNED_IN}),
    (
        "get",
        "/api/v1/academy/cohorts/{cohort}",
        None,
        {"anonymous": 401, **NONE_SIGNED_IN, "staff": OK, "instructor": OK, "mentor": OK},
    ),
]

API_WRITES = [
    (
        "post",
        "/api/v1/academy/programs/{program_id}/enrollments",
        None,
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, 201), "patient": DENIED},
    ),
    (
        "post",
        "/api/v1/academy/cohorts/{cohort}/members",
        {"email": "{newcomer_email}", "role": "mentor"},
        {"anonymous": 401, **NONE_SIGNED_IN, "staff": 201, "instructor": 201},
    ),
]


def fill(template: str, world: World) -> str:
    return template.format(
        program=world.program.slug,
        program_id=world.program.pk,
        draft=world.draft.slug,
        item=world.item.pk,
        spare_course=world.spare_course.pk,
        cohort=world.cohort.pk,
        learner=world.learner.pk,
        mentor=world.mentor.pk,
        newcomer_email=world.newcomer.email,
    )


def state() -> tuple:
    return (
        list(ProgramEnrollment.objects.order_by("pk").values_list("pk", "completed_at")),
        list(ProgramItem.objects.order_by("pk").values_list("pk", "course_id", "position")),
        list(CohortMember.objects.order_by("pk").values_list("pk", "role", "mentor_id")),
        list(Enrollment.objects.order_by("pk").values_list("pk", "cohort_id", "status")),
        list(Program.objects.order_by("pk").values_list("pk", "is_published")),
        Cohort.objects.count(),
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
    payload = {key: fill(value, world) for key, value in data.items()}
    response = client_as(world, role).post(fill(path, world), payload)
    assert_page_write(
        response, expected[role], before, state(), changed_otherwise=True, audited=True
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
    before = state()
    payload = {key: fill(value, world) for key, value in body.items()} if body else None
    response = send_json(client_as(world, role), method, fill(path, world), payload)
    assert_api_write(response, expected[role], before, state())
