"""Schemas of the posts API. No `from __future__ import annotations` here."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import AwareDatetime, StringConstraints

from townsquare.core.models import MAX_OBJECT_ID

from ..models import ContentStatus, PostKind, ReactionKind
from ..services.publishing import (
    MAX_COMMENT_BODY,
    MAX_POLL_OPTIONS,
    MAX_POST_BODY,
    MAX_TITLE,
)

PollOption = Annotated[str, StringConstraints(max_length=200)]
OptionId = Annotated[int, Field(ge=1, le=MAX_OBJECT_ID)]


class PostIn(Schema):
    kind: PostKind = PostKind.DISCUSSION
    title: str = Field("", max_length=MAX_TITLE)
    body: str = Field("", max_length=MAX_POST_BODY)
    poll_options: list[PollOption] = Field(
        default_factory=list,
        max_length=MAX_POLL_OPTIONS,
        description=f"For a poll: 2 to {MAX_POLL_OPTIONS} options, each at most 200 characters.",
    )
    poll_allows_multiple: bool = False
    poll_closes_at: AwareDatetime | None = Field(
        None, description="When voting closes, with its time zone (e.g. 2030-01-31T18:00:00Z)."
    )
    confirm_phi: bool = Field(
        False,
        description="Patient community: the author saw the privacy warning (a 422 with "
        "`findings`) and confirms the text is theirs to share.",
    )


class PostPatchIn(Schema):
    title: str | None = Field(None, max_length=MAX_TITLE)
    body: str | None = Field(None, max_length=MAX_POST_BODY)
    confirm_phi: bool = False


class CommentIn(Schema):
    body: str = Field(..., max_length=MAX_COMMENT_BODY)
    parent_id: int | None = Field(None, ge=1, le=MAX_OBJECT_ID)
    confirm_phi: bool = False


class CommentPatchIn(Schema):
    body: str = Field(..., max_length=MAX_COMMENT_BODY)
    confirm_phi: bool = False


class ReactionIn(Schema):
    kind: ReactionKind


class VoteIn(Schema):
    option_ids: list[OptionId] = Field(..., min_length=1, max_length=MAX_POLL_OPTIONS)


class AuthorOut(Schema):
    name: str
    pseudonymous: bool
    real_name: str = Field(description="Only for those who may see who writes behind a pseudonym.")
    handle: str
    verified_clinician: bool
    clinician_title: str


class ReactionCountOut(Schema):
    kind: ReactionKind
    count: int
    mine: bool


class ReactionsOut(Schema):
    target: str
    target_id: int
    reaction_count: int
    reactions: list[ReactionCountOut]


class PollOptionOut(Schema):
    id: int
    label: str
    votes: int | None = Field(description="Hidden (null) until the viewer voted or it closed.")
    chosen: bool


class PollOut(Schema):
    allows_multiple: bool
    closes_at: datetime | None
    is_closed: bool
    voter_count: int
    has_voted: bool
    can_vote: bool
    options: list[PollOptionOut]


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    is_image: bool
    alt_text: str
    url: str


class PostPermissionsOut(Schema):
    can_edit: bool
    can_delete: bool
    can_comment: bool
    can_react: bool
    can_flag: bool
    can_see_history: bool


class PostDetailOut(Schema):
    id: int
    url: str
    space_id: int
    space_slug: str
    space_name: str
    kind: PostKind
    title: str
    body: str
    body_html: str
    status: ContentStatus
    hold_reason: str = Field(description="Why it waits for a moderator (author and moderators).")
    hold_explanation: str
    phi_kinds: list[str] = Field(description="What the privacy guard found (author, moderators).")
    moderation_reason: str
    author: AuthorOut
    created_at: datetime
    published_at: datetime | None
    edited_at: datetime | None
    comment_count: int
    reaction_count: int
    reactions: list[ReactionCountOut]
    accepted_comment_id: int | None
    poll: PollOut | None
    attachments: list[AttachmentOut]
    permissions: PostPermissionsOut


class CommentOut(Schema):
    id: int
    url: str
    post_id: int
    parent_id: int | None
    depth: int
    body: str
    body_html: str
    status: ContentStatus
    hold_reason: str
    hold_explanation: str
    moderation_reason: str
    author: AuthorOut
    by_verified_clinician: bool
    is_accepted: bool
    created_at: datetime
    edited_at: datetime | None
    reaction_count: int
    reactions: list[ReactionCountOut]


class CommentListOut(Schema):
    items: list[CommentOut]
    count: int


class AcceptedOut(Schema):
    post_id: int
    accepted_comment_id: int
