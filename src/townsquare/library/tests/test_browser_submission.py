"""A member's and a reviewer's journey in a real browser, by keyboard: the member searches the
library, narrows the results by type, opens a toolkit and downloads its PDF, then shares their
organization's social-media policy with a PDF; the reviewer asks for changes; the member reads
the comment, edits and sends it back; the reviewer approves it; the member sees it published."""

from __future__ import annotations

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

from ..models import Resource, ResourceStatus, ResourceType
from .factories import add_file, make_resource, make_topic, pdf_bytes
from .support_submissions import scene

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_text_contrast(page)
    assert_accessible_basics(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def _library(reviewer) -> None:
    privacy = make_topic("Privacy")
    toolkit = make_resource(
        title="Patient privacy toolkit",
        kind=ResourceType.TOOLKIT,
        summary="Checklists for keeping patient details off social media.",
        topics=(privacy,),
    )
    add_file(toolkit, "privacy-toolkit.pdf", pdf_bytes("Patient privacy checklist"), actor=reviewer)
    make_resource(
        title="Patient portal guideline",
        kind=ResourceType.GUIDELINE,
        summary="How to answer patient messages in the portal.",
    )


def test_a_member_searches_downloads_submits_and_staff_review(new_page, live_server, tmp_path):
    world = scene()
    _library(world.reviewer)
    policy = tmp_path / "riverside-policy.pdf"
    policy.write_bytes(pdf_bytes("Riverside Health social media policy"))

    member = new_page()
    sign_in_as(member, world.submitter, live_server.url)

    # Search, then narrow the results by type, by keyboard.
    member.goto(f"{live_server.url}/library/search/")
    expect(h1(member)).to_have_text("Search the library")
    type_into(member, "Search the library", "patient")
    member.keyboard.press("Enter")
    expect(member.get_by_role("status").filter(has_text="result")).to_have_text("2 results")
    # The side groups arrive in a second request (htmx), which replaces the fallback link.
    expect(member.get_by_role("link", name=re.compile("^Show matching chapters"))).to_have_count(0)
    check_page(member, "submission-01-search")
    choose_option(member, "Type", "Toolkit")
    tab_to(member, "Search")
    member.keyboard.press("Enter")
    expect(member.get_by_role("status").filter(has_text="result")).to_have_text("1 result")
    expect(member.get_by_role("link", name="Patient portal guideline")).to_have_count(0)

    # Open the toolkit and download its PDF.
    tab_to(member, "Patient privacy toolkit")
    member.keyboard.press("Enter")
    expect(h1(member)).to_have_text("Patient privacy toolkit")
    with member.expect_download() as download_info:
        tab_to(member, re.compile(r"^privacy-toolkit\.pdf"))
        member.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "privacy-toolkit.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"

    # Share the organization's policy with a PDF.
    member.goto(f"{live_server.url}/library/submissions/new/")
    expect(h1(member)).to_have_text("Share a resource with the library")
    check_page(member, "submission-02-form")
    choose_option(member, "Type", "Policy")
    type_into(member, "Title", "Riverside social-media policy")
    type_into(member, "Summary", "How Riverside Health staff use social media.")
    choose_option(member, "Organization", "Riverside Health")
    choose_option(member, "Who may open it", "Members")
    member.set_input_files("#id_documents", str(policy))
    tab_to(member, "Send for review")
    member.keyboard.press("Enter")
    expect(h1(member)).to_have_text("Riverside social-media policy")
    expect(member.get_by_text("Status: Submitted for review.")).to_be_visible()
    check_page(member, "submission-03-submitted")
    resource = Resource.objects.get(title="Riverside social-media policy")

    # The reviewer asks for changes.
    reviewer = new_page()
    sign_in_as(reviewer, world.reviewer, live_server.url)
    reviewer.goto(f"{live_server.url}/library/review/")
    expect(h1(reviewer)).to_have_text("Review queue")
    check_page(reviewer, "submission-04-queue")
    tab_to(reviewer, "Riverside social-media policy")
    reviewer.keyboard.press("Enter")
    expect(h1(reviewer)).to_have_text("Riverside social-media policy")
    check_page(reviewer, "submission-05-review")
    tab_to(reviewer, "Approve and publish now")
    reviewer.keyboard.press("ArrowDown")  # approve on a date
    reviewer.keyboard.press("ArrowDown")  # ask for changes
    type_into(reviewer, "Comment", "Please add who staff should contact with questions.")
    tab_to(reviewer, "Record the decision")
    reviewer.keyboard.press("Enter")
    expect(reviewer.get_by_text("Status: Changes requested.")).to_be_visible()

    # The member reads the comment, edits and sends it back.
    member.reload()
    expect(member.get_by_text("Status: Changes requested.")).to_be_visible()
    expect(
        member.get_by_text("Please add who staff should contact with questions.")
    ).to_be_visible()
    check_page(member, "submission-06-changes")
    tab_to(member, "Edit the submission")
    member.keyboard.press("Enter")
    expect(h1(member)).to_have_text("Edit your submission")
    type_into(member, "Text", "Questions go to the communications office: comms@example.org.")
    type_into(member, "What changed", "Added the contact")
    tab_to(member, "Save the changes")
    member.keyboard.press("Enter")
    expect(h1(member)).to_have_text("Riverside social-media policy")
    type_into(member, "Note for the reviewers", "The contact is in.")
    tab_to(member, "Send back for review")
    member.keyboard.press("Enter")
    expect(member.get_by_text("Status: Submitted for review.")).to_be_visible()
    expect(member.get_by_text("Resubmitted with changes")).to_be_visible()

    # The reviewer approves it for publication now.
    reviewer.reload()
    expect(reviewer.get_by_text("The contact is in.")).to_be_visible()
    tab_to(reviewer, "Approve and publish now")
    reviewer.keyboard.press("Space")
    tab_to(reviewer, "Record the decision")
    reviewer.keyboard.press("Enter")
    expect(reviewer.get_by_text("Status: Published.")).to_be_visible()

    # The member sees it published, and opens it in the library.
    member.reload()
    expect(member.get_by_text("Status: Published.")).to_be_visible()
    check_page(member, "submission-07-published")
    tab_to(member, "See it in the library")
    member.keyboard.press("Enter")
    expect(h1(member)).to_have_text("Riverside social-media policy")
    resource.refresh_from_db()
    assert resource.status == ResourceStatus.PUBLISHED
    assert resource.current_version is not None
    assert resource.current_version.number == 2
