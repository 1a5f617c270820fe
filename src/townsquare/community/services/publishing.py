"""Writing posts and comments, and what publishing and unpublishing them sets in motion.

``post_create`` and ``comment_create`` are the only ways content enters the community: they check
the gate, validate, pass the privacy guard, and either publish or hold for a moderator. Whatever
publishes content later (a moderator's approval, a restore) calls ``post_published`` /
``comment_published``; whatever takes it down calls ``post_unpublished`` / ``comment_unpublished``,
so counters, hashtags, search and notifications stay in step in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from townsquare.core.errors import PermissionRefused, ValidationFailed
from townsquare.core.search import search_index, search_remove
from townsquare.core.uploads import ValidatedUpload, generated_name
from townsquare.notifications.models import NotificationKind
from townsquare.notifications.selectors import watchers_of
from townsquare.notifications.services import notifications_withdraw, notify, notify_many

from ..documents import COMMENT_KIND, POST_KIND, comment_document, post_document
from ..models import (
    Comment,
    CommunityProfile,
    ContentStatus,
    Hashtag,
    HoldReason,
    MembershipRole,
    MembershipStatus,
    Poll,
    PollOption,
    Post,
    PostAttachment,
    PostHashtag,
    PostKind,
    Space,
)
from ..permissions import (
    can_comment_on,
    can_moderate_space,
    can_post_in,
    can_read_space,
    is_verified_clinician,
)
from ..selectors.visibility import readers_among
from ..text import MAX_HASHTAGS, MAX_MENTIONS, hashtags_in, mentioned_handles
from .guard import GuardDecision, guard_review

MAX_TITLE = 200
MAX_POST_BODY = 20_000
MAX_COMMENT_BODY = 10_000
MAX_POLL_OPTIONS = 10
MAX_ATTACHMENTS = 6
MAX_COMMENT_DEPTH = 3


@dataclass(frozen=True)
class Published:
    """What a create or edit did: the object, whether it is live, and why not if held."""

    obj: Any
    published: bool
    hold_reason: str = ""
    phi_kinds: tuple[str, ...] = ()


# --- Display names ---------------------------------------------------------------------------


def uses_pseudonym(user: Any, space: Space) -> bool:
    if not space.is_patient:
        return False
    profile = CommunityProfile.objects.filter(user=user).only("use_pseudonym").first()
    return bool(profile and profile.use_pseudonym)


def post_url(post: Post) -> str:
    return reverse("community:post_detail", args=[post.pk])


def comment_url(comment: Comment) -> str:
    # The query names the comment with a terminator ("#") after its id, so withdrawing the
    # notifications of comment 1 by this prefix never touches those of comment 10.
    return f"{_comment_url_prefix(comment)}comment-{comment.pk}"


def _comment_url_prefix(comment: Comment) -> str:
    post_path = reverse("community:post_detail", args=[comment.post_id])
    return f"{post_path}?comment={comment.pk}#"


def actor_label(user: Any, space: Space, *, as_pseudonym: bool) -> str:
    """How a notification names the actor: the pseudonym where they used one."""
    if as_pseudonym:
        profile = CommunityProfile.objects.filter(user=user).only("pseudonym").first()
        if profile and profile.pseudonym:
            return profile.pseudonym
    return user.display_name


# --- Validation ------------------------------------------------------------------------------


def _clean_text(value: str, *, field: str, label: str, limit: int, required: bool) -> str:
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


def mention_targets(*, space: Space, texts: Sequence[str]) -> list[Any]:
    """People mentioned in the texts. A mention of someone who cannot read the space is refused
    (they would not be told, and telling them would leak the post)."""
    handles: dict[str, None] = {}
    for text in texts:
        for handle in mentioned_handles(text):
            handles.setdefault(handle, None)
    if not handles:
        return []
    if len(handles) > MAX_MENTIONS:
        raise ValidationFailed(
            f"A post may mention at most {MAX_MENTIONS} people.",
            field_errors={"body": [f"Mention at most {MAX_MENTIONS} people."]},
        )
    profiles = (
        CommunityProfile.objects.annotate(handle_lower=Lower("handle"))
        .filter(handle_lower__in=list(handles), user__is_active=True)
        .select_related("user")
    )
    by_handle = {profile.handle.lower(): profile for profile in profiles}
    people, refused = [], []
    for handle in handles:
        profile = by_handle.get(handle)
        if profile is None:
            continue  # not a person: plain text
        if can_read_space(profile.user, space):
            people.append(profile.user)
        else:
            refused.append(f"@{profile.handle}")
    if refused:
        names = ", ".join(refused)
        raise ValidationFailed(
            f"{names} cannot see this space, so they would not be told. Remove the mention, "
            "or invite them to the space first.",
            field_errors={"body": [f"{names} cannot see this space."]},
        )
    return people


def _poll_options(options: Sequence[str]) -> list[str]:
    cleaned = [option.strip() for option in options if option and option.strip()]
    errors = []
    if len(cleaned) < 2:
        errors.append("Give the poll at least two options.")
    if len(cleaned) > MAX_POLL_OPTIONS:
        errors.append(f"A poll has at most {MAX_POLL_OPTIONS} options.")
    if len({option.lower() for option in cleaned}) != len(cleaned):
        errors.append("Each option must be different.")
    if any(len(option) > 200 for option in cleaned):
        errors.append("An option has at most 200 characters.")
    if errors:
        raise ValidationFailed(errors[0], field_errors={"poll_options": errors})
    return cleaned


# --- Posts -----------------------------------------------------------------------------------


def post_create(
    *,
    actor: Any,
    space: Space,
    body: str,
    title: str = "",
    kind: str = PostKind.DISCUSSION,
    poll_options: Sequence[str] = (),
    poll_allows_multiple: bool = False,
    poll_closes_at: datetime | None = None,
    attachments: Sequence[tuple[ValidatedUpload, str]] = (),
    confirm_phi: bool = False,
    request: Any = None,
) -> Published:
    """Write a post: published at once, or held (pre-approval, or the staff network's PHI hold).

    Raises PermissionRefused (not a member, muted, banned, archived), ValidationFailed (what to
    fix), PhiWarning (patient community: the author must edit or confirm). Nothing is written
    when it raises. ``attachments`` are uploads already checked by ``core.uploads`` with their
    alt text.
    """
    if not can_post_in(actor, space):
        raise PermissionRefused("You may not post in this space. Join it first, if you may.")
    if kind not in PostKind.values:
        raise ValidationFailed("Choose a kind of post.", field_errors={"kind": ["Unknown kind."]})
    title = _clean_text(
        title, field="title", label="Title", limit=MAX_TITLE, required=kind != PostKind.DISCUSSION
    )
    body = _clean_text(
        body, field="body", label="Text", limit=MAX_POST_BODY, required=kind != PostKind.POLL
    )
    if not title and not body:
        raise ValidationFailed("Write something.", field_errors={"body": ["Write something."]})
    options = _poll_options(poll_options) if kind == PostKind.POLL else []
    if kind == PostKind.POLL and poll_closes_at is not None and poll_closes_at <= timezone.now():
        raise ValidationFailed(
            "The poll must close in the future.",
            field_errors={"poll_closes_at": ["Choose a time in the future."]},
        )
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            f"Attach at most {MAX_ATTACHMENTS} files.",
            field_errors={"attachments": [f"Attach at most {MAX_ATTACHMENTS} files."]},
        )
    mentioned = mention_targets(space=space, texts=[title, body, *options])
    decision = guard_review(
        actor=actor,
        space=space,
        fields={"title": title, "body": body, "poll_options": "\n".join(options)},
        confirmed=confirm_phi,
        target=("community.space", space.pk),
        request=request,
    )
    with transaction.atomic():
        hold = _hold_reason(actor, space, decision)
        now = timezone.now()
        post = Post.objects.create(
            space=space,
            author=actor,
            kind=kind,
            title=title,
            body=body,
            status=ContentStatus.PENDING,
            hold_reason=hold,
            phi_kinds=decision.kinds,
            phi_confirmed=confirm_phi and decision.found and space.is_patient,
            as_pseudonym=uses_pseudonym(actor, space),
            last_activity_at=now,
        )
        if kind == PostKind.POLL:
            poll = Poll.objects.create(
                post=post, allows_multiple=poll_allows_multiple, closes_at=poll_closes_at
            )
            PollOption.objects.bulk_create(
                [PollOption(poll=poll, label=label, position=i) for i, label in enumerate(options)]
            )
        for position, (upload, alt_text) in enumerate(attachments):
            attachment_save(post=post, upload=upload, alt_text=alt_text, position=position)
        if hold:
            _tell_moderators_of_hold(space, post_url(post))
        else:
            post_published(post, mentioned=mentioned)
    return Published(post, not hold, hold, tuple(decision.kinds))


def attachment_save(
    *, post: Post, upload: ValidatedUpload, alt_text: str, position: int
) -> PostAttachment:
    alt_text = (alt_text or "").strip()[:300]
    is_image = upload.content_type.startswith("image/")
    if is_image and not alt_text:
        raise ValidationFailed(
            f"Describe the image “{upload.original_name}” for people who cannot see it.",
            field_errors={"attachments": ["Images need a short description (alt text)."]},
        )
    attachment = PostAttachment(
        post=post,
        original_name=upload.original_name[:200],
        content_type=upload.content_type,
        size=upload.file.size or 0,
        is_image=is_image,
        alt_text=alt_text,
        position=position,
    )
    attachment.file.save(
        generated_name("community/attachments", upload.extension), upload.file, save=False
    )
    attachment.save()
    return attachment


def _hold_reason(actor: Any, space: Space, decision: GuardDecision) -> str:
    if decision.hold:
        return HoldReason.PHI
    # Moderators' own posts need no approval (as in Discourse); the PHI hold still applies.
    if space.requires_approval and not can_moderate_space(actor, space):
        return HoldReason.APPROVAL
    return HoldReason.NONE


def _tell_moderators_of_hold(space: Space, url: str) -> None:
    moderators = [
        membership.user
        for membership in space.memberships.filter(
            role=MembershipRole.MODERATOR, status=MembershipStatus.ACTIVE
        ).select_related("user")
    ]
    notify_many(
        recipients=moderators,
        kind=NotificationKind.MODERATION,
        summary=f"wrote something that waits for a moderator in {space.name}",
        actor_label="A member",
        url=reverse("community:moderation_queue", args=[space.slug]),
        scope=space.scope,
        scope_label=space.name,
        dedupe_key=f"community.hold:{url}",
    )


def post_published(post: Post, *, mentioned: Sequence[Any] | None = None) -> bool:
    """A post goes live (at creation, on approval, on restore): counters, tags, search, news.

    A conditional update makes it happen once: a post that is already live is left alone (and
    False returned), so two moderators approving at once count it once.
    """
    space = post.space
    now = timezone.now()
    first_time = post.published_at is None
    published_at = post.published_at or now
    changed = (
        Post.objects.filter(pk=post.pk)
        .exclude(status__in=[ContentStatus.PUBLISHED, ContentStatus.DELETED])
        .update(status=ContentStatus.PUBLISHED, hold_reason="", published_at=published_at)
    )
    if not changed:
        return False
    post.status, post.hold_reason, post.published_at = ContentStatus.PUBLISHED, "", published_at
    Space.objects.filter(pk=space.pk).update(post_count=F("post_count") + 1, last_post_at=now)
    hashtags_sync(post)
    transaction.on_commit(lambda: post_search_sync(post.pk))
    if not first_time:
        return True  # restored or approved again after an edit: announced the first time only
    if mentioned is None:
        mentioned = mention_targets_lenient(space, [post.title, post.body])
    label = actor_label(post.author, space, as_pseudonym=post.as_pseudonym)
    url = post_url(post)
    for person in mentioned:
        notify(
            recipient=person,
            kind=NotificationKind.MENTION,
            summary=f"mentioned you in {space.name}",
            url=url,
            actor=post.author,
            actor_label=label,
            scope=space.scope,
            scope_label=space.name,
            dedupe_key=f"community.mention:post:{post.pk}",
        )
    notify_many(
        recipients=readers_among(space, watchers_of(space.scope)),
        kind=NotificationKind.NEW_POST,
        summary=f"posted in {space.name}",
        url=url,
        actor=post.author,
        actor_label=label,
        scope=space.scope,
        scope_label=space.name,
        dedupe_key=f"community.new_post:{post.pk}",
    )
    return True


def mention_targets_lenient(space: Space, texts: Sequence[str]) -> list[Any]:
    """Mentions at approval time: those who can read the space now (the others are left out)."""
    try:
        return mention_targets(space=space, texts=texts)
    except ValidationFailed:
        handles = {handle for text in texts for handle in mentioned_handles(text)}
        profiles = (
            CommunityProfile.objects.annotate(handle_lower=Lower("handle"))
            .filter(handle_lower__in=list(handles)[:MAX_MENTIONS], user__is_active=True)
            .select_related("user")
        )
        return [profile.user for profile in profiles if can_read_space(profile.user, space)]


def post_unpublished(post: Post, *, status: str, reason: str = "", moderator: Any = None) -> None:
    """A post goes down (hidden, removed, deleted, or a held post rejected): the reverse of
    ``post_published`` when it was live. Conditional updates make the reversal happen once."""
    decision = {
        "status": status,
        "moderation_reason": reason[:1000],
        "moderated_by": moderator,
        "moderated_at": timezone.now() if moderator else None,
    }
    was_published = (
        Post.objects.filter(pk=post.pk, status=ContentStatus.PUBLISHED).update(**decision) == 1
    )
    if not was_published:
        Post.objects.filter(pk=post.pk).exclude(status=ContentStatus.DELETED).update(**decision)
    post.status = status
    post.moderation_reason = decision["moderation_reason"]
    if not was_published:
        return
    Space.objects.filter(pk=post.space_id, post_count__gt=0).update(post_count=F("post_count") - 1)
    hashtags_release(post)
    post_pk = post.pk
    transaction.on_commit(lambda: _post_search_remove(post_pk))
    notifications_withdraw(scope=post.space.scope, url_prefix=post_url(post))


def _post_search_remove(post_pk: int) -> None:
    search_remove(POST_KIND, post_pk)
    for comment_pk in Comment.objects.filter(post_id=post_pk).values_list("pk", flat=True):
        search_remove(COMMENT_KIND, comment_pk)


def hashtags_sync(post: Post) -> None:
    names = hashtags_in(f"{post.title}\n{post.body}")[:MAX_HASHTAGS]
    current = dict(PostHashtag.objects.filter(post=post).values_list("hashtag__name", "hashtag_id"))
    gone = [hashtag_id for name, hashtag_id in current.items() if name not in names]
    if gone:
        PostHashtag.objects.filter(post=post, hashtag_id__in=gone).delete()
        Hashtag.objects.filter(pk__in=gone, post_count__gt=0).update(post_count=F("post_count") - 1)
    new = [name for name in names if name not in current]
    if not new:
        return
    now = timezone.now()
    Hashtag.objects.bulk_create([Hashtag(name=name) for name in new], ignore_conflicts=True)
    hashtags = list(Hashtag.objects.filter(name__in=new))
    PostHashtag.objects.bulk_create(
        [PostHashtag(post=post, hashtag=hashtag) for hashtag in hashtags], ignore_conflicts=True
    )
    Hashtag.objects.filter(pk__in=[h.pk for h in hashtags]).update(
        post_count=F("post_count") + 1, last_used_at=now
    )


def hashtags_release(post: Post) -> None:
    ids = list(PostHashtag.objects.filter(post=post).values_list("hashtag_id", flat=True))
    if ids:
        PostHashtag.objects.filter(post=post).delete()
        Hashtag.objects.filter(pk__in=ids, post_count__gt=0).update(post_count=F("post_count") - 1)


def post_search_sync(post_pk: int) -> None:
    post = Post.objects.filter(pk=post_pk).select_related("space").first()
    if post is None or post.status != ContentStatus.PUBLISHED:
        search_remove(POST_KIND, post_pk)
        return
    search_index(POST_KIND, post.pk, **post_document(post))


# --- Comments --------------------------------------------------------------------------------


def comment_create(
    *,
    actor: Any,
    post: Post,
    body: str,
    parent: Comment | None = None,
    confirm_phi: bool = False,
    request: Any = None,
) -> Published:
    """Write a comment (a reply when ``parent`` is given); the guard runs as for posts.

    Comments are not held for pre-approval (that is for posts); a likely identifier in the staff
    network holds a comment as it holds a post.
    """
    space = post.space
    if not can_comment_on(actor, post):
        raise PermissionRefused("You may not comment here.")
    if parent is not None and (
        parent.post_id != post.pk or parent.status != ContentStatus.PUBLISHED
    ):
        raise ValidationFailed(
            "You can only reply to a published comment of this post.",
            field_errors={"parent": ["Reply to a comment of this post."]},
        )
    body = _clean_text(body, field="body", label="Comment", limit=MAX_COMMENT_BODY, required=True)
    mentioned = mention_targets(space=space, texts=[body])
    decision = guard_review(
        actor=actor,
        space=space,
        fields={"body": body},
        confirmed=confirm_phi,
        target=("community.post", post.pk),
        request=request,
    )
    with transaction.atomic():
        replied_to = parent.author if parent is not None else None
        depth = min((parent.depth + 1) if parent else 0, MAX_COMMENT_DEPTH)
        if parent is not None and parent.depth >= MAX_COMMENT_DEPTH:
            parent = parent.parent  # the deepest threads continue at the same level
        comment = Comment.objects.create(
            post=post,
            author=actor,
            parent=parent,
            depth=depth,
            body=body,
            status=ContentStatus.PENDING,
            hold_reason=HoldReason.PHI if decision.hold else HoldReason.NONE,
            phi_kinds=decision.kinds,
            phi_confirmed=confirm_phi and decision.found and space.is_patient,
            as_pseudonym=uses_pseudonym(actor, space),
            by_verified_clinician=is_verified_clinician(actor),
        )
        if decision.hold:
            _tell_moderators_of_hold(space, comment_url(comment))
        else:
            comment_published(comment, mentioned=mentioned, replied_to=replied_to)
    return Published(
        comment, not decision.hold, HoldReason.PHI if decision.hold else "", tuple(decision.kinds)
    )


def comment_published(
    comment: Comment, *, mentioned: Sequence[Any] | None = None, replied_to: Any = None
) -> bool:
    """A comment goes live (at creation or on approval/restore), once."""
    post = comment.post
    space = post.space
    # Held comments are announced when approved; restored ones were announced before.
    first_time = comment.status == ContentStatus.PENDING
    changed = (
        Comment.objects.filter(pk=comment.pk)
        .exclude(status__in=[ContentStatus.PUBLISHED, ContentStatus.DELETED])
        .update(status=ContentStatus.PUBLISHED, hold_reason="")
    )
    if not changed:
        return False
    comment.status, comment.hold_reason = ContentStatus.PUBLISHED, ""
    Post.objects.filter(pk=post.pk).update(
        comment_count=F("comment_count") + 1, last_activity_at=timezone.now()
    )
    transaction.on_commit(lambda: comment_search_sync(comment.pk))
    if not first_time:
        return True  # restored, or approved after an edit: announced the first time only
    if mentioned is None:
        mentioned = mention_targets_lenient(space, [comment.body])
    label = actor_label(comment.author, space, as_pseudonym=comment.as_pseudonym)
    url = comment_url(comment)
    told: set[int] = {comment.author_id}
    if replied_to is None and comment.parent_id and comment.parent:
        replied_to = comment.parent.author
    for person, summary in (
        (replied_to, f"replied to your comment in {space.name}"),
        (post.author, f"commented on your post in {space.name}"),
    ):
        if person is not None and person.pk not in told and can_read_space(person, space):
            told.add(person.pk)
            notify(
                recipient=person,
                kind=NotificationKind.REPLY,
                summary=summary,
                url=url,
                actor=comment.author,
                actor_label=label,
                scope=space.scope,
                scope_label=space.name,
                dedupe_key=f"community.reply:{comment.pk}",
            )
    for person in mentioned:
        if person.pk in told:
            continue
        told.add(person.pk)
        notify(
            recipient=person,
            kind=NotificationKind.MENTION,
            summary=f"mentioned you in a comment in {space.name}",
            url=url,
            actor=comment.author,
            actor_label=label,
            scope=space.scope,
            scope_label=space.name,
            dedupe_key=f"community.mention:comment:{comment.pk}",
        )
    return True


def comment_unpublished(
    comment: Comment, *, status: str, reason: str = "", moderator: Any = None
) -> None:
    decision = {
        "status": status,
        "moderation_reason": reason[:1000],
        "moderated_by": moderator,
        "moderated_at": timezone.now() if moderator else None,
    }
    was_published = (
        Comment.objects.filter(pk=comment.pk, status=ContentStatus.PUBLISHED).update(**decision)
        == 1
    )
    if not was_published:
        Comment.objects.filter(pk=comment.pk).exclude(status=ContentStatus.DELETED).update(
            **decision
        )
    comment.status = status
    comment.moderation_reason = decision["moderation_reason"]
    if not was_published:
        return
    Post.objects.filter(pk=comment.post_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
    Post.objects.filter(pk=comment.post_id, accepted_comment_id=comment.pk).update(
        accepted_comment=None
    )
    comment_pk = comment.pk
    transaction.on_commit(lambda: search_remove(COMMENT_KIND, comment_pk))
    notifications_withdraw(scope=comment.post.space.scope, url_prefix=_comment_url_prefix(comment))


def comment_search_sync(comment_pk: int) -> None:
    comment = Comment.objects.filter(pk=comment_pk).select_related("post").first()
    if (
        comment is None
        or comment.status != ContentStatus.PUBLISHED
        or comment.post.status != ContentStatus.PUBLISHED
    ):
        search_remove(COMMENT_KIND, comment_pk)
        return
    search_index(COMMENT_KIND, comment.pk, **comment_document(comment))
