"""Registration API, mounted at /api/v1/events/: register (idempotent), my registrations, one
registration, cancel, take an offered seat, transfer, and check-in for organizers.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from ninja import Header, Path, Status
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import ValidationFailed
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import Pagination

from ..models import TicketType
from ..selectors import events as event_selectors
from ..selectors import registrations as selectors
from ..services import registrations as services
from ..services.checkin import check_in
from .registration_schemas import (
    CancelIn,
    CheckInIn,
    CheckInOut,
    RegistrationIn,
    RegistrationOut,
    TransferIn,
)
from .router import router

EventId = Path(..., ge=1, le=MAX_OBJECT_ID)
RegistrationId = Path(..., ge=1, le=MAX_OBJECT_ID)


@router.post(
    "/{event_id}/registrations",
    response={200: RegistrationOut, 201: RegistrationOut},
    summary="Register (201 new, 200 when the Idempotency-Key was seen): confirmed or waitlisted",
)
def registrations_create(
    request: AuthenticatedHttpRequest,
    payload: RegistrationIn,
    event_id: int = EventId,
    idempotency_key: str = Header("", alias="Idempotency-Key", max_length=64),
) -> Status:
    event = event_selectors.event_get_plain_by_id(viewer=request.user, event_id=event_id)
    ticket_type = TicketType.objects.filter(pk=payload.ticket_type_id, event=event).first()
    if ticket_type is None:
        message = "Choose one of this event's tickets."
        raise ValidationFailed(message, field_errors={"ticket_type_id": [message]})
    answers = {str(key): value for key, value in payload.answers.items()}
    result = services.registration_create(
        actor=request.user,
        event=event,
        ticket_type=ticket_type,
        answers=answers,
        discount_code=payload.discount_code,
        request_key=idempotency_key.strip() or payload.request_key,
    )
    registration = selectors.registration_get(
        viewer=request.user, registration_id=result.registration.pk
    )
    return Status(201 if result.created else 200, registration)


@router.get(
    "/registrations/mine",
    response=list[RegistrationOut],
    summary="My registrations (and those I bought for my organization's members)",
)
@paginate(Pagination)
def registrations_mine(request: AuthenticatedHttpRequest) -> Any:
    return selectors.registration_list(user=request.user)


@router.get(
    "/registrations/{registration_id}", response=RegistrationOut, summary="One registration"
)
def registrations_get(
    request: AuthenticatedHttpRequest, registration_id: int = RegistrationId
) -> Any:
    return selectors.registration_get(viewer=request.user, registration_id=registration_id)


@router.post(
    "/registrations/{registration_id}/cancel",
    response=RegistrationOut,
    summary="Cancel (or decline an offered seat); the seat passes to the next in line",
)
def registrations_cancel(
    request: AuthenticatedHttpRequest,
    payload: CancelIn | None = None,
    registration_id: int = RegistrationId,
) -> Any:
    registration = selectors.registration_get(viewer=request.user, registration_id=registration_id)
    services.registration_cancel(
        actor=request.user, registration=registration, reason=payload.reason if payload else ""
    )
    return selectors.registration_get(viewer=request.user, registration_id=registration_id)


@router.post(
    "/registrations/{registration_id}/accept-offer",
    response=RegistrationOut,
    summary="Take the seat offered from the waiting list, before the offer expires",
)
def registrations_accept_offer(
    request: AuthenticatedHttpRequest, registration_id: int = RegistrationId
) -> Any:
    registration = selectors.registration_get(viewer=request.user, registration_id=registration_id)
    services.offer_accept(actor=request.user, registration=registration)
    return selectors.registration_get(viewer=request.user, registration_id=registration_id)


@router.post(
    "/registrations/{registration_id}/transfer",
    response=RegistrationOut,
    summary="Give a confirmed ticket to a colleague (new ticket code)",
)
def registrations_transfer(
    request: AuthenticatedHttpRequest, payload: TransferIn, registration_id: int = RegistrationId
) -> Any:
    registration = selectors.registration_get(viewer=request.user, registration_id=registration_id)
    moved = services.registration_transfer(
        actor=request.user, registration=registration, to_email=payload.to_email
    )
    return selectors.registration_get(viewer=request.user, registration_id=moved.pk)


@router.post(
    "/{event_id}/check-ins",
    response=CheckInOut,
    summary="Check a ticket in at the door (organizers); a second check-in is refused",
)
def check_ins_create(
    request: AuthenticatedHttpRequest, payload: CheckInIn, event_id: int = EventId
) -> Any:
    event = event_selectors.event_get_plain_by_id(viewer=request.user, event_id=event_id)
    result = check_in(actor=request.user, event=event, code=payload.code)
    registration = result.registration
    return {
        "registration_id": registration.pk,
        "attendee_name": registration.attendee.display_name,
        "ticket_type_name": registration.ticket_type.name,
        "checked_in_at": registration.checked_in_at,
        "counts": result.counts,
    }
