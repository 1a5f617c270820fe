"""What moderators read: the spaces they moderate, a space's queue, its log, a person's history.

The queue holds what waits for a decision: posts and comments held before publishing (the
space's pre-approval, or the privacy guard's hold, with the kinds it found) and content with open
flags. It is built in two steps so that a page costs the same number of queries however long the
queue is: first the keys (what, since when) of everything waiting, then the page's rows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from townsquare.accounts.models import User
from townsquare.core.errors import NotFound, PermissionRefused

from ..display import AuthorLabel, author_label
from ..models import (
    Comment,
    CommunityProfile,
    ContentStatus,
    Flag,
    FlagReason,
    FlagStatus,
    MembershipRole,
    MembershipStatus,
    ModerationAction,
    Post,
    Space,
    SpaceMembership,
)
from ..permissions import (
    can_flag_comment,
    can_flag_post,
    can_moderate_space,
    can_see_space,
    is_global_moderator,
    remember_membership,
)
from .visibility import spaces_seen_by

POST = "post"
COMMENT = "comment"
TARGET_TYPES = (POST, COMMENT)
QUEUE_PAGE_SIZE = 25
LOG_PAGE_SIZE = 50
HOME_PAGE_SIZE = 50
HISTORY_LIMIT = 20

# What a moderator may decide about content, by its status (``services.moderation`` enforces it).
ACTIONS_BY_STATUS: dict[str, tuple[str, ...]] = {
    ContentStatus.PENDING: ("approve", "reject"),
    ContentStatus.PUBLISHED: ("hide", "remove"),
    ContentStatus.HIDDEN: ("restore", "remove"),
    ContentStatus.REMOVED: ("restore",),
    ContentStatus.DELETED: (),
}
ACTION_LABELS = {
    "approve": "Approve",
    "reject": "Reject",
    "hide": "Hide",
    "restore": "Restore",
    "remove": "Remove",
    "dismiss": "Dismiss flags",
}
REASON_REQUIRED = frozenset({"reject", "hide", "remove"})


# --- Finding the space and what is decided ---------------------------------------------------


def space_for_moderation(
    viewer: Any, *, slug: str | None = None, space_id: int | None = None
) -> Space:
    """The space, for its moderators: 404 for who may not know it exists, 403 for the others."""
    space = None
    if slug is not None:
        space = Space.objects.filter(slug=slug).first()
    elif space_id is not None:
        space = Space.objects.filter(pk=space_id).first()
    if space is None or not can_see_space(viewer, space):
        raise NotFound("There is no such space.")
    if not can_moderate_space(viewer, space):
        raise PermissionRefused("Only the moderators of this space may do this.")
    return space


def moderation_target(space: Space, *, target_type: str, target_id: int) -> Post | Comment:
    """A post or comment of ``space`` (any status), with what the decision needs loaded."""
    target: Post | Comment | None
    if target_type == POST:
        target = Post.objects.filter(pk=target_id, space=space).select_related("space").first()
    elif target_type == COMMENT:
        target = (
            Comment.objects.filter(pk=target_id, post__space=space)
            .select_related("post__space")
            .first()
        )
    else:
        target = None
    if target is None:
        raise NotFound(f"There is no such {target_type or 'item'} in this space.")
    return target


def target_type_of(target: Post | Comment) -> str:
    return COMMENT if isinstance(target, Comment) else POST


def space_of(target: Post | Comment) -> Space:
    return target.post.space if isinstance(target, Comment) else target.space


# --- Flags ---------------------------------------------------------------------------------------


def flag_refusal(viewer: Any, target: Post | Comment) -> str:
    """Why the person may not flag ``target`` (which they may see); empty when they may."""
    if isinstance(target, Comment):
        allowed = can_flag_comment(viewer, target) and target.post.status == ContentStatus.PUBLISHED
    else:
        allowed = can_flag_post(viewer, target)
    if allowed:
        return ""
    if target.author_id == getattr(viewer, "pk", None):
        return "You cannot flag what you wrote yourself; edit or delete it instead."
    return "Only published posts and comments can be flagged."


def has_flagged(viewer: Any, target: Post | Comment) -> bool:
    field = COMMENT if isinstance(target, Comment) else POST
    return Flag.objects.filter(reporter=viewer, **{field: target}).exists()


# --- The spaces I moderate -------------------------------------------------------------------


def _count_of(queryset: QuerySet[Any], group: str) -> Coalesce:
    counted = queryset.order_by().values(group).annotate(number=Count("pk")).values("number")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def spaces_moderated_by(viewer: Any) -> QuerySet[Space]:
    """The spaces the person moderates, with ``held_count`` and ``flag_count``, busiest first.

    Center staff and platform moderators moderate every space of the networks they may use."""
    if is_global_moderator(viewer):
        spaces = spaces_seen_by(viewer)
    else:
        spaces = Space.objects.filter(
            memberships__user=viewer,
            memberships__role=MembershipRole.MODERATOR,
            memberships__status=MembershipStatus.ACTIVE,
        )
    held_posts = Post.objects.filter(space=OuterRef("pk"), status=ContentStatus.PENDING)
    held_comments = Comment.objects.filter(post__space=OuterRef("pk"), status=ContentStatus.PENDING)
    open_flags = Flag.objects.filter(space=OuterRef("pk"), status=FlagStatus.OPEN)
    return spaces.annotate(
        held_post_count=_count_of(held_posts, "space"),
        held_comment_count=_count_of(held_comments, "post__space"),
        flag_count=_count_of(open_flags, "space"),
    ).order_by("-held_post_count", "-flag_count", "-held_comment_count", "name", "pk")


def moderates_anything(viewer: Any) -> bool:
    if is_global_moderator(viewer):
        return True
    return SpaceMembership.objects.filter(
        user=viewer, role=MembershipRole.MODERATOR, status=MembershipStatus.ACTIVE
    ).exists()


# --- The queue -------------------------------------------------------------------------------


@dataclass
class QueueFlag:
    flag: Flag
    reporter: AuthorLabel


@dataclass
class QueueItem:
    """One post or comment waiting for a decision (held, flagged, or both)."""

    target_type: str
    obj: Post | Comment
    post: Post
    since: datetime
    flags: list[QueueFlag] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.target_type}-{self.obj.pk}"

    @property
    def is_held(self) -> bool:
        return self.obj.status == ContentStatus.PENDING

    @property
    def reasons(self) -> list[tuple[str, int]]:
        """The flags' reasons with how many people gave each, most given first."""
        counts = Counter(item.flag.reason for item in self.flags)
        labels = dict(FlagReason.choices)
        return [(labels.get(reason, reason), number) for reason, number in counts.most_common()]

    @property
    def actions(self) -> list[str]:
        actions = list(ACTIONS_BY_STATUS.get(self.obj.status, ()))
        if self.flags:
            actions.append("dismiss")
        return actions

    @property
    def action_choices(self) -> list[tuple[str, str]]:
        return [(action, ACTION_LABELS[action]) for action in self.actions]


