"""Schemas of the moderation API. No `from __future__ import annotations` here."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from townsquare.core.models import MAX_OBJECT_ID

from ..models import ContentStatus, FlagReason, FlagStatus, HoldReason, ModerationActionKind

TargetType = Literal["post", "comment"]
ContentAction = Literal["approve", "reject", "hide", "restore", "remove", "dismiss"]
SanctionAction = Literal["warn", "mute", "unmute", "ban", "unban"]


class FlagIn(Schema):
    reason: FlagReason
    note: str = Field("", max_length=1000, description="For the moderators only.")


class FlagOut(Schema):
    id: int
    target_type: TargetType
    target_id: int
    reason: FlagReason
    status: FlagStatus
    created_at: datetime


class PersonOut(Schema):
    """A person as a moderator of the space may see them (the real name behind a pseudonym)."""

    name: str
    pseudonymous: bool
    real_name: str
    handle: str
    verified_clinician: bool


class QueueFlagOut(Schema):
    id: int
    reason: FlagReason
    note: str
    reporter: PersonOut
    created_at: datetime


class QueueItemOut(Schema):
    target_type: TargetType
    target_id: int
    post_id: int
    status: ContentStatus
    hold_reason: HoldReason
    phi_kinds: list[str] = Field(description="What the privacy guard found (kinds only).")
    title: str
    body: str = Field(description="Markdown, as the author wrote it.")
    author_id: int
    author: PersonOut
    created_at: datetime
    waiting_since: datetime
    flags: list[QueueFlagOut]
    actions: list[ContentAction] = Field(description="The decisions open for it now.")


class QueueOut(Schema):
    items: list[QueueItemOut]
    count: int
    held_count: int
    flagged_count: int


class DecisionIn(Schema):
    target_type: TargetType
    target_id: int = Field(..., ge=1, le=MAX_OBJECT_ID)
    action: ContentAction
    reason: str = Field(
        "", max_length=1000, description="Shown to the author; needed to reject, hide or remove."
    )


class SanctionIn(Schema):
    user_id: int = Field(..., ge=1, le=MAX_OBJECT_ID)
    action: SanctionAction
    days: int | None = Field(None, ge=1, le=365, description="How long a mute lasts.")
    reason: str = Field("", max_length=1000, description="Shown to the person.")


class ActionOut(Schema):
    """One entry of the space's moderation log."""

    id: int
    action: ModerationActionKind
    moderator_id: int | None
    moderator_name: str = Field(description="Empty for an automatic decision.")
    target_type: TargetType | None
    target_id: int | None
    subject_id: int | None
    subject: PersonOut | None
    status: ContentStatus | None = Field(description="The post's or comment's status now.")
    reason: str
    until: datetime | None
    created_at: datetime
