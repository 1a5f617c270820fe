from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile

from townsquare.accounts import selectors, services
from townsquare.accounts.models import (
    ApiToken,
    OrganizationMembership,
    OrganizationRole,
    Role,
    User,
)
from townsquare.accounts.tests.factories import make_organization, make_staff, make_user
from townsquare.core.audit import audit_verify
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord
from townsquare.core.tests.test_uploads import png_bytes

pytestmark = pytest.mark.django_db


def test_user_create_refuses_a_duplicate_email_in_any_case(member):
    with pytest.raises(Conflict):
        make_user(email=member.email.upper())
    assert User.objects.filter(email__iexact=member.email).count() == 1


def test_membership_add_by_email(organization, leader, member):
    membership = services.membership_add(
        actor=leader, organization=organization, email=member.email.upper()
    )
    assert membership.role == OrganizationRole.MEMBER
    member.refresh_from_db()
    assert member.primary_organization == organization
    assert AuditRecord.objects.filter(action="membership.added", data__person_id=member.pk).exists()


def test_membership_add_unknown_email_changes_nothing(organization, leader):
    before = OrganizationMembership.objects.count()
    with pytest.raises(NotFound, match="No active account"):
        services.membership_add(actor=leader, organization=organization, email="nobody@x.org")
    assert OrganizationMembership.objects.count() == before


def test_membership_add_twice_is_a_conflict(organization, leader, member):
    services.membership_add(actor=leader, organization=organization, email=member.email)
    with pytest.raises(Conflict, match="already a member"):
        services.membership_add(actor=leader, organization=organization, email=member.email)


def test_member_cannot_manage_members(organization, leader, member):
    services.membership_add(actor=leader, organization=organization, email=member.email)
    outsider = make_user()
    with pytest.raises(PermissionRefused):
        services.membership_add(actor=member, organization=organization, email=outsider.email)


def test_last_leader_cannot_step_down_or_leave(organization, leader):
    membership = organization.memberships.get(user=leader)
    with pytest.raises(Conflict, match="at least one leader"):
        services.membership_change_role(actor=leader, membership=membership, role="member")
    with pytest.raises(Conflict, match="at least one leader"):
        services.membership_remove(actor=leader, membership=membership)
    membership.refresh_from_db()
    assert membership.role == OrganizationRole.LEADER


def test_leader_hands_over_then_steps_down(organization, leader, member):
    other = services.membership_add(actor=leader, organization=organization, email=member.email)
    services.membership_change_role(actor=leader, membership=other, role="leader")
    mine = organization.memberships.get(user=leader)
    services.membership_change_role(actor=leader, membership=mine, role="member")
    assert set(organization.memberships.values_list("user_id", "role")) == {
        (leader.pk, "member"),
        (member.pk, "leader"),
    }


def test_a_member_may_leave_but_not_remove_others(organization, leader, member):
    mine = services.membership_add(actor=leader, organization=organization, email=member.email)
    third = services.membership_add(
        actor=leader, organization=organization, email=make_user().email
    )
    with pytest.raises(PermissionRefused):
        services.membership_remove(actor=member, membership=third)
    services.membership_remove(actor=member, membership=mine)
    member.refresh_from_db()
    assert member.primary_organization is None


def test_profile_update_validates_and_audits(member):
    services.profile_update(
        actor=member, person=member, changes={"title": "Charge nurse", "bio": "**Hi**"}
    )
    member.refresh_from_db()
    assert member.title == "Charge nurse"
    with pytest.raises(ValidationFailed):
        services.profile_update(actor=member, person=member, changes={"email": "x@y.org"})
    with pytest.raises(ValidationFailed):
        services.profile_update(actor=member, person=member, changes={"profession": "wizard"})


def test_profile_update_refuses_an_organization_you_do_not_belong_to(member):
    elsewhere = make_organization()
    with pytest.raises(ValidationFailed, match="your own organizations"):
        services.profile_update(
            actor=member, person=member, changes={"primary_organization": elsewhere}
        )


def test_only_self_or_staff_edit_a_profile(member, staff):
    other = make_user()
    with pytest.raises(PermissionRefused):
        services.profile_update(actor=other, person=member, changes={"title": "x"})
    services.profile_update(actor=staff, person=member, changes={"title": "Set by staff"})


def test_avatar_is_stored_under_a_generated_name(member):
    upload = SimpleUploadedFile("../../etc/passwd.png", png_bytes())
    services.avatar_set(actor=member, person=member, upload=upload)
    member.refresh_from_db()
    assert member.avatar.name.startswith("avatars/")
    assert "passwd" not in member.avatar.name
    old = member.avatar.name
    storage = member.avatar.storage
    services.avatar_set(actor=member, person=member, upload=None)
    member.refresh_from_db()
    assert not member.avatar
    assert storage.exists(old)  # deleted only after commit


def test_disguised_avatar_changes_nothing(member):
    upload = SimpleUploadedFile("photo.png", b"<html>not an image</html>")
    with pytest.raises(ValidationFailed):
        services.avatar_set(actor=member, person=member, upload=upload)
    member.refresh_from_db()
    assert not member.avatar


