"""Sign-up, verification, sign-in and password reset through allauth, with our audit and limits."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from townsquare.accounts.models import Role, User
from townsquare.accounts.tests.factories import PASSWORD, make_organization
from townsquare.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def sign_up(client: Client, email: str, **extra: str):
    data = {
        "email": email,
        "display_name": "Ana Ruiz",
        "profession": "nurse",
        "password1": "a-long-passphrase-77",
        "password2": "a-long-passphrase-77",
        **extra,
    }
    return client.post("/accounts/signup/", data)


def verification_link() -> str:
    body = str(mail.outbox[-1].body)
    match = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", body)
    assert match is not None, body
    return match.group(0)


def test_sign_up_verify_and_sign_in(django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "ana@example.org")
    assert response.status_code == 302
    user = User.objects.get(email="ana@example.org")
    assert user.display_name == "Ana Ruiz"
    assert user.role_set == {Role.PATIENT}
    assert len(mail.outbox) == 1

    path = verification_link().split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/" + path).status_code == 302

    response = client.post(
        "/accounts/login/", {"login": "ana@example.org", "password": "a-long-passphrase-77"}
    )
    assert response.status_code == 302
    assert Client().get("/dashboard/").status_code == 302
    assert AuditRecord.objects.filter(action="signin.succeeded", actor_id=user.pk).exists()


def test_verification_at_an_organization_domain_makes_a_member(django_capture_on_commit_callbacks):
    organization = make_organization(email_domain="riverside.example")
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "kofi@riverside.example")
    path = "/" + verification_link().split("://", 1)[1].split("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path)
    user = User.objects.get(email="kofi@riverside.example")
    assert user.role_set == {Role.MEMBER}
    assert user.primary_organization == organization


def test_duplicate_sign_up_creates_nothing(member, django_capture_on_commit_callbacks):
    before = User.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(Client(), member.email.upper())
    assert User.objects.count() == before
    # With enumeration prevention the page looks the same, and the owner is told by email.
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[member.email]]
    assert "already" in mail.outbox[0].body.lower()


@pytest.mark.parametrize("email", ["not-an-email", "a@", "@b.org", ""])
def test_malformed_email_is_refused(email):
    response = sign_up(Client(), email)
    assert response.status_code == 200
    assert b"email" in response.content.lower()
    assert User.objects.count() == 0


def test_wrong_verification_link_is_refused():
    response = Client().get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code in (200, 404)
    assert b"expired or is invalid" in response.content


def test_failed_sign_in_is_audited(member):
    response = Client().post("/accounts/login/", {"login": member.email, "password": "wrong"})
    assert response.status_code == 200
    record = AuditRecord.objects.filter(action="signin.failed").get()
    assert record.data == {"email": member.email}


def test_sign_in_attempts_are_rate_limited(member):
    client = Client()
    pages = [
        client.post("/accounts/login/", {"login": member.email, "password": "wrong"})
        for _ in range(6)
    ]
    assert [b"Too many failed" in page.content for page in pages] == [False] * 5 + [True]
    # Even the right password is held back until the window passes.
    response = client.post("/accounts/login/", {"login": member.email, "password": PASSWORD})
    assert b"Too many failed" in response.content
    assert client.get("/dashboard/").status_code == 302


def test_password_reset_is_rate_limited(member, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post("/accounts/password/reset/", {"email": member.email}).status_code
            for _ in range(8)
        ]
    assert statuses[0] == 302
    assert 429 in statuses
    assert len(mail.outbox) < 8


def test_mail_goes_through_the_task_after_commit(member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Client().post("/accounts/password/reset/", {"email": member.email})
    assert len(mail.outbox) == 0
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()
    assert mail.outbox[0].to == [member.email]
    assert "password" in mail.outbox[0].subject.lower()
