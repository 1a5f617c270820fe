"""The public event pages and API against every role: published events are open to all, drafts
only to their organizers and staff (others are told they do not exist), personal pages need
sign-in, and refusals change nothing."""

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
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
)

from ..models import CalendarToken, Event, EventSeries, ScheduleItem, Session
from ..services import calendar_links
from .factories import make_event, make_organizer, register
from .support_public import make_series, make_session

pytestmark = pytest.mark.django_db

ROLES = [*MATRIX_ROLES, "organizer"]


@dataclass
class World:
    people: dict[str, User | None]
    event: Event
    draft: Event
    session: Session
    draft_session: Session
    series: EventSeries
    token: str


@pytest.fixture
def world() -> World:
    matrix = make_matrix_people()
    organizer = make_organizer(display_name="Olga Organizer")
    people = {**matrix.people, "organizer": organizer}
    series = make_series()
    event = make_event(series=series, organizers=(organizer,))
    draft = make_event(published=False, organizers=(organizer,))
    register(matrix.member, event)
    token = calendar_links.calendar_link_create(user=matrix.member).raw
    return World(
        people,
        event,
        draft,
        make_session(event),
        make_session(draft),
        series,
        token,
    )


EVERYONE = dict.fromkeys(ROLES, OK)
MANAGERS_ONLY = {**dict.fromkeys(ROLES, MISSING), "organizer": OK, "staff": OK}
SIGNED_IN = {**EVERYONE, "anonymous": REDIRECT_LOGIN}
API_SIGNED_IN = {**EVERYONE, "anonymous": NOT_AUTHENTICATED}


def written(expected: dict, status: object = 302) -> dict:
    return {role: status if value == OK else value for role, value in expected.items()}


PAGES = [
    ("events:event_list", "get", "/events/", EVERYONE),
    ("events:event_list (filtered)", "get", "/events/?format=webinar&past=on", EVERYONE),
    ("events:event_detail", "get", "/events/{event}/", EVERYONE),
    ("events:event_detail (draft)", "get", "/events/{draft}/", MANAGERS_ONLY),
    ("events:event_agenda", "get", "/events/{event}/agenda/", EVERYONE),
    ("events:event_agenda (draft)", "get", "/events/{draft}/agenda/", MANAGERS_ONLY),
    ("events:speaker_list", "get", "/events/{event}/speakers/", EVERYONE),
    ("events:speaker_list (draft)", "get", "/events/{draft}/speakers/", MANAGERS_ONLY),
    ("events:event_ics", "get", "/events/{event}/calendar.ics", EVERYONE),
    ("events:event_ics (draft)", "get", "/events/{draft}/calendar.ics", MANAGERS_ONLY),
    ("events:public_feed", "get", "/events/feed.ics", EVERYONE),
    ("events:series_detail", "get", "/events/series/{series}/", EVERYONE),
    ("events:my_schedule", "get", "/events/schedule/", SIGNED_IN),
    ("events:calendar_link", "get", "/events/calendar/", SIGNED_IN),
    ("events:personal_feed", "get", "/events/calendar/{token}.ics", EVERYONE),
    (
        "events:personal_feed (forged)",
        "get",
        "/events/calendar/{forged}.ics",
        dict.fromkeys(ROLES, MISSING),
    ),
]

WRITES = [
    (
        "events:schedule_toggle",
        "/events/sessions/{session}/schedule",
        {"action": "add"},
        written(SIGNED_IN),
    ),
    (
        "events:schedule_toggle (draft)",
        "/events/sessions/{draft_session}/schedule",
        {"action": "add"},
        written({**MANAGERS_ONLY, "anonymous": REDIRECT_LOGIN}),
    ),
    ("events:calendar_link", "/events/calendar/", {"action": "create"}, written(SIGNED_IN, OK)),
]

API = [
    ("get", "/api/v1/events/", None, EVERYONE),
    ("get", "/api/v1/events/{event_id}", None, EVERYONE),
    ("get", "/api/v1/events/{draft_id}", None, MANAGERS_ONLY),
    ("get", "/api/v1/events/{event_id}/sessions", None, EVERYONE),
    ("get", "/api/v1/events/{draft_id}/sessions", None, MANAGERS_ONLY),
    ("get", "/api/v1/events/{event_id}/calendar.ics", None, EVERYONE),
    ("get", "/api/v1/events/{draft_id}/calendar.ics", None, MANAGERS_ONLY),
    ("get", "/api/v1/events/feed.ics", None, EVERYONE),
    ("get", "/api/v1/events/calendar/personal.ics", None, API_SIGNED_IN),
]
API_WRITES: list[tuple] = []


def fill(template: str, world: World) -> str:
    return template.format(
        event=world.event.slug,
        draft=world.draft.slug,
        event_id=world.event.pk,
        draft_id=world.draft.pk,
        session=world.session.pk,
        draft_session=world.draft_session.pk,
        series=world.series.slug,
        token=world.token,
        forged="A" * 43,
    )


def state() -> tuple:
    return (
        list(ScheduleItem.objects.order_by("pk").values_list("user_id", "session_id")),
        list(CalendarToken.objects.order_by("pk").values_list("user_id", "token_hash")),
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
    response = client_as(world, role).post(fill(path, world), data)
    assert_page_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(MISSING, REDIRECT_LOGIN),
        changed_otherwise=True,
        audited=True,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role], json_body=not path.endswith(".ics"))
