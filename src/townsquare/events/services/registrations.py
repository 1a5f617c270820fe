"""Registration that never overbooks: confirm, waitlist, offer freed seats, cancel, transfer.

Every write here is lock, check, write on the event row (``_seat_lock``): on PostgreSQL a row lock
(``SELECT … FOR UPDATE``), on SQLite the ``BEGIN IMMEDIATE`` transaction that already serializes
writers. Under the lock the service counts the seats taken (confirmed and offered registrations)
against the ticket type's quota and the event's capacity, then writes. The
``registration_one_live_per_attendee`` and ``registration_request_key_once`` constraints catch what
could slip through, and a retried request with the same key returns the registration it made.

Freed seats go to the waiting list in order (``waitlisted_at``, then id), under the same lock, so
each seat goes to exactly one person: offered with an expiry, or confirmed at once, as the event
says.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from townsquare.accounts.models import Organization, User
from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row

from .. import permissions
from ..models import (
    LIVE_STATUSES,
    SEAT_STATUSES,
    DiscountCode,
    DiscountKind,
    Event,
    EventStatus,
    Order,
    OrderStatus,
    QuestionKind,
    Registration,
    RegistrationStatus,
    TicketType,
    WaitlistMode,
)
from . import emails

CENTS = Decimal("0.01")
ANSWER_LIMIT = 1000
INVOICE_DAYS = 30
MAX_GROUP_SIZE = 100


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool  # False when a retried request found the registration it made before
    position: int | None  # place on the waiting list, 1 = next in line


# The lock --------------------------------------------------------------------------------------


@contextmanager
def _seat_lock(event_id: int) -> Iterator[Event]:
    """Hold the event's seats for the rest of the transaction and yield the fresh event row."""
    with transaction.atomic():
        try:
            yield lock_row(Event.objects.filter(pk=event_id))
        except Event.DoesNotExist as error:
            raise NotFound("This event does not exist.") from error


# Counting seats --------------------------------------------------------------------------------


def seats_taken(event: Event) -> int:
    return Registration.objects.filter(event=event, status__in=SEAT_STATUSES).count()


def ticket_seats_taken(ticket_type: TicketType) -> int:
    return Registration.objects.filter(ticket_type=ticket_type, status__in=SEAT_STATUSES).count()


def seats_free(event: Event, ticket_type: TicketType | None = None) -> int:
    """Seats still free for ``ticket_type`` (or the event as a whole), never below 0."""
    free = event.capacity - seats_taken(event)
    if ticket_type is not None and ticket_type.capacity is not None:
        free = min(free, ticket_type.capacity - ticket_seats_taken(ticket_type))
    return max(free, 0)


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next in line; None when the registration is not waiting."""
    if registration.status != RegistrationStatus.WAITLISTED or registration.waitlisted_at is None:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


# Checks ----------------------------------------------------------------------------------------


def _check_open(event: Event, now: datetime.datetime) -> None:
    if event.status == EventStatus.CANCELLED:
        raise ValidationFailed("This event has been cancelled.")
    if event.status != EventStatus.PUBLISHED:
        raise NotFound("This event does not exist.")
    if event.registration_opens_at and now < event.registration_opens_at:
        raise ValidationFailed(
            "Registration has not opened yet; it opens "
            f"{timezone.localtime(event.registration_opens_at, event.zone):%d %B %Y at %H:%M %Z}."
        )
    if now >= event.registration_closes:
        raise ValidationFailed("Registration for this event has closed.")


def _check_ticket(ticket_type: TicketType, event: Event, now: datetime.datetime) -> None:
    if ticket_type.event_id != event.pk or not ticket_type.is_active:
        raise ValidationFailed(
            "Choose one of this event's tickets.",
            field_errors={"ticket_type": ["Choose one of this event's tickets."]},
        )
    if ticket_type.sales_start and now < ticket_type.sales_start:
        raise ValidationFailed(f"“{ticket_type.name}” tickets are not on sale yet.")
    if ticket_type.sales_end and now >= ticket_type.sales_end:
        raise ValidationFailed(f"“{ticket_type.name}” tickets are no longer on sale.")


def _check_attendee(attendee: User, event: Event, ticket_type: TicketType) -> None:
    if not permissions.can_register(attendee, event):
        raise PermissionRefused(
            f"This event is for {event.get_access_tier_display().lower()}; "
            f"{attendee.display_name} cannot register for it."
        )
    if not permissions.can_buy_ticket(attendee, ticket_type):
        if ticket_type.members_only:
            reason = "people who belong to a member organization"
        else:
            reason = ticket_type.get_minimum_tier_display().lower()
        raise PermissionRefused(f"“{ticket_type.name}” tickets are for {reason} only.")


def answers_clean(event: Event, answers: dict[str, Any] | None) -> dict[str, str]:
    """The event's questions answered: keys are question ids as strings, values text."""
    answers = answers or {}
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for question in event.questions.all():
        key = str(question.pk)
        raw = answers.get(key, "")
        value = "" if raw is None else str(raw).strip()
        field = f"question_{question.pk}"
        if question.kind == QuestionKind.YES_NO:
            if isinstance(raw, bool):
                value = "yes" if raw else "no"
            if value not in ("", "yes", "no"):
                errors[field] = ["Answer yes or no."]
                continue
        elif question.kind == QuestionKind.CHOICE and value and value not in question.option_list:
            errors[field] = [f"Choose one of: {', '.join(question.option_list)}."]
            continue
        if len(value) > ANSWER_LIMIT:
            errors[field] = [f"Keep the answer under {ANSWER_LIMIT} characters."]
            continue
        if question.is_required and not value:
            errors[field] = [f"Answer “{question.label}”."]
            continue
        if value:
            cleaned[key] = value
    if errors:
        summary = "; ".join(messages[0] for messages in errors.values())
        raise ValidationFailed(f"Please correct: {summary}", field_errors=errors)
    return cleaned


