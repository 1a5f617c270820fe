"""The account journeys in a real browser: sign up, verify, sign in, edit the profile, sign out.

Run with screenshots to look at: ``TOWNSQUARE_SCREENSHOTS=/tmp/shots pytest -m browser``.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from townsquare.accounts.models import User
from townsquare.core.testing.browser import (
    PHONE_VIEWPORT,
    assert_accessible_basics,
    assert_no_horizontal_scroll,
    assert_text_contrast,
    choose_option,
    focused_name,
    save_screenshot,
    sign_in_as,
    tab_to,
    type_into,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "ana.ruiz@example.org"
NAME = "Ana Ruiz"
SECRET = "a-long-passphrase-77"
BIO = (
    "I teach **safe** social media to nurses.\n\n"
    "- one\n- two\n\n"
    "[Our unit](https://example.org/unit)\n\n"
    "<script>window.bioScriptRan = true</script>"
)


def check_page(page, name: str) -> None:
    """Accessibility basics, text contrast, and a screenshot when TOWNSQUARE_SCREENSHOTS is set."""
    save_screenshot(page, name)
    assert_text_contrast(page)
    assert_accessible_basics(page)


def h1(page):
    return page.get_by_role("heading", level=1)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def verification_path(to: str) -> str:
    messages = [message for message in mail.outbox if to in message.to]
    assert messages, f"no email was sent to {to}"
    found = re.search(r"https?://\S+?/accounts/confirm-email/\S+?/", str(messages[-1].body))
    assert found, f"no verification link in:\n{messages[-1].body}"
    return path_of(found.group(0))


def png_file(directory: Path, name: str = "avatar.png") -> Path:
    path = directory / name
    image = Image.new("RGB", (64, 64), (11, 92, 173))
    image.paste((255, 200, 0), (16, 16, 48, 48))
    image.save(path, format="PNG")
    return path


def fill_signup(page, *, email: str, name: str = NAME, password: str = SECRET) -> None:
    page.get_by_label(re.compile(r"^Email")).fill(email)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Profession").select_option(label="Nurse")
    page.get_by_label(re.compile(r"^Password\W*$")).fill(password)
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(password)


def test_sign_up_verify_sign_in_edit_profile_and_sign_out(page, live_server, tmp_path):
    page.goto("/")
    expect(h1(page)).to_have_text("Townsquare")
    expect(page).to_have_title(re.compile(r"^(Welcome · )?Townsquare$"))
    page.keyboard.press("Tab")
    assert focused_name(page) == "Skip to main content"
    check_page(page, "01-home")

    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/signup/")
    check_page(page, "02-signup")
    fill_signup(page, email=EMAIL)
    page.get_by_role("button", name=re.compile("sign up", re.IGNORECASE)).click()

    expect(h1(page)).to_have_text(re.compile("verify your email", re.IGNORECASE))
    check_page(page, "03-verification-sent")
    user = User.objects.get(email=EMAIL)
    assert (user.display_name, user.profession) == (NAME, "nurse")
    assert not EmailAddress.objects.get(user=user).verified

    page.goto(verification_path(EMAIL))
    check_page(page, "04-confirm-email")
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    assert EmailAddress.objects.get(user=user).verified
    check_page(page, "05-sign-in")

    # The sign-in form, with the keyboard only (focus is in <main> after the skip link).
    type_into(page, re.compile(r"^Email"), EMAIL)
    type_into(page, re.compile(r"^Password"), SECRET)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    expect(h1(page)).to_have_text(f"Welcome, {NAME}")
    expect(page).to_have_title("Dashboard · Townsquare")
    check_page(page, "06-dashboard")

    tab_to(page, "Settings", backwards=True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/settings/")
    check_page(page, "07-settings")

    # The profile form, with the keyboard, except choosing the file (a native dialog).
    page.get_by_label("New avatar").set_input_files(png_file(tmp_path))
    assert_accessible_basics(page)  # back to <main>, then forwards through the form
    type_into(page, "Title", "Clinical nurse educator")
    choose_option(page, "Profession", "Research")
    type_into(page, "Credentials", "RN, MSN")
    type_into(page, "Bio", BIO)
    tab_to(page, "Save profile")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    expect(page).to_have_url(f"{live_server.url}/settings/")
    user.refresh_from_db()
    # Browsers send a textarea's line breaks as CRLF (HTML standard); Markdown reads both.
    assert (user.title, user.profession, user.credentials, user.bio.replace("\r\n", "\n")) == (
        "Clinical nurse educator",
        "research",
        "RN, MSN",
        BIO,
    )
    assert re.fullmatch(r"avatars/\d{4}/\d{2}/[0-9a-f]{32}\.png", str(user.avatar.name))
    check_page(page, "08-settings-saved")

    tab_to(page, NAME, backwards=True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/people/{user.pk}/")
    expect(h1(page)).to_have_text(f"{NAME}, RN, MSN")
    prose = page.locator(".prose")
    expect(prose.locator("strong")).to_have_text("safe")
    expect(prose.locator("li")).to_have_text(["one", "two"])
    expect(prose.get_by_role("link", name="Our unit")).to_have_attribute(
        "href", "https://example.org/unit"
    )
    expect(prose.locator("script")).to_have_count(0)
    assert page.evaluate("() => window.bioScriptRan") is None
    avatar = page.locator("img.avatar")
    expect(avatar).to_be_visible()
    # The avatar is a separate request: wait until it has loaded, then check it decoded.
    avatar_loaded = "image => image.complete && image.naturalWidth > 0"
    page.wait_for_function(f"() => ({avatar_loaded})(document.querySelector('img.avatar'))")
    assert avatar.evaluate("image => image.naturalWidth") == 64
    expect(page.locator(".meta")).to_contain_text("Clinical nurse educator")
    check_page(page, "09-profile")

    tab_to(page, "Sign out", backwards=True)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(h1(page)).to_have_text("Townsquare")
    expect(
        page.get_by_role("navigation", name="Account").get_by_role("link", name="Sign in")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    check_page(page, "10-signed-out")

    page.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/$"))


def test_sign_up_refuses_a_malformed_email(page, live_server):
    page.goto("/accounts/signup/")

    # The browser's own check stops what is plainly not an address ...
    fill_signup(page, email="not-an-email")
    page.get_by_role("button", name=re.compile("sign up", re.IGNORECASE)).click()
    expect(page).to_have_url(f"{live_server.url}/accounts/signup/")
    is_valid = page.get_by_label(re.compile(r"^Email")).evaluate("input => input.validity.valid")
    assert is_valid is False

    # ... and the server refuses what only looks like one.
    fill_signup(page, email="ana@example")
    page.get_by_role("button", name=re.compile("sign up", re.IGNORECASE)).click()
    email_input = page.get_by_label(re.compile(r"^Email"))
    expect(email_input).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email_error")).to_contain_text("valid email address")
    expect(email_input).to_have_value("ana@example")
    check_page(page, "11-signup-malformed-email")
    assert User.objects.count() == 0
    assert mail.outbox == []


def test_sign_up_with_an_existing_email_creates_nothing(page, live_server, member):
    before = User.objects.count()
    page.goto("/accounts/signup/")
    fill_signup(page, email=member.email.upper(), name="Someone Else")
    page.get_by_role("button", name=re.compile("sign up", re.IGNORECASE)).click()

    # ACCOUNT_PREVENT_ENUMERATION: the page must not reveal that the address has an account;
    # it reads exactly as for a new one, and the owner is told by email instead.
    expect(h1(page)).to_have_text(re.compile("verify your email", re.IGNORECASE))
    assert User.objects.count() == before
    member.refresh_from_db()
    assert member.display_name == "Nora Nurse"
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "already" in f"{mail.outbox[0].subject} {mail.outbox[0].body}".lower()


def test_a_disguised_avatar_is_refused_next_to_the_field_and_nothing_changes(
    page, live_server, member, tmp_path
):
    disguised = tmp_path / "photo.png"
    disguised.write_text("This is a text file pretending to be a picture.\n")
    sign_in_as(page, member, live_server.url)
    page.goto("/settings/")

    page.get_by_label("Title").fill("Changed title")
    page.get_by_label("New avatar").set_input_files(disguised)
    page.get_by_role("button", name="Save profile").click()

    avatar_input = page.get_by_label("New avatar")
    field = page.locator(".field").filter(has=avatar_input)
    expect(field.locator(".error")).to_contain_text("The content of “photo.png” is not a .png file")
    expect(avatar_input).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("status")).to_have_count(0)
    check_page(page, "12-settings-disguised-avatar")
    member.refresh_from_db()
    assert (member.title, member.avatar.name) == ("", "")


def test_the_dashboard_fits_a_phone_screen(new_page, live_server, member):
    phone = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True, device_scale_factor=2)
    sign_in_as(phone, member, live_server.url)
    phone.goto("/dashboard/")
    expect(h1(phone)).to_have_text("Welcome, Nora Nurse")
    save_screenshot(phone, "13-dashboard-phone")
    assert_no_horizontal_scroll(phone)
    assert_accessible_basics(phone)
