"""The public events API: list with filters, one event with ticket availability, sessions, and
calendar files."""

from __future__ import annotations

import datetime

import pytest

from ..models import EventFormat, ScheduleItem
from ..services import calendar_links
from .factories import fill, make_attendee, make_event, make_ticket_type, register
from .support_public import make_agenda, make_series, make_speaker

pytestmark = pytest.mark.django_db


def test_list_is_paginated_with_filters(client):
    series = make_series()
    webinar = make_event(title="Webinar", event_format=EventFormat.WEBINAR, series=series)
    make_event(title="Workshop")
    make_event(title="Draft", published=False)
    body = client.get("/api/v1/events/").json()
    assert body["count"] == 2
    assert [item["title"] for item in body["items"]] == ["Webinar", "Workshop"]
    body = client.get("/api/v1/events/?format=webinar&mode=online").json()
    assert [item["id"] for item in body["items"]] == [webinar.pk]
    assert body["items"][0]["series"]["slug"] == series.slug
    assert body["items"][0]["url"].endswith(f"/events/{webinar.slug}/")
    assert client.get(f"/api/v1/events/?series={series.slug}&limit=1").json()["count"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "format=opera",
        "mode=sideways",
        "tier=gold",
        "starts_from=yesterday",
        "limit=0",
        "offset=-1",
        "starts_until=9999-12-31",
        "starts_from=0001-01-01",
        "q=" + "x" * 201,
    ],
)
def test_list_refuses_bad_filters_with_a_problem(client, query):
    response = client.get(f"/api/v1/events/?{query}")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_detail_has_ticket_availability_and_speakers(client):
    event = make_event(capacity=5)
    make_ticket_type(event, name="Limited", price="25", capacity=1)
    make_speaker(event, name="Ada", financial_relationships="Grant")
    fill(event, 2)
    body = client.get(f"/api/v1/events/{event.pk}").json()
    assert body["seats_left"] == 3
    assert [(t["name"], t["seats_left"], t["price"]) for t in body["tickets"]] == [
        ("General admission", 3, "0.00"),
        ("Limited", 1, "25.00"),
    ]
    assert body["speakers"][0]["financial_relationships"] == "Grant"
    assert body["join_url"] is None
    assert body["my_registration_status"] is None


def test_detail_join_link_for_confirmed_and_recording_after(client_for, client):
    event = make_event(join_url="https://zoom.example/j/1", recording_url="https://v.example/r")
    member = make_attendee()
    register(member, event)
    body = client_for(member).get(f"/api/v1/events/{event.pk}").json()
    assert body["join_url"] == "https://zoom.example/j/1"
    assert body["recording_url"] is None
    assert body["my_registration_status"] == "confirmed"
    over = make_event(starts_in=datetime.timedelta(days=-1), recording_url="https://v.example/r")
    assert client.get(f"/api/v1/events/{over.pk}").json()["recording_url"] == "https://v.example/r"


@pytest.mark.parametrize("event_id", ["0", "999999", str(2**63), str(2**70)])
def test_unknown_events_are_404_problems(client, event_id):
    response = client.get(f"/api/v1/events/{event_id}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert client.get(f"/api/v1/events/{event_id}/sessions").status_code == 404
    assert client.get(f"/api/v1/events/{event_id}/calendar.ics").status_code == 404


def test_draft_is_404_for_the_public(client):
    draft = make_event(published=False)
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404


def test_sessions_say_whether_they_are_on_my_schedule(client_for):
    event = make_event()
    sessions = make_agenda(event, 3)
    member = make_attendee()
    ScheduleItem.objects.create(user=member, session=sessions[1])
    body = client_for(member).get(f"/api/v1/events/{event.pk}/sessions").json()
    assert body["count"] == 3
    assert [item["on_my_schedule"] for item in body["items"]] == [False, True, False]
    assert len(body["items"][0]["speakers"]) == 2


def test_calendar_files(client, client_for):
    event = make_event(title="Webinar")
    assert b"SUMMARY:Webinar" in client.get(f"/api/v1/events/{event.pk}/calendar.ics").content
    assert b"SUMMARY:Webinar" in client.get("/api/v1/events/feed.ics").content
    assert client.get("/api/v1/events/calendar/personal.ics").status_code == 401
    member = make_attendee()
    register(member, event)
    response = client_for(member).get("/api/v1/events/calendar/personal.ics")
    assert response.status_code == 200
    assert b"SUMMARY:Webinar" in response.content


def test_personal_calendar_with_a_bearer_token(client):
    from townsquare.accounts.services import api_token_create

    member = make_attendee()
    register(member, make_event(title="Mine"))
    raw = api_token_create(user=member, name="calendar").raw
    response = client.get(
        "/api/v1/events/calendar/personal.ics", headers={"Authorization": f"Bearer {raw}"}
    )
    assert b"SUMMARY:Mine" in response.content
    assert calendar_links.calendar_link_of(user=member) is None
