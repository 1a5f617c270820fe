"""What happens to a post or comment after it is written: edits (with their history and the guard
again), deletion by the author, reactions, poll votes and accepted answers.

Writing new posts and comments is ``services.publishing`` (``post_create`` / ``comment_create``);
the moderators' decisions are ``services.moderation``. Counters move with ``F()`` in the same
transaction as the row that explains them, and a second vote or a double click is stopped by the
constraints on ``PollBallot`` and ``Reaction``, never by a check alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row
from townsquare.core.uploads import (
    IMAGE_EXTENSIONS,
    ValidatedUpload,
    document_kind,
    image_kind,
    upload_validate,
)
from townsquare.notifications.models import NotificationKind
from townsquare.notifications.services import notify

from ..models import (
    Comment,
    CommentRevision,
    ContentStatus,
    HoldReason,
    Poll,
    PollBallot,
    PollOption,
    Post,
    PostKind,
    PostRevision,
    Reaction,
    ReactionKind,
)
from ..permissions import (
    can_accept_answer,
    can_delete_comment,
    can_delete_post,
    can_edit_comment,
    can_edit_post,
    can_react_to_comment,
    can_react_to_post,
    can_vote_in,
)
from . import publishing
from .guard import guard_review
from .publishing import (
    MAX_ATTACHMENTS,
    MAX_COMMENT_BODY,
    MAX_POST_BODY,
    MAX_TITLE,
    Published,
    actor_label,
    comment_url,
    post_url,
    uses_pseudonym,
)

IMAGE_MAX_BYTES = 5 * 1024 * 1024
DOCUMENT_MAX_BYTES: int = settings.UPLOAD_MAX_BYTES
MAX_ALT_TEXT = 300


# --- Attachments -----------------------------------------------------------------------------


def attachment_validate(
    upload: UploadedFile, *, field_name: str = "attachments"
) -> ValidatedUpload:
    """Check one attached file: an image (PNG, JPEG, GIF, WebP up to 5 MB, its pixels checked)
    or a document (PDF, Word, PowerPoint, Excel up to the site's upload limit)."""
    name = (upload.name or "").lower()
    is_image = any(name.endswith(extension) for extension in IMAGE_EXTENSIONS)
    kind = image_kind(IMAGE_MAX_BYTES) if is_image else document_kind(DOCUMENT_MAX_BYTES)
    return upload_validate(upload, kind=kind, field_name=field_name)


def attachments_check(attachments: Sequence[tuple[ValidatedUpload, str]]) -> None:
    """Refuse, before anything is stored, what ``publishing.attachment_save`` would refuse
    half-way: too many files, an image without its description."""
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            f"Attach at most {MAX_ATTACHMENTS} files.",
            field_errors={"attachments": [f"Attach at most {MAX_ATTACHMENTS} files."]},
        )
    for upload, alt_text in attachments:
        if upload.content_type.startswith("image/") and not (alt_text or "").strip():
            raise ValidationFailed(
                f"Describe the image “{upload.original_name}” for people who cannot see it.",
                field_errors={"attachments": ["Images need a short description (alt text)."]},
            )
        if len((alt_text or "").strip()) > MAX_ALT_TEXT:
            raise ValidationFailed(
                f"The description of “{upload.original_name}” is too long.",
                field_errors={"attachments": [f"Describe it in {MAX_ALT_TEXT} characters."]},
            )


def guarded_texts(
    *, title: str = "", body: str = "", options: Sequence[str] = ()
) -> dict[str, str]:
    """The texts as the guard scanned them (trimmed, poll options one a line): the positions of
    a ``PhiWarning``'s findings point into these."""
    cleaned = [option.strip() for option in options if option and option.strip()]
    return {
        "title": (title or "").strip(),
        "body": (body or "").strip(),
        "poll_options": "\n".join(cleaned),
    }


# --- Helpers ---------------------------------------------------------------------------------


def _text(value: str, *, field: str, label: str, limit: int, required: bool) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationFailed(
            f"{label} may not contain the NUL character.", field_errors={field: ["Remove it."]}
        )
    if required and not value:
        raise ValidationFailed(
            f"{label} is required.", field_errors={field: [f"Write a {label.lower()}."]}
        )
    if len(value) > limit:
        raise ValidationFailed(
            f"{label} is {len(value):,} characters; the limit is {limit:,}.",
            field_errors={field: [f"Shorten it to {limit:,} characters."]},
        )
    return value


