"""Registration gates that ``permissions.py`` does not have: who may see an order's invoice."""

from __future__ import annotations

from typing import Any

from .models import Order, Registration, RegistrationStatus
from .permissions import can_manage_event, can_register_others


def can_view_order(user: Any, order: Order) -> bool:
    """The buyer, the leaders of the organization it was bought for, and the event's managers."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.pk == order.buyer_id:
        return True
    if order.organization is not None and can_register_others(user, order.organization):
        return True
    return can_manage_event(user, order.event)


def can_see_ticket(user: Any, registration: Registration) -> bool:
    """The ticket (its code and QR) of a confirmed registration: the attendee, the leader who
    bought it for their staff, and the event's managers. Not a former holder: after a transfer
    the one who bought it for themselves keeps seeing the registration but not the new code."""
    if registration.status != RegistrationStatus.CONFIRMED:
        return False
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.pk == registration.attendee_id:
        return True
    if user.pk == registration.order.buyer_id and registration.order.organization_id is not None:
        return True
    return can_manage_event(user, registration.event)
