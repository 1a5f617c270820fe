"""The events back office: every model is there, and what services write stays read-only."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from townsquare.accounts.tests.factories import make_staff, make_user

from ..models import (
    CalendarToken,
    DiscountCode,
    Event,
    EventMessage,
    Feedback,
    Order,
    Proposal,
    ProposalReview,
    Registration,
    ScheduleItem,
)
from .factories import make_attendee, make_discount_code, make_event, make_question, register

pytestmark = pytest.mark.django_db

READ_ONLY = (
    Registration,
    Order,
    CalendarToken,
    EventMessage,
    Feedback,
    Proposal,
    ProposalReview,
    ScheduleItem,
)


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:events_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def superuser_client(client):
    staff = make_staff(email="backoffice@example.org")
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    client.force_login(staff)
    return client


@pytest.fixture
def world():
    event = make_event(capacity=1)
    make_question(event)
    make_discount_code(event)
    first, second = make_attendee(), make_attendee()
    confirmed = register(first, event)
    waiting = register(second, event)
    return event, confirmed, waiting


def test_every_events_model_is_in_the_back_office():
    registered = {model for model in admin.site._registry if model._meta.app_label == "events"}
    assert registered == set(apps.get_app_config("events").get_models())


@pytest.mark.parametrize("model", sorted(apps.get_app_config("events").get_models(), key=str))
def test_every_list_opens_and_searches(superuser_client, world, model):
    response = superuser_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    if admin.site._registry[model].search_fields:
        assert (
            superuser_client.get(_url(model, "changelist"), {"q": "x' OR 1=1"}).status_code == 200
        )


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_rows_written_by_services_cannot_be_added_changed_or_deleted(model, superuser_client):
    model_admin = admin.site._registry[model]
    request = superuser_client.get("/").wsgi_request
    request.user = make_staff()
    request.user.is_superuser = True
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert superuser_client.get(_url(model, "add")).status_code == 403


def test_a_registration_is_shown_but_not_editable_and_its_ticket_code_never_appears(
    superuser_client, world
):
    _, confirmed, _ = world
    response = superuser_client.get(_url(Registration, "change", confirmed.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert confirmed.ticket_code not in body
    assert 'name="status"' not in body  # shown as text, not a field
    posted = superuser_client.post(
        _url(Registration, "change", confirmed.pk), {"status": "cancelled"}
    )
    assert posted.status_code == 403
    confirmed.refresh_from_db()
    assert confirmed.status == "confirmed"
    assert superuser_client.post(_url(Registration, "delete", confirmed.pk)).status_code == 403
    assert Registration.objects.filter(pk=confirmed.pk).exists()


def test_an_order_shows_its_registrations(superuser_client, world):
    _, confirmed, _ = world
    response = superuser_client.get(_url(Order, "change", confirmed.order_id))
    assert response.status_code == 200
    assert confirmed.attendee.display_name in response.content.decode()


def test_staff_edit_an_event_but_not_its_status_or_capacity(superuser_client, world):
    event, _, _ = world
    response = superuser_client.get(_url(Event, "change", event.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="title"' in body
    assert 'name="capacity"' not in body
    assert 'name="status"' not in body
    assert superuser_client.get(_url(Event, "add")).status_code == 200


def test_a_discount_codes_use_count_is_not_editable(superuser_client, world):
    event, _, _ = world
    code = DiscountCode.objects.get(event=event)
    response = superuser_client.get(_url(DiscountCode, "change", code.pk))
    assert response.status_code == 200
    assert 'name="used_count"' not in response.content.decode()


def test_people_without_staff_access_are_sent_to_sign_in(client, world):
    client.force_login(make_user())
    response = client.get(_url(Registration, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