# Prices and discount codes ---------------------------------------------------------------------


def discount_code_find(event: Event, code: str, now: datetime.datetime) -> DiscountCode:
    """The usable code, or a clear error saying why it cannot be used."""
    normalized = code.strip().upper()
    found = DiscountCode.objects.filter(event=event, code=normalized).first()
    if found is None:
        message = f"“{code.strip()[:40]}” is not a discount code for this event."
    elif found.valid_from and now < found.valid_from:
        message = f"The code {found.code} is not valid yet."
    elif found.valid_until and now >= found.valid_until:
        message = f"The code {found.code} has expired."
    elif found.max_uses is not None and found.used_count >= found.max_uses:
        message = f"The code {found.code} has been used up."
    else:
        return found
    raise ValidationFailed(message, field_errors={"discount_code": [message]})


def discounted_price(price: Decimal, code: DiscountCode | None) -> Decimal:
    if code is None or price == 0:
        return price
    if code.kind == DiscountKind.PERCENT:
        off = (price * code.value / 100).quantize(CENTS, rounding=ROUND_HALF_UP)
    else:
        off = code.value
    return max(price - off, Decimal(0)).quantize(CENTS)


def _use_code(
    event: Event, code_text: str, ticket_type: TicketType, uses: int, now: datetime.datetime
) -> DiscountCode | None:
    if not code_text.strip():
        return None
    code = discount_code_find(event, code_text, now)
    applies_to = set(code.ticket_types.values_list("pk", flat=True))
    if applies_to and ticket_type.pk not in applies_to:
        message = f"The code {code.code} does not apply to “{ticket_type.name}” tickets."
        raise ValidationFailed(message, field_errors={"discount_code": [message]})
    if code.max_uses is not None and code.used_count + uses > code.max_uses:
        left = code.max_uses - code.used_count
        message = f"The code {code.code} has {left} use{'s' if left != 1 else ''} left."
        raise ValidationFailed(message, field_errors={"discount_code": [message]})
    # Under the event lock; the check constraint backs the limit.
    DiscountCode.objects.filter(pk=code.pk).update(used_count=F("used_count") + uses)
    return code


# Writing ---------------------------------------------------------------------------------------


def _reference() -> str:
    return secrets.token_hex(5).upper()


def ticket_code_new() -> str:
    return secrets.token_urlsafe(18)[:24]


