"""A reader's way through the catalog in a real browser, by keyboard: filter the list, open a
book, read a chapter and move to the next, open an older version, and meet a restricted
resource with its request-access button. Accessibility basics and contrast on every page."""

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

from .support_catalog import make_catalog_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_page(page, name: str) -> None:
    save_screenshot(page, name)
    assert_text_contrast(page)
    assert_accessible_basics(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def test_a_reader_filters_reads_a_book_and_meets_a_restricted_resource(new_page, live_server):
    world = make_catalog_world()
    page = new_page()
    sign_in_as(page, world.people["patient"], live_server.url)

    page.goto(f"{live_server.url}/library/")
    expect(h1(page)).to_have_text("Library")
    expect(page.get_by_role("status").filter(has_text="resources")).to_have_text("3 resources")
    check_page(page, "catalog-01-list")

    choose_option(page, "Type", "Book")
    tab_to(page, "Show resources")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="resource")).to_contain_text("1 resource")

    tab_to(page, "Social media for clinicians")
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text("Social media for clinicians")
    expect(page.get_by_role("link", name=re.compile(r"^guide\.pdf"))).to_be_visible()
    check_page(page, "catalog-02-resource")

    tab_to(page, "Privacy")
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text("Privacy")
    expect(page.get_by_text("Never post PHI.")).to_be_visible()
    check_page(page, "catalog-03-chapter")
    tab_to(page, "Next: End")
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text("End")

    page.goto(f"{live_server.url}/library/r/{world.public.slug}/v/1/")
    expect(page.get_by_role("note")).to_contain_text("This is not the current version")
    check_page(page, "catalog-04-old-version")

    page.goto(f"{live_server.url}/library/r/{world.member.slug}/")
    expect(h1(page)).to_have_text("Members' guideline")
    expect(page.get_by_role("heading", name="This resource is restricted")).to_be_visible()
    expect(page.get_by_text("members.pdf")).to_have_count(0)
    check_page(page, "catalog-05-restricted")

    response = page.goto(
        f"{live_server.url}/library/r/{world.member.slug}/files/{world.old_file.pk}/download"
    )
    assert response is not None
    assert response.status == 403
    expect(h1(page)).to_have_text("This resource is restricted")
    check_page(page, "catalog-06-restricted-file")
