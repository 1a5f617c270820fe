"""The emails registration sends. All go through ``core.email.email_queue`` (after commit)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.email import Attachment, email_queue

from ..models import Registration, RegistrationStatus
from .calendars import event_calendar, event_url, event_when


def _link(name: str, **kwargs: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _ics(registration: Registration) -> Attachment:
    return {
        "filename": f"{registration.event.slug}.ics",
        "content": event_calendar(registration.event, registration=registration).decode(),
        "mimetype": "text/calendar",
    }


def _confirmation(registration: Registration) -> None:
    event = registration.event
    ticket = _link("events:registration_detail", pk=registration.pk)
    lines = [
        f"Hello {registration.attendee.display_name},",
        "",
        f"You are registered for {event.title}.",
        f"When: {event_when(event)}",
    ]
    if event.venue_name:
        lines.append(f"Where: {event.venue_name}")
    if event.is_online and event.join_url:
        lines.append(f"Join online: {event.join_url}")
    if registration.order.invoice_number:
        lines += [
            "",
            f"Your invoice {registration.order.invoice_number} for "
            f"{registration.order.total} {registration.order.currency} is due on "
            f"{registration.order.invoice_due_on}.",
        ]
    lines += [
        "",
        f"Your ticket (with its QR code for check-in): {ticket}",
        "The attached calendar file adds the event, with reminders, to your calendar.",
        "",
        f"Event page: {event_url(event)}",
    ]
    email_queue(
        to=[registration.attendee.email],
        subject=f"You are registered: {event.title}",
        body="\n".join(lines),
        attachments=[_ics(registration)],
    )


def _waitlisted(registration: Registration) -> None:
    from .registrations import waitlist_position

    event = registration.event
    position = waitlist_position(registration)
    email_queue(
        to=[registration.attendee.email],
        subject=f"On the waiting list: {event.title}",
        body=(
            f"Hello {registration.attendee.display_name},\n\n"
            f"{event.title} is full, so you are on the waiting list, number {position} in line.\n"
            "When a seat frees up we email you at once.\n\n"
            f"Your registration: {_link('events:registration_detail', pk=registration.pk)}\n"
        ),
    )


def registration_announce(registration: Registration) -> None:
    """Tell the attendee they are confirmed (with the .ics) or waiting (with their place)."""
    if registration.status == RegistrationStatus.CONFIRMED:
        _confirmation(registration)
    elif registration.status == RegistrationStatus.WAITLISTED:
        _waitlisted(registration)


def registration_promoted(registration: Registration) -> None:
    if registration.status == RegistrationStatus.CONFIRMED:
        _confirmation(registration)
        return
    event = registration.event
    expires = timezone.localtime(registration.offer_expires_at, event.zone)
    email_queue(
        to=[registration.attendee.email],
        subject=f"A seat is free for you: {event.title}",
        body=(
            f"Hello {registration.attendee.display_name},\n\n"
            f"A seat has opened at {event.title} and it is yours if you take it by "
            f"{expires:%A %d %B %Y %H:%M %Z}. After that it passes to the next person.\n\n"
            "Take the seat or let it go: "
            f"{_link('events:registration_detail', pk=registration.pk)}\n"
        ),
    )


def offer_expired(registration: Registration) -> None:
    email_queue(
        to=[registration.attendee.email],
        subject=f"Your seat offer expired: {registration.event.title}",
        body=(
            f"Hello {registration.attendee.display_name},\n\n"
            f"The seat offered to you at {registration.event.title} was not taken in time and "
            "has passed to the next person on the waiting list. You can register again if "
            "seats open up.\n"
        ),
    )


def registration_cancelled(registration: Registration) -> None:
    email_queue(
        to=[registration.attendee.email],
        subject=f"Registration cancelled: {registration.event.title}",
        body=(
            f"Hello {registration.attendee.display_name},\n\n"
            f"Your registration for {registration.event.title} is cancelled.\n"
            f"Event page: {event_url(registration.event)}\n"
        ),
    )


def registration_transferred(registration: Registration, *, previous: User) -> None:
    email_queue(
        to=[previous.email],
        subject=f"Ticket transferred: {registration.event.title}",
        body=(
            f"Hello {previous.display_name},\n\n"
            f"Your ticket for {registration.event.title} now belongs to "
            f"{registration.attendee.display_name}. Your old ticket code no longer works.\n"
        ),
    )
    _confirmation(registration)
