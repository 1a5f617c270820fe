"""Schemas of the notifications API. No `from __future__ import annotations` here.

A notification's actor is given by its label alone, never by account id: in the patient
community people may post under a pseudonym, and an id would undo it."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from .models import (
    SCOPE_LABEL_MAX_LENGTH,
    SCOPE_MAX_LENGTH,
    EmailMode,
    Notification,
    NotificationKind,
    ScopeLevel,
)

SCOPE_DESCRIPTION = "An app, a dot-path, a colon and an id, e.g. `community.space:12`."
# The schema's copy of services.creation.SCOPE_PATTERN, so generated clients see it too.
SCOPE_REGEX = r"^[a-z][a-z0-9_.-]*:[A-Za-z0-9_.:-]+$"


class NotificationOut(Schema):
    id: int
    kind: NotificationKind
    actor_label: str
    summary: str
    text: str = Field(description="How it reads: the actor's label and the summary.")
    url: str = Field(description="The path on this site it is about.")
    scope: str
    scope_label: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool

    @staticmethod
    def resolve_text(obj: Notification) -> str:
        return obj.line


class UnreadOnlyFilter(Schema):
    unread: bool = Field(False, description="Only the unread ones.")


class CountOut(Schema):
    count: int


class ReadAllIn(Schema):
    scope: str = Field(
        "", max_length=SCOPE_MAX_LENGTH, description="Only this scope's (blank: all)."
    )


class SettingsIn(Schema):
    email_mode: EmailMode
    disabled_kinds: list[NotificationKind] = Field(
        default_factory=list,
        max_length=len(NotificationKind.values),
        description="Kinds neither shown in the app nor emailed (moderation cannot be).",
    )
    email_disabled_kinds: list[NotificationKind] = Field(
        default_factory=list,
        max_length=len(NotificationKind.values),
        description="Kinds shown in the app but never emailed.",
    )


class SettingsOut(Schema):
    email_mode: EmailMode
    disabled_kinds: list[str]
    email_disabled_kinds: list[str]
    last_daily_digest_at: datetime | None
    last_weekly_digest_at: datetime | None


class ScopeSettingIn(Schema):
    scope: str = Field(
        ...,
        min_length=3,
        max_length=SCOPE_MAX_LENGTH,
        pattern=SCOPE_REGEX,
        description=SCOPE_DESCRIPTION,
    )
    level: ScopeLevel
    email_mode: Literal["", "immediate", "daily", "weekly", "off"] = Field(
        "", description="Blank: as in the person's settings."
    )
    scope_label: str = Field(
        "", max_length=SCOPE_LABEL_MAX_LENGTH, description="How to name it on the settings page."
    )


class ScopeSettingOut(Schema):
    scope: str
    scope_label: str
    level: ScopeLevel
    email_mode: str
