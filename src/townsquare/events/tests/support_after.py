"""Test helpers of the after-event and proposals section."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from townsquare.academy.models import CreditActivity, CreditType
from townsquare.accounts.models import User

from ..models import CallForProposals, Event, Registration
from .factories import make_attendee, make_event, make_organizer, register

CE_ANSWERS = {
    "logistics": "4",
    "accessibility": "5",
    "speakers": "5",
    "objective_1": "5",
    "objective_2": "4",
    "free_of_bias": "yes",
    "practice_change": "yes",
    "practice_detail": "Check every post for PHI.",
    "overall": "5",
    "comments": "Great day.",
}
PLAIN_ANSWERS = {
    "logistics": "3",
    "accessibility": "4",
    "speakers": "5",
    "overall": "4",
    "comments": "More breaks, please.",
}


def make_event_credit(event: Event, *, max_hours: str = "3.00") -> CreditActivity:
    activity = CreditActivity.objects.create(
        title=event.title,
        credit_type=CreditType.NURSING,
        max_hours=Decimal(max_hours),
        objectives="- Recognize PHI in a post\n- Plan a compliant campaign",
        accreditation_statement="The center is accredited to provide nursing CE.",
    )
    event.credit_activity = activity
    event.save(update_fields=["credit_activity"])
    return activity


def make_past_event(
    *,
    organizer: User | None = None,
    attendees: int = 2,
    with_credit: bool = False,
    certificate_hours: str | None = "3.00",
    people: tuple[User, ...] = (),
    **fields: Any,
) -> tuple[Event, list[Registration]]:
    """An event that took place yesterday, with ``attendees`` confirmed registrations."""
    organizer = organizer or make_organizer()
    event = make_event(
        organizers=(organizer,),
        capacity=attendees + len(people) + 5,
        certificate_hours=Decimal(certificate_hours) if certificate_hours else None,
        **fields,
    )
    everyone = [*people, *(make_attendee() for _ in range(attendees))]
    registrations = [register(person, event) for person in everyone]
    starts_at = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=3)
    )
    event.refresh_from_db()
    if with_credit:
        make_event_credit(event)
    return event, registrations


def make_call(
    event: Event, *, reviewers: tuple[User, ...] = (), is_open: bool = True
) -> CallForProposals:
    now = timezone.now()
    opens = now - datetime.timedelta(days=1) if is_open else now + datetime.timedelta(days=1)
    call = CallForProposals.objects.create(
        event=event,
        guidelines="Talks about **social media** in care.",
        opens_at=opens,
        closes_at=min(event.starts_at, now + datetime.timedelta(days=5)),
    )
    call.reviewers.set(reviewers)
    return call
