"""Messages from organizers to an event's attendees, by audience, kept as a history."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.email import email_queue
from townsquare.core.errors import PermissionRefused, ValidationFailed

from .. import permissions
from ..models import Event, EventMessage, MessageAudience, Registration, RegistrationStatus
from .calendars import event_url

SUBJECT_LIMIT = 200
BODY_LIMIT = 20_000


def audience_registrations(*, event: Event, audience: str) -> QuerySet[Registration]:
    """The registrations a message to ``audience`` goes to."""
    registrations = Registration.objects.filter(event=event)
    if audience == MessageAudience.CONFIRMED:
        return registrations.filter(status=RegistrationStatus.CONFIRMED)
    if audience == MessageAudience.WAITLISTED:
        return registrations.filter(
            status__in=[RegistrationStatus.WAITLISTED, RegistrationStatus.OFFERED]
        )
    if audience == MessageAudience.ATTENDED:
        return registrations.filter(status=RegistrationStatus.CONFIRMED, attended=True)
    if audience == MessageAudience.NOT_ATTENDED:
        return registrations.filter(status=RegistrationStatus.CONFIRMED, attended=False)
    raise ValidationFailed(
        "Choose who the message is for.", field_errors={"audience": ["Choose an audience."]}
    )


def audience_counts(*, event: Event) -> dict[str, int]:
    """How many people each audience has right now (one query per audience, four in all)."""
    return {
        audience: audience_registrations(event=event, audience=audience).count()
        for audience in MessageAudience.values
    }


@transaction.atomic
def message_send(
    *, actor: User, event: Event, audience: str, subject: str, body: str
) -> EventMessage:
    """Email everyone in ``audience`` (each their own copy) and keep the message in the history."""
    if not permissions.can_manage_event(actor, event):
        raise PermissionRefused(
            "Only the event's organizers and center staff may message attendees."
        )
    errors: dict[str, list[str]] = {}
    subject = " ".join(subject.split())
    if audience not in MessageAudience.values:
        errors["audience"] = ["Choose who the message is for."]
    if not subject:
        errors["subject"] = ["Write a subject."]
    elif len(subject) > SUBJECT_LIMIT:
        errors["subject"] = [f"Keep the subject under {SUBJECT_LIMIT} characters."]
    if not body.strip():
        errors["body"] = ["Write the message."]
    elif len(body) > BODY_LIMIT:
        errors["body"] = [f"Keep the message under {BODY_LIMIT} characters."]
    if errors:
        summary = "; ".join(messages[0] for messages in errors.values())
        raise ValidationFailed(f"Please correct: {summary}", field_errors=errors)
    recipients = list(
        audience_registrations(event=event, audience=audience)
        .select_related("attendee")
        .order_by("pk")
    )
    if not recipients:
        message = "No one is in this audience yet; nothing was sent."
        raise ValidationFailed(message, field_errors={"audience": [message]})
    footer = (
        f"\n\n--\nYou receive this because you registered for {event.title}.\n{event_url(event)}\n"
    )
    for registration in recipients:
        email_queue(
            to=[registration.attendee.email],
            subject=f"{subject} ({event.title})"[:250],
            body=f"Hello {registration.attendee.display_name},\n\n{body.strip()}{footer}",
        )
    sent = EventMessage.objects.create(
        event=event,
        sender=actor,
        audience=audience,
        subject=subject,
        body=body.strip(),
        recipient_count=len(recipients),
    )
    audit_record(
        action="events.message.sent",
        actor=actor,
        target=sent,
        data={"event_id": event.pk, "audience": audience, "recipients": len(recipients)},
    )
    return sent
