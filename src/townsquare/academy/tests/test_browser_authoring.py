"""An instructor builds a course in a real browser: details, a module, a text lesson, two PDFs in
one upload, a quiz with two questions, keyboard reordering, preview, publish, then catalog search.

Run with screenshots to look at: ``TOWNSQUARE_SCREENSHOTS=/tmp/shots pytest -m browser``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from townsquare.core.testing.browser import (
    assert_accessible_basics,
    choose_option,
    focused_name,
    save_screenshot,
    sign_in_as,
    tab_to,
    type_into,
)

from ..models import Course, CourseStatus, LessonAttachment, Question
from .factories import make_instructor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_accessible_basics(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def test_instructor_builds_previews_and_publishes_a_course(page, live_server, tmp_path: Path):
    instructor = make_instructor(display_name="Ivy Instructor")
    sign_in_as(page, instructor, live_server.url)

    # Course details, typed with the keyboard.
    page.goto("/academy/teach/")
    check_page(page, "authoring-my-courses")
    page.get_by_role("link", name="New course").click()
    expect(h1(page)).to_have_text("New course")
    check_page(page, "authoring-new-course")
    type_into(page, "Course code", "GSM 410")
    type_into(page, "Title", "Livestreaming rounds")
    type_into(page, "Summary", "Run **live** grand rounds safely.")
    type_into(page, "New topics", "Livestreaming, Privacy")
    choose_option(page, "Level", "Intermediate")
    tab_to(page, "Create course")
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text("GSM 410 Livestreaming rounds")
    check_page(page, "authoring-course")
    course = Course.objects.get(code="GSM 410")
    assert course.status == CourseStatus.DRAFT

    # A module, then a text lesson in it.
    type_into(page, "Module title", "Getting ready")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Getting ready")).to_be_visible()
    page.get_by_label("Kind of lesson for Getting ready").select_option("text")
    page.get_by_role("button", name="Add lesson to Getting ready").click()
    check_page(page, "authoring-new-lesson")
    page.get_by_label("Lesson title").fill("Why go live")
    page.get_by_label("Text", exact=True).fill("Because *people* watch.")
    page.get_by_role("button", name="Add lesson").click()
    expect(page.get_by_role("link", name="Why go live")).to_be_visible()

    # A downloads lesson with two PDFs chosen at once: one upload.
    page.get_by_label("Kind of lesson for Getting ready").select_option("attachments")
    page.get_by_role("button", name="Add lesson to Getting ready").click()
    page.get_by_label("Lesson title").fill("Consent forms")
    page.get_by_role("button", name="Add lesson").click()
    expect(h1(page)).to_have_text("Edit lesson “Consent forms”")
    first, second = tmp_path / "Photo consent.pdf", tmp_path / "Video consent.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF)
    page.get_by_label("Add files").set_input_files([first, second])
    page.get_by_role("button", name="Upload files").click()
    expect(page.get_by_text("Added 2 files.")).to_be_visible()
    expect(page.get_by_role("link", name="Photo consent")).to_be_visible()
    expect(page.get_by_role("link", name="Video consent")).to_be_visible()
    assert LessonAttachment.objects.filter(lesson__course=course).count() == 2
    check_page(page, "authoring-downloads")

    # A quiz with two questions.
    page.get_by_role("link", name="Back to GSM 410").click()
    page.get_by_label("Kind of lesson for Getting ready").select_option("quiz")
    page.get_by_role("button", name="Add lesson to Getting ready").click()
    page.get_by_label("Lesson title").fill("Check yourself")
    page.get_by_label("Pass mark (%)").fill("70")
    page.get_by_role("button", name="Add lesson").click()
    expect(h1(page)).to_have_text("Edit lesson “Check yourself”")
    page.get_by_label("Kind of question").select_option("single")
    page.get_by_role("button", name="Add question").click()
    check_page(page, "authoring-question")
    page.get_by_label(re.compile(r"^Question( \*)?$")).fill("Who must consent to a photo?")
    page.get_by_label("Choice 1", exact=True).fill("The patient")
    page.get_by_label("Choice 1 is correct").check()
    page.get_by_label("Feedback for choice 1").fill("Yes: always the patient.")
    page.get_by_label("Choice 2", exact=True).fill("The photographer")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("Added the question.")).to_be_visible()
    page.get_by_label("Kind of question").select_option("true_false")
    page.get_by_role("button", name="Add question").click()
    page.get_by_label(re.compile(r"^Question( \*)?$")).fill(
        "Live streams can show patient wristbands."
    )
    page.get_by_label("The statement is").select_option("false")
    page.get_by_role("button", name="Save question").click()
    expect(page.get_by_text("Added the question.")).to_be_visible()

    # Reorder by keyboard: the second question moves up with a real form post.
    tab_to(page, re.compile(r"^Move up Live streams"))
    page.keyboard.press("Enter")
    expect(page.locator(".authoring-list .authoring-title").first).to_have_text(
        "Live streams can show patient wristbands."
    )
    prompts = list(
        Question.objects.filter(quiz__lesson__course=course)
        .order_by("position")
        .values_list("prompt", flat=True)
    )
    assert prompts[0].startswith("Live streams")
    assert focused_name(page)  # focus is somewhere usable after the reload

    # Preview as a learner.
    page.get_by_role("link", name="Back to GSM 410").click()
    page.get_by_role("link", name="Preview as learner").click()
    expect(h1(page)).to_have_text("Preview: GSM 410 Livestreaming rounds")
    expect(page.get_by_text("Because people watch.")).to_be_visible()
    expect(page.get_by_role("link", name="Photo consent")).to_be_visible()
    expect(page.get_by_text("Who must consent to a photo?")).to_be_visible()
    check_page(page, "authoring-preview")

    # Reorder by mouse: drag the quiz above the first lesson (authoring.js posts the new order).
    page.get_by_role("link", name="Back to authoring GSM 410").click()
    lessons = page.locator(".lesson-list > li")
    with page.expect_response(re.compile(r"/reorder/$")) as reorder:
        lessons.nth(2).drag_to(lessons.nth(0))
    assert reorder.value.ok
    page.wait_for_load_state()
    expect(lessons.first.get_by_role("link")).to_have_text("Check yourself")
    module_lessons = course.lessons.order_by("position").values_list("title", flat=True)
    assert list(module_lessons) == ["Check yourself", "Why go live", "Consent forms"]

    # Publish, then find it in the catalog.
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("GSM 410 is published and listed in the catalog.")).to_be_visible()
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED

    page.goto("/academy/")
    type_into(page, "Search courses", "livestream")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=re.compile("Livestreaming rounds"))).to_be_visible()
    check_page(page, "catalog-search")
