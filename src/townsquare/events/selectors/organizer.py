"""Reads for the organizer pages: the events someone manages, the registration list with its
filters and counts, the waiting list, the CSV export and the message history."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from townsquare.academy.services.credit import csv_safe
from townsquare.accounts.permissions import is_center_staff
from townsquare.core.errors import NotFound, PermissionRefused

from .. import permissions
from ..models import (
    SEAT_STATUSES,
    Event,
    EventMessage,
    EventSeries,
    Order,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
)


def event_for_managing(*, viewer: Any, slug: str) -> Event:
    """The event for its management pages; a draft is hidden from people who may not manage it."""
    event = (
        Event.objects.select_related("series", "credit_activity", "host_organization")
        .filter(slug=slug)
        .first()
    )
    if event is None:
        raise NotFound("No such event.")
    if not permissions.can_manage_event(viewer, event):
        if not permissions.can_view_event(viewer, event):
            raise NotFound("No such event.")
        raise PermissionRefused("Only the event's organizers and center staff may manage it.")
    return event


def event_for_managing_by_id(*, viewer: Any, event_id: int) -> Event:
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        raise NotFound("No such event.")
    if not permissions.can_manage_event(viewer, event):
        if not permissions.can_view_event(viewer, event):
            raise NotFound("No such event.")
        raise PermissionRefused("Only the event's organizers and center staff may manage it.")
    return event


def events_managed(*, viewer: Any) -> QuerySet[Event]:
    """Events the viewer organizes (center staff: every event), newest start first, with counts."""
    events = Event.objects.all()
    if not is_center_staff(viewer):
        events = events.filter(organizers=viewer)
    return (
        events.select_related("series")
        .annotate(
            seats_taken=Count(
                "registrations",
                filter=Q(registrations__status__in=SEAT_STATUSES),
                distinct=True,
            ),
            waiting=Count(
                "registrations",
                filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
                distinct=True,
            ),
        )
        .order_by("-starts_at", "-pk")
    )


def series_all() -> QuerySet[EventSeries]:
    return EventSeries.objects.annotate(event_count=Count("events")).order_by("title")


@dataclass(frozen=True)
class RegistrationFilters:
    status: str = ""
    ticket_type_id: int | None = None
    checked_in: bool | None = None
    q: str = ""


def registration_list(*, event: Event, filters: RegistrationFilters) -> QuerySet[Registration]:
    registrations = Registration.objects.filter(event=event).select_related(
        "attendee", "ticket_type", "order"
    )
    if filters.status:
        registrations = registrations.filter(status=filters.status)
    if filters.ticket_type_id is not None:
        registrations = registrations.filter(ticket_type_id=filters.ticket_type_id)
    if filters.checked_in is True:
        registrations = registrations.filter(checked_in_at__isnull=False)
    elif filters.checked_in is False:
        registrations = registrations.filter(checked_in_at__isnull=True)
    query = filters.q.strip()
    if query:
        registrations = registrations.filter(
            Q(attendee__display_name__icontains=query)
            | Q(attendee__email__icontains=query)
            | Q(order__reference__iexact=query)
        )
    return registrations.order_by("pk")


def registration_counts(*, event: Event) -> dict[str, int]:
    """Counts by status plus checked in and attended, in one query."""
    confirmed = Q(status=RegistrationStatus.CONFIRMED)
    counts = Registration.objects.filter(event=event).aggregate(
        total=Count("pk"),
        confirmed=Count("pk", filter=confirmed),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        offered=Count("pk", filter=Q(status=RegistrationStatus.OFFERED)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
        attended=Count("pk", filter=confirmed & Q(attended=True)),
        unpaid=Count("pk", filter=confirmed & Q(order__status="unpaid")),
    )
    counts["seats_free"] = max(event.capacity - counts["confirmed"] - counts["offered"], 0)
    return counts


@dataclass(frozen=True)
class WaitlistEntry:
    registration: Registration
    position: int | None  # place in line for those waiting; None for open offers


def waitlist(*, event: Event) -> list[WaitlistEntry]:
    """Open offers first (with their expiry), then the line in order."""
    rows = list(
        Registration.objects.filter(
            event=event,
            status__in=[RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED],
        )
        .select_related("attendee", "ticket_type")
        .order_by("waitlisted_at", "pk")
    )
    offers = [WaitlistEntry(row, None) for row in rows if row.status == RegistrationStatus.OFFERED]
    waiting = [row for row in rows if row.status == RegistrationStatus.WAITLISTED]
    return offers + [WaitlistEntry(row, number) for number, row in enumerate(waiting, start=1)]


def message_history(*, event: Event) -> QuerySet[EventMessage]:
    return (
        EventMessage.objects.filter(event=event)
        .select_related("sender")
        .order_by("-created_at", "-pk")
    )


def order_for_managing(*, viewer: Any, event: Event, pk: int) -> Order:
    order = Order.objects.filter(event=event, pk=pk).select_related("event").first()
    if order is None:
        raise NotFound("No such order at this event.")
    return order


# The CSV export ------------------------------------------------------------------------------


def _when(value: datetime.datetime | None, event: Event) -> str:
    return value.astimezone(event.zone).strftime("%Y-%m-%d %H:%M") if value else ""


def registration_export_rows(*, event: Event, filters: RegistrationFilters) -> Iterator[list[str]]:
    """The header, then one row per registration, each cell safe to open in a spreadsheet."""
    questions = list(RegistrationQuestion.objects.filter(event=event).order_by("position", "pk"))
    header = [
        "Registration",
        "Name",
        "Email",
        "Ticket",
        "Status",
        "Price",
        "Order",
        "Order status",
        "Registered",
        "Checked in",
        "Attended",
        *[question.label for question in questions],
    ]
    yield [csv_safe(cell) for cell in header]
    registrations = registration_list(event=event, filters=filters)
    for registration in registrations.iterator(chunk_size=500):
        answers = registration.answers or {}
        row = [
            registration.pk,
            registration.attendee.display_name,
            registration.attendee.email,
            registration.ticket_type.name,
            registration.get_status_display(),
            registration.price,
            registration.order.reference,
            registration.order.get_status_display(),
            _when(registration.created_at, event),
            _when(registration.checked_in_at, event),
            "yes" if registration.attended else "no",
            *[answers.get(str(question.pk), "") for question in questions],
        ]
        yield [csv_safe(cell) for cell in row]
