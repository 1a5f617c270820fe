"""Events API: organizer. The registration list of one event, for its managers.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Path, Query, Schema
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import Pagination

from ..models import OrderStatus, Registration, RegistrationStatus
from ..selectors import organizer as selectors
from .router import router


class RegistrationFilterIn(Schema):
    status: RegistrationStatus | None = None
    ticket_type_id: int | None = Field(None, ge=1, le=MAX_OBJECT_ID)
    checked_in: bool | None = None
    q: str = Field(
        "", max_length=200, description="Part of a name or email, or an order reference."
    )


class ManagedRegistrationOut(Schema):
    id: int
    attendee_id: int
    name: str
    email: str
    ticket_type_id: int
    ticket_type: str
    status: RegistrationStatus
    price: Decimal
    order_reference: str
    order_status: OrderStatus
    answers: dict[str, str]
    created_at: datetime
    checked_in_at: datetime | None
    attended: bool
    offer_expires_at: datetime | None

    @staticmethod
    def resolve_name(obj: Registration) -> str:
        return obj.attendee.display_name

    @staticmethod
    def resolve_email(obj: Registration) -> str:
        return obj.attendee.email

    @staticmethod
    def resolve_ticket_type(obj: Registration) -> str:
        return obj.ticket_type.name

    @staticmethod
    def resolve_order_reference(obj: Registration) -> str:
        return obj.order.reference

    @staticmethod
    def resolve_order_status(obj: Registration) -> str:
        return obj.order.status

    @staticmethod
    def resolve_answers(obj: Registration) -> dict[str, str]:
        return {str(key): str(value) for key, value in (obj.answers or {}).items()}


@router.get(
    "/{event_id}/registrations",
    tags=["events organizer"],
    response=list[ManagedRegistrationOut],
    summary="An event's registrations (its organizers and center staff)",
)
@paginate(Pagination)
def registrations_list(
    request: AuthenticatedHttpRequest,
    filters: Query[RegistrationFilterIn],
    event_id: int = Path(..., ge=1, le=MAX_OBJECT_ID),
) -> Any:
    event = selectors.event_for_managing_by_id(viewer=request.user, event_id=event_id)
    return selectors.registration_list(
        event=event,
        filters=selectors.RegistrationFilters(
            status=filters.status or "",
            ticket_type_id=filters.ticket_type_id,
            checked_in=filters.checked_in,
            q=filters.q,
        ),
    )
