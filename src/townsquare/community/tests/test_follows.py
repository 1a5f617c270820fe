"""Following people and spaces: who may, what it costs them, and who is told (once)."""

from __future__ import annotations

import pytest

from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.errors import NotFound, PermissionRefused, ValidationFailed
from townsquare.notifications.models import Notification

from ..models import Follow, MembershipStatus, SpaceKind, SpaceVisibility
from ..services import people as services
from .factories import make_employee, make_moderator, make_patient, make_space
from .support_people import fresh, handle_of

pytestmark = pytest.mark.django_db


# Following people --------------------------------------------------------------------------------


def test_following_a_colleague_notifies_them_once_with_a_link_to_the_follower():
    ana, ben = make_employee(display_name="Ana Alvarez"), make_employee(display_name="Ben Berg")

    result = services.follow_person(actor=ana, person=ben)

    assert result.created is True
    assert Follow.objects.filter(follower=ana, followed_user=ben).count() == 1
    notification = Notification.objects.get(recipient=ben)
    assert notification.kind == "follow"
    assert notification.summary == "started following you"
    assert notification.actor_label == "Ana Alvarez"
    assert notification.url == f"/community/people/{handle_of(ana)}/"
    assert notification.dedupe_key == f"community.follow:{ana.pk}:{ben.pk}"


def test_following_again_changes_nothing_and_says_so():
    ana, ben = make_employee(), make_employee()
    services.follow_person(actor=ana, person=ben)

    again = services.follow_person(actor=ana, person=ben)

    assert again.created is False
    assert Follow.objects.filter(follower=ana, followed_user=ben).count() == 1
    assert Notification.objects.filter(recipient=ben).count() == 1


def test_follow_unfollow_follow_notifies_only_once():
    ana, ben = make_employee(), make_employee()
    services.follow_person(actor=ana, person=ben)
    assert services.unfollow_person(actor=ana, person=ben) is True
    assert not Follow.objects.filter(follower=ana, followed_user=ben).exists()

    result = services.follow_person(actor=ana, person=ben)

    assert result.created is True
    assert Follow.objects.filter(follower=ana, followed_user=ben).count() == 1
    assert Notification.objects.filter(recipient=ben, kind="follow").count() == 1


def test_two_followers_each_notify():
    ana, ben, cleo = make_employee(), make_employee(), make_employee()
    services.follow_person(actor=ana, person=cleo)
    services.follow_person(actor=ben, person=cleo)
    assert sorted(
        Notification.objects.filter(recipient=cleo).values_list("actor_id", flat=True)
    ) == sorted([ana.pk, ben.pk])


def test_unfollowing_someone_not_followed_is_false():
    ana, ben = make_employee(), make_employee()
    assert services.unfollow_person(actor=ana, person=ben) is False


def test_nobody_follows_themselves():
    ana = make_employee()
    with pytest.raises(ValidationFailed, match="cannot follow yourself"):
        services.follow_person(actor=ana, person=ana)
    assert not Follow.objects.exists()


def test_patients_cannot_follow_people_so_pseudonyms_stay_safe():
    patient = make_patient(pseudonym="Sunflower")
    other_patient = make_patient(pseudonym="Willow")
    clinician = make_employee()
    for person in (other_patient, clinician):
        with pytest.raises(NotFound):
            services.follow_person(actor=patient, person=person)
    assert not Follow.objects.exists()
    assert not Notification.objects.exists()


def test_colleagues_cannot_follow_a_patient_but_platform_moderators_may():
    patient = make_patient(pseudonym="Sunflower")
    with pytest.raises(NotFound):
        services.follow_person(actor=make_employee(), person=patient)
    moderator = make_moderator()

    services.follow_person(actor=moderator, person=patient)

    notification = Notification.objects.get(recipient=patient)
    # The patient may not open a moderator's profile: the link goes to their own follow page.
    assert notification.url == "/community/following/"


def test_a_professional_outside_the_community_cannot_follow():
    outside = make_user(display_name="No Org")  # a professional of no member organization
    with pytest.raises(NotFound):
        services.follow_person(actor=outside, person=make_employee())
    assert not Follow.objects.exists()


def test_an_inactive_person_is_not_followed_by_colleagues():
    ben = make_employee()
    ben.is_active = False
    ben.save(update_fields=["is_active"])
    with pytest.raises(NotFound):
        services.follow_person(actor=make_employee(), person=fresh(ben))


def test_staff_may_follow_anyone_visible_to_them():
    staff = make_staff()
    ben = make_employee()
    assert services.follow_person(actor=staff, person=ben).created is True


# Following spaces --------------------------------------------------------------------------------


def test_following_an_open_space_needs_no_membership_and_notifies_nobody():
    ana = make_employee()
    space = make_space()

    result = services.follow_space(actor=ana, space=space)

    assert result.created is True
    assert Follow.objects.filter(follower=ana, space=space).count() == 1
    assert not Notification.objects.exists()
    assert services.follow_space(actor=ana, space=space).created is False
    assert Follow.objects.filter(follower=ana, space=space).count() == 1


def test_a_private_space_is_followed_by_its_members_only():
    ana, member = make_employee(), make_employee()
    space = make_space(visibility=SpaceVisibility.PRIVATE, members=(member,))
    with pytest.raises(PermissionRefused, match="Join it first"):
        services.follow_space(actor=ana, space=space)
    assert not Follow.objects.filter(follower=ana).exists()
    services.unfollow_space(actor=member, space=space)
    assert services.follow_space(actor=member, space=space).created is True


def test_an_invite_only_space_is_not_found_by_those_not_invited():
    ana = make_employee()
    space = make_space(visibility=SpaceVisibility.INVITE_ONLY)
    with pytest.raises(NotFound):
        services.follow_space(actor=ana, space=space)


def test_the_other_network_space_is_not_found():
    patient = make_patient()
    with pytest.raises(NotFound):
        services.follow_space(actor=patient, space=make_space(kind=SpaceKind.STAFF))
    with pytest.raises(NotFound):
        services.follow_space(actor=make_employee(), space=make_space(kind=SpaceKind.PATIENT))


def test_a_banned_member_cannot_follow_but_can_unfollow():
    from .factories import join

    ana = make_employee()
    space = make_space(members=(ana,))
    join(ana, space, status=MembershipStatus.BANNED, follow=False)
    ana = fresh(ana)
    with pytest.raises(PermissionRefused):
        services.follow_space(actor=ana, space=space)
    assert services.unfollow_space(actor=ana, space=space) is True
    assert services.unfollow_space(actor=ana, space=space) is False


def test_following_a_space_refreshes_what_the_home_feed_reads():
    ana = make_employee()
    space = make_space()
    ana.__dict__["_community_readable_space_ids"] = []
    services.follow_space(actor=ana, space=space)
    assert "_community_readable_space_ids" not in ana.__dict__
