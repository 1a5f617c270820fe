"""A nurse's whole journey in a real browser: find a course in the catalog, enroll, read the
disclosures, study the lessons, pass the quiz, evaluate, claim CE credit, download the certificate
and check it on the public verification page. Keyboard and accessibility checks along the way."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from townsquare.accounts.tests.factories import make_user
from townsquare.core.testing.browser import (
    assert_accessible_basics,
    assert_text_contrast,
    save_screenshot,
    sign_in_as,
    tab_to,
)

from ..models import Credential, CreditClaim, Enrollment, EnrollmentStatus
from ..services.catalog import course_search_sync
from .factories import make_course, make_credit_activity, make_instructor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Protecting patient privacy online"


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_text_contrast(page)
    assert_accessible_basics(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def answer_quiz(page) -> None:
    """The questions come in random order: answer each by what it asks."""
    questions = page.locator("fieldset.quiz-question")
    expect(questions).to_have_count(3)
    for index in range(3):
        question = questions.nth(index)
        text = question.inner_text()
        if "HIPAA identifier" in text:
            question.get_by_label("A patient's name").check()
        elif "Photos of patients" in text:
            # By keyboard: focus the first radio and choose it with the space bar.
            radio = question.get_by_label("True", exact=True)
            radio.focus()
            page.keyboard.press("Space")
            expect(radio).to_be_checked()
        else:
            question.get_by_label("Your answer").fill("  hipaa ")


def test_a_nurse_completes_a_course_claims_credit_and_verifies_the_certificate(page, live_server):
    instructor = make_instructor(display_name="Iris Instructor")
    course = make_course(
        title=TITLE, code="GSM 103", instructors=(instructor,), modules=1, lessons_per_module=2
    )
    make_credit_activity(course, max_hours="2.00")
    course_search_sync(course=course)
    learner = make_user(display_name="Nora Nurse", profession="nurse")
    sign_in_as(page, learner, live_server.url)

    # Find it in the catalog.
    page.goto(f"{live_server.url}/academy/")
    expect(h1(page)).to_be_visible()
    check_page(page, "learner-01-catalog")
    page.get_by_label("Search courses").fill("privacy")
    page.keyboard.press("Enter")
    page.get_by_role("link", name=re.compile(TITLE)).first.click()
    expect(h1(page)).to_contain_text(TITLE)
    check_page(page, "learner-02-course")

    # Enroll, by keyboard.
    tab_to(page, "Enroll")
    page.keyboard.press("Enter")
    expect(h1(page)).to_contain_text(TITLE)
    assert Enrollment.objects.filter(user=learner, course=course).exists()

    # The disclosures come first.
    expect(page.get_by_role("heading", name=re.compile("^Before you start"))).to_be_visible()
    expect(page.get_by_text("Speaker's bureau, Example Pharma")).to_be_visible()
    check_page(page, "learner-03-disclosures")
    page.get_by_role("button", name="I have read the disclosures").click()

    # Two text lessons.
    page.get_by_role("link", name=re.compile(r"^Start: Lesson 1\.1")).click()
    expect(h1(page)).to_have_text("Lesson 1.1")
    check_page(page, "learner-04-lesson")
    page.get_by_role("button", name="Mark complete").click()
    # Completing a lesson moves on to the next one.
    expect(page.get_by_text("“Lesson 1.1” is complete.")).to_be_visible()
    expect(h1(page)).to_have_text("Lesson 1.2")
    tab_to(page, "Mark complete")
    page.keyboard.press("Enter")
    expect(page.get_by_text("“Lesson 1.2” is complete.")).to_be_visible()

    # The quiz: the pass mark and attempts are announced before starting.
    expect(h1(page)).to_have_text("Final quiz")
    expect(page.get_by_text("Pass mark: 60%")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Attempts used: 0 of 3"))).to_be_visible()
    page.get_by_role("button", name="Start attempt").click()
    check_page(page, "learner-05-quiz")
    answer_quiz(page)
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text(re.compile("passed", re.IGNORECASE)).first).to_be_visible()
    check_page(page, "learner-06-result")

    enrollment = Enrollment.objects.get(user=learner, course=course)
    assert enrollment.status == EnrollmentStatus.COMPLETED

    # The evaluation, then the claim.
    page.goto(f"{live_server.url}/academy/learn/{course.slug}/")
    page.get_by_role("link", name="Evaluate the course").click()
    check_page(page, "learner-07-evaluation")
    for legend, answer in [
        ("Recognize PHI in a post", "5 (strongly agree / excellent)"),
        ("Plan a compliant campaign", "5 (strongly agree / excellent)"),
        ("free of commercial bias", "Yes"),
        ("I will change my practice", "Yes"),
        ("Overall, how would you rate", "5 (strongly agree / excellent)"),
    ]:
        page.locator("fieldset", has_text=legend).get_by_label(answer, exact=True).check()
    page.get_by_label("What will you do differently?").fill(
        "Ask for written consent before any patient photo is shared."
    )
    page.get_by_role("button", name="Submit evaluation").click()
    # The evaluation leads straight on to the claim.
    expect(h1(page)).to_have_text("Claim your credit")
    check_page(page, "learner-08-claim")
    page.get_by_label("Hours spent").fill("3")
    page.get_by_label("Nursing licence number").fill("RN123456")
    page.get_by_label("Licence issuing state").fill("Ohio")
    page.get_by_label(re.compile("I attest")).check()
    page.get_by_role("button", name="Claim credit").click()
    # More than the maximum: a clear error, nothing claimed.
    expect(page.get_by_text(re.compile("2.00"))).not_to_have_count(0)
    assert not CreditClaim.objects.exists()
    page.get_by_label("Hours spent").fill("1.75")
    if not page.get_by_label(re.compile("I attest")).is_checked():
        page.get_by_label(re.compile("I attest")).check()
    page.get_by_role("button", name="Claim credit").click()
    expect(page.get_by_text("You have claimed 1.75 hours of credit.")).to_be_visible()
    expect(h1(page)).to_have_text("Your transcript")
    check_page(page, "learner-09-transcript")
    claim = CreditClaim.objects.get(user=learner)
    assert claim.hours == claim.hours.__class__("1.75")

    # The certificate: download it and check it on the public page.
    credential = Credential.objects.get(user=learner, course=course)
    page.goto(f"{live_server.url}/academy/learn/{course.slug}/")
    page.get_by_role("link", name="Your certificate").click()
    expect(h1(page)).to_contain_text(TITLE)
    check_page(page, "learner-10-certificate")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the certificate")).click()
    pdf = download_info.value
    text = "".join(page_.extract_text() for page_ in PdfReader(pdf.path()).pages)
    assert "Nora Nurse" in text
    assert credential.verification_code in text.replace(" ", "")

    anonymous = page.context.browser.new_context()
    try:
        public = anonymous.new_page()
        public.goto(f"{live_server.url}/verify/{credential.verification_code}")
        expect(public.get_by_text("Valid", exact=False).first).to_be_visible()
        expect(public.get_by_text("Nora Nurse")).to_be_visible()
        assert learner.email not in public.content()
        check_page(public, "learner-11-verify")
        public.goto(f"{live_server.url}/verify/FORGEDCODE2345678")
        expect(public.get_by_text("No credential has this verification code")).to_be_visible()
    finally:
        anonymous.close()
