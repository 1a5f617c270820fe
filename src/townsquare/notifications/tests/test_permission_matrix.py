"""Notification pages and endpoints against every role: each person sees and changes only their
own notifications (anyone else's is "not found", staff included), and refusals change nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MATRIX_ROLES, make_matrix_people
from townsquare.core.testing.matrix import (
    MISSING,
    NOT_AUTHENTICATED,
    OK,
    REDIRECT_LOGIN,
    api_ids,
    assert_api_read,
    assert_api_write,
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
    send_json,
)

from ..models import Notification, NotificationSettings, ScopeSetting
from ..services import notify

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES
SIGNED_IN = [role for role in ROLES if role != "anonymous"]
SPACE = "community.space:12"


@dataclass
class World:
    people: dict[str, User | None]
    notification: Notification  # the member's


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    notification = notify(
        recipient=cast.member,
        kind="reply",
        summary="replied to your post in Matrix Space",
        url="/community/posts/1/",
        actor_label="River",
        scope=SPACE,
        scope_label="Matrix Space",
    )
    assert notification is not None
    for role in SIGNED_IN:  # everyone has one of their own to read
        person = cast.people[role]
        assert person is not None
        notify(recipient=person, kind="system", summary="welcome", url="/", scope=SPACE)
    return World(cast.people, notification)


EVERYONE_SIGNED_IN = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, OK)}
REDIRECTED = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, 302)}
ONLY_THE_RECIPIENT = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, MISSING),
    "member": 302,
}

PAGES = [
    ("notifications:list", "get", "/notifications/", EVERYONE_SIGNED_IN),
    ("notifications:list (unread)", "get", "/notifications/?unread=1", EVERYONE_SIGNED_IN),
    ("notifications:open", "get", "/notifications/{notification}/open", ONLY_THE_RECIPIENT),
    (
        "notifications:open (unknown)",
        "get",
        "/notifications/999999/open",
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, MISSING)},
    ),
    ("notifications:settings", "get", "/notifications/settings/", EVERYONE_SIGNED_IN),
    (
        "notifications:bell",
        "get",
        "/notifications/bell",
        {"anonymous": 204, **dict.fromkeys(SIGNED_IN, OK)},
    ),
]

WRITES = [
    ("notifications:read", "/notifications/{notification}/read", {}, ONLY_THE_RECIPIENT),
    ("notifications:read_all", "/notifications/read-all", {}, REDIRECTED),
    (
        "notifications:settings",
        "/notifications/settings/",
        {"email_mode": "weekly", "show_reply": "on"},
        REDIRECTED,
    ),
    (
        "notifications:scope_setting",
        "/notifications/scopes/",
        {"scope": SPACE, "level": "muted", "next": "/community/"},
        REDIRECTED,
    ),
]

API_EVERYONE = {"anonymous": NOT_AUTHENTICATED, **dict.fromkeys(SIGNED_IN, OK)}

API = [
    ("get", "/api/v1/notifications/", None, API_EVERYONE),
    ("get", "/api/v1/notifications/unread-count", None, API_EVERYONE),
    ("get", "/api/v1/notifications/settings", None, API_EVERYONE),
    ("get", "/api/v1/notifications/scopes", None, API_EVERYONE),
]

API_WRITES = [
    (
        "post",
        "/api/v1/notifications/{notification}/read",
        None,
        {"anonymous": NOT_AUTHENTICATED, **dict.fromkeys(SIGNED_IN, MISSING), "member": OK},
    ),
    ("post", "/api/v1/notifications/read-all", {}, API_EVERYONE),
    (
        "put",
        "/api/v1/notifications/settings",
        {"email_mode": "off", "disabled_kinds": [], "email_disabled_kinds": []},
        API_EVERYONE,
    ),
    (
        "put",
        "/api/v1/notifications/scopes",
        {"scope": SPACE, "level": "watching", "email_mode": ""},
        API_EVERYONE,
    ),
]


def fill(template: str, world: World) -> str:
    return template.format(notification=world.notification.pk)


def state() -> tuple:
    return (
        list(Notification.objects.order_by("pk").values_list("pk", "recipient_id", "read_at")),
        list(NotificationSettings.objects.order_by("pk").values_list("user_id", "email_mode")),
        list(ScopeSetting.objects.order_by("pk").values_list("user_id", "scope", "level")),
    )


def own_state(world: World, role: str) -> tuple:
    """What an allowed write by ``role`` may change: that person's own rows."""
    person = world.people[role]
    assert person is not None
    return (
        list(Notification.objects.filter(recipient=person).order_by("pk").values_list("read_at")),
        list(NotificationSettings.objects.filter(user=person).values_list("email_mode")),
        list(ScopeSetting.objects.filter(user=person).values_list("scope", "level")),
    )


def others_state(world: World, role: str) -> tuple:
    person = world.people[role]
    return (
        list(
            Notification.objects.exclude(recipient=person)
            .order_by("pk")
            .values_list("pk", "read_at")
        ),
        list(
            NotificationSettings.objects.exclude(user=person).values_list("user_id", "email_mode")
        ),
        list(ScopeSetting.objects.exclude(user=person).values_list("user_id", "scope", "level")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_page(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    before = state()
    others_before = others_state(world, role) if role != "anonymous" else None
    response = client_as(world, role).post(fill(path, world), data)
    assert_page_write(response, expected[role], before, state(), audited=True)
    if role != "anonymous":  # an allowed write touches only the person's own rows
        assert others_state(world, role) == others_before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role], json_body=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_WRITES, ids=api_ids(API_WRITES)
)
def test_api_writes(world, role, method, path, body, expected):
    before = state()
    others_before = others_state(world, role) if role != "anonymous" else None
    response = send_json(client_as(world, role), method, fill(path, world), body)
    assert_api_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(NOT_AUTHENTICATED, MISSING),
        problem_for=(NOT_AUTHENTICATED, MISSING),
        code_for=(NOT_AUTHENTICATED,),
    )
    if role != "anonymous":
        assert others_state(world, role) == others_before


def test_each_person_lists_only_their_own(world):
    for role in SIGNED_IN:
        person = world.people[role]
        items = client_as(world, role).get("/api/v1/notifications/").json()["items"]
        ids = {item["id"] for item in items}
        assert ids == set(
            Notification.objects.filter(recipient=person).values_list("pk", flat=True)
        )
        html = client_as(world, role).get("/notifications/").content.decode()
        assert ("Matrix Space" in html) is (role == "member")


def test_the_recipient_changes_what_they_may(world):
    before = own_state(world, "member")
    response = client_as(world, "member").get(fill("/notifications/{notification}/open", world))
    assert response["Location"] == "/community/posts/1/"
    assert own_state(world, "member") != before
