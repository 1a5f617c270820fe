"""The account and organization pages through the Django test client."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from townsquare.accounts.models import ApiToken, Organization, User
from townsquare.accounts.tests.factories import PASSWORD, make_user
from townsquare.core.models import AuditRecord
from townsquare.core.tests.test_uploads import png_bytes

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Nora Nurse",
    "title": "Charge nurse",
    "profession": "nurse",
    "credentials": "RN",
    "bio": "I teach **safe** posting.",
    "primary_organization": "",
}


def test_profile_is_saved_and_rendered(member, client_for):
    client = client_for(member)
    upload = SimpleUploadedFile("me.png", png_bytes())
    response = client.post("/settings/", {**PROFILE, "avatar_upload": upload}, follow=True)
    assert b"Your profile is saved." in response.content
    member.refresh_from_db()
    assert member.title == "Charge nurse"
    assert member.avatar
    profile = client.get(f"/people/{member.pk}/")
    assert b"<strong>safe</strong>" in profile.content
    avatar = client.get(f"/people/{member.pk}/avatar")
    assert avatar["Content-Type"] == "image/png"
    assert avatar["X-Content-Type-Options"] == "nosniff"
    assert avatar["Content-Disposition"].startswith("attachment")
    assert b"".join(avatar.streaming_content).startswith(b"\x89PNG")
    avatar.close()


def test_disguised_avatar_shows_the_error_and_saves_nothing(member, client_for):
    upload = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>")
    response = client_for(member).post("/settings/", {**PROFILE, "avatar_upload": upload})
    assert response.status_code == 200
    assert b"is not a .png file" in response.content
    member.refresh_from_db()
    assert not member.avatar
    assert member.title == ""  # nothing half-written


def test_oversized_avatar_is_refused(member, client_for, settings):
    settings.AVATAR_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.png", png_bytes((200, 200)))
    response = client_for(member).post("/settings/", {**PROFILE, "avatar_upload": upload})
    assert b"the limit is" in response.content
    member.refresh_from_db()
    assert not member.avatar


def test_blank_name_is_refused(member, client_for):
    response = client_for(member).post("/settings/", {**PROFILE, "display_name": ""})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    member.refresh_from_db()
    assert member.display_name == "Nora Nurse"


def test_a_token_is_shown_once_and_can_be_revoked(member, client_for):
    client = client_for(member)
    response = client.post("/settings/tokens/", {"name": "reporting"})
    token = ApiToken.objects.get(user=member)
    page = response.content.decode()
    raw = page.split('id="new-token" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert raw.startswith("tsq_")
    assert raw not in client.get("/settings/tokens/").content.decode()
    me = Client().get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200
    client.post(f"/settings/tokens/{token.pk}/revoke/")
    me = Client().get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 401


def test_data_export_is_a_json_download(member, client_for):
    response = client_for(member).get("/settings/privacy/export.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["profile"]["email"] == member.email
    assert AuditRecord.objects.filter(action="account.exported", actor_id=member.pk).exists()


def test_account_deletion_needs_confirmation_and_password(member):
    client = Client()
    client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    response = client.post("/settings/privacy/delete/", {"confirm": "DELETE", "password": "no"})
    assert response.status_code == 422
    assert b"That is not your password." in response.content
    assert User.objects.get(pk=member.pk).is_active

    response = client.post(
        "/settings/privacy/delete/", {"confirm": "DELETE", "password": PASSWORD}, follow=True
    )
    assert b"Your account and personal data are deleted." in response.content
    assert not User.objects.get(pk=member.pk).is_active
    assert client.get("/dashboard/").status_code == 302
    refused = Client().post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert refused.status_code == 200


def test_leader_adds_and_removes_members_on_the_page(organization, leader, client_for):
    colleague = make_user(display_name="Cole Colleague")
    client = client_for(leader)
    members_url = f"/organizations/{organization.slug}/members/"
    response = client.post(members_url, {"email": colleague.email, "role": "member"}, follow=True)
    assert b"Cole Colleague is added." in response.content

    response = client.post(
        members_url, {"email": "ghost@nowhere.example", "role": "member"}, follow=True
    )
    assert b"No account uses ghost@nowhere.example yet: an invitation is on its way." in (
        response.content
    )

    membership = organization.memberships.get(user=colleague)
    response = client.post(f"{members_url}{membership.pk}/", {"action": "remove"}, follow=True)
    assert b"Cole Colleague is removed." in response.content
    assert not organization.memberships.filter(user=colleague).exists()


def test_last_leader_sees_why_they_cannot_step_down(organization, leader, client_for):
    membership = organization.memberships.get(user=leader)
    response = client_for(leader).post(
        f"/organizations/{organization.slug}/members/{membership.pk}/",
        {"action": "role", "role": "member"},
        follow=True,
    )
    assert b"needs at least one leader" in response.content
    membership.refresh_from_db()
    assert membership.role == "leader"


def test_staff_create_an_organization_on_the_page(staff, client_for):
    response = client_for(staff).post(
        "/organizations/new/",
        {
            "name": "Harbor Clinic",
            "kind": "clinic",
            "country": "NZ",
            "website": "harbor.example",
            "description": "",
            "email_domain": "harbor.example",
        },
        follow=True,
    )
    assert b"Harbor Clinic is created." in response.content
    organization = Organization.objects.get(name="Harbor Clinic")
    assert organization.website == "https://harbor.example"
    bad = client_for(staff).post(
        "/organizations/new/", {"name": "", "kind": "castle", "country": "ZZ"}
    )
    assert bad.status_code == 200
    assert Organization.objects.count() == 1


def test_unknown_organization_is_a_404_page(client_for, member):
    response = client_for(member).get("/organizations/no-such-place/")
    assert response.status_code == 404
    assert b"No such organization." in response.content


@pytest.mark.parametrize("size", [5, 50])
def test_organization_list_page_query_count_is_fixed(
    member, client_for, size, django_assert_max_num_queries
):
    from townsquare.accounts.tests.factories import OrganizationFactory

    OrganizationFactory.create_batch(size)
    client = client_for(member)
    with django_assert_max_num_queries(8):
        response = client.get("/organizations/")
    assert response.status_code == 200


def test_staff_change_roles_on_the_profile_page(member, staff, client_for):
    client = client_for(staff)
    page = client.get(f"/people/{member.pk}/")
    assert b"Platform roles of Nora Nurse" in page.content
    assert b"Platform roles" not in client_for(make_user()).get(f"/people/{member.pk}/").content
    response = client.post(
        f"/people/{member.pk}/roles/", {"roles": ["member", "instructor"]}, follow=True
    )
    assert b"The roles of Nora Nurse are saved." in response.content
    assert User.objects.get(pk=member.pk).role_set == {"member", "instructor"}
