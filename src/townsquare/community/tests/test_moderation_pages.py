"""The moderation pages: the spaces I moderate, the queue (held and flagged content), deciding
from it, the log, and a person's standing with the sanctions; and their query counts."""

from __future__ import annotations

import pytest

from townsquare.conftest import signed_in

from ..models import ContentStatus, MembershipStatus, ModerationAction, SpaceMembership
from ..services import moderation as services
from .factories import make_comment, make_employee, make_moderator, make_post
from .support_moderation import (
    approved_post,
    flagged,
    fresh,
    held_post,
    live_post,
    patient_scene,
    phi_comment,
    phi_post,
    staff_scene,
)

pytestmark = pytest.mark.django_db


# --- The spaces I moderate -------------------------------------------------------------------


def test_the_moderation_home_lists_my_spaces_with_what_waits():
    scene = staff_scene(requires_approval=True)
    held_post(scene)
    held_post(scene, title="Another")
    flagged(scene, make_comment(scene.reader, approved_post(scene)), count=1)
    quiet = staff_scene()  # a space I do not moderate

    response = signed_in(scene.moderator).get("/community/moderation/")

    assert response.status_code == 200
    page = response.content.decode()
    assert '<th scope="row">Ward Seven</th>' in page
    assert "<td>2</td>" in page  # held posts
    assert f"/community/s/{scene.space.slug}/moderation/" in page
    assert f"/community/s/{quiet.space.slug}/moderation/" not in page


def test_the_moderation_home_is_for_moderators():
    scene = staff_scene()
    assert signed_in(scene.reader).get("/community/moderation/").status_code == 403
    assert signed_in(make_moderator()).get("/community/moderation/").status_code == 200


# --- The queue -------------------------------------------------------------------------------


def test_the_queue_shows_held_posts_with_why_and_the_guards_findings_marked():
    scene = staff_scene(requires_approval=True)
    held_post(scene, title="Rota swap", body="Anyone free on Friday?")
    phi = phi_post(scene)

    response = signed_in(scene.moderator).get(f"/community/s/{scene.space.slug}/moderation/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 held for approval, 0 flagged" in page
    assert "Post: “Rota swap”" in page
    assert "This space approves posts before they are published" in page
    assert "Anyone free on Friday?" in page
    assert "The privacy guard found: <strong>Medical record number</strong>" in page
    assert '<mark class="phi-finding" data-kind="mrn">12345678' in page
    assert f'name="target_id" value="{phi.pk}"' in page
    assert 'value="approve"' in page
    assert 'value="reject"' in page
    assert 'value="hide"' not in page


def test_the_queue_shows_flagged_content_with_reasons_notes_and_who_flagged():
    scene = patient_scene()
    post = live_post(scene, title="My pump routine")
    comment = make_comment(scene.author, post, body="You should double your dose.")
    flagged(scene, comment, count=2, reason="medical_advice")

    response = signed_in(scene.moderator).get(f"/community/s/{scene.space.slug}/moderation/")

    page = response.content.decode()
    assert "0 held for approval, 1 flagged" in page
    assert "Comment on “My pump routine”" in page
    assert "You should double your dose." in page
    assert "Flags (2)" in page
    assert "Gives medical advice or diagnoses someone: 2" in page
    assert "Note 0" in page
    assert "Patient reporter 1" in page
    # The moderators of a patient group see who writes behind a pseudonym.
    assert "Bluebird" in page
    assert "Paula Private" in page
    assert 'value="hide"' in page
    assert 'value="dismiss"' in page


def test_a_held_comment_is_in_the_queue():
    scene = staff_scene()
    comment = phi_comment(scene, live_post(scene, title="Night shift"))

    page = signed_in(scene.moderator).get(f"/community/s/{scene.space.slug}/moderation/")

    assert f'id="comment-{comment.pk}"' in page.content.decode()


def test_deciding_from_the_queue():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)
    client = signed_in(scene.moderator)
    queue = f"/community/s/{scene.space.slug}/moderation/"

    response = client.post(
        f"{queue}decide", {"target_type": "post", "target_id": post.pk, "action": "approve"}
    )

    assert response.status_code == 302
    assert response["Location"] == queue
    assert fresh(post).status == ContentStatus.PUBLISHED
    followed = client.get(queue).content.decode()
    assert "Approved: it is published." in followed
    assert "Nothing is waiting." in followed


def test_a_decision_without_its_reason_is_shown_again_with_the_error():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)

    response = signed_in(scene.moderator).post(
        f"/community/s/{scene.space.slug}/moderation/decide",
        {"target_type": "post", "target_id": post.pk, "action": "reject", "reason": ""},
    )

    assert response.status_code == 422
    assert "Give a reason for this post" in response.content.decode()
    assert fresh(post).status == ContentStatus.PENDING
    assert ModerationAction.objects.count() == 0


def test_a_decision_someone_else_made_first_is_a_clear_conflict():
    scene = staff_scene(requires_approval=True)
    post = held_post(scene)
    services.content_approve(actor=make_moderator(), target=post)

    response = signed_in(scene.moderator).post(
        f"/community/s/{scene.space.slug}/moderation/decide",
        {"target_type": "post", "target_id": post.pk, "action": "reject", "reason": "No."},
    )

    assert response.status_code == 409
    assert "another moderator" in response.content.decode()
    assert ModerationAction.objects.count() == 1