def _notify_mentions(
    *, people: Sequence[Any], content: Post | Comment, url: str, summary: str, key: str
) -> None:
    """Tell the people mentioned; the dedupe key makes an edit tell only those newly mentioned."""
    space = content.space if isinstance(content, Post) else content.post.space
    label = actor_label(content.author, space, as_pseudonym=content.as_pseudonym)
    for person in people:
        notify(
            recipient=person,
            kind=NotificationKind.MENTION,
            summary=summary,
            url=url,
            actor=content.author,
            actor_label=label,
            scope=space.scope,
            scope_label=space.name,
            dedupe_key=key,
        )


# --- Posts -----------------------------------------------------------------------------------


def post_edit(
    *,
    actor: Any,
    post: Post,
    title: str,
    body: str,
    confirm_phi: bool = False,
    request: Any = None,
) -> Published:
    """Change a post's title and text, keeping the old version as a revision.

    The privacy guard runs again: in the patient community a finding raises ``PhiWarning`` until
    the author confirms; in the staff network a likely identifier in a published post takes it
    down for a moderator (``status`` pending, ``hold_reason`` phi). A post already waiting stays
    waiting, and a hidden one stays hidden: an edit never publishes by itself. Nothing is written
    when it raises. Mentions are checked as when posting; newly mentioned people are told.
    """
    if not can_edit_post(actor, post):
        raise PermissionRefused("Only its author may edit this post, while they may post here.")
    space = post.space
    title = _text(
        title,
        field="title",
        label="Title",
        limit=MAX_TITLE,
        required=post.kind != PostKind.DISCUSSION,
    )
    body = _text(
        body, field="body", label="Text", limit=MAX_POST_BODY, required=post.kind != PostKind.POLL
    )
    if not title and not body:
        raise ValidationFailed("Write something.", field_errors={"body": ["Write something."]})
    mentioned = publishing.mention_targets(space=space, texts=[title, body])
    # The guard runs outside the write's transaction: its warning is audited even though the
    # edit then does not happen.
    decision = guard_review(
        actor=actor,
        space=space,
        fields={"title": title, "body": body},
        confirmed=confirm_phi,
        target=post,
        request=request,
    )
    with transaction.atomic():
        locked = lock_row(Post.objects.filter(pk=post.pk))
        if locked.status != post.status or not can_edit_post(actor, locked):
            raise Conflict("The post changed while you were editing it; open it again.")
        if locked.title == title and locked.body == body:
            return Published(post, post.is_published, post.hold_reason, tuple(decision.kinds))
        PostRevision.objects.create(post=post, title=locked.title, body=locked.body, editor=actor)
        now = timezone.now()
        post.title, post.body, post.edited_at = title, body, now
        post.phi_kinds = decision.kinds
        post.phi_confirmed = decision.found and not decision.hold
        fields = ["title", "body", "edited_at", "phi_kinds", "phi_confirmed", "updated_at"]
        taken_down = decision.hold and post.status == ContentStatus.PUBLISHED
        if decision.hold and post.status in (ContentStatus.PUBLISHED, ContentStatus.PENDING):
            post.hold_reason = HoldReason.PHI
            fields.append("hold_reason")
        post.save(update_fields=fields)
        if taken_down:
            publishing.post_unpublished(post, status=ContentStatus.PENDING)
            publishing._tell_moderators_of_hold(space, post_url(post))
        elif post.status == ContentStatus.PUBLISHED:
            publishing.hashtags_sync(post)
            post_pk = post.pk
            transaction.on_commit(lambda: publishing.post_search_sync(post_pk))
            _notify_mentions(
                people=mentioned,
                content=post,
                url=post_url(post),
                summary=f"mentioned you in {space.name}",
                key=f"community.mention:post:{post.pk}",
            )
    return Published(post, post.is_published, post.hold_reason, tuple(decision.kinds))


@transaction.atomic
def post_delete(*, actor: Any, post: Post) -> Post:
    """The author takes their post down for good: out of feeds, counters, tags and search."""
    if not can_delete_post(actor, post):
        raise PermissionRefused("Only its author may delete this post.")
    publishing.post_unpublished(post, status=ContentStatus.DELETED)
    return post


# --- Comments --------------------------------------------------------------------------------


