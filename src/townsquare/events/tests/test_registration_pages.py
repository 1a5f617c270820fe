"""Registration pages through the test client: the form, double submits, errors on the form,
group registration, my registrations (queries pinned), the registration page and its actions."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from townsquare.academy.models import AccessTier
from townsquare.accounts.models import Role
from townsquare.accounts.services import membership_add
from townsquare.accounts.tests.factories import make_organization, make_staff, make_user

from ..models import DiscountKind, QuestionKind, Registration, RegistrationStatus
from ..services import registrations as services
from .factories import (
    fill,
    make_attendee,
    make_discount_code,
    make_event,
    make_organizer,
    make_question,
    make_ticket_type,
    register,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def request_key(html: str) -> str:
    found = re.search(r'name="request_key" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_the_form_shows_tickets_with_price_and_seats_questions_and_profile():
    event = make_event(capacity=5)
    make_ticket_type(event, name="Workshop day", price="125.00", capacity=2)
    make_question(event, label="Dietary needs")
    make_discount_code(event, code="SAVE")
    person = make_attendee(display_name="Nora Nurse", title="Charge nurse")
    register(make_attendee(), event)
    html = client_for(person).get(f"/events/{event.slug}/register/").content.decode()
    assert "General admission — Free — 4 seats left" in html
    assert "Workshop day — $125.00 — 2 seats left" in html
    assert "Dietary needs" in html
    assert 'name="discount_code"' in html
    assert "Nora Nurse" in html
    assert "Charge nurse" in html
    assert len(request_key(html)) >= 20


def test_each_render_has_a_new_request_key():
    event = make_event()
    client = client_for(make_attendee())
    first = request_key(client.get(f"/events/{event.slug}/register/").content.decode())
    second = request_key(client.get(f"/events/{event.slug}/register/").content.decode())
    assert first != second


def test_register_confirms_and_a_double_submit_gives_one_registration():
    event = make_event()
    person = make_attendee()
    client = client_for(person)
    key = request_key(client.get(f"/events/{event.slug}/register/").content.decode())
    data = {"ticket_type": event.ticket_types.get().pk, "request_key": key}
    first = client.post(f"/events/{event.slug}/register/", data)
    second = client.post(f"/events/{event.slug}/register/", data)
    registration = Registration.objects.get(event=event, attendee=person)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/events/registrations/{registration.pk}/"
    assert registration.status == RegistrationStatus.CONFIRMED
    page = client.get(first["Location"]).content.decode()
    assert "You are registered for" in page
    assert "Status: Confirmed" in page
    assert registration.ticket_code in page
    assert "<svg" in page


def test_full_event_puts_the_person_on_the_waiting_list_with_position():
    event = make_event(capacity=1)
    fill(event)
    register(make_attendee(), event)
    person = make_attendee()
    client = client_for(person)
    response = client.post(
        f"/events/{event.slug}/register/", {"ticket_type": event.ticket_types.get().pk}
    )
    page = client.get(response["Location"]).content.decode()
    assert "number 2 in line" in page
    assert "You are number 2 on the waiting list." in page


def test_service_errors_show_on_the_form_and_nothing_is_written():
    event = make_event()
    question = make_question(event, label="Licence", kind=QuestionKind.TEXT, is_required=True)
    make_discount_code(event, code="OLD", valid_until=timezone.now() - datetime.timedelta(days=1))
    person = make_attendee()
    response = client_for(person).post(
        f"/events/{event.slug}/register/",
        {
            "ticket_type": event.ticket_types.get().pk,
            f"question_{question.pk}": "RN-1",
            "discount_code": "old",
        },
    )
    assert response.status_code == 422
    assert "The code OLD has expired." in response.content.decode()
    assert not Registration.objects.filter(attendee=person).exists()


def test_missing_answer_and_bad_ticket_are_form_errors():
    event = make_event()
    make_question(event, label="Licence", is_required=True)
    response = client_for(make_attendee()).post(
        f"/events/{event.slug}/register/", {"ticket_type": "99999999999999999999"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "This field is required" in html


def test_members_only_ticket_refusal_is_explained_on_the_form():
    event = make_event()
    ticket = make_ticket_type(event, name="Member rate", members_only=True)
    response = client_for(make_attendee()).post(
        f"/events/{event.slug}/register/", {"ticket_type": ticket.pk}
    )
    assert response.status_code == 422
    assert "member organization" in response.content.decode()


def test_closed_window_shows_a_note_instead_of_the_form():
    event = make_event(registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    client = client_for(make_attendee())
    html = client.get(f"/events/{event.slug}/register/").content.decode()
    assert "Registration for this event has closed." in html
    assert 'name="ticket_type"' not in html
    response = client.post(f"/events/{event.slug}/register/", {"ticket_type": "1"})
    assert response.status_code == 422
    assert not Registration.objects.exists()


def test_already_registered_sees_a_link_to_the_registration():
    event = make_event()
    person = make_attendee()
    registration = register(person, event)
    html = client_for(person).get(f"/events/{event.slug}/register/").content.decode()
    assert f"/events/registrations/{registration.pk}/" in html
    assert "You are already registered" in html


def test_patient_is_refused_a_members_event():
    event = make_event(tier=AccessTier.MEMBER)
    patient = make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver")
    assert client_for(patient).get(f"/events/{event.slug}/register/").status_code == 403


def test_unknown_event_is_404():
    assert client_for(make_attendee()).get("/events/nope/register/").status_code == 404


def test_discount_code_lowers_the_price_and_the_invoice_link_appears():
    event = make_event()
    paid = make_ticket_type(event, name="Paid", price="100")
    make_discount_code(event, code="HALF", kind=DiscountKind.PERCENT, value="50")
    person = make_attendee()
    client = client_for(person)
    response = client.post(
        f"/events/{event.slug}/register/", {"ticket_type": paid.pk, "discount_code": "half"}
    )
    registration = Registration.objects.get(attendee=person)
    assert registration.price == 50
    page = client.get(response["Location"]).content.decode()
    assert f"/events/orders/{registration.order.reference}/invoice.pdf" in page
    assert str(registration.order.invoice_number) in page


# Group ------------------------------------------------------------------------------------------


def group_world():
    leader = make_attendee(display_name="Lee Leader")
    organization = make_organization(leader=leader, name="Riverside")
    staff = make_staff()
    members = []
    for index in range(3):
        person = make_attendee(display_name=f"Staff {index}")
        membership_add(actor=staff, organization=organization, email=person.email)
        members.append(person)
    return leader, organization, members


def test_group_registration_by_a_leader():
    leader, organization, members = group_world()
    event = make_event(capacity=5)
    client = client_for(leader)
    html = client.get(f"/events/{event.slug}/register/group/").content.decode()
    assert "Staff 0" in html
    assert "Riverside" in html
    key = request_key(html)
    data = {
        "organization": organization.pk,
        "ticket_type": event.ticket_types.get().pk,
        "members": [members[0].pk, members[2].pk],
        "request_key": key,
    }
    response = client.post(f"/events/{event.slug}/register/group/", data)
    assert response.status_code == 302
    again = client.post(f"/events/{event.slug}/register/group/", data)
    assert again.status_code == 302
    registered = Registration.objects.filter(event=event).order_by("attendee__display_name")
    assert [registration.attendee for registration in registered] == [members[0], members[2]]
    listing = client.get("/events/registrations/").content.decode()
    assert "Staff 0" in listing
    assert "Staff 2" in listing


def test_group_refusal_is_shown_and_writes_nothing():
    leader, organization, members = group_world()
    event = make_event(capacity=1)
    response = client_for(leader).post(
        f"/events/{event.slug}/register/group/",
        {
            "organization": organization.pk,
            "ticket_type": event.ticket_types.get().pk,
            "members": [member.pk for member in members],
        },
    )
    assert response.status_code == 422
    assert "Only 1 seat left" in response.content.decode()
    assert not Registration.objects.exists()


def test_group_page_refuses_non_leaders_and_other_organizations():
    leader, organization, members = group_world()
    other = make_organization(name="Other")
    event = make_event()
    assert client_for(members[0]).get(f"/events/{event.slug}/register/group/").status_code == 403
    response = client_for(leader).get(
        f"/events/{event.slug}/register/group/?organization={other.pk}"
    )
    assert response.status_code == 403
    response = client_for(leader).get(f"/events/{event.slug}/register/group/?organization=x")
    assert response.status_code == 404


# My registrations --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [5, 50])
def test_my_registrations_queries_are_pinned(count, django_assert_num_queries):
    person = make_attendee()
    for index in range(count):
        event = make_event(capacity=1 if index % 2 else 5)
        if index % 2:
            fill(event)
        register(person, event)
    client = client_for(person)
    client.get("/events/registrations/")
    with django_assert_num_queries(4):  # session, user, roles (navigation), registrations
        response = client.get("/events/registrations/")
    html = response.content.decode()
    assert html.count("/events/registrations/") >= count
    assert "(number 1)" in html


def test_my_registrations_needs_sign_in():
    response = Client().get("/events/registrations/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# The registration page's actions -----------------------------------------------------------------


def test_cancel_through_the_page_passes_the_seat_to_the_waiting_person():
    event = make_event(capacity=1)
    holder = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    response = client_for(holder.attendee).post(
        f"/events/registrations/{holder.pk}/cancel", {"reason": "Ill"}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED
    page = client_for(waiting.attendee).get(f"/events/registrations/{waiting.pk}/")
    html = page.content.decode()
    assert "A seat is free for you" in html
    assert "Take the seat" in html
    accepted = client_for(waiting.attendee).post(f"/events/registrations/{waiting.pk}/accept")
    assert accepted.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_declining_an_offer_through_the_page():
    event = make_event(capacity=1)
    holder = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    services.registration_cancel(actor=holder.attendee, registration=holder)
    response = client_for(waiting.attendee).post(
        f"/events/registrations/{waiting.pk}/cancel", {"reason": "Declined the offered seat"}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CANCELLED


def test_expired_offer_cannot_be_taken_on_the_page():
    event = make_event(capacity=1)
    holder = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    services.registration_cancel(actor=holder.attendee, registration=holder)
    Registration.objects.filter(pk=waiting.pk).update(offer_expires_at=timezone.now())
    response = client_for(waiting.attendee).post(f"/events/registrations/{waiting.pk}/accept")
    assert response.status_code == 409
    assert "This offer has expired" in response.content.decode()


def test_cancel_after_the_deadline_shows_the_reason_and_keeps_the_seat():
    event = make_event(cancellation_deadline=timezone.now() - datetime.timedelta(hours=1))
    registration = register(make_attendee(), event)
    client = client_for(registration.attendee)
    html = client.get(f"/events/registrations/{registration.pk}/").content.decode()
    assert "Cancel my registration" not in html
    assert "The cancellation deadline has passed" in html
    response = client.post(f"/events/registrations/{registration.pk}/cancel", {"reason": ""})
    assert response.status_code == 422
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_transfer_through_the_page_and_errors_on_the_form():
    event = make_event()
    owner = make_attendee()
    colleague = make_attendee()
    registration = register(owner, event)
    client = client_for(owner)
    bad = client.post(
        f"/events/registrations/{registration.pk}/transfer", {"to_email": "nobody@example.org"}
    )
    assert bad.status_code == 422
    assert "No one with the address nobody@example.org" in bad.content.decode()
    invalid = client.post(f"/events/registrations/{registration.pk}/transfer", {"to_email": "x"})
    assert invalid.status_code == 422
    patient = make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver")
    refused = client.post(
        f"/events/registrations/{registration.pk}/transfer", {"to_email": patient.email}
    )
    assert refused.status_code == 422
    good = client.post(
        f"/events/registrations/{registration.pk}/transfer", {"to_email": colleague.email}
    )
    assert good.status_code == 302
    registration.refresh_from_db()
    assert registration.attendee == colleague


def test_someone_else_cannot_see_a_registration():
    registration = register(make_attendee(), make_event())
    response = client_for(make_attendee()).get(f"/events/registrations/{registration.pk}/")
    assert response.status_code == 404
    huge = client_for(make_attendee()).get("/events/registrations/99999999999999999999/")
    assert huge.status_code == 404


def test_only_the_offered_person_may_take_the_seat():
    organizer = make_organizer()
    event = make_event(capacity=1, organizers=(organizer,))
    holder = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    services.registration_cancel(actor=holder.attendee, registration=holder)
    response = client_for(organizer).post(f"/events/registrations/{waiting.pk}/accept")
    assert response.status_code == 403


def test_registration_detail_queries(django_assert_num_queries):
    event = make_event()
    registration = register(make_attendee(), event)
    client = client_for(registration.attendee)
    client.get(f"/events/registrations/{registration.pk}/")
    # session, user, roles, the registration (one query with its event, order and place),
    # and whether the viewer organizes the event
    with django_assert_num_queries(5):
        client.get(f"/events/registrations/{registration.pk}/")


def test_group_form_bounds_the_request_key():
    leader, organization, members = group_world()
    event = make_event()
    response = client_for(leader).post(
        f"/events/{event.slug}/register/group/",
        {
            "organization": organization.pk,
            "ticket_type": event.ticket_types.get().pk,
            "members": [members[0].pk],
            "request_key": "k" * 64,
        },
    )
    assert response.status_code == 422
    assert not Registration.objects.exists()


def test_after_a_transfer_the_former_holder_no_longer_sees_the_code():
    event = make_event()
    owner = make_attendee()
    registration = register(owner, event)
    colleague = make_attendee()
    moved = services.registration_transfer(
        actor=owner, registration=registration, to_email=colleague.email
    )
    own = client_for(owner)
    html = own.get(f"/events/registrations/{moved.pk}/").content.decode()
    assert moved.ticket_code not in html
    assert own.get(f"/events/registrations/{moved.pk}/ticket.pdf").status_code == 404
    api = own.get(f"/api/v1/events/registrations/{moved.pk}").json()
    assert api["ticket_code"] is None
    theirs = client_for(colleague).get(f"/events/registrations/{moved.pk}/").content.decode()
    assert moved.ticket_code in theirs
