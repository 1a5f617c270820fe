"""Registration pages and endpoints against every role: who gets in, who is refused, and that
refusals change nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MATRIX_ROLES, make_matrix_people
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

from ..models import Event, Order, Registration
from ..services import registrations as services
from .factories import make_attendee, make_event, make_ticket_type, register

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES
SIGNED_IN = [role for role in ROLES if role != "anonymous"]


@dataclass
class World:
    people: dict[str, User | None]
    event: Event
    registration: Registration
    offered: Registration
    organization_id: int
    org_member: User


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    member = cast.people["member"]
    assert member is not None
    event = make_event(capacity=10, title="Matrix workshop")
    paid = make_ticket_type(event, name="Paid", price="25")
    registration = register(member, event, ticket_type=paid)
    full = make_event(capacity=1, title="Matrix full")
    holder = register(make_attendee(), full)
    offered = register(member, full)
    services.registration_cancel(actor=holder.attendee, registration=holder)
    offered.refresh_from_db()
    org_member = cast.people["org_member"]
    assert org_member is not None
    return World(cast.people, event, registration, offered, cast.organization.pk, org_member)


OWNER_OR_STAFF = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, MISSING),
    "member": OK,
    "staff": OK,
}
MANAGERS = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "staff": OK}
LEADERS = {**MANAGERS, "leader": OK}

PAGES = [
    (
        "events:register",
        "get",
        "/events/{slug}/register/",
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, OK), "patient": DENIED},
    ),
    ("events:group_register", "get", "/events/{slug}/register/group/", LEADERS),
    (
        "events:my_registrations",
        "get",
        "/events/registrations/",
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, OK)},
    ),
    ("events:registration_detail", "get", "/events/registrations/{registration}/", OWNER_OR_STAFF),
    (
        "events:registration_detail (offered)",
        "get",
        "/events/registrations/{offered}/",
        OWNER_OR_STAFF,
    ),
    ("events:ticket_pdf", "get", "/events/registrations/{registration}/ticket.pdf", OWNER_OR_STAFF),
    ("events:invoice_pdf", "get", "/events/orders/{reference}/invoice.pdf", OWNER_OR_STAFF),
    (
        "events:invoice_pdf (unknown)",
        "get",
        "/events/orders/NOSUCHREF/invoice.pdf",
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, MISSING)},
    ),
    ("events:checkin", "get", "/events/{slug}/manage/check-in/", MANAGERS),
    ("events:checkin_counts", "get", "/events/{slug}/manage/check-in/counts", MANAGERS),
]

WRITES = [
    (
        "events:register",
        "/events/{slug}/register/",
        {"ticket_type": "{ticket_type}"},
        # the member is registered already: sent to their registration, nothing written
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, 302), "patient": DENIED},
    ),
    (
        "events:group_register",
        "/events/{slug}/register/group/",
        {
            "organization": "{organization}",
            "ticket_type": "{ticket_type}",
            "members": "{org_member}",
        },
        {**MANAGERS, "leader": 302, "staff": 302},
    ),
    (
        "events:registration_cancel",
        "/events/registrations/{registration}/cancel",
        {"reason": "Matrix"},
        {**OWNER_OR_STAFF, "member": 302, "staff": 302},
    ),
    (
        "events:registration_transfer",
        "/events/registrations/{registration}/transfer",
        {"to_email": "{org_member_email}"},
        {**OWNER_OR_STAFF, "member": 302, "staff": 302},
    ),
    (
        "events:offer_accept",
        "/events/registrations/{offered}/accept",
        {},
        {**OWNER_OR_STAFF, "member": 302, "staff": DENIED},  # only the person offered
    ),
    (
        "events:checkin_submit",
        "/events/{slug}/manage/check-in/submit",
        {"code": "{code}"},
        MANAGERS,
    ),
]

API_OWNER_OR_STAFF = {
    "anonymous": 401,
    **dict.fromkeys(SIGNED_IN, MISSING),
    "member": OK,
    "staff": OK,
}

API = [
    (
        "get",
        "/api/v1/events/registrations/mine",
        None,
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, OK)},
    ),
    ("get", "/api/v1/events/registrations/{registration}", None, API_OWNER_OR_STAFF),
]

API_WRITES = [
    (
        "post",
        "/api/v1/events/{event}/registrations",
        {"ticket_type_id": "{ticket_type}"},
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 201), "patient": DENIED, "member": 409},
    ),
    ("post", "/api/v1/events/registrations/{registration}/cancel", {}, API_OWNER_OR_STAFF),
    (
        "post",
        "/api/v1/events/registrations/{offered}/accept-offer",
        None,
        {**API_OWNER_OR_STAFF, "staff": DENIED},
    ),
    (
        "post",
        "/api/v1/events/registrations/{registration}/transfer",
        {"to_email": "{org_member_email}"},
        API_OWNER_OR_STAFF,
    ),
    (
        "post",
        "/api/v1/events/{event}/check-ins",
        {"code": "{code}"},
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, DENIED), "staff": OK},
    ),
]


def fill(template: str, world: World) -> str:
    return template.format(
        slug=world.event.slug,
        event=world.event.pk,
        registration=world.registration.pk,
        offered=world.offered.pk,
        reference=world.registration.order.reference,
        ticket_type=world.event.ticket_types.order_by("pk").first().pk,  # type: ignore[union-attr]
        organization=world.organization_id,
        org_member=world.org_member.pk,
        org_member_email=world.org_member.email,
        code=world.registration.ticket_code,
    )


def fill_value(value, world: World):
    if isinstance(value, str):
        filled = fill(value, world)
        return int(filled) if value == "{ticket_type}" else filled
    return value


def state() -> tuple:
    return (
        list(
            Registration.objects.order_by("pk").values_list(
                "pk", "status", "attendee_id", "ticket_code", "checked_in_at"
            )
        ),
        list(Order.objects.order_by("pk").values_list("pk", "status")),
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
    assert_page_write(response, expected[role], before, state(), audited=True)


def test_registering_again_changes_nothing(world):
    before = state()
    response = client_as(world, "member").post(
        fill("/events/{slug}/register/", world), {"ticket_type": fill("{ticket_type}", world)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/events/registrations/{world.registration.pk}/"
    assert state() == before


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
    payload = {key: fill_value(value, world) for key, value in body.items()} if body else body
    response = send_json(client_as(world, role), method, fill(path, world), payload)
    assert_api_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, 401, MISSING, 409),
        code_for=(DENIED,),
        codes={"permission-denied"},
    )
