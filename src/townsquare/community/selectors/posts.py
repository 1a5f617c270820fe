"""Reading one post as a person may see it: the post, its poll, reactions, attachments and the
threaded comments, in a fixed number of queries however many comments there are.

Every function asks the gates in ``permissions.py``: what the viewer may not know exists is a
``NotFound``, never a different answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.safestring import SafeString

from townsquare.core.errors import NotFound
from townsquare.privacy import PhiKind

from ..markdown import render_post
from ..models import (
    Comment,
    CommunityProfile,
    ContentStatus,
    HoldReason,
    Poll,
    PollBallot,
    PollOption,
    Post,
    PostAttachment,
    PostKind,
    PostRevision,
    Reaction,
    ReactionKind,
    Space,
)
from ..permissions import (
    can_accept_answer,
    can_comment_on,
    can_delete_comment,
    can_delete_post,
    can_edit_comment,
    can_edit_post,
    can_flag_comment,
    can_flag_post,
    can_moderate_space,
    can_react_to_comment,
    can_react_to_post,
    can_see_comment,
    can_see_post,
    can_vote_in,
)
from ..text import mentioned_handles

MAX_COMMENTS_SHOWN = 2000


# --- One post, one comment -------------------------------------------------------------------


def post_queryset() -> QuerySet[Post]:
    return Post.objects.select_related("space", "author__community_profile", "poll")


def post_get(*, viewer: Any, post_id: int) -> Post:
    """The post, if the viewer may see it (published and readable; or their own, or one they
    moderate, while it waits, is hidden or removed)."""
    post = post_queryset().filter(pk=post_id).first()
    if post is None or not can_see_post(viewer, post):
        raise NotFound("There is no such post, or it is not yours to see.")
    return post


def comment_get(*, viewer: Any, comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_related(
            "post__space", "post__author__community_profile", "author__community_profile"
        )
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or not can_see_comment(viewer, comment):
        raise NotFound("There is no such comment, or it is not yours to see.")
    return comment


def attachment_get(*, viewer: Any, attachment_id: int) -> PostAttachment:
    attachment = (
        PostAttachment.objects.select_related("post__space").filter(pk=attachment_id).first()
    )
    if attachment is None or not can_see_post(viewer, attachment.post):
        raise NotFound("There is no such file, or it is not yours to see.")
    return attachment


def revisions_of(post: Post) -> QuerySet[PostRevision]:
    return post.revisions.select_related("editor").order_by("-created_at", "-pk")


def can_see_history(viewer: Any, post: Post) -> bool:
    """The edit history: the author and the space's moderators (revisions may hold what a
    moderator took out)."""
    return bool(
        getattr(viewer, "is_authenticated", False)
        and (post.author_id == viewer.pk or can_moderate_space(viewer, post.space))
    )


def handles_known(texts: Iterable[str]) -> set[str]:
    """The mentioned handles (lower case) that belong to someone: one query for a whole page."""
    handles = {handle for text in texts for handle in mentioned_handles(text)}
    if not handles:
        return set()
    return set(
        CommunityProfile.objects.annotate(lowered=Lower("handle"))
        .filter(lowered__in=handles, user__is_active=True)
        .values_list("lowered", flat=True)
    )


# --- Holds and what the guard found -----------------------------------------------------------


def kind_labels(kinds: Iterable[str]) -> list[str]:
    """What the privacy guard found, in words ("Telephone number"), from the kinds kept on a
    post or comment (never the text itself)."""
    labels = dict(PhiKind.choices)
    return sorted({str(labels.get(kind, kind)) for kind in kinds})


def hold_explanation(hold_reason: str, phi_kinds: Iterable[str]) -> str:
    """Why something waits for a moderator, as its author and the moderators read it."""
    if hold_reason == HoldReason.PHI:
        found = ", ".join(kind_labels(phi_kinds)).lower() or "an identifier"
        return (
            f"the privacy guard found what may identify a person ({found}). A moderator checks "
            "it before anyone else can read it; you can still edit it to take that out."
        )
    if hold_reason == HoldReason.APPROVAL:
        return "this space's moderators approve every post before it is published."
    return ""


# --- Reactions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReactionCount:
    kind: str
    label: str
    count: int
    mine: bool


REACTION_LABELS = dict(ReactionKind.choices)


def reaction_bar(counts: dict[str, int], mine: set[str]) -> list[ReactionCount]:
    return [
        ReactionCount(kind, REACTION_LABELS[kind], counts.get(kind, 0), kind in mine)
        for kind in ReactionKind.values
    ]


def reactions_of(
    viewer: Any, *, posts: Iterable[int] = (), comments: Iterable[int] = ()
) -> tuple[dict[tuple[str, int], dict[str, int]], set[tuple[str, int, str]]]:
    """Reaction counts by (``"post"``/``"comment"``, id) and kind, and the viewer's own
    reactions as (target, id, kind): one query for a whole page."""
    post_ids, comment_ids = list(posts), list(comments)
    counts: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    mine: set[tuple[str, int, str]] = set()
    if not post_ids and not comment_ids:
        return counts, mine
    viewer_id = viewer.pk if getattr(viewer, "is_authenticated", False) else None
    rows = (
        Reaction.objects.filter(Q(post_id__in=post_ids) | Q(comment_id__in=comment_ids))
        .values("post_id", "comment_id", "kind")
        .annotate(total=Count("pk"), own=Count("pk", filter=Q(user_id=viewer_id)))
        .order_by()
    )
    for row in rows:
        target = ("post", row["post_id"]) if row["post_id"] else ("comment", row["comment_id"])
        counts[target][row["kind"]] = row["total"]
        if row["own"]:
            mine.add((target[0], target[1], row["kind"]))
    return counts, mine


def reaction_bar_of(viewer: Any, target: Post | Comment) -> list[ReactionCount]:
    name = "post" if isinstance(target, Post) else "comment"
    counts, mine = reactions_of(
        viewer,
        posts=[target.pk] if name == "post" else [],
        comments=[target.pk] if name == "comment" else [],
    )
    return reaction_bar(
        counts.get((name, target.pk), {}),
        {kind for kind_target, pk, kind in mine if (kind_target, pk) == (name, target.pk)},
    )


# --- Polls -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionResult:
    option: PollOption
    votes: int
    percent: int
    chosen: bool


@dataclass(frozen=True)
class PollView:
    poll: Poll
    options: list[OptionResult]
    has_voted: bool
    is_closed: bool
    can_vote: bool
    show_results: bool
    voter_count: int


def poll_view(viewer: Any, post: Post) -> PollView | None:
    """The poll as the viewer sees it. Results show once the viewer voted, when the poll closed,
    and to those who may not vote (the counts never say who voted for what)."""
    if post.kind != PostKind.POLL:
        return None
    try:
        poll = post.poll
    except Poll.DoesNotExist:
        return None
    options = list(poll.options.order_by("position", "pk"))
    chosen: set[int] = set()
    if getattr(viewer, "is_authenticated", False):
        chosen = set(
            PollBallot.options.through.objects.filter(
                pollballot__poll=poll, pollballot__user=viewer
            ).values_list("polloption_id", flat=True)
        )
    has_voted = bool(chosen)
    is_closed = poll.closes_at is not None and poll.closes_at <= timezone.now()
    can_vote = not has_voted and not is_closed and can_vote_in(viewer, post)
    total = sum(option.vote_count for option in options)
    results = [
        OptionResult(
            option=option,
            votes=option.vote_count,
            percent=round(100 * option.vote_count / total) if total else 0,
            chosen=option.pk in chosen,
        )
        for option in options
    ]
    return PollView(
        poll=poll,
        options=results,
        has_voted=has_voted,
        is_closed=is_closed,
        can_vote=can_vote,
        show_results=has_voted or is_closed or not can_vote,
        voter_count=poll.voter_count,
    )


# --- Comments --------------------------------------------------------------------------------


@dataclass
class CommentNode:
    """A comment in the thread. ``visible`` False is a placeholder ("deleted") kept because
    replies the viewer may see hang under it; its text is never shown."""

    comment: Comment
    visible: bool
    html: SafeString | str = ""
    reactions: list[ReactionCount] = field(default_factory=list)
    replies: list[CommentNode] = field(default_factory=list)
    is_accepted: bool = False
    hold_text: str = ""
    can_reply: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_flag: bool = False
    can_react: bool = False
    can_accept: bool = False

    @property
    def anchor(self) -> str:
        return f"comment-{self.comment.pk}"


def _comment_visible(viewer: Any, comment: Comment, *, moderator: bool) -> bool:
    if comment.status == ContentStatus.PUBLISHED:
        return True
    if comment.status == ContentStatus.DELETED:
        return False
    return moderator or (
        getattr(viewer, "is_authenticated", False) and comment.author_id == viewer.pk
    )


def comments_visible_to(viewer: Any, post: Post) -> QuerySet[Comment]:
    """The post's comments the viewer may read (for lists: the API)."""
    comments = post.comments.select_related("author__community_profile").exclude(
        status=ContentStatus.DELETED
    )
    if can_moderate_space(viewer, post.space):
        return comments.order_by("created_at", "pk")
    if post.status != ContentStatus.PUBLISHED:
        return comments.none()
    mine = Q(author_id=viewer.pk) if getattr(viewer, "is_authenticated", False) else Q()
    return comments.filter(Q(status=ContentStatus.PUBLISHED) | mine).order_by("created_at", "pk")


