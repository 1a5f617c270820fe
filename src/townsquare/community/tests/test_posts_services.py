"""Editing and deleting posts and comments, accepted answers, attachments: services/posts.py."""

from __future__ import annotations

import pytest

from townsquare.core.errors import PermissionRefused, ValidationFailed
from townsquare.notifications.models import NotificationKind

from ..models import (
    Comment,
    CommentRevision,
    ContentStatus,
    Hashtag,
    HoldReason,
    Post,
    PostKind,
    PostRevision,
    Space,
)
from ..services import posts as services
from ..services.guard import PhiWarning
from ..services.publishing import post_unpublished
from .factories import make_comment, make_post
from .support_posts import (
    CLEAN_TEXT,
    PHONE_TEXT,
    audit_actions,
    fake_png_upload,
    handle_of,
    notifications_of,
    patient_cast,
    pdf_upload,
    png_upload,
    post_found,
    staff_cast,
)

pytestmark = pytest.mark.django_db


def _state(post: Post) -> tuple:
    post.refresh_from_db()
    return (post.title, post.body, post.status, post.hold_reason, PostRevision.objects.count())


# --- Editing a post ------------------------------------------------------------------------------


def test_an_edit_keeps_the_old_version_and_updates_tags_and_search(
    django_capture_on_commit_callbacks,
):
    cast = staff_cast()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(cast.author, cast.space, body="Okapi #rota")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.post_edit(
            actor=cast.author, post=post, title="New title", body="Quokka #huddle"
        )
    assert result.published is True
    post.refresh_from_db()
    assert (post.title, post.body) == ("New title", "Quokka #huddle")
    assert post.edited_at is not None
    (revision,) = PostRevision.objects.filter(post=post)
    assert (revision.title, revision.body, revision.editor) == ("", "Okapi #rota", cast.author)
    assert dict(Hashtag.objects.values_list("name", "post_count")) == {"rota": 0, "huddle": 1}
    assert post_found("quokka") == [post.pk]
    assert post_found("okapi") == []


def test_an_edit_that_changes_nothing_writes_no_revision():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    services.post_edit(actor=cast.author, post=post, title="", body=f"  {CLEAN_TEXT}\n")
    assert PostRevision.objects.count() == 0
    assert Post.objects.get(pk=post.pk).edited_at is None


@pytest.mark.parametrize("who", ["colleague", "moderator", "outsider"])
def test_editing_someone_elses_post_is_refused(who):
    cast = staff_cast()
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    before = _state(post)
    with pytest.raises(PermissionRefused):
        services.post_edit(actor=getattr(cast, who), post=post, title="", body="Mine now")
    assert _state(post) == before


@pytest.mark.parametrize("status", [ContentStatus.REMOVED, ContentStatus.DELETED])
def test_a_removed_or_deleted_post_cannot_be_edited(status):
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    post_unpublished(post, status=status)
    with pytest.raises(PermissionRefused):
        services.post_edit(actor=cast.author, post=post, title="", body="Back")


def test_a_question_keeps_its_title():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, kind=PostKind.QUESTION, title="Why?")
    with pytest.raises(ValidationFailed) as caught:
        services.post_edit(actor=cast.author, post=post, title=" ", body="Because")
    assert caught.value.field_errors == {"title": ["Write a title."]}


def test_a_likely_identifier_added_in_the_staff_network_takes_the_post_down(
    django_capture_on_commit_callbacks,
):
    cast = staff_cast()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(cast.author, cast.space, body="Capybara #discharge")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.post_edit(actor=cast.author, post=post, title="", body=PHONE_TEXT)
    assert (result.published, result.hold_reason) == (False, HoldReason.PHI)
    post.refresh_from_db()
    assert (post.status, post.hold_reason) == (ContentStatus.PENDING, HoldReason.PHI)
    assert "phone" in post.phi_kinds
    assert Space.objects.get(pk=cast.space.pk).post_count == 0
    assert Hashtag.objects.get(name="discharge").post_count == 0
    assert post_found("capybara") == []
    assert len(notifications_of(cast.moderator, NotificationKind.MODERATION)) == 1
    assert audit_actions("privacy.phi_found")[-1].data["decision"] == "held"


def test_a_held_post_stays_held_after_an_edit_that_removes_the_finding():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, body=PHONE_TEXT)
    assert post.status == ContentStatus.PENDING
    result = services.post_edit(actor=cast.author, post=post, title="", body=CLEAN_TEXT)
    post.refresh_from_db()
    assert result.published is False
    assert (post.status, post.hold_reason, post.body) == ("pending", "phi", CLEAN_TEXT)
    assert post.phi_kinds == []


def test_a_post_waiting_for_approval_is_held_for_phi_when_an_edit_adds_it():
    cast = staff_cast(requires_approval=True)
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    services.post_edit(actor=cast.author, post=post, title="", body=PHONE_TEXT)
    post.refresh_from_db()
    assert (post.status, post.hold_reason) == ("pending", "phi")


