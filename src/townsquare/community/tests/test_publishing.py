"""The lead's publishing service and privacy guard, rule by rule: who may post, what is refused
(with nothing written), what publishing sets in motion (counters, hashtags, search,
notifications, once), and the guard's warn / confirm / hold / note."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from townsquare.core.errors import PermissionRefused, ValidationFailed
from townsquare.notifications.models import NotificationKind
from townsquare.notifications.services import scope_level_set
from townsquare.privacy import Finding

from ..models import (
    Comment,
    ContentStatus,
    Hashtag,
    HoldReason,
    MembershipStatus,
    Poll,
    Post,
    PostHashtag,
    PostKind,
    Space,
    SpaceKind,
)
from ..services import guard
from ..services.guard import PhiWarning
from ..services.publishing import (
    MAX_MENTIONS,
    comment_create,
    post_create,
    post_published,
    post_unpublished,
)
from .factories import join, make_comment, make_employee, make_patient, make_post, make_space
from .support_posts import (
    CLEAN_TEXT,
    PHONE_TEXT,
    audit_actions,
    handle_of,
    notifications_of,
    patient_cast,
    pdf_upload,
    post_found,
    private_staff_space,
    staff_cast,
)

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return Post.objects.count(), Comment.objects.count(), Poll.objects.count()


# --- Who may post --------------------------------------------------------------------------------


def test_a_member_posts_and_it_is_published():
    cast = staff_cast()
    result = post_create(actor=cast.author, space=cast.space, body=CLEAN_TEXT)
    post = Post.objects.get(pk=result.obj.pk)
    assert result.published is True
    assert result.hold_reason == ""
    assert post.status == ContentStatus.PUBLISHED
    assert post.published_at is not None
    assert post.author == cast.author
    assert post.as_pseudonym is False
    space = Space.objects.get(pk=cast.space.pk)
    assert space.post_count == 1
    assert space.last_post_at is not None


@pytest.mark.parametrize("who", ["outsider", "requested", "invited", "banned", "muted"])
def test_posting_where_one_may_not_is_refused_and_writes_nothing(who):
    cast = staff_cast()
    person = cast.outsider
    if who in ("requested", "invited", "banned"):
        join(person, cast.space, status=getattr(MembershipStatus, who.upper()))
    elif who == "muted":
        membership = join(person, cast.space)
        membership.muted_until = timezone.now() + datetime.timedelta(days=2)
        membership.save(update_fields=["muted_until"])
        person.__dict__.pop("_community_memberships", None)
    before = _counts()
    with pytest.raises(PermissionRefused):
        post_create(actor=person, space=cast.space, body=CLEAN_TEXT)
    assert _counts() == before


def test_an_archived_space_takes_no_posts():
    cast = staff_cast()
    Space.objects.filter(pk=cast.space.pk).update(archived_at=timezone.now())
    cast.space.refresh_from_db()
    with pytest.raises(PermissionRefused):
        post_create(actor=cast.author, space=cast.space, body=CLEAN_TEXT)
    assert Post.objects.count() == 0


def test_a_member_row_does_not_let_someone_outside_the_network_post():
    cast = staff_cast()
    patient = make_patient()
    join(patient, cast.space)  # a stray membership row: the network rule still holds
    with pytest.raises(PermissionRefused):
        post_create(actor=patient, space=cast.space, body=CLEAN_TEXT)
    assert Post.objects.count() == 0


def test_a_muted_membership_that_ended_may_post_again():
    cast = staff_cast()
    membership = join(cast.author, cast.space)
    membership.muted_until = timezone.now() - datetime.timedelta(minutes=1)
    membership.save(update_fields=["muted_until"])
    cast.author.__dict__.pop("_community_memberships", None)
    assert post_create(actor=cast.author, space=cast.space, body=CLEAN_TEXT).published


# --- What is refused -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "essay"}, "kind", "Choose a kind of post."),
        ({"kind": PostKind.QUESTION, "title": "  "}, "title", "Title is required."),
        ({"kind": PostKind.POLL, "title": ""}, "title", "Title is required."),
        ({"body": "   "}, "body", "Text is required."),
        ({"body": "a\x00b"}, "body", "Text may not contain the NUL character."),
        ({"title": "t" * 201}, "title", "Title is 201 characters; the limit is 200."),
        ({"body": "b" * 20_001}, "body", "Text is 20,001 characters; the limit is 20,000."),
    ],
)
def test_invalid_posts_are_refused_with_what_to_fix(fields, field, message):
    cast = staff_cast()
    fields.setdefault("body", CLEAN_TEXT)
    with pytest.raises(ValidationFailed) as caught:
        post_create(actor=cast.author, space=cast.space, **fields)
    assert caught.value.message == message
    assert field in caught.value.field_errors
    assert Post.objects.count() == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["Only one"], "Give the poll at least two options."),
        (["A", " ", ""], "Give the poll at least two options."),
        ([f"Option {n}" for n in range(11)], "A poll has at most 10 options."),
        (["Yes", "yes"], "Each option must be different."),
        (["Yes", "n" * 201], "An option has at most 200 characters."),
    ],
)
def test_poll_options_are_checked(options, message):
    cast = staff_cast()
    with pytest.raises(ValidationFailed) as caught:
        post_create(
            actor=cast.author,
            space=cast.space,
            kind=PostKind.POLL,
            title="Which shift?",
            body="",
            poll_options=options,
        )
    assert caught.value.message == message
    assert caught.value.field_errors["poll_options"][0] == message
    assert _counts() == (0, 0, 0)


def test_a_poll_must_close_in_the_future():
    cast = staff_cast()
    with pytest.raises(ValidationFailed) as caught:
        post_create(
            actor=cast.author,
            space=cast.space,
            kind=PostKind.POLL,
            title="Which shift?",
            body="",
            poll_options=["Early", "Late"],
            poll_closes_at=timezone.now() - datetime.timedelta(hours=1),
        )
    assert caught.value.field_errors == {"poll_closes_at": ["Choose a time in the future."]}
    assert _counts() == (0, 0, 0)


def test_a_poll_is_written_with_its_options_in_order():
    cast = staff_cast()
    closes = timezone.now() + datetime.timedelta(days=3)
    post = post_create(
        actor=cast.author,
        space=cast.space,
        kind=PostKind.POLL,
        title="Which shift?",
        body="",
        poll_options=[" Early ", "Late", ""],
        poll_allows_multiple=True,
        poll_closes_at=closes,
    ).obj
    poll = Poll.objects.get(post=post)
    assert poll.allows_multiple is True
    assert poll.closes_at == closes
    assert list(poll.options.values_list("label", "position")) == [("Early", 0), ("Late", 1)]


def test_more_than_six_attachments_are_refused():
    from townsquare.core.uploads import document_kind, upload_validate

    cast = staff_cast()
    uploads = [
        (upload_validate(pdf_upload(f"f{n}.pdf"), kind=document_kind(10_000)), "") for n in range(7)
    ]
    with pytest.raises(ValidationFailed) as caught:
        post_create(actor=cast.author, space=cast.space, body=CLEAN_TEXT, attachments=uploads)
    assert caught.value.message == "Attach at most 6 files."
    assert Post.objects.count() == 0


# --- Mentions ------------------------------------------------------------------------------------


def test_a_mention_of_a_member_notifies_them_once_without_the_text():
    cast = staff_cast()
    body = f"@{handle_of(cast.colleague)} can you check the new {CLEAN_TEXT}"
    post = post_create(actor=cast.author, space=cast.space, body=body).obj
    mentions = notifications_of(cast.colleague, NotificationKind.MENTION)
    assert len(mentions) == 1
    assert mentions[0].summary == f"mentioned you in {cast.space.name}"
    assert mentions[0].url == f"/community/p/{post.pk}/"
    assert mentions[0].actor_label == "Ada Author"
    assert mentions[0].scope == cast.space.scope
    # publishing again (a second approval) tells nobody twice
    assert post_published(post) is False
    assert len(notifications_of(cast.colleague, NotificationKind.MENTION)) == 1


def test_a_mention_of_someone_who_cannot_see_the_space_is_refused_and_nothing_is_written():
    author = make_employee()
    outsider = make_employee(display_name="Priv Outsider")
    space = private_staff_space(author)
    with pytest.raises(ValidationFailed) as caught:
        post_create(actor=author, space=space, body=f"Ping @{handle_of(outsider)} please")
    assert caught.value.message == (
        f"@{handle_of(outsider)} cannot see this space, so they would not be told. Remove the "
        "mention, or invite them to the space first."
    )
    assert caught.value.field_errors == {"body": [f"@{handle_of(outsider)} cannot see this space."]}
    assert Post.objects.count() == 0
    assert notifications_of(outsider) == []


def test_a_patient_cannot_be_mentioned_into_the_staff_network():
    cast = staff_cast()
    patient = make_patient()
    with pytest.raises(ValidationFailed):
        post_create(actor=cast.author, space=cast.space, body=f"@{handle_of(patient)} hello")
    assert notifications_of(patient) == []


def test_an_unknown_handle_is_plain_text():
    cast = staff_cast()
    result = post_create(actor=cast.author, space=cast.space, body="Thanks @nobody.here for that")
    assert result.published


def test_mentioning_too_many_people_is_refused():
    cast = staff_cast()
    body = " ".join(f"@person{n}" for n in range(MAX_MENTIONS + 1))
    with pytest.raises(ValidationFailed) as caught:
        post_create(actor=cast.author, space=cast.space, body=body)
    assert caught.value.message == f"A post may mention at most {MAX_MENTIONS} people."


def test_an_e_mail_address_is_not_a_mention():
    cast = staff_cast()
    handle = handle_of(cast.colleague)
    post_create(actor=cast.author, space=cast.space, body=f"Write to ward{handle}@example.org")
    assert notifications_of(cast.colleague) == []


def test_a_handle_with_capitals_is_mentioned_whatever_the_case_typed():
    from ..models import CommunityProfile

    cast = staff_cast()
    CommunityProfile.objects.filter(user=cast.colleague).update(handle="Cole.Ward5")
    post_create(actor=cast.author, space=cast.space, body="Thanks @Cole.Ward5!")
    assert len(notifications_of(cast.colleague, NotificationKind.MENTION)) == 1


# --- Hashtags, search, counters ------------------------------------------------------------------


def test_hashtags_are_counted_and_released(django_capture_on_commit_callbacks):
    cast = staff_cast()
    with django_capture_on_commit_callbacks(execute=True):
        first = post_create(
            actor=cast.author, space=cast.space, body="Loving the #Handover and #huddle"
        ).obj
        post_create(actor=cast.colleague, space=cast.space, body="More #handover tips")
    assert dict(Hashtag.objects.values_list("name", "post_count")) == {
        "handover": 2,
        "huddle": 1,
    }
    assert set(first.post_hashtags.values_list("hashtag__name", flat=True)) == {
        "handover",
        "huddle",
    }
    with django_capture_on_commit_callbacks(execute=True):
        post_unpublished(first, status=ContentStatus.DELETED)
        post_unpublished(first, status=ContentStatus.DELETED)  # a second time changes nothing
    assert dict(Hashtag.objects.values_list("name", "post_count")) == {
        "handover": 1,
        "huddle": 0,
    }
    assert PostHashtag.objects.filter(post=first).count() == 0
    assert Space.objects.get(pk=cast.space.pk).post_count == 1


def test_a_published_post_is_searchable_and_an_unpublished_one_is_not(
    django_capture_on_commit_callbacks,
):
    cast = staff_cast()
    with django_capture_on_commit_callbacks(execute=True):
        post = post_create(actor=cast.author, space=cast.space, body="Zebrafish huddle").obj
        comment = make_comment(cast.colleague, post, body="Marmoset reply")
    assert post_found("zebrafish") == [post.pk]
    from .support_posts import comment_found

    assert comment_found("marmoset") == [comment.pk]
    with django_capture_on_commit_callbacks(execute=True):
        post_unpublished(post, status=ContentStatus.HIDDEN, reason="Off topic", moderator=None)
    assert post_found("zebrafish") == []
    assert comment_found("marmoset") == []


def test_unpublishing_withdraws_the_notifications_about_the_post():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, body=f"@{handle_of(cast.colleague)} look")
    assert len(notifications_of(cast.colleague)) == 1
    post_unpublished(post, status=ContentStatus.REMOVED, reason="PHI")
    assert notifications_of(cast.colleague) == []
    post.refresh_from_db()
    assert post.status == ContentStatus.REMOVED
    assert post.moderation_reason == "PHI"


def test_watchers_who_may_read_hear_of_new_posts_once():
    cast = staff_cast()
    scope_level_set(user=cast.colleague, scope=cast.space.scope, level="watching")
    banned = make_employee()
    join(banned, cast.space, status=MembershipStatus.BANNED)
    scope_level_set(user=banned, scope=cast.space.scope, level="watching")
    post = make_post(cast.author, cast.space)
    news = notifications_of(cast.colleague, NotificationKind.NEW_POST)
    assert [(n.summary, n.url) for n in news] == [
        (f"posted in {cast.space.name}", f"/community/p/{post.pk}/")
    ]
    assert notifications_of(banned) == []
    assert post_published(post) is False
    assert len(notifications_of(cast.colleague, NotificationKind.NEW_POST)) == 1


# --- Pre-approval --------------------------------------------------------------------------------


def test_a_space_that_approves_posts_holds_them_and_counts_them_once_approved(
    django_capture_on_commit_callbacks,
):
    cast = staff_cast(requires_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        result = post_create(actor=cast.author, space=cast.space, body="Pangolin #rota")
    post = Post.objects.get(pk=result.obj.pk)
    assert (result.published, result.hold_reason) == (False, HoldReason.APPROVAL)
    assert (post.status, post.hold_reason, post.published_at) == ("pending", "approval", None)
    assert Space.objects.get(pk=cast.space.pk).post_count == 0
    assert Hashtag.objects.filter(post_count__gt=0).count() == 0
    assert post_found("pangolin") == []
    told = notifications_of(cast.moderator, NotificationKind.MODERATION)
    assert [(n.actor_label, n.summary, n.url) for n in told] == [
        (
            "A member",  # the queue shows who; the notification does not
            f"wrote something that waits for a moderator in {cast.space.name}",
            f"/community/s/{cast.space.slug}/moderation/",
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert post_published(post) is True
        assert post_published(post) is False
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    assert post.hold_reason == ""
    assert Space.objects.get(pk=cast.space.pk).post_count == 1
    assert post_found("pangolin") == [post.pk]


def test_a_moderators_own_post_needs_no_approval_but_still_passes_the_guard():
    cast = staff_cast(requires_approval=True)
    assert post_create(actor=cast.moderator, space=cast.space, body=CLEAN_TEXT).published
    held = post_create(actor=cast.moderator, space=cast.space, body=PHONE_TEXT)
    assert (held.published, held.hold_reason) == (False, HoldReason.PHI)


def test_a_post_restored_after_a_takedown_is_not_announced_again():
    cast = staff_cast()
    scope_level_set(user=cast.colleague, scope=cast.space.scope, level="watching")
    post = make_post(cast.author, cast.space, body=f"@{handle_of(cast.moderator)} see")
    post_unpublished(post, status=ContentStatus.HIDDEN, reason="Check", moderator=cast.moderator)
    assert notifications_of(cast.colleague) == []  # withdrawn with the post
    assert post_published(post) is True
    assert Space.objects.get(pk=cast.space.pk).post_count == 1
    assert notifications_of(cast.colleague) == []
    assert notifications_of(cast.moderator, NotificationKind.MENTION) == []


def test_comments_are_not_held_for_approval():
    cast = staff_cast(requires_approval=True)
    post = make_post(cast.author, cast.space)
    post_published(post)
    result = comment_create(actor=cast.colleague, post=post, body=CLEAN_TEXT)
    assert result.published is True


# --- The guard: staff network --------------------------------------------------------------------


def test_a_likely_identifier_in_the_staff_network_holds_the_post_for_a_moderator():
    cast = staff_cast()
    result = post_create(actor=cast.author, space=cast.space, title="Discharge", body=PHONE_TEXT)
    post = Post.objects.get(pk=result.obj.pk)
    assert result.published is False
    assert result.hold_reason == HoldReason.PHI
    assert "phone" in result.phi_kinds
    assert post.status == ContentStatus.PENDING
    assert post.hold_reason == HoldReason.PHI
    assert "phone" in post.phi_kinds
    assert post.phi_confirmed is False
    assert Space.objects.get(pk=cast.space.pk).post_count == 0
    assert len(notifications_of(cast.moderator, NotificationKind.MODERATION)) == 1
    record = audit_actions("privacy.phi_found")[-1]
    assert record.data["decision"] == "held"
    assert record.data["context"].startswith(f"community.space:{cast.space.pk}:")
    assert "555" not in str(record.data)  # kinds and positions, never the text


def test_a_held_comment_waits_and_is_not_counted():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    result = comment_create(actor=cast.colleague, post=post, body=PHONE_TEXT)
    comment = Comment.objects.get(pk=result.obj.pk)
    assert (result.published, result.hold_reason) == (False, HoldReason.PHI)
    assert (comment.status, comment.hold_reason) == (ContentStatus.PENDING, HoldReason.PHI)
    assert Post.objects.get(pk=post.pk).comment_count == 0
    assert notifications_of(cast.author, NotificationKind.REPLY) == []
    assert len(notifications_of(cast.moderator, NotificationKind.MODERATION)) == 1


def test_an_unlikely_finding_in_the_staff_network_is_noted_and_published(monkeypatch):
    monkeypatch.setattr(guard, "scan", lambda text: [Finding("ssn", 0, 3, 0.5)] if text else [])
    cast = staff_cast()
    result = post_create(actor=cast.author, space=cast.space, body=CLEAN_TEXT)
    assert result.published is True
    assert result.phi_kinds == ("ssn",)
    assert audit_actions("privacy.phi_found")[-1].data["decision"] == "noted"


def test_the_staff_network_has_no_warning_to_confirm():
    cast = staff_cast()
    result = post_create(actor=cast.author, space=cast.space, body=PHONE_TEXT, confirm_phi=True)
    assert result.hold_reason == HoldReason.PHI  # confirming does not skip the moderator


# --- The guard: patient community ----------------------------------------------------------------


def test_a_finding_in_the_patient_community_warns_and_writes_nothing():
    cast = patient_cast()
    with pytest.raises(PhiWarning) as caught:
        post_create(actor=cast.author, space=cast.space, title="My week", body=PHONE_TEXT)
    warning = caught.value
    assert warning.status == 422
    assert {name for name, found in warning.findings.items() if found} == {"body"}
    assert [finding.kind for finding in warning.findings["body"]] == ["name", "phone"]
    assert "Telephone number" in warning.message
    problem = warning.as_problem()
    assert problem["code"] == "phi-warning"
    assert problem["findings"]["body"][1]["kind"] == "phone"
    assert "555" not in str(problem)
    assert _counts() == (0, 0, 0)
    # the warning is audited even though the post was not written
    assert [r.data["decision"] for r in audit_actions("privacy.phi_found")] == ["warned"]


def test_the_author_confirms_and_the_post_is_published_under_the_pseudonym():
    cast = patient_cast()
    result = post_create(actor=cast.author, space=cast.space, body=PHONE_TEXT, confirm_phi=True)
    post = Post.objects.get(pk=result.obj.pk)
    assert result.published is True
    assert post.phi_confirmed is True
    assert "phone" in post.phi_kinds
    assert post.as_pseudonym is True
    assert audit_actions("privacy.phi_found")[-1].data["decision"] == "confirmed"


def test_a_comment_with_a_finding_in_the_patient_community_warns_then_confirms():
    cast = patient_cast()
    post = make_post(cast.peer, cast.space)
    with pytest.raises(PhiWarning):
        comment_create(actor=cast.author, post=post, body=PHONE_TEXT)
    assert Comment.objects.count() == 0
    result = comment_create(actor=cast.author, post=post, body=PHONE_TEXT, confirm_phi=True)
    assert result.published is True
    assert result.obj.phi_confirmed is True


def test_a_reply_notification_names_the_pseudonym_never_the_person():
    cast = patient_cast()
    post = make_post(cast.peer, cast.space)
    make_comment(cast.author, post)
    (reply,) = notifications_of(cast.peer, NotificationKind.REPLY)
    assert reply.actor_label == "SugarFree"
    assert "Paula" not in reply.actor_label


# --- Comments ------------------------------------------------------------------------------------


def test_a_comment_counts_and_tells_the_post_author():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    comment = make_comment(cast.colleague, post)
    post.refresh_from_db()
    assert post.comment_count == 1
    assert post.last_activity_at >= comment.created_at
    (reply,) = notifications_of(cast.author, NotificationKind.REPLY)
    assert reply.summary == f"commented on your post in {cast.space.name}"
    assert reply.url == f"/community/p/{post.pk}/?comment={comment.pk}#comment-{comment.pk}"
    assert notifications_of(cast.colleague) == []  # not told of their own comment


def test_a_reply_tells_the_comment_author_and_the_post_author_once_each():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    first = make_comment(cast.colleague, post)
    make_comment(cast.moderator, post, parent=first)
    assert [n.summary for n in notifications_of(cast.colleague, NotificationKind.REPLY)] == [
        f"replied to your comment in {cast.space.name}"
    ]
    assert len(notifications_of(cast.author, NotificationKind.REPLY)) == 2


def test_replying_to_your_own_post_author_is_told_once():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    mine = make_comment(cast.author, post)
    make_comment(cast.colleague, post, parent=mine)
    (reply,) = notifications_of(cast.author, NotificationKind.REPLY)
    assert reply.summary == f"replied to your comment in {cast.space.name}"


def test_threads_are_three_deep_and_deeper_replies_stay_at_the_last_level():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    level0 = make_comment(cast.colleague, post)
    level1 = make_comment(cast.author, post, parent=level0)
    level2 = make_comment(cast.colleague, post, parent=level1)
    level3 = make_comment(cast.author, post, parent=level2)
    deeper = make_comment(cast.colleague, post, parent=level3)
    assert [c.depth for c in (level0, level1, level2, level3, deeper)] == [0, 1, 2, 3, 3]
    assert deeper.parent_id == level2.pk


@pytest.mark.parametrize("problem", ["other post", "unpublished"])
def test_a_reply_must_answer_a_published_comment_of_the_same_post(problem):
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    other = make_post(cast.author, cast.space)
    parent = make_comment(cast.colleague, other if problem == "other post" else post)
    if problem == "unpublished":
        Comment.objects.filter(pk=parent.pk).update(status=ContentStatus.HIDDEN)
        parent.refresh_from_db()
    before = Comment.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        comment_create(actor=cast.colleague, post=post, body="Reply", parent=parent)
    assert caught.value.field_errors == {"parent": ["Reply to a comment of this post."]}
    assert Comment.objects.count() == before


@pytest.mark.parametrize("status", [ContentStatus.PENDING, ContentStatus.HIDDEN])
def test_no_comments_on_a_post_that_is_not_published(status):
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    Post.objects.filter(pk=post.pk).update(status=status)
    post.refresh_from_db()
    with pytest.raises(PermissionRefused):
        comment_create(actor=cast.colleague, post=post, body="Hello")
    assert Comment.objects.count() == 0


def test_a_non_member_cannot_comment_even_on_an_open_space():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    with pytest.raises(PermissionRefused):
        comment_create(actor=cast.outsider, post=post, body="Hello")


def test_an_empty_comment_is_refused():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    with pytest.raises(ValidationFailed) as caught:
        comment_create(actor=cast.colleague, post=post, body="  \n ")
    assert caught.value.message == "Comment is required."


def test_a_verified_clinicians_comment_carries_the_label():
    cast = patient_cast()
    post = make_post(cast.author, cast.space, kind=PostKind.QUESTION, title="Insulin timing?")
    answer = make_comment(cast.clinician, post, body="Take it with the meal.")
    peer = make_comment(cast.peer, post, body="I do the same.")
    assert (answer.by_verified_clinician, peer.by_verified_clinician) == (True, False)


def test_a_mention_in_a_comment_notifies_once_and_refuses_non_readers():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    comment = make_comment(cast.author, post, body=f"@{handle_of(cast.colleague)} see this")
    (mention,) = notifications_of(cast.colleague, NotificationKind.MENTION)
    assert mention.summary == f"mentioned you in a comment in {cast.space.name}"
    assert mention.url.endswith(f"#comment-{comment.pk}")
    patient = make_patient()
    with pytest.raises(ValidationFailed):
        comment_create(actor=cast.author, post=post, body=f"@{handle_of(patient)} hi")
    assert notifications_of(patient) == []


def test_a_comment_notification_is_not_sent_to_someone_who_cannot_read_the_space():
    author = make_employee()
    colleague = make_employee()
    space = private_staff_space(author, colleague)
    post = make_post(colleague, space)
    # the post's author left the private space before the comment
    space.memberships.filter(user=colleague).delete()
    colleague.__dict__.pop("_community_memberships", None)
    make_comment(author, post)
    assert notifications_of(colleague, NotificationKind.REPLY) == []


def test_kinds_of_space_stay_apart():
    staff_space = make_space(kind=SpaceKind.STAFF)
    assert staff_space.is_patient is False


def test_a_reply_below_the_deepest_level_tells_the_person_replied_to():
    cast = staff_cast()
    fourth = make_employee()
    join(fourth, cast.space)
    post = make_post(cast.author, cast.space)
    level0 = make_comment(cast.colleague, post)
    level1 = make_comment(cast.moderator, post, parent=level0)
    level2 = make_comment(cast.colleague, post, parent=level1)
    level3 = make_comment(fourth, post, parent=level2)
    make_comment(cast.author, post, parent=level3)
    assert [n.summary for n in notifications_of(fourth, NotificationKind.REPLY)] == [
        f"replied to your comment in {cast.space.name}"
    ]


def test_taking_a_comment_down_leaves_other_comments_notifications_alone():
    from townsquare.notifications.services import notify

    from ..services.publishing import comment_unpublished

    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    comment = make_comment(cast.colleague, post)
    # the notification of a later comment whose id starts with this one's digits
    notify(
        recipient=cast.moderator,
        kind=NotificationKind.REPLY,
        summary=f"replied to your comment in {cast.space.name}",
        url=f"/community/p/{post.pk}/?comment={comment.pk}0#comment-{comment.pk}0",
        scope=cast.space.scope,
    )
    comment_unpublished(comment, status=ContentStatus.DELETED)
    assert len(notifications_of(cast.moderator, NotificationKind.REPLY)) == 1


def test_a_held_comment_edited_while_waiting_is_announced_when_approved():
    from ..services.posts import comment_edit
    from ..services.publishing import comment_published

    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    held = comment_create(actor=cast.colleague, post=post, body=PHONE_TEXT).obj
    comment_edit(actor=cast.colleague, comment=held, body=CLEAN_TEXT)
    held.refresh_from_db()
    assert comment_published(held) is True
    assert len(notifications_of(cast.author, NotificationKind.REPLY)) == 1
