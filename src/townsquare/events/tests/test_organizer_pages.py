"""Organizer pages through the test client: forms, times in the event's zone, errors shown on
the form (never a 500), the registration list with filters and pinned queries, the CSV export."""

from __future__ import annotations

import csv
import datetime
import io
import zoneinfo

import pytest
from django.core import mail
from django.test import Client

from townsquare.accounts.tests.factories import make_staff

from ..models import (
    Event,
    EventMessage,
    EventStatus,
    Registration,
    RegistrationStatus,
    Session,
    Speaker,
    TicketType,
)
from ..services import registrations
from .factories import (
    fill,
    make_attendee,
    make_event,
    make_organizer,
    make_question,
    make_ticket_type,
    register,
)
from .support_organizer import event_form_data, future, local, png_upload

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_creating_an_event_reads_times_in_its_own_zone():
    instructor = make_organizer()
    data = event_form_data(time_zone="Europe/Berlin")
    data["starts_at"] = "2031-06-10T09:00"
    data["ends_at"] = "2031-06-10T17:00"
    response = client_for(instructor).post("/events/manage/new/", data)
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/manage/"
    assert event.starts_at == datetime.datetime(2031, 6, 10, 7, 0, tzinfo=datetime.UTC)
    assert event.time_zone == "Europe/Berlin"
    assert list(event.organizers.all()) == [instructor]
    page = client_for(instructor).get(f"/events/{event.slug}/manage/")
    assert 'value="2031-06-10T09:00"' in page.content.decode()


def test_bad_input_is_shown_on_the_form_with_422():
    instructor = make_organizer()
    data = event_form_data(capacity="0", time_zone="Mars/Base", join_url="javascript:alert(1)")
    data["ends_at"] = data["starts_at"]
    response = client_for(instructor).post("/events/manage/new/", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Ensure this value is greater than or equal to 1." in body
    assert "Select a valid choice." in body
    assert Event.objects.count() == 0


def test_service_errors_land_on_the_form():
    instructor = make_organizer()
    data = event_form_data(organizers="ghost@example.org")
    response = client_for(instructor).post("/events/manage/new/", data)
    assert response.status_code == 422
    assert "No one with these addresses has an account here: ghost@example.org." in (
        response.content.decode()
    )


def test_editing_keeps_the_capacity_rule_and_lists_publish_problems():
    organizer = make_organizer()
    event = make_event(published=False, with_ticket=False, capacity=5, organizers=(organizer,))
    client = client_for(organizer)
    page = client.get(f"/events/{event.slug}/manage/")
    assert "Add at least one active ticket type." in page.content.decode()
    response = client.post(f"/events/{event.slug}/manage/publish")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
    make_ticket_type(event, name="General")
    event.venue_name = "Hall"
    event.save()
    client.post(f"/events/{event.slug}/manage/publish")
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    fill(event, 3)
    data = event_form_data(
        title=event.title,
        capacity="2",
        starts_at=local(event.starts_at),
        ends_at=local(event.ends_at),
        organizers=organizer.email,
    )
    response = client.post(f"/events/{event.slug}/manage/", data)
    assert response.status_code == 422
    assert "3 seats are taken already" in response.content.decode()


def test_cancelling_from_the_page(django_capture_on_commit_callbacks):
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    attendee = make_attendee()
    register(attendee, event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(organizer).post(
            f"/events/{event.slug}/manage/cancel", {"reason": "Snow storm."}
        )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert [message.to for message in mail.outbox] == [[attendee.email]]


def test_tickets_codes_and_questions_pages():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), time_zone="America/New_York")
    client = client_for(organizer)
    response = client.post(
        f"/events/{event.slug}/manage/tickets/new/",
        {
            "name": "Student",
            "price": "15.00",
            "capacity": "10",
            "sales_end": "2031-01-01T12:00",
            "is_active": "on",
            "position": "1",
        },
    )
    assert response.status_code == 302
    ticket = TicketType.objects.get(event=event, name="Student")
    assert ticket.sales_end == datetime.datetime(
        2031, 1, 1, 12, tzinfo=zoneinfo.ZoneInfo("America/New_York")
    )
    response = client.post(
        f"/events/{event.slug}/manage/codes/new/",
        {"code": "nurse10", "kind": "percent", "value": "10", "ticket_types": [ticket.pk]},
    )
    assert response.status_code == 302
    response = client.post(
        f"/events/{event.slug}/manage/questions/new/",
        {"label": "Diet", "kind": "choice", "purpose": "dietary", "options": "None\nVegan"},
    )
    assert response.status_code == 302
    page = client.get(f"/events/{event.slug}/manage/tickets/")
    body = page.content.decode()
    assert "Student" in body
    assert "NURSE10" in body
    assert "None, Vegan" in body
    response = client.post(
        f"/events/{event.slug}/manage/tickets/new/", {"name": "Student", "price": "-3"}
    )
    assert response.status_code == 422


