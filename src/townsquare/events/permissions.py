"""Who may see or do what in events. Every page, endpoint and selector asks these gates.

Rules (the dates and capacity are rules of the services, not of these gates):
- Published events are public; drafts and cancelled events' management pages are for their
  organizers and center staff.
- Center staff and instructors create events; the creator becomes an organizer; organizers of an
  event (and staff) manage everything about it: agenda, tickets, codes, registrations, check-in.
- Registering needs the event's access tier (and the ticket's own tier or membership rule).
- Organization leaders register their own organization's members.
- A registration is seen by its attendee, the person who bought it, and the event's managers.
- Proposals are reviewed by the call's reviewers and the event's managers, never by their author.
"""

from __future__ import annotations

from typing import Any

from townsquare.academy.permissions import has_tier, is_instructor
from townsquare.accounts.permissions import can_manage_organization, is_center_staff

from .models import (
    CallForProposals,
    Event,
    Order,
    Proposal,
    Registration,
    RegistrationStatus,
    TicketType,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def organizes(user: Any, event: Event) -> bool:
    if not _signed_in(user):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_events_organizes", {})
    if event.pk not in cache:
        cache[event.pk] = event.organizers.filter(pk=user.pk).exists()
    return cache[event.pk]


def can_create_event(user: Any) -> bool:
    return _signed_in(user) and (is_center_staff(user) or is_instructor(user))


def can_manage_event(user: Any, event: Event) -> bool:
    return is_center_staff(user) or organizes(user, event)


def can_view_event(user: Any, event: Event) -> bool:
    """The public page: published (or cancelled, to say so) events; drafts for managers."""
    return event.status != "draft" or can_manage_event(user, event)


def is_member_of_organization(user: Any) -> bool:
    if not _signed_in(user):
        return False
    if "_events_has_organization" not in user.__dict__:
        user.__dict__["_events_has_organization"] = user.memberships.exists()
    return bool(user.__dict__["_events_has_organization"])


def can_register(user: Any, event: Event) -> bool:
    """The tier check alone; the window, capacity and ticket rules are checked by the service."""
    return _signed_in(user) and event.is_published and has_tier(user, event.access_tier)


def can_buy_ticket(user: Any, ticket_type: TicketType) -> bool:
    """May ``user`` hold this ticket type (as attendee)?"""
    if ticket_type.minimum_tier and not has_tier(user, ticket_type.minimum_tier):
        return False
    return not ticket_type.members_only or is_member_of_organization(user)


def can_register_others(user: Any, organization: Any) -> bool:
    """Organization leaders register their own staff; center staff anyone's."""
    return _signed_in(user) and can_manage_organization(user, organization)


def can_view_registration(user: Any, registration: Registration) -> bool:
    if not _signed_in(user):
        return False
    if user.pk in (registration.attendee_id, registration.order.buyer_id):
        return True
    return can_manage_event(user, registration.event)


def can_cancel_registration(user: Any, registration: Registration) -> bool:
    """Attendee and buyer (until the deadline, checked by the service) and the event's managers."""
    return can_view_registration(user, registration)


def can_transfer_registration(user: Any, registration: Registration) -> bool:
    return can_view_registration(user, registration)


def can_view_order(user: Any, order: Order) -> bool:
    """The buyer, the leaders of the organization it was bought for, and the event's managers."""
    if not _signed_in(user):
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
    if not _signed_in(user):
        return False
    if user.pk == registration.attendee_id:
        return True
    if user.pk == registration.order.buyer_id and registration.order.organization_id is not None:
        return True
    return can_manage_event(user, registration.event)


def can_check_in(user: Any, event: Event) -> bool:
    return can_manage_event(user, event)


def can_submit_proposal(user: Any, call: CallForProposals) -> bool:
    return _signed_in(user) and call.event.status != "cancelled"


def can_view_proposal(user: Any, proposal: Proposal) -> bool:
    if not _signed_in(user):
        return False
    return user.pk == proposal.submitter_id or can_review_proposals(user, proposal.call)


def is_reviewer(user: Any, call: CallForProposals) -> bool:
    if not _signed_in(user):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_events_reviews", {})
    if call.pk not in cache:
        cache[call.pk] = call.reviewers.filter(pk=user.pk).exists()
    return cache[call.pk]


def can_review_proposals(user: Any, call: CallForProposals) -> bool:
    return can_manage_event(user, call.event) or is_reviewer(user, call)


def can_review_proposal(user: Any, proposal: Proposal) -> bool:
    return user.pk != proposal.submitter_id and can_review_proposals(user, proposal.call)


def can_decide_proposal(user: Any, proposal: Proposal) -> bool:
    return user.pk != proposal.submitter_id and can_manage_event(user, proposal.call.event)


def can_give_feedback(user: Any, registration: Registration) -> bool:
    return _signed_in(user) and registration.attendee_id == user.pk and registration.attended
