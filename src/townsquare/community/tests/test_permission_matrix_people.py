"""People pages and endpoints against every role: profiles, follows, my community profile and
clinician verification. Who gets in, who is refused with which status, and that refusals change
nothing.

The matrix people: ``patient`` is in the patient community; ``member`` is a professional of no
member organization, so outside both networks; ``outsider``, ``org_member`` and ``leader`` belong
to member organizations (the staff network); ``moderator`` and ``staff`` moderate everything.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MATRIX_ROLES, make_matrix_people
from townsquare.core.testing.matrix import (
    DENIED,
    MISSING,
    NOT_AUTHENTICATED,
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

from ..models import Space, SpaceKind, SpaceVisibility
from ..services import people as services
from .factories import make_clinician, make_employee, make_patient, make_space
from .support_people import follows_state, handle_of, profiles_state

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
STAFF_NETWORK = ["outsider", "org_member", "leader", "moderator", "staff"]
COMMUNITY = ["patient", *STAFF_NETWORK]


@dataclass
class World:
    people: dict[str, User | None]
    colleague: User
    patient: User
    clinician: User
    open_space: Space
    group: Space
    hidden: Space


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    colleague = make_employee(display_name="Priya Professional")
    patient = make_patient(display_name="Pat Private", pseudonym="Sunflower")
    clinician = make_clinician(display_name="Dana Doctor")
    open_space = make_space(kind=SpaceKind.STAFF, name="Night shift")
    group = make_space(
        kind=SpaceKind.PATIENT, visibility=SpaceVisibility.PRIVATE, name="Type 1 adults"
    )
    hidden = make_space(
        kind=SpaceKind.STAFF, visibility=SpaceVisibility.INVITE_ONLY, name="Leadership"
    )
    return World(cast.people, colleague, patient, clinician, open_space, group, hidden)


def fill(template: str, world: World) -> str:
    return template.format(
        colleague=handle_of(world.colleague),
        patient=handle_of(world.patient),
        colleague_id=world.colleague.pk,
        clinician_id=world.clinician.pk,
        open_slug=world.open_space.slug,
        group_slug=world.group.slug,
        hidden_slug=world.hidden.slug,
        open_id=world.open_space.pk,
        group_id=world.group.pk,
        hidden_id=world.hidden.pk,
    )


def state() -> tuple:
    return follows_state(), profiles_state()


def expect(default, **by_role):
    """``default`` for every signed-in role, ``REDIRECT_LOGIN`` for anonymous, then overrides."""
    return {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, default), **by_role}


def api_expect(default, **by_role):
    return {"anonymous": NOT_AUTHENTICATED, **dict.fromkeys(SIGNED_IN, default), **by_role}


SEES_COLLEAGUES = dict.fromkeys(STAFF_NETWORK, OK)
GLOBAL = {"moderator": OK, "staff": OK}
TAKES_PART = dict.fromkeys(COMMUNITY, OK)

PAGES = [
    (
        "community:person_detail (colleague)",
        "get",
        "/community/people/{colleague}/",
        expect(MISSING, **SEES_COLLEAGUES),
    ),
    (
        "community:person_detail (patient)",
        "get",
        "/community/people/{patient}/",
        expect(MISSING, **GLOBAL),
    ),
    (
        "community:person_detail (unknown)",
        "get",
        "/community/people/nobody.here/",
        expect(MISSING),
    ),
    (
        "community:person_detail (bad handle)",
        "get",
        "/community/people/%3Cscript%3E/",
        expect(MISSING),
    ),
    ("community:following", "get", "/community/following/", expect(DENIED, **TAKES_PART)),
    ("community:profile_settings", "get", "/community/profile/", expect(DENIED, **TAKES_PART)),
    ("community:clinician_list", "get", "/community/clinicians/", expect(DENIED, staff=OK)),
    (
        "community:clinician_list (search)",
        "get",
        "/community/clinicians/?q=Priya",
        expect(DENIED, staff=OK),
    ),
]

FOLLOWED = dict.fromkeys(STAFF_NETWORK, 302)
WRITES = [
    (
        "community:follow_person",
        "/community/people/{colleague}/follow",
        {},
        expect(MISSING, **FOLLOWED),
    ),
    (
        "community:follow_person (patient)",
        "/community/people/{patient}/follow",
        {},
        expect(MISSING, moderator=302, staff=302),
    ),
    (
        "community:unfollow_person",
        "/community/people/{colleague}/unfollow",
        {},
        expect(MISSING, **FOLLOWED),
    ),
    (
        "community:follow_space",
        "/community/s/{open_slug}/follow",
        {},
        expect(MISSING, **FOLLOWED),
    ),
    (
        # the private group is listed to the patient community, but only members read it
        "community:follow_space (private group)",
        "/community/s/{group_slug}/follow",
        {},
        expect(MISSING, patient=DENIED, moderator=302, staff=302),
    ),
    (
        "community:follow_space (invite only)",
        "/community/s/{hidden_slug}/follow",
        {},
        expect(MISSING, moderator=302, staff=302),
    ),
    (
        "community:unfollow_space",
        "/community/s/{open_slug}/unfollow",
        {},
        expect(MISSING, **FOLLOWED),
    ),
    (
        "community:profile_settings",
        "/community/profile/",
        {"handle": "matrix.handle"},
        expect(DENIED, **dict.fromkeys(COMMUNITY, 302)),
    ),
    (
        "community:profile_settings (taken handle)",
        "/community/profile/",
        {"handle": "{colleague}"},
        expect(DENIED, **dict.fromkeys(COMMUNITY, 422)),
    ),
    (
        "community:clinician_verify",
        "/community/clinicians/{colleague_id}/verify",
        {"title": "Nurse practitioner"},
        expect(DENIED, staff=302),
    ),
    (
        "community:clinician_verify (no title)",
        "/community/clinicians/{colleague_id}/verify",
        {"title": ""},
        expect(DENIED, staff=422),
    ),
    (
        "community:clinician_verify (unknown)",
        "/community/clinicians/999999999/verify",
        {"title": "Nurse"},
        expect(DENIED, staff=MISSING),
    ),
    (
        "community:clinician_unverify",
        "/community/clinicians/{clinician_id}/unverify",
        {},
        expect(DENIED, staff=302),
    ),
]

API_SEES_COLLEAGUES = dict.fromkeys(STAFF_NETWORK, OK)
API = [
    (
        "get",
        "/api/v1/community/people/{colleague}",
        None,
        api_expect(MISSING, **API_SEES_COLLEAGUES),
    ),
    ("get", "/api/v1/community/people/{patient}", None, api_expect(MISSING, **GLOBAL)),
    ("get", "/api/v1/community/follows", None, api_expect(DENIED, **TAKES_PART)),
    ("get", "/api/v1/community/profile", None, api_expect(DENIED, **TAKES_PART)),
]

CREATED = dict.fromkeys(STAFF_NETWORK, 201)
GONE = dict.fromkeys(STAFF_NETWORK, 204)
API_WRITES = [
    (
        "post",
        "/api/v1/community/people/{colleague}/follow",
        None,
        api_expect(MISSING, **CREATED),
    ),
    (
        "post",
        "/api/v1/community/people/{patient}/follow",
        None,
        api_expect(MISSING, moderator=201, staff=201),
    ),
    ("delete", "/api/v1/community/people/{colleague}/follow", None, api_expect(MISSING, **GONE)),
    ("post", "/api/v1/community/spaces/{open_id}/follow", None, api_expect(MISSING, **CREATED)),
    (
        "post",
        "/api/v1/community/spaces/{group_id}/follow",
        None,
        api_expect(MISSING, patient=DENIED, moderator=201, staff=201),
    ),
    (
        "post",
        "/api/v1/community/spaces/{hidden_id}/follow",
        None,
        api_expect(MISSING, moderator=201, staff=201),
    ),
    ("delete", "/api/v1/community/spaces/{open_id}/follow", None, api_expect(MISSING, **GONE)),
    (
        "put",
        "/api/v1/community/profile",
        {"handle": "matrix.api", "pseudonym": "", "use_pseudonym": False},
        api_expect(DENIED, **TAKES_PART),
    ),
    (
        "put",
        "/api/v1/community/profile",
        {"handle": "{colleague}", "pseudonym": "", "use_pseudonym": False},
        api_expect(DENIED, **dict.fromkeys(COMMUNITY, 422)),
    ),
]


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
    assert_page_write(response, expected[role], before, state(), audited=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role], json_body=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_WRITES, ids=api_ids(API_WRITES)
)
def test_api_writes(world, role, method, path, body, expected):
    before = state()
    payload = (
        {
            key: fill(value, world) if isinstance(value, str) else value
            for key, value in body.items()
        }
        if body
        else body
    )
    response = send_json(client_as(world, role), method, fill(path, world), payload)
    assert_api_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, NOT_AUTHENTICATED, MISSING, 422),
        problem_for=(DENIED, NOT_AUTHENTICATED, MISSING, 422),
    )


@pytest.mark.parametrize("role", STAFF_NETWORK)
def test_allowed_follows_are_written(world, role):
    person = world.people[role]
    client = client_as(world, role)
    client.post(fill("/community/people/{colleague}/follow", world))
    client.post(fill("/community/s/{open_slug}/follow", world))
    assert (person.pk, world.colleague.pk, None) in follows_state()
    assert (person.pk, None, world.open_space.pk) in follows_state()


def test_a_follow_of_someone_no_longer_visible_can_still_be_undone(world):
    colleague = world.people["org_member"]
    services.follow_person(actor=colleague, person=world.colleague)
    world.colleague.is_active = False
    world.colleague.save(update_fields=["is_active"])
    response = client_as(world, "org_member").post(
        fill("/community/people/{colleague}/unfollow", world)
    )
    assert response.status_code == 302
    assert (colleague.pk, world.colleague.pk, None) not in follows_state()


def test_staff_verification_is_written(world):
    client_as(world, "staff").post(
        fill("/community/clinicians/{colleague_id}/verify", world), {"title": "Charge nurse"}
    )
    assert (world.colleague.pk, "Charge nurse") in [(row[0], row[5]) for row in profiles_state()]