def test_deleting_a_used_ticket_type_says_why():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    register(make_attendee(), event)
    ticket = event.ticket_types.get()
    response = client_for(organizer).post(
        f"/events/{event.slug}/manage/tickets/{ticket.pk}/delete", follow=True
    )
    assert "deactivate it instead" in response.content.decode()
    assert TicketType.objects.filter(pk=ticket.pk).exists()


def test_agenda_pages_add_a_speaker_with_photo_and_a_session():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), duration=datetime.timedelta(hours=6))
    client = client_for(organizer)
    response = client.post(
        f"/events/{event.slug}/manage/agenda/speakers/new/",
        {"name": "Dr. Ana Ruiz", "bio": "Nurse.", "photo": png_upload()},
    )
    assert response.status_code == 302
    speaker = Speaker.objects.get()
    assert speaker.photo
    client.post(f"/events/{event.slug}/manage/agenda/rooms/new/", {"name": "Hall A"})
    room = event.rooms.get()
    start = event.starts_at + datetime.timedelta(hours=1)
    data = {
        "title": "Opening",
        "kind": "keynote",
        "starts_at": local(start),
        "ends_at": local(start + datetime.timedelta(hours=1)),
        "room": room.pk,
        "speakers": [speaker.pk],
    }
    assert client.post(f"/events/{event.slug}/manage/agenda/sessions/new/", data).status_code == 302
    clash = client.post(
        f"/events/{event.slug}/manage/agenda/sessions/new/", {**data, "title": "Clash"}
    )
    assert clash.status_code == 422
    assert "Hall A is taken then by" in clash.content.decode()
    page = client.get(f"/events/{event.slug}/manage/agenda/")
    assert "Opening" in page.content.decode()
    assert Session.objects.count() == 1


def _registrations(count: int) -> tuple:
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), capacity=count)
    question = make_question(event, label="Diet")
    for _ in range(count):
        register(make_attendee(), event, answers={str(question.pk): "=cmd|' /C calc'!A0"})
    return organizer, event


@pytest.mark.parametrize("count", [5, 50])
def test_registration_list_queries_do_not_grow(count, django_assert_num_queries):
    organizer, event = _registrations(count)
    client = client_for(organizer)
    # session, user, roles, event, organizes?, ticket types, count, page, counts
    with django_assert_num_queries(9):
        response = client.get(f"/events/{event.slug}/manage/registrations/?q=example")
    assert response.status_code == 200
    assert f"{count} registrations" in response.content.decode()


@pytest.mark.parametrize("count", [5, 50])
def test_manage_list_queries_do_not_grow(count, django_assert_num_queries):
    staff = make_staff()
    for _ in range(count):
        make_event(with_ticket=False)
    client = client_for(staff)
    with django_assert_num_queries(5):
        response = client.get("/events/manage/")
    assert response.status_code == 200


