"""Events at scale for `townsquare demo --scale large`: events, tickets, orders and registrations.

Registered with the accounts large demo (``accounts/demo_large.py``), which discovers this module
and runs it after the people exist. Event *n* and who registers for it depend only on the seed and
*n*; rows go in with ``bulk_create``; a run inserts only what is missing (events by slug, the
registrations of events that have none yet), so a second run changes nothing.

At the default scale: 2,000 events over two years around today (a third in the past), each with
one ticket type, and 10 to 90 registrations each, about 100,000 in all (with as many orders):
confirmed up to the event's capacity, the rest on the waiting list in order; in past events
about three quarters of the confirmed people attended.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from townsquare.academy.models import AccessTier
from townsquare.accounts.demo_large import LargeDemo, chunked, register
from townsquare.accounts.models import Role, UserRole

from .models import (
    AttendanceSource,
    Event,
    EventFormat,
    EventStatus,
    Order,
    OrderStatus,
    Registration,
    RegistrationStatus,
    TicketType,
)
from .services.registrations import ticket_code_new

DEFAULT_EVENTS = 2000
SLUG_PREFIX = "large-event-"
REGISTRATIONS_PER_EVENT = (10, 90)
CAPACITIES = (20, 40, 60, 100, 200)
ATTENDED_SHARE = 0.75

TOPICS = (
    "Patient privacy online",
    "Crisis communication",
    "Short video",
    "Health literacy",
    "Online communities",
    "Physician advocacy",
    "Recruiting nurses",
    "Answering misinformation",
    "Accessible posts",
    "Measuring campaigns",
)
FORMATS = (
    EventFormat.WEBINAR,
    EventFormat.WEBINAR,
    EventFormat.WEBINAR,
    EventFormat.WORKSHOP,
    EventFormat.ONSITE_WORKSHOP,
    EventFormat.BOOT_CAMP,
    EventFormat.CONFERENCE,
)
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")


@dataclass(frozen=True)
class EventSpec:
    index: int
    title: str
    format: str
    days_from_today: int
    hours: int
    capacity: int
    zone: str
    tier: str

    @property
    def slug(self) -> str:
        return f"{SLUG_PREFIX}{self.index}"


def event_specs(count: int) -> list[EventSpec]:
    """The synthetic events; event *n* is the same whatever ``count`` (above n) is."""
    specs = []
    for index in range(count):
        rng = random.Random(f"townsquare-large-demo-1:event:{index}")  # noqa: S311
        event_format = rng.choice(FORMATS)
        topic = TOPICS[index % len(TOPICS)]
        specs.append(
            EventSpec(
                index=index,
                title=f"{topic}: {event_format.label.lower()} {index // len(TOPICS) + 1}",
                format=event_format,
                days_from_today=rng.randint(-240, 480),
                hours=1 if event_format == EventFormat.WEBINAR else rng.choice((3, 6, 8)),
                capacity=rng.choice(CAPACITIES),
                zone=rng.choice(ZONES),
                tier=rng.choice((AccessTier.PUBLIC, AccessTier.MEMBER, AccessTier.MEMBER)),
            )
        )
    return specs


def _starts_at(spec: EventSpec, today: datetime) -> datetime:
    return today + timedelta(days=spec.days_from_today, hours=14)


@register("events.events")
def generate_events(demo: LargeDemo) -> dict[str, int]:
    specs = event_specs(max(1, round(DEFAULT_EVENTS * demo.scale)))
    existing = demo.ids_by(Event, "slug", [spec.slug for spec in specs])
    new = [spec for spec in specs if spec.slug not in existing]
    if not new:
        return {"events": 0}
    now = timezone.now()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    demo.bulk_create(
        Event,
        [
            Event(
                slug=spec.slug,
                title=spec.title,
                summary=f"{spec.title}: practical, with examples from hospitals and clinics.",
                description="An event of the large demo.",
                format=spec.format,
                status=EventStatus.PUBLISHED,
                starts_at=_starts_at(spec, today),
                ends_at=_starts_at(spec, today) + timedelta(hours=spec.hours),
                time_zone=spec.zone,
                venue_name="" if spec.format == EventFormat.WEBINAR else "Townsquare Center",
                capacity=spec.capacity,
                access_tier=spec.tier,
                published_at=_starts_at(spec, today) - timedelta(days=60),
                created_at=now,
                updated_at=now,
            )
            for spec in new
        ],
        description="events",
    )
    event_ids = demo.ids_by(Event, "slug", [spec.slug for spec in new])
    tickets = demo.bulk_create(
        TicketType,
        [
            TicketType(event_id=event_ids[spec.slug], name="General admission", position=0)
            for spec in new
        ],
        description="ticket types",
    )
    return {"events": len(new), "ticket_types": tickets}


@register("events.registrations")
def generate_registrations(demo: LargeDemo) -> dict[str, int]:
    specs = event_specs(max(1, round(DEFAULT_EVENTS * demo.scale)))
    event_ids = demo.ids_by(Event, "slug", [spec.slug for spec in specs])
    ids = list(event_ids.values())
    done: set[int] = set()
    tickets: dict[int, int] = {}
    for chunk in chunked(ids, 900):
        done.update(
            Registration.objects.filter(event_id__in=chunk).values_list("event_id", flat=True)
        )
        tickets.update(
            TicketType.objects.filter(event_id__in=chunk, position=0).values_list("event_id", "pk")
        )
    people = set(demo.person_ids)
    members = sorted(
        user_id
        for user_id in UserRole.objects.filter(role=Role.MEMBER).values_list("user_id", flat=True)
        if user_id in people
    )
    todo = [spec for spec in specs if event_ids[spec.slug] not in done]
    if not members or not todo:
        return {"registrations": 0}
    now = timezone.now()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    orders: list[Order] = []
    plans: list[tuple[EventSpec, int, int, bool]] = []  # (spec, person, place in line, attended)
    for spec in todo:
        rng = demo.rng("events", "registrations", spec.index)
        count = min(rng.randint(*REGISTRATIONS_PER_EVENT), len(members))
        is_past = spec.days_from_today < 0
        for place, person in enumerate(rng.sample(members, count)):
            attended = is_past and place < spec.capacity and rng.random() < ATTENDED_SHARE
            plans.append((spec, person, place, attended))
            orders.append(
                Order(
                    event_id=event_ids[spec.slug],
                    buyer_id=person,
                    reference=f"L{spec.index:06d}{place:05d}",
                    status=OrderStatus.FREE,
                    created_at=now,
                    updated_at=now,
                )
            )
    demo.bulk_create(Order, orders, description="orders")
    order_ids = demo.ids_by(Order, "reference", [order.reference for order in orders])
    rows = []
    for spec, person, place, attended in plans:
        opened = _starts_at(spec, today) - timedelta(days=59)
        at = opened + timedelta(minutes=place * 7)
        is_confirmed = place < spec.capacity
        rows.append(
            Registration(
                event_id=event_ids[spec.slug],
                ticket_type_id=tickets[event_ids[spec.slug]],
                order_id=order_ids[f"L{spec.index:06d}{place:05d}"],
                attendee_id=person,
                status=RegistrationStatus.CONFIRMED
                if is_confirmed
                else RegistrationStatus.WAITLISTED,
                confirmed_at=at if is_confirmed else None,
                waitlisted_at=None if is_confirmed else at,
                ticket_code=ticket_code_new(),
                attended=attended,
                attendance_source=AttendanceSource.IMPORT if attended else "",
                created_at=at,
                updated_at=at,
            )
        )
    return {
        "orders": len(orders),
        "registrations": demo.bulk_create(Registration, rows, description="registrations"),
    }
