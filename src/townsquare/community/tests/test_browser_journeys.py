"""The community in a real browser.

A nurse joins a staff space, posts, is held by the privacy guard, edits, and a moderator approves.
A patient joins a group, asks a question, a verified clinician answers, and the patient is told.
Every page passes the accessibility and contrast checks; the forms are used by keyboard.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from townsquare.core.models import AuditRecord
from townsquare.core.testing.browser import (
    assert_accessible_basics,
    assert_text_contrast,
    save_screenshot,
    sign_in_as,
    tab_to,
)

from ..models import ContentStatus, HoldReason, Post, SpaceKind
from .factories import make_clinician, make_employee, make_moderator, make_patient, make_space

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_text_contrast(page)
    assert_accessible_basics(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def test_a_nurse_is_held_by_the_privacy_guard_edits_and_a_moderator_approves(
    page, new_page, live_server
):
    moderator = make_moderator(display_name="Morgan Moderator")
    space = make_space(
        name="Nursing Practice Council",
        guidelines="Never share anything that identifies a patient.",
        moderators=(moderator,),
    )
    nurse = make_employee(display_name="Nadia Nurse")
    sign_in_as(page, nurse, live_server.url)

    # Join: the guidelines are shown and accepted.
    page.goto(f"{live_server.url}/community/s/{space.slug}/")
    expect(h1(page)).to_contain_text(space.name)
    check_page(page, "community-01-space")
    page.get_by_role("link", name=f"Join {space.name}").click()
    expect(h1(page)).to_have_text(f"Join {space.name}")
    expect(page.get_by_text("Never share anything that identifies a patient.")).to_be_visible()
    check_page(page, "community-02-join")
    tab_to(page, "I have read the guidelines and I will follow them")
    page.keyboard.press("Space")
    page.get_by_role("button", name=f"Join {space.name}").click()
    expect(page.get_by_role("link", name="New post")).to_be_visible()

    # Post with a patient's identifiers: held for a moderator.
    page.get_by_role("link", name="New post").click()
    expect(h1(page)).to_have_text(f"New post in {space.name}")
    check_page(page, "community-03-compose")
    page.get_by_label("Title").fill("Handover went wrong last night")
    page.get_by_label("Text").fill(
        "Patient John Miller, MRN 4471823, called 555-201-3344 twice about his discharge."
    )
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Waiting for a moderator.")).to_be_visible()
    check_page(page, "community-04-held")
    post = Post.objects.get(space=space)
    assert (post.status, post.hold_reason) == (ContentStatus.PENDING, HoldReason.PHI)
    assert {"mrn", "phone"} <= set(post.phi_kinds)
    # What the guard found is audited, never the text itself.
    audit = AuditRecord.objects.filter(action="privacy.phi_found").latest("id")
    assert audit.data["decision"] == "held"
    assert "4471823" not in str(audit.data)
    assert "Miller" not in str(audit.data)

    # The nurse edits the identifiers out; the post stays with the moderator.
    page.get_by_role("link", name=re.compile(r"^Edit")).first.click()
    page.get_by_label("Text").fill(
        "A patient called twice about their discharge: how do you hand that over?"
    )
    page.get_by_role("button", name=re.compile(r"^Save")).click()
    expect(page.get_by_text("Waiting for a moderator.")).to_be_visible()
    post.refresh_from_db()
    assert "4471823" not in post.body
    assert post.status == ContentStatus.PENDING
    assert post.revisions.count() == 1

    # The moderator approves it from the queue.
    moderator_page = new_page()
    sign_in_as(moderator_page, moderator, live_server.url)
    moderator_page.goto(f"{live_server.url}/community/s/{space.slug}/moderation/")
    expect(moderator_page.get_by_role("heading", level=1)).to_contain_text("Moderation")
    check_page(moderator_page, "community-05-queue")
    moderator_page.get_by_role("button", name="Approve").first.click()
    expect(moderator_page.get_by_text("Approved: it is published.")).to_be_visible()
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED

    # The nurse sees it live in the space.
    page.goto(f"{live_server.url}/community/s/{space.slug}/")
    expect(
        page.get_by_role("link", name="Handover went wrong last night", exact=True)
    ).to_be_visible()


def test_a_patient_asks_a_clinician_answers_and_the_patient_is_told(page, new_page, live_server):
    group = make_space(
        kind=SpaceKind.PATIENT,
        name="Type 2 Diabetes Support",
        guidelines="Share your story, not medical advice. No diagnosing others.",
    )
    patient = make_patient(display_name="Paula Patient", pseudonym="SunnyWalker")
    clinician = make_clinician(display_name="Dr. Chen", title="Endocrinologist")
    sign_in_as(page, patient, live_server.url)

    page.goto(f"{live_server.url}/community/spaces/")
    check_page(page, "community-10-directory")
    page.get_by_role("link", name="Type 2 Diabetes Support").first.click()
    page.get_by_role("link", name="Join Type 2 Diabetes Support").click()
    page.get_by_label("I have read the guidelines and I will follow them").check()
    page.get_by_role("button", name="Join Type 2 Diabetes Support").click()

    # Ask a question; a phone number in it draws the privacy warning first.
    page.get_by_role("link", name="New post").click()
    page.get_by_label("Question", exact=True).check()
    page.get_by_label("Title").fill("Does a morning walk help fasting sugar?")
    page.get_by_label("Text").fill("Mine is high most mornings. Call me at 555-867-5309 to chat.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_role("heading", name="Check this before you share it")).to_be_visible()
    expect(page.locator("mark.phi-finding")).to_have_count(1)
    check_page(page, "community-11-phi-warning")
    assert not Post.objects.filter(space=group).exists()
    page.get_by_label("Text").fill("Mine is high most mornings. Does walking help anyone here?")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(h1(page)).to_have_text("Does a morning walk help fasting sugar?")
    expect(page.get_by_text("SunnyWalker").first).to_be_visible()
    question = Post.objects.get(space=group)
    assert question.status == ContentStatus.PUBLISHED
    assert question.as_pseudonym

    # The clinician joins and answers; the answer carries the verified label.
    doctor_page = new_page()
    sign_in_as(doctor_page, clinician, live_server.url)
    doctor_page.goto(f"{live_server.url}/community/s/{group.slug}/join/")
    doctor_page.get_by_label("I have read the guidelines and I will follow them").check()
    doctor_page.get_by_role("button", name="Join Type 2 Diabetes Support").click()
    doctor_page.goto(f"{live_server.url}/community/p/{question.pk}/")
    # The clinician sees the pseudonym, not the patient's name.
    expect(doctor_page.get_by_text("Paula Patient")).to_have_count(0)
    doctor_page.locator("form.comment-form").get_by_label("Your comment").fill(
        "Many people find a 15-minute walk after breakfast helps; ask your care team what fits you."
    )
    doctor_page.get_by_role("button", name="Post answer").click()
    expect(doctor_page.get_by_text("Verified clinician").first).to_be_visible()
    check_page(doctor_page, "community-12-answer")

    # The patient is told, opens the notification, and accepts the answer.
    page.goto(f"{live_server.url}/notifications/")
    expect(h1(page)).to_have_text("Notifications")
    told = page.get_by_role("link", name=re.compile(r"^Dr\. Chen commented on your post"))
    expect(told).to_be_visible()
    check_page(page, "community-13-notifications")
    told.click()
    expect(h1(page)).to_have_text("Does a morning walk help fasting sugar?")
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_role("heading", name="Accepted answer")).to_be_visible()
    question.refresh_from_db()
    assert question.accepted_comment is not None
    assert question.accepted_comment.by_verified_clinician
