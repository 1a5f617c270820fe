"""The back office: staff read notifications and settings, and change nothing; the list shows
no summaries and offers no bulk actions."""

from __future__ import annotations

import pytest
from django.test import Client

from townsquare.accounts.tests.factories import make_staff, make_user

from ..services import scope_level_set, settings_update
from .factories import make_notification

pytestmark = pytest.mark.django_db


def staff_client() -> Client:
    """A back-office superuser (plain staff need model permissions granted first)."""
    staff = make_staff()
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    client = Client()
    client.force_login(staff)
    return client


def test_staff_read_the_lists_without_summaries():
    person = make_user()
    notification = make_notification(recipient=person, summary="replied in Rare Disease Circle")
    settings_update(user=person, email_mode="weekly", disabled_kinds=[], email_disabled_kinds=[])
    scope_level_set(user=person, scope="community.space:3", level="muted")
    client = staff_client()
    listing = client.get("/admin/notifications/notification/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert str(person) in html
    assert "Rare Disease Circle" not in html
    assert 'name="action"' not in html
    detail = client.get(f"/admin/notifications/notification/{notification.pk}/change/")
    assert detail.status_code == 200
    assert "Rare Disease Circle" in detail.content.decode()
    for path in ("notificationsettings", "scopesetting"):
        assert client.get(f"/admin/notifications/{path}/").status_code == 200
        assert client.get(f"/admin/notifications/{path}/", {"q": "x' OR 1=1"}).status_code == 200


def test_nothing_is_added_changed_or_deleted_here():
    notification = make_notification()
    client = staff_client()
    assert client.get("/admin/notifications/notification/add/").status_code == 403
    response = client.post(
        f"/admin/notifications/notification/{notification.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    notification.refresh_from_db()  # still there