@dataclass
class QueuePage:
    items: list[QueueItem]
    page: Page
    held_count: int
    flagged_count: int

    @property
    def count(self) -> int:
        return self.page.paginator.count


def _queue_keys(space: Space) -> tuple[list[tuple[datetime, str, int]], int, int]:
    """Everything waiting in the space, oldest first: (since, target type, id); three queries."""
    since: dict[tuple[str, int], datetime] = {}
    held = 0
    held_posts = Post.objects.filter(space=space, status=ContentStatus.PENDING).order_by()
    for created_at, pk in held_posts.values_list("created_at", "pk"):
        since[(POST, pk)] = created_at
        held += 1
    held_comments = Comment.objects.filter(
        post__space=space, status=ContentStatus.PENDING
    ).order_by()
    for created_at, pk in held_comments.values_list("created_at", "pk"):
        since[(COMMENT, pk)] = created_at
        held += 1
    flagged = (
        Flag.objects.filter(space=space, status=FlagStatus.OPEN)
        .order_by()
        .values_list("post_id", "comment_id")
        .annotate(first=Min("created_at"))
    )
    flagged_count = 0
    for post_id, comment_id, first in flagged:
        key = (POST, post_id) if post_id is not None else (COMMENT, comment_id)
        flagged_count += 1
        since[key] = min(since.get(key, first), first)
    keys = sorted((moment, kind, pk) for (kind, pk), moment in since.items())
    return keys, held, flagged_count


