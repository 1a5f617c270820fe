"""Check-in at the door: lock, check, write, so each ticket lets one person in once.

The event row is locked (as the registration services do) so a check-in never races a
cancellation; the write itself is a conditional ``UPDATE … WHERE checked_in_at IS NULL``, so a
second scan of the same ticket is refused even without the lock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed

from .. import permissions
from ..models import AttendanceSource, Event, EventStatus, Registration, RegistrationStatus
from .attendance import ce_completion_record
from .registrations import _seat_lock

CODE_LIMIT = 64
# Ticket codes are URL-safe base64; anything else cannot be one of ours.
_CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class CheckInResult:
    registration: Registration
    counts: dict[str, int]


def ticket_code_normalize(code: str) -> str:
    """The code as printed under the QR code; scanners may add spaces or a trailing newline."""
    return "".join((code or "").split())[:CODE_LIMIT]


def check_in_counts(event: Event) -> dict[str, int]:
    """Confirmed registrations, how many have checked in, and how many are still to come."""
    totals = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED
    ).aggregate(
        confirmed=Count("pk"),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    confirmed = totals["confirmed"] or 0
    checked_in = totals["checked_in"] or 0
    return {"confirmed": confirmed, "checked_in": checked_in, "remaining": confirmed - checked_in}


def _refuse_unknown(code: str) -> NotFound:
    shown = code[:32] or "(empty)"
    return NotFound(
        f"Unknown ticket code “{shown}”. Check the code, or look the person up in the "
        "registrations list.",
        field_errors={"code": [f"No ticket of this event has the code “{shown}”."]},
    )


def _find(event: Event, code: str) -> Registration:
    if not _CODE_PATTERN.match(code):
        raise _refuse_unknown(code)
    registration = (
        Registration.objects.select_related("attendee", "ticket_type", "checked_in_by")
        .filter(ticket_code=code)
        .first()
    )
    if registration is None:
        raise _refuse_unknown(code)
    if registration.event_id != event.pk:
        message = "This ticket is for another event, not this one."
        raise Conflict(message, field_errors={"code": [message]})
    return registration


def _check_admissible(registration: Registration) -> None:
    name = registration.attendee.display_name
    if registration.checked_in_at is not None:
        when = timezone.localtime(registration.checked_in_at, registration.event.zone)
        by = registration.checked_in_by.display_name if registration.checked_in_by else "someone"
        message = f"{name} has already checked in (at {when:%H:%M %Z} on {when:%d %B}, by {by})."
        raise Conflict(
            message,
            field_errors={"code": [message]},
            registration_id=registration.pk,
            attendee_name=name,
        )
    if registration.status != RegistrationStatus.CONFIRMED:
        status = registration.get_status_display().lower()
        message = f"{name}'s registration is not confirmed ({status}); they cannot check in."
        raise Conflict(
            message,
            field_errors={"code": [message]},
            registration_id=registration.pk,
            attendee_name=name,
        )


@transaction.atomic
def check_in(*, actor: User, event: Event, code: str) -> CheckInResult:
    """Admit the holder of ticket ``code`` to ``event``; refuse unknown codes and second scans."""
    if not permissions.can_check_in(actor, event):
        raise PermissionRefused("Only the event's organizers and center staff may check people in.")
    code = ticket_code_normalize(code)
    if not code:
        message = "Scan or type a ticket code."
        raise ValidationFailed(message, field_errors={"code": [message]})
    with _seat_lock(event.pk) as locked:
        if locked.status == EventStatus.CANCELLED:
            raise Conflict("This event has been cancelled; no one can check in.")
        registration = _find(locked, code)
        registration.event = locked
        _check_admissible(registration)
        now = timezone.now()
        claimed = Registration.objects.filter(
            pk=registration.pk, status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=True
        ).update(
            checked_in_at=now,
            checked_in_by=actor,
            attended=True,
            attendance_source=AttendanceSource.CHECK_IN,
            updated_at=now,
        )
        if claimed != 1:  # pragma: no cover - the lock makes this unreachable; kept as a guard
            raise Conflict("This ticket has just been used to check in.")
        registration.refresh_from_db()
        ce_completion_record(locked, registration.attendee)
        audit_record(
            action="events.registration.checked_in",
            actor=actor,
            target=registration,
            data={"event_id": locked.pk, "ticket_type_id": registration.ticket_type_id},
        )
        return CheckInResult(registration, check_in_counts(locked))


def recent_check_ins(event: Event, *, limit: int = 10) -> list[Registration]:
    return list(
        Registration.objects.filter(event=event, checked_in_at__isnull=False)
        .select_related("attendee", "ticket_type")
        .order_by("-checked_in_at", "-pk")[:limit]
    )
