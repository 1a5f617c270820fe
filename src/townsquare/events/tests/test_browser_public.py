"""An attendee's journey in a real browser, by keyboard: filter the events list, open an event,
see its times in their own time zone, open the agenda and add a session to their schedule."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from townsquare.core.testing.browser import (
    assert_accessible_basics,
    assert_text_contrast,
    choose_option,
    save_screenshot,
    sign_in_as,
    tab_to,
)

from ..models import EventFormat, ScheduleItem
from .factories import make_attendee, make_event
from .support_public import make_room, make_session, make_speaker, make_track

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_text_contrast(page)
    assert_accessible_basics(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def test_an_attendee_filters_opens_an_event_and_builds_a_schedule(new_page, live_server):
    webinar = make_event(
        title="Social media in the clinic",
        event_format=EventFormat.WEBINAR,
        time_zone="America/Chicago",
    )
    make_event(title="Leadership workshop", venue_name="Center")
    speaker = make_speaker(webinar, name="Dr Ada Lovelace", affiliation="Riverside Health")
    make_session(
        webinar,
        title="Opening keynote",
        speakers=(speaker,),
        track=make_track(webinar, name="Main"),
        room=make_room(webinar, name="Studio"),
    )
    member = make_attendee(display_name="Nora Nurse")
    page = new_page(timezone_id="Europe/Lisbon")
    sign_in_as(page, member, live_server.url)

    page.goto(f"{live_server.url}/events/")
    expect(h1(page)).to_have_text("Upcoming events")
    expect(page.get_by_role("status").filter(has_text="events")).to_have_text("2 events")
    check_page(page, "public-01-list")

    # Filter by keyboard: the format select, then the submit button.
    choose_option(page, "Format", "Webinar")
    tab_to(page, "Show events")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="event")).to_have_text("1 event")
    expect(page.get_by_role("link", name="Leadership workshop")).to_have_count(0)

    # Open the event by keyboard.
    tab_to(page, "Social media in the clinic")
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text("Social media in the clinic")
    # local-time.js adds the viewer's own zone next to the event's.
    your_time = page.locator("[data-your-zone]")
    expect(your_time).to_be_visible()
    expect(your_time).to_contain_text("Europe/Lisbon")
    expect(page.get_by_text("America/Chicago").first).to_be_visible()
    check_page(page, "public-02-event")

    # The agenda, and the session onto the personal schedule.
    tab_to(page, "Full agenda and your personal schedule")
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text("Agenda")
    check_page(page, "public-03-agenda")
    tab_to(page, "Add “Opening keynote” to my schedule")
    page.keyboard.press("Enter")
    expect(page.get_by_text("“Opening keynote” is on your schedule.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Remove “Opening keynote”"))).to_be_visible()
    assert ScheduleItem.objects.filter(user=member, session__title="Opening keynote").exists()
    check_page(page, "public-04-agenda-scheduled")

    page.goto(f"{live_server.url}/events/schedule/")
    expect(page.get_by_role("heading", name="Opening keynote")).to_be_visible()
    check_page(page, "public-05-my-schedule")