def comment_edit(
    *,
    actor: Any,
    comment: Comment,
    body: str,
    confirm_phi: bool = False,
    request: Any = None,
) -> Published:
    """Change a comment's text, keeping the old text as a revision; the guard runs as for posts
    (a likely identifier in the staff network takes a published comment down for a moderator)."""
    if not can_edit_comment(actor, comment):
        raise PermissionRefused("Only its author may edit this comment, while they may post here.")
    post = comment.post
    space = post.space
    body = _text(body, field="body", label="Comment", limit=MAX_COMMENT_BODY, required=True)
    mentioned = publishing.mention_targets(space=space, texts=[body])
    decision = guard_review(
        actor=actor,
        space=space,
        fields={"body": body},
        confirmed=confirm_phi,
        target=comment,
        request=request,
    )
    with transaction.atomic():
        locked = lock_row(Comment.objects.filter(pk=comment.pk))
        if locked.status != comment.status or not can_edit_comment(actor, locked):
            raise Conflict("The comment changed while you were editing it; open it again.")
        if locked.body == body:
            return Published(
                comment, comment.is_published, comment.hold_reason, tuple(decision.kinds)
            )
        CommentRevision.objects.create(comment=comment, body=locked.body, editor=actor)
        comment.body, comment.edited_at = body, timezone.now()
        comment.phi_kinds = decision.kinds
        comment.phi_confirmed = decision.found and not decision.hold
        fields = ["body", "edited_at", "phi_kinds", "phi_confirmed", "updated_at"]
        taken_down = decision.hold and comment.status == ContentStatus.PUBLISHED
        if decision.hold and comment.status in (ContentStatus.PUBLISHED, ContentStatus.PENDING):
            comment.hold_reason = HoldReason.PHI
            fields.append("hold_reason")
        comment.save(update_fields=fields)
        if taken_down:
            publishing.comment_unpublished(comment, status=ContentStatus.PENDING)
            publishing._tell_moderators_of_hold(space, comment_url(comment))
        elif comment.status == ContentStatus.PUBLISHED:
            comment_pk = comment.pk
            transaction.on_commit(lambda: publishing.comment_search_sync(comment_pk))
            _notify_mentions(
                people=mentioned,
                content=comment,
                url=comment_url(comment),
                summary=f"mentioned you in a comment in {space.name}",
                key=f"community.mention:comment:{comment.pk}",
            )
    return Published(comment, comment.is_published, comment.hold_reason, tuple(decision.kinds))


@transaction.atomic
def comment_delete(*, actor: Any, comment: Comment) -> Comment:
    """The author takes their comment down; replies to it stay, under a "deleted" placeholder."""
    if not can_delete_comment(actor, comment):
        raise PermissionRefused("Only its author may delete this comment.")
    publishing.comment_unpublished(comment, status=ContentStatus.DELETED)
    return comment


# --- Reactions -------------------------------------------------------------------------------


def _reaction_kind(kind: str) -> str:
    if kind not in ReactionKind.values:
        raise ValidationFailed(
            "Choose one of the reactions.",
            field_errors={"kind": [f"One of: {', '.join(ReactionKind.values)}."]},
        )
    return kind


def _reaction_target(target: Post | Comment) -> dict[str, Any]:
    return {"post": target} if isinstance(target, Post) else {"comment": target}


def _check_may_react(actor: Any, target: Post | Comment) -> None:
    allowed = (
        can_react_to_post(actor, target)
        if isinstance(target, Post)
        else can_react_to_comment(actor, target)
    )
    if not allowed:
        raise PermissionRefused("Only members of the space may react, to published posts.")


def _counted(target: Post | Comment, change: int) -> None:
    model = type(target)
    rows = model.objects.filter(pk=target.pk)
    if change < 0:
        rows = rows.filter(reaction_count__gt=0)
    rows.update(reaction_count=F("reaction_count") + change)


def _tell_author_of_reaction(actor: Any, target: Post | Comment) -> None:
    """The author hears of reactions once per post or comment, not once per click."""
    if isinstance(target, Post):
        space, url, what, key = target.space, post_url(target), "post", f"post:{target.pk}"
    else:
        space, url = target.post.space, comment_url(target)
        what, key = "comment", f"comment:{target.pk}"
    notify(
        recipient=target.author,
        kind=NotificationKind.REACTION,
        summary=f"reacted to your {what} in {space.name}",
        url=url,
        actor=actor,
        actor_label=actor_label(actor, space, as_pseudonym=uses_pseudonym(actor, space)),
        scope=space.scope,
        scope_label=space.name,
        dedupe_key=f"community.reaction:{key}",
    )


@transaction.atomic
def reaction_add(*, actor: Any, target: Post | Comment, kind: str) -> bool:
    """Add the actor's reaction of ``kind``; False when it was there already (nothing changes)."""
    kind = _reaction_kind(kind)
    _check_may_react(actor, target)
    try:
        with transaction.atomic():
            Reaction.objects.create(user=actor, kind=kind, **_reaction_target(target))
    except IntegrityError:
        return False
    _counted(target, +1)
    _tell_author_of_reaction(actor, target)
    return True