def test_registration_filters():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), capacity=2)
    first = register(make_attendee(display_name="Zed Zulu"), event)
    register(make_attendee(display_name="Amy Alpha"), event)
    register(make_attendee(display_name="Will Waiting"), event)
    Registration.objects.filter(pk=first.pk).update(checked_in_at=first.created_at)
    client = client_for(organizer)

    def names(query: str) -> list[str]:
        response = client.get(f"/events/{event.slug}/manage/registrations/?{query}")
        return [row.attendee.display_name for row in response.context["page"].object_list]

    assert names("status=waitlisted") == ["Will Waiting"]
    assert names("checked_in=yes") == ["Zed Zulu"]
    assert names("checked_in=no&status=confirmed") == ["Amy Alpha"]
    assert names("q=alpha") == ["Amy Alpha"]
    assert names("ticket_type=999999999999") == ["Zed Zulu", "Amy Alpha", "Will Waiting"]
    counts = client.get(f"/events/{event.slug}/manage/registrations/").context["counts"]
    assert (counts["confirmed"], counts["waitlisted"], counts["checked_in"]) == (2, 1, 1)


def test_csv_export_is_injection_safe_and_has_answers():
    organizer, event = _registrations(2)
    response = client_for(organizer).get(f"/events/{event.slug}/manage/registrations.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{event.slug}-registrations.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-1] == "Diet"
    assert len(rows) == 3
    assert rows[1][-1] == "'=cmd|' /C calc'!A0"


def test_waitlist_page_and_removing_someone():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), capacity=1)
    fill(event, 1)
    waiting = register(make_attendee(display_name="Wanda Wait"), event)
    client = client_for(organizer)
    page = client.get(f"/events/{event.slug}/manage/waitlist/")
    assert page.context["entries"][0].position == 1
    assert "Wanda Wait" in page.content.decode()
    client.post(f"/events/{event.slug}/manage/waitlist/{waiting.pk}/cancel")
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CANCELLED


def test_marking_an_order_paid_from_the_list():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), with_ticket=False)
    make_ticket_type(event, name="Paid", price="50")
    registration = register(make_attendee(), event)
    response = client_for(organizer).post(
        f"/events/{event.slug}/manage/orders/{registration.order_id}/paid"
    )
    assert response.status_code == 302
    registration.order.refresh_from_db()
    assert registration.order.status == "paid"


def test_messages_page_sends_and_shows_history(django_capture_on_commit_callbacks):
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    attendee = make_attendee()
    register(attendee, event)
    client = client_for(organizer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/events/{event.slug}/manage/messages/",
            {"audience": "confirmed", "subject": "Parking", "body": "Use lot B."},
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[attendee.email]]
    page = client.get(f"/events/{event.slug}/manage/messages/")
    assert "Parking" in page.content.decode()
    response = client.post(
        f"/events/{event.slug}/manage/messages/", {"audience": "attended", "subject": "x"}
    )
    assert response.status_code == 422
    assert EventMessage.objects.count() == 1


def test_series_pages():
    staff = make_staff()
    client = client_for(staff)
    response = client.post("/events/manage/series/", {"title": "Webinar Wednesdays"})
    assert response.status_code == 302
    page = client.get("/events/manage/series/")
    assert "Webinar Wednesdays" in page.content.decode()
    duplicate = client.post("/events/manage/series/", {"title": "webinar wednesdays"})
    assert duplicate.status_code == 422


def test_registrations_api_lists_with_filters():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), capacity=1)
    register(make_attendee(display_name="Cara Confirmed"), event)
    register(make_attendee(display_name="Walt Waiting"), event)
    client = client_for(organizer)
    response = client.get(f"/api/v1/events/{event.pk}/registrations?status=waitlisted")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == "Walt Waiting"
    assert client.get("/api/v1/events/99999999999999999999/registrations").status_code == 422
    outsider = client_for(make_organizer())
    assert outsider.get(f"/api/v1/events/{event.pk}/registrations").status_code == 403


def test_seats_counted_on_the_edit_page_match_the_service():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), capacity=4)
    fill(event, 2)
    page = client_for(organizer).get(f"/events/{event.slug}/manage/")
    assert page.context["seats_taken"] == registrations.seats_taken(event) == 2
    assert future() > event.starts_at