def _issue_invoice(order: Order) -> None:
    if order.total <= 0 or order.invoice_number:
        return
    order.status = OrderStatus.UNPAID
    order.invoice_number = f"INV-{timezone.now():%Y}-{order.pk:07d}"
    due = timezone.localdate() + datetime.timedelta(days=INVOICE_DAYS)
    order.invoice_due_on = min(due, timezone.localdate(order.event.starts_at))
    order.save(update_fields=["status", "invoice_number", "invoice_due_on", "updated_at"])


def _new_order(
    *,
    event: Event,
    buyer: User,
    organization: Organization | None,
    price: Decimal,
    count: int,
    code: DiscountCode | None,
    ticket_type: TicketType,
) -> Order:
    subtotal = ticket_type.price * count
    total = price * count
    return Order.objects.create(
        event=event,
        buyer=buyer,
        organization=organization,
        reference=_reference(),
        status=OrderStatus.FREE if total == 0 else OrderStatus.UNPAID,
        subtotal=subtotal,
        discount_total=subtotal - total,
        total=total,
        discount_code=code,
    )


def _place(
    *,
    event: Event,
    ticket_type: TicketType,
    order: Order,
    attendee: User,
    answers: dict[str, str],
    price: Decimal,
    request_key: str,
    now: datetime.datetime,
) -> Registration:
    """Confirm if a seat is free, otherwise join the waiting list (or refuse when there is none)."""
    has_room = seats_free(event, ticket_type) > 0
    if not has_room and event.waitlist_mode == WaitlistMode.NONE:
        raise Conflict("This event is full and has no waiting list.")
    status = RegistrationStatus.CONFIRMED if has_room else RegistrationStatus.WAITLISTED
    return Registration.objects.create(
        event=event,
        ticket_type=ticket_type,
        order=order,
        attendee=attendee,
        status=status,
        request_key=request_key,
        answers=answers,
        price=price,
        confirmed_at=now if has_room else None,
        waitlisted_at=None if has_room else now,
        ticket_code=ticket_code_new(),
    )


def _existing_for_key(event: Event, request_key: str) -> Registration | None:
    if not request_key:
        return None
    return Registration.objects.filter(event=event, request_key=request_key).first()


def _already_registered(event: Event, attendee: User) -> Registration | None:
    return Registration.objects.filter(
        event=event, attendee=attendee, status__in=LIVE_STATUSES
    ).first()


def _check_request_key(request_key: str) -> str:
    request_key = (request_key or "").strip()
    if len(request_key) > 64:
        raise ValidationFailed("The request key is at most 64 characters.")
    return request_key


def registration_create(
    *,
    actor: User,
    event: Event,
    ticket_type: TicketType,
    answers: dict[str, Any] | None = None,
    discount_code: str = "",
    request_key: str = "",
) -> RegistrationResult:
    """Register ``actor`` for ``event``: confirmed if a seat is free, else on the waiting list.

    A retried request with the same ``request_key`` returns the registration it made."""
    request_key = _check_request_key(request_key)
    try:
        return _registration_create(
            actor=actor,
            event_id=event.pk,
            ticket_type_id=ticket_type.pk,
            answers=answers,
            discount_code=discount_code,
            request_key=request_key,
        )
    except IntegrityError as error:
        # Another request with the same key or for the same person won the race after our checks.
        existing = _existing_for_key(event, request_key)
        if existing is not None and existing.attendee_id == actor.pk:
            return RegistrationResult(existing, False, waitlist_position(existing))
        raise Conflict("You are already registered for this event.") from error


