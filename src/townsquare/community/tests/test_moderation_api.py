"""The moderation API: the queue, decisions, sanctions and the log, as moderators use them."""

from __future__ import annotations

import pytest

from townsquare.conftest import signed_in

from ..models import ContentStatus, MembershipStatus, ModerationAction, SpaceMembership
from .factories import make_comment, make_moderator
from .support_moderation import (
    flagged,
    fresh,
    held_post,
    live_post,
    patient_scene,
    phi_post,
    staff_scene,
)

pytestmark = pytest.mark.django_db


def _api(scene) -> str:
    return f"/api/v1/community/spaces/{scene.space.pk}/moderation"


def test_the_queue_lists_held_and_flagged_content_oldest_first():
    scene = staff_scene()
    phi = phi_post(scene)
    post = live_post(scene, title="Parking")
    flagged(scene, post, count=2, reason="off_topic")

    response = signed_in(scene.moderator).get(f"{_api(scene)}/queue")

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["held_count"], body["flagged_count"]) == (2, 1, 1)
    first, second = body["items"]
    assert first["target_type"] == "post"
    assert first["target_id"] == phi.pk
    assert first["status"] == "pending"
    assert first["hold_reason"] == "phi"
    assert first["phi_kinds"] == ["mrn"]
    assert first["actions"] == ["approve", "reject"]
    assert first["author"]["name"] == "Arthur Author"
    assert first["flags"] == []
    assert second["target_id"] == post.pk
    assert second["title"] == "Parking"
    assert [flag["reason"] for flag in second["flags"]] == ["off_topic", "off_topic"]
    assert second["flags"][0]["reporter"]["name"] == "Reporter 0"
    assert second["actions"] == ["hide", "remove", "dismiss"]

    page = signed_in(scene.moderator).get(f"{_api(scene)}/queue?limit=1&offset=1").json()
    assert [item["target_id"] for item in page["items"]] == [post.pk]
    assert page["count"] == 2


def test_the_queue_names_pseudonymous_authors_with_who_they_are_for_moderators():
    scene = patient_scene()
    comment = make_comment(scene.author, live_post(scene, title="Pumps"))
    flagged(scene, comment)

    [item] = signed_in(scene.moderator).get(f"{_api(scene)}/queue").json()["items"]

    assert item["target_type"] == "comment"
    assert item["post_id"] == comment.post_id
    assert item["title"] == "Pumps"
    assert item["author"] == {
        "name": "Bluebird",
        "pseudonymous": True,
        "real_name": "Paula Private",
        "handle": item["author"]["handle"],
        "verified_clinician": False,
    }


def test_a_decision_through_the_api_and_the_second_one_conflicts():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)
    client = signed_in(scene.moderator)

    response = client.post(
        f"{_api(scene)}/decisions",
        {"target_type": "post", "target_id": post.pk, "action": "approve"},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["action"] == "approve"
    assert (body["target_type"], body["target_id"], body["status"]) == (
        "post",
        post.pk,
        "published",
    )
    assert body["moderator_id"] == scene.moderator.pk
    assert body["subject_id"] == scene.author.pk
    again = client.post(
        f"{_api(scene)}/decisions",
        {"target_type": "post", "target_id": post.pk, "action": "reject", "reason": "No."},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"
    assert fresh(post).status == ContentStatus.PUBLISHED
    assert ModerationAction.objects.count() == 1


def test_a_decision_needing_a_reason_or_about_another_space_is_refused():
    scene = staff_scene()
    other = staff_scene()
    post = live_post(scene)
    elsewhere = live_post(other)
    client = signed_in(scene.moderator)

    no_reason = client.post(
        f"{_api(scene)}/decisions",
        {"target_type": "post", "target_id": post.pk, "action": "hide"},
        content_type="application/json",
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"] == {
        "reason": ["Give a reason for this post: the person concerned reads it."]
    }
    wrong_space = client.post(
        f"{_api(scene)}/decisions",
        {"target_type": "post", "target_id": elsewhere.pk, "action": "hide", "reason": "X"},
        content_type="application/json",
    )
    assert wrong_space.status_code == 404
    too_long = client.post(
        f"{_api(scene)}/decisions",
        {"target_type": "post", "target_id": post.pk, "action": "hide", "reason": "x" * 1001},
        content_type="application/json",
    )
    assert too_long.status_code == 422
    assert fresh(post).status == fresh(elsewhere).status == ContentStatus.PUBLISHED


def test_sanctions_through_the_api():
    scene = staff_scene()
    client = signed_in(scene.moderator)

    muted = client.post(
        f"{_api(scene)}/sanctions",
        {"user_id": scene.author.pk, "action": "mute", "days": 2, "reason": "Pause."},
        content_type="application/json",
    )
    assert muted.status_code == 201
    assert muted.json()["action"] == "mute"
    assert muted.json()["until"] is not None
    assert muted.json()["subject"]["name"] == "Arthur Author"

    banned = client.post(
        f"{_api(scene)}/sanctions",
        {"user_id": scene.author.pk, "action": "ban", "reason": "Enough."},
        content_type="application/json",
    )
    assert banned.status_code == 201
    assert SpaceMembership.objects.get(space=scene.space, user=scene.author).status == (
        MembershipStatus.BANNED
    )
    again = client.post(
        f"{_api(scene)}/sanctions",
        {"user_id": scene.author.pk, "action": "ban", "reason": "Enough."},
        content_type="application/json",
    )
    assert again.status_code == 409
    bad_days = client.post(
        f"{_api(scene)}/sanctions",
        {"user_id": scene.reader.pk, "action": "mute", "days": 400, "reason": "X"},
        content_type="application/json",
    )
    assert bad_days.status_code == 422


def test_the_log_through_the_api():
    scene = staff_scene()
    post = live_post(scene)
    client = signed_in(scene.moderator)
    client.post(
        f"{_api(scene)}/decisions",
        {"target_type": "post", "target_id": post.pk, "action": "hide", "reason": "Rude."},
        content_type="application/json",
    )
    client.post(
        f"{_api(scene)}/sanctions",
        {"user_id": scene.author.pk, "action": "warn", "reason": "Mind the tone."},
        content_type="application/json",
    )

    body = client.get(f"{_api(scene)}/log").json()

    assert body["count"] == 2
    assert [item["action"] for item in body["items"]] == ["warn", "hide"]
    assert body["items"][1]["reason"] == "Rude."
    assert body["items"][1]["status"] == "hidden"
    assert body["items"][0]["target_type"] is None
    only = client.get(f"{_api(scene)}/log?action=hide&limit=1").json()
    assert [item["action"] for item in only["items"]] == ["hide"]
    assert client.get(f"{_api(scene)}/log?action=explode").status_code == 422


def test_global_moderators_use_the_api_for_any_space():
    scene = staff_scene(requires_approval=True)
    held_post(scene)
    response = signed_in(make_moderator()).get(f"{_api(scene)}/queue")
    assert response.status_code == 200
    assert response.json()["held_count"] == 1
