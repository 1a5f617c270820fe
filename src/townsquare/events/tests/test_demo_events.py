"""The hand-written Events demo: consistent with the rules, and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from townsquare.accounts import demo as accounts_demo
from townsquare.accounts import demo_large as accounts_demo_large
from townsquare.core.search import search_ids
from townsquare.events import demo, demo_large
from townsquare.events.models import (
    CallForProposals,
    Event,
    EventFormat,
    EventSeries,
    Order,
    OrderStatus,
    Proposal,
    Registration,
    RegistrationStatus,
    Session,
    Speaker,
)
from townsquare.events.services import registrations

MODELS = (EventSeries, Event, Session, Speaker, Registration, Order, Proposal)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_the_demo_command_loads_the_events_once():
    call_command("demo", "--quiet", stdout=StringIO())
    first = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == first
    assert demo.load_small() is False
    assert first["Event"] == len(demo.WEEK) + len(demo.WEBINARS) + len(demo.OTHERS)
    summit = Event.objects.get(slug=demo.SUMMIT_SLUG)
    assert summit.pk in search_ids("event", "summit")


@pytest.mark.django_db
def test_the_conference_week_is_a_bundle_of_four_events():
    accounts_demo.load_small()
    assert demo.load_small() is True
    week = EventSeries.objects.get(slug=demo.WEEK_SLUG)
    assert week.is_bundle
    assert list(week.events.order_by("starts_at").values_list("slug", flat=True)) == [
        demo.RESIDENCY_SLUG,
        demo.WORKSHOPS_SLUG,
        demo.SUMMIT_SLUG,
        demo.MEETING_SLUG,
    ]
    summit = Event.objects.get(slug=demo.SUMMIT_SLUG)
    assert summit.format == EventFormat.CONFERENCE
    assert [ticket.price > 0 for ticket in summit.ticket_types.all()] == [False, True, True]
    assert summit.ticket_types.filter(members_only=True).count() == 1
    assert set(summit.questions.values_list("purpose", flat=True)) >= {
        "dietary",
        "accessibility",
        "license",
    }
    assert summit.discount_codes.get().code == demo.DISCOUNT_CODE
    assert summit.tracks.count() == 3
    assert summit.rooms.count() == 3
    assert summit.speakers.exclude(financial_relationships="").count() == 1
    for session in summit.sessions.all():
        assert summit.starts_at <= session.starts_at < session.ends_at <= summit.ends_at
    call = CallForProposals.objects.get(event=summit)
    assert sorted(call.proposals.values_list("status", flat=True)) == [
        "accepted",
        "rejected",
        "submitted",
    ]


@pytest.mark.django_db
def test_registrations_follow_the_rules():
    accounts_demo.load_small()
    demo.load_small()
    physician = Registration.objects.get(
        event__slug=demo.SUMMIT_SLUG, attendee__email=demo.PHYSICIAN
    )
    assert physician.status == RegistrationStatus.CONFIRMED
    assert physician.price == physician.ticket_type.price * 80 / 100  # the early-bird code
    assert physician.order.status == OrderStatus.UNPAID
    assert physician.order.invoice_number
    for event in Event.objects.all():
        assert registrations.seats_taken(event) <= event.capacity
    lab = Event.objects.get(slug=demo.FULL_SLUG)
    assert registrations.seats_free(lab) == 0
    waiting = lab.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    assert [registrations.waitlist_position(entry) for entry in waiting] == [1, 2, 3]
    assert waiting[0].attendee.email == demo.NURSE


@pytest.mark.django_db
def test_the_webinar_series_has_a_recorded_past_webinar_and_an_upcoming_one():
    accounts_demo.load_small()
    demo.load_small()
    now = timezone.now()
    past = Event.objects.get(slug=demo.PAST_WEBINAR_SLUG)
    upcoming = Event.objects.get(slug=demo.NEXT_WEBINAR_SLUG)
    assert past.ends_at < now < upcoming.starts_at
    assert past.recording_url
    assert past.captions_url
    assert past.series == upcoming.series
    assert past.is_online
    assert upcoming.join_url
    assert past.registrations.filter(attended=True).count() == 2
    onsite = Event.objects.get(slug=demo.ONSITE_SLUG)
    assert onsite.host_organization is not None
    assert Event.objects.filter(format=EventFormat.BOOT_CAMP).exists()


@pytest.mark.django_db
def test_without_the_accounts_demo_the_events_still_load():
    assert demo.load_small() is True
    assert Registration.objects.count() == 0
    assert Event.objects.filter(slug=demo.SUMMIT_SLUG).exists()


# --- The large demo -------------------------------------------------------------------------------

LARGE_PEOPLE, LARGE_ORGANIZATIONS = 300, 6  # scale 0.03: 60 events


def _load_large() -> str:
    output = StringIO()
    accounts_demo_large.load_large(
        output, people=LARGE_PEOPLE, organizations=LARGE_ORGANIZATIONS, progress=False
    )
    return output.getvalue()


def test_the_events_generators_run_after_the_people():
    names = list(accounts_demo_large.generators())
    assert names.index("accounts.people") < names.index("events.events")
    assert names.index("events.events") < names.index("events.registrations")


def test_event_specs_are_deterministic_and_stable_as_the_count_grows():
    assert demo_large.event_specs(5) == demo_large.event_specs(2000)[:5]
    specs = demo_large.event_specs(2000)
    assert len({spec.slug for spec in specs}) == 2000
    assert 0.2 < sum(spec.days_from_today < 0 for spec in specs) / 2000 < 0.45


@pytest.mark.django_db
def test_the_large_demo_adds_events_and_registrations_once():
    first = _load_large()
    assert "events.events" in first
    events = Event.objects.filter(slug__startswith=demo_large.SLUG_PREFIX)
    assert events.count() == round(demo_large.DEFAULT_EVENTS * LARGE_PEOPLE / 10_000)
    rows = Registration.objects.filter(event__in=events)
    assert rows.count() > 10 * events.count()
    for event in events:
        assert registrations.seats_taken(event) <= event.capacity
        assert event.ticket_types.count() == 1
        waiting = event.registrations.filter(status=RegistrationStatus.WAITLISTED)
        if waiting:
            assert registrations.seats_free(event) == 0
    assert not rows.filter(attended=True, event__starts_at__gt=timezone.now())
    assert rows.filter(attended=True).exists()
    before = (Event.objects.count(), Registration.objects.count(), Order.objects.count())

    second = _load_large()

    assert "nothing inserted" in second
    assert before == (Event.objects.count(), Registration.objects.count(), Order.objects.count())
