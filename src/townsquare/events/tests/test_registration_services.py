"""The lead's registration services (``services/registrations.py``): every rule and refusal.

Each refusal is checked to change nothing: registrations, orders, code uses and the audit log are
snapshotted before and compared after."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from townsquare.academy.models import AccessTier
from townsquare.accounts.models import Role
from townsquare.accounts.services import membership_add
from townsquare.accounts.tests.factories import make_organization, make_user
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

from ..models import (
    DiscountCode,
    DiscountKind,
    EventStatus,
    Order,
    OrderStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
    WaitlistMode,
)
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

NOW = timezone.now


def snapshot() -> tuple:
    return (
        list(
            Registration.objects.order_by("pk").values_list(
                "pk", "status", "attendee_id", "ticket_code", "offer_expires_at", "checked_in_at"
            )
        ),
        list(Order.objects.order_by("pk").values_list("pk", "status", "total", "invoice_number")),
        list(DiscountCode.objects.order_by("pk").values_list("pk", "used_count")),
        AuditRecord.objects.count(),
    )


def refused(error_type, call, *args, match: str | None = None, **kwargs):
    """Run ``call``; it must raise ``error_type`` (message matching) and change nothing."""
    before = snapshot()
    with pytest.raises(error_type, match=match) as caught:
        call(*args, **kwargs)
    assert snapshot() == before
    return caught.value


def create(user, event, ticket_type=None, **kwargs):
    ticket_type = ticket_type or event.ticket_types.order_by("pk").first()
    return services.registration_create(actor=user, event=event, ticket_type=ticket_type, **kwargs)


# Confirmed, waitlisted, full ------------------------------------------------------------------


def test_a_free_seat_confirms_and_records():
    event = make_event(capacity=2)
    person = make_attendee()
    result = create(person, event, request_key="k1")
    registration = result.registration
    assert result.created is True
    assert result.position is None
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.confirmed_at is not None
    assert registration.waitlisted_at is None
    assert len(registration.ticket_code) == 24
    assert registration.order.status == OrderStatus.FREE
    assert registration.order.invoice_number is None
    assert AuditRecord.objects.filter(
        action="events.registration.created", target_id=str(registration.pk)
    ).exists()
    assert services.seats_taken(event) == 1
    assert services.seats_free(event) == 1


def test_confirmation_email_carries_the_calendar_file(django_capture_on_commit_callbacks):
    event = make_event(capacity=2)
    person = make_attendee()
    with django_capture_on_commit_callbacks(execute=True):
        create(person, event)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.subject == f"You are registered: {event.title}"
    assert message.attachments[0][0] == f"{event.slug}.ics"


def test_when_full_people_join_the_waiting_list_in_order(django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    fill(event)
    first, second = make_attendee(), make_attendee()
    with django_capture_on_commit_callbacks(execute=True):
        one = create(first, event)
        two = create(second, event)
    assert one.registration.status == RegistrationStatus.WAITLISTED
    assert one.position == 1
    assert two.position == 2
    assert services.waitlist_position(two.registration) == 2
    assert mail.outbox[-1].subject == f"On the waiting list: {event.title}"
    assert "number 2 in line" in mail.outbox[-1].body


def test_waiting_list_order_breaks_ties_by_id():
    event = make_event(capacity=1)
    fill(event)
    a = register(make_attendee(), event)
    b = register(make_attendee(), event)
    Registration.objects.filter(pk__in=[a.pk, b.pk]).update(waitlisted_at=a.waitlisted_at)
    a.refresh_from_db()
    b.refresh_from_db()
    assert services.waitlist_position(a) == 1
    assert services.waitlist_position(b) == 2


def test_no_waitlist_mode_refuses_when_full():
    event = make_event(capacity=1, waitlist_mode=WaitlistMode.NONE)
    fill(event)
    refused(Conflict, create, make_attendee(), event, match="full and has no waiting list")


def test_ticket_quota_limits_before_event_capacity():
    event = make_event(capacity=10)
    vip = make_ticket_type(event, name="VIP", capacity=1)
    register(make_attendee(), event, ticket_type=vip)
    later = create(make_attendee(), event, vip)
    assert later.registration.status == RegistrationStatus.WAITLISTED
    assert services.seats_free(event, vip) == 0
    assert services.seats_free(event) == 9


def test_waitlist_position_is_none_unless_waiting():
    event = make_event(capacity=1)
    confirmed = register(make_attendee(), event)
    assert services.waitlist_position(confirmed) is None


# The window, the event, the ticket ------------------------------------------------------------


def test_registration_before_the_window_opens_is_refused():
    event = make_event(registration_opens_at=NOW() + datetime.timedelta(days=1))
    refused(ValidationFailed, create, make_attendee(), event, match="has not opened yet")


def test_registration_after_the_window_closes_is_refused():
    event = make_event(registration_closes_at=NOW() - datetime.timedelta(minutes=1))
    refused(ValidationFailed, create, make_attendee(), event, match="has closed")


def test_registration_closes_at_the_start_by_default():
    event = make_event(starts_in=datetime.timedelta(days=1))
    event.starts_at = NOW() - datetime.timedelta(minutes=5)
    event.ends_at = NOW() + datetime.timedelta(hours=1)
    event.save()
    refused(ValidationFailed, create, make_attendee(), event, match="has closed")


def test_cancelled_event_refuses():
    event = make_event()
    event.status = EventStatus.CANCELLED
    event.save()
    refused(ValidationFailed, create, make_attendee(), event, match="has been cancelled")


def test_draft_event_does_not_exist_for_registration():
    event = make_event(published=False)
    refused(NotFound, create, make_attendee(), event)


def test_ticket_of_another_event_is_refused():
    event = make_event()
    other = make_event()
    error = refused(
        ValidationFailed,
        create,
        make_attendee(),
        event,
        other.ticket_types.get(),
        match="Choose one of this event's tickets",
    )
    assert error.field_errors == {"ticket_type": ["Choose one of this event's tickets."]}


def test_inactive_ticket_is_refused():
    event = make_event()
    ticket = make_ticket_type(event, name="Old", is_active=False)
    refused(ValidationFailed, create, make_attendee(), event, ticket)


def test_ticket_sales_window():
    event = make_event()
    early = make_ticket_type(event, name="Later", sales_start=NOW() + datetime.timedelta(days=1))
    late = make_ticket_type(
        event,
        name="Early bird",
        sales_start=NOW() - datetime.timedelta(days=5),
        sales_end=NOW() - datetime.timedelta(days=1),
    )
    refused(ValidationFailed, create, make_attendee(), event, early, match="not on sale yet")
    refused(ValidationFailed, create, make_attendee(), event, late, match="no longer on sale")


def test_tier_lacking_is_refused():
    event = make_event(tier=AccessTier.PREMIUM)
    refused(PermissionRefused, create, make_attendee(), event, match="premium members")


def test_patient_cannot_register_for_a_members_event_but_can_for_a_public_one():
    patient = make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver")
    members = make_event(tier=AccessTier.MEMBER)
    refused(PermissionRefused, create, patient, members)
    public = make_event(tier=AccessTier.PUBLIC)
    assert create(patient, public).registration.status == RegistrationStatus.CONFIRMED


def test_members_only_ticket_needs_a_member_organization():
    event = make_event()
    ticket = make_ticket_type(event, name="Member rate", members_only=True)
    loner = make_attendee()
    refused(PermissionRefused, create, loner, event, ticket, match="member organization")
    organization = make_organization()
    membership_add(actor=make_staff_user(), organization=organization, email=loner.email)
    loner = type(loner).objects.get(pk=loner.pk)  # a fresh object: no cached answer
    assert create(loner, event, ticket).registration.ticket_type == ticket


def test_ticket_minimum_tier():
    event = make_event(tier=AccessTier.MEMBER)
    ticket = make_ticket_type(event, name="Premium seat", minimum_tier=AccessTier.PREMIUM)
    refused(PermissionRefused, create, make_attendee(), event, ticket, match="premium")


def make_staff_user():
    from townsquare.accounts.tests.factories import make_staff

    return make_staff()


# Twice, request keys ---------------------------------------------------------------------------


def test_registering_twice_is_refused_with_the_existing_id():
    event = make_event()
    person = make_attendee()
    first = register(person, event)
    error = refused(Conflict, create, person, event, match="already registered")
    assert error.extra == {"registration_id": first.pk}


def test_registering_twice_while_waiting_is_refused():
    event = make_event(capacity=1)
    fill(event)
    person = make_attendee()
    register(person, event)
    refused(Conflict, create, person, event, match="On the waiting list")


def test_registering_again_after_cancelling_is_allowed():
    event = make_event()
    person = make_attendee()
    first = register(person, event)
    services.registration_cancel(actor=person, registration=first)
    again = create(person, event)
    assert again.created is True
    assert again.registration.pk != first.pk


def test_request_key_retry_returns_the_same_registration():
    event = make_event()
    person = make_attendee()
    first = create(person, event, request_key="same-key")
    before = snapshot()
    second = create(person, event, request_key="  same-key ")
    assert second.created is False
    assert second.registration.pk == first.registration.pk
    assert snapshot() == before


def test_request_key_retry_of_a_waitlisted_registration_gives_its_position():
    event = make_event(capacity=1)
    fill(event)
    person = make_attendee()
    create(person, event, request_key="wait-key")
    again = create(person, event, request_key="wait-key")
    assert again.created is False
    assert again.position == 1


def test_request_key_of_someone_else_is_refused():
    event = make_event()
    create(make_attendee(), event, request_key="shared")
    refused(Conflict, create, make_attendee(), event, match="someone else", request_key="shared")


def test_request_key_longer_than_64_is_refused():
    event = make_event()
    refused(ValidationFailed, create, make_attendee(), event, request_key="x" * 65)


# Questions --------------------------------------------------------------------------------------


def test_answers_are_cleaned_and_stored():
    event = make_event()
    diet = make_question(event, label="Dietary needs")
    choice = make_question(
        event, label="Workshop", kind=QuestionKind.CHOICE, options="A\nB\n", is_required=True
    )
    photo = make_question(event, label="Photos OK?", kind=QuestionKind.YES_NO)
    answers = {str(diet.pk): "  vegan ", str(choice.pk): "B", str(photo.pk): True, "999": "x"}
    registration = create(make_attendee(), event, answers=answers).registration
    assert registration.answers == {
        str(diet.pk): "vegan",
        str(choice.pk): "B",
        str(photo.pk): "yes",
    }


@pytest.mark.parametrize(
    ("kind", "options", "value", "message"),
    [
        (QuestionKind.TEXT, "", "", "Answer “Q”."),
        (QuestionKind.CHOICE, "A\nB", "C", "Choose one of: A, B."),
        (QuestionKind.YES_NO, "", "maybe", "Answer yes or no."),
        (QuestionKind.TEXT, "", "x" * 1001, "Keep the answer under 1000 characters."),
    ],
)
def test_bad_answers_are_refused_per_field(kind, options, value, message):
    event = make_event()
    question = make_question(event, label="Q", kind=kind, options=options, is_required=True)
    error = refused(
        ValidationFailed, create, make_attendee(), event, answers={str(question.pk): value}
    )
    assert error.field_errors == {f"question_{question.pk}": [message]}


# Discount codes and prices ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "kind", "value", "expected"),
    [
        ("100.00", DiscountKind.PERCENT, "20", "80.00"),
        ("99.99", DiscountKind.PERCENT, "15", "84.99"),  # 14.9985 off rounds half up to 15.00
        ("10.00", DiscountKind.PERCENT, "100", "0.00"),
        ("50.00", DiscountKind.AMOUNT, "12.50", "37.50"),
        ("10.00", DiscountKind.AMOUNT, "25", "0.00"),  # never below zero
        ("0", DiscountKind.PERCENT, "50", "0"),
    ],
)
def test_discount_arithmetic(price, kind, value, expected):
    code = DiscountCode(kind=kind, value=Decimal(value))
    assert services.discounted_price(Decimal(price), code) == Decimal(expected)


def test_a_cancelled_registration_gives_its_code_use_back():
    event = make_event()
    make_discount_code(event, code="ONCE", max_uses=1)
    first = create(make_attendee(), event, discount_code="once").registration
    refused(ValidationFailed, create, make_attendee(), event, discount_code="ONCE", match="used up")
    services.registration_cancel(actor=first.attendee, registration=first)
    assert DiscountCode.objects.get(code="ONCE").used_count == 0
    again = create(make_attendee(), event, discount_code="ONCE").registration
    assert again.order.discount_code.code == "ONCE"


def test_a_retried_key_never_returns_someone_elses_registration():
    event = make_event()
    mine = create(make_attendee(), event, request_key="shared-key").registration
    refused(Conflict, create, make_attendee(), event, request_key="shared-key")
    assert Registration.objects.filter(event=event).count() == 1
    assert mine.request_key == "shared-key"


def test_no_code_keeps_the_price():
    assert services.discounted_price(Decimal("12.34"), None) == Decimal("12.34")


def test_a_code_lowers_the_price_counts_a_use_and_invoices_the_rest():
    event = make_event()
    paid = make_ticket_type(event, name="Paid", price="200.00")
    make_discount_code(event, code="NURSE25", kind=DiscountKind.PERCENT, value="25", max_uses=2)
    registration = create(make_attendee(), event, paid, discount_code=" nurse25 ").registration
    order = registration.order
    assert registration.price == Decimal("150.00")
    assert (order.subtotal, order.discount_total, order.total) == (
        Decimal("200.00"),
        Decimal("50.00"),
        Decimal("150.00"),
    )
    assert order.status == OrderStatus.UNPAID
    assert order.discount_code.code == "NURSE25"
    assert DiscountCode.objects.get(code="NURSE25").used_count == 1
    assert order.invoice_number == f"INV-{timezone.now():%Y}-{order.pk:07d}"
    expected_due = min(
        timezone.localdate() + datetime.timedelta(days=services.INVOICE_DAYS),
        timezone.localdate(event.starts_at),
    )
    assert order.invoice_due_on == expected_due


def test_full_discount_makes_a_free_order_without_invoice():
    event = make_event()
    paid = make_ticket_type(event, name="Paid", price="80")
    make_discount_code(event, code="GUEST", kind=DiscountKind.PERCENT, value="100")
    order = create(make_attendee(), event, paid, discount_code="guest").registration.order
    assert order.status == OrderStatus.FREE
    assert order.total == 0
    assert order.invoice_number is None


def test_invoice_numbers_are_unique_per_order():
    event = make_event()
    paid = make_ticket_type(event, name="Paid", price="10")
    numbers = {create(make_attendee(), event, paid).registration.order.invoice_number for _ in "ab"}
    assert len(numbers) == 2


def test_a_waitlisted_paid_registration_is_invoiced_only_once_confirmed():
    event = make_event(capacity=1, waitlist_mode=WaitlistMode.AUTO_CONFIRM)
    paid = make_ticket_type(event, name="Paid", price="10")
    holder = register(make_attendee(), event, ticket_type=paid)
    waiting = register(make_attendee(), event, ticket_type=paid)
    assert waiting.order.invoice_number is None
    services.registration_cancel(actor=holder.attendee, registration=holder)
    waiting.refresh_from_db()
    waiting.order.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert waiting.order.invoice_number is not None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"valid_until": "past"}, "has expired"),
        ({"valid_from": "future"}, "is not valid yet"),
        ({"max_uses": 1, "used_count": 1}, "has been used up"),
    ],
)
def test_unusable_codes_are_refused(fields, message):
    event = make_event()
    values = dict(fields)
    if values.get("valid_until") == "past":
        values["valid_until"] = NOW() - datetime.timedelta(minutes=1)
    if values.get("valid_from") == "future":
        values["valid_from"] = NOW() + datetime.timedelta(days=1)
    make_discount_code(event, code="CODE", **values)
    error = refused(ValidationFailed, create, make_attendee(), event, discount_code="code")
    assert message in error.field_errors["discount_code"][0]


def test_unknown_code_is_refused():
    event = make_event()
    other = make_event()
    make_discount_code(other, code="ELSEWHERE")
    error = refused(ValidationFailed, create, make_attendee(), event, discount_code="elsewhere")
    assert error.field_errors == {
        "discount_code": ["“elsewhere” is not a discount code for this event."]
    }


def test_code_not_applicable_to_the_ticket_is_refused():
    event = make_event()
    general = event.ticket_types.get()
    vip = make_ticket_type(event, name="VIP", price="50")
    code = make_discount_code(event, code="VIPONLY")
    code.ticket_types.set([vip])
    refused(
        ValidationFailed,
        create,
        make_attendee(),
        event,
        general,
        discount_code="viponly",
        match="does not apply",
    )
    assert create(make_attendee(), event, vip, discount_code="viponly").registration.price == 40


# Cancelling ------------------------------------------------------------------------------------


def test_cancel_frees_the_seat_and_the_order(django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    person = make_attendee()
    registration = register(person, event)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.registration_cancel(
            actor=person, registration=registration, reason="  Ill  "
        )
    assert cancelled.status == RegistrationStatus.CANCELLED
    assert cancelled.cancelled_reason == "Ill"
    assert cancelled.order.status == OrderStatus.CANCELLED
    assert services.seats_free(event) == 1
    assert mail.outbox[-1].subject == f"Registration cancelled: {event.title}"
    assert AuditRecord.objects.filter(action="events.registration.cancelled").count() == 1


def test_cancelling_twice_returns_the_cancelled_registration_unchanged():
    event = make_event()
    person = make_attendee()
    registration = register(person, event)
    services.registration_cancel(actor=person, registration=registration)
    before = snapshot()
    again = services.registration_cancel(actor=person, registration=registration)
    assert again.status == RegistrationStatus.CANCELLED
    assert snapshot() == before


def test_cancel_after_the_deadline_is_refused_for_the_attendee_but_not_the_organizer():
    organizer = make_organizer()
    event = make_event(
        organizers=(organizer,), cancellation_deadline=NOW() - datetime.timedelta(hours=1)
    )
    person = make_attendee()
    registration = register(person, event)
    refused(
        ValidationFailed,
        services.registration_cancel,
        actor=person,
        registration=registration,
        match="cancellation deadline has passed",
    )
    done = services.registration_cancel(actor=organizer, registration=registration)
    assert done.status == RegistrationStatus.CANCELLED


def test_leaving_the_waiting_list_is_allowed_after_the_deadline():
    event = make_event(capacity=1, cancellation_deadline=NOW() - datetime.timedelta(hours=1))
    fill(event)
    person = make_attendee()
    waiting = register(person, event)
    assert services.registration_cancel(actor=person, registration=waiting).status == "cancelled"


def test_someone_else_cannot_cancel():
    event = make_event()
    registration = register(make_attendee(), event)
    refused(
        PermissionRefused,
        services.registration_cancel,
        actor=make_attendee(),
        registration=registration,
    )


def test_a_checked_in_registration_cannot_be_cancelled():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    registration = register(make_attendee(), event)
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=NOW())
    refused(
        Conflict,
        services.registration_cancel,
        actor=organizer,
        registration=registration,
        match="already checked in",
    )


# Offers -----------------------------------------------------------------------------------------


def offered_world(*, offer_hours: int = 24):
    event = make_event(capacity=1, offer_hours=offer_hours)
    holder = register(make_attendee(), event)
    waiting = [register(make_attendee(), event) for _ in range(2)]
    services.registration_cancel(actor=holder.attendee, registration=holder)
    for registration in waiting:
        registration.refresh_from_db()
    return event, waiting


def test_a_freed_seat_is_offered_to_the_first_in_line(django_capture_on_commit_callbacks):
    event = make_event(capacity=1, offer_hours=6)
    holder = register(make_attendee(), event)
    first = register(make_attendee(), event)
    second = register(make_attendee(), event)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=holder.attendee, registration=holder)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.OFFERED
    assert first.offered_at is not None
    assert first.offer_expires_at == first.offered_at + datetime.timedelta(hours=6)
    assert second.status == RegistrationStatus.WAITLISTED
    assert services.waitlist_position(second) == 1
    assert services.seats_free(event) == 0  # the offer holds the seat
    assert mail.outbox[-1].subject == f"A seat is free for you: {event.title}"
    assert mail.outbox[-1].to == [first.attendee.email]


def test_offer_expiry_is_capped_at_the_start():
    event = make_event(capacity=1, offer_hours=1000, starts_in=datetime.timedelta(days=2))
    holder = register(make_attendee(), event)
    late = register(make_attendee(), event)
    services.registration_cancel(actor=holder.attendee, registration=holder)
    late.refresh_from_db()
    assert late.status == RegistrationStatus.OFFERED
    assert late.offer_expires_at == event.starts_at


def test_taking_an_offer_confirms(django_capture_on_commit_callbacks):
    _, (first, _second) = offered_world()
    with django_capture_on_commit_callbacks(execute=True):
        taken = services.offer_accept(actor=first.attendee, registration=first)
    assert taken.status == RegistrationStatus.CONFIRMED
    assert taken.confirmed_at is not None
    assert mail.outbox[-1].subject.startswith("You are registered")
    assert AuditRecord.objects.filter(action="events.registration.offer_accepted").count() == 1


def test_taking_an_offer_twice_is_harmless():
    _, (first, _second) = offered_world()
    services.offer_accept(actor=first.attendee, registration=first)
    before = snapshot()
    assert services.offer_accept(actor=first.attendee, registration=first).status == "confirmed"
    assert snapshot() == before


def test_only_the_person_offered_may_take_it():
    _, (first, second) = offered_world()
    refused(PermissionRefused, services.offer_accept, actor=second.attendee, registration=first)


def test_no_offer_no_taking():
    _, (_first, second) = offered_world()
    refused(
        Conflict,
        services.offer_accept,
        actor=second.attendee,
        registration=second,
        match="no seat offer",
    )


def test_declining_an_offer_passes_the_seat_on():
    _, (first, second) = offered_world()
    services.registration_cancel(actor=first.attendee, registration=first, reason="Declined")
    second.refresh_from_db()
    assert second.status == RegistrationStatus.OFFERED


def test_taking_an_expired_offer_is_refused_and_passes_the_seat_on():
    _, (first, second) = offered_world()
    Registration.objects.filter(pk=first.pk).update(offer_expires_at=NOW())
    with pytest.raises(Conflict, match="expired"):
        services.offer_accept(actor=first.attendee, registration=first)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert first.cancelled_reason == "The offered seat was not taken in time."
    assert second.status == RegistrationStatus.OFFERED


def test_offers_expire_passes_each_seat_on(django_capture_on_commit_callbacks):
    event, (first, second) = offered_world(offer_hours=2)
    assert services.offers_expire(now=NOW() + datetime.timedelta(hours=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        expired = services.offers_expire(now=NOW() + datetime.timedelta(hours=3))
    assert expired == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert second.status == RegistrationStatus.OFFERED
    subjects = [message.subject for message in mail.outbox]
    assert f"Your seat offer expired: {event.title}" in subjects
    assert f"A seat is free for you: {event.title}" in subjects
    assert AuditRecord.objects.filter(action="events.registration.offer_expired").count() == 1


def test_a_newcomer_cannot_take_a_seat_whose_offer_just_expired():
    event, (first, second) = offered_world()
    Registration.objects.filter(pk=first.pk).update(offer_expires_at=NOW())
    newcomer = create(make_attendee(), event)
    second.refresh_from_db()
    assert second.status == RegistrationStatus.OFFERED
    assert newcomer.registration.status == RegistrationStatus.WAITLISTED


def test_auto_confirm_mode_confirms_the_next_in_line(django_capture_on_commit_callbacks):
    event = make_event(capacity=1, waitlist_mode=WaitlistMode.AUTO_CONFIRM)
    holder = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=holder.attendee, registration=holder)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert waiting.offer_expires_at is None
    assert mail.outbox[-1].subject == f"You are registered: {event.title}"
    assert AuditRecord.objects.filter(action="events.registration.promoted").count() == 1


def test_no_promotion_once_the_event_has_started():
    event = make_event(capacity=1)
    holder = register(make_attendee(), event)
    waiting = register(make_attendee(), event)
    event.starts_at = NOW() - datetime.timedelta(minutes=1)
    event.cancellation_deadline = NOW() + datetime.timedelta(days=1)
    event.save()
    services.registration_cancel(actor=holder.attendee, registration=holder)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED


def test_a_waiting_person_whose_ticket_is_full_keeps_their_place():
    event = make_event(capacity=2)
    vip = make_ticket_type(event, name="VIP", capacity=1)
    general = event.ticket_types.get(name="General admission")
    register(make_attendee(), event, ticket_type=vip)
    general_holder = register(make_attendee(), event, ticket_type=general)
    vip_waiting = register(make_attendee(), event, ticket_type=vip)
    general_waiting = register(make_attendee(), event, ticket_type=general)
    services.registration_cancel(actor=general_holder.attendee, registration=general_holder)
    vip_waiting.refresh_from_db()
    general_waiting.refresh_from_db()
    assert vip_waiting.status == RegistrationStatus.WAITLISTED
    assert general_waiting.status == RegistrationStatus.OFFERED


# Transfers --------------------------------------------------------------------------------------


def test_transfer_gives_the_seat_a_new_holder_and_code(django_capture_on_commit_callbacks):
    event = make_event()
    owner = make_attendee()
    colleague = make_attendee(email="colleague@example.org")
    question = make_question(event)
    registration = register(owner, event, answers={str(question.pk): "vegan"})
    old_code = registration.ticket_code
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.registration_transfer(
            actor=owner, registration=registration, to_email=" COLLEAGUE@example.org "
        )
    assert moved.pk == registration.pk
    assert moved.attendee == colleague
    assert moved.transferred_from == owner
    assert moved.ticket_code != old_code
    assert moved.answers == {}
    assert moved.status == RegistrationStatus.CONFIRMED
    recipients = [message.to for message in mail.outbox]
    assert [owner.email] in recipients
    assert [colleague.email] in recipients
    assert AuditRecord.objects.filter(action="events.registration.transferred").count() == 1


def transfer(actor, registration, email):
    return services.registration_transfer(actor=actor, registration=registration, to_email=email)


def test_transfer_refusals():
    event = make_event(capacity=1)
    owner = make_attendee()
    registration = register(owner, event)
    refused(ValidationFailed, transfer, owner, registration, "nobody@example.org", match="No one")
    refused(ValidationFailed, transfer, owner, registration, owner.email, match="already theirs")
    refused(PermissionRefused, transfer, make_attendee(), registration, make_attendee().email)
    patient = make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver")
    refused(PermissionRefused, transfer, owner, registration, patient.email)
    waiting_person = make_attendee()
    register(waiting_person, event)  # on the waiting list: already registered
    refused(Conflict, transfer, owner, registration, waiting_person.email, match="already")


def test_only_confirmed_unused_tickets_before_the_deadline_transfer():
    organizer = make_organizer()
    event = make_event(capacity=1, organizers=(organizer,))
    owner = make_attendee()
    registration = register(owner, event)
    waiting = register(make_attendee(), event)
    colleague = make_attendee()
    refused(
        Conflict, transfer, waiting.attendee, waiting, colleague.email, match="Only a confirmed"
    )
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=NOW())
    refused(Conflict, transfer, owner, registration, colleague.email, match="already been used")
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=None)
    event.cancellation_deadline = NOW() - datetime.timedelta(minutes=1)
    event.save()
    refused(ValidationFailed, transfer, owner, registration, colleague.email, match="no longer")
    assert transfer(organizer, registration, colleague.email).attendee == colleague


# Groups -----------------------------------------------------------------------------------------


def group_world(*, capacity: int = 10):
    leader = make_attendee(display_name="Lee Leader")
    organization = make_organization(leader=leader, name="Riverside")
    staff = make_staff_user()
    members = []
    for index in range(3):
        person = make_attendee(display_name=f"Staff {index}")
        membership_add(actor=staff, organization=organization, email=person.email)
        members.append(person)
    event = make_event(capacity=capacity)
    return event, leader, organization, members


def group(event, leader, organization, people, **kwargs):
    return services.group_registration_create(
        actor=leader,
        event=event,
        ticket_type=event.ticket_types.order_by("pk").first(),
        organization=organization,
        attendees=people,
        **kwargs,
    )


def test_group_registration_confirms_everyone_in_one_order():
    event, leader, organization, members = group_world()
    paid = make_ticket_type(event, name="Paid", price="100")
    make_discount_code(event, code="TEAM", kind=DiscountKind.AMOUNT, value="10", max_uses=3)
    made = services.group_registration_create(
        actor=leader,
        event=event,
        ticket_type=paid,
        organization=organization,
        attendees=[*members, members[0]],  # duplicates count once
        discount_code="team",
    )
    assert len(made) == 3
    assert {registration.status for registration in made} == {RegistrationStatus.CONFIRMED}
    order = made[0].order
    assert {registration.order_id for registration in made} == {order.pk}
    assert order.organization == organization
    assert order.buyer == leader
    assert (order.subtotal, order.discount_total, order.total) == (
        Decimal("300.00"),
        Decimal("30.00"),
        Decimal("270.00"),
    )
    assert order.invoice_number is not None
    assert DiscountCode.objects.get(code="TEAM").used_count == 3


def test_group_is_all_or_nothing():
    event, leader, organization, members = group_world(capacity=2)
    refused(Conflict, group, event, leader, organization, members, match="Only 2 seats left")


def test_group_needs_enough_code_uses():
    event, leader, organization, members = group_world()
    make_discount_code(event, code="TWO", max_uses=2)
    refused(
        ValidationFailed,
        group,
        event,
        leader,
        organization,
        members,
        discount_code="two",
        match="has 2 uses left",
    )


def test_group_only_own_members():
    event, leader, organization, members = group_world()
    stranger = make_attendee(display_name="Sam Stranger")
    refused(
        PermissionRefused,
        group,
        event,
        leader,
        organization,
        [members[0], stranger],
        match="Sam Stranger is not",
    )


def test_group_only_by_leaders():
    event, _leader, organization, members = group_world()
    refused(PermissionRefused, group, event, members[0], organization, members[1:])


def test_group_refuses_people_already_registered():
    event, leader, organization, members = group_world()
    register(members[1], event)
    refused(Conflict, group, event, leader, organization, members, match="Staff 1")


def test_group_size_bounds():
    event, leader, organization, _members = group_world()
    refused(ValidationFailed, group, event, leader, organization, [], match="at least one")


def test_group_request_key_retry_returns_the_same_registrations():
    event, leader, organization, members = group_world()
    first = group(event, leader, organization, members, request_key="group-key")
    before = snapshot()
    again = group(event, leader, organization, members, request_key="group-key")
    assert [registration.pk for registration in again] == [r.pk for r in first]
    assert snapshot() == before


def test_group_request_keys_fit_the_column():
    event, leader, organization, members = group_world()
    made = group(event, leader, organization, members, request_key="k" * 64)
    limit = Registration._meta.get_field("request_key").max_length or 0
    assert all(len(registration.request_key) <= limit for registration in made)


def test_group_in_a_closed_window_is_refused():
    event, leader, organization, members = group_world()
    event.registration_closes_at = NOW() - datetime.timedelta(minutes=1)
    event.save()
    refused(ValidationFailed, group, event, leader, organization, members, match="closed")
