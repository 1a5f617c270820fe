"""Organizer services: events, publishing, cancelling, series, tickets, codes, questions, orders,
messages. Every refusal leaves the data as it was."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from townsquare.academy.models import CreditActivity
from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord
from townsquare.core.search import search_ids

from ..models import (
    DiscountCode,
    Event,
    EventMessage,
    EventStatus,
    MessageAudience,
    Order,
    OrderStatus,
    RegistrationStatus,
    TicketType,
)
from ..services import events as services
from ..services import messages as message_services
from ..services import ticketing
from ..services.events import CreditFields
from ..services.ticketing import DiscountCodeFields, QuestionFields, TicketTypeFields
from .factories import (
    fill,
    make_attendee,
    make_event,
    make_organizer,
    make_question,
    make_ticket_type,
    register,
)
from .support_organizer import event_fields, future, png_upload

pytestmark = pytest.mark.django_db


# Creating and editing ----------------------------------------------------------------------------


def test_an_instructor_creates_a_draft_event_and_organizes_it():
    instructor = make_organizer()
    colleague = make_user(email="colleague@example.org")
    event = services.event_create(
        actor=instructor,
        fields=event_fields(organizer_emails=["Colleague@example.org"], cover_image=png_upload()),
    )
    assert event.status == EventStatus.DRAFT
    assert event.slug == "social-media-for-nurses"
    assert set(event.organizers.all()) == {instructor, colleague}
    assert str(event.cover_image.name).endswith(".png")
    assert AuditRecord.objects.filter(action="events.event.created").count() == 1


def test_a_member_may_not_create_events():
    with pytest.raises(PermissionRefused):
        services.event_create(actor=make_attendee(), fields=event_fields())
    assert Event.objects.count() == 0


@pytest.mark.parametrize("title", ["Manage", "Registrations", "Series", "API"])
def test_slugs_never_take_a_reserved_name(title):
    event = services.event_create(actor=make_organizer(), fields=event_fields(title=title))
    assert event.slug not in services.RESERVED_SLUGS
    assert event.slug == f"{title.lower()}-2"


def test_slugs_are_unique():
    first = services.event_create(actor=make_organizer(), fields=event_fields())
    second = services.event_create(actor=make_organizer(), fields=event_fields())
    assert (first.slug, second.slug) == ("social-media-for-nurses", "social-media-for-nurses-2")


def test_bad_fields_are_all_reported_at_once():
    starts_at = future()
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(
            actor=make_organizer(),
            fields=event_fields(
                title=" ",
                starts_at=starts_at,
                ends_at=starts_at,
                capacity=0,
                time_zone="Mars/Olympus",
                offer_hours=0,
            ),
        )
    assert set(caught.value.field_errors) == {
        "title",
        "ends_at",
        "capacity",
        "time_zone",
        "offer_hours",
    }
    assert Event.objects.count() == 0


def test_unknown_organizers_are_refused():
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(
            actor=make_organizer(), fields=event_fields(organizer_emails=["nobody@example.org"])
        )
    assert caught.value.field_errors["organizers"] == [
        "No one with these addresses has an account here: nobody@example.org."
    ]


def test_a_cover_that_is_not_an_image_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationFailed) as caught:
        services.event_create(
            actor=make_organizer(),
            fields=event_fields(cover_image=SimpleUploadedFile("cover.png", b"not an image")),
        )
    assert "cover_image" in caught.value.field_errors
    assert Event.objects.count() == 0


def test_capacity_never_goes_below_the_seats_taken():
    organizer = make_organizer()
    event = make_event(capacity=3, organizers=(organizer,))
    fill(event, 3)
    fields = event_fields(
        starts_at=event.starts_at, ends_at=event.ends_at, capacity=2, title=event.title
    )
    with pytest.raises(ValidationFailed) as caught:
        services.event_update(actor=organizer, event=event, fields=fields)
    assert caught.value.field_errors["capacity"] == [
        "3 seats are taken already; the capacity cannot be less than that."
    ]
    event.refresh_from_db()
    assert event.capacity == 3


def test_more_capacity_goes_to_the_waiting_list():
    organizer = make_organizer()
    event = make_event(capacity=1, organizers=(organizer,), waitlist_mode="auto_confirm")
    fill(event, 1)
    waiting = register(make_attendee(), event)
    assert waiting.status == RegistrationStatus.WAITLISTED
    fields = event_fields(
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        capacity=2,
        title=event.title,
        organizer_emails=[organizer.email],
        waitlist_mode="auto_confirm",
    )
    services.event_update(actor=organizer, event=event, fields=fields)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED


def test_another_instructor_may_not_edit_the_event():
    event = make_event(organizers=(make_organizer(),))
    with pytest.raises(PermissionRefused):
        services.event_update(actor=make_organizer(), event=event, fields=event_fields())


def test_credit_goes_through_the_academy_service_and_is_kept_on_edit():
    organizer = make_organizer()
    credit = CreditFields(
        credit_type="nursing", max_hours=Decimal("2.5"), objectives="Stream safely"
    )
    event = services.event_create(
        actor=organizer, fields=event_fields(credit=credit, certificate_hours=Decimal("3"))
    )
    assert event.credit_activity is not None
    activity_id = event.credit_activity_id
    assert event.credit_activity.title == "Social media for nurses"
    credit.max_hours = Decimal("3")
    services.event_update(
        actor=organizer,
        event=event,
        fields=event_fields(
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            credit=credit,
            organizer_emails=[organizer.email],
        ),
    )
    event.refresh_from_db()
    assert event.credit_activity_id == activity_id
    assert CreditActivity.objects.get().max_hours == Decimal("3")


def test_bad_credit_is_reported_on_the_credit_fields():
    with pytest.raises(ValidationFailed) as caught:
        services.event_create(
            actor=make_organizer(),
            fields=event_fields(
                credit=CreditFields(credit_type="nursing", max_hours=Decimal("1.1"), objectives="")
            ),
        )
    assert set(caught.value.field_errors) == {"credit_max_hours", "credit_objectives"}
    assert Event.objects.count() == 0


# Publishing and cancelling -------------------------------------------------------------------


def test_publish_lists_every_problem_at_once():
    organizer = make_organizer()
    event = make_event(
        published=False,
        with_ticket=False,
        organizers=(organizer,),
        event_format="webinar",
        registration_closes_at=timezone.now() - datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationFailed) as caught:
        services.event_publish(actor=organizer, event=event)
    assert caught.value.field_errors["publish"] == [
        "Add at least one active ticket type.",
        "Registration closes before now; move the closing time later.",
        "An online event needs a join link (shown to confirmed attendees only).",
    ]
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_publishing_indexes_the_event_for_search():
    organizer = make_organizer()
    event = make_event(published=False, organizers=(organizer,), venue_name="Hall A")
    services.event_publish(actor=organizer, event=event)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.published_at is not None
    assert event.pk in search_ids(services.SEARCH_KIND, event.title)


def test_cancelling_emails_everyone_registered_and_frees_them(django_capture_on_commit_callbacks):
    organizer = make_organizer()
    event = make_event(capacity=1, organizers=(organizer,), venue_name="Hall A")
    services.event_search_sync(event=event)
    confirmed = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = services.event_cancel(actor=organizer, event=event, reason="The speaker is ill.")
    assert told == 2
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    for registration in (confirmed, waiting):
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.CANCELLED
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [confirmed.attendee.email, waiting.attendee.email]
    )
    assert all("The speaker is ill." in message.body for message in mail.outbox)
    assert event.pk not in search_ids(services.SEARCH_KIND, event.title)
    with pytest.raises(Conflict):
        services.event_cancel(actor=organizer, event=event)


# Series ----------------------------------------------------------------------------------------


def test_series_are_created_and_renamed_with_unique_titles():
    staff = make_staff()
    series = services.series_save(actor=staff, series=None, title="Webinar Wednesdays")
    assert series.slug == "webinar-wednesdays"
    services.series_save(actor=staff, series=series, title="Webinar Wednesdays", is_bundle=True)
    series.refresh_from_db()
    assert series.is_bundle is True
    with pytest.raises(ValidationFailed):
        services.series_save(actor=staff, series=None, title="webinar wednesdays")
    with pytest.raises(PermissionRefused):
        services.series_save(actor=make_attendee(), series=None, title="Mine")


# Tickets ---------------------------------------------------------------------------------------


def test_ticket_types_are_validated():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    starts = future(5)
    with pytest.raises(ValidationFailed) as caught:
        ticketing.ticket_type_save(
            actor=organizer,
            event=event,
            ticket_type=None,
            fields=TicketTypeFields(
                name="general admission",
                price=Decimal("-1"),
                capacity=0,
                sales_start=starts,
                sales_end=starts,
            ),
        )
    assert set(caught.value.field_errors) == {"name", "price", "capacity", "sales_end"}
    ticket = ticketing.ticket_type_save(
        actor=organizer,
        event=event,
        ticket_type=None,
        fields=TicketTypeFields(name="Student", price=Decimal("25"), capacity=5),
    )
    assert ticket.price == Decimal("25")


def test_a_quota_never_goes_below_the_tickets_taken():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    ticket = event.ticket_types.get()
    fill(event, 2)
    with pytest.raises(ValidationFailed) as caught:
        ticketing.ticket_type_save(
            actor=organizer,
            event=event,
            ticket_type=ticket,
            fields=TicketTypeFields(name=ticket.name, capacity=1),
        )
    assert caught.value.field_errors["capacity"] == [
        "2 of these tickets are taken; the quota cannot be less."
    ]


def test_a_used_ticket_type_cannot_be_deleted_but_an_unused_one_can():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    used = event.ticket_types.get()
    register(make_attendee(), event)
    with pytest.raises(Conflict):
        ticketing.ticket_type_delete(actor=organizer, ticket_type=used)
    unused = make_ticket_type(event, name="Spare")
    ticketing.ticket_type_delete(actor=organizer, ticket_type=unused)
    assert list(TicketType.objects.filter(event=event)) == [used]


# Discount codes --------------------------------------------------------------------------------


def test_discount_codes_are_normalized_and_validated():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    other_ticket = make_ticket_type(make_event(), name="Elsewhere")
    with pytest.raises(ValidationFailed) as caught:
        ticketing.discount_code_save(
            actor=organizer,
            event=event,
            discount_code=None,
            fields=DiscountCodeFields(
                code="x!", kind="percent", value=Decimal("150"), ticket_types=[other_ticket]
            ),
        )
    assert set(caught.value.field_errors) == {"code", "value", "ticket_types"}
    code = ticketing.discount_code_save(
        actor=organizer,
        event=event,
        discount_code=None,
        fields=DiscountCodeFields(code="early-bird", kind="amount", value=Decimal("10")),
    )
    assert code.code == "EARLY-BIRD"
    with pytest.raises(ValidationFailed):
        ticketing.discount_code_save(
            actor=organizer,
            event=event,
            discount_code=None,
            fields=DiscountCodeFields(code="Early-Bird", kind="amount", value=Decimal("5")),
        )
    ticketing.discount_code_delete(actor=organizer, discount_code=code)
    assert DiscountCode.objects.count() == 0


def test_max_uses_never_goes_below_the_uses():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    code = ticketing.discount_code_save(
        actor=organizer,
        event=event,
        discount_code=None,
        fields=DiscountCodeFields(code="HALF", kind="percent", value=Decimal("50")),
    )
    DiscountCode.objects.filter(pk=code.pk).update(used_count=3)
    with pytest.raises(ValidationFailed) as caught:
        ticketing.discount_code_save(
            actor=organizer,
            event=event,
            discount_code=code,
            fields=DiscountCodeFields(code="HALF", kind="percent", value=Decimal("50"), max_uses=2),
        )
    assert "max_uses" in caught.value.field_errors


# Questions -------------------------------------------------------------------------------------


def test_choice_questions_need_two_options():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    with pytest.raises(ValidationFailed) as caught:
        ticketing.question_save(
            actor=organizer,
            event=event,
            question=None,
            fields=QuestionFields(label="T-shirt size", kind="choice", options="M"),
        )
    assert list(caught.value.field_errors) == ["options"]
    question = ticketing.question_save(
        actor=organizer,
        event=event,
        question=None,
        fields=QuestionFields(label="T-shirt size", kind="choice", options="S\nM\n\nM\nL"),
    )
    assert question.option_list == ["S", "M", "L"]


def test_an_answered_question_cannot_be_deleted():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    question = make_question(event)
    register(make_attendee(), event, answers={str(question.pk): "Vegan"})
    with pytest.raises(Conflict):
        ticketing.question_delete(actor=organizer, question=question)
    unanswered = make_question(event, label="Anything else?")
    ticketing.question_delete(actor=organizer, question=unanswered)
    assert list(event.questions.all()) == [question]


# Orders ----------------------------------------------------------------------------------------


def test_an_unpaid_order_is_marked_paid_once():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,), with_ticket=False)
    make_ticket_type(event, name="Paid", price="40")
    registration = register(make_attendee(), event)
    order = Order.objects.get(pk=registration.order_id)
    assert order.status == OrderStatus.UNPAID
    with pytest.raises(PermissionRefused):
        ticketing.order_mark_paid(actor=make_organizer(), order=order)
    ticketing.order_mark_paid(actor=organizer, order=order)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.paid_at is not None
    assert ticketing.order_mark_paid(actor=organizer, order=order).status == OrderStatus.PAID


def test_a_free_order_cannot_be_marked_paid():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    registration = register(make_attendee(), event)
    with pytest.raises(Conflict):
        ticketing.order_mark_paid(actor=organizer, order=registration.order)


# Messages --------------------------------------------------------------------------------------


def test_messages_go_to_their_audience_and_are_kept(django_capture_on_commit_callbacks):
    organizer = make_organizer()
    event = make_event(capacity=1, organizers=(organizer,))
    confirmed = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = message_services.message_send(
            actor=organizer,
            event=event,
            audience=MessageAudience.WAITLISTED,
            subject="Room change",
            body="We moved to a bigger room.",
        )
    assert sent.recipient_count == 1
    assert [message.to for message in mail.outbox] == [[waiting.attendee.email]]
    assert confirmed.attendee.email not in mail.outbox[0].to
    assert EventMessage.objects.get().audience == MessageAudience.WAITLISTED
    assert message_services.audience_counts(event=event) == {
        "confirmed": 1,
        "waitlisted": 1,
        "attended": 0,
        "not_attended": 1,
    }


def test_an_empty_audience_or_message_is_refused():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    with pytest.raises(ValidationFailed) as caught:
        message_services.message_send(
            actor=organizer, event=event, audience="attended", subject="Hi", body="Thanks"
        )
    assert "audience" in caught.value.field_errors
    with pytest.raises(ValidationFailed) as caught:
        message_services.message_send(
            actor=organizer, event=event, audience="everyone", subject="", body=""
        )
    assert set(caught.value.field_errors) == {"audience", "subject", "body"}
    with pytest.raises(PermissionRefused):
        message_services.message_send(
            actor=make_attendee(), event=event, audience="confirmed", subject="x", body="y"
        )
    assert EventMessage.objects.count() == 0
