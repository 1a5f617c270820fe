"""Calendar files: one event's .ics, the public feed, and the personal subscription link (stored
only as a hash; shown once; reset and revoke make old links 404)."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from icalendar import Calendar

from townsquare.core.models import AuditRecord

from ..models import CalendarToken, ScheduleItem
from ..services import calendar_links
from .factories import make_attendee, make_event, register
from .support_public import make_cancelled_event, make_session

pytestmark = pytest.mark.django_db


def summaries(content: bytes) -> list[str]:
    calendar = Calendar.from_ical(content)
    return [str(component["summary"]) for component in calendar.walk("VEVENT")]


def test_event_ics_is_a_calendar_file_with_reminders(client):
    event = make_event(title="Privacy webinar", join_url="https://zoom.example/j/1")
    response = client.get(f"/events/{event.slug}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert summaries(response.content) == ["Privacy webinar"]
    assert b"TRIGGER:-P1D" in response.content
    assert b"zoom.example" not in response.content


def test_event_ics_of_a_confirmed_attendee_carries_the_join_link_privately(client_for):
    event = make_event(join_url="https://zoom.example/j/1")
    attendee = make_attendee()
    register(attendee, event)
    response = client_for(attendee).get(f"/events/{event.slug}/calendar.ics")
    assert b"zoom.example/j/1" in response.content
    assert response["Cache-Control"] == "private, no-store"


def test_event_ics_of_a_draft_is_missing(client):
    draft = make_event(published=False)
    assert client.get(f"/events/{draft.slug}/calendar.ics").status_code == 404


def test_public_feed_lists_published_and_cancelled_not_drafts_or_old(client):
    make_event(title="Upcoming")
    make_cancelled_event(title="Cancelled one")
    make_event(title="Draft", published=False)
    make_event(title="Ancient", starts_in=datetime.timedelta(days=-90))
    response = client.get("/events/feed.ics")
    assert sorted(summaries(response.content)) == ["Cancelled one", "Upcoming"]
    assert b"STATUS:CANCELLED" in response.content


def test_creating_a_link_stores_only_its_hash_and_shows_it_once(client_for):
    member = make_attendee()
    client = client_for(member)
    assert "You have no calendar link." in client.get("/events/calendar/").content.decode()
    response = client.post("/events/calendar/", {"action": "create"})
    url = response.context["new_url"]
    raw = url.rsplit("/", 1)[-1].removesuffix(".ics")
    token = CalendarToken.objects.get(user=member)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in token.token_hash
    assert token.prefix == raw[:8]
    assert "Copy your calendar link now." in response.content.decode()
    again = client.get("/events/calendar/").content.decode()
    assert raw not in again
    assert f"{raw[:8]}…" in again
    assert AuditRecord.objects.filter(action="events.calendar_link.created").count() == 1


def test_personal_feed_lists_my_events_and_scheduled_sessions(client):
    member = make_attendee()
    mine = make_event(title="Mine", join_url="https://zoom.example/j/7")
    register(member, mine)
    make_event(title="Not mine")
    session = make_session(make_event(title="Conference"), title="Keynote")
    ScheduleItem.objects.create(user=member, session=session)
    issued = calendar_links.calendar_link_create(user=member)
    response = client.get(f"/events/calendar/{issued.raw}.ics")
    assert response.status_code == 200
    assert sorted(summaries(response.content)) == ["Keynote (Conference)", "Mine"]
    assert b"zoom.example/j/7" in response.content
    assert response["Cache-Control"] == "private, no-store"
    assert CalendarToken.objects.get(user=member).last_used_at is not None


def test_reset_and_revoke_kill_old_links(client, client_for):
    member = make_attendee()
    first = calendar_links.calendar_link_create(user=member)
    second = client_for(member).post("/events/calendar/", {"action": "reset"}).context["new_url"]
    assert client.get(f"/events/calendar/{first.raw}.ics").status_code == 404
    path = second.split("://", 1)[-1].split("/", 1)[-1]
    assert client.get(f"/{path}").status_code == 200
    response = client_for(member).post("/events/calendar/", {"action": "revoke"})
    assert response.status_code == 302
    assert not CalendarToken.objects.filter(user=member).exists()
    assert client.get(f"/{path}").status_code == 404
    assert AuditRecord.objects.filter(action="events.calendar_link.revoked").count() == 1


@pytest.mark.parametrize(
    "token", ["x", "A" * 43, "%00", "a" * 500, "not a token", "../../etc/passwd"]
)
def test_forged_links_are_missing_without_details(client, token):
    make_attendee()
    response = client.get(f"/events/calendar/{token}.ics")
    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


def test_link_of_a_deactivated_person_stops_working(client):
    member = make_attendee()
    issued = calendar_links.calendar_link_create(user=member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    assert client.get(f"/events/calendar/{issued.raw}.ics").status_code == 404


def test_unknown_action_is_explained(client_for):
    response = client_for(make_attendee()).post("/events/calendar/", {"action": "x"}, follow=True)
    assert "Choose to create, reset or revoke" in response.content.decode()
    assert not CalendarToken.objects.exists()
