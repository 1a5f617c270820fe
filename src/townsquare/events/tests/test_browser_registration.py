"""Registration in a real browser: from the event page through the form to the confirmation
email (with its calendar file), the ticket, and check-in at the door by keyboard; and the waiting
list: a full event, a place in line, a cancellation, the offer taken."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from icalendar import Calendar
from playwright.sync_api import expect
from pypdf import PdfReader

from townsquare.core.testing.browser import (
    assert_accessible_basics,
    assert_text_contrast,
    save_screenshot,
    sign_in_as,
)

from ..models import Registration, RegistrationStatus
from .factories import make_attendee, make_event, make_organizer, make_question, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_text_contrast(page)
    assert_accessible_basics(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def test_an_attendee_registers_gets_the_email_and_ticket_and_is_checked_in(
    page, new_page, live_server
):
    organizer = make_organizer(display_name="Olga Organizer")
    event = make_event(
        title="Social media for nurse leaders",
        capacity=20,
        organizers=(organizer,),
        venue_name="Riverside Hall",
    )
    make_question(event, label="Dietary needs")
    nora = make_attendee(display_name="Nora Nurse")
    sign_in_as(page, nora, live_server.url)

    # The event page leads to the form.
    page.goto(f"{live_server.url}/events/{event.slug}/")
    expect(h1(page)).to_contain_text(event.title)
    check_page(page, "registration-01-event")
    page.get_by_role("link", name="Register").first.click()
    expect(h1(page)).to_have_text(f"Register for {event.title}")
    check_page(page, "registration-02-form")
    ticket = page.get_by_label(re.compile(r"^General admission — Free — 20 seats left"))
    expect(ticket).to_be_checked()  # the only ticket is chosen already
    page.get_by_label("Dietary needs").fill("Vegetarian")
    page.get_by_role("button", name="Register").click()

    # The registration page: confirmed, with the ticket.
    expect(page.get_by_role("heading", name="Status: Confirmed")).to_be_visible()
    expect(page.get_by_text("You are registered for")).to_be_visible()
    check_page(page, "registration-03-confirmed")
    registration = Registration.objects.get(event=event, attendee=nora)
    assert registration.answers == {str(event.questions.get().pk): "Vegetarian"}
    expect(page.get_by_text(registration.ticket_code)).to_be_visible()

    # The confirmation email with its calendar file.
    confirmations = [m for m in mail.outbox if m.subject == f"You are registered: {event.title}"]
    assert len(confirmations) == 1
    assert confirmations[0].to == [nora.email]
    filename, content, mimetype = confirmations[0].attachments[0]
    assert filename == f"{event.slug}.ics"
    assert mimetype == "text/calendar"
    calendar = Calendar.from_ical(content)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert vevent.decoded("DTSTART") == event.starts_at

    # The ticket PDF carries the code.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the ticket (PDF)").click()
    path = download_info.value.path()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert registration.ticket_code in text

    # At the door: the organizer types the code (as a scanner would) and presses Enter.
    door = new_page()
    sign_in_as(door, organizer, live_server.url)
    door.goto(f"{live_server.url}/events/{event.slug}/manage/check-in/")
    expect(h1(door)).to_have_text(f"Check-in: {event.title}")
    expect(door.get_by_label("Ticket code")).to_be_focused()
    door.keyboard.type(registration.ticket_code)
    door.keyboard.press("Enter")
    expect(door.get_by_text("Welcome, Nora Nurse!")).to_be_visible()
    expect(door.locator('[data-count="checked_in"]')).to_have_text("1")

    # The page reloads with the field focused again, ready for the next scan: a second scan of
    # the same ticket is refused.
    expect(door.get_by_label("Ticket code")).to_be_focused()
    door.keyboard.type(registration.ticket_code)
    door.keyboard.press("Enter")
    expect(door.get_by_text("Not admitted")).to_be_visible()
    expect(door.get_by_text(re.compile("Nora Nurse has already checked in"))).to_be_visible()
    check_page(door, "registration-05-refused")

    # A made-up code is refused too.
    door.goto(f"{live_server.url}/events/{event.slug}/manage/check-in/")
    check_page(door, "registration-04-checkin")
    door.get_by_label("Ticket code").focus()
    door.keyboard.type("not-a-ticket")
    door.keyboard.press("Enter")
    expect(door.get_by_text(re.compile("Unknown ticket code"))).to_be_visible()
    expect(door.locator('[data-count="checked_in"]')).to_have_text("1")
    registration.refresh_from_db()
    assert registration.checked_in_by == organizer


def test_a_waiting_person_takes_a_freed_seat(page, new_page, live_server):
    event = make_event(title="Boot camp: crisis communication", capacity=1)
    holder = register(make_attendee(display_name="Hal Holder"), event)
    wanda = make_attendee(display_name="Wanda Waiting")
    sign_in_as(page, wanda, live_server.url)

    # The event is full: the button says so and the form puts Wanda on the list.
    page.goto(f"{live_server.url}/events/{event.slug}/")
    page.get_by_role("link", name="Join the waiting list").first.click()
    expect(
        page.get_by_label(re.compile("General admission — Free — full: join the waiting list"))
    ).to_be_checked()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Status: On the waiting list")).to_be_visible()
    expect(page.get_by_text("You are number 1 on the waiting list.")).to_be_visible()
    check_page(page, "waitlist-01-position")

    # The confirmed person cancels on their registration page.
    other = new_page()
    sign_in_as(other, holder.attendee, live_server.url)
    other.goto(f"{live_server.url}/events/registrations/{holder.pk}/")
    other.get_by_role("button", name="Cancel my registration").click()
    expect(other.get_by_text("The registration is cancelled.")).to_be_visible()
    expect(other.get_by_role("heading", name="Status: Cancelled")).to_be_visible()

    # Wanda is offered the seat by email and takes it.
    offers = [m for m in mail.outbox if m.subject == f"A seat is free for you: {event.title}"]
    assert [m.to for m in offers] == [[wanda.email]]
    page.reload()
    expect(page.get_by_role("heading", name="A seat is free for you")).to_be_visible()
    check_page(page, "waitlist-02-offer")
    page.get_by_role("button", name="Take the seat").click()
    expect(page.get_by_text("The seat is yours.")).to_be_visible()
    expect(page.get_by_role("heading", name="Status: Confirmed")).to_be_visible()
    check_page(page, "waitlist-03-confirmed")
    assert Registration.objects.get(attendee=wanda).status == RegistrationStatus.CONFIRMED