@dataclass
class PostPage:
    post: Post
    html: SafeString | str
    attachments: list[PostAttachment]
    reactions: list[ReactionCount]
    poll: PollView | None
    threads: list[CommentNode]
    accepted: CommentNode | None
    comments_shown: int
    comments_truncated: bool
    is_author: bool
    is_moderator: bool
    can_edit: bool
    can_delete: bool
    can_comment: bool
    can_react: bool
    can_flag: bool
    can_see_history: bool


def _thread(nodes: dict[int, CommentNode], comments: list[Comment]) -> list[CommentNode]:
    roots: list[CommentNode] = []
    for comment in comments:
        node = nodes[comment.pk]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent.replies if parent is not None else roots).append(node)
    return roots


def _prune(nodes: list[CommentNode]) -> list[CommentNode]:
    """Drop placeholders with nothing visible under them."""
    kept = []
    for node in nodes:
        node.replies = _prune(node.replies)
        if node.visible or node.replies:
            kept.append(node)
    return kept


def _count(nodes: list[CommentNode]) -> int:
    return sum(int(node.visible) + _count(node.replies) for node in nodes)


def post_page(*, viewer: Any, post: Post) -> PostPage:
    """Everything the post page shows, for a viewer who may see the post (``post_get``)."""
    space: Space = post.space
    moderator = can_moderate_space(viewer, space)
    comments_readable = moderator or post.status == ContentStatus.PUBLISHED
    comments: list[Comment] = []
    if comments_readable:
        comments = list(
            post.comments.select_related("author__community_profile").order_by("created_at", "pk")[
                : MAX_COMMENTS_SHOWN + 1
            ]
        )
    truncated = len(comments) > MAX_COMMENTS_SHOWN
    comments = comments[:MAX_COMMENTS_SHOWN]
    visible = {c.pk for c in comments if _comment_visible(viewer, c, moderator=moderator)}
    known = handles_known([post.title, post.body, *(c.body for c in comments if c.pk in visible)])
    counts, mine = reactions_of(viewer, posts=[post.pk], comments=visible)

    def bar(target: str, pk: int) -> list[ReactionCount]:
        return reaction_bar(
            counts.get((target, pk), {}),
            {kind for name, key, kind in mine if (name, key) == (target, pk)},
        )

    may_comment = can_comment_on(viewer, post)
    may_accept = can_accept_answer(viewer, post)
    nodes: dict[int, CommentNode] = {}
    for comment in comments:
        comment.post = post  # the gates read comment.post.space: no query per comment
        shown = comment.pk in visible
        published = comment.status == ContentStatus.PUBLISHED
        nodes[comment.pk] = CommentNode(
            comment=comment,
            visible=shown,
            html=render_post(comment.body, known_handles=known) if shown else "",
            reactions=bar("comment", comment.pk) if shown else [],
            is_accepted=comment.pk == post.accepted_comment_id,
            hold_text=hold_explanation(comment.hold_reason, comment.phi_kinds)
            if shown and comment.hold_reason
            else "",
            can_reply=shown and published and may_comment,
            can_edit=shown and can_edit_comment(viewer, comment),
            can_delete=shown and can_delete_comment(viewer, comment),
            can_flag=shown and can_flag_comment(viewer, comment),
            can_react=shown and can_react_to_comment(viewer, comment),
            can_accept=shown and published and may_accept,
        )
    threads = _prune(_thread(nodes, comments))
    accepted = nodes.get(post.accepted_comment_id) if post.accepted_comment_id else None
    if accepted is not None and not accepted.visible:
        accepted = None
    if accepted is not None:
        # The thread holding the accepted answer comes first.
        root = accepted.comment
        while root.parent_id and root.parent_id in nodes:
            root = nodes[root.parent_id].comment
        threads.sort(key=lambda node: node.comment.pk != root.pk)
    is_author = bool(getattr(viewer, "is_authenticated", False) and post.author_id == viewer.pk)
    return PostPage(
        post=post,
        html=render_post(post.body, known_handles=known),
        attachments=list(post.attachments.order_by("position", "pk")),
        reactions=bar("post", post.pk),
        poll=poll_view(viewer, post),
        threads=threads,
        accepted=accepted,
        comments_shown=_count(threads),
        comments_truncated=truncated,
        is_author=is_author,
        is_moderator=moderator,
        can_edit=can_edit_post(viewer, post),
        can_delete=can_delete_post(viewer, post),
        can_comment=may_comment,
        can_react=can_react_to_post(viewer, post),
        can_flag=can_flag_post(viewer, post),
        can_see_history=can_see_history(viewer, post),
    )