def test_a_hidden_post_stays_hidden_after_an_edit():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    post_unpublished(
        post, status=ContentStatus.HIDDEN, reason="Off topic", moderator=cast.moderator
    )
    result = services.post_edit(actor=cast.author, post=post, title="", body=CLEAN_TEXT)
    post.refresh_from_db()
    assert result.published is False
    assert post.status == ContentStatus.HIDDEN
    assert post.moderation_reason == "Off topic"


def test_an_edit_in_the_patient_community_warns_until_confirmed():
    cast = patient_cast()
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    before = _state(post)
    with pytest.raises(PhiWarning):
        services.post_edit(actor=cast.author, post=post, title="", body=PHONE_TEXT)
    assert _state(post) == before
    assert audit_actions("privacy.phi_found")[-1].data["decision"] == "warned"
    result = services.post_edit(
        actor=cast.author, post=post, title="", body=PHONE_TEXT, confirm_phi=True
    )
    post.refresh_from_db()
    assert result.published is True
    assert post.phi_confirmed is True
    assert post.status == ContentStatus.PUBLISHED


def test_an_edit_tells_only_the_newly_mentioned():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, body=f"@{handle_of(cast.colleague)} hi")
    services.post_edit(
        actor=cast.author,
        post=post,
        title="",
        body=f"@{handle_of(cast.colleague)} hi and @{handle_of(cast.moderator)}",
    )
    assert len(notifications_of(cast.colleague, NotificationKind.MENTION)) == 1
    assert len(notifications_of(cast.moderator, NotificationKind.MENTION)) == 1


def test_an_edit_mentioning_someone_who_cannot_see_the_space_changes_nothing():
    cast = staff_cast()
    from .factories import make_patient

    patient = make_patient()
    post = make_post(cast.author, cast.space, body=CLEAN_TEXT)
    before = _state(post)
    with pytest.raises(ValidationFailed):
        services.post_edit(actor=cast.author, post=post, title="", body=f"@{handle_of(patient)}")
    assert _state(post) == before
    assert notifications_of(patient) == []


# --- Deleting a post -----------------------------------------------------------------------------


def test_the_author_deletes_a_post_and_everything_follows(django_capture_on_commit_callbacks):
    cast = staff_cast()
    with django_capture_on_commit_callbacks(execute=True):
        post = make_post(cast.author, cast.space, body="Axolotl #rota")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(actor=cast.author, post=post)
    post.refresh_from_db()
    assert post.status == ContentStatus.DELETED
    assert Space.objects.get(pk=cast.space.pk).post_count == 0
    assert Hashtag.objects.get(name="rota").post_count == 0
    assert post_found("axolotl") == []
    with pytest.raises(PermissionRefused):
        services.post_delete(actor=cast.author, post=post)  # once


@pytest.mark.parametrize("who", ["colleague", "moderator"])
def test_only_the_author_deletes_a_post(who):
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    with pytest.raises(PermissionRefused):
        services.post_delete(actor=getattr(cast, who), post=post)
    assert Post.objects.get(pk=post.pk).status == ContentStatus.PUBLISHED


# --- Comments ------------------------------------------------------------------------------------


def test_a_comment_edit_keeps_the_old_text(django_capture_on_commit_callbacks):
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    with django_capture_on_commit_callbacks(execute=True):
        comment = make_comment(cast.colleague, post, body="Wombat")
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_edit(actor=cast.colleague, comment=comment, body="Numbat")
    comment.refresh_from_db()
    assert comment.body == "Numbat"
    assert comment.edited_at is not None
    assert list(CommentRevision.objects.values_list("body", "editor")) == [
        ("Wombat", cast.colleague.pk)
    ]
    from .support_posts import comment_found

    assert comment_found("numbat") == [comment.pk]


def test_editing_someone_elses_comment_is_refused():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    comment = make_comment(cast.colleague, post, body="Mine")
    with pytest.raises(PermissionRefused):
        services.comment_edit(actor=cast.author, comment=comment, body="Yours")
    assert Comment.objects.get(pk=comment.pk).body == "Mine"
    assert CommentRevision.objects.count() == 0


def test_a_likely_identifier_added_to_a_comment_takes_it_down():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    comment = make_comment(cast.colleague, post)
    result = services.comment_edit(actor=cast.colleague, comment=comment, body=PHONE_TEXT)
    comment.refresh_from_db()
    assert result.published is False
    assert (comment.status, comment.hold_reason) == ("pending", "phi")
    assert Post.objects.get(pk=post.pk).comment_count == 0
    assert notifications_of(cast.author, NotificationKind.REPLY) == []  # withdrawn


