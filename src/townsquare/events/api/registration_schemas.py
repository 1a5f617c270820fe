"""Schemas of the registration API. No `from __future__ import annotations` here."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints

from townsquare.core.models import MAX_OBJECT_ID

from ..models import Registration, RegistrationStatus

AnswerKey = Annotated[str, StringConstraints(max_length=20)]
AnswerValue = Annotated[str, StringConstraints(max_length=1000)] | bool | None


class RegistrationIn(Schema):
    ticket_type_id: int = Field(..., ge=1, le=MAX_OBJECT_ID)
    answers: dict[AnswerKey, AnswerValue] = Field(
        default_factory=dict,
        max_length=100,
        description="The event's questions: question id (as text) → answer.",
    )
    discount_code: str = Field("", max_length=40)
    request_key: str = Field(
        "", max_length=64, description="Idempotency key; the `Idempotency-Key` header wins."
    )


class RegistrationOut(Schema):
    id: int
    event_id: int
    event_title: str
    event_slug: str
    event_starts_at: datetime
    ticket_type_id: int
    ticket_type_name: str
    attendee_id: int
    attendee_name: str
    status: RegistrationStatus
    waitlist_position: int | None
    price: Decimal
    order_reference: str
    order_status: str
    invoice_number: str | None
    ticket_code: str | None
    offer_expires_at: datetime | None
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    checked_in_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_event_title(obj: Registration) -> str:
        return obj.event.title

    @staticmethod
    def resolve_event_slug(obj: Registration) -> str:
        return obj.event.slug

    @staticmethod
    def resolve_event_starts_at(obj: Registration) -> datetime:
        return obj.event.starts_at

    @staticmethod
    def resolve_ticket_type_name(obj: Registration) -> str:
        return obj.ticket_type.name

    @staticmethod
    def resolve_attendee_name(obj: Registration) -> str:
        return obj.attendee.display_name

    @staticmethod
    def resolve_waitlist_position(obj: Registration) -> int | None:
        from ..selectors.registrations import position_of

        return position_of(obj)

    @staticmethod
    def resolve_order_reference(obj: Registration) -> str:
        return obj.order.reference

    @staticmethod
    def resolve_order_status(obj: Registration) -> str:
        return obj.order.status

    @staticmethod
    def resolve_invoice_number(obj: Registration) -> str | None:
        return obj.order.invoice_number

    @staticmethod
    def resolve_ticket_code(obj: Registration, context: dict[str, Any]) -> str | None:
        from ..permissions import can_see_ticket

        request = context.get("request") if context else None
        viewer = getattr(request, "user", None)
        return obj.ticket_code if can_see_ticket(viewer, obj) else None


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class TransferIn(Schema):
    to_email: str = Field(..., min_length=3, max_length=254)


class CheckInIn(Schema):
    code: str = Field(..., min_length=1, max_length=64)


class CheckInCounts(Schema):
    confirmed: int
    checked_in: int
    remaining: int


class CheckInOut(Schema):
    registration_id: int
    attendee_name: str
    ticket_type_name: str
    checked_in_at: datetime
    counts: CheckInCounts
