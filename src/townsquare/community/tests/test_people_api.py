"""The people API: profiles by @handle, follows of people and spaces, my community profile."""

from __future__ import annotations

import json

import pytest

from townsquare.accounts.tests.factories import make_staff
from townsquare.notifications.models import Notification

from ..models import CommunityProfile, Follow, SpaceKind, SpaceVisibility
from ..services import people as services
from .factories import make_clinician, make_employee, make_moderator, make_patient, make_space
from .support_people import client_for, fresh, handle_of

pytestmark = pytest.mark.django_db

BASE = "/api/v1/community"


def put_json(client, path, body):
    return client.put(path, data=json.dumps(body), content_type="application/json")


def test_a_colleagues_profile():
    colleague = make_clinician(display_name="Cal Colleague", title="Cardiologist")
    viewer = make_employee()
    services.follow_person(actor=viewer, person=colleague)

    response = client_for(viewer).get(f"{BASE}/people/{handle_of(colleague)}")

    assert response.status_code == 200
    assert response.json() == {
        "id": colleague.pk,
        "handle": handle_of(colleague),
        "name": "Cal Colleague",
        "title": "",
        "verified_clinician": True,
        "clinician_title": "Cardiologist",
        "pseudonym": None,
        "is_me": False,
        "is_following": True,
        "may_follow": True,
        "follower_count": 1,
        "following_people_count": 0,
        "following_space_count": 0,
        "url": f"/community/people/{handle_of(colleague)}/",
    }


def test_the_pseudonym_is_only_given_to_the_person_and_platform_moderators():
    clinician = fresh(make_clinician())
    services.profile_update(
        actor=clinician, handle="doc.h", pseudonym="Doc Holly", use_pseudonym=True
    )
    assert client_for(make_employee()).get(f"{BASE}/people/doc.h").json()["pseudonym"] is None
    assert client_for(clinician).get(f"{BASE}/people/@doc.h").json()["pseudonym"] == "Doc Holly"
    assert client_for(make_moderator()).get(f"{BASE}/people/DOC.H").json()["pseudonym"] == (
        "Doc Holly"
    )


