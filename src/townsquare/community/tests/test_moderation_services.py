"""The moderation services: decisions about posts and comments, their log, audit and notices, and
that two moderators deciding at once never apply a decision twice."""

from __future__ import annotations

import pytest

from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from ..models import (
    Comment,
    ContentStatus,
    FlagStatus,
    HoldReason,
    ModerationAction,
    Post,
    Space,
    SpaceVisibility,
)
from ..permissions import can_see_post
from ..services import moderation as services
from ..services.posts import post_delete
from .factories import (
    join,
    make_comment,
    make_employee,
    make_moderator,
    make_post,
    make_space,
)
from .support_moderation import (
    PHI_TEXT,
    audit_text,
    audits,
    flagged,
    fresh,
    held_post,
    live_post,
    moderation_notices,
    phi_comment,
    phi_post,
    staff_scene,
)

pytestmark = pytest.mark.django_db


def _post_count(space: Space) -> int:
    return Space.objects.get(pk=space.pk).post_count


# --- Approve and reject held posts -----------------------------------------------------------


def test_approving_a_held_post_publishes_it_logs_audits_and_tells_the_author():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)
    assert _post_count(scene.space) == 0

    record = services.content_approve(actor=scene.moderator, target=post)

    post = fresh(post)
    assert (post.status, post.hold_reason) == (ContentStatus.PUBLISHED, "")
    assert post.published_at is not None
    assert (post.moderated_by, post.moderation_reason) == (scene.moderator, "")
    assert _post_count(scene.space) == 1
    assert (record.action, record.post, record.subject, record.moderator) == (
        "approve",
        post,
        scene.author,
        scene.moderator,
    )
    [audit] = audits("community.moderation.approve")
    assert audit.actor_id == scene.moderator.pk
    assert (audit.target_type, audit.target_id) == ("community.post", str(post.pk))
    assert audit.data == {
        "space_id": scene.space.pk,
        "moderation_action_id": record.pk,
        "has_reason": False,
        "post_id": post.pk,
        "subject_id": scene.author.pk,
        "from_status": "pending",
        "to_status": "published",
        "hold_reason": "approval",
        "phi_kinds": [],
        "flags_resolved": 0,
    }
    [notice] = moderation_notices(scene.author)
    assert notice.line == "A moderator approved your post in Ward Seven"
    assert notice.url == f"/community/p/{post.pk}/"


def test_rejecting_needs_a_reason_and_changes_nothing_without_one():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)

    with pytest.raises(ValidationFailed) as refused:
        services.content_reject(actor=scene.moderator, target=post, reason="  ")

    assert refused.value.field_errors == {
        "reason": ["Give a reason for this post: the person concerned reads it."]
    }
    assert fresh(post).status == ContentStatus.PENDING
    assert ModerationAction.objects.count() == 0
    assert audits("community.moderation.reject") == []


def test_rejecting_a_held_post_keeps_it_off_and_tells_the_author_why():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)

    services.content_reject(
        actor=scene.moderator, target=post, reason="Please post rota swaps in #rota instead."
    )

    post = fresh(post)
    assert post.status == ContentStatus.REMOVED
    assert post.moderation_reason == "Please post rota swaps in #rota instead."
    assert post.moderated_by == scene.moderator
    assert _post_count(scene.space) == 0
    assert can_see_post(scene.author, post) is True
    assert can_see_post(scene.reader, post) is False
    [notice] = moderation_notices(scene.author)
    assert notice.line == (
        "A moderator declined your post in Ward Seven: Please post rota swaps in #rota instead."
    )


def test_a_privacy_hold_shows_its_kinds_and_is_audited_without_the_text():
    scene = staff_scene()
    post = phi_post(scene)
    assert post.phi_kinds == ["mrn"]

    services.content_reject(actor=scene.moderator, target=post, reason="Remove the MRN, please.")

    [audit] = audits("community.moderation.reject")
    assert audit.data["hold_reason"] == HoldReason.PHI
    assert audit.data["phi_kinds"] == ["mrn"]
    text = audit_text()
    assert "12345678" not in text
    assert "Handover for the patient" not in text
    assert "Remove the MRN" not in text  # the reason stays in the space's log


def test_a_space_moderator_cannot_clear_the_privacy_hold_of_their_own_post():
    scene = staff_scene()
    post = live_post(scene)
    held = make_post(scene.moderator, scene.space, title="Mine", body=PHI_TEXT)
    assert held.hold_reason == HoldReason.PHI

    with pytest.raises(PermissionRefused):
        services.content_approve(actor=scene.moderator, target=held)

    assert fresh(held).status == ContentStatus.PENDING
    other = make_moderator()
    services.content_approve(actor=other, target=held)
    assert fresh(held).status == ContentStatus.PUBLISHED
    assert fresh(post).status == ContentStatus.PUBLISHED


