"""Reads for the after-event pages: the event by slug, the attendance list and its counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from townsquare.academy.models import Credential, CredentialKind
from townsquare.core.errors import NotFound

from ..models import Event, Feedback, Registration, RegistrationStatus


def event_by_slug(slug: str) -> Event:
    event = Event.objects.select_related("credit_activity").filter(slug=slug).first()
    if event is None:
        raise NotFound("No such event.")
    return event


def event_by_id(event_id: int) -> Event:
    event = Event.objects.select_related("credit_activity").filter(pk=event_id).first()
    if event is None:
        raise NotFound("No such event.")
    return event


def attendance_list(
    event: Event, *, search: str = "", attended: str = ""
) -> QuerySet[Registration]:
    """Confirmed registrations with their attendee and ticket type, by name."""
    registrations = (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .select_related("attendee", "ticket_type")
        .order_by("attendee__display_name", "pk")
    )
    if search:
        registrations = registrations.filter(attendee__display_name__icontains=search) | (
            registrations.filter(attendee__email__icontains=search)
        )
    if attended == "yes":
        registrations = registrations.filter(attended=True)
    elif attended == "no":
        registrations = registrations.filter(attended=False)
    return registrations


@dataclass(frozen=True)
class AttendanceCounts:
    confirmed: int
    attended: int
    certificates: int
    feedback: int


def attendance_counts(event: Event) -> AttendanceCounts:
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    return AttendanceCounts(
        confirmed=confirmed.count(),
        attended=confirmed.filter(attended=True).count(),
        certificates=Credential.objects.filter(
            kind=CredentialKind.ATTENDANCE,
            subject_reference=f"events.event:{event.pk}",
            revoked_at__isnull=True,
        ).count(),
        feedback=Feedback.objects.filter(event=event).count(),
    )


def certificate_for(user: Any, event: Event) -> Credential | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Credential.objects.filter(
        user=user,
        kind=CredentialKind.ATTENDANCE,
        subject_reference=f"events.event:{event.pk}",
        revoked_at__isnull=True,
    ).first()


def feedback_for(user: Any, event: Event) -> Feedback | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Feedback.objects.filter(event=event, user=user).first()
