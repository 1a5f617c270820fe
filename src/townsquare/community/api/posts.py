"""Community API: posts, comments, reactions, poll votes and accepted answers, mounted at
/api/v1/community/.

Writing goes through ``services.publishing`` (the guard at the door: a patient-community warning is
a 422 problem with ``findings``; a staff-network hold is a 201 with ``status`` pending and its
``hold_reason``). Reads ask the gates: what the caller may not see is a 404.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from dataclasses import asdict
from typing import Any

from django.urls import reverse
from ninja import Path, Query, Status

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound, PermissionRefused, ValidationFailed
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import MAX_OFFSET

from ..display import content_author_label
from ..markdown import render_post
from ..models import Comment, Post, ReactionKind, Space
from ..permissions import (
    can_comment_on,
    can_delete_post,
    can_edit_post,
    can_flag_post,
    can_moderate_space,
    can_post_in,
    can_react_to_post,
    can_see_space,
)
from ..selectors import posts as selectors
from ..services import posts as services
from ..services import publishing
from .posts_schemas import (
    AcceptedOut,
    CommentIn,
    CommentListOut,
    CommentOut,
    CommentPatchIn,
    PollOut,
    PostDetailOut,
    PostIn,
    PostPatchIn,
    ReactionIn,
    ReactionsOut,
    VoteIn,
)
from .router import router

SpaceId = Path(..., ge=1, le=MAX_OBJECT_ID)
PostId = Path(..., ge=1, le=MAX_OBJECT_ID)
CommentId = Path(..., ge=1, le=MAX_OBJECT_ID)


# --- Shaping the answers -----------------------------------------------------------------------


def _insider(viewer: Any, content: Post | Comment, space: Space) -> bool:
    """The author and the moderators see why something waits and what the guard found."""
    return content.author_id == viewer.pk or can_moderate_space(viewer, space)


def _reactions(bar: list[selectors.ReactionCount]) -> list[dict[str, Any]]:
    return [
        {"kind": reaction.kind, "count": reaction.count, "mine": reaction.mine} for reaction in bar
    ]


def _poll(poll: selectors.PollView | None) -> dict[str, Any] | None:
    if poll is None:
        return None
    return {
        "allows_multiple": poll.poll.allows_multiple,
        "closes_at": poll.poll.closes_at,
        "is_closed": poll.is_closed,
        "voter_count": poll.voter_count,
        "has_voted": poll.has_voted,
        "can_vote": poll.can_vote,
        "options": [
            {
                "id": result.option.pk,
                "label": result.option.label,
                "votes": result.votes if poll.show_results else None,
                "chosen": result.chosen,
            }
            for result in poll.options
        ],
    }


def post_out(viewer: Any, post: Post) -> dict[str, Any]:
    space = post.space
    insider = _insider(viewer, post, space)
    known = selectors.handles_known([post.title, post.body])
    return {
        "id": post.pk,
        "url": publishing.post_url(post),
        "space_id": space.pk,
        "space_slug": space.slug,
        "space_name": space.name,
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "body_html": str(render_post(post.body, known_handles=known)),
        "status": post.status,
        "hold_reason": post.hold_reason if insider else "",
        "hold_explanation": selectors.hold_explanation(post.hold_reason, post.phi_kinds)
        if insider
        else "",
        "phi_kinds": list(post.phi_kinds) if insider else [],
        "moderation_reason": post.moderation_reason if insider else "",
        "author": asdict(content_author_label(post, viewer)),
        "created_at": post.created_at,
        "published_at": post.published_at,
        "edited_at": post.edited_at,
        "comment_count": post.comment_count,
        "reaction_count": post.reaction_count,
        "reactions": _reactions(selectors.reaction_bar_of(viewer, post)),
        "accepted_comment_id": post.accepted_comment_id,
        "poll": _poll(selectors.poll_view(viewer, post)),
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "is_image": attachment.is_image,
                "alt_text": attachment.alt_text,
                "url": reverse("community:attachment_download", args=[attachment.pk]),
            }
            for attachment in post.attachments.order_by("position", "pk")
        ],
        "permissions": {
            "can_edit": can_edit_post(viewer, post),
            "can_delete": can_delete_post(viewer, post),
            "can_comment": can_comment_on(viewer, post),
            "can_react": can_react_to_post(viewer, post),
            "can_flag": can_flag_post(viewer, post),
            "can_see_history": selectors.can_see_history(viewer, post),
        },
    }


def comment_out(
    viewer: Any,
    comment: Comment,
    *,
    bar: list[selectors.ReactionCount],
    known: set[str] | None = None,
) -> dict[str, Any]:
    post = comment.post
    insider = _insider(viewer, comment, post.space)
    return {
        "id": comment.pk,
        "url": publishing.comment_url(comment),
        "post_id": comment.post_id,
        "parent_id": comment.parent_id,
        "depth": comment.depth,
        "body": comment.body,
        "body_html": str(render_post(comment.body, known_handles=known)),
        "status": comment.status,
        "hold_reason": comment.hold_reason if insider else "",
        "hold_explanation": selectors.hold_explanation(comment.hold_reason, comment.phi_kinds)
        if insider
        else "",
        "moderation_reason": comment.moderation_reason if insider else "",
        "author": asdict(content_author_label(comment, viewer)),
        "by_verified_clinician": comment.by_verified_clinician,
        "is_accepted": post.accepted_comment_id == comment.pk,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "reaction_count": comment.reaction_count,
        "reactions": _reactions(bar),
    }


def _one_comment(viewer: Any, comment: Comment) -> dict[str, Any]:
    return comment_out(
        viewer,
        comment,
        bar=selectors.reaction_bar_of(viewer, comment),
        known=selectors.handles_known([comment.body]),
    )


def _space_to_post_in(viewer: Any, space_id: int) -> Space:
    space = Space.objects.filter(pk=space_id).first()
    if space is None or not can_see_space(viewer, space):
        raise NotFound("There is no such space, or it is not yours to see.")
    if not can_post_in(viewer, space):
        raise PermissionRefused("Only members of this space may post in it (and not while muted).")
    return space


def _fresh_post(viewer: Any, post_id: int) -> Post:
    return selectors.post_get(viewer=viewer, post_id=post_id)


# --- Posts -------------------------------------------------------------------------------------


@router.post(
    "/spaces/{space_id}/posts",
    response={201: PostDetailOut},
    summary="Write a post: 201 published, or held (status pending, hold_reason); a privacy "
    "warning in the patient community is a 422 problem with `findings` (send confirm_phi)",
)
def posts_create(
    request: AuthenticatedHttpRequest, payload: PostIn, space_id: int = SpaceId
) -> Status:
    space = _space_to_post_in(request.user, space_id)
    result = publishing.post_create(
        actor=request.user,
        space=space,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        poll_options=payload.poll_options,
        poll_allows_multiple=payload.poll_allows_multiple,
        poll_closes_at=payload.poll_closes_at,
        confirm_phi=payload.confirm_phi,
        request=request,
    )
    return Status(201, post_out(request.user, _fresh_post(request.user, result.obj.pk)))


@router.get("/posts/{post_id}", response=PostDetailOut, summary="One post, as you may see it")
def posts_get(request: AuthenticatedHttpRequest, post_id: int = PostId) -> Any:
    return post_out(request.user, _fresh_post(request.user, post_id))


@router.patch(
    "/posts/{post_id}",
    response=PostDetailOut,
    summary="Edit your post (the guard runs again; the old version is kept in its history)",
)
def posts_update(
    request: AuthenticatedHttpRequest, payload: PostPatchIn, post_id: int = PostId
) -> Any:
    post = _fresh_post(request.user, post_id)
    services.post_edit(
        actor=request.user,
        post=post,
        title=post.title if payload.title is None else payload.title,
        body=post.body if payload.body is None else payload.body,
        confirm_phi=payload.confirm_phi,
        request=request,
    )
    return post_out(request.user, _fresh_post(request.user, post_id))


@router.delete("/posts/{post_id}", response={204: None}, summary="Delete your post")
def posts_delete(request: AuthenticatedHttpRequest, post_id: int = PostId) -> Status:
    post = _fresh_post(request.user, post_id)
    services.post_delete(actor=request.user, post=post)
    return Status(204, None)


# --- Comments ----------------------------------------------------------------------------------


@router.get(
    "/posts/{post_id}/comments",
    response=CommentListOut,
    summary="The post's comments you may read, oldest first (limit/offset)",
)
def comments_list(
    request: AuthenticatedHttpRequest,
    post_id: int = PostId,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> Any:
    viewer = request.user
    post = _fresh_post(viewer, post_id)
    comments = selectors.comments_visible_to(viewer, post)
    count = comments.count()
    rows = list(comments[offset : offset + limit])
    for comment in rows:
        comment.post = post
    counts, mine = selectors.reactions_of(viewer, comments=[comment.pk for comment in rows])
    known = selectors.handles_known([comment.body for comment in rows])
    items = [
        comment_out(
            viewer,
            comment,
            bar=selectors.reaction_bar(
                counts.get(("comment", comment.pk), {}),
                {kind for name, pk, kind in mine if (name, pk) == ("comment", comment.pk)},
            ),
            known=known,
        )
        for comment in rows
    ]
    return {"items": items, "count": count}


@router.post(
    "/posts/{post_id}/comments",
    response={201: CommentOut},
    summary="Comment, or reply with parent_id (the guard runs as for posts)",
)
def comments_create(
    request: AuthenticatedHttpRequest, payload: CommentIn, post_id: int = PostId
) -> Status:
    post = _fresh_post(request.user, post_id)
    if not can_comment_on(request.user, post):
        raise PermissionRefused("Only members of the space may comment (and not while muted).")
    parent = None
    if payload.parent_id is not None:
        parent = Comment.objects.filter(pk=payload.parent_id, post=post).first()
        if parent is None:
            message = "Reply to a comment of this post."
            raise ValidationFailed(message, field_errors={"parent_id": [message]})
    result = publishing.comment_create(
        actor=request.user,
        post=post,
        body=payload.body,
        parent=parent,
        confirm_phi=payload.confirm_phi,
        request=request,
    )
    comment = selectors.comment_get(viewer=request.user, comment_id=result.obj.pk)
    return Status(201, _one_comment(request.user, comment))


@router.patch("/comments/{comment_id}", response=CommentOut, summary="Edit your comment")
def comments_update(
    request: AuthenticatedHttpRequest, payload: CommentPatchIn, comment_id: int = CommentId
) -> Any:
    comment = selectors.comment_get(viewer=request.user, comment_id=comment_id)
    services.comment_edit(
        actor=request.user,
        comment=comment,
        body=payload.body,
        confirm_phi=payload.confirm_phi,
        request=request,
    )
    comment = selectors.comment_get(viewer=request.user, comment_id=comment_id)
    return _one_comment(request.user, comment)


@router.delete("/comments/{comment_id}", response={204: None}, summary="Delete your comment")
def comments_delete(request: AuthenticatedHttpRequest, comment_id: int = CommentId) -> Status:
    comment = selectors.comment_get(viewer=request.user, comment_id=comment_id)
    services.comment_delete(actor=request.user, comment=comment)
    return Status(204, None)


# --- Reactions ---------------------------------------------------------------------------------


def _reactions_out(viewer: Any, target: Post | Comment) -> dict[str, Any]:
    target.refresh_from_db(fields=["reaction_count"])
    return {
        "target": "post" if isinstance(target, Post) else "comment",
        "target_id": target.pk,
        "reaction_count": target.reaction_count,
        "reactions": _reactions(selectors.reaction_bar_of(viewer, target)),
    }


@router.post(
    "/posts/{post_id}/reactions",
    response={200: ReactionsOut, 201: ReactionsOut},
    summary="React to a post (201 added, 200 when it was there already)",
)
def post_reactions_create(
    request: AuthenticatedHttpRequest, payload: ReactionIn, post_id: int = PostId
) -> Status:
    post = _fresh_post(request.user, post_id)
    added = services.reaction_add(actor=request.user, target=post, kind=payload.kind)
    return Status(201 if added else 200, _reactions_out(request.user, post))


@router.delete(
    "/posts/{post_id}/reactions/{kind}",
    response=ReactionsOut,
    summary="Take your reaction to a post back",
)
def post_reactions_delete(
    request: AuthenticatedHttpRequest, kind: ReactionKind, post_id: int = PostId
) -> Any:
    post = _fresh_post(request.user, post_id)
    services.reaction_remove(actor=request.user, target=post, kind=kind)
    return _reactions_out(request.user, post)


@router.post(
    "/comments/{comment_id}/reactions",
    response={200: ReactionsOut, 201: ReactionsOut},
    summary="React to a comment (201 added, 200 when it was there already)",
)
def comment_reactions_create(
    request: AuthenticatedHttpRequest, payload: ReactionIn, comment_id: int = CommentId
) -> Status:
    comment = selectors.comment_get(viewer=request.user, comment_id=comment_id)
    added = services.reaction_add(actor=request.user, target=comment, kind=payload.kind)
    return Status(201 if added else 200, _reactions_out(request.user, comment))


@router.delete(
    "/comments/{comment_id}/reactions/{kind}",
    response=ReactionsOut,
    summary="Take your reaction to a comment back",
)
def comment_reactions_delete(
    request: AuthenticatedHttpRequest, kind: ReactionKind, comment_id: int = CommentId
) -> Any:
    comment = selectors.comment_get(viewer=request.user, comment_id=comment_id)
    services.reaction_remove(actor=request.user, target=comment, kind=kind)
    return _reactions_out(request.user, comment)


# --- Polls and answers -------------------------------------------------------------------------


@router.post(
    "/posts/{post_id}/votes",
    response={201: PollOut},
    summary="Vote in a poll (once: a second vote is a 409 and changes nothing)",
)
def poll_votes_create(
    request: AuthenticatedHttpRequest, payload: VoteIn, post_id: int = PostId
) -> Status:
    post = _fresh_post(request.user, post_id)
    services.poll_vote(actor=request.user, post=post, option_ids=payload.option_ids)
    post = _fresh_post(request.user, post_id)
    return Status(201, _poll(selectors.poll_view(request.user, post)))


@router.post(
    "/comments/{comment_id}/accept",
    response=AcceptedOut,
    summary="Accept this answer to your question (the asker or a moderator)",
)
def answers_accept(request: AuthenticatedHttpRequest, comment_id: int = CommentId) -> Any:
    comment = selectors.comment_get(viewer=request.user, comment_id=comment_id)
    post = services.answer_accept(actor=request.user, comment=comment)
    return {"post_id": post.pk, "accepted_comment_id": comment.pk}