def test_deciding_from_the_post_page_returns_there():
    scene = staff_scene()
    post = live_post(scene)

    response = signed_in(scene.moderator).post(
        f"/community/s/{scene.space.slug}/moderation/decide",
        {
            "target_type": "post",
            "target_id": post.pk,
            "action": "hide",
            "reason": "Off topic.",
            "next": f"/community/p/{post.pk}/",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/community/p/{post.pk}/"
    assert fresh(post).status == ContentStatus.HIDDEN


def test_a_malformed_decision_is_refused_without_change():
    scene = staff_scene()
    post = live_post(scene)

    response = signed_in(scene.moderator).post(
        f"/community/s/{scene.space.slug}/moderation/decide",
        {"target_type": "poll", "target_id": post.pk, "action": "hide"},
    )

    assert response.status_code == 422
    assert fresh(post).status == ContentStatus.PUBLISHED


# --- The log and a person's standing ---------------------------------------------------------


def test_the_log_lists_decisions_newest_first_and_filters():
    scene = staff_scene()
    post = live_post(scene, title="Parking")
    services.content_hide(actor=scene.moderator, target=post, reason="Wrong space.")
    services.person_warn(
        actor=scene.moderator, space=scene.space, person=scene.reader, reason="Be kind."
    )
    client = signed_in(scene.moderator)
    log = f"/community/s/{scene.space.slug}/moderation/log/"

    page = client.get(log).content.decode()
    assert page.index("Be kind.") < page.index("Wrong space.")
    assert "Post “Parking”" in page
    assert "Rita Reader" in page
    assert "Mona Moderator" in page

    only_warnings = client.get(f"{log}?action=warn").content.decode()
    assert "Be kind." in only_warnings
    assert "Wrong space." not in only_warnings


def test_the_person_page_shows_who_is_behind_a_pseudonym_and_their_history():
    scene = patient_scene()
    post = live_post(scene, title="Week one")
    services.content_hide(actor=scene.moderator, target=post, reason="Names a nurse.")

    response = signed_in(scene.moderator).get(
        f"/community/s/{scene.space.slug}/moderation/people/{scene.author.pk}/"
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Bluebird in Living with Type 1</h1>" in page
    assert "Paula Private" in page
    assert "1 hidden by a moderator" in page
    assert "Names a nurse." in page
    assert "Week one" in page
    assert 'value="mute"' in page
    assert 'value="ban"' in page


def test_sanctioning_from_the_person_page():
    scene = staff_scene()
    client = signed_in(scene.moderator)
    person_page = f"/community/s/{scene.space.slug}/moderation/people/{scene.author.pk}/"

    response = client.post(person_page[:-1], {"action": "mute", "days": "3", "reason": "Pause."})

    assert response.status_code == 302
    assert response["Location"] == person_page
    membership = SpaceMembership.objects.get(space=scene.space, user=scene.author)
    assert membership.muted_until is not None
    page = client.get(person_page).content.decode()
    assert "Muted." in page
    assert "Lift the mute" in page

    refused = client.post(person_page[:-1], {"action": "warn", "reason": ""})
    assert refused.status_code == 422
    assert "Give a reason for the warning" in refused.content.decode()
    again = client.post(person_page[:-1], {"action": "mute", "days": "3", "reason": "Again."})
    assert again.status_code == 409
    assert "muted already" in again.content.decode()

    client.post(person_page[:-1], {"action": "ban", "reason": "Enough."})
    assert SpaceMembership.objects.get(space=scene.space, user=scene.author).status == (
        MembershipStatus.BANNED
    )


def test_a_person_without_a_part_in_the_space_is_not_found():
    scene = staff_scene()
    stranger = make_employee()

    response = signed_in(scene.moderator).get(
        f"/community/s/{scene.space.slug}/moderation/people/{stranger.pk}/"
    )

    assert response.status_code == 404


# --- Query counts ----------------------------------------------------------------------------


def _busy_space(count: int):
    """A space with ``count`` held posts and ``count`` flagged comments (by pseudonymous
    patients, with polls and attachments-free posts)."""
    scene = patient_scene(requires_approval=True)
    post = approved_post(scene, title="Open thread")
    for number in range(count):
        make_post(scene.author, scene.space, title=f"Held {number}")
        comment = make_comment(scene.author, post, body=f"Comment {number}")
        services.flag_create(actor=scene.reporters[0], target=comment, reason="harassment")
        services.flag_create(actor=scene.reporters[1], target=comment, reason="off_topic")
    return scene


@pytest.mark.parametrize("count", [5, 50])
def test_the_queue_page_queries_do_not_grow(count, django_assert_num_queries):
    scene = _busy_space(count)
    client = signed_in(scene.moderator)
    # session, user, space, roles, membership (the gates); held posts, held comments, flagged
    # keys; the page's posts and their attachments, comments, flags
    with django_assert_num_queries(13):
        response = client.get(f"/community/s/{scene.space.slug}/moderation/")
    assert response.status_code == 200
    assert f"{count} held for approval, {count} flagged" in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_the_log_page_queries_do_not_grow(count, django_assert_num_queries):
    scene = staff_scene()
    for number in range(count):
        post = live_post(scene, title=f"Post {number}")
        services.content_hide(actor=scene.moderator, target=post, reason=f"Reason {number}")
    client = signed_in(scene.moderator)
    # session, user, space, roles, organization, membership (the gates); count, page
    with django_assert_num_queries(9):
        response = client.get(f"/community/s/{scene.space.slug}/moderation/log/")
    assert response.status_code == 200
    assert "Reason 0" in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_the_moderation_home_queries_do_not_grow(count, django_assert_num_queries):
    moderator = make_moderator()
    for _ in range(count):
        scene = staff_scene(requires_approval=True)
        held_post(scene)
    client = signed_in(moderator)
    # session, user, roles (the gates); count, page with the open counts
    with django_assert_num_queries(5):
        response = client.get("/community/moderation/")
    assert response.status_code == 200
