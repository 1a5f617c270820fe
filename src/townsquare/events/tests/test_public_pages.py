"""The public event pages: the list with its filters and search, the event page, agenda,
speakers, series and "My schedule", with pinned query counts."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.academy.models import AccessTier
from townsquare.accounts.tests.factories import make_organization

from ..models import (
    EventFormat,
    OnlineProvider,
    Order,
    OrderStatus,
    Registration,
    RegistrationStatus,
    ScheduleItem,
    WaitlistMode,
)
from ..services.attendance import attendance_mark, certificates_issue
from ..services.events import event_search_sync
from ..services.proposals import call_save
from .factories import fill, make_attendee, make_event, make_organizer, make_ticket_type, register
from .support_public import (
    make_agenda,
    make_cancelled_event,
    make_room,
    make_series,
    make_session,
    make_speaker,
)

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [event.title for event in response.context["page"]]


# The list ---------------------------------------------------------------------------------------


def test_list_shows_upcoming_published_events_soonest_first(client):
    later = make_event(title="Later", starts_in=datetime.timedelta(days=20))
    sooner = make_event(title="Sooner", starts_in=datetime.timedelta(days=2))
    make_event(title="Draft", published=False)
    make_event(title="Over", starts_in=datetime.timedelta(days=-3))
    response = client.get("/events/")
    assert response.status_code == 200
    assert titles(response) == [sooner.title, later.title]


def test_past_toggle_lists_past_events_newest_first(client):
    make_event(title="Upcoming")
    make_event(title="Long ago", starts_in=datetime.timedelta(days=-30))
    make_event(title="Last week", starts_in=datetime.timedelta(days=-7))
    assert titles(client.get("/events/?past=on")) == ["Last week", "Long ago"]


def test_list_filters_by_format_mode_tier_and_series(client):
    series = make_series(title="Grand rounds")
    webinar = make_event(title="Webinar", event_format=EventFormat.WEBINAR, series=series)
    workshop = make_event(title="Workshop", venue_name="Center", tier=AccessTier.PUBLIC)
    hybrid = make_event(
        title="Hybrid",
        event_format=EventFormat.CONFERENCE,
        venue_name="Hall",
        online_provider=OnlineProvider.ZOOM,
    )
    assert titles(client.get("/events/?format=webinar")) == [webinar.title]
    assert set(titles(client.get("/events/?mode=online"))) == {webinar.title, hybrid.title}
    assert set(titles(client.get("/events/?mode=in_person"))) == {workshop.title, hybrid.title}
    assert titles(client.get("/events/?tier=public")) == [workshop.title]
    assert titles(client.get(f"/events/?series={series.slug}")) == [webinar.title]


def test_list_filters_by_month_and_date_range(client):
    first = make_event(title="In 10 days", starts_in=datetime.timedelta(days=10))
    make_event(title="In 70 days", starts_in=datetime.timedelta(days=70))
    day = timezone.localtime(first.starts_at).date()
    response = client.get(f"/events/?month={day:%Y-%m}")
    assert first.title in titles(response)
    assert "In 70 days" not in titles(response)
    response = client.get(f"/events/?starts_from={day}&starts_until={day}")
    assert titles(response) == [first.title]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=2026-13", "Enter a month between 2000-01 and 2100-12."),
        ("month=March", "Enter a month as YYYY-MM, e.g. 2026-03."),
        ("starts_from=2026-05-02&starts_until=2026-05-01", "must not be before its start"),
        ("month=2026-05&starts_from=2026-05-02", "Choose a month or a date range, not both."),
        ("format=opera", "Select a valid choice."),
        ("starts_from=1200-01-01", "Enter a date between 2000 and 2100."),
    ],
)
def test_bad_filters_are_explained_and_ignored(client, query, message):
    make_event(title="Shown anyway")
    response = client.get(f"/events/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert titles(response) == ["Shown anyway"]


def test_search_finds_published_events_by_their_words(client):
    match = make_event(title="Social media for nurses")
    other = make_event(title="Budget planning")
    for event in (match, other):
        event_search_sync(event=event)
    assert titles(client.get("/events/?q=nursing")) == [match.title]
    assert titles(client.get("/events/?q=zebra")) == []


def test_list_marks_full_and_cancelled_events(client):
    full = make_event(title="Full one", capacity=1)
    fill(full)
    make_cancelled_event(title="Called off")
    text = client.get("/events/").content.decode()
    assert "Full: waiting list open" in text
    assert "Cancelled" in text


@pytest.mark.parametrize("count", [5, 50])
def test_list_query_count_is_fixed(client, django_assert_num_queries, count):
    series = make_series()
    host = make_organization()
    for _ in range(count):
        event = make_event(series=series, host_organization=host)
        register(make_attendee(), event)
    # series choices, count, page
    with django_assert_num_queries(3):
        response = client.get("/events/")
    assert len(response.context["page"]) == min(count, 20)


# The event page ---------------------------------------------------------------------------------


def event_text(client, event) -> str:
    response = client.get(f"/events/{event.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_event_page_shows_times_in_the_event_zone_with_machine_time(client):
    event = make_event(time_zone="America/Chicago")
    text = event_text(client, event)
    iso = event.starts_at.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    assert f'<time datetime="{iso}" data-event-zone="America/Chicago">' in text
    assert event.local_starts_at.strftime("%A %d %B %Y, %H:%M %Z") in text
    assert "events/local-time.js" in text


def test_event_page_shows_tickets_prices_and_seats_left(client):
    event = make_event(capacity=10)
    make_ticket_type(event, name="Supporter", price="49.00", capacity=2)
    fill(event, 3)
    text = event_text(client, event)
    assert "7 of 10 free" in text
    assert "Supporter" in text
    assert "49.00 USD" in text
    assert ">2<" in text.replace(" ", "")  # the supporter quota (2) is nearer than 7


def test_join_link_only_for_confirmed_attendees(client, client_for):
    event = make_event(capacity=1, join_url="https://zoom.example/j/42")
    attendee = make_attendee()
    waiting = make_attendee()
    register(attendee, event)
    register(waiting, event)
    assert "zoom.example" not in event_text(client, event)
    assert "zoom.example" not in event_text(client_for(waiting), event)
    assert "zoom.example" not in event_text(client_for(make_attendee()), event)
    assert "zoom.example/j/42" in event_text(client_for(attendee), event)


def test_registration_states(client, client_for, patient):
    event = make_event(capacity=1)
    attendee = make_attendee()
    register(attendee, event)
    waiting = make_attendee()
    register(waiting, event)
    assert "Sign in to register" in event_text(client, event)
    assert "You are registered (General admission)" in event_text(client_for(attendee), event)
    assert "number 1 in line" in event_text(client_for(waiting), event)
    assert "Join the waiting list" in event_text(client_for(make_attendee()), event)
    assert "This event is for members" in event_text(client_for(patient), event)


def test_eligible_member_gets_the_register_link_of_the_registration_section(client_for):
    event = make_event()
    text = event_text(client_for(make_attendee()), event)
    assert f'href="/events/{event.slug}/register/">Register</a>' in text


def test_registration_links_to_the_registration_page(client_for):
    event = make_event()
    attendee = make_attendee()
    registration = register(attendee, event)
    text = event_text(client_for(attendee), event)
    assert f'href="/events/registrations/{registration.pk}/"' in text


def test_registration_window_and_full_without_waitlist(client_for):
    member = make_attendee()
    later = make_event(registration_opens_at=timezone.now() + datetime.timedelta(days=2))
    assert "Registration opens" in event_text(client_for(member), later)
    closed = make_event(
        registration_closes_at=timezone.now() - datetime.timedelta(hours=1),
        registration_opens_at=timezone.now() - datetime.timedelta(days=2),
    )
    assert "Registration has closed." in event_text(client_for(member), closed)
    full = make_event(capacity=1, waitlist_mode=WaitlistMode.NONE)
    fill(full)
    assert "This event is fully booked." in event_text(client_for(member), full)


def test_recording_and_captions_only_after_the_event(client):
    links: dict[str, Any] = {
        "recording_url": "https://video.example/rec",
        "captions_url": "https://video.example/cc.vtt",
    }
    upcoming = make_event(**links)
    over = make_event(starts_in=datetime.timedelta(days=-2), **links)
    assert "video.example" not in event_text(client, upcoming)
    text = event_text(client, over)
    assert "https://video.example/rec" in text
    assert "https://video.example/cc.vtt" in text


def test_event_page_shows_speakers_disclosures_and_agenda_summary(client):
    event = make_event()
    clean = make_speaker(event, name="Ada Clean")
    tied = make_speaker(
        event,
        name="Bo Tied",
        financial_relationships="Advisory board, Example Pharma",
        disclosure_mitigation="Peer reviewed",
    )
    make_session(event, title="Opening", speakers=(clean, tied))
    text = event_text(client, event)
    assert "No relevant financial relationships." in text
    assert "Advisory board, Example Pharma" in text
    assert "1 session over 1 day." in text


def test_draft_event_is_missing_except_for_its_organizers(client, client_for, staff):
    organizer = make_organizer()
    draft = make_event(published=False, organizers=(organizer,))
    assert client.get(f"/events/{draft.slug}/").status_code == 404
    assert client_for(make_attendee()).get(f"/events/{draft.slug}/").status_code == 404
    assert client_for(organizer).get(f"/events/{draft.slug}/").status_code == 200
    assert client_for(staff).get(f"/events/{draft.slug}/").status_code == 200


def test_cancelled_event_says_so(client):
    event = make_cancelled_event()
    assert "This event has been cancelled." in event_text(client, event)


@pytest.mark.parametrize("count", [5, 50])
def test_event_page_query_count_is_fixed(client_for, django_assert_num_queries, count):
    event = make_event(host_organization=make_organization(), series=make_series())
    for index in range(count // 5):
        make_ticket_type(event, name=f"Ticket {index}", capacity=100)
    make_agenda(event, count)
    member = make_attendee()
    register(member, event)
    client = client_for(member)
    client.get("/events/")  # warm the session
    # session, user, event, tickets, speakers, sessions, session speakers, own registration,
    # the viewer's roles, the organizer check for the manage link
    with django_assert_num_queries(10):
        response = client.get(f"/events/{event.slug}/")
    assert response.status_code == 200
    assert response.context["session_count"] == count


# Agenda, speakers, series, schedule ---------------------------------------------------------------


def test_agenda_groups_sessions_by_day_in_the_event_zone(client):
    event = make_event(duration=datetime.timedelta(days=2), time_zone="Asia/Tokyo")
    make_session(event, title="Day one")
    make_session(event, title="Day two", offset=datetime.timedelta(days=1))
    response = client.get(f"/events/{event.slug}/agenda/")
    days = response.context["agenda"].days
    assert [[session.title for session in day.sessions] for day in days] == [
        ["Day one"],
        ["Day two"],
    ]
    assert days[0].day == event.local_starts_at.date()
    assert "Sign in to build your schedule" in response.content.decode()


def test_agenda_filters_by_room_and_ignores_junk(client):
    event = make_event()
    hall = make_room(event, name="Hall")
    make_session(event, title="In the hall", room=hall)
    make_session(event, title="Elsewhere", offset=datetime.timedelta(hours=1))
    response = client.get(f"/events/{event.slug}/agenda/?room={hall.pk}")
    sessions = [s.title for day in response.context["agenda"].days for s in day.sessions]
    assert sessions == ["In the hall"]
    for junk in ("abc", "-1", "99999999999999999999999", "0"):
        response = client.get(f"/events/{event.slug}/agenda/?room={junk}&track={junk}")
        assert response.status_code == 200
        assert response.context["agenda"].session_count == 2


@pytest.mark.parametrize("count", [5, 50])
def test_agenda_query_count_is_fixed(client_for, django_assert_num_queries, count):
    event = make_event()
    sessions = make_agenda(event, count)
    member = make_attendee()
    ScheduleItem.objects.create(user=member, session=sessions[0])
    client = client_for(member)
    client.get("/events/")
    # session, user, roles, event, sessions, speakers, tracks, rooms, schedule
    with django_assert_num_queries(9):
        response = client.get(f"/events/{event.slug}/agenda/")
    assert response.context["agenda"].session_count == count
    assert response.context["agenda"].scheduled_ids == {sessions[0].pk}


def test_add_and_remove_a_session_from_my_schedule(client_for):
    event = make_event()
    session = make_session(event, title="Keynote")
    member = make_attendee()
    client = client_for(member)
    response = client.post(f"/events/sessions/{session.pk}/schedule", {"action": "add"})
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/agenda/#session-{session.pk}"
    client.post(f"/events/sessions/{session.pk}/schedule", {"action": "add"})
    assert ScheduleItem.objects.filter(user=member, session=session).count() == 1
    text = client.get("/events/schedule/").content.decode()
    assert "Keynote" in text
    client.post(f"/events/sessions/{session.pk}/schedule", {"action": "remove"})
    assert not ScheduleItem.objects.filter(user=member).exists()
    # Without an action, the button toggles.
    client.post(f"/events/sessions/{session.pk}/schedule")
    assert ScheduleItem.objects.filter(user=member).count() == 1


def test_htmx_swaps_only_the_button_and_announces_the_change(client_for):
    event = make_event()
    session = make_session(event, title="Keynote")
    member = make_attendee()
    client = client_for(member)
    agenda = f"/events/{event.slug}/agenda/"
    response = client.post(
        f"/events/sessions/{session.pk}/schedule",
        {"action": "add", "next": f"{agenda}#session-{session.pk}"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert "Remove from my schedule" in html
    assert 'role="status"' in html
    assert "is on your schedule" in html
    assert f'value="{agenda}#session-{session.pk}"' in html
    assert ScheduleItem.objects.filter(user=member, session=session).count() == 1
    response = client.post(
        f"/events/sessions/{session.pk}/schedule",
        {"action": "remove"},
        headers={"HX-Request": "true"},
    )
    assert "Add to my schedule" in response.content.decode()
    assert not ScheduleItem.objects.filter(user=member).exists()


def test_schedule_refuses_sessions_that_are_over_and_of_cancelled_events(client_for):
    member = make_attendee()
    client = client_for(member)
    over = make_session(make_event(starts_in=datetime.timedelta(days=-1)))
    response = client.post(f"/events/sessions/{over.pk}/schedule", {"action": "add"}, follow=True)
    assert "is over; it cannot be added any more." in response.content.decode()
    cancelled = make_session(make_cancelled_event())
    response = client.post(
        f"/events/sessions/{cancelled.pk}/schedule", {"action": "add"}, follow=True
    )
    assert "This event has been cancelled." in response.content.decode()
    assert not ScheduleItem.objects.exists()


def test_schedule_of_a_draft_or_unknown_session_is_missing(client_for):
    client = client_for(make_attendee())
    draft = make_session(make_event(published=False))
    assert client.post(f"/events/sessions/{draft.pk}/schedule").status_code == 404
    assert client.post("/events/sessions/999999/schedule").status_code == 404
    assert client.post(f"/events/sessions/{2**63}/schedule").status_code == 404


def test_schedule_next_must_stay_on_the_site(client_for):
    session = make_session(make_event())
    client = client_for(make_attendee())
    response = client.post(
        f"/events/sessions/{session.pk}/schedule",
        {"action": "add", "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/events/")


def test_speakers_page_shows_bios_disclosures_and_sessions(client):
    event = make_event()
    speaker = make_speaker(
        event,
        name="Dr Ada",
        bio="Works on **privacy**.",
        financial_relationships="Grant, Example Corp",
    )
    make_session(event, title="Privacy talk", speakers=(speaker,))
    text = client.get(f"/events/{event.slug}/speakers/").content.decode()
    assert "<strong>privacy</strong>" in text
    assert "Grant, Example Corp" in text
    assert "Privacy talk" in text


def test_series_page_lists_upcoming_and_past(client):
    series = make_series(title="Grand rounds", summary="Monthly *talks*.")
    make_event(title="Next", series=series)
    make_event(title="Before", series=series, starts_in=datetime.timedelta(days=-10))
    make_event(title="Hidden draft", series=series, published=False)
    response = client.get(f"/events/series/{series.slug}/")
    assert [e.title for e in response.context["upcoming"]] == ["Next"]
    assert [e.title for e in response.context["past"]] == ["Before"]
    assert "Hidden draft" not in response.content.decode()
    assert client.get("/events/series/nope/").status_code == 404


def test_my_schedule_needs_sign_in_and_shows_past_on_request(client, client_for):
    assert client.get("/events/schedule/")["Location"].startswith("/accounts/login/")
    member = make_attendee()
    old = make_session(make_event(starts_in=datetime.timedelta(days=-2)), title="Old talk")
    ScheduleItem.objects.create(user=member, session=old)
    assert "Old talk" not in client_for(member).get("/events/schedule/").content.decode()
    assert "Old talk" in client_for(member).get("/events/schedule/?past=1").content.decode()


def test_event_page_links_an_open_call_for_proposals(client):
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), starts_in=datetime.timedelta(days=60))
    assert "Call for proposals" not in event_text(client, event)
    now = timezone.now()
    call_save(
        actor=organizer,
        event=event,
        guidelines="Talks on patient privacy.",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=10),
        reviewer_emails=[],
    )
    text = event_text(client, event)
    assert "Call for proposals" in text
    assert "Read the call and submit a proposal" in text


def test_attendees_find_the_survey_their_certificate_and_the_credit_claim(client_for):
    organizer = make_organizer()
    event = make_event(
        organizers=(organizer,),
        starts_in=datetime.timedelta(days=-2),
        certificate_hours="3",
        registration_closes_at=None,
    )
    person = make_attendee()
    registration = Registration.objects.create(
        event=event,
        ticket_type=event.ticket_types.get(),
        order=Order.objects.create(
            event=event, buyer=person, reference="PASTATTEND1", status=OrderStatus.FREE
        ),
        attendee=person,
        status=RegistrationStatus.CONFIRMED,
        ticket_code="past-attendee-code",
    )
    page = client_for(person).get(reverse("events:event_detail", kwargs={"slug": event.slug}))
    assert "Evaluate this event" not in page.content.decode()

    attendance_mark(actor=organizer, event=event, registration=registration, attended=True)
    certificates_issue(actor=organizer, event=event)
    page = client_for(person).get(reverse("events:event_detail", kwargs={"slug": event.slug}))
    html = page.content.decode()
    assert "Evaluate this event" in html
    assert "Your certificate of attendance" in html
    assert "Claim CE credit" not in html  # the event offers no CE credit