def moderation_queue(
    viewer: Any, space: Space, *, page: int | str | None = 1, per_page: int = QUEUE_PAGE_SIZE
) -> QueuePage:
    """A page of the space's queue (the caller has checked ``can_moderate_space``)."""
    keys, held, flagged = _queue_keys(space)
    current = Paginator(keys, per_page).get_page(page)
    return QueuePage(_queue_items(viewer, space, list(current.object_list)), current, held, flagged)


def moderation_queue_slice(
    viewer: Any, space: Space, *, offset: int, limit: int
) -> tuple[list[QueueItem], int, int, int]:
    """``limit`` items of the queue from ``offset`` (the API), with the total, held and flagged
    counts."""
    keys, held, flagged = _queue_keys(space)
    return _queue_items(viewer, space, keys[offset : offset + limit]), len(keys), held, flagged


def _queue_items(
    viewer: Any, space: Space, keys: list[tuple[datetime, str, int]]
) -> list[QueueItem]:
    post_ids = [pk for _moment, kind, pk in keys if kind == POST]
    comment_ids = [pk for _moment, kind, pk in keys if kind == COMMENT]
    posts = _queue_posts(space, post_ids)
    comments = _queue_comments(space, comment_ids)
    flags = _queue_flags(viewer, space, post_ids, comment_ids)
    items = []
    for moment, kind, pk in keys:
        obj: Post | Comment | None = posts.get(pk) if kind == POST else comments.get(pk)
        if obj is None:  # decided between the two steps
            continue
        post = obj if isinstance(obj, Post) else obj.post
        items.append(QueueItem(kind, obj, post, moment, flags.get((kind, pk), [])))
    return items


def _queue_posts(space: Space, ids: list[int]) -> dict[int, Post]:
    if not ids:
        return {}
    posts = (
        Post.objects.filter(pk__in=ids)
        .select_related("author__community_profile", "poll")
        .prefetch_related("attachments", "poll__options")
    )
    found = {}
    for post in posts:
        post.space = space
        found[post.pk] = post
    return found


def _queue_comments(space: Space, ids: list[int]) -> dict[int, Comment]:
    if not ids:
        return {}
    comments = Comment.objects.filter(pk__in=ids).select_related(
        "author__community_profile", "post"
    )
    found = {}
    for comment in comments:
        comment.post.space = space
        found[comment.pk] = comment
    return found


def _queue_flags(
    viewer: Any, space: Space, post_ids: list[int], comment_ids: list[int]
) -> dict[tuple[str, int], list[QueueFlag]]:
    if not post_ids and not comment_ids:
        return {}
    flags = (
        Flag.objects.filter(space=space, status=FlagStatus.OPEN)
        .filter(Q(post_id__in=post_ids) | Q(comment_id__in=comment_ids))
        .select_related("reporter__community_profile")
        .order_by("created_at", "pk")
    )
    found: dict[tuple[str, int], list[QueueFlag]] = {}
    for flag in flags:
        key = (POST, flag.post_id) if flag.post_id is not None else (COMMENT, flag.comment_id)
        label = person_label(viewer, space, flag.reporter)
        found.setdefault(key, []).append(QueueFlag(flag, label))  # type: ignore[arg-type]
    return found