@transaction.atomic
def reaction_remove(*, actor: Any, target: Post | Comment, kind: str) -> bool:
    """Take the actor's reaction of ``kind`` back; False when there was none."""
    kind = _reaction_kind(kind)
    _check_may_react(actor, target)
    deleted, _ = Reaction.objects.filter(user=actor, kind=kind, **_reaction_target(target)).delete()
    if not deleted:
        return False
    _counted(target, -1)
    return True


@transaction.atomic
def reaction_toggle(*, actor: Any, target: Post | Comment, kind: str) -> bool:
    """The reaction button: add the reaction, or take it back when it is there. True when the
    actor's reaction is now on."""
    kind = _reaction_kind(kind)
    _check_may_react(actor, target)
    if Reaction.objects.filter(user=actor, kind=kind, **_reaction_target(target)).exists():
        reaction_remove(actor=actor, target=target, kind=kind)
        return False
    reaction_add(actor=actor, target=target, kind=kind)
    return True


# --- Polls -----------------------------------------------------------------------------------


@transaction.atomic
def poll_vote(*, actor: Any, post: Post, option_ids: Sequence[int]) -> PollBallot:
    """Cast the actor's one ballot: one option, or several where the poll allows it.

    Lock, check, write: the poll row is locked, then the ballot is refused when the poll closed
    or the actor voted already (the unique constraint stops what slips through). A vote is
    final: a second one is a Conflict and changes nothing.
    """
    if not can_vote_in(actor, post):
        raise PermissionRefused("Only members of the space may vote in its polls.")
    try:
        poll = lock_row(Poll.objects.filter(post=post))
    except Poll.DoesNotExist as error:
        raise NotFound("This post has no poll.") from error
    if poll.closes_at is not None and poll.closes_at <= timezone.now():
        raise Conflict("This poll is closed.")
    chosen = sorted(set(option_ids))
    if not chosen:
        raise ValidationFailed("Choose an option.", field_errors={"options": ["Choose one."]})
    if len(chosen) > 1 and not poll.allows_multiple:
        raise ValidationFailed(
            "This poll takes one choice.", field_errors={"options": ["Choose only one."]}
        )
    options = list(PollOption.objects.filter(poll=poll, pk__in=chosen))
    if len(options) != len(chosen):
        raise ValidationFailed(
            "Choose among this poll's options.",
            field_errors={"options": ["That is not an option of this poll."]},
        )
    if PollBallot.objects.filter(poll=poll, user=actor).exists():
        raise Conflict("You have already voted in this poll; a vote cannot be changed.")
    try:
        with transaction.atomic():
            ballot = PollBallot.objects.create(poll=poll, user=actor)
    except IntegrityError as error:
        raise Conflict("You have already voted in this poll; a vote cannot be changed.") from error
    ballot.options.set(options)
    PollOption.objects.filter(pk__in=chosen).update(vote_count=F("vote_count") + 1)
    Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
    return ballot


# --- Questions -------------------------------------------------------------------------------


@transaction.atomic
def answer_accept(*, actor: Any, comment: Comment) -> Post:
    """Mark a comment as the question's accepted answer (the asker or a moderator); it is shown
    first, with the verified-clinician label when a verified clinician wrote it. Accepting
    another answer replaces the first; accepting the same one again changes nothing."""
    post = comment.post
    if not can_accept_answer(actor, post):
        raise PermissionRefused("Only the person who asked, or a moderator, accepts an answer.")
    locked = lock_row(Post.objects.filter(pk=post.pk))
    if comment.status != ContentStatus.PUBLISHED:
        raise ValidationFailed(
            "Only a published answer can be accepted.",
            field_errors={"comment": ["This comment is not published."]},
        )
    if locked.accepted_comment_id == comment.pk:
        return post
    Post.objects.filter(pk=post.pk).update(accepted_comment=comment, updated_at=timezone.now())
    post.accepted_comment = comment
    space = post.space
    notify(
        recipient=comment.author,
        kind=NotificationKind.ANSWER_ACCEPTED,
        summary=f"accepted your answer in {space.name}",
        url=comment_url(comment),
        actor=actor,
        actor_label=actor_label(
            actor, space, as_pseudonym=actor.pk == post.author_id and post.as_pseudonym
        ),
        scope=space.scope,
        scope_label=space.name,
        dedupe_key=f"community.answer_accepted:{comment.pk}",
    )
    return post
