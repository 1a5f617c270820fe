"""Reactions: toggled, counted with F(), one per person and kind (the constraint), the author told
once per post or comment, and only members of the space react."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from townsquare.core.errors import PermissionRefused, ValidationFailed
from townsquare.notifications.models import NotificationKind

from ..models import Comment, ContentStatus, Post, Reaction
from ..selectors.posts import reaction_bar_of
from ..services.posts import reaction_add, reaction_remove, reaction_toggle
from .factories import join, make_comment, make_post
from .support_posts import notifications_of, patient_cast, staff_cast

pytestmark = pytest.mark.django_db


def test_toggling_adds_then_takes_back():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    assert reaction_toggle(actor=cast.colleague, target=post, kind="like") is True
    assert Post.objects.get(pk=post.pk).reaction_count == 1
    assert reaction_toggle(actor=cast.colleague, target=post, kind="like") is False
    assert Post.objects.get(pk=post.pk).reaction_count == 0
    assert Reaction.objects.count() == 0


def test_kinds_count_apart_and_the_bar_says_which_are_mine():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    reaction_add(actor=cast.colleague, target=post, kind="like")
    reaction_add(actor=cast.colleague, target=post, kind="thanks")
    reaction_add(actor=cast.moderator, target=post, kind="like")
    assert Post.objects.get(pk=post.pk).reaction_count == 3
    bar = {r.kind: (r.count, r.mine) for r in reaction_bar_of(cast.colleague, post)}
    assert bar == {
        "like": (2, True),
        "support": (0, False),
        "celebrate": (0, False),
        "insightful": (0, False),
        "thanks": (1, True),
    }


def test_adding_twice_changes_nothing():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    assert reaction_add(actor=cast.colleague, target=post, kind="like") is True
    assert reaction_add(actor=cast.colleague, target=post, kind="like") is False
    assert Post.objects.get(pk=post.pk).reaction_count == 1
    assert reaction_remove(actor=cast.colleague, target=post, kind="like") is True
    assert reaction_remove(actor=cast.colleague, target=post, kind="like") is False
    assert Post.objects.get(pk=post.pk).reaction_count == 0


def test_the_author_is_told_once_per_post_whoever_reacts():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    reaction_toggle(actor=cast.colleague, target=post, kind="like")
    reaction_toggle(actor=cast.colleague, target=post, kind="like")
    reaction_toggle(actor=cast.colleague, target=post, kind="like")
    reaction_toggle(actor=cast.moderator, target=post, kind="thanks")
    (told,) = notifications_of(cast.author, NotificationKind.REACTION)
    assert told.summary == f"reacted to your post in {cast.space.name}"
    assert told.url == f"/community/p/{post.pk}/"


def test_reacting_to_your_own_post_tells_nobody():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    reaction_add(actor=cast.author, target=post, kind="celebrate")
    assert notifications_of(cast.author) == []


def test_a_comment_reaction_counts_on_the_comment_and_names_the_pseudonym():
    cast = patient_cast()
    post = make_post(cast.peer, cast.space)
    comment = make_comment(cast.peer, post)
    reaction_add(actor=cast.author, target=comment, kind="support")
    assert Comment.objects.get(pk=comment.pk).reaction_count == 1
    assert Post.objects.get(pk=post.pk).reaction_count == 0
    (told,) = notifications_of(cast.peer, NotificationKind.REACTION)
    assert told.summary == f"reacted to your comment in {cast.space.name}"
    assert told.actor_label == "SugarFree"


@pytest.mark.parametrize("case", ["outsider", "unpublished post", "unpublished comment"])
def test_reacting_where_one_may_not_is_refused(case):
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    comment = make_comment(cast.author, post)
    target = post
    actor = cast.colleague
    if case == "outsider":
        actor = cast.outsider
    elif case == "unpublished post":
        Post.objects.filter(pk=post.pk).update(status=ContentStatus.HIDDEN)
        post.refresh_from_db()
    else:
        Comment.objects.filter(pk=comment.pk).update(status=ContentStatus.HIDDEN)
        comment.refresh_from_db()
        target = comment
    with pytest.raises(PermissionRefused):
        reaction_toggle(actor=actor, target=target, kind="like")
    assert Reaction.objects.count() == 0


def test_an_unknown_kind_is_refused():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    with pytest.raises(ValidationFailed):
        reaction_toggle(actor=cast.colleague, target=post, kind="angry")


def test_a_muted_member_may_still_react():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    membership = join(cast.colleague, cast.space)
    membership.muted_until = timezone.now() + datetime.timedelta(days=1)
    membership.save(update_fields=["muted_until"])
    cast.colleague.__dict__.pop("_community_memberships", None)
    assert reaction_toggle(actor=cast.colleague, target=post, kind="like") is True
