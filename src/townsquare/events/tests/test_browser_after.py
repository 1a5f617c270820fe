"""After the event in a real browser: the organizer's attendance page and the evaluation results,
an attendee's evaluation survey, and a speaker submitting to the call for proposals."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from townsquare.core.testing.browser import (
    assert_accessible_basics,
    assert_text_contrast,
    save_screenshot,
    sign_in_as,
)

from ..models import Feedback, Proposal
from .factories import make_attendee, make_event, make_organizer
from .support_after import make_call, make_past_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_text_contrast(page)
    assert_accessible_basics(page)


def test_organizer_marks_attendance_and_attendee_evaluates(new_page, live_server):
    organizer = make_organizer(display_name="Olga Organizer")
    event, (first, _second) = make_past_event(organizer=organizer)
    page = new_page()
    sign_in_as(page, organizer, live_server.url)
    page.goto(f"{live_server.url}/events/{event.slug}/manage/attendance/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
    check_page(page, "after-01-attendance")
    row = page.get_by_role("row").filter(has_text=first.attendee.email)
    row.get_by_role("button", name="Mark attended").click()
    expect(page.get_by_text(f"{first.attendee.display_name} is marked attended.")).to_be_visible()

    attendee_page = new_page()
    sign_in_as(attendee_page, first.attendee, live_server.url)
    attendee_page.goto(f"{live_server.url}/events/{event.slug}/feedback/")
    check_page(attendee_page, "after-02-feedback")
    for legend in ("Registration", "The event was accessible", "The speakers", "Overall"):
        attendee_page.get_by_role("group", name=legend).get_by_label("4").check()
    attendee_page.get_by_role("button", name="Submit evaluation").click()
    expect(attendee_page.get_by_text("Thank you: your evaluation is recorded.")).to_be_visible()
    assert Feedback.objects.count() == 1

    page.goto(f"{live_server.url}/events/{event.slug}/manage/feedback/")
    expect(page.get_by_text("1 response from 1 attendee (100%)")).to_be_visible()
    check_page(page, "after-03-results")


def test_speaker_submits_a_proposal(new_page, live_server):
    event = make_event(organizers=(make_organizer(),))
    make_call(event)
    speaker = make_attendee(display_name="Sam Speaker")
    page = new_page()
    sign_in_as(page, speaker, live_server.url)
    page.goto(f"{live_server.url}/events/{event.slug}/call/")
    check_page(page, "after-04-call")
    page.get_by_role("link", name="Submit a proposal").click()
    page.get_by_label("Title").fill("Rounds on social media")
    page.get_by_label("Abstract").fill("What we learned.")
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rounds on social media")
    check_page(page, "after-05-proposal")
    assert Proposal.objects.get().submitter == speaker