def _registration_create(
    *,
    actor: User,
    event_id: int,
    ticket_type_id: int,
    answers: dict[str, Any] | None,
    discount_code: str,
    request_key: str,
) -> RegistrationResult:
    with _seat_lock(event_id) as event:
        now = timezone.now()  # under the lock, so times follow the order of the writes
        existing = _existing_for_key(event, request_key)
        if existing is not None:
            if existing.attendee_id != actor.pk:
                raise Conflict("This request key was already used for someone else.")
            return RegistrationResult(existing, False, waitlist_position(existing))
        ticket_type = TicketType.objects.filter(pk=ticket_type_id).first()
        if ticket_type is None:
            raise ValidationFailed("Choose one of this event's tickets.")
        _check_open(event, now)
        _check_ticket(ticket_type, event, now)
        _check_attendee(actor, event, ticket_type)
        # Overdue offers go to the next in line before a newcomer counts the free seats.
        if _expire_offers(event, now):
            waitlist_promote(event, now)
        already = _already_registered(event, actor)
        if already is not None:
            raise Conflict(
                f"You are already registered for this event ({already.get_status_display()}).",
                registration_id=already.pk,
            )
        cleaned = answers_clean(event, answers)
        code = _use_code(event, discount_code, ticket_type, 1, now)
        price = discounted_price(ticket_type.price, code)
        order = _new_order(
            event=event,
            buyer=actor,
            organization=None,
            price=price,
            count=1,
            code=code,
            ticket_type=ticket_type,
        )
        registration = _place(
            event=event,
            ticket_type=ticket_type,
            order=order,
            attendee=actor,
            answers=cleaned,
            price=price,
            request_key=request_key,
            now=now,
        )
        if registration.status == RegistrationStatus.CONFIRMED:
            _issue_invoice(order)
        _record(registration, actor=actor, action="events.registration.created")
        emails.registration_announce(registration)
        return RegistrationResult(registration, True, waitlist_position(registration))


@transaction.atomic
def group_registration_create(
    *,
    actor: User,
    event: Event,
    ticket_type: TicketType,
    organization: Organization,
    attendees: Sequence[User],
    discount_code: str = "",
    request_key: str = "",
) -> list[Registration]:
    """An organization leader registers several of their members in one order: all confirmed,
    or nothing written (a group is not split between seats and the waiting list)."""
    request_key = _check_request_key(request_key)
    if not permissions.can_register_others(actor, organization):
        raise PermissionRefused("Only the organization's leaders may register its members.")
    people = list({person.pk: person for person in attendees}.values())
    if not people:
        raise ValidationFailed("Choose at least one person to register.")
    if len(people) > MAX_GROUP_SIZE:
        raise ValidationFailed(f"Register at most {MAX_GROUP_SIZE} people at once.")
    member_ids = set(
        organization.memberships.filter(user__in=people).values_list("user_id", flat=True)
    )
    outsiders = [person.display_name for person in people if person.pk not in member_ids]
    if outsiders:
        raise PermissionRefused(
            f"Only members of {organization.name} can be registered here: "
            f"{', '.join(sorted(outsiders))} {'is' if len(outsiders) == 1 else 'are'} not."
        )
    with _seat_lock(event.pk) as locked:
        now = timezone.now()  # under the lock, so times follow the order of the writes
        # Each person's key derives from the group's, in a fixed length that fits the column.
        group_key = hashlib.sha256(request_key.encode()).hexdigest()[:40] if request_key else ""
        if group_key:
            made = Order.objects.filter(
                event=locked, buyer=actor, registrations__request_key__startswith=f"{group_key}:"
            ).first()
            if made is not None:
                return list(made.registrations.order_by("pk"))
        _check_open(locked, now)
        ticket_type = TicketType.objects.get(pk=ticket_type.pk)
        _check_ticket(ticket_type, locked, now)
        for person in people:
            _check_attendee(person, locked, ticket_type)
        taken = [person.display_name for person in people if _already_registered(locked, person)]
        if taken:
            raise Conflict(f"Already registered: {', '.join(sorted(taken))}.")
        free = seats_free(locked, ticket_type)
        if free < len(people):
            raise Conflict(
                f"Only {free} seat{'s' if free != 1 else ''} left for “{ticket_type.name}”; "
                f"you asked for {len(people)}. Register fewer people, or each person can join "
                "the waiting list on their own."
            )
        code = _use_code(locked, discount_code, ticket_type, len(people), now)
        price = discounted_price(ticket_type.price, code)
        order = _new_order(
            event=locked,
            buyer=actor,
            organization=organization,
            price=price,
            count=len(people),
            code=code,
            ticket_type=ticket_type,
        )
        registrations = [
            _place(
                event=locked,
                ticket_type=ticket_type,
                order=order,
                attendee=person,
                answers={},
                price=price,
                request_key=f"{group_key}:{index}" if group_key else "",
                now=now,
            )
            for index, person in enumerate(people)
        ]
        _issue_invoice(order)
        for registration in registrations:
            _record(registration, actor=actor, action="events.registration.created")
            emails.registration_announce(registration)
        return registrations


