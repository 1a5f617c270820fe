"""Every page and endpoint against every role: who gets in, who is refused, and that refusals change
nothing and are audited. A new URL without a row here fails `test_every_url_is_in_the_matrix`."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.core import mail

from townsquare.accounts import services
from townsquare.accounts.models import (
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
    User,
    UserRole,
)
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
    membership: OrganizationMembership
    patient_profile: User
    member: User
    token_owner_token: int
    invitation: OrganizationInvitation
    invitation_token: str


@pytest.fixture
def world(django_capture_on_commit_callbacks) -> World:
    cast = make_matrix_people()
    people, organization, membership = cast.people, cast.organization, cast.membership
    member, patient, leader = cast.member, people["patient"], people["leader"]
    assert patient is not None
    assert leader is not None
    token = services.api_token_create(user=member, name="matrix").token
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            actor=leader, organization=organization, email="invited@example.org"
        )
    link = re.search(r"/invitations/([\w-]+)/", str(mail.outbox[-1].body))
    assert link is not None
    invitation_token = link.group(1)
    return World(
        people, organization, membership, patient, member, token.pk, invitation, invitation_token
    )


ALL_SIGNED_IN = {role: OK for role in ROLES if role != "anonymous"}

# (name, method, path template, expected by role) — pages.
PAGES = [
    ("home", "get", "/", {"anonymous": OK, **dict.fromkeys(ALL_SIGNED_IN, 302)}),
    ("dashboard", "get", "/dashboard/", {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN}),
    (
        "accounts:directory",
        "get",
        "/people/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN, "patient": DENIED},
    ),
    (
        "accounts:person_detail",
        "get",
        "/people/{member}/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN, "patient": MISSING},
    ),
    (
        "accounts:person_detail (patient)",
        "get",
        "/people/{patient}/",
        {
            "anonymous": REDIRECT_LOGIN,
            "patient": OK,
            "member": MISSING,
            "outsider": MISSING,
            "org_member": MISSING,
            "leader": MISSING,
            "moderator": OK,
            "staff": OK,
        },
    ),
    (
        "accounts:person_avatar",
        "get",
        "/people/{member}/avatar",
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(ALL_SIGNED_IN, MISSING)},
    ),
    ("accounts:organization_list", "get", "/organizations/", {"anonymous": OK, **ALL_SIGNED_IN}),
    (
        "accounts:organization_create",
        "get",
        "/organizations/new/",
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "staff": OK},
    ),
    (
        "accounts:organization_detail",
        "get",
        "/organizations/{slug}/",
        {"anonymous": OK, **ALL_SIGNED_IN},
    ),
    (
        "accounts:organization_edit",
        "get",
        "/organizations/{slug}/edit/",
        {
            "anonymous": REDIRECT_LOGIN,
            **dict.fromkeys(ALL_SIGNED_IN, DENIED),
            "leader": OK,
            "staff": OK,
        },
    ),
    (
        "accounts:organization_members",
        "get",
        "/organizations/{slug}/members/",
        {
            "anonymous": REDIRECT_LOGIN,
            **dict.fromkeys(ALL_SIGNED_IN, DENIED),
            "leader": OK,
            "staff": OK,
        },
    ),
    (
        "accounts:settings_profile",
        "get",
        "/settings/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    (
        "accounts:settings_tokens",
        "get",
        "/settings/tokens/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    (
        "accounts:settings_privacy",
        "get",
        "/settings/privacy/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    (
        "accounts:settings_export",
        "get",
        "/settings/privacy/export.json",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    ("health", "get", "/healthz", {"anonymous": OK, **ALL_SIGNED_IN}),
    (
        "accounts:invitation_accept",
        "get",
        "/invitations/{invitation_token}/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    ("sso:start", "get", "/accounts/sso/", {"anonymous": OK, **ALL_SIGNED_IN}),
    (
        "admin:index",
        "get",
        "/admin/",
        {"anonymous": 302, **dict.fromkeys(ALL_SIGNED_IN, 302), "staff": OK},
    ),
]

# Writes: name, path, form data, expected by role, and a function telling whether it changed.
WRITES = [
    (
        "accounts:organization_invitation_revoke",
        "/organizations/{slug}/invitations/{invitation}/revoke/",
        {},
        {
            "anonymous": REDIRECT_LOGIN,
            **dict.fromkeys(ALL_SIGNED_IN, DENIED),
            "leader": 302,
            "staff": 302,
        },
    ),
    (
        "accounts:person_roles",
        "/people/{member}/roles/",
        {"roles": ["member", "instructor"]},
        {
            "anonymous": REDIRECT_LOGIN,
            **dict.fromkeys(ALL_SIGNED_IN, DENIED),
            "patient": MISSING,
            "staff": 302,
        },
    ),
    (
        "accounts:organization_member_update",
        "/organizations/{slug}/members/{membership}/",
        {"action": "role", "role": "leader"},
        {
            "anonymous": REDIRECT_LOGIN,
            **dict.fromkeys(ALL_SIGNED_IN, DENIED),
            "leader": 302,
            "staff": 302,
        },
    ),
    (
        "accounts:settings_token_revoke",
        "/settings/tokens/{token}/revoke/",
        {},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(ALL_SIGNED_IN, MISSING), "member": 302},
    ),
    (
        "accounts:settings_delete",
        "/settings/privacy/delete/",
        {"confirm": "no"},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(ALL_SIGNED_IN, 422)},
    ),
]

API = [
    (
        "get",
        "/api/v1/accounts/organizations/{organization}/invitations",
        None,
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "leader": OK, "staff": OK},
    ),
    ("get", "/api/v1/accounts/me", None, {"anonymous": 401, **ALL_SIGNED_IN}),
    (
        "get",
        "/api/v1/accounts/people",
        None,
        {"anonymous": 401, **ALL_SIGNED_IN, "patient": DENIED},
    ),
    (
        "get",
        "/api/v1/accounts/people/{member}",
        None,
        {"anonymous": 401, **ALL_SIGNED_IN, "patient": MISSING},
    ),
    (
        "get",
        "/api/v1/accounts/people/{patient}",
        None,
        {
            "anonymous": 401,
            "patient": OK,
            "member": MISSING,
            "outsider": MISSING,
            "org_member": MISSING,
            "leader": MISSING,
            "moderator": OK,
            "staff": OK,
        },
    ),
    ("get", "/api/v1/accounts/organizations", None, {"anonymous": 401, **ALL_SIGNED_IN}),
    (
        "get",
        "/api/v1/accounts/organizations/{organization}",
        None,
        {"anonymous": 401, **ALL_SIGNED_IN},
    ),
    (
        "get",
        "/api/v1/accounts/organizations/{organization}/members",
        None,
        {"anonymous": 401, **ALL_SIGNED_IN, "patient": DENIED},
    ),
]

API_WRITES = [
    (
        "post",
        "/api/v1/accounts/organizations/{organization}/invitations",
        {"email": "someone.else@example.org", "role": "member"},
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "leader": 201, "staff": 201},
    ),
    (
        "delete",
        "/api/v1/accounts/organizations/{organization}/invitations/{invitation}",
        None,
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "leader": 204, "staff": 204},
    ),
    (
        "post",
        "/api/v1/accounts/organizations",
        {"name": "New Place", "kind": "clinic", "country": "US"},
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "staff": 201},
    ),
    (
        "post",
        "/api/v1/accounts/organizations/{organization}/members",
        {"email": "{member_email}", "role": "member"},
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "leader": 201, "staff": 201},
    ),
    (
        "patch",
        "/api/v1/accounts/organizations/{organization}/members/{membership}",
        {"role": "leader"},
        {"anonymous": 401, **dict.fromkeys(ALL_SIGNED_IN, DENIED), "leader": OK, "staff": OK},
    ),
    (
        "delete",
        "/api/v1/accounts/organizations/{organization}/members/{membership}",
        None,
        {
            "anonymous": 401,
            **dict.fromkeys(ALL_SIGNED_IN, DENIED),
            "org_member": 204,
            "leader": 204,
            "staff": 204,
        },
    ),
    ("patch", "/api/v1/accounts/me", {"title": "Head nurse"}, {"anonymous": 401, **ALL_SIGNED_IN}),
]


def fill(template: str, world: World) -> str:
    return template.format(
        member=world.member.pk,
        patient=world.patient_profile.pk,
        slug=world.organization.slug,
        organization=world.organization.pk,
        membership=world.membership.pk,
        token=world.token_owner_token,
        member_email=world.member.email,
        invitation=world.invitation.pk,
        invitation_token=world.invitation_token,
    )


def state() -> tuple:
    return (
        list(OrganizationMembership.objects.order_by("pk").values_list("pk", "role")),
        list(services.ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        services.Organization.objects.count(),
        services.User.objects.filter(is_active=True).count(),
        list(UserRole.objects.order_by("pk").values_list("user_id", "role")),
        list(OrganizationInvitation.objects.order_by("pk").values_list("pk", "revoked_at")),
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
    assert_page_write(response, expected[role], before, state())


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
