"""Schemas of the submissions API. No `from __future__ import annotations` here: django-ninja
reads the annotations at import time."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from townsquare.core.models import MAX_OBJECT_ID

from ..models import Access, Audience, License, Resource, ResourceStatus, ResourceType
from ..services.review import MAX_COMMENT

Name = Annotated[str, StringConstraints(max_length=200)]
ObjectId = Annotated[int, Field(ge=1, le=MAX_OBJECT_ID)]


class AuthorIn(Schema):
    name: Name
    is_organization: bool = False


class SubmissionIn(Schema):
    kind: ResourceType
    title: str = Field(..., min_length=1, max_length=300)
    summary: str = Field(..., min_length=1, max_length=3000)
    authors: list[AuthorIn] = Field(default_factory=list, max_length=50)
    topic_ids: list[ObjectId] = Field(default_factory=list, max_length=50)
    audience: Audience = Audience.EVERYONE
    language: str = Field("en", min_length=1, max_length=12)
    published_on: date | None = None
    license: License = License.ALL_RIGHTS
    doi: str = Field("", max_length=200)
    isbn: str = Field("", max_length=20)
    review_by: date | None = None
    access: Access = Access.PUBLIC
    organization_id: ObjectId | None = None
    is_listed: bool = True
    body: str = Field(
        "", max_length=200_000, description="Markdown. Send files with POST .../files."
    )
    submit: bool = Field(
        False,
        description="Send for review at once (needs a body); otherwise a draft to add files "
        "to, sent with POST .../submit.",
    )


class SubmitIn(Schema):
    comment: str = Field("", max_length=MAX_COMMENT, description="For a resubmission.")


class CommentIn(Schema):
    comment: str = Field(..., min_length=1, max_length=MAX_COMMENT)


class DecisionIn(Schema):
    action: Literal["approve", "approve_on_date", "request_changes", "reject"] = Field(
        ..., description="Approve now or on `publish_at`, ask for changes, or reject."
    )
    comment: str = Field("", max_length=MAX_COMMENT)
    publish_at: datetime | None = Field(None, description="For approve_on_date: when.")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=MAX_COMMENT)


class FileOut(Schema):
    id: int
    name: str
    title: str
    kind: str
    size: int
    searchable: str


class EventOut(Schema):
    action: str
    action_label: str
    actor_name: str
    comment: str
    version: int | None
    created_at: datetime


class SubmissionOut(Schema):
    id: int
    slug: str
    kind: str
    title: str
    summary: str
    status: ResourceStatus
    status_label: str
    next_step: str
    access: str
    organization_id: int | None
    publish_at: datetime | None
    published_at: datetime | None
    version: int | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_status_label(obj: Resource) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_next_step(obj: Resource) -> str:
        from ..selectors.submissions import next_step

        return next_step(obj)

    @staticmethod
    def resolve_version(obj: Resource) -> int | None:
        version = obj.current_version
        return version.number if version is not None else None


class SubmissionDetailOut(SubmissionOut):
    body: str = Field(..., alias="api_body")
    files: list[FileOut] = Field(..., alias="api_files")
    timeline: list[EventOut] = Field(..., alias="api_timeline")