def _record(registration: Registration, *, actor: User | None, action: str, **data: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        target=registration,
        data={
            "event_id": registration.event_id,
            "ticket_type_id": registration.ticket_type_id,
            "status": registration.status,
            **data,
        },
    )


# Freed seats and the waiting list --------------------------------------------------------------


def waitlist_promote(event: Event, now: datetime.datetime) -> list[Registration]:
    """Give free seats to the waiting list in order; the caller holds the event lock."""
    if event.waitlist_mode == WaitlistMode.NONE or event.status != EventStatus.PUBLISHED:
        return []
    if now >= event.starts_at:
        return []
    promoted: list[Registration] = []
    free = seats_free(event)
    if free <= 0:
        return promoted
    waiting = (
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
        .select_related("ticket_type", "attendee", "order", "event")
        .order_by("waitlisted_at", "pk")
    )
    for registration in waiting:
        if free <= 0:
            break
        if seats_free(event, registration.ticket_type) <= 0:
            continue  # their ticket type is full; they keep their place for it
        if event.waitlist_mode == WaitlistMode.AUTO_CONFIRM:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            action = "events.registration.promoted"
        else:
            registration.status = RegistrationStatus.OFFERED
            registration.offered_at = now
            registration.offer_expires_at = min(
                now + datetime.timedelta(hours=event.offer_hours), event.starts_at
            )
            action = "events.registration.offered"
        registration.save(
            update_fields=[
                "status",
                "confirmed_at",
                "offered_at",
                "offer_expires_at",
                "updated_at",
            ]
        )
        if registration.status == RegistrationStatus.CONFIRMED:
            _issue_invoice(registration.order)
        _record(registration, actor=None, action=action)
        emails.registration_promoted(registration)
        promoted.append(registration)
        free -= 1
    return promoted


def _release_code_use(registration: Registration) -> None:
    """A cancelled registration gives its use of a discount code back (as pretix does)."""
    code_id = registration.order.discount_code_id
    if code_id is not None:
        DiscountCode.objects.filter(pk=code_id, used_count__gt=0).update(
            used_count=F("used_count") - 1
        )


def _expire_offers(event: Event, now: datetime.datetime) -> int:
    expired = list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
        ).select_related("attendee", "event", "order")
    )
    for registration in expired:
        _release_code_use(registration)
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.cancelled_reason = "The offered seat was not taken in time."
        registration.save(
            update_fields=["status", "cancelled_at", "cancelled_reason", "updated_at"]
        )
        _record(registration, actor=None, action="events.registration.offer_expired")
        emails.offer_expired(registration)
    return len(expired)


