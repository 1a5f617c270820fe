"""Fixtures shared by every app's tests."""

from __future__ import annotations

import pytest
from django.test import Client

from townsquare.accounts.models import Role, User
from townsquare.accounts.tests.factories import PASSWORD, make_organization, make_staff, make_user

pytest_plugins = ["townsquare.core.testing.database", "townsquare.core.testing.browser"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": "/media/"},
        },
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def member(db) -> User:
    return make_user(roles=(Role.MEMBER,), display_name="Nora Nurse", profession="nurse")


@pytest.fixture
def patient(db) -> User:
    return make_user(
        roles=(Role.PATIENT,), display_name="Pat Patient", profession="patient_or_caregiver"
    )


@pytest.fixture
def staff(db) -> User:
    return make_staff(display_name="Sasha Staff")


@pytest.fixture
def moderator(db) -> User:
    return make_user(roles=(Role.MODERATOR, Role.MEMBER), display_name="Mo Moderator")


@pytest.fixture
def leader(db) -> User:
    return make_user(roles=(Role.MEMBER,), display_name="Lee Leader", profession="administration")


@pytest.fixture
def organization(db, leader):
    return make_organization(leader=leader, name="Riverside Health")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_for():
    return signed_in
