"""The spaces API: the directory, one space, opening and changing spaces, joining and leaving,
invitations, decisions on requests, roles and removals."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ..models import MembershipStatus, Space, SpaceKind, SpaceMembership, SpaceVisibility
from ..services import spaces as services
from .factories import join, make_employee, make_moderator, make_patient, make_space
from .support_spaces import follows, member_count, role_of, status_of, told

pytestmark = pytest.mark.django_db

API = "/api/v1/community"
OPEN, PRIVATE, INVITE_ONLY = (
    SpaceVisibility.OPEN,
    SpaceVisibility.PRIVATE,
    SpaceVisibility.INVITE_ONLY,
)


def signed_in(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def send(client: Client, method: str, path: str, body=None):
    return getattr(client, method)(
        f"{API}{path}",
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


# --- The directory and one space -------------------------------------------------------------


def test_anonymous_callers_must_sign_in(client):
    response = client.get(f"{API}/spaces")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_the_directory_lists_what_the_caller_may_know_with_their_status():
    nurse = make_employee()
    wound = make_space(name="Wound care", members=(nurse,))
    make_space(name="Research", visibility=PRIVATE, category="research")
    make_space(name="Hidden", visibility=INVITE_ONLY)
    make_space(name="Diabetes", kind=SpaceKind.PATIENT)
    body = signed_in(nurse).get(f"{API}/spaces").json()
    assert body["count"] == 2
    assert [(item["name"], item["my_status"], item["my_role"]) for item in body["items"]] == [
        ("Research", "", ""),
        ("Wound care", "active", "member"),
    ]
    first = body["items"][1]
    assert first["url"] == f"/community/s/{wound.slug}/"
    assert (first["member_count"], first["post_count"], first["visibility"]) == (1, 0, "open")


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?q=wound", ["Wound care"]),
        ("?category=research", ["Research"]),
        ("?mine=true", ["Wound care"]),
        ("?kind=patient", []),
        ("?limit=1&offset=1", ["Wound care"]),
    ],
)
def test_the_directory_filters(query, names):
    nurse = make_employee()
    make_space(name="Wound care", members=(nurse,))
    make_space(name="Research", visibility=PRIVATE, category="research")
    body = signed_in(nurse).get(f"{API}/spaces{query}").json()
    assert [item["name"] for item in body["items"]] == names


def test_a_bad_filter_is_a_422_problem():
    response = signed_in(make_employee()).get(f"{API}/spaces?kind=hospital")
    assert response.status_code == 422
    assert response.json()["code"] == "validation-failed"


def test_one_space_with_what_the_caller_may_do():
    owner, nurse = make_employee(display_name="Otto Owner"), make_employee()
    space = make_space(
        name="Research", visibility=PRIVATE, moderators=(owner,), guidelines="Share drafts."
    )
    body = signed_in(nurse).get(f"{API}/spaces/{space.pk}").json()
    assert body["guidelines"] == "Share drafts."
    assert [moderator["name"] for moderator in body["moderators"]] == ["Otto Owner"]
    assert (body["can_read"], body["can_join"], body["can_manage"], body["my_status"]) == (
        False,
        True,
        False,
        "",
    )
    assert body["notification_level"] == ""
    mine = signed_in(owner).get(f"{API}/spaces/{space.pk}").json()
    assert (mine["can_read"], mine["can_manage"], mine["my_role"]) == (True, True, "moderator")
    assert mine["notification_level"] == "normal"


def test_an_invite_only_space_is_a_404_for_people_not_invited():
    space = make_space(visibility=INVITE_ONLY)
    for person in (make_employee(), make_patient()):
        response = signed_in(person).get(f"{API}/spaces/{space.pk}")
        assert response.status_code == 404
        assert response.json()["code"] == "not-found"
    assert signed_in(make_employee()).get(f"{API}/spaces/{2**63 - 1}").status_code == 404
    assert signed_in(make_employee()).get(f"{API}/spaces/{2**63}").status_code == 422


def test_pseudonymous_moderators_are_named_by_pseudonym_to_patients():
    guide = make_patient(pseudonym="Calm Otter", display_name="Gina Guide")
    group = make_space(kind=SpaceKind.PATIENT, moderators=(guide,))
    body = signed_in(make_patient()).get(f"{API}/spaces/{group.pk}").json()
    assert body["moderators"] == [
        {
            "name": "Calm Otter",
            "handle": "",
            "pseudonymous": True,
            "real_name": "",
            "verified_clinician": False,
            "clinician_title": "",
        }
    ]
    staff_view = signed_in(make_moderator()).get(f"{API}/spaces/{group.pk}").json()
    assert staff_view["moderators"][0]["real_name"] == "Gina Guide"


# --- Opening and changing --------------------------------------------------------------------


def test_opening_a_space():
    nurse = make_employee()
    response = send(
        signed_in(nurse),
        "post",
        "/spaces",
        {
            "kind": "staff",
            "name": "Night shift",
            "category": "department",
            "visibility": "private",
            "guidelines": "Be kind.",
        },
    )
    assert response.status_code == 201
    body = response.json()
    space = Space.objects.get(pk=body["id"])
    assert (body["slug"], body["my_role"], body["can_manage"]) == ("night-shift", "moderator", True)
    assert role_of(nurse, space) == "moderator"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "patient", "name": "Group", "category": "condition"}, 403),
        ({"kind": "staff", "name": "Mixed", "category": "condition"}, 422),
        ({"kind": "staff", "name": "   ", "category": "department"}, 422),
        ({"kind": "staff", "name": "x" * 121, "category": "department"}, 422),
        ({"kind": "staff", "name": "Org", "category": "department", "organization_id": 999}, 422),
    ],
)
def test_opening_a_space_refused(body, status):
    response = send(signed_in(make_employee()), "post", "/spaces", body)
    assert response.status_code == status
    assert not Space.objects.exists()


def test_changing_a_space():
    owner = make_employee()
    space = make_space(moderators=(owner,), description="Old")
    response = send(
        signed_in(owner),
        "patch",
        f"/spaces/{space.pk}",
        {"name": "Renamed", "description": None, "requires_approval": True},
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["description"], body["requires_approval"]) == ("Renamed", "", True)
    archived = send(signed_in(owner), "patch", f"/spaces/{space.pk}", {"archived": True})
    assert archived.json()["archived_at"] is not None
    assert archived.json()["can_join"] is False
    refused = send(signed_in(owner), "patch", f"/spaces/{space.pk}", {"name": None})
    assert refused.status_code == 422


def test_changing_a_space_is_for_its_managers():
    owner, member = make_employee(), make_employee()
    space = make_space(moderators=(owner,), members=(member,), name="Kept")
    response = send(signed_in(member), "patch", f"/spaces/{space.pk}", {"name": "Mine"})
    assert response.status_code == 403
    space.refresh_from_db()
    assert space.name == "Kept"


# --- Joining and leaving ---------------------------------------------------------------------


def test_joining_needs_the_guidelines_accepted():
    nurse = make_employee()
    space = make_space()
    client = signed_in(nurse)
    refused = send(client, "post", f"/spaces/{space.pk}/membership", {})
    assert refused.status_code == 422
    assert refused.json()["errors"] == {
        "accept_guidelines": ["Read the space's guidelines and accept them to join."]
    }
    joined = send(client, "post", f"/spaces/{space.pk}/membership", {"accept_guidelines": True})
    assert joined.status_code == 201
    assert joined.json()["status"] == "active"
    assert follows(nurse, space)
    again = send(client, "post", f"/spaces/{space.pk}/membership", {"accept_guidelines": True})
    assert again.status_code == 409
    assert member_count(space) == 1


def test_asking_to_join_a_private_space():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,))
    response = send(
        signed_in(nurse), "post", f"/spaces/{space.pk}/membership", {"accept_guidelines": True}
    )
    assert response.status_code == 201
    assert response.json()["status"] == "requested"
    assert told(owner, kind="access") == [f"asked to join {space.name}"]


def test_leaving_withdrawing_and_declining_are_one_delete():
    owner, member, asker, invitee = (make_employee() for _ in range(4))
    space = make_space(visibility=INVITE_ONLY, moderators=(owner,), members=(member,))
    private = make_space(visibility=PRIVATE, moderators=(owner,))
    services.membership_invite(actor=owner, space=space, who=invitee.email)
    services.membership_join(actor=asker, space=private, accept_guidelines=True)
    for person, target in ((member, space), (asker, private), (invitee, space)):
        response = send(signed_in(person), "delete", f"/spaces/{target.pk}/membership")
        assert response.status_code == 204
        assert status_of(person, target) == ""
    response = send(signed_in(member), "delete", f"/spaces/{space.pk}/membership")
    assert response.status_code == 404  # invite only, and no longer a member


def test_leaving_when_not_a_member_is_a_409():
    space = make_space()
    response = send(signed_in(make_employee()), "delete", f"/spaces/{space.pk}/membership")
    assert response.status_code == 409


# --- Members ---------------------------------------------------------------------------------


def test_the_member_list_hides_who_is_behind_a_pseudonym():
    writer = make_patient(pseudonym="Quiet Heron", display_name="Rosa Real")
    reader = make_patient()
    group = make_space(kind=SpaceKind.PATIENT, moderators=(make_moderator(),))
    join(writer, group)
    join(reader, group)
    items = signed_in(reader).get(f"{API}/spaces/{group.pk}/members").json()["items"]
    heron = next(item for item in items if item["person"]["name"] == "Quiet Heron")
    assert heron["user_id"] is None
    assert heron["person"]["real_name"] == ""
    assert heron["person"]["handle"] == ""
    staff_items = signed_in(make_moderator()).get(f"{API}/spaces/{group.pk}/members").json()
    heron = next(i for i in staff_items["items"] if i["person"]["name"] == "Quiet Heron")
    assert (heron["user_id"], heron["person"]["real_name"]) == (writer.pk, "Rosa Real")


def test_requests_are_listed_for_managers_only():
    owner, member = make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,), members=(member,))
    join(make_employee(display_name="Asha Asker"), space, status=MembershipStatus.REQUESTED)
    mine = signed_in(owner).get(f"{API}/spaces/{space.pk}/members?status=requested").json()
    assert [item["person"]["name"] for item in mine["items"]] == ["Asha Asker"]
    refused = signed_in(member).get(f"{API}/spaces/{space.pk}/members?status=requested")
    assert refused.status_code == 403
    outsider = signed_in(make_employee()).get(f"{API}/spaces/{space.pk}/members")
    assert outsider.status_code == 403


def test_inviting_deciding_appointing_and_removing():
    owner, nurse, asker = make_employee(), make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,))
    client = signed_in(owner)
    invited = send(client, "post", f"/spaces/{space.pk}/invitations", {"who": nurse.email})
    assert invited.status_code == 201
    assert invited.json()["status"] == "invited"
    conflict = send(client, "post", f"/spaces/{space.pk}/invitations", {"who": nurse.email})
    assert conflict.status_code == 409
    request = services.membership_join(actor=asker, space=space, accept_guidelines=True)
    decided = send(
        client,
        "post",
        f"/spaces/{space.pk}/members/{request.pk}/decision",
        {"decision": "approve"},
    )
    assert decided.json() == {
        "membership_id": request.pk,
        "decision": "approve",
        "status": "active",
    }
    again = send(
        client,
        "post",
        f"/spaces/{space.pk}/members/{request.pk}/decision",
        {"decision": "decline"},
    )
    assert again.status_code == 409
    role = send(
        client, "put", f"/spaces/{space.pk}/members/{request.pk}/role", {"role": "moderator"}
    )
    assert (role.status_code, role.json()["role"]) == (200, "moderator")
    assert role_of(asker, space) == "moderator"
    removed = client.delete(f"{API}/spaces/{space.pk}/members/{request.pk}?reason=Moved")
    assert removed.status_code == 204
    assert status_of(asker, space) == ""
    assert told(asker, kind="moderation") == [f"removed you from {space.name}: Moved"]


def test_a_membership_of_another_space_is_a_404():
    owner = make_employee()
    space = make_space(moderators=(owner,))
    other = make_space(members=(make_employee(),))
    elsewhere = SpaceMembership.objects.get(space=other)
    response = send(
        signed_in(owner),
        "post",
        f"/spaces/{space.pk}/members/{elsewhere.pk}/decision",
        {"decision": "approve"},
    )
    assert response.status_code == 404