def test_deleting_a_comment_uncounts_it_and_unaccepts_it():
    cast = staff_cast()
    post = make_post(cast.author, cast.space, kind=PostKind.QUESTION, title="Which?")
    comment = make_comment(cast.colleague, post)
    services.answer_accept(actor=cast.author, comment=comment)
    services.comment_delete(actor=cast.colleague, comment=comment)
    post.refresh_from_db()
    assert post.comment_count == 0
    assert post.accepted_comment_id is None
    assert Comment.objects.get(pk=comment.pk).status == ContentStatus.DELETED
    with pytest.raises(PermissionRefused):
        services.comment_delete(actor=cast.colleague, comment=comment)


def test_only_the_author_deletes_a_comment():
    cast = staff_cast()
    post = make_post(cast.author, cast.space)
    comment = make_comment(cast.colleague, post)
    with pytest.raises(PermissionRefused):
        services.comment_delete(actor=cast.author, comment=comment)
    assert Comment.objects.get(pk=comment.pk).status == ContentStatus.PUBLISHED


# --- Accepted answers ----------------------------------------------------------------------------


def test_the_asker_accepts_an_answer_and_its_author_is_told_once():
    cast = patient_cast()
    question = make_post(cast.author, cast.space, kind=PostKind.QUESTION, title="Pump or pen?")
    answer = make_comment(cast.clinician, question)
    services.answer_accept(actor=cast.author, comment=answer)
    services.answer_accept(actor=cast.author, comment=answer)
    question.refresh_from_db()
    assert question.accepted_comment_id == answer.pk
    (told,) = notifications_of(cast.clinician, NotificationKind.ANSWER_ACCEPTED)
    assert told.summary == f"accepted your answer in {cast.space.name}"
    assert told.actor_label == "SugarFree"  # the asker wrote under a pseudonym


def test_a_moderator_may_accept_and_a_later_answer_replaces_the_first():
    cast = staff_cast()
    question = make_post(cast.author, cast.space, kind=PostKind.QUESTION, title="Which pump?")
    first = make_comment(cast.colleague, question)
    second = make_comment(cast.moderator, question)
    services.answer_accept(actor=cast.moderator, comment=first)
    services.answer_accept(actor=cast.author, comment=second)
    assert Post.objects.get(pk=question.pk).accepted_comment_id == second.pk


@pytest.mark.parametrize("case", ["not the asker", "not a question", "unpublished answer"])
def test_accepting_an_answer_is_refused(case):
    cast = staff_cast()
    kind = PostKind.DISCUSSION if case == "not a question" else PostKind.QUESTION
    post = make_post(cast.author, cast.space, kind=kind, title="Which pump?")
    answer = make_comment(cast.colleague, post)
    if case == "unpublished answer":
        Comment.objects.filter(pk=answer.pk).update(status=ContentStatus.HIDDEN)
        answer.refresh_from_db()
    actor = cast.colleague if case == "not the asker" else cast.author
    error = ValidationFailed if case == "unpublished answer" else PermissionRefused
    with pytest.raises(error):
        services.answer_accept(actor=actor, comment=answer)
    assert Post.objects.get(pk=post.pk).accepted_comment_id is None
    assert notifications_of(cast.colleague, NotificationKind.ANSWER_ACCEPTED) == []


# --- Attachments ---------------------------------------------------------------------------------


def test_an_image_and_a_document_are_checked_and_kept():
    from ..services.publishing import post_create

    cast = staff_cast()
    image = services.attachment_validate(png_upload(), field_name="attachment_1")
    document = services.attachment_validate(pdf_upload(), field_name="attachment_2")
    post = post_create(
        actor=cast.author,
        space=cast.space,
        body=CLEAN_TEXT,
        attachments=[(image, "The ward's new whiteboard"), (document, "")],
    ).obj
    first, second = post.attachments.order_by("position")
    assert (first.is_image, first.content_type, first.alt_text) == (
        True,
        "image/png",
        "The ward's new whiteboard",
    )
    assert (second.is_image, second.content_type, second.original_name) == (
        False,
        "application/pdf",
        "checklist.pdf",
    )
    assert first.file.name.startswith("community/attachments/")
    assert "ward" not in first.file.name  # the stored name is generated


def test_an_oversized_image_is_refused_clearly():
    upload = png_upload("scan.png", padding=6 * 1024 * 1024)
    with pytest.raises(ValidationFailed) as caught:
        services.attachment_validate(upload, field_name="attachment_1")
    assert caught.value.message == "“scan.png” is 6.0 MB; the limit is 5.0 MB."
    assert "attachment_1" in caught.value.field_errors


def test_a_file_whose_content_is_not_its_type_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        services.attachment_validate(fake_png_upload(), field_name="attachment_1")
    assert caught.value.message == (
        "The content of “not-really.png” is not a .png file. Save it in that format and upload "
        "it again."
    )


def test_an_image_needs_a_description_before_anything_is_stored():
    image = services.attachment_validate(png_upload())
    with pytest.raises(ValidationFailed) as caught:
        services.attachments_check([(image, "  ")])
    assert caught.value.field_errors == {
        "attachments": ["Images need a short description (alt text)."]
    }