def person_label(viewer: Any, space: Space, person: Any) -> AuthorLabel:
    """How a person (a reporter, a subject) is named to a moderator of ``space``: as they appear in
    the space (their pseudonym in the patient community), with who they are for those who may
    know (load ``community_profile`` with the person)."""
    try:
        profile = person.community_profile
    except CommunityProfile.DoesNotExist:
        profile = None
    pseudonymous = bool(space.is_patient and profile is not None and profile.use_pseudonym)
    return author_label(author=person, as_pseudonym=pseudonymous, space=space, viewer=viewer)


# --- The log ---------------------------------------------------------------------------------


def moderation_log(
    space: Space, *, action: str = "", subject: Any = None
) -> QuerySet[ModerationAction]:
    """The space's decisions, newest first (the caller has checked ``can_moderate_space``)."""
    actions = ModerationAction.objects.filter(space=space).select_related(
        "moderator", "subject__community_profile", "post", "comment"
    )
    if action:
        actions = actions.filter(action=action)
    if subject is not None:
        actions = actions.filter(subject=subject)
    return actions.order_by("-created_at", "-pk")


# --- A person in a space ---------------------------------------------------------------------


@dataclass
class MemberHistory:
    person: Any
    label: AuthorLabel
    membership: SpaceMembership | None
    actions: list[ModerationAction]
    posts: list[Post]
    comments: list[Comment]
    post_counts: dict[str, int]
    comment_counts: dict[str, int]
    flag_counts: dict[str, int]
    flags_filed: int

    @property
    def is_banned(self) -> bool:
        return self.membership is not None and self.membership.status == MembershipStatus.BANNED

    @property
    def muted_until(self) -> datetime | None:
        from django.utils import timezone

        membership = self.membership
        if membership is None or membership.muted_until is None:
            return None
        return membership.muted_until if membership.muted_until > timezone.now() else None


def person_in_space(space: Space, *, user_id: int) -> Any:
    """A person the space knows (a membership of any kind, or something they wrote there); anyone
    else is "not found", so a moderator cannot look up people through a space."""
    part = (
        Exists(SpaceMembership.objects.filter(space=space, user=OuterRef("pk")))
        | Exists(Post.objects.filter(space=space, author=OuterRef("pk")))
        | Exists(Comment.objects.filter(post__space=space, author=OuterRef("pk")))
    )
    person = (
        User.objects.filter(pk=user_id).filter(part).select_related("community_profile").first()
    )
    if person is None:
        raise NotFound("This person has no part in this space.")
    return person


def member_history(viewer: Any, space: Space, person: Any) -> MemberHistory:
    """What a moderator needs to decide about a person: who they are (real identity), their
    membership, the decisions about them, and what they wrote in the space."""
    membership = SpaceMembership.objects.filter(space=space, user=person).first()
    remember_membership(person, space, membership)
    posts = list(
        Post.objects.filter(space=space, author=person).order_by("-created_at", "-pk")[
            :HISTORY_LIMIT
        ]
    )
    comments = list(
        Comment.objects.filter(post__space=space, author=person)
        .select_related("post")
        .order_by("-created_at", "-pk")[:HISTORY_LIMIT]
    )
    for post in posts:
        post.space = space
    for comment in comments:
        comment.post.space = space
    flags_against = Flag.objects.filter(space=space).filter(
        Q(post__author=person) | Q(comment__author=person)
    )
    return MemberHistory(
        person=person,
        label=person_label(viewer, space, person),
        membership=membership,
        actions=list(
            ModerationAction.objects.filter(space=space, subject=person)
            .select_related("moderator", "post", "comment")
            .order_by("-created_at", "-pk")[:50]
        ),
        posts=posts,
        comments=comments,
        post_counts=_status_counts(Post.objects.filter(space=space, author=person)),
        comment_counts=_status_counts(Comment.objects.filter(post__space=space, author=person)),
        flag_counts=_status_counts(flags_against),
        flags_filed=Flag.objects.filter(space=space, reporter=person).count(),
    )


def _status_counts(queryset: QuerySet[Any]) -> dict[str, int]:
    return dict(queryset.order_by().values_list("status").annotate(number=Count("pk")))
