"""Community API: moderation. Flag posts and comments; for a space's moderators, the queue, the
decisions, sanctions and the log.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from ninja import Field as SchemaField
from ninja import Path, Query, Schema, Status

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import MAX_OFFSET

from ..display import AuthorLabel, content_author_label
from ..models import Comment, ModerationAction, ModerationActionKind, Post
from ..permissions import can_see_comment, can_see_post
from ..selectors import moderation as selectors
from ..services import moderation as services
from .moderation_schemas import (
    ActionOut,
    DecisionIn,
    FlagIn,
    FlagOut,
    QueueOut,
    SanctionIn,
)
from .router import router

PostId = Path(..., ge=1, le=MAX_OBJECT_ID)
CommentId = Path(..., ge=1, le=MAX_OBJECT_ID)
SpaceId = Path(..., ge=1, le=MAX_OBJECT_ID)


class PageQuery(Schema):
    limit: int = SchemaField(25, ge=1, le=100)
    offset: int = SchemaField(0, ge=0, le=MAX_OFFSET)


class LogQuery(PageQuery):
    action: ModerationActionKind | None = SchemaField(None, description="Only this decision.")


class LogOut(Schema):
    items: list[ActionOut]
    count: int


def _person(label: AuthorLabel) -> dict[str, Any]:
    return {
        "name": label.name,
        "pseudonymous": label.pseudonymous,
        "real_name": label.real_name,
        "handle": label.handle,
        "verified_clinician": label.verified_clinician,
    }


def _flag_out(flag: Any) -> dict[str, Any]:
    is_post = flag.post_id is not None
    return {
        "id": flag.pk,
        "target_type": "post" if is_post else "comment",
        "target_id": flag.post_id if is_post else flag.comment_id,
        "reason": flag.reason,
        "status": flag.status,
        "created_at": flag.created_at,
    }


# --- Flags -----------------------------------------------------------------------------------


@router.post(
    "/posts/{post_id}/flags",
    response={201: FlagOut},
    summary="Flag a post for the space's moderators (once per person; not your own)",
)
def post_flags_create(
    request: AuthenticatedHttpRequest, payload: FlagIn, post_id: int = PostId
) -> Status:
    post = Post.objects.filter(pk=post_id).select_related("space").first()
    if post is None or not can_see_post(request.user, post):
        raise NotFound("There is no such post.")
    flag = services.flag_create(
        actor=request.user, target=post, reason=payload.reason, note=payload.note, request=request
    )
    return Status(201, _flag_out(flag))


@router.post(
    "/comments/{comment_id}/flags",
    response={201: FlagOut},
    summary="Flag a comment for the space's moderators (once per person; not your own)",
)
def comment_flags_create(
    request: AuthenticatedHttpRequest, payload: FlagIn, comment_id: int = CommentId
) -> Status:
    comment = Comment.objects.filter(pk=comment_id).select_related("post__space").first()
    if comment is None or not can_see_comment(request.user, comment):
        raise NotFound("There is no such comment.")
    flag = services.flag_create(
        actor=request.user,
        target=comment,
        reason=payload.reason,
        note=payload.note,
        request=request,
    )
    return Status(201, _flag_out(flag))


# --- The queue and decisions -----------------------------------------------------------------


def _queue_item(item: selectors.QueueItem, viewer: Any) -> dict[str, Any]:
    obj = item.obj
    return {
        "target_type": item.target_type,
        "target_id": obj.pk,
        "post_id": item.post.pk,
        "status": obj.status,
        "hold_reason": obj.hold_reason,
        "phi_kinds": list(obj.phi_kinds or []),
        "title": getattr(obj, "title", "") if isinstance(obj, Post) else item.post.title,
        "body": obj.body,
        "author_id": obj.author_id,
        "author": _person(content_author_label(obj, viewer)),
        "created_at": obj.created_at,
        "waiting_since": item.since,
        "flags": [
            {
                "id": entry.flag.pk,
                "reason": entry.flag.reason,
                "note": entry.flag.note,
                "reporter": _person(entry.reporter),
                "created_at": entry.flag.created_at,
            }
            for entry in item.flags
        ],
        "actions": item.actions,
    }


@router.get(
    "/spaces/{space_id}/moderation/queue",
    response=QueueOut,
    summary="The space's moderation queue: held posts and comments and flagged content, oldest "
    "first (moderators)",
)
def moderation_queue(
    request: AuthenticatedHttpRequest, page: Query[PageQuery], space_id: int = SpaceId
) -> Any:
    space = selectors.space_for_moderation(request.user, space_id=space_id)
    items, count, held, flagged = selectors.moderation_queue_slice(
        request.user, space, offset=page.offset, limit=page.limit
    )
    return {
        "items": [_queue_item(item, request.user) for item in items],
        "count": count,
        "held_count": held,
        "flagged_count": flagged,
    }


@router.post(
    "/spaces/{space_id}/moderation/decisions",
    response={201: ActionOut},
    summary="Decide about a post or comment: approve, reject, hide, restore, remove, or dismiss "
    "its flags (409 when another moderator decided first)",
)
def moderation_decisions_create(
    request: AuthenticatedHttpRequest, payload: DecisionIn, space_id: int = SpaceId
) -> Status:
    space = selectors.space_for_moderation(request.user, space_id=space_id)
    record = services.content_decide(
        actor=request.user,
        space=space,
        target_type=payload.target_type,
        target_id=payload.target_id,
        action=payload.action,
        reason=payload.reason,
        request=request,
    )
    return Status(201, _action_out(_reloaded(record), request.user, space))


@router.post(
    "/spaces/{space_id}/moderation/sanctions",
    response={201: ActionOut},
    summary="Warn, mute (for `days`), unmute, ban or unban a person in the space (moderators)",
)
def moderation_sanctions_create(
    request: AuthenticatedHttpRequest, payload: SanctionIn, space_id: int = SpaceId
) -> Status:
    space = selectors.space_for_moderation(request.user, space_id=space_id)
    record = services.person_sanction(
        actor=request.user,
        space=space,
        user_id=payload.user_id,
        action=payload.action,
        reason=payload.reason,
        days=payload.days,
        request=request,
    )
    return Status(201, _action_out(_reloaded(record), request.user, space))


# --- The log ---------------------------------------------------------------------------------


def _reloaded(record: ModerationAction) -> ModerationAction:
    return (
        ModerationAction.objects.select_related(
            "moderator", "subject__community_profile", "post", "comment"
        )
        .filter(pk=record.pk)
        .get()
    )


def _action_out(entry: ModerationAction, viewer: Any, space: Any) -> dict[str, Any]:
    target = entry.post or entry.comment
    return {
        "id": entry.pk,
        "action": entry.action,
        "moderator_id": entry.moderator_id,
        "moderator_name": entry.moderator.display_name if entry.moderator else "",
        "target_type": None if target is None else selectors.target_type_of(target),
        "target_id": None if target is None else target.pk,
        "subject_id": entry.subject_id,
        "subject": (
            _person(selectors.person_label(viewer, space, entry.subject))
            if entry.subject is not None
            else None
        ),
        "status": None if target is None else target.status,
        "reason": entry.reason,
        "until": entry.until,
        "created_at": entry.created_at,
    }


@router.get(
    "/spaces/{space_id}/moderation/log",
    response=LogOut,
    summary="The space's moderation log, newest first (moderators)",
)
def moderation_log(
    request: AuthenticatedHttpRequest, query: Query[LogQuery], space_id: int = SpaceId
) -> Any:
    space = selectors.space_for_moderation(request.user, space_id=space_id)
    entries = selectors.moderation_log(space, action=query.action or "")
    count = entries.count()
    page = list(entries[query.offset : query.offset + query.limit])
    return {"items": [_action_out(entry, request.user, space) for entry in page], "count": count}