# --- Hide, restore, remove and flags ---------------------------------------------------------


def test_hiding_takes_a_post_down_upholds_its_flags_and_tells_author_and_reporters():
    scene = staff_scene()
    post = live_post(scene, body="Nobody on nights knows what they are doing.")
    flags = flagged(scene, post, count=2)
    assert _post_count(scene.space) == 1

    record = services.content_hide(actor=scene.moderator, target=post, reason="Be respectful.")

    post = fresh(post)
    assert post.status == ContentStatus.HIDDEN
    assert _post_count(scene.space) == 0
    assert can_see_post(scene.reader, post) is False
    assert can_see_post(scene.author, post) is True
    assert [fresh(flag).status for flag in flags] == [FlagStatus.UPHELD, FlagStatus.UPHELD]
    assert fresh(flags[0]).resolved_by == scene.moderator
    assert audits("community.moderation.hide")[0].data["flags_resolved"] == 2
    assert record.reason == "Be respectful."
    [notice] = moderation_notices(scene.author)
    assert notice.line == "A moderator hid your post in Ward Seven: Be respectful."
    for reporter in scene.reporters[:2]:
        [told] = [n for n in moderation_notices(reporter) if "acted on" in n.summary]
        assert told.line == "A moderator acted on the post you flagged in Ward Seven"
        assert told.url == f"/community/s/{scene.space.slug}/"
    assert "Nobody on nights" not in audit_text()


def test_restoring_puts_a_hidden_post_back_and_counts_it_once():
    scene = staff_scene()
    post = live_post(scene)
    services.content_hide(actor=scene.moderator, target=post, reason="Checking a complaint.")

    services.content_restore(actor=scene.moderator, target=post, reason="All fine.")

    post = fresh(post)
    assert post.status == ContentStatus.PUBLISHED
    assert post.moderation_reason == "All fine."
    assert _post_count(scene.space) == 1
    assert [n.summary for n in moderation_notices(scene.author)] == [
        "hid your post in Ward Seven: Checking a complaint.",
        "restored your post in Ward Seven: All fine.",
    ]


def test_removing_a_live_post_and_restoring_a_mistake():
    scene = staff_scene()
    post = live_post(scene)

    services.content_remove(actor=scene.moderator, target=post, reason="Advertising.")
    assert fresh(post).status == ContentStatus.REMOVED
    assert _post_count(scene.space) == 0

    services.content_restore(actor=scene.moderator, target=post)
    assert fresh(post).status == ContentStatus.PUBLISHED
    assert _post_count(scene.space) == 1
    assert list(ModerationAction.objects.values_list("action", flat=True)) == [
        "restore",
        "remove",
    ]


def test_dismissing_flags_leaves_the_content_and_a_second_dismissal_conflicts():
    scene = staff_scene()
    post = live_post(scene)
    flags = flagged(scene, post, count=2)

    services.flags_dismiss(actor=scene.moderator, target=post, reason="Fair criticism.")

    assert fresh(post).status == ContentStatus.PUBLISHED
    assert [fresh(flag).status for flag in flags] == [FlagStatus.DISMISSED] * 2
    told = [n for n in moderation_notices(scene.reporters[0]) if "left it up" in n.summary]
    assert told[0].line == (
        "A moderator reviewed the post you flagged in Ward Seven and left it up"
    )
    assert told[0].url == f"/community/p/{post.pk}/"
    assert moderation_notices(scene.author) == []  # nothing happened to the author's post
    with pytest.raises(Conflict):
        services.flags_dismiss(actor=scene.moderator, target=post)
    assert ModerationAction.objects.filter(action="dismiss").count() == 1


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("approve", ContentStatus.PUBLISHED),
        ("reject", ContentStatus.PUBLISHED),
        ("hide", ContentStatus.PENDING),
        ("restore", ContentStatus.PUBLISHED),
        ("restore", ContentStatus.PENDING),
        ("remove", ContentStatus.REMOVED),
    ],
)
def test_a_decision_that_does_not_fit_the_status_is_a_conflict(action, status):
    scene = staff_scene(requires_approval=status == ContentStatus.PENDING)
    if status == ContentStatus.PENDING:
        post = held_post(scene)
    else:
        post = live_post(scene)
        if status == ContentStatus.REMOVED:
            services.content_remove(actor=scene.moderator, target=post, reason="Spam.")
    before = ModerationAction.objects.count()

    with pytest.raises(Conflict):
        services.content_decide(
            actor=scene.moderator,
            space=scene.space,
            target_type="post",
            target_id=post.pk,
            action=action,
            reason="A reason.",
        )

    assert fresh(post).status == status
    assert ModerationAction.objects.count() == before


# --- Two moderators at once ------------------------------------------------------------------


