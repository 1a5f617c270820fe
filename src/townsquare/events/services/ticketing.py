"""What an event sells and asks: ticket types, discount codes, the registration form's questions,
and marking orders paid. Organizer services; each checks ``permissions.can_manage_event`` (through
``events.require_manager``) and writes the audit log."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.academy.models import AccessTier
from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, NotFound
from townsquare.core.locks import lock_row

from ..models import (
    DiscountCode,
    DiscountKind,
    Event,
    Order,
    OrderStatus,
    QuestionKind,
    QuestionPurpose,
    Registration,
    RegistrationQuestion,
    TicketType,
)
from . import registrations
from .events import (
    CODE_PATTERN,
    MAX_CAPACITY,
    MAX_OPTIONS,
    MAX_PRICE,
    field_error,
    locked_event,
    raise_field_errors,
    require_manager,
)

# Ticket types ----------------------------------------------------------------------------------


@dataclass
class TicketTypeFields:
    name: str
    price: Decimal = Decimal(0)
    description: str = ""
    capacity: int | None = None
    sales_start: datetime.datetime | None = None
    sales_end: datetime.datetime | None = None
    members_only: bool = False
    minimum_tier: str = ""
    is_active: bool = True
    position: int = 0


@transaction.atomic
def ticket_type_save(
    *, actor: User, event: Event, ticket_type: TicketType | None, fields: TicketTypeFields
) -> TicketType:
    """Create or change a ticket type; its quota never goes below the seats it has taken."""
    require_manager(actor, event)
    event = locked_event(event)
    if ticket_type is not None and ticket_type.event_id != event.pk:
        raise NotFound("No such ticket type at this event.")
    errors: dict[str, list[str]] = {}
    name = " ".join(fields.name.split())[:120]
    if not name:
        errors["name"] = ["Name the ticket type."]
    elif (
        TicketType.objects.filter(event=event, name__iexact=name)
        .exclude(pk=getattr(ticket_type, "pk", 0) or 0)
        .exists()
    ):
        errors["name"] = [f"This event already has a “{name}” ticket type."]
    if not Decimal(0) <= fields.price <= MAX_PRICE:
        errors["price"] = [f"Enter a price from 0 to {MAX_PRICE}."]
    if fields.capacity is not None:
        if not 1 <= fields.capacity <= MAX_CAPACITY:
            errors["capacity"] = [f"Enter a quota from 1 to {MAX_CAPACITY}, or leave it empty."]
        elif ticket_type is not None:
            taken = registrations.ticket_seats_taken(ticket_type)
            if fields.capacity < taken:
                errors["capacity"] = [
                    f"{taken} of these tickets are taken; the quota cannot be less."
                ]
    if fields.sales_start and fields.sales_end and fields.sales_end <= fields.sales_start:
        errors["sales_end"] = ["Sales must end after they start."]
    if fields.minimum_tier and fields.minimum_tier not in AccessTier.values:
        errors["minimum_tier"] = ["Choose an access level from the list."]
    if not 0 <= fields.position <= 10_000:
        errors["position"] = ["Enter a position from 0 to 10000."]
    raise_field_errors(errors)
    is_new = ticket_type is None
    ticket_type = ticket_type or TicketType(event=event)
    ticket_type.name = name
    ticket_type.description = fields.description.strip()[:400]
    ticket_type.price = fields.price
    ticket_type.capacity = fields.capacity
    ticket_type.sales_start = fields.sales_start
    ticket_type.sales_end = fields.sales_end
    ticket_type.members_only = fields.members_only
    ticket_type.minimum_tier = fields.minimum_tier
    ticket_type.is_active = fields.is_active
    ticket_type.position = fields.position
    try:
        with transaction.atomic():
            ticket_type.save()
    except IntegrityError as error:
        raise field_error("name", f"This event already has a “{name}” ticket type.") from error
    audit_record(
        action="events.ticket_type.created" if is_new else "events.ticket_type.updated",
        actor=actor,
        target=ticket_type,
        data={"event_id": event.pk, "price": str(ticket_type.price), "capacity": fields.capacity},
    )
    return ticket_type


@transaction.atomic
def ticket_type_delete(*, actor: User, ticket_type: TicketType) -> None:
    """Delete an unused ticket type; one with registrations can only be deactivated."""
    require_manager(actor, ticket_type.event)
    locked_event(ticket_type.event)
    if Registration.objects.filter(ticket_type=ticket_type).exists():
        raise Conflict(
            f"People have registered with “{ticket_type.name}” tickets; deactivate it instead."
        )
    audit_record(
        action="events.ticket_type.deleted",
        actor=actor,
        target=ticket_type,
        data={"event_id": ticket_type.event_id, "name": ticket_type.name},
    )
    ticket_type.delete()


# Discount codes --------------------------------------------------------------------------------


@dataclass
class DiscountCodeFields:
    code: str
    kind: str
    value: Decimal
    max_uses: int | None = None
    valid_from: datetime.datetime | None = None
    valid_until: datetime.datetime | None = None
    ticket_types: Sequence[TicketType] = field(default_factory=list)


@transaction.atomic
def discount_code_save(
    *, actor: User, event: Event, discount_code: DiscountCode | None, fields: DiscountCodeFields
) -> DiscountCode:
    require_manager(actor, event)
    event = locked_event(event)
    if discount_code is not None:
        discount_code = lock_row(DiscountCode.objects.filter(pk=discount_code.pk))
        if discount_code.event_id != event.pk:
            raise NotFound("No such discount code at this event.")
    errors: dict[str, list[str]] = {}
    code = fields.code.strip().upper()
    if not CODE_PATTERN.match(code):
        errors["code"] = ["Use 3 to 40 letters, digits, dashes or underscores."]
    elif (
        DiscountCode.objects.filter(event=event, code=code)
        .exclude(pk=getattr(discount_code, "pk", 0) or 0)
        .exists()
    ):
        errors["code"] = [f"This event already has the code {code}."]
    if fields.kind not in DiscountKind.values:
        errors["kind"] = ["Choose percentage or amount."]
    elif fields.kind == DiscountKind.PERCENT and not Decimal(0) < fields.value <= 100:
        errors["value"] = ["Enter a percentage more than 0 and at most 100."]
    elif not Decimal(0) < fields.value <= MAX_PRICE:
        errors["value"] = ["Enter an amount more than 0."]
    used = discount_code.used_count if discount_code else 0
    if fields.max_uses is not None and not max(used, 1) <= fields.max_uses <= MAX_CAPACITY:
        errors["max_uses"] = [
            f"Enter at least {max(used, 1)} (it has been used {used} times), or leave it empty."
        ]
    if fields.valid_from and fields.valid_until and fields.valid_until <= fields.valid_from:
        errors["valid_until"] = ["The code must stop being valid after it starts."]
    if any(ticket.event_id != event.pk for ticket in fields.ticket_types):
        errors["ticket_types"] = ["Choose this event's own ticket types."]
    raise_field_errors(errors)
    is_new = discount_code is None
    discount_code = discount_code or DiscountCode(event=event)
    discount_code.code = code
    discount_code.kind = fields.kind
    discount_code.value = fields.value
    discount_code.max_uses = fields.max_uses
    discount_code.valid_from = fields.valid_from
    discount_code.valid_until = fields.valid_until
    try:
        with transaction.atomic():
            discount_code.save()
    except IntegrityError as error:
        raise field_error("code", f"This event already has the code {code}.") from error
    discount_code.ticket_types.set(fields.ticket_types)
    audit_record(
        action="events.discount_code.created" if is_new else "events.discount_code.updated",
        actor=actor,
        target=discount_code,
        data={"event_id": event.pk, "code": code, "kind": fields.kind, "value": str(fields.value)},
    )
    return discount_code


@transaction.atomic
def discount_code_delete(*, actor: User, discount_code: DiscountCode) -> None:
    """Delete an unused code; a used one stays on its orders (set its uses to stop it instead)."""
    require_manager(actor, discount_code.event)
    if Order.objects.filter(discount_code=discount_code).exists():
        raise Conflict(
            f"The code {discount_code.code} is on orders; limit its uses or its validity instead."
        )
    audit_record(
        action="events.discount_code.deleted",
        actor=actor,
        target=discount_code,
        data={"event_id": discount_code.event_id, "code": discount_code.code},
    )
    discount_code.delete()


# Registration questions ------------------------------------------------------------------------


@dataclass
class QuestionFields:
    label: str
    kind: str = QuestionKind.TEXT
    purpose: str = QuestionPurpose.GENERAL
    help_text: str = ""
    options: str = ""
    is_required: bool = False
    position: int = 0


@transaction.atomic
def question_save(
    *,
    actor: User,
    event: Event,
    question: RegistrationQuestion | None,
    fields: QuestionFields,
) -> RegistrationQuestion:
    require_manager(actor, event)
    if question is not None and question.event_id != event.pk:
        raise NotFound("No such question at this event.")
    errors: dict[str, list[str]] = {}
    label = " ".join(fields.label.split())[:200]
    if not label:
        errors["label"] = ["Write the question."]
    if fields.kind not in QuestionKind.values:
        errors["kind"] = ["Choose a kind of answer from the list."]
    if fields.purpose not in QuestionPurpose.values:
        errors["purpose"] = ["Choose a purpose from the list."]
    options = [line.strip()[:200] for line in fields.options.splitlines() if line.strip()]
    options = list(dict.fromkeys(options))
    if fields.kind == QuestionKind.CHOICE and not 2 <= len(options) <= MAX_OPTIONS:
        errors["options"] = [f"List 2 to {MAX_OPTIONS} options, one per line."]
    if not 0 <= fields.position <= 10_000:
        errors["position"] = ["Enter a position from 0 to 10000."]
    raise_field_errors(errors)
    is_new = question is None
    question = question or RegistrationQuestion(event=event)
    question.label = label
    question.kind = fields.kind
    question.purpose = fields.purpose
    question.help_text = fields.help_text.strip()[:300]
    question.options = "\n".join(options) if fields.kind == QuestionKind.CHOICE else ""
    question.is_required = fields.is_required
    question.position = fields.position
    question.save()
    audit_record(
        action="events.question.created" if is_new else "events.question.updated",
        actor=actor,
        target=question,
        data={"event_id": event.pk, "kind": question.kind, "required": question.is_required},
    )
    return question


@transaction.atomic
def question_delete(*, actor: User, question: RegistrationQuestion) -> None:
    """Delete a question nobody has answered; answered ones stay so the export keeps them."""
    require_manager(actor, question.event)
    if Registration.objects.filter(
        event_id=question.event_id, answers__has_key=str(question.pk)
    ).exists():
        raise Conflict(
            "People have answered this question; it stays so their answers stay in the export. "
            "Make it optional instead."
        )
    audit_record(
        action="events.question.deleted",
        actor=actor,
        target=question,
        data={"event_id": question.event_id},
    )
    question.delete()


# Orders ----------------------------------------------------------------------------------------


@transaction.atomic
def order_mark_paid(*, actor: User, order: Order) -> Order:
    """Record that an invoice was paid (bank transfer, card by phone)."""
    require_manager(actor, order.event)
    order = lock_row(Order.objects.filter(pk=order.pk))
    if order.status == OrderStatus.PAID:
        return order
    if order.status != OrderStatus.UNPAID:
        raise Conflict(f"Order {order.reference} is {order.get_status_display().lower()}.")
    order.status = OrderStatus.PAID
    order.paid_at = timezone.now()
    order.save(update_fields=["status", "paid_at", "updated_at"])
    audit_record(
        action="events.order.paid",
        actor=actor,
        target=order,
        data={"event_id": order.event_id, "total": str(order.total), "currency": order.currency},
    )
    return order
