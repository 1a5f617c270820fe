"""A hospital leader builds the social-media policy in a real browser, by keyboard: starts a
draft, fills in the contacts, changes two clauses (one left out), watches the preview, builds it,
and downloads the Word and PDF files, whose text is read back with python-docx and pypdf.

Run with screenshots to look at: ``TOWNSQUARE_SCREENSHOTS=/tmp/shots pytest -m browser``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from townsquare.accounts.tests.factories import make_organization, make_user
from townsquare.core.testing.browser import (
    assert_accessible_basics,
    assert_text_contrast,
    focused_name,
    save_screenshot,
    sign_in_as,
    tab_to,
    type_into,
)

from ..models import PolicyDraft, Resource, ResourceStatus
from .support_policies import docx_text, load_clauses, pdf_text, squash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_accessible_basics(page)
    assert_text_contrast(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def test_a_leader_builds_the_policy_by_keyboard_and_downloads_it(page, live_server, tmp_path: Path):
    load_clauses()
    leader = make_user(display_name="Grace Leader", email="grace@mercy.example.org")
    make_organization(leader=leader, name="Mercy General Hospital")
    sign_in_as(page, leader, live_server.url)

    page.goto(f"{live_server.url}/library/policies/")
    expect(h1(page)).to_have_text("Social-media policy builder")
    check_page(page, "policy-start")
    tab_to(page, "Start a policy")
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text("Social media policy")
    expect(page.get_by_text("A new draft for Mercy General Hospital")).to_be_visible()
    check_page(page, "policy-build")

    # The details, by keyboard.
    type_into(page, "Contact person or office", "Compliance Office")
    type_into(page, "Contact email", "compliance@mercy.example.org")
    type_into(page, "Contact telephone", "+1 555 0142")
    page.get_by_label("Effective date").fill("2027-01-15")
    page.get_by_label("Effective date").focus()

    # Reviews: from the recommended reply to no public replies (arrow keys move in a radio group).
    tab_to(page, "A standard reply that confirms nothing (recommended)")
    page.keyboard.press("ArrowDown")
    assert focused_name(page) == "No public replies; follow up privately"
    expect(page.get_by_label("No public replies; follow up privately")).to_be_checked()
    # The live preview follows the form before it is saved.
    expect(page.locator("#policy-preview")).to_contain_text("does not reply publicly")

    # Branded accounts is optional: leave it out (arrow up from the first option wraps around).
    page.get_by_label("The communications office approves every account").focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("Leave this clause out")).to_be_checked()

    tab_to(page, "Save the draft")
    page.keyboard.press("Enter")
    expect(page.get_by_text("The draft is saved.")).to_be_visible()
    draft = PolicyDraft.objects.get()
    assert draft.choices["reviews"] == "no-public-reply"
    assert "branded-accounts" not in draft.choices
    assert draft.contact_name == "Compliance Office"
    preview = page.locator("#policy-preview")
    expect(preview).to_contain_text("Effective January 15, 2027")
    expect(preview).to_contain_text("7. Consequences and reporting")
    expect(preview).not_to_contain_text("Approval of branded accounts")
    check_page(page, "policy-saved")

    # Build: the first version of the organization's private policy.
    type_into(page, "What changed (optional)", "First policy, approved by the board.")
    tab_to(page, "Build the policy")
    page.keyboard.press("Enter")
    expect(
        page.get_by_text("Version 1 of “Social media policy” is saved in the library")
    ).to_be_visible()
    check_page(page, "policy-built")
    resource = Resource.objects.get()
    assert resource.status == ResourceStatus.PUBLISHED
    assert resource.current_version is not None
    assert resource.current_version.change_note == "First policy, approved by the board."

    # Download both files by keyboard and read them back.
    tab_to(page, "Download the policy as Word (DOCX)")
    with page.expect_download() as word_download:
        page.keyboard.press("Enter")
    word = word_download.value
    assert word.suggested_filename == "mercy-general-hospital-social-media-policy.docx"
    word_path = tmp_path / word.suggested_filename
    word.save_as(word_path)
    tab_to(page, "Download the policy as PDF")
    with page.expect_download() as pdf_download:
        page.keyboard.press("Enter")
    pdf = pdf_download.value
    assert pdf.suggested_filename == "mercy-general-hospital-social-media-policy.pdf"
    pdf_path = tmp_path / pdf.suggested_filename
    pdf.save_as(pdf_path)

    word_text = squash(docx_text(word_path.read_bytes()))
    pdf_content = pdf_text(pdf_path.read_bytes())
    for text in (word_text, pdf_content):
        assert "Social media policy" in text
        assert "Mercy General Hospital" in text
        assert "Effective January 15, 2027" in text
        assert (
            "Questions about this policy: Compliance Office, compliance@mercy.example.org, "
            "+1 555 0142" in text
        )
        assert "1. Protecting patient privacy and PHI" in text
        assert "ask Compliance Office (compliance@mercy.example.org)" in text
        assert "Mercy General Hospital does not reply publicly to online reviews" in text
        assert "7. Consequences and reporting" in text
        assert "Approval of branded accounts" not in text
        assert "{organization}" not in text

    # The saved policy's own page in the library.
    tab_to(page, "Social media policy")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/library/r/{resource.slug}/$"))
    expect(h1(page)).to_have_text("Social media policy")