@pytest.mark.parametrize("handle", ["nobody", "%3Cb%3E", "a" * 40])
def test_unknown_or_malformed_handles_are_404_problems(handle):
    response = client_for(make_employee()).get(f"{BASE}/people/{handle}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not-found"


def test_a_handle_longer_than_any_is_a_422():
    response = client_for(make_employee()).get(f"{BASE}/people/{'a' * 41}")
    assert response.status_code == 422


def test_follow_twice_then_unfollow():
    colleague = make_employee()
    viewer = make_employee()
    client = client_for(viewer)
    path = f"{BASE}/people/{handle_of(colleague)}/follow"

    first = client.post(path)
    second = client.post(path)

    assert first.status_code == 201
    assert second.status_code == 200
    body = first.json()
    assert (body["following"], body["created"]) == (True, True)
    assert body["follow"]["kind"] == "person"
    assert body["follow"]["person"]["id"] == colleague.pk
    assert body["follow"]["space"] is None
    assert second.json()["created"] is False
    assert Notification.objects.filter(recipient=colleague, kind="follow").count() == 1

    gone = client.delete(path)
    assert gone.status_code == 204
    assert not Follow.objects.filter(follower=viewer, followed_user=colleague).exists()
    assert client.delete(path).status_code == 204  # idempotent
    assert client.post(path).status_code == 201
    assert Notification.objects.filter(recipient=colleague, kind="follow").count() == 1


def test_following_oneself_is_a_422():
    viewer = make_employee()
    response = client_for(viewer).post(f"{BASE}/people/{handle_of(viewer)}/follow")
    assert response.status_code == 422
    assert response.json()["detail"] == "You cannot follow yourself."


def test_follow_spaces_and_list_follows():
    viewer = make_employee()
    colleague = make_employee(display_name="Cleo Colleague")
    space = make_space(name="Wound care")
    private = make_space(visibility=SpaceVisibility.PRIVATE, name="Board")
    client = client_for(viewer)

    assert client.post(f"{BASE}/spaces/{space.pk}/follow").status_code == 201
    assert client.post(f"{BASE}/spaces/{space.pk}/follow").status_code == 200
    refused = client.post(f"{BASE}/spaces/{private.pk}/follow")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission-denied"
    client.post(f"{BASE}/people/{handle_of(colleague)}/follow")

    listing = client.get(f"{BASE}/follows").json()
    assert listing["count"] == 2
    assert [item["kind"] for item in listing["items"]] == ["person", "space"]
    assert listing["items"][0]["person"]["name"] == "Cleo Colleague"
    assert listing["items"][1]["space"] == {
        "id": space.pk,
        "slug": space.slug,
        "name": "Wound care",
        "kind": "staff",
        "is_readable": True,
    }
    only_spaces = client.get(f"{BASE}/follows?kind=space&limit=1").json()
    assert only_spaces["count"] == 1
    assert only_spaces["items"][0]["space"]["id"] == space.pk
    assert client.get(f"{BASE}/follows?kind=robots").status_code == 422

    assert client.delete(f"{BASE}/spaces/{space.pk}/follow").status_code == 204
    assert client.get(f"{BASE}/follows?kind=space").json()["count"] == 0


def test_space_ids_beyond_any_are_refused_cleanly():
    client = client_for(make_employee())
    assert client.post(f"{BASE}/spaces/99999999/follow").status_code == 404
    assert client.post(f"{BASE}/spaces/{2**63}/follow").status_code == 422
    assert client.delete(f"{BASE}/spaces/0/follow").status_code == 422


def test_a_patient_group_is_unknown_to_the_staff_network():
    group = make_space(kind=SpaceKind.PATIENT)
    response = client_for(make_employee()).post(f"{BASE}/spaces/{group.pk}/follow")
    assert response.status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_follows_list_queries_are_pinned(count, django_assert_num_queries):
    viewer = make_employee()
    for _ in range(count):
        services.follow_person(actor=viewer, person=make_clinician())
        services.follow_space(actor=viewer, space=make_space())
    client = client_for(viewer)
    client.get(f"{BASE}/follows?limit=100")
    # session, user, roles, organization membership (the gate); count, page; community profile
    # and readable spaces (whether each followed space may still be read)
    with django_assert_num_queries(8):
        response = client.get(f"{BASE}/follows?limit=100")
    assert response.json()["count"] == count * 2


def test_my_profile_get_and_put():
    patient = make_patient()
    client = client_for(patient)
    mine = client.get(f"{BASE}/profile").json()
    assert mine["handle"] == handle_of(patient)
    assert (mine["pseudonym"], mine["use_pseudonym"], mine["may_use_pseudonym"]) == (
        "",
        False,
        True,
    )

    response = put_json(
        client,
        f"{BASE}/profile",
        {"handle": "@Quiet.Reader", "pseudonym": "Sunflower", "use_pseudonym": True},
    )

    assert response.status_code == 200
    assert response.json() == {
        "handle": "quiet.reader",
        "pseudonym": "Sunflower",
        "use_pseudonym": True,
        "may_use_pseudonym": True,
        "verified_clinician": False,
        "clinician_title": "",
        "url": "/community/people/quiet.reader/",
    }


def test_a_taken_handle_or_pseudonym_is_a_422_naming_the_field():
    other = make_patient(pseudonym="Sunflower")
    services.profile_update(
        actor=other, handle="taken.one", pseudonym="Sunflower", use_pseudonym=True
    )
    client = client_for(make_patient())
    taken = put_json(client, f"{BASE}/profile", {"handle": "TAKEN.one"})
    assert taken.status_code == 422
    assert taken.json()["errors"] == {"handle": ["@taken.one is taken; choose another handle."]}
    pseudonym = put_json(
        client, f"{BASE}/profile", {"handle": "free.one", "pseudonym": "sunflower"}
    )
    assert pseudonym.status_code == 422
    assert list(pseudonym.json()["errors"]) == ["pseudonym"]
    assert not CommunityProfile.objects.filter(handle="free.one").exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"handle": "x" * 32},
        {"handle": "ok", "pseudonym": "p" * 41},
        {"handle": "ok", "use_pseudonym": "maybe"},
        {"handle": "\ud800"},
    ],
)
def test_bad_profile_bodies_are_422(body):
    response = put_json(client_for(make_employee()), f"{BASE}/profile", body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_staff_network_people_cannot_take_a_pseudonym_through_the_api():
    response = put_json(
        client_for(make_employee()),
        f"{BASE}/profile",
        {"handle": "ward7", "pseudonym": "", "use_pseudonym": True},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["pseudonym"]


def test_staff_see_a_patients_profile_through_the_api():
    patient = make_patient(display_name="Pat Private")
    response = client_for(make_staff()).get(f"{BASE}/people/{handle_of(patient)}")
    assert response.status_code == 200
    assert response.json()["name"] == "Pat Private"
    assert response.json()["may_follow"] is True