def test_roles_are_granted_by_staff_only(member, staff):
    with pytest.raises(PermissionRefused):
        services.role_grant(actor=member, person=member, role=Role.STAFF)
    services.role_grant(actor=staff, person=member, role=Role.INSTRUCTOR)
    assert Role.INSTRUCTOR in User.objects.get(pk=member.pk).role_set
    services.role_revoke(actor=staff, person=member, role=Role.INSTRUCTOR)
    assert Role.INSTRUCTOR not in User.objects.get(pk=member.pk).role_set


def test_verified_email_at_an_organization_domain_affiliates(db):
    organization = make_organization(email_domain="riverside.example")
    person = make_user(roles=(Role.PATIENT,), email="ana@riverside.example")
    services.affiliation_from_verified_email(user=person, email=person.email)
    person = User.objects.get(pk=person.pk)
    assert person.role_set == {Role.MEMBER}
    assert person.memberships.get().organization == organization


def test_api_tokens_are_hashed_and_revocable(member):
    issued = services.api_token_create(user=member, name="reporting")
    stored = ApiToken.objects.get()
    assert issued.raw not in (stored.token_hash, stored.prefix)
    assert services.api_token_authenticate(issued.raw) == member
    services.api_token_revoke(user=member, token_id=stored.pk)
    assert services.api_token_authenticate(issued.raw) is None
    assert services.api_token_authenticate("tsq_forged") is None


def test_someone_elses_token_cannot_be_revoked(member):
    token = services.api_token_create(user=member, name="mine").token
    with pytest.raises(NotFound):
        services.api_token_revoke(user=make_user(), token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_blank_token_name_is_refused(member):
    with pytest.raises(ValidationFailed):
        services.api_token_create(user=member, name="   ")


def test_account_delete_erases_personal_data(organization, leader, member):
    services.membership_add(actor=leader, organization=organization, email=member.email)
    services.api_token_create(user=member, name="x")
    services.avatar_set(
        actor=member, person=member, upload=SimpleUploadedFile("me.png", png_bytes())
    )
    email = member.email

    services.account_delete(user=member)

    member.refresh_from_db()
    assert not member.is_active
    assert member.deleted_at is not None
    assert member.email != email
    assert member.display_name == "Deleted account"
    assert not member.has_usable_password()
    assert not member.avatar
    assert not EmailAddress.objects.filter(email=email).exists()
    assert not member.memberships.exists()
    assert not member.api_tokens.exists()
    assert not member.roles.exists()
    assert AuditRecord.objects.filter(action="account.deleted", actor_id=member.pk).exists()
    assert audit_verify().is_intact


def test_account_export_holds_the_persons_data(organization, leader):
    data = selectors.account_export(user=leader)
    assert data["profile"]["email"] == leader.email
    assert data["organizations"] == [
        {
            "organization": organization.name,
            "role": "leader",
            "since": data["organizations"][0]["since"],
        }
    ]
    assert data["roles"] == ["member"]
    assert "token_hash" not in str(data)


def test_organization_create_needs_staff_and_valid_fields(staff, member):
    with pytest.raises(PermissionRefused):
        services.organization_create(actor=member, name="X", kind="clinic", country="US")
    with pytest.raises(Exception, match="country|kind"):
        services.organization_create(actor=staff, name="X", kind="castle", country="ZZ")
    first = services.organization_create(actor=staff, name="Same Name", kind="clinic", country="US")
    second = services.organization_create(
        actor=staff, name="Same Name", kind="clinic", country="US"
    )
    assert first.slug != second.slug


def test_staff_fixture_is_center_staff():
    from townsquare.accounts.permissions import is_center_staff

    assert is_center_staff(make_staff())


def test_roles_set_grants_and_revokes_with_an_audit_record_each(member, staff):
    services.roles_set(actor=staff, person=member, roles={Role.MEMBER, Role.STAFF, Role.COACH})
    person = User.objects.get(pk=member.pk)
    assert person.role_set == {Role.MEMBER, Role.STAFF, Role.COACH}
    assert person.is_staff  # center staff open the back office
    services.roles_set(actor=staff, person=member, roles={Role.MEMBER})
    person = User.objects.get(pk=member.pk)
    assert person.role_set == {Role.MEMBER}
    assert not person.is_staff
    actions = list(
        AuditRecord.objects.filter(target_id=str(member.pk), action__startswith="role.")
        .order_by("id")
        .values_list("action", "data")
    )
    assert actions == [
        ("role.granted", {"role": "coach"}),
        ("role.granted", {"role": "staff"}),
        ("role.revoked", {"role": "coach"}),
        ("role.revoked", {"role": "staff"}),
    ]


def test_roles_set_refuses_unknown_roles_and_changes_nothing(member, staff):
    with pytest.raises(ValidationFailed):
        services.roles_set(actor=staff, person=member, roles={Role.COACH, "wizard"})
    assert User.objects.get(pk=member.pk).role_set == {Role.MEMBER}


def test_staff_cannot_remove_their_own_staff_role(staff):
    with pytest.raises(Conflict, match="your own"):
        services.roles_set(actor=staff, person=staff, roles={Role.MEMBER})
    assert Role.STAFF in User.objects.get(pk=staff.pk).role_set
