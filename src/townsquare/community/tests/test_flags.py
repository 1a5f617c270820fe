"""Flagging posts and comments: the service, the page and the API; and the automatic hide once
enough members flag the same thing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from townsquare.conftest import signed_in
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from ..models import ContentStatus, Flag, FlagStatus, ModerationAction, SpaceVisibility
from ..selectors.moderation import moderation_queue
from ..services import moderation as services
from .factories import make_comment, make_employee, make_post, make_space
from .support_moderation import (
    audit_text,
    audits,
    flagged,
    fresh,
    held_post,
    live_post,
    moderation_notices,
    patient_scene,
    staff_scene,
)

pytestmark = pytest.mark.django_db


# --- The service -----------------------------------------------------------------------------


def test_a_flag_is_kept_audited_and_the_moderators_are_told_without_the_text():
    scene = staff_scene()
    post = live_post(scene, body="Buy my supplements at example.shop!")

    flag = services.flag_create(
        actor=scene.reader, target=post, reason="advertising", note="Third time this week."
    )

    assert (flag.space, flag.post, flag.reporter, flag.status) == (
        scene.space,
        post,
        scene.reader,
        FlagStatus.OPEN,
    )
    assert flag.note == "Third time this week."
    [audit] = audits("community.moderation.flag")
    assert audit.data == {
        "space_id": scene.space.pk,
        "flag_id": flag.pk,
        "reason": "advertising",
        "has_note": True,
    }
    [notice] = moderation_notices(scene.moderator)
    assert notice.line == "A member flagged a post in Ward Seven for review"
    assert notice.url == f"/community/s/{scene.space.slug}/moderation/"
    assert moderation_notices(scene.author) == []  # the author is not told who flagged
    text = audit_text()
    assert "supplements" not in text
    assert "Third time" not in text


def test_flagging_the_same_post_twice_is_a_conflict_and_changes_nothing():
    scene = staff_scene()
    post = live_post(scene)
    services.flag_create(actor=scene.reader, target=post, reason="off_topic")

    with pytest.raises(Conflict) as twice:
        services.flag_create(actor=scene.reader, target=post, reason="harassment")

    assert twice.value.message == "You have already flagged this post; the moderators have it."
    assert list(Flag.objects.values_list("reason", flat=True)) == ["off_topic"]
    assert len(audits("community.moderation.flag")) == 1


def test_a_flag_slipping_past_the_check_meets_the_constraint(monkeypatch):
    scene = staff_scene()
    post = live_post(scene)
    services.flag_create(actor=scene.reader, target=post, reason="off_topic")
    monkeypatch.setattr(services, "has_flagged", lambda *args: False)

    with pytest.raises(Conflict):
        services.flag_create(actor=scene.reader, target=post, reason="harassment")

    assert Flag.objects.count() == 1


def test_the_constraint_itself_refuses_a_second_flag():
    scene = staff_scene()
    post = live_post(scene)
    services.flag_create(actor=scene.reader, target=post, reason="off_topic")
    with pytest.raises(IntegrityError):
        Flag.objects.create(space=scene.space, reporter=scene.reader, post=post, reason="other")


def test_one_may_not_flag_ones_own_post():
    scene = staff_scene()
    post = live_post(scene)

    with pytest.raises(PermissionRefused) as refused:
        services.flag_create(actor=scene.author, target=post, reason="other")

    assert refused.value.message == (
        "You cannot flag what you wrote yourself; edit or delete it instead."
    )
    assert Flag.objects.count() == 0


@pytest.mark.parametrize(("reason", "note"), [("", ""), ("spam", ""), ("other", "x" * 1001)])
def test_a_flag_needs_a_known_reason_and_a_short_note(reason, note):
    scene = staff_scene()
    post = live_post(scene)

    with pytest.raises(ValidationFailed):
        services.flag_create(actor=scene.reader, target=post, reason=reason, note=note)

    assert Flag.objects.count() == 0


def test_what_one_may_not_see_cannot_be_flagged():
    scene = staff_scene(visibility=SpaceVisibility.PRIVATE)
    post = live_post(scene)
    outsider = make_employee()

    with pytest.raises(NotFound):
        services.flag_create(actor=outsider, target=post, reason="other")

    held_space = make_space(members=(scene.author, scene.reader), requires_approval=True)
    held = make_post(scene.author, held_space, title="Held")
    with pytest.raises(NotFound):
        services.flag_create(actor=scene.reader, target=held, reason="other")
    assert Flag.objects.count() == 0


def test_a_comment_under_a_hidden_post_cannot_be_flagged():
    scene = staff_scene()
    post = live_post(scene)
    comment = make_comment(scene.reader, post)
    services.content_hide(actor=scene.moderator, target=post, reason="Checking.")

    with pytest.raises(NotFound):
        services.flag_create(actor=scene.reporters[0], target=fresh(comment), reason="other")

    assert Flag.objects.count() == 0


def test_a_comment_flag_belongs_to_its_space():
    scene = staff_scene()
    comment = make_comment(scene.author, live_post(scene))

    flag = services.flag_create(actor=scene.reader, target=comment, reason="medical_advice")

    assert (flag.space, flag.comment, flag.post) == (scene.space, comment, None)
    [notice] = moderation_notices(scene.moderator)
    assert notice.summary == "flagged a comment in Ward Seven for review"


# --- Hidden once enough members flag it ------------------------------------------------------


def test_three_flags_hide_a_post_until_a_moderator_reviews_it():
    scene = staff_scene()
    post = live_post(scene)

    flagged(scene, post, count=2)
    assert fresh(post).status == ContentStatus.PUBLISHED
    flagged_last = services.flag_create(actor=scene.reporters[2], target=post, reason="privacy")

    post = fresh(post)
    assert post.status == ContentStatus.HIDDEN
    assert post.moderation_reason == services.AUTO_HIDE_REASON
    assert fresh(flagged_last).status == FlagStatus.OPEN  # still waiting for a moderator
    [action] = ModerationAction.objects.all()
    assert (action.action, action.moderator, action.subject) == ("hide", None, scene.author)
    [audit] = audits("community.moderation.hide")
    assert audit.actor_id is None
    assert audit.data["automatic"] is True
    assert audit.data["open_flags"] == 3
    [notice] = moderation_notices(scene.author)
    assert notice.line == (
        "The community hid your post in Ward Seven until a moderator reviews it "
        "(several members flagged it)"
    )
    [item] = moderation_queue(scene.moderator, scene.space).items
    assert item.obj == post
    assert item.actions == ["restore", "remove", "dismiss"]

    services.content_restore(actor=scene.moderator, target=post, reason="Nothing wrong here.")
    assert fresh(post).status == ContentStatus.PUBLISHED
    assert set(Flag.objects.values_list("status", flat=True)) == {FlagStatus.DISMISSED}


# --- The page --------------------------------------------------------------------------------


def test_the_flag_page_asks_for_a_reason_and_shows_the_patient_guidelines():
    scene = patient_scene()
    post = live_post(scene, title="What helped me", kind="question")

    response = signed_in(scene.reader).get(f"/community/flag/?post={post.pk}")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Flag a post</h1>" in page
    assert "Share your story, not medical advice." in page
    assert "No diagnosing others." in page
    assert "No advertising." in page
    assert "Bluebird" in page
    assert "Paula Private" not in page  # the reader may not know who writes as Bluebird
    assert 'value="medical_advice"' in page
    assert "Gives medical advice or diagnoses someone" in page


def test_flagging_through_the_page_then_again():
    scene = staff_scene()
    post = live_post(scene)
    client = signed_in(scene.reader)

    response = client.post(
        "/community/flag/", {"post": post.pk, "reason": "harassment", "note": "Rude."}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/community/p/{post.pk}/"
    assert Flag.objects.get().note == "Rude."
    again = client.post("/community/flag/", {"post": post.pk, "reason": "other"})
    assert again.status_code == 409
    assert "You have already flagged this post" in again.content.decode()
    assert Flag.objects.count() == 1
    shown = client.get(f"/community/flag/?post={post.pk}")
    assert "You have flagged this already" in shown.content.decode()


def test_flagging_a_comment_through_the_page_returns_to_the_comment():
    scene = staff_scene()
    post = live_post(scene)
    comment = make_comment(scene.author, post)

    response = signed_in(scene.reader).post(
        "/community/flag/", {"comment": comment.pk, "reason": "medical_advice"}
    )

    assert response.status_code == 302
    assert (
        response["Location"] == f"/community/p/{post.pk}/?comment={comment.pk}#comment-{comment.pk}"
    )


@pytest.mark.parametrize(
    ("query", "status"), [("", 404), ("?post=0", 404), ("?post=999999", 404), ("?comment=x", 404)]
)
def test_the_flag_page_needs_a_visible_target(query, status):
    scene = staff_scene()
    assert signed_in(scene.reader).get(f"/community/flag/{query}").status_code == status


def test_the_flag_page_refuses_ones_own_post_and_a_missing_reason():
    scene = staff_scene()
    post = live_post(scene)

    assert signed_in(scene.author).get(f"/community/flag/?post={post.pk}").status_code == 403
    response = signed_in(scene.reader).post("/community/flag/", {"post": post.pk})
    assert response.status_code == 422
    assert Flag.objects.count() == 0


# --- The API ---------------------------------------------------------------------------------


def test_flagging_through_the_api():
    scene = staff_scene()
    post = live_post(scene)
    comment = make_comment(scene.author, post)
    client = signed_in(scene.reader)

    response = client.post(
        f"/api/v1/community/posts/{post.pk}/flags",
        {"reason": "misinformation", "note": "Not what the guideline says."},
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["target_type"] == "post"
    assert body["target_id"] == post.pk
    assert body["reason"] == "misinformation"
    assert body["status"] == "open"

    twice = client.post(
        f"/api/v1/community/posts/{post.pk}/flags",
        {"reason": "other"},
        content_type="application/json",
    )
    assert twice.status_code == 409
    assert twice.json()["code"] == "conflict"

    on_comment = client.post(
        f"/api/v1/community/comments/{comment.pk}/flags",
        {"reason": "harassment"},
        content_type="application/json",
    )
    assert on_comment.status_code == 201
    assert on_comment.json()["target_type"] == "comment"

    unknown = client.post(
        f"/api/v1/community/posts/{post.pk}/flags",
        {"reason": "spam"},
        content_type="application/json",
    )
    assert unknown.status_code == 422
    own = signed_in(scene.author).post(
        f"/api/v1/community/posts/{post.pk}/flags",
        {"reason": "other"},
        content_type="application/json",
    )
    assert own.status_code == 403
    assert Flag.objects.count() == 2


def test_held_posts_are_not_found_for_flagging():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)

    response = signed_in(scene.reader).post(
        f"/api/v1/community/posts/{post.pk}/flags",
        {"reason": "other"},
        content_type="application/json",
    )

    assert response.status_code == 404


def test_moderators_hear_once_per_round_of_flags():
    scene = staff_scene()
    post = live_post(scene)
    flagged(scene, post, count=2)
    assert len(moderation_notices(scene.moderator)) == 1

    services.flags_dismiss(actor=scene.moderator, target=post)
    services.flag_create(actor=scene.reporters[2], target=post, reason="other")

    assert len(moderation_notices(scene.moderator)) == 2
