"""The notification pages: the list (unread marked, filter, mark read, mark all), opening one,
the settings, per-scope choices posted from other pages, and the header's unread count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import make_user

from ..models import EmailMode, Notification, NotificationSettings, ScopeSetting
from ..services import notify, scope_level_set
from .factories import make_notification, make_notifications

pytestmark = pytest.mark.django_db

SPACE = "community.space:12"


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def tell(person: User, **fields: object) -> Notification:
    values: dict[str, object] = {
        "recipient": person,
        "kind": "reply",
        "summary": "replied to your post in Diabetes Support",
        "url": "/community/posts/5/",
        "actor_label": "River",
        "scope": SPACE,
        "scope_label": "Diabetes Support",
        **fields,
    }
    notification = notify(**values)  # type: ignore[arg-type]
    assert notification is not None
    return notification


# The list ----------------------------------------------------------------------------------------


def test_the_list_marks_unread_ones_and_links_each_through_open():
    person = make_user()
    unread = tell(person)
    read = tell(person, actor_label="Ann", summary="mentioned you", kind="mention")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    html = signed_in(person).get("/notifications/").content.decode()
    assert "<h1>Notifications</h1>" in html
    assert "You have 1 unread notification." in html
    assert f'href="/notifications/{unread.pk}/open">River replied to your post' in html
    assert f'href="/notifications/{read.pk}/open">Ann mentioned you' in html
    assert html.count('<span class="badge">Unread</span>') == 1
    assert 'action="/notifications/read-all"' in html
    assert f'action="/notifications/{unread.pk}/read"' in html
    assert f'action="/notifications/{read.pk}/read"' not in html


def test_the_unread_filter():
    person = make_user()
    tell(person, actor_label="Unread one")
    read = tell(person, actor_label="Read one", url="/community/posts/6/")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    html = signed_in(person).get("/notifications/?unread=1").content.decode()
    assert "Unread one" in html
    assert "Read one" not in html
    assert '<a href="/notifications/?unread=1" aria-current="page">Unread only</a>' in html


def test_the_list_shows_only_ones_own_and_pages():
    person, other = make_user(), make_user()
    make_notifications(person, 30)
    make_notification(recipient=other, actor_label="Not for you")
    client = signed_in(person)
    first = client.get("/notifications/").content.decode()
    assert "Not for you" not in first
    assert first.count('class="notification ') == 25
    assert "Page 1 of 2" in first
    second = client.get("/notifications/?page=2").content.decode()
    assert second.count('class="notification ') == 5


def test_an_empty_list_says_so():
    html = signed_in(make_user()).get("/notifications/").content.decode()
    assert "No notifications yet." in html
    assert "Mark all as read" not in html


@pytest.mark.parametrize("rows", [5, 50])
def test_the_list_query_count_is_pinned(rows, django_assert_num_queries):
    person = make_user()
    make_notifications(person, rows)
    client = signed_in(person)
    client.get("/notifications/")
    with django_assert_num_queries(5):  # session, user, roles (navigation), count, the page
        response = client.get("/notifications/")
    assert response.content.decode().count('class="notification ') == min(rows, 25)


# Opening and marking read ------------------------------------------------------------------------


def test_opening_marks_read_and_goes_to_the_url():
    person = make_user()
    notification = tell(person)
    response = signed_in(person).get(f"/notifications/{notification.pk}/open")
    assert response.status_code == 302
    assert response["Location"] == "/community/posts/5/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_else_opens_it():
    notification = tell(make_user())
    for intruder in (make_user(), make_user(roles=("staff", "member"), is_staff=True)):
        assert signed_in(intruder).get(f"/notifications/{notification.pk}/open").status_code == 404
        assert signed_in(intruder).post(f"/notifications/{notification.pk}/read").status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_opening_never_leaves_the_site():
    person = make_user()
    planted = make_notification(recipient=person, url="//evil.example/phish")
    response = signed_in(person).get(f"/notifications/{planted.pk}/open")
    assert response["Location"] == "/notifications/"


def test_mark_one_read_goes_back_to_a_safe_next():
    person = make_user()
    notification = tell(person)
    client = signed_in(person)
    response = client.post(
        f"/notifications/{notification.pk}/read", {"next": "/notifications/?unread=1"}
    )
    assert response["Location"] == "/notifications/?unread=1"
    other = tell(person, url="/community/posts/6/")
    response = client.post(f"/notifications/{other.pk}/read", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"
    assert Notification.objects.filter(recipient=person, read_at__isnull=True).count() == 0


def test_mark_read_with_htmx_returns_the_item():
    person = make_user()
    notification = tell(person)
    response = signed_in(person).post(
        f"/notifications/{notification.pk}/read", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith(f'<li class="notification" id="notification-{notification.pk}"')
    assert "Unread" not in html


def test_mark_all_read():
    person = make_user()
    tell(person)
    tell(person, url="/community/posts/6/", scope="community.space:13")
    client = signed_in(person)
    response = client.post("/notifications/read-all", {"scope": SPACE}, follow=True)
    assert "Marked 1 notification as read." in response.content.decode()
    response = client.post("/notifications/read-all", follow=True)
    assert "Marked 1 notification as read." in response.content.decode()
    response = client.post("/notifications/read-all", follow=True)
    assert "There was nothing unread." in response.content.decode()


def test_pages_need_sign_in():
    for path in ("/notifications/", "/notifications/settings/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


# Settings ----------------------------------------------------------------------------------------


def test_the_settings_page_shows_the_choices():
    person = make_user()
    scope_level_set(user=person, scope=SPACE, level="watching", scope_label="Diabetes Support")
    html = signed_in(person).get("/notifications/settings/").content.decode()
    assert "<h1>Notification settings</h1>" in html
    assert 'value="daily" id="id_email_mode_1" required checked' in html
    assert 'name="show_moderation"' in html
    assert "Always shown." in html
    assert '<th scope="row">Diabetes Support</th>' in html
    assert '<option value="watching" selected>' in html
    assert "never contain the words of posts or comments" in html


def test_saving_settings():
    person = make_user()
    data = {"email_mode": "weekly", "show_reply": "on", "email_reply": "on"}
    response = signed_in(person).post("/notifications/settings/", data, follow=True)
    html = response.content.decode()
    assert "Saved your notification settings. Email: a weekly digest." in html
    chosen = NotificationSettings.objects.get(user=person)
    assert chosen.email_mode == EmailMode.WEEKLY
    assert "reply" not in chosen.disabled_kinds
    assert "mention" in chosen.disabled_kinds
    assert "moderation" not in chosen.disabled_kinds  # always shown, whatever is posted
    assert "reply" not in chosen.email_disabled_kinds
    assert "moderation" in chosen.email_disabled_kinds


def test_bad_settings_are_explained():
    person = make_user()
    response = signed_in(person).post("/notifications/settings/", {"email_mode": "hourly"})
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert not NotificationSettings.objects.filter(user=person).exists()


def test_watching_a_space_from_its_page_goes_back_there():
    person = make_user()
    data = {
        "scope": SPACE,
        "scope_label": "Diabetes Support",
        "level": "watching",
        "next": "/community/spaces/diabetes/",
    }
    client = signed_in(person)
    response = client.post("/notifications/scopes/", data)
    assert response.status_code == 302
    assert response["Location"] == "/community/spaces/diabetes/"
    setting = ScopeSetting.objects.get(user=person)
    assert (setting.scope, setting.level, setting.scope_label) == (
        SPACE,
        "watching",
        "Diabetes Support",
    )
    page = client.get("/notifications/settings/").content.decode()
    assert "You are watching Diabetes Support: you hear about every new post." in page


def test_a_scope_setting_never_redirects_off_site():
    person = make_user()
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = signed_in(person).post(
            "/notifications/scopes/",
            {"scope": SPACE, "level": "muted", "email_mode": "off", "next": target},
        )
        assert response["Location"] == "/notifications/settings/"


def test_a_bad_scope_setting_is_explained():
    person = make_user()
    response = signed_in(person).post(
        "/notifications/scopes/", {"scope": "not a scope", "level": "watching"}
    )
    assert response.status_code == 422
    assert "That change was not saved" in response.content.decode()
    assert not ScopeSetting.objects.exists()


# The header --------------------------------------------------------------------------------------


BELL = '<a href="/notifications/" class="notifications-bell"'
PENDING = ' hx-get="/notifications/bell" hx-trigger="load" hx-swap="outerHTML">Notifications</a>'


def test_the_header_shows_the_cached_count_or_fetches_it():
    person = make_user()
    client = signed_in(person)
    tell(person)
    tell(person, url="/community/posts/6/")
    # not counted yet: a plain link, which HTMX completes from the bell fragment
    assert BELL + PENDING in client.get("/dashboard/").content.decode()
    fragment = client.get("/notifications/bell")
    assert fragment.status_code == 200
    assert fragment.content.decode().strip() == (
        BELL + '>Notifications <span class="badge">(2 unread)</span></a>'
    )
    assert fragment["Cache-Control"].startswith("max-age=0")
    # counted: every page shows it at once
    html = client.get("/dashboard/").content.decode()
    assert BELL + '>Notifications <span class="badge">(2 unread)</span></a>' in html
    client.get(f"/notifications/{Notification.objects.first().pk}/open")  # type: ignore[union-attr]
    client.get("/notifications/bell")
    assert "(1 unread)" in client.get("/dashboard/").content.decode()


def test_the_list_page_shows_the_count_in_its_own_header():
    person = make_user()
    tell(person)
    html = signed_in(person).get("/notifications/").content.decode()
    assert (
        BELL + ' aria-current="page">Notifications <span class="badge">(1 unread)</span></a>'
    ) in html


def test_nothing_unread_reads_plainly():
    client = signed_in(make_user())
    client.get("/notifications/bell")
    assert BELL + ">Notifications</a>" in client.get("/dashboard/").content.decode()


def test_anonymous_visitors_have_no_bell(client):
    assert "notifications-bell" not in client.get("/").content.decode()
    response = client.get("/notifications/bell")
    assert response.status_code == 204
    assert response.content == b""


def test_the_bell_never_adds_a_query_to_a_page():
    person = make_user()
    tell(person)
    client = signed_in(person)
    client.get("/dashboard/")
    with CaptureQueriesContext(connection) as cold:
        client.get("/dashboard/")
    assert not [q for q in cold.captured_queries if "notifications_notification" in q["sql"]]
    client.get("/notifications/bell")
    with CaptureQueriesContext(connection) as warm:
        html = client.get("/dashboard/").content.decode()
    assert "(1 unread)" in html
    assert len(warm.captured_queries) == len(cold.captured_queries)


def test_where_the_cache_is_the_database_the_bell_counts(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    person = make_user()
    tell(person)
    html = signed_in(person).get("/dashboard/").content.decode()
    assert BELL + '>Notifications <span class="badge">(1 unread)</span></a>' in html
