"""Events test data. Events, tickets and questions are built directly from models so every area's
tests start from the same ready-made event; registrations go through the real service."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from townsquare.academy.models import AccessTier
from townsquare.accounts.models import Role, User
from townsquare.accounts.tests.factories import make_user

from ..models import (
    DiscountCode,
    DiscountKind,
    Event,
    EventFormat,
    EventStatus,
    QuestionKind,
    QuestionPurpose,
    Registration,
    RegistrationQuestion,
    TicketType,
    WaitlistMode,
)
from ..services import registrations

_sequence = itertools.count(1)


def make_organizer(**fields: Any) -> User:
    return make_user(roles=(Role.INSTRUCTOR, Role.MEMBER), **fields)


def make_event(
    *,
    title: str | None = None,
    event_format: str = EventFormat.WORKSHOP,
    capacity: int = 10,
    tier: str = AccessTier.MEMBER,
    published: bool = True,
    starts_in: datetime.timedelta = datetime.timedelta(days=14),
    duration: datetime.timedelta = datetime.timedelta(hours=3),
    waitlist_mode: str = WaitlistMode.OFFER,
    organizers: tuple[User, ...] = (),
    with_ticket: bool = True,
    **fields: Any,
) -> Event:
    """A published event with one free ticket type ("General admission") unless told otherwise."""
    number = next(_sequence)
    starts_at = (timezone.now() + starts_in).replace(microsecond=0)
    event = Event.objects.create(
        slug=f"test-event-{number}",
        title=title or f"Test event {number}",
        summary="An event for tests.",
        description="All about **tests**.",
        format=event_format,
        status=EventStatus.PUBLISHED if published else EventStatus.DRAFT,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        time_zone=fields.pop("time_zone", "America/Chicago"),
        capacity=capacity,
        access_tier=tier,
        waitlist_mode=waitlist_mode,
        published_at=timezone.now() if published else None,
        **fields,
    )
    event.organizers.set(organizers)
    if with_ticket:
        make_ticket_type(event, name="General admission")
    return event


def make_ticket_type(
    event: Event,
    *,
    name: str | None = None,
    price: str | Decimal = "0",
    capacity: int | None = None,
    **fields: Any,
) -> TicketType:
    return TicketType.objects.create(
        event=event,
        name=name or f"Ticket {next(_sequence)}",
        price=Decimal(price),
        capacity=capacity,
        **fields,
    )


def make_discount_code(
    event: Event,
    *,
    code: str = "SAVE20",
    kind: str = DiscountKind.PERCENT,
    value: str | Decimal = "20",
    **fields: Any,
) -> DiscountCode:
    return DiscountCode.objects.create(
        event=event, code=code.upper(), kind=kind, value=Decimal(value), **fields
    )


def make_question(
    event: Event,
    *,
    label: str = "Dietary needs",
    kind: str = QuestionKind.TEXT,
    purpose: str = QuestionPurpose.DIETARY,
    is_required: bool = False,
    options: str = "",
) -> RegistrationQuestion:
    return RegistrationQuestion.objects.create(
        event=event,
        label=label,
        kind=kind,
        purpose=purpose,
        is_required=is_required,
        options=options,
    )


def make_attendee(**fields: Any) -> User:
    return make_user(roles=(Role.MEMBER,), **fields)


def register(
    user: User, event: Event, *, ticket_type: TicketType | None = None, **kwargs: Any
) -> Registration:
    """Register through the real service (confirmed or waitlisted, as capacity says)."""
    ticket_type = ticket_type or event.ticket_types.order_by("pk").first()
    assert ticket_type is not None
    return registrations.registration_create(
        actor=user, event=event, ticket_type=ticket_type, **kwargs
    ).registration


def fill(event: Event, count: int | None = None) -> list[Registration]:
    """Register ``count`` new members (default: the event's capacity)."""
    return [register(make_attendee(), event) for _ in range(count or event.capacity)]
