"""The registration API: idempotent registering (201 new, 200 repeat), confirmed or waitlisted
with the position, my registrations, one registration, cancel, take an offer, transfer."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ..models import Registration, RegistrationStatus
from ..services import registrations as services
from .factories import fill, make_attendee, make_event, make_question, register

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, body=None, **headers):
    return client.post(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        headers=headers,
    )


def test_register_with_idempotency_key_gives_201_then_200():
    event = make_event()
    person = make_attendee()
    client = client_for(person)
    body = {"ticket_type_id": event.ticket_types.get().pk}
    first = post(
        client, f"/api/v1/events/{event.pk}/registrations", body, **{"Idempotency-Key": "abc"}
    )
    second = post(
        client, f"/api/v1/events/{event.pk}/registrations", body, **{"Idempotency-Key": "abc"}
    )
    assert first.status_code == 201
    assert second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    data = first.json()
    assert data["status"] == "confirmed"
    assert data["waitlist_position"] is None
    assert data["ticket_code"] == Registration.objects.get().ticket_code
    assert Registration.objects.count() == 1


def test_register_with_request_key_in_the_body():
    event = make_event()
    client = client_for(make_attendee())
    body = {"ticket_type_id": event.ticket_types.get().pk, "request_key": "body-key"}
    assert post(client, f"/api/v1/events/{event.pk}/registrations", body).status_code == 201
    assert post(client, f"/api/v1/events/{event.pk}/registrations", body).status_code == 200


def test_register_when_full_says_waitlisted_with_position():
    event = make_event(capacity=1)
    fill(event)
    response = post(
        client_for(make_attendee()),
        f"/api/v1/events/{event.pk}/registrations",
        {"ticket_type_id": event.ticket_types.get().pk},
    )
    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1
    assert response.json()["ticket_code"] is None


def test_register_errors_are_problems():
    event = make_event()
    question = make_question(event, is_required=True)
    client = client_for(make_attendee())
    path = f"/api/v1/events/{event.pk}/registrations"
    missing = post(client, path, {"ticket_type_id": event.ticket_types.get().pk})
    assert missing.status_code == 422
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["errors"] == {f"question_{question.pk}": ["Answer “Dietary needs”."]}
    other = make_event()
    wrong = post(client, path, {"ticket_type_id": other.ticket_types.get().pk})
    assert wrong.status_code == 422
    assert wrong.json()["errors"] == {"ticket_type_id": ["Choose one of this event's tickets."]}
    long_key = post(
        client,
        path,
        {"ticket_type_id": event.ticket_types.get().pk},
        **{"Idempotency-Key": "k" * 65},
    )
    assert long_key.status_code == 422
    assert (
        post(client, "/api/v1/events/999999/registrations", {"ticket_type_id": 1}).status_code
        == 404
    )
    assert not Registration.objects.exists()


def test_registering_twice_is_409_with_the_registration_id():
    event = make_event()
    person = make_attendee()
    existing = register(person, event)
    response = post(
        client_for(person),
        f"/api/v1/events/{event.pk}/registrations",
        {"ticket_type_id": event.ticket_types.get().pk},
    )
    assert response.status_code == 409
    assert response.json()["registration_id"] == existing.pk


def test_mine_lists_with_positions(django_assert_num_queries):
    person = make_attendee()
    full = make_event(capacity=1)
    fill(full)
    waiting = register(person, full)
    confirmed = register(person, make_event())
    client = client_for(person)
    response = client.get("/api/v1/events/registrations/mine")
    data = response.json()
    assert data["count"] == 2
    by_id = {item["id"]: item for item in data["items"]}
    assert by_id[waiting.pk]["waitlist_position"] == 1
    assert by_id[confirmed.pk]["status"] == "confirmed"


def test_cancel_accept_and_transfer():
    event = make_event(capacity=1)
    holder = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    cancelled = post(
        client_for(holder.attendee),
        f"/api/v1/events/registrations/{holder.pk}/cancel",
        {"reason": "Ill"},
    )
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    offered = client_for(waiting.attendee).get(f"/api/v1/events/registrations/{waiting.pk}")
    assert offered.json()["status"] == "offered"
    assert offered.json()["offer_expires_at"] is not None
    taken = post(
        client_for(waiting.attendee), f"/api/v1/events/registrations/{waiting.pk}/accept-offer"
    )
    assert taken.status_code == 200
    assert taken.json()["status"] == "confirmed"
    colleague = make_attendee()
    moved = post(
        client_for(waiting.attendee),
        f"/api/v1/events/registrations/{waiting.pk}/transfer",
        {"to_email": colleague.email},
    )
    assert moved.status_code == 200
    assert moved.json()["attendee_id"] == colleague.pk


def test_accepting_without_an_offer_is_409():
    event = make_event()
    registration = register(make_attendee(), event)
    services.registration_cancel(actor=registration.attendee, registration=registration)
    response = post(
        client_for(registration.attendee),
        f"/api/v1/events/registrations/{registration.pk}/accept-offer",
    )
    assert response.status_code == 409
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_cancel_without_a_body():
    registration = register(make_attendee(), make_event())
    response = post(
        client_for(registration.attendee), f"/api/v1/events/registrations/{registration.pk}/cancel"
    )
    assert response.status_code == 200


def test_huge_ids_are_refused_cleanly():
    client = client_for(make_attendee())
    assert client.get("/api/v1/events/registrations/99999999999999999999").status_code == 422
    assert client.get("/api/v1/events/registrations/9223372036854775807").status_code == 404
