"""Check-in at the door: the service (once per ticket, clear refusals, counts, audit), the page
(works without JavaScript; who it is; refusals) and the API."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from townsquare.academy.models import ActivityCompletion, CreditType
from townsquare.academy.services.credit import external_credit_activity_save
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

from ..models import AttendanceSource, EventStatus, Registration
from ..services import registrations as registration_services
from ..services.checkin import check_in, check_in_counts, ticket_code_normalize
from .factories import fill, make_attendee, make_event, make_organizer, register

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def door():
    organizer = make_organizer(display_name="Olga Organizer")
    event = make_event(capacity=3, organizers=(organizer,))
    guest = register(make_attendee(display_name="Gina Guest"), event)
    return organizer, event, guest


def test_check_in_admits_once_and_records(door):
    organizer, event, guest = door
    result = check_in(actor=organizer, event=event, code=f"  {guest.ticket_code}\n")
    assert result.registration.pk == guest.pk
    assert result.counts == {"confirmed": 1, "checked_in": 1, "remaining": 0}
    guest.refresh_from_db()
    assert guest.checked_in_at is not None
    assert guest.checked_in_by == organizer
    assert guest.attended is True
    assert guest.attendance_source == AttendanceSource.CHECK_IN
    assert AuditRecord.objects.filter(action="events.registration.checked_in").count() == 1
    with pytest.raises(Conflict, match="Gina Guest has already checked in") as caught:
        check_in(actor=organizer, event=event, code=guest.ticket_code)
    assert "by Olga Organizer" in caught.value.message
    assert AuditRecord.objects.filter(action="events.registration.checked_in").count() == 1


def test_check_in_records_the_ce_completion_the_credit_claim_needs(door):
    organizer, event, guest = door
    event.credit_activity = external_credit_activity_save(
        actor=organizer,
        activity=None,
        title=event.title,
        credit_type=CreditType.NURSING,
        max_hours=Decimal("3"),
        objectives="- Use social media safely",
    )
    event.save()
    check_in(actor=organizer, event=event, code=guest.ticket_code)
    assert ActivityCompletion.objects.filter(
        activity=event.credit_activity, user=guest.attendee
    ).exists()


@pytest.mark.parametrize("code", ["nope", "x" * 40, "<script>", "ünïcode"])
def test_unknown_codes_are_refused(door, code):
    organizer, event, _guest = door
    with pytest.raises(NotFound, match="Unknown ticket code"):
        check_in(actor=organizer, event=event, code=code)


def test_empty_code_is_a_validation_error(door):
    organizer, event, _guest = door
    with pytest.raises(ValidationFailed):
        check_in(actor=organizer, event=event, code="   ")


def test_ticket_of_another_event_is_refused(door):
    organizer, event, _guest = door
    elsewhere = register(make_attendee(), make_event())
    with pytest.raises(Conflict, match="another event"):
        check_in(actor=organizer, event=event, code=elsewhere.ticket_code)


def test_waiting_and_cancelled_registrations_cannot_check_in(door):
    organizer, event, guest = door
    fill(event, 2)
    waiting = register(make_attendee(), event)
    with pytest.raises(Conflict, match="not confirmed"):
        check_in(actor=organizer, event=event, code=waiting.ticket_code)
    registration_services.registration_cancel(actor=guest.attendee, registration=guest)
    with pytest.raises(Conflict, match="not confirmed"):
        check_in(actor=organizer, event=event, code=guest.ticket_code)


def test_old_code_stops_working_after_a_transfer(door):
    organizer, event, guest = door
    old = guest.ticket_code
    colleague = make_attendee()
    moved = registration_services.registration_transfer(
        actor=guest.attendee, registration=guest, to_email=colleague.email
    )
    with pytest.raises(NotFound):
        check_in(actor=organizer, event=event, code=old)
    assert check_in(actor=organizer, event=event, code=moved.ticket_code).registration == moved


def test_only_managers_check_in(door):
    _organizer, event, guest = door
    with pytest.raises(PermissionRefused):
        check_in(actor=make_attendee(), event=event, code=guest.ticket_code)
    guest.refresh_from_db()
    assert guest.checked_in_at is None


def test_cancelled_event_refuses_check_in(door):
    organizer, event, guest = door
    event.status = EventStatus.CANCELLED
    event.save()
    with pytest.raises(Conflict, match="cancelled"):
        check_in(actor=organizer, event=event, code=guest.ticket_code)


def test_counts(door):
    organizer, event, guest = door
    fill(event, 2)
    assert check_in_counts(event) == {"confirmed": 3, "checked_in": 0, "remaining": 3}
    check_in(actor=organizer, event=event, code=guest.ticket_code)
    assert check_in_counts(event) == {"confirmed": 3, "checked_in": 1, "remaining": 2}


def test_normalize():
    assert ticket_code_normalize(" ab c\t\n") == "abc"
    assert len(ticket_code_normalize("a" * 500)) == 64


# The page -----------------------------------------------------------------------------------------


def test_page_has_an_autofocused_code_field_and_counts(door):
    organizer, event, _guest = door
    html = client_for(organizer).get(f"/events/{event.slug}/manage/check-in/").content.decode()
    assert 'name="code"' in html
    assert "autofocus" in html
    assert 'data-count="remaining">1<' in html


def test_page_checks_in_and_refuses_a_second_time(door):
    organizer, event, guest = door
    client = client_for(organizer)
    path = f"/events/{event.slug}/manage/check-in/submit"
    first = client.post(path, {"code": guest.ticket_code})
    assert first.status_code == 200
    assert "Welcome, Gina Guest!" in first.content.decode()
    second = client.post(path, {"code": guest.ticket_code})
    assert second.status_code == 409
    html = second.content.decode()
    assert "Not admitted" in html
    assert "Gina Guest has already checked in" in html
    unknown = client.post(path, {"code": "bogus"})
    assert unknown.status_code == 404
    assert "Unknown ticket code" in unknown.content.decode()
    empty = client.post(path, {"code": ""})
    assert empty.status_code == 422


def test_counts_endpoint_json_and_partial(door):
    organizer, event, _guest = door
    client = client_for(organizer)
    path = f"/events/{event.slug}/manage/check-in/counts"
    assert client.get(path).json() == {"confirmed": 1, "checked_in": 0, "remaining": 1}
    partial = client.get(path, headers={"HX-Request": "true"}).content.decode()
    assert 'data-count="confirmed">1<' in partial


def test_page_refuses_attendees(door):
    _organizer, event, guest = door
    response = client_for(guest.attendee).get(f"/events/{event.slug}/manage/check-in/")
    assert response.status_code == 403


# The API ------------------------------------------------------------------------------------------


def test_api_check_in(door):
    organizer, event, guest = door
    client = client_for(organizer)
    path = f"/api/v1/events/{event.pk}/check-ins"

    def send(code):
        return client.post(path, data=json.dumps({"code": code}), content_type="application/json")

    first = send(guest.ticket_code)
    assert first.status_code == 200
    assert first.json()["attendee_name"] == "Gina Guest"
    assert first.json()["counts"] == {"confirmed": 1, "checked_in": 1, "remaining": 0}
    second = send(guest.ticket_code)
    assert second.status_code == 409
    assert second.json()["registration_id"] == guest.pk
    assert send("unknown").status_code == 404
    assert send("").status_code == 422
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1
