"""The notifications API: only the caller's own notifications, the unread count, marking read,
and the settings, with problem documents for bad input."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import make_user

from ..models import Notification, NotificationSettings, ScopeSetting
from ..services import notify
from .factories import make_notifications

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications"
SPACE = "community.space:12"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, body=None):
    return getattr(client, method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def tell(person: User, **fields: object) -> Notification:
    values: dict[str, object] = {
        "recipient": person,
        "kind": "reply",
        "summary": "replied to your post in Diabetes Support",
        "url": "/community/posts/5/",
        "actor": make_user(display_name="Real Name"),
        "actor_label": "River",
        "scope": SPACE,
        "scope_label": "Diabetes Support",
        **fields,
    }
    notification = notify(**values)  # type: ignore[arg-type]
    assert notification is not None
    return notification


def test_the_list_is_mine_only_and_never_names_the_actors_account():
    person = make_user()
    notification = tell(person)
    tell(make_user())
    response = signed_in(person).get(f"{BASE}/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    (item,) = data["items"]
    assert item == {
        "id": notification.pk,
        "kind": "reply",
        "actor_label": "River",
        "summary": "replied to your post in Diabetes Support",
        "text": "River replied to your post in Diabetes Support",
        "url": "/community/posts/5/",
        "scope": SPACE,
        "scope_label": "Diabetes Support",
        "created_at": item["created_at"],
        "read_at": None,
        "is_read": False,
    }
    assert "Real Name" not in response.content.decode()


def test_the_list_filters_unread_and_pages():
    person = make_user()
    make_notifications(person, 7)
    Notification.objects.filter(pk__in=Notification.objects.order_by("pk")[:3]).update(
        read_at="2025-01-01T00:00:00Z"
    )
    client = signed_in(person)
    assert client.get(f"{BASE}/?unread=true").json()["count"] == 4
    page = client.get(f"{BASE}/?limit=5&offset=5").json()
    assert (page["count"], len(page["items"])) == (7, 2)
    assert client.get(f"{BASE}/?unread=maybe").status_code == 422


def test_unread_count_and_marking_read():
    person = make_user()
    first = tell(person)
    tell(person, url="/community/posts/6/")
    client = signed_in(person)
    assert client.get(f"{BASE}/unread-count").json() == {"count": 2}
    response = send(client, "post", f"{BASE}/{first.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert client.get(f"{BASE}/unread-count").json() == {"count": 1}
    assert send(client, "post", f"{BASE}/read-all").json() == {"count": 1}
    assert send(client, "post", f"{BASE}/read-all", {"scope": SPACE}).json() == {"count": 0}
    assert client.get(f"{BASE}/unread-count").json() == {"count": 0}


def test_someone_elses_notification_is_not_found():
    notification = tell(make_user())
    response = send(signed_in(make_user()), "post", f"{BASE}/{notification.pk}/read")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not-found"
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("bad_id", ["0", "-1", str(2**63), "abc"])
def test_ids_out_of_range_are_refused(bad_id):
    response = send(signed_in(make_user()), "post", f"{BASE}/{bad_id}/read")
    assert response.status_code in {404, 422}


def test_settings_read_and_write():
    person = make_user()
    client = signed_in(person)
    assert client.get(f"{BASE}/settings").json() == {
        "email_mode": "daily",
        "disabled_kinds": [],
        "email_disabled_kinds": [],
        "last_daily_digest_at": None,
        "last_weekly_digest_at": None,
    }
    body = {
        "email_mode": "immediate",
        "disabled_kinds": ["reaction"],
        "email_disabled_kinds": ["follow", "mention"],
    }
    response = send(client, "put", f"{BASE}/settings", body)
    assert response.status_code == 200
    assert response.json()["email_disabled_kinds"] == ["mention", "follow"]
    assert NotificationSettings.objects.get(user=person).email_mode == "immediate"


@pytest.mark.parametrize(
    "body",
    [
        {"email_mode": "hourly"},
        {"email_mode": "daily", "disabled_kinds": ["gossip"]},
        {"email_mode": "daily", "disabled_kinds": ["moderation"]},
        {"email_mode": "daily", "email_disabled_kinds": ["reply"] * 50},
    ],
)
def test_bad_settings_are_problems(body):
    person = make_user()
    response = send(signed_in(person), "put", f"{BASE}/settings", body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert not NotificationSettings.objects.filter(user=person).exists()


def test_scopes_read_and_write():
    person = make_user()
    client = signed_in(person)
    body = {"scope": SPACE, "level": "watching", "scope_label": "Diabetes Support"}
    response = send(client, "put", f"{BASE}/scopes", body)
    assert response.status_code == 200
    assert response.json() == {
        "scope": SPACE,
        "scope_label": "Diabetes Support",
        "level": "watching",
        "email_mode": "",
    }
    listed = client.get(f"{BASE}/scopes").json()
    assert listed["count"] == 1
    assert listed["items"][0]["level"] == "watching"
    response = send(client, "put", f"{BASE}/scopes", {"scope": SPACE, "level": "normal"})
    assert response.json()["level"] == "normal"
    assert not ScopeSetting.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"scope": "no scope", "level": "watching"},
        {"scope": SPACE, "level": "loud"},
        {"scope": SPACE, "level": "muted", "email_mode": "hourly"},
        {"scope": "a." * 60 + ":1", "level": "muted"},
    ],
)
def test_bad_scope_settings_are_problems(body):
    response = send(signed_in(make_user()), "put", f"{BASE}/scopes", body)
    assert response.status_code == 422
    assert not ScopeSetting.objects.exists()


def test_the_api_needs_a_person():
    response = Client().get(f"{BASE}/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
