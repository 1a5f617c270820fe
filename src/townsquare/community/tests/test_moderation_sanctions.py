"""Sanctions: warn, mute, unmute, ban and unban a person in a space; who may be sanctioned by whom;
and that each is logged, audited and told to the person once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from townsquare.accounts.tests.factories import make_staff
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.notifications.models import Notification, NotificationKind
from townsquare.notifications.services import notify

from ..models import (
    Follow,
    MembershipRole,
    MembershipStatus,
    ModerationAction,
    Space,
    SpaceMembership,
)
from ..permissions import can_join_space, can_post_in, can_react_in, can_read_space
from ..services import moderation as services
from ..services.publishing import post_create
from .factories import join, make_employee, make_moderator
from .support_moderation import audits, live_post, moderation_notices, staff_scene

pytestmark = pytest.mark.django_db


def _fresh(person):
    return type(person).objects.get(pk=person.pk)


def _membership(scene, person) -> SpaceMembership:
    return SpaceMembership.objects.get(space=scene.space, user=person)


def _membership_or_none(scene, person) -> SpaceMembership | None:
    return SpaceMembership.objects.filter(space=scene.space, user=person).first()


def test_a_warning_is_logged_audited_and_sent_with_its_reason():
    scene = staff_scene()

    record = services.person_warn(
        actor=scene.moderator, space=scene.space, person=scene.author, reason="Mind the tone."
    )

    assert (record.action, record.subject, record.reason) == (
        "warn",
        scene.author,
        "Mind the tone.",
    )
    [audit] = audits("community.moderation.warn")
    assert (audit.target_type, audit.target_id) == ("accounts.user", str(scene.author.pk))
    assert audit.data == {
        "space_id": scene.space.pk,
        "moderation_action_id": record.pk,
        "has_reason": True,
        "subject_id": scene.author.pk,
    }
    [notice] = moderation_notices(scene.author)
    assert notice.line == "A moderator warned you in Ward Seven: Mind the tone."
    assert notice.url == f"/community/s/{scene.space.slug}/"
    with pytest.raises(ValidationFailed):
        services.person_warn(
            actor=scene.moderator, space=scene.space, person=scene.author, reason=""
        )
    assert ModerationAction.objects.count() == 1


def test_a_muted_member_reads_and_reacts_but_may_not_post_until_it_is_lifted():
    scene = staff_scene()
    before = timezone.now()

    record = services.person_mute(
        actor=scene.moderator, space=scene.space, person=scene.author, days=7, reason="Cool off."
    )

    membership = _membership(scene, scene.author)
    assert membership.muted_until is not None
    assert (
        before + datetime.timedelta(days=7)
        <= membership.muted_until
        <= timezone.now() + datetime.timedelta(days=7)
    )
    assert record.until == membership.muted_until
    assert membership.sanction_reason == "Cool off."
    author = _fresh(scene.author)
    assert can_read_space(author, scene.space) is True
    assert can_react_in(author, scene.space) is True
    assert can_post_in(author, scene.space) is False
    with pytest.raises(PermissionRefused):
        post_create(actor=author, space=scene.space, body="Still here.")
    [notice] = moderation_notices(scene.author)
    assert notice.summary.startswith("muted you in Ward Seven until ")
    assert notice.summary.endswith(": Cool off.")
    assert audits("community.moderation.mute")[0].data["days"] == 7

    with pytest.raises(Conflict):
        services.person_mute(
            actor=scene.moderator, space=scene.space, person=scene.author, days=1, reason="Again."
        )

    services.person_unmute(actor=scene.moderator, space=scene.space, person=scene.author)
    assert can_post_in(_fresh(scene.author), scene.space) is True
    assert _membership(scene, scene.author).sanction_reason == ""
    with pytest.raises(Conflict):
        services.person_unmute(actor=scene.moderator, space=scene.space, person=scene.author)
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["unmute", "mute"]


def test_an_expired_mute_may_be_set_again():
    scene = staff_scene()
    SpaceMembership.objects.filter(space=scene.space, user=scene.author).update(
        muted_until=timezone.now() - datetime.timedelta(minutes=1)
    )

    services.person_mute(
        actor=scene.moderator, space=scene.space, person=scene.author, days=2, reason="Again."
    )

    muted_until = _membership(scene, scene.author).muted_until
    assert muted_until is not None
    assert muted_until > timezone.now()


@pytest.mark.parametrize("days", [0, -1, 366, None])
def test_a_mute_lasts_one_day_to_a_year(days):
    scene = staff_scene()
    with pytest.raises(ValidationFailed):
        services.person_sanction(
            actor=scene.moderator,
            space=scene.space,
            user_id=scene.author.pk,
            action="mute",
            days=days,
            reason="Reason.",
        )
    assert _membership(scene, scene.author).muted_until is None


def test_only_members_are_muted():
    scene = staff_scene()
    asking = make_employee()
    join(asking, scene.space, status=MembershipStatus.REQUESTED)

    with pytest.raises(Conflict):
        services.person_mute(
            actor=scene.moderator, space=scene.space, person=asking, days=3, reason="Hm."
        )


def test_a_ban_shuts_the_person_out_and_takes_back_their_notifications():
    scene = staff_scene()
    members_before = Space.objects.get(pk=scene.space.pk).member_count
    notify(
        recipient=scene.author,
        kind=NotificationKind.REPLY,
        summary="replied to your post in Ward Seven",
        url="/community/p/1/",
        scope=scene.space.scope,
    )

    record = services.person_ban(
        actor=scene.moderator, space=scene.space, person=scene.author, reason="Repeated abuse."
    )

    membership = _membership(scene, scene.author)
    assert (membership.status, membership.sanction_reason) == (
        MembershipStatus.BANNED,
        "Repeated abuse.",
    )
    assert Space.objects.get(pk=scene.space.pk).member_count == members_before - 1
    assert not Follow.objects.filter(follower=scene.author, space=scene.space).exists()
    author = _fresh(scene.author)
    assert can_read_space(author, scene.space) is False
    assert can_join_space(author, scene.space) is False
    assert can_post_in(author, scene.space) is False
    assert list(
        Notification.objects.filter(recipient=scene.author).values_list("summary", "scope")
    ) == [("banned you from Ward Seven: Repeated abuse.", "")]
    assert audits("community.moderation.ban")[0].data["previous_status"] == "active"
    assert record.subject == scene.author

    with pytest.raises(Conflict):
        services.person_ban(
            actor=scene.moderator, space=scene.space, person=scene.author, reason="Again."
        )
    with pytest.raises(Conflict):
        services.person_warn(
            actor=scene.moderator, space=scene.space, person=scene.author, reason="Hello?"
        )


def test_lifting_a_ban_lets_the_person_join_again_without_making_them_a_member():
    scene = staff_scene()
    services.person_ban(actor=scene.moderator, space=scene.space, person=scene.author, reason="X.")

    services.person_unban(actor=scene.moderator, space=scene.space, person=scene.author)

    assert _membership_or_none(scene, scene.author) is None
    author = _fresh(scene.author)
    assert can_join_space(author, scene.space) is True
    assert can_read_space(author, scene.space) is True  # an open space
    assert moderation_notices(scene.author)[-1].summary == (
        "lifted your ban from Ward Seven; you may join again"
    )
    with pytest.raises(Conflict):
        services.person_unban(actor=scene.moderator, space=scene.space, person=scene.author)


def test_someone_who_left_but_wrote_here_can_be_banned_before_they_return():
    scene = staff_scene()
    live_post(scene)
    SpaceMembership.objects.filter(space=scene.space, user=scene.author).delete()

    services.person_sanction(
        actor=scene.moderator,
        space=scene.space,
        user_id=scene.author.pk,
        action="ban",
        reason="Spam, again.",
    )

    assert _membership(scene, scene.author).status == MembershipStatus.BANNED
    assert audits("community.moderation.ban")[0].data["previous_status"] == ""


def test_a_stranger_to_the_space_is_not_found():
    scene = staff_scene()
    stranger = make_employee()
    with pytest.raises(NotFound):
        services.person_sanction(
            actor=scene.moderator,
            space=scene.space,
            user_id=stranger.pk,
            action="ban",
            reason="Pre-emptive.",
        )
    assert not SpaceMembership.objects.filter(user=stranger).exists()


def test_who_may_be_sanctioned_by_whom():
    scene = staff_scene()
    fellow = make_employee()
    join(fellow, scene.space, role=MembershipRole.MODERATOR)
    platform = make_moderator()
    join(platform, scene.space)
    staff = make_staff()

    with pytest.raises(PermissionRefused):
        services.person_warn(
            actor=scene.moderator, space=scene.space, person=scene.moderator, reason="Me."
        )
    with pytest.raises(PermissionRefused):
        services.person_ban(actor=scene.moderator, space=scene.space, person=fellow, reason="X.")
    with pytest.raises(PermissionRefused):
        services.person_ban(actor=scene.moderator, space=scene.space, person=platform, reason="X.")
    with pytest.raises(PermissionRefused):
        services.person_warn(
            actor=scene.reader, space=scene.space, person=scene.author, reason="X."
        )
    assert ModerationAction.objects.count() == 0

    services.person_ban(actor=staff, space=scene.space, person=fellow, reason="Abused the role.")
    membership = SpaceMembership.objects.get(space=scene.space, user=fellow)
    assert (membership.status, membership.role) == (MembershipStatus.BANNED, MembershipRole.MEMBER)


def test_an_unknown_sanction_is_refused():
    scene = staff_scene()
    with pytest.raises(ValidationFailed):
        services.person_sanction(
            actor=scene.moderator,
            space=scene.space,
            user_id=scene.author.pk,
            action="exile",
            reason="X.",
        )
