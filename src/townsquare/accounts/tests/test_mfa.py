"""Two-factor authentication with an authenticator app (TOTP), through allauth's pages."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client

from townsquare.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client: Client, email: str):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def test_activate_totp_then_sign_in_needs_the_code(member):
    client = Client()
    assert sign_in(client, member.email).status_code == 302

    # Adding a second factor is sensitive: allauth asks for the password again first.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret.encode() in page.content  # shown for manual entry beside the QR code
    wrong = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=member).exists()
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=member, type="totp").exists()

    client.post("/accounts/logout/")
    second = Client()
    response = sign_in(second, member.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert second.get("/dashboard/").status_code == 302  # not signed in yet

    assert second.post("/accounts/2fa/authenticate/", {"code": "123456"}).status_code == 200
    cache.clear()  # allauth refuses reusing a code it has seen; this is a fresh sign-in
    response = second.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert second.get("/dashboard/").status_code == 200


def test_mfa_index_is_in_the_settings(member):
    client = Client()
    sign_in(client, member.email)
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200
    assert b"Authenticator" in page.content
