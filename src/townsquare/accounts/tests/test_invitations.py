"""Inviting people by email to an organization: send, accept, refuse, withdraw."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from townsquare.accounts import services
from townsquare.accounts.models import (
    OrganizationInvitation,
    OrganizationMembership,
    Role,
    User,
)
from townsquare.accounts.tests.factories import make_user
from townsquare.core.errors import Conflict, NotFound, PermissionRefused
from townsquare.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def invite(organization, leader, email="new.nurse@example.org", role="member", capture=None):
    with capture(execute=True):
        return services.invitation_create(
            actor=leader, organization=organization, email=email, role=role
        )


def token_from_mail() -> str:
    match = re.search(r"/invitations/([\w-]+)/", str(mail.outbox[-1].body))
    assert match is not None, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_invitation_is_mailed_with_a_link_and_audited(organization, leader, capture):
    invitation = invite(organization, leader, email="New.Nurse@Example.org", capture=capture)
    assert invitation.email == "new.nurse@example.org"
    assert mail.outbox[-1].to == ["new.nurse@example.org"]
    assert organization.name in mail.outbox[-1].subject
    raw = token_from_mail()
    assert raw not in invitation.token_hash
    assert AuditRecord.objects.filter(action="invitation.created").exists()


def test_the_invited_person_signs_up_and_accepts(organization, leader, capture):
    invite(organization, leader, capture=capture)
    raw = token_from_mail()
    person = make_user(roles=(Role.PATIENT,), email="new.nurse@example.org")

    membership = services.invitation_accept(user=person, raw_token=raw)

    assert membership.organization == organization
    assert User.objects.get(pk=person.pk).role_set == {Role.MEMBER}
    invitation = OrganizationInvitation.objects.get()
    assert invitation.accepted_by == person
    with pytest.raises(Conflict, match="already been used"):
        services.invitation_accept(user=person, raw_token=raw)


def test_only_the_invited_verified_address_may_accept(organization, leader, capture):
    invite(organization, leader, capture=capture)
    raw = token_from_mail()
    stranger = make_user()
    with pytest.raises(PermissionRefused, match="new.nurse@example.org"):
        services.invitation_accept(user=stranger, raw_token=raw)
    unverified = make_user(email="new.nurse@example.org", email_verified=False)
    with pytest.raises(PermissionRefused):
        services.invitation_accept(user=unverified, raw_token=raw)
    assert not OrganizationMembership.objects.filter(user__in=[stranger, unverified]).exists()
    EmailAddress.objects.filter(user=unverified).update(verified=True)
    services.invitation_accept(user=unverified, raw_token=raw)


def test_expired_and_withdrawn_invitations_are_refused(organization, leader, capture):
    invitation = invite(organization, leader, capture=capture)
    raw = token_from_mail()
    person = make_user(email="new.nurse@example.org")
    OrganizationInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(Conflict, match="expired"):
        services.invitation_accept(user=person, raw_token=raw)

    second = invite(organization, leader, capture=capture)  # an expired one no longer blocks
    raw = token_from_mail()
    services.invitation_revoke(actor=leader, invitation=second)
    with pytest.raises(Conflict, match="withdrawn"):
        services.invitation_accept(user=person, raw_token=raw)
    with pytest.raises(NotFound):
        services.invitation_accept(user=person, raw_token="made-up")
    assert not organization.memberships.filter(user=person).exists()


def test_one_waiting_invitation_per_address(organization, leader, capture):
    invite(organization, leader, capture=capture)
    with pytest.raises(Conflict, match="already waiting"):
        invite(organization, leader, email="NEW.nurse@example.org", capture=capture)
    assert OrganizationInvitation.objects.count() == 1


def test_members_are_not_invited_again(organization, leader, member, capture):
    services.membership_add(actor=leader, organization=organization, email=member.email)
    with pytest.raises(Conflict, match="already a member"):
        invite(organization, leader, email=member.email, capture=capture)


def test_only_leaders_and_staff_invite(organization, member, capture):
    with pytest.raises(PermissionRefused):
        invite(organization, member, capture=capture)
    assert mail.outbox == []


def test_add_or_invite_adds_people_who_have_an_account(organization, leader, member, capture):
    added = services.member_add_or_invite(
        actor=leader, organization=organization, email=member.email
    )
    assert isinstance(added, OrganizationMembership)
    with capture(execute=True):
        invited = services.member_add_or_invite(
            actor=leader, organization=organization, email="someone.new@example.org"
        )
    assert isinstance(invited, OrganizationInvitation)


def test_invite_and_accept_on_the_pages(organization, leader, client_for, capture):
    client = client_for(leader)
    members_url = f"/organizations/{organization.slug}/members/"
    with capture(execute=True):
        response = client.post(
            members_url, {"email": "new.nurse@example.org", "role": "member"}, follow=True
        )
    assert b"an invitation is on its way" in response.content
    assert b"Withdraw invitation to new.nurse@example.org" in response.content
    raw = token_from_mail()

    anonymous = Client().get(f"/invitations/{raw}/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")

    person = make_user(email="new.nurse@example.org", display_name="Nia New")
    page = client_for(person).get(f"/invitations/{raw}/")
    assert b"Join Riverside Health" in page.content
    response = client_for(person).post(f"/invitations/{raw}/", follow=True)
    assert b"Welcome to Riverside Health." in response.content
    assert organization.memberships.filter(user=person).exists()


def test_leader_withdraws_an_invitation_on_the_page(organization, leader, client_for, capture):
    invitation = invite(organization, leader, capture=capture)
    response = client_for(leader).post(
        f"/organizations/{organization.slug}/invitations/{invitation.pk}/revoke/", follow=True
    )
    assert b"is withdrawn" in response.content
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
