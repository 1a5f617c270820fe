"""A leader's journey in a real browser: invite a colleague by keyboard, who then accepts."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from townsquare.accounts.tests.factories import make_organization, make_user
from townsquare.core.testing.browser import (
    assert_accessible_basics,
    assert_text_contrast,
    choose_option,
    sign_in_as,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_invites_and_the_colleague_accepts(live_server, new_page):
    leader = make_user(display_name="Helen Park", profession="administration")
    organization = make_organization(leader=leader, name="Riverside Health System")

    page = new_page()
    sign_in_as(page, leader, live_server.url)
    page.goto(f"/organizations/{organization.slug}/members/")
    assert_accessible_basics(page)
    assert_text_contrast(page)

    type_into(page, "Email address of the person", "kofi.mensah@example.org")
    choose_option(page, "Role", "Leader")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        "No account uses kofi.mensah@example.org yet: an invitation is on its way."
    )
    expect(page.get_by_role("button", name="Withdraw invitation to kofi.mensah@example.org"))
    assert_accessible_basics(page)

    link = re.search(r"https?://\S+/invitations/[\w-]+/", str(mail.outbox[-1].body))
    assert link is not None
    path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]

    colleague = make_user(email="kofi.mensah@example.org", display_name="Kofi Mensah")
    other = new_page()
    sign_in_as(other, colleague, live_server.url)
    other.goto(path)
    expect(other.get_by_role("heading", level=1)).to_have_text("Join Riverside Health System")
    assert_accessible_basics(other)
    other.get_by_role("button", name="Accept and join").focus()
    other.keyboard.press("Enter")
    expect(other.get_by_role("status")).to_contain_text("Welcome to Riverside Health System.")
    expect(other.locator(".person-card", has_text="Kofi Mensah")).to_contain_text("Leader")
    assert organization.memberships.get(user=colleague).role == "leader"
