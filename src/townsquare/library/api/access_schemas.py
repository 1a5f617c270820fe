"""Schemas of the access API. No `from __future__ import annotations` here."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from ..models import AccessRequest, AccessRequestStatus
from ..services.access import MAX_NOTE, MAX_REASON


class AccessRequestIn(Schema):
    reason: str = Field("", max_length=MAX_REASON, description="Why the person needs it.")


class AccessDecisionIn(Schema):
    decision: Literal["grant", "refuse"]
    note: str = Field("", max_length=MAX_NOTE, description="Shown to the person who asked.")


class AccessRequestOut(Schema):
    id: int
    resource_id: int
    resource_slug: str
    resource_title: str
    requester_id: int
    requester_name: str
    reason: str
    status: AccessRequestStatus
    status_label: str
    decided_by_id: int | None
    decided_at: datetime | None
    decision_note: str
    created_at: datetime

    @staticmethod
    def resolve_resource_slug(obj: AccessRequest) -> str:
        return obj.resource.slug

    @staticmethod
    def resolve_resource_title(obj: AccessRequest) -> str:
        return obj.resource.title

    @staticmethod
    def resolve_requester_name(obj: AccessRequest) -> str:
        return obj.requester.display_name

    @staticmethod
    def resolve_status_label(obj: AccessRequest) -> str:
        return obj.get_status_display()


class MonthUsageOut(Schema):
    month: str = Field(..., description="YYYY-MM (UTC)")
    views: int
    downloads: int


class ResourceUsageOut(Schema):
    resource_id: int
    resource_slug: str
    total_views: int
    total_downloads: int
    months: list[MonthUsageOut] = Field(..., description="The last 24 months, oldest first.")
