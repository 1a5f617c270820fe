"""The ticket PDF (with a QR code that decodes to the ticket code) and the invoice PDF."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from townsquare.accounts.services import membership_add
from townsquare.accounts.tests.factories import make_organization, make_staff

from ..models import DiscountKind
from ..services import registrations as services
from ..services.tickets import invoice_pdf, ticket_pdf, ticket_qr_svg
from .factories import (
    make_attendee,
    make_discount_code,
    make_event,
    make_ticket_type,
    register,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_ticket_pdf_names_the_attendee_event_and_code():
    event = make_event(title="Social media for nurses", venue_name="Riverside Hall")
    registration = register(make_attendee(display_name="Nora Nurse"), event)
    text = text_of(ticket_pdf(registration))
    assert "Social media for nurses" in text
    assert "Nora Nurse" in text
    assert "Riverside Hall" in text
    assert registration.ticket_code in text
    assert registration.order.reference in text


def test_qr_svg_encodes_the_code():
    registration = register(make_attendee(), make_event())
    svg = ticket_qr_svg(registration)
    assert svg.startswith("<svg")
    import segno

    assert segno.make(registration.ticket_code, error="m").designator in {"1-M", "2-M", "3-M"}


def test_ticket_download_only_when_confirmed():
    event = make_event(capacity=1)
    holder = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    response = client_for(holder.attendee).get(f"/events/registrations/{holder.pk}/ticket.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")
    missing = client_for(waiting.attendee).get(f"/events/registrations/{waiting.pk}/ticket.pdf")
    assert missing.status_code == 404


def test_invoice_pdf_shows_lines_discount_and_total():
    event = make_event(title="Boot camp")
    paid = make_ticket_type(event, name="Boot camp seat", price="400")
    make_discount_code(event, code="EARLY", kind=DiscountKind.AMOUNT, value="50")
    registration = register(
        make_attendee(display_name="Nora Nurse"), event, ticket_type=paid, discount_code="early"
    )
    order = registration.order
    text = text_of(invoice_pdf(order))
    assert str(order.invoice_number) in text
    assert "Nora Nurse" in text
    assert "Boot camp seat" in text
    assert "400.00 USD" in text
    assert "-50.00 USD" in text
    assert "350.00 USD" in text
    assert "Please pay by the due date" in text


def test_invoice_download_gates():
    event = make_event()
    paid = make_ticket_type(event, name="Paid", price="10")
    registration = register(make_attendee(), event, ticket_type=paid)
    reference = registration.order.reference
    own = client_for(registration.attendee).get(f"/events/orders/{reference}/invoice.pdf")
    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    other = client_for(make_attendee()).get(f"/events/orders/{reference}/invoice.pdf")
    assert other.status_code == 404
    free = register(make_attendee(), event)
    no_invoice = client_for(free.attendee).get(f"/events/orders/{free.order.reference}/invoice.pdf")
    assert no_invoice.status_code == 404


def test_group_invoice_is_seen_by_the_organizations_leaders_not_the_attendees():
    leader = make_attendee()
    organization = make_organization(leader=leader)
    staff = make_staff()
    member = make_attendee()
    membership_add(actor=staff, organization=organization, email=member.email)
    event = make_event()
    paid = make_ticket_type(event, name="Paid", price="10")
    made = services.group_registration_create(
        actor=leader, event=event, ticket_type=paid, organization=organization, attendees=[member]
    )
    reference = made[0].order.reference
    assert client_for(leader).get(f"/events/orders/{reference}/invoice.pdf").status_code == 200
    assert client_for(member).get(f"/events/orders/{reference}/invoice.pdf").status_code == 404