def test_two_moderators_approving_the_same_post_publish_it_once():
    scene = staff_scene(requires_approval=True)
    second = make_employee()
    join(second, scene.space, role="moderator")
    post = held_post(scene)
    seen_by_first, seen_by_second = fresh(post), fresh(post)  # both pages showed it held

    services.content_approve(actor=scene.moderator, target=seen_by_first)
    with pytest.raises(Conflict) as late:
        services.content_approve(actor=second, target=seen_by_second)

    assert "another moderator" in late.value.message
    assert _post_count(scene.space) == 1
    assert ModerationAction.objects.count() == 1
    assert len(audits("community.moderation.approve")) == 1
    assert len(moderation_notices(scene.author)) == 1


def test_a_rejection_after_an_approval_of_the_same_held_post_is_refused():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)
    first, second = fresh(post), fresh(post)

    services.content_approve(actor=scene.moderator, target=first)
    with pytest.raises(Conflict):
        services.content_reject(actor=make_moderator(), target=second, reason="Off topic.")

    assert fresh(post).status == ContentStatus.PUBLISHED
    assert _post_count(scene.space) == 1
    assert list(ModerationAction.objects.values_list("action", flat=True)) == ["approve"]


def test_a_hide_after_the_author_deleted_the_post_is_refused():
    scene = staff_scene()
    post = live_post(scene)
    stale = fresh(post)
    post_delete(actor=scene.author, post=post)

    with pytest.raises(Conflict) as late:
        services.content_hide(actor=scene.moderator, target=stale, reason="Rude.")

    assert "deleted by its author" in late.value.message
    assert fresh(post).status == ContentStatus.DELETED
    assert ModerationAction.objects.count() == 0


# --- Comments --------------------------------------------------------------------------------


def test_approving_a_held_comment_publishes_it_and_counts_it():
    scene = staff_scene()
    post = live_post(scene)
    comment = phi_comment(scene, post)
    assert Post.objects.get(pk=post.pk).comment_count == 0

    services.content_approve(actor=scene.moderator, target=comment)

    assert fresh(comment).status == ContentStatus.PUBLISHED
    assert Post.objects.get(pk=post.pk).comment_count == 1
    [notice] = moderation_notices(scene.author)
    assert notice.line == "A moderator approved your comment in Ward Seven"
    assert notice.url == f"/community/p/{post.pk}/?comment={comment.pk}#comment-{comment.pk}"


def test_hiding_a_comment_and_a_comment_whose_post_is_gone_cannot_come_back():
    scene = staff_scene()
    post = live_post(scene)
    comment = make_comment(scene.reader, post)
    services.content_hide(actor=scene.moderator, target=comment, reason="Personal attack.")
    assert fresh(comment).status == ContentStatus.HIDDEN
    assert Post.objects.get(pk=post.pk).comment_count == 0
    assert audits("community.moderation.hide")[0].data["comment_id"] == comment.pk

    services.content_remove(actor=scene.moderator, target=post, reason="Thread closed.")
    with pytest.raises(Conflict):
        services.content_restore(actor=scene.moderator, target=fresh(comment))
    assert fresh(comment).status == ContentStatus.HIDDEN


# --- Who may decide --------------------------------------------------------------------------


def test_members_may_not_decide_and_outsiders_of_a_hidden_space_are_told_nothing():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)
    with pytest.raises(PermissionRefused):
        services.content_approve(actor=scene.reader, target=post)

    hidden = make_space(
        visibility=SpaceVisibility.INVITE_ONLY,
        moderators=(scene.moderator,),
        members=(scene.author,),
        requires_approval=True,
    )
    secret = make_post(scene.author, hidden, title="Secret")
    assert secret.status == ContentStatus.PENDING
    with pytest.raises(NotFound):
        services.content_approve(actor=scene.reader, target=secret)
    assert fresh(post).status == fresh(secret).status == ContentStatus.PENDING
    assert ModerationAction.objects.count() == 0


def test_center_staff_and_platform_moderators_moderate_every_staff_space():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)

    services.content_approve(actor=make_moderator(), target=post)

    assert fresh(post).status == ContentStatus.PUBLISHED


def test_decide_looks_for_the_target_in_the_space_only():
    scene = staff_scene()
    other = staff_scene()
    post = live_post(other)

    with pytest.raises(NotFound):
        services.content_decide(
            actor=scene.moderator,
            space=scene.space,
            target_type="post",
            target_id=post.pk,
            action="hide",
            reason="Nope.",
        )
    with pytest.raises(ValidationFailed):
        services.content_decide(
            actor=scene.moderator,
            space=scene.space,
            target_type="post",
            target_id=post.pk,
            action="explode",
        )
    assert fresh(post).status == ContentStatus.PUBLISHED
    assert Comment.objects.count() == 0
