"""The spaces services: opening and editing spaces, joining with the guidelines, private spaces'
requests, invitations, leaving, moderators and removals: every rule and refusal."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from townsquare.accounts.tests.factories import make_organization
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from ..models import (
    Follow,
    MembershipRole,
    MembershipStatus,
    SpaceCategory,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from ..permissions import can_read_space, can_see_space
from ..selectors import spaces as selectors
from ..services import spaces as services
from .factories import (
    join,
    make_clinician,
    make_employee,
    make_moderator,
    make_patient,
    make_space,
)
from .support_spaces import (
    audited,
    follows,
    fresh,
    member_count,
    role_of,
    status_of,
    tell_about,
    told,
    told_in,
)

pytestmark = pytest.mark.django_db

OPEN, PRIVATE, INVITE_ONLY = (
    SpaceVisibility.OPEN,
    SpaceVisibility.PRIVATE,
    SpaceVisibility.INVITE_ONLY,
)


def create(actor, **fields):
    fields.setdefault("kind", SpaceKind.STAFF)
    fields.setdefault("name", "Night shift nurses")
    fields.setdefault("category", SpaceCategory.DEPARTMENT)
    return services.space_create(actor=actor, **fields)


# --- Opening a space -------------------------------------------------------------------------


def test_the_creator_becomes_the_first_moderator_and_follows_the_space():
    nurse = make_employee()
    space = create(nurse, description="For nights.", guidelines="Be kind.")
    assert space.slug == "night-shift-nurses"
    assert (status_of(nurse, space), role_of(nurse, space)) == ("active", "moderator")
    assert member_count(space) == 1
    assert follows(nurse, space)
    assert space.created_by == nurse
    assert audited("community.space.create") == [
        {"space_id": space.pk, "kind": "staff", "visibility": "open"}
    ]


def test_a_taken_slug_gets_a_number_and_a_name_without_letters_gets_space():
    nurse = make_employee()
    first = create(nurse)
    second = create(nurse)
    third = create(nurse)
    assert [first.slug, second.slug, third.slug] == [
        "night-shift-nurses",
        "night-shift-nurses-2",
        "night-shift-nurses-3",
    ]
    assert create(nurse, name="糖尿病").slug == "space"
    assert create(nurse, name="!!!").slug == "space-2"


def test_staff_network_members_open_staff_spaces_and_only_moderators_patient_groups():
    nurse, patient, moderator = make_employee(), make_patient(), make_moderator()
    with pytest.raises(PermissionRefused):
        create(nurse, kind=SpaceKind.PATIENT, category=SpaceCategory.CONDITION)
    with pytest.raises(PermissionRefused):
        create(patient, kind=SpaceKind.PATIENT, category=SpaceCategory.CONDITION)
    with pytest.raises(PermissionRefused):
        create(patient)
    group = create(moderator, kind=SpaceKind.PATIENT, category=SpaceCategory.CONDITION)
    assert group.kind == "patient"
    assert role_of(moderator, group) == "moderator"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "bad\x00name"}, "name"),
        ({"category": SpaceCategory.CONDITION}, "category"),
        ({"category": "nonsense"}, "category"),
        ({"visibility": "secret"}, "visibility"),
        ({"description": "d" * 4001}, "description"),
        ({"guidelines": "g" * 8001}, "guidelines"),
        ({"kind": "hospital"}, "kind"),
    ],
)
def test_invalid_spaces_are_refused_with_the_field_named(fields, field):
    nurse = make_employee()
    with pytest.raises(ValidationFailed) as refused:
        create(nurse, **fields)
    assert list(refused.value.field_errors) == [field]
    assert not SpaceMembership.objects.exists()


def test_a_space_is_run_by_an_organization_the_creator_belongs_to():
    nurse = make_employee()
    own = nurse.memberships.get().organization
    space = create(nurse, organization=own)
    assert space.organization == own
    with pytest.raises(ValidationFailed) as refused:
        create(nurse, organization=make_organization())
    assert list(refused.value.field_errors) == ["organization"]


# --- Editing, visibility and archiving -------------------------------------------------------


def test_a_moderator_edits_the_space_and_the_change_is_audited():
    nurse = make_employee()
    space = create(nurse)
    services.space_update(
        actor=nurse,
        space=space,
        fields={"name": "Nights", "guidelines": "No names of patients.", "requires_approval": True},
    )
    space.refresh_from_db()
    assert (space.name, space.guidelines, space.requires_approval) == (
        "Nights",
        "No names of patients.",
        True,
    )
    assert space.slug == "night-shift-nurses"  # links keep working
    assert audited("community.space.update")[-1]["fields"] == [
        "guidelines",
        "name",
        "requires_approval",
    ]


def test_editing_is_for_managers_only():
    owner, member, outsider = make_employee(), make_employee(), make_employee()
    space = create(owner)
    join(member, space)
    with pytest.raises(PermissionRefused):
        services.space_update(actor=member, space=space, fields={"name": "Mine"})
    hidden = make_space(visibility=INVITE_ONLY, moderators=(owner,))
    with pytest.raises(NotFound):
        services.space_update(actor=outsider, space=hidden, fields={"name": "Mine"})
    staff_moderator = make_moderator()
    services.space_update(actor=staff_moderator, space=space, fields={"name": "Checked"})
    space.refresh_from_db()
    assert space.name == "Checked"


def test_the_network_of_a_space_never_changes():
    nurse = make_employee()
    space = create(nurse)
    with pytest.raises(ValueError, match="kind"):
        services.space_update(actor=nurse, space=space, fields={"kind": "patient"})
    with pytest.raises(ValidationFailed):
        services.space_update(
            actor=nurse, space=space, fields={"category": SpaceCategory.CONDITION}
        )


def test_closing_an_open_space_takes_its_news_back_from_everyone_outside():
    owner, member, reader, staff_moderator = (
        make_employee(),
        make_employee(),
        make_employee(),
        make_moderator(),
    )
    space = make_space(moderators=(owner,), members=(member,))
    Follow.objects.create(follower=reader, space=space)
    for person in (member, reader, staff_moderator):
        tell_about(person, space)
    services.space_update(actor=owner, space=space, fields={"visibility": PRIVATE})
    assert told_in(member, space) == 1
    assert told_in(reader, space) == 0
    assert told_in(staff_moderator, space) == 1  # moderators of every space still read it
    assert follows(member, space)
    assert not follows(reader, space)
    record = audited("community.space.update")[-1]
    assert (record["visibility_from"], record["visibility_to"]) == ("open", "private")


def test_opening_a_private_space_lets_in_everyone_who_asked():
    owner, asker = make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,))
    services.membership_join(actor=asker, space=space, accept_guidelines=True)
    services.space_update(actor=owner, space=space, fields={"visibility": OPEN})
    assert status_of(asker, space) == "active"
    assert member_count(space) == 2
    assert follows(asker, space)
    assert told(asker, kind="access") == [
        f"You are now a member of {space.name}: it became open to everyone"
    ]


def test_an_archived_space_cannot_be_joined_and_can_come_back():
    owner, nurse = make_employee(), make_employee()
    space = make_space(moderators=(owner,))
    services.space_archive(actor=owner, space=space)
    with pytest.raises(Conflict):
        services.space_archive(actor=owner, space=space)
    with pytest.raises(PermissionRefused, match="archived"):
        services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    services.space_archive(actor=owner, space=space, archived=False)
    services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert status_of(nurse, space) == "active"
    assert [record["space_id"] for record in audited("community.space.archive")] == [space.pk]
    assert len(audited("community.space.unarchive")) == 1


def test_only_managers_archive():
    owner, member = make_employee(), make_employee()
    space = make_space(moderators=(owner,), members=(member,))
    with pytest.raises(PermissionRefused):
        services.space_archive(actor=member, space=space)


# --- Joining ---------------------------------------------------------------------------------


def test_joining_an_open_space_needs_the_guidelines_accepted():
    nurse = make_employee()
    space = make_space()
    with pytest.raises(ValidationFailed) as refused:
        services.membership_join(actor=nurse, space=space, accept_guidelines=False)
    assert list(refused.value.field_errors) == ["accept_guidelines"]
    assert status_of(nurse, space) == ""
    membership = services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert membership.status == "active"
    assert membership.guidelines_accepted_at is not None
    assert member_count(space) == 1
    assert follows(nurse, space)


def test_a_space_without_guidelines_needs_no_acceptance():
    nurse = make_employee()
    space = make_space(guidelines="")
    services.membership_join(actor=nurse, space=space, accept_guidelines=False)
    assert status_of(nurse, space) == "active"


def test_joining_twice_is_a_conflict_and_counts_once():
    nurse = make_employee()
    space = make_space()
    services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    with pytest.raises(Conflict):
        services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert member_count(space) == 1


def test_joining_a_private_space_asks_its_moderators():
    owner, second, nurse = make_employee(), make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner, second))
    membership = services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert membership.status == "requested"
    assert member_count(space) == 2
    assert not follows(nurse, space)
    assert not can_read_space(nurse, space)
    for moderator in (owner, second):
        assert told(moderator, kind="access") == [f"asked to join {space.name}"]
    with pytest.raises(Conflict, match="asked to join already"):
        services.membership_join(actor=nurse, space=space, accept_guidelines=True)


def test_an_invite_only_space_is_unknown_to_people_not_invited():
    nurse = make_employee()
    space = make_space(visibility=INVITE_ONLY)
    with pytest.raises(NotFound):
        services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert status_of(nurse, space) == ""


def test_people_outside_the_network_cannot_join():
    patient, nurse = make_patient(), make_employee()
    with pytest.raises(NotFound):
        services.membership_join(actor=patient, space=make_space(), accept_guidelines=True)
    group = make_space(kind=SpaceKind.PATIENT)
    with pytest.raises(NotFound):
        services.membership_join(actor=nurse, space=group, accept_guidelines=True)
    clinician = fresh(make_clinician())  # make_clinician's user keeps its unverified profile
    services.membership_join(actor=clinician, space=group, accept_guidelines=True)
    assert status_of(clinician, group) == "active"


def test_a_banned_person_cannot_join_again():
    nurse = make_employee()
    space = make_space()
    join(nurse, space, status=MembershipStatus.BANNED)
    with pytest.raises(PermissionRefused, match="banned"):
        services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert status_of(nurse, space) == "banned"


# --- Invitations -----------------------------------------------------------------------------


def test_an_invitation_by_email_shows_the_hidden_space_and_joining_accepts_it():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=INVITE_ONLY, moderators=(owner,))
    invitation = services.membership_invite(actor=owner, space=space, who=nurse.email.upper())
    assert (invitation.status, invitation.invited_by) == ("invited", owner)
    assert told(nurse, kind="access") == [f"invited you to join {space.name}"]
    assert can_see_space(fresh(nurse), space)
    assert not can_read_space(fresh(nurse), space)
    services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert status_of(nurse, space) == "active"
    assert follows(nurse, space)
    assert member_count(space) == 2
    assert [record["user_id"] for record in audited("community.membership.invite")] == [nurse.pk]


@pytest.mark.parametrize("form", ["@{handle}", "{handle}", "{upper}"])
def test_an_invitation_by_handle(form):
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=INVITE_ONLY, moderators=(owner,))
    handle = nurse.community_profile.handle
    who = form.format(handle=handle, upper=handle.upper())
    services.membership_invite(actor=owner, space=space, who=who)
    assert status_of(nurse, space) == "invited"


def test_invitations_only_reach_people_of_the_network_and_say_the_same_either_way():
    owner = make_employee()
    space = make_space(moderators=(owner,))
    answers = []
    for who in (make_patient().email, "nobody@example.org", "@nobody", "   "):
        with pytest.raises(ValidationFailed) as refused:
            services.membership_invite(actor=owner, space=space, who=who)
        answers.append(refused.value.field_errors["who"])
    assert answers[0] == answers[1] == answers[2]
    assert answers[0] == ["No one with that email or @handle can be invited to the staff network."]
    assert SpaceMembership.objects.filter(space=space).count() == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (MembershipStatus.ACTIVE, "They are a member already."),
        (MembershipStatus.INVITED, "They are invited already."),
        (MembershipStatus.REQUESTED, "They asked to join already: approve their request."),
        (MembershipStatus.BANNED, "They are banned from this space; lift the ban first."),
    ],
)
def test_inviting_someone_with_a_membership_is_a_conflict(status, message):
    owner, nurse = make_employee(), make_employee()
    space = make_space(moderators=(owner,))
    join(nurse, space, status=status)
    with pytest.raises(Conflict, match=message):
        services.membership_invite(actor=owner, space=space, who=nurse.email)
    assert status_of(nurse, space) == status


def test_only_managers_invite():
    owner, member, nurse = make_employee(), make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,), members=(member,))
    with pytest.raises(PermissionRefused):
        services.membership_invite(actor=member, space=space, who=nurse.email)
    hidden = make_space(visibility=INVITE_ONLY, moderators=(owner,))
    with pytest.raises(NotFound):
        services.membership_invite(actor=member, space=hidden, who=nurse.email)
    assert status_of(nurse, space) == status_of(nurse, hidden) == ""


def test_declining_an_invitation_hides_the_space_again_and_takes_the_news_back():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=INVITE_ONLY, moderators=(owner,))
    services.membership_invite(actor=owner, space=space, who=nurse.email)
    assert told_in(nurse, space) == 1
    services.invitation_decline(actor=nurse, space=space)
    assert status_of(nurse, space) == ""
    assert told_in(nurse, space) == 0
    assert not can_see_space(nurse, space)  # the same request: the cache was reset
    with pytest.raises(NotFound):
        services.invitation_decline(actor=nurse, space=space)


def test_declining_without_an_invitation_is_a_conflict():
    nurse = make_employee()
    space = make_space(members=(nurse,))
    with pytest.raises(Conflict):
        services.invitation_decline(actor=nurse, space=space)
    assert status_of(nurse, space) == "active"


# --- Requests --------------------------------------------------------------------------------


def test_approving_a_request_makes_a_member_who_follows_the_space():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,))
    request = services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    approved = services.membership_decide(actor=owner, membership=request, approve=True)
    assert approved is not None
    assert approved.status == "active"
    assert status_of(nurse, space) == "active"
    assert member_count(space) == 2
    assert follows(nurse, space)
    assert told(nurse, kind="access") == [f"approved your request to join {space.name}"]
    assert [record["user_id"] for record in audited("community.membership.approve")] == [nurse.pk]
    with pytest.raises(Conflict, match="decided already"):
        services.membership_decide(actor=owner, membership=request, approve=False)


def test_declining_a_request_removes_it_and_tells_the_person():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,))
    request = services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    tell_about(nurse, space)
    assert services.membership_decide(actor=owner, membership=request, approve=False) is None
    assert status_of(nurse, space) == ""
    assert member_count(space) == 1
    assert told(nurse, scope=space.scope) == [f"declined your request to join {space.name}"]
    assert len(audited("community.membership.decline")) == 1
    # They may ask again.
    services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert status_of(nurse, space) == "requested"


def test_only_managers_decide_requests():
    owner, member, nurse = make_employee(), make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,), members=(member,))
    request = services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    with pytest.raises(PermissionRefused):
        services.membership_decide(actor=member, membership=request, approve=True)
    assert status_of(nurse, space) == "requested"


def test_withdrawing_a_request():
    nurse = make_employee()
    space = make_space(visibility=PRIVATE)
    services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert services.membership_leave(actor=nurse, space=space) == "withdrawn"
    assert status_of(nurse, space) == ""


# --- Leaving ---------------------------------------------------------------------------------


def test_leaving_an_open_space_unfollows_it_and_keeps_the_news():
    nurse = make_employee()
    space = make_space(members=(nurse,))
    tell_about(nurse, space)
    assert services.membership_leave(actor=nurse, space=space) == "left"
    assert status_of(nurse, space) == ""
    assert member_count(space) == 0
    assert not follows(nurse, space)
    assert told_in(nurse, space) == 1
    assert can_read_space(nurse, space)  # open: still readable


def test_leaving_a_private_space_takes_its_news_back_and_resets_the_permission_cache():
    nurse = make_employee()
    space = make_space(visibility=PRIVATE, members=(nurse,))
    assert can_read_space(nurse, space)
    tell_about(nurse, space)
    services.membership_leave(actor=nurse, space=space)
    assert told_in(nurse, space) == 0
    assert not can_read_space(nurse, space)  # the same user object, the same request
    assert "_community_readable_space_ids" not in nurse.__dict__


def test_leaving_when_not_a_member_is_a_conflict():
    nurse = make_employee()
    with pytest.raises(Conflict):
        services.membership_leave(actor=nurse, space=make_space())


def test_a_banned_person_cannot_leave_to_clear_the_ban():
    nurse = make_employee()
    space = make_space()
    join(nurse, space, status=MembershipStatus.BANNED)
    with pytest.raises(PermissionRefused):
        services.membership_leave(actor=nurse, space=space)
    assert status_of(nurse, space) == "banned"


def test_a_muted_member_stays_until_the_mute_ends():
    nurse = make_employee()
    space = make_space(members=(nurse,))
    SpaceMembership.objects.filter(user=nurse).update(
        muted_until=timezone.now() + datetime.timedelta(days=3)
    )
    with pytest.raises(Conflict, match="muted"):
        services.membership_leave(actor=fresh(nurse), space=space)
    assert status_of(nurse, space) == "active"


def test_the_last_moderator_appoints_another_before_leaving():
    owner, member = make_employee(), make_employee()
    space = make_space(moderators=(owner,), members=(member,))
    with pytest.raises(Conflict, match="only moderator"):
        services.membership_leave(actor=owner, space=space)
    membership = SpaceMembership.objects.get(space=space, user=member)
    services.moderator_set(actor=owner, membership=membership, is_moderator=True)
    services.membership_leave(actor=owner, space=space)
    assert status_of(owner, space) == ""
    assert [record["user_id"] for record in audited("community.membership.moderator_left")] == [
        owner.pk
    ]


def test_a_moderator_alone_in_the_space_may_leave():
    owner = make_employee()
    space = make_space(moderators=(owner,))
    services.membership_leave(actor=owner, space=space)
    assert member_count(space) == 0


# --- Moderators ------------------------------------------------------------------------------


def test_appointing_and_dismissing_moderators_is_audited_and_told():
    owner, member = make_employee(), make_employee()
    space = make_space(moderators=(owner,), members=(member,))
    membership = SpaceMembership.objects.get(space=space, user=member)
    services.moderator_set(actor=owner, membership=membership, is_moderator=True)
    assert role_of(member, space) == "moderator"
    with pytest.raises(Conflict, match="moderator already"):
        services.moderator_set(actor=owner, membership=membership, is_moderator=True)
    services.moderator_set(actor=owner, membership=membership, is_moderator=False)
    assert role_of(member, space) == "member"
    assert [(r["role_from"], r["role_to"]) for r in audited("community.membership.role")] == [
        ("member", "moderator"),
        ("moderator", "member"),
    ]
    assert told(member, kind="access") == [
        f"made you a moderator of {space.name}",
        f"ended your role as a moderator of {space.name}",
    ]


def test_the_last_moderator_cannot_be_dismissed_by_a_space_moderator():
    owner = make_employee()
    space = make_space(moderators=(owner,))
    membership = SpaceMembership.objects.get(space=space, user=owner)
    with pytest.raises(Conflict, match="only moderator"):
        services.moderator_set(actor=owner, membership=membership, is_moderator=False)
    # The center's moderators look after every space, so they may.
    services.moderator_set(actor=make_moderator(), membership=membership, is_moderator=False)
    assert role_of(owner, space) == "member"


def test_only_members_become_moderators_and_only_managers_appoint():
    owner, member, nurse = make_employee(), make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,), members=(member,))
    request = services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    with pytest.raises(Conflict, match="Only members"):
        services.moderator_set(actor=owner, membership=request, is_moderator=True)
    membership = SpaceMembership.objects.get(space=space, user=member)
    with pytest.raises(PermissionRefused):
        services.moderator_set(actor=member, membership=membership, is_moderator=True)
    assert role_of(member, space) == "member"


def test_a_new_moderator_of_a_patient_group_sees_who_is_behind_pseudonyms():
    staff_moderator = make_moderator()
    writer = make_patient(pseudonym="Quiet Heron")
    helper = make_patient(pseudonym="Bright Finch")
    group = make_space(kind=SpaceKind.PATIENT, moderators=(staff_moderator,))
    join(writer, group)
    join(helper, group)

    def names_seen_by(viewer):
        rows = selectors.member_rows(
            viewer=viewer,
            space=group,
            memberships=selectors.memberships_of(group, MembershipStatus.ACTIVE),
        )
        return {row.label.name: row.label.real_name for row in rows}

    assert names_seen_by(fresh(helper))["Quiet Heron"] == ""
    membership = SpaceMembership.objects.get(space=group, user=helper)
    services.moderator_set(actor=staff_moderator, membership=membership, is_moderator=True)
    assert names_seen_by(fresh(helper))["Quiet Heron"] == writer.display_name


# --- Removing --------------------------------------------------------------------------------


def test_removing_a_member_of_a_private_space():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,), members=(nurse,))
    tell_about(nurse, space)
    membership = SpaceMembership.objects.get(space=space, user=nurse)
    services.member_remove(actor=owner, membership=membership, reason="Left the department")
    assert status_of(nurse, space) == ""
    assert member_count(space) == 1
    assert not follows(nurse, space)
    assert told_in(nurse, space) == 0
    assert told(nurse, kind="moderation") == [f"removed you from {space.name}: Left the department"]
    assert audited("community.membership.remove") == [
        {"space_id": space.pk, "user_id": nurse.pk, "role": "member", "has_reason": True}
    ]


def test_removing_an_invitation_takes_it_back():
    owner, nurse = make_employee(), make_employee()
    space = make_space(visibility=INVITE_ONLY, moderators=(owner,))
    invitation = services.membership_invite(actor=owner, space=space, who=nurse.email)
    services.member_remove(actor=owner, membership=invitation)
    assert status_of(nurse, space) == ""
    assert told_in(nurse, space) == 0
    assert not can_see_space(fresh(nurse), space)
    assert len(audited("community.membership.revoke_invitation")) == 1


def test_what_cannot_be_removed():
    owner, nurse, asker = make_employee(), make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,), members=(nurse,))
    own = SpaceMembership.objects.get(space=space, user=owner)
    with pytest.raises(Conflict, match="Leave"):
        services.member_remove(actor=owner, membership=own)
    request = services.membership_join(actor=asker, space=space, accept_guidelines=True)
    with pytest.raises(Conflict, match="decide requests"):
        services.member_remove(actor=owner, membership=request)
    member = SpaceMembership.objects.get(space=space, user=nurse)
    with pytest.raises(PermissionRefused):
        services.member_remove(actor=nurse, membership=own)
    with pytest.raises(ValidationFailed):
        services.member_remove(actor=owner, membership=member, reason="r" * 1001)
    assert status_of(nurse, space) == "active"


def test_a_removed_member_may_join_an_open_space_again():
    owner, nurse = make_employee(), make_employee()
    space = make_space(moderators=(owner,), members=(nurse,))
    services.member_remove(
        actor=owner, membership=SpaceMembership.objects.get(space=space, user=nurse)
    )
    services.membership_join(actor=nurse, space=space, accept_guidelines=True)
    assert status_of(nurse, space) == "active"
    assert member_count(space) == 2


# --- Selectors -------------------------------------------------------------------------------


def test_the_directory_shows_each_person_their_networks_and_hidden_spaces_only_when_invited():
    nurse, patient, staff_moderator = make_employee(), make_patient(), make_moderator()
    make_space(name="Alpha")
    make_space(name="Bravo", visibility=PRIVATE)
    staff_hidden = make_space(name="Charlie", visibility=INVITE_ONLY)
    make_space(name="Delta", kind=SpaceKind.PATIENT)
    make_space(name="Echo", archived_at=timezone.now())

    def names(viewer, **filters):
        spaces = selectors.space_list(viewer=viewer, filters=selectors.SpaceFilters(**filters))
        return [space.name for space in spaces]

    assert names(nurse) == ["Alpha", "Bravo"]
    assert names(patient) == ["Delta"]
    assert names(staff_moderator) == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert names(staff_moderator, archived=True) == ["Echo"]
    assert names(staff_moderator, kind="patient") == ["Delta"]
    assert names(staff_moderator, query="BRAV") == ["Bravo"]
    join(nurse, staff_hidden, status=MembershipStatus.INVITED)
    assert names(nurse) == ["Alpha", "Bravo", "Charlie"]
    assert names(nurse, mine=True) == ["Charlie"]
    listed = {
        space.name: vars(space)["viewer_status"] for space in selectors.space_list(viewer=nurse)
    }
    assert listed == {"Alpha": None, "Bravo": None, "Charlie": "invited"}


def test_non_managers_see_members_only():
    owner, member = make_employee(), make_employee()
    space = make_space(visibility=PRIVATE, moderators=(owner,), members=(member,))
    join(make_employee(), space, status=MembershipStatus.REQUESTED)
    assert selectors.space_members(viewer=owner, space=space, status="requested").count() == 1
    with pytest.raises(PermissionRefused):
        selectors.space_members(viewer=member, space=space, status="requested")
    assert [m.role for m in selectors.space_members(viewer=member, space=space)] == [
        MembershipRole.MODERATOR,
        MembershipRole.MEMBER,
    ]
    with pytest.raises(PermissionRefused):
        selectors.space_members(viewer=make_employee(), space=space)


def test_the_centers_moderators_join_private_spaces_without_asking():
    staff_moderator = make_moderator()
    space = make_space(visibility=PRIVATE, moderators=(make_employee(),))
    membership = services.membership_join(
        actor=staff_moderator, space=space, accept_guidelines=True
    )
    assert membership.status == "active"
    assert member_count(space) == 2


def test_a_join_racing_another_is_a_clear_conflict(monkeypatch):
    nurse = make_employee()
    space = make_space(members=(nurse,))
    # As if the row appeared between the check and the insert: the constraint catches it.
    monkeypatch.setattr(services, "_locked_membership", lambda space, person: None)
    with pytest.raises(Conflict, match="a moment ago"):
        services.membership_join(actor=fresh(nurse), space=space, accept_guidelines=True)
    assert member_count(space) == 1
    assert SpaceMembership.objects.filter(space=space).count() == 1