def offers_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire overdue seat offers and pass each seat on; run periodically. Returns how many."""
    now = now or timezone.now()
    event_ids = (
        Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    total = 0
    for event_id in sorted(set(event_ids)):
        with _seat_lock(event_id) as event:
            total += _expire_offers(event, now)
            waitlist_promote(event, now)
    return total


def offer_accept(*, actor: User, registration: Registration) -> Registration:
    with _seat_lock(registration.event_id) as event:
        now = timezone.now()  # under the lock, so times follow the order of the writes
        current = Registration.objects.select_related("order", "event").get(pk=registration.pk)
        if current.attendee_id != actor.pk:
            raise PermissionRefused("Only the person offered the seat may take it.")
        if current.status == RegistrationStatus.CONFIRMED:
            return current
        if current.status != RegistrationStatus.OFFERED:
            raise Conflict("There is no seat offer on this registration.")
        if current.offer_expires_at is not None and now >= current.offer_expires_at:
            # Pass the seat on, commit that, then tell the caller (raising here would undo it).
            _expire_offers(event, now)
            waitlist_promote(event, now)
            expired = True
        else:
            expired = False
            _confirm_offer(current, actor=actor, now=now)
    if expired:
        raise Conflict("This offer has expired and the seat has passed to the next in line.")
    return current


def _confirm_offer(current: Registration, *, actor: User, now: datetime.datetime) -> None:
    current.status = RegistrationStatus.CONFIRMED
    current.confirmed_at = now
    current.save(update_fields=["status", "confirmed_at", "updated_at"])
    _issue_invoice(current.order)
    _record(current, actor=actor, action="events.registration.offer_accepted")
    emails.registration_announce(current)


def _check_may_cancel(actor: User, registration: Registration, now: datetime.datetime) -> None:
    if not permissions.can_cancel_registration(actor, registration):
        raise PermissionRefused("You may not cancel this registration.")
    if permissions.can_manage_event(actor, registration.event):
        return
    deadline = registration.event.effective_cancellation_deadline
    if registration.status == RegistrationStatus.CONFIRMED and now >= deadline:
        raise ValidationFailed(
            "The cancellation deadline has passed "
            f"({timezone.localtime(deadline, registration.event.zone):%d %B %Y %H:%M %Z}); "
            "contact the organizers."
        )


def registration_cancel(
    *, actor: User, registration: Registration, reason: str = ""
) -> Registration:
    """Cancel a registration (or decline an offer); a freed seat goes to the next in line."""
    with _seat_lock(registration.event_id) as event:
        now = timezone.now()  # under the lock, so times follow the order of the writes
        current = Registration.objects.select_related("event", "order").get(pk=registration.pk)
        if current.status == RegistrationStatus.CANCELLED:
            return current
        if current.checked_in_at is not None:
            raise Conflict("This person has already checked in; the registration stays.")
        _check_may_cancel(actor, current, now)
        held_seat = current.holds_seat
        _release_code_use(current)
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.cancelled_reason = reason.strip()[:200]
        current.save(update_fields=["status", "cancelled_at", "cancelled_reason", "updated_at"])
        order = current.order
        if not order.registrations.exclude(status=RegistrationStatus.CANCELLED).exists():
            order.status = OrderStatus.CANCELLED
            order.save(update_fields=["status", "updated_at"])
        _record(current, actor=actor, action="events.registration.cancelled", held_seat=held_seat)
        emails.registration_cancelled(current)
        if held_seat:
            waitlist_promote(event, now)
        return current


def registration_transfer(
    *, actor: User, registration: Registration, to_email: str
) -> Registration:
    """Hand a confirmed ticket to a colleague: same seat, new ticket code, both told by email."""
    email = to_email.strip()
    with _seat_lock(registration.event_id) as event:
        now = timezone.now()  # under the lock, so times follow the order of the writes
        current = Registration.objects.select_related("event", "ticket_type", "attendee").get(
            pk=registration.pk
        )
        if not permissions.can_transfer_registration(actor, current):
            raise PermissionRefused("You may not transfer this registration.")
        if current.status != RegistrationStatus.CONFIRMED:
            raise Conflict("Only a confirmed registration can be transferred.")
        if current.checked_in_at is not None:
            raise Conflict("This ticket has already been used to check in.")
        if now >= event.effective_cancellation_deadline and not permissions.can_manage_event(
            actor, event
        ):
            raise ValidationFailed("Tickets can no longer be transferred; contact the organizers.")
        colleague = User.objects.filter(email__iexact=email, is_active=True).first()
        if colleague is None:
            message = f"No one with the address {email[:200]} has an account here."
            raise ValidationFailed(message, field_errors={"to_email": [message]})
        if colleague.pk == current.attendee_id:
            raise ValidationFailed("The ticket is already theirs.")
        _check_attendee(colleague, event, current.ticket_type)
        if _already_registered(event, colleague) is not None:
            raise Conflict(f"{colleague.display_name} is already registered for this event.")
        previous = current.attendee
        current.transferred_from = previous
        current.attendee = colleague
        current.ticket_code = ticket_code_new()
        current.answers = {}
        current.reminder_day_sent_at = None
        current.reminder_hour_sent_at = None
        current.save()
        _record(
            current,
            actor=actor,
            action="events.registration.transferred",
            from_user_id=previous.pk,
            to_user_id=colleague.pk,
        )
        emails.registration_transferred(current, previous=previous)
        return current
