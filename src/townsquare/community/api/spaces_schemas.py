"""Schemas of the spaces API. No `from __future__ import annotations` here: django-ninja reads the
annotations at import time."""

from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from townsquare.core.models import MAX_OBJECT_ID

from ..display import AuthorLabel
from ..models import (
    MembershipRole,
    MembershipStatus,
    SpaceCategory,
    SpaceKind,
    SpaceVisibility,
)
from ..services.spaces import MAX_DESCRIPTION, MAX_GUIDELINES, MAX_NAME, MAX_REASON, MAX_WHO


class SpaceFilterIn(Schema):
    q: str = Field("", max_length=200, description="Words in the name or description.")
    kind: SpaceKind | None = Field(None, description="staff or patient")
    category: SpaceCategory | None = None
    mine: bool = Field(
        False, description="Only spaces I belong to, am invited to or asked to join."
    )
    archived: bool = Field(False, description="Archived spaces instead of active ones.")


class PersonOut(Schema):
    """How a person is named to this caller: a pseudonym hides them (only they, the space's
    moderators and center staff get ``real_name`` and ``handle`` then)."""

    name: str
    handle: str
    pseudonymous: bool
    real_name: str
    verified_clinician: bool
    clinician_title: str

    @staticmethod
    def from_label(label: AuthorLabel) -> "PersonOut":
        return PersonOut(
            name=label.name,
            handle=label.handle,
            pseudonymous=label.pseudonymous,
            real_name=label.real_name,
            verified_clinician=label.verified_clinician,
            clinician_title=label.clinician_title,
        )


class OrganizationRefOut(Schema):
    id: int
    name: str


class SpaceOut(Schema):
    id: int
    slug: str
    name: str
    kind: SpaceKind
    visibility: SpaceVisibility
    category: SpaceCategory
    description: str = Field(description="Markdown")
    requires_approval: bool
    member_count: int
    post_count: int
    last_post_at: datetime | None
    archived_at: datetime | None
    url: str
    my_status: str = Field(description="active, invited, requested, banned, or empty")
    my_role: str = Field(description="member, moderator, or empty")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("community:space_detail", args=[obj.slug])

    @staticmethod
    def resolve_my_status(obj: Any) -> str:
        return getattr(obj, "viewer_status", None) or ""

    @staticmethod
    def resolve_my_role(obj: Any) -> str:
        return getattr(obj, "viewer_role", None) or ""


class SpaceDetailOut(SpaceOut):
    guidelines: str = Field(description="Markdown; accepted when joining")
    organization: OrganizationRefOut | None
    moderators: list[PersonOut]
    can_read: bool
    can_join: bool
    can_leave: bool
    can_post: bool
    can_manage: bool
    notification_level: str = Field(description="watching, normal or muted")


class SpaceIn(Schema):
    kind: SpaceKind
    name: str = Field(..., min_length=1, max_length=MAX_NAME)
    category: SpaceCategory
    visibility: SpaceVisibility = SpaceVisibility.OPEN
    description: str = Field("", max_length=MAX_DESCRIPTION)
    guidelines: str = Field("", max_length=MAX_GUIDELINES)
    requires_approval: bool = False
    organization_id: int | None = Field(None, ge=1, le=MAX_OBJECT_ID)


class SpacePatchIn(Schema):
    """Only the fields sent change; ``organization_id: null`` clears the organization."""

    name: str | None = Field(None, min_length=1, max_length=MAX_NAME)
    category: SpaceCategory | None = None
    visibility: SpaceVisibility | None = None
    description: str | None = Field(None, max_length=MAX_DESCRIPTION)
    guidelines: str | None = Field(None, max_length=MAX_GUIDELINES)
    requires_approval: bool | None = None
    organization_id: int | None = Field(None, ge=1, le=MAX_OBJECT_ID)
    archived: bool | None = Field(None, description="Archive (read only) or bring back.")


def _viewer(context: Any) -> Any:
    request = (context or {}).get("request")
    return getattr(request, "user", None)


def _row(obj: Any, context: Any) -> Any:
    """The membership as the caller may see it (computed once per membership)."""
    from ..selectors.spaces import member_row

    row = obj.__dict__.get("_api_row")
    if row is None:
        row = obj.__dict__["_api_row"] = member_row(
            viewer=_viewer(context), space=obj.space, membership=obj
        )
    return row


class MemberOut(Schema):
    id: int = Field(description="The membership's id (for decisions, roles and removal).")
    user_id: int | None = Field(description="Hidden behind a pseudonym unless you may know it.")
    person: PersonOut
    role: MembershipRole
    status: MembershipStatus
    since: datetime

    @staticmethod
    def resolve_user_id(obj: Any, context: Any) -> int | None:
        return _row(obj, context).user_id

    @staticmethod
    def resolve_person(obj: Any, context: Any) -> PersonOut:
        return PersonOut.from_label(_row(obj, context).label)

    @staticmethod
    def resolve_since(obj: Any) -> datetime:
        return obj.created_at


class MemberFilterIn(Schema):
    status: MembershipStatus | None = Field(
        None, description="Members by default; moderators also see requested, invited, banned."
    )


class MembershipIn(Schema):
    accept_guidelines: bool = Field(
        False, description="I have read the space's guidelines and will follow them."
    )


class MembershipOut(Schema):
    id: int
    space_id: int
    status: MembershipStatus = Field(description="active (joined) or requested (waiting)")
    role: MembershipRole


class InvitationIn(Schema):
    who: str = Field(..., min_length=1, max_length=MAX_WHO, description="Email or @handle.")


class DecisionIn(Schema):
    decision: Literal["approve", "decline"]


class DecisionOut(Schema):
    membership_id: int
    decision: Literal["approve", "decline"]
    status: str = Field(description="active when approved, declined when declined")


class RoleIn(Schema):
    role: MembershipRole


class RemovalQueryIn(Schema):
    reason: str = Field("", max_length=MAX_REASON, description="Told to the person.")
