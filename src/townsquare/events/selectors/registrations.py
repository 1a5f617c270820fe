"""Reads for the registration pages and API: one's registrations (with waiting-list places in the
same query), one registration behind its gate, the tickets on offer with the seats left."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from townsquare.accounts.models import Organization, OrganizationRole, User
from townsquare.accounts.permissions import is_center_staff
from townsquare.core.errors import NotFound, PermissionRefused
from townsquare.core.models import MAX_OBJECT_ID

from .. import permissions
from ..models import (
    SEAT_STATUSES,
    Event,
    EventStatus,
    Order,
    Registration,
    RegistrationStatus,
    TicketType,
)
from ..permissions import can_view_order


def _with_position(queryset: QuerySet[Registration]) -> QuerySet[Registration]:
    """Annotate ``waitlist_place``: 1 for the next in line, 0 when not waiting."""
    ahead = (
        Registration.objects.filter(
            event_id=OuterRef("event_id"), status=RegistrationStatus.WAITLISTED
        )
        .filter(
            Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
            | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("event_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return queryset.annotate(
        waitlist_ahead=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0))
    )


def position_of(registration: Registration) -> int | None:
    """The waiting-list place from the annotation (or None when not waiting)."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = getattr(registration, "waitlist_ahead", None)
    if ahead is None:
        from ..services.registrations import waitlist_position

        return waitlist_position(registration)
    return int(ahead) + 1


def registration_list(*, user: User) -> QuerySet[Registration]:
    """Registrations the person holds or bought for others, soonest event first."""
    queryset = (
        Registration.objects.filter(Q(attendee=user) | Q(order__buyer=user))
        .select_related("event", "ticket_type", "order", "attendee")
        .order_by("event__starts_at", "event_id", "pk")
    )
    return _with_position(queryset)


def registration_get(*, viewer: Any, registration_id: int) -> Registration:
    """One registration for someone allowed to see it; NotFound otherwise (nothing leaks)."""
    if not 0 < registration_id <= MAX_OBJECT_ID:
        raise NotFound("No such registration.")
    registration = (
        _with_position(Registration.objects.all())
        .select_related(
            "event", "ticket_type", "order", "order__organization", "attendee", "transferred_from"
        )
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or not permissions.can_view_registration(viewer, registration):
        raise NotFound("No such registration.")
    return registration


def order_get(*, viewer: Any, reference: str) -> Order:
    order = (
        Order.objects.select_related("event", "buyer", "organization", "discount_code")
        .filter(reference=reference[:16].upper())
        .first()
    )
    if order is None or not can_view_order(viewer, order):
        raise NotFound("No such order.")
    return order


def event_for_registration(*, viewer: Any, slug: str) -> Event:
    """The event behind a registration page: published ones (and drafts for their managers)."""
    event = Event.objects.filter(slug=slug[:120]).first()
    if event is None or not permissions.can_view_event(viewer, event):
        raise NotFound("This event does not exist.")
    return event


def event_for_check_in(*, viewer: Any, slug: str) -> Event:
    event = Event.objects.filter(slug=slug[:120]).first()
    if event is None:
        raise NotFound("This event does not exist.")
    if not permissions.can_check_in(viewer, event):
        raise PermissionRefused("Only the event's organizers and center staff may check people in.")
    return event


@dataclass(frozen=True)
class TicketOption:
    ticket_type: TicketType
    price: Decimal
    seats_left: int
    on_sale: bool
    note: str  # why it cannot be bought now, or ""

    @property
    def available(self) -> bool:
        return self.on_sale and not self.note


def ticket_options(
    *, event: Event, viewer: Any, now: datetime.datetime | None = None
) -> list[TicketOption]:
    """The event's active ticket types with price and seats left, in two queries."""
    now = now or timezone.now()
    types = list(event.ticket_types.filter(is_active=True).order_by("position", "pk"))
    taken_by_type = dict(
        Registration.objects.filter(event=event, status__in=SEAT_STATUSES)
        .order_by()
        .values_list("ticket_type_id")
        .annotate(total=Count("pk"))
        .values_list("ticket_type_id", "total")
    )
    event_free = max(event.capacity - sum(taken_by_type.values()), 0)
    options = []
    for ticket_type in types:
        free = event_free
        if ticket_type.capacity is not None:
            free = min(free, max(ticket_type.capacity - taken_by_type.get(ticket_type.pk, 0), 0))
        on_sale = not (ticket_type.sales_start and now < ticket_type.sales_start) and not (
            ticket_type.sales_end and now >= ticket_type.sales_end
        )
        note = ""
        if ticket_type.sales_start and now < ticket_type.sales_start:
            note = "Not on sale yet."
        elif ticket_type.sales_end and now >= ticket_type.sales_end:
            note = "No longer on sale."
        elif getattr(viewer, "is_authenticated", False) and not permissions.can_buy_ticket(
            viewer, ticket_type
        ):
            note = (
                "For people who belong to a member organization."
                if ticket_type.members_only
                else f"For {ticket_type.get_minimum_tier_display().lower()}."
            )
        options.append(TicketOption(ticket_type, ticket_type.price, free, on_sale, note))
    return options


def registration_window_note(event: Event, now: datetime.datetime | None = None) -> str:
    """Why registration is not open now, or "" when it is."""
    now = now or timezone.now()
    if event.status == EventStatus.CANCELLED:
        return "This event has been cancelled."
    if event.status != EventStatus.PUBLISHED:
        return "This event is not published yet, so no one can register."
    if event.registration_opens_at and now < event.registration_opens_at:
        opens = timezone.localtime(event.registration_opens_at, event.zone)
        return f"Registration opens on {opens:%d %B %Y at %H:%M %Z}."
    if now >= event.registration_closes:
        return "Registration for this event has closed."
    return ""


def live_registration(*, event: Event, user: Any) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Registration.objects.filter(
            event=event,
            attendee=user,
            status__in=(*SEAT_STATUSES, RegistrationStatus.WAITLISTED),
        )
        .order_by("-pk")
        .first()
    )


def organizations_led(*, user: Any) -> QuerySet[Organization]:
    """Organizations whose members ``user`` may register: those they lead (staff: all)."""
    if is_center_staff(user):
        return Organization.objects.order_by("name", "pk")
    return Organization.objects.filter(
        memberships__user=user, memberships__role=OrganizationRole.LEADER
    ).order_by("name", "pk")


def organization_members(*, organization: Organization) -> QuerySet[User]:
    return User.objects.filter(memberships__organization=organization, is_active=True).order_by(
        "display_name", "pk"
    )
