"""An instructor sets up an event in a real browser: the main form by keyboard, a ticket type, a
registration question, a speaker with a photo and a session, publishing, then the manage list.

Run with screenshots to look at: ``TOWNSQUARE_SCREENSHOTS=/tmp/shots pytest -m browser``.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from townsquare.core.testing.browser import (
    assert_accessible_basics,
    assert_text_contrast,
    choose_option,
    save_screenshot,
    sign_in_as,
    tab_to,
    type_into,
)

from ..models import Event, EventStatus, Session
from .factories import make_organizer
from .support_organizer import future, local, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_accessible_basics(page)
    assert_text_contrast(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def test_instructor_sets_up_and_publishes_an_event(page, live_server, tmp_path: Path):
    instructor = make_organizer(display_name="Ivy Instructor")
    sign_in_as(page, instructor, live_server.url)
    starts_at = future(days=40, hour=15)

    page.goto(f"{live_server.url}/events/manage/")
    check_page(page, "organizer-manage-empty")
    page.get_by_role("link", name="New event").click()
    expect(h1(page)).to_have_text("New event")
    check_page(page, "organizer-new-event")

    # The main form, by keyboard.
    type_into(page, "Title", "Livestreaming grand rounds")
    type_into(page, "Summary", "Stream grand rounds without showing patients.")
    choose_option(page, "Format", "Workshop at the center")
    page.get_by_label(re.compile(r"^Starts")).fill(local(starts_at))
    page.get_by_label(re.compile(r"^Ends")).fill(local(starts_at + datetime.timedelta(hours=4)))
    page.get_by_label(re.compile(r"^Starts")).focus()
    type_into(page, "Venue", "Center auditorium")
    type_into(page, "Capacity", "40")
    tab_to(page, "Create event")
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text("Livestreaming grand rounds")
    expect(page.get_by_text("Add at least one active ticket type.")).to_be_visible()
    check_page(page, "organizer-event-edit")
    event = Event.objects.get()
    assert event.status == EventStatus.DRAFT
    assert event.starts_at == starts_at

    # A ticket type and a question.
    page.get_by_role("link", name="Tickets and questions").click()
    check_page(page, "organizer-tickets")
    page.get_by_role("link", name="New ticket type").click()
    page.get_by_label(re.compile(r"^Ticket name")).fill("General admission")
    page.get_by_label(re.compile(r"^Price")).fill("0")
    check_page(page, "organizer-ticket-form")
    page.get_by_role("button", name="Save ticket type").click()
    expect(page.get_by_text("Saved the ticket type “General admission”.")).to_be_visible()
    page.get_by_role("link", name="New question").click()
    page.get_by_label(re.compile(r"^Question( \*)?$")).fill("Dietary needs")
    page.get_by_label("Purpose").select_option("dietary")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_role("link", name="Dietary needs")).to_be_visible()

    # A speaker with a photo, then a session with that speaker.
    page.get_by_role("link", name="Agenda").click()
    check_page(page, "organizer-agenda-empty")
    page.get_by_role("link", name="New speaker").click()
    page.get_by_label(re.compile(r"^Speaker name")).fill("Dr. Ana Ruiz")
    page.get_by_label("Bio").fill("Pediatric nurse and **streamer**.")
    photo = tmp_path / "ana.png"
    photo.write_bytes(png_bytes())
    page.get_by_label("Photo").set_input_files(photo)
    check_page(page, "organizer-speaker-form")
    page.get_by_role("button", name="Save speaker").click()
    expect(page.get_by_role("img", name="Photo of Dr. Ana Ruiz")).to_be_visible()
    page.get_by_role("link", name="New session").click()
    page.get_by_label(re.compile(r"^Session title")).fill("Opening keynote")
    session_start = starts_at + datetime.timedelta(minutes=30)
    page.get_by_label(re.compile(r"^Session starts")).fill(local(session_start))
    page.get_by_label(re.compile(r"^Session ends")).fill(
        local(session_start + datetime.timedelta(hours=1))
    )
    page.get_by_label("Dr. Ana Ruiz").check()
    check_page(page, "organizer-session-form")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_role("link", name="Opening keynote")).to_be_visible()
    check_page(page, "organizer-agenda")
    session = Session.objects.get()
    assert [speaker.name for speaker in session.speakers.all()] == ["Dr. Ana Ruiz"]

    # Publish, then find it on the manage list.
    page.get_by_role("link", name="Details").click()
    expect(page.get_by_text("Everything needed is in place.")).to_be_visible()
    page.get_by_role("button", name="Publish event").click()
    expect(page.get_by_text("is published")).to_be_visible()
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    page.get_by_role("link", name="All my events").click()
    expect(h1(page)).to_have_text("Events you manage")
    row = page.get_by_role("row").filter(has_text="Livestreaming grand rounds")
    expect(row).to_contain_text("Published")
    check_page(page, "organizer-manage-list")
