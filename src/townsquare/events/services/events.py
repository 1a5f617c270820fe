"""Events themselves: create, edit, publish, cancel; series and bundles. Organizer services; each
checks ``permissions.can_create_event`` or ``permissions.can_manage_event`` and writes the audit
log. Ticket types, discount codes, questions and orders are in ``services.ticketing``."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from townsquare.academy.models import AccessTier, CreditActivity
from townsquare.academy.services.credit import external_credit_activity_save
from townsquare.accounts.models import Organization, User
from townsquare.accounts.permissions import is_center_staff
from townsquare.core.audit import audit_record
from townsquare.core.email import email_queue
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row
from townsquare.core.search import markdown_text, search_index, search_remove
from townsquare.core.uploads import generated_name, image_kind, upload_validate

from .. import permissions
from ..models import (
    LIVE_STATUSES,
    ONLINE_FORMATS,
    Event,
    EventFormat,
    EventSeries,
    EventStatus,
    OnlineProvider,
    Order,
    OrderStatus,
    Registration,
    RegistrationStatus,
    Session,
    WaitlistMode,
    validate_time_zone,
)
from . import registrations
from .calendars import event_url

SEARCH_KIND = "event"

# First path segments of fixed event pages: an event slug may never be one of them.
RESERVED_SLUGS = frozenset(
    {
        "manage",
        "registrations",
        "schedule",
        "calendar",
        "feed.ics",
        "series",
        "orders",
        "proposals",
        "sessions",
        "api",
    }
)
COVER_MAX_BYTES = 5 * 1024 * 1024
MAX_CAPACITY = 100_000
MAX_OFFER_HOURS = 24 * 14
MAX_PRICE = Decimal("9999999.99")
MAX_CERTIFICATE_HOURS = Decimal("999.75")
MAX_ORGANIZERS = 20
CODE_PATTERN = re.compile(r"^[A-Z0-9_-]{3,40}$")
MAX_OPTIONS = 50


def event_document_text(event: Event) -> dict[str, str]:
    """The searchable text of an event: title, format, audience and venue, the description."""
    return {
        "title": event.title,
        "keywords": " ".join(
            part for part in (event.get_format_display(), event.audience, event.venue_name) if part
        ),
        "body": f"{event.summary}\n{markdown_text(event.description)}",
    }


def event_search_sync(*, event: Event) -> None:
    """Index a published event; take any other out. Runs in the caller's transaction."""
    if event.is_published:
        search_index(SEARCH_KIND, event.pk, **event_document_text(event))
    else:
        search_remove(SEARCH_KIND, event.pk)


# Helpers ---------------------------------------------------------------------------------------


def field_error(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, field_errors={field_name: [message]})


def raise_field_errors(errors: dict[str, list[str]]) -> None:
    if errors:
        summary = "; ".join(messages[0] for messages in errors.values())
        raise ValidationFailed(f"Please correct: {summary}", field_errors=errors)


def require_manager(actor: User, event: Event) -> None:
    if not permissions.can_manage_event(actor, event):
        raise PermissionRefused("Only the event's organizers and center staff may do this.")


def locked_event(event: Event) -> Event:
    try:
        return lock_row(Event.objects.filter(pk=event.pk))
    except Event.DoesNotExist as error:
        raise NotFound("This event does not exist.") from error


def unique_event_slug(title: str, *, exclude_pk: int | None = None) -> str:
    """A slug from the title that no other event has and that is not a reserved path."""
    base = slugify(title)[:100].strip("-") or "event"
    taken = Event.objects.all() if exclude_pk is None else Event.objects.exclude(pk=exclude_pk)
    slug, number = base, 2
    while slug in RESERVED_SLUGS or taken.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _stored_name(extension: str) -> str:
    return generated_name("", extension).lstrip("/")


def _validated_cover(cover_image: UploadedFile | None) -> Any:
    if cover_image is None:
        return None
    return upload_validate(cover_image, kind=image_kind(COVER_MAX_BYTES), field_name="cover_image")


# Events ----------------------------------------------------------------------------------------


@dataclass
class CreditFields:
    """CE credit for attending, saved through academy's ``external_credit_activity_save``."""

    credit_type: str
    max_hours: Decimal
    objectives: str
    accreditation_statement: str = ""
    activity_number: str = ""


@dataclass
class EventFields:
    """Everything an organizer edits on an event (the form's cleaned data)."""

    title: str
    summary: str
    format: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int
    time_zone: str = "UTC"
    description: str = ""
    series: EventSeries | None = None
    venue_name: str = ""
    venue_address: str = ""
    accessibility_notes: str = ""
    online_provider: str = OnlineProvider.NONE
    join_url: str = ""
    join_details: str = ""
    recording_url: str = ""
    captions_url: str = ""
    host_organization: Organization | None = None
    registration_opens_at: datetime.datetime | None = None
    registration_closes_at: datetime.datetime | None = None
    cancellation_deadline: datetime.datetime | None = None
    audience: str = ""
    access_tier: str = AccessTier.MEMBER
    waitlist_mode: str = WaitlistMode.OFFER
    offer_hours: int = 24
    organizer_emails: Sequence[str] = ()
    certificate_hours: Decimal | None = None
    credit: CreditFields | None = None
    cover_image: UploadedFile | None = None
    remove_cover: bool = False


def _check_event_fields(fields: EventFields) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not fields.title.strip():
        errors["title"] = ["Give the event a title."]
    if not fields.summary.strip():
        errors["summary"] = ["Write a one- or two-sentence summary."]
    if fields.format not in EventFormat.values:
        errors["format"] = ["Choose a format from the list."]
    try:
        validate_time_zone(fields.time_zone)
    except Exception:  # noqa: BLE001 - Django's ValidationError, reported as a field error
        errors["time_zone"] = ["Choose a time zone from the list."]
    if fields.ends_at <= fields.starts_at:
        errors["ends_at"] = ["The event must end after it starts."]
    if not 1 <= fields.capacity <= MAX_CAPACITY:
        errors["capacity"] = [f"Enter a capacity from 1 to {MAX_CAPACITY}."]
    opens, closes = fields.registration_opens_at, fields.registration_closes_at
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = ["Registration must close after it opens."]
    if closes and closes > fields.ends_at:
        errors["registration_closes_at"] = ["Registration must close by the end of the event."]
    if opens and opens >= fields.ends_at:
        errors["registration_opens_at"] = ["Registration must open before the event ends."]
    if fields.cancellation_deadline and fields.cancellation_deadline > fields.ends_at:
        errors["cancellation_deadline"] = ["The cancellation deadline must be before the end."]
    if fields.access_tier not in AccessTier.values:
        errors["access_tier"] = ["Choose an access level from the list."]
    if fields.waitlist_mode not in WaitlistMode.values:
        errors["waitlist_mode"] = ["Choose a waiting-list mode from the list."]
    if fields.online_provider not in OnlineProvider.values:
        errors["online_provider"] = ["Choose an online provider from the list."]
    if not 1 <= fields.offer_hours <= MAX_OFFER_HOURS:
        errors["offer_hours"] = [f"Enter from 1 to {MAX_OFFER_HOURS} hours."]
    hours = fields.certificate_hours
    if hours is not None and not Decimal(0) < hours <= MAX_CERTIFICATE_HOURS:
        errors["certificate_hours"] = [f"Enter more than 0 and at most {MAX_CERTIFICATE_HOURS}."]
    if len(fields.organizer_emails) > MAX_ORGANIZERS:
        errors["organizers"] = [f"At most {MAX_ORGANIZERS} organizers."]
    return errors


def _organizers_from(emails: Sequence[str]) -> list[User]:
    wanted = list(dict.fromkeys(email.strip().lower() for email in emails if email.strip()))
    if not wanted:
        return []
    query = Q()
    for email in wanted:
        query |= Q(email__iexact=email)
    found = {user.email.lower(): user for user in User.objects.filter(query, is_active=True)}
    missing = [email for email in wanted if email not in found]
    if missing:
        listed = ", ".join(email[:100] for email in missing[:5])
        message = f"No one with these addresses has an account here: {listed}."
        raise field_error("organizers", message)
    return [found[email] for email in wanted]


def _apply_event_fields(event: Event, fields: EventFields) -> None:
    event.title = fields.title.strip()
    event.summary = fields.summary.strip()
    event.description = fields.description
    event.format = fields.format
    event.series = fields.series
    event.starts_at = fields.starts_at
    event.ends_at = fields.ends_at
    event.time_zone = fields.time_zone
    event.venue_name = fields.venue_name.strip()
    event.venue_address = fields.venue_address.strip()
    event.accessibility_notes = fields.accessibility_notes.strip()
    event.online_provider = fields.online_provider
    event.join_url = fields.join_url.strip()
    event.join_details = fields.join_details
    event.recording_url = fields.recording_url.strip()
    event.captions_url = fields.captions_url.strip()
    event.host_organization = fields.host_organization
    event.capacity = fields.capacity
    event.registration_opens_at = fields.registration_opens_at
    event.registration_closes_at = fields.registration_closes_at
    event.cancellation_deadline = fields.cancellation_deadline
    event.audience = fields.audience.strip()
    event.access_tier = fields.access_tier
    event.waitlist_mode = fields.waitlist_mode
    event.offer_hours = fields.offer_hours
    event.certificate_hours = fields.certificate_hours


def _save_credit(actor: User, event: Event, credit: CreditFields | None) -> None:
    if credit is None:
        if event.credit_activity_id is not None:
            event.credit_activity = None
            event.save(update_fields=["credit_activity", "updated_at"])
        return
    current = (
        CreditActivity.objects.filter(pk=event.credit_activity_id).first()
        if event.credit_activity_id
        else None
    )
    try:
        activity = external_credit_activity_save(
            actor=actor,
            activity=current,
            title=event.title,
            credit_type=credit.credit_type,
            max_hours=credit.max_hours,
            objectives=credit.objectives,
            accreditation_statement=credit.accreditation_statement,
            activity_number=credit.activity_number,
        )
    except ValidationFailed as error:
        prefixed = {f"credit_{name}": messages for name, messages in error.field_errors.items()}
        raise ValidationFailed(error.message, field_errors=prefixed) from error
    if event.credit_activity_id != activity.pk:
        event.credit_activity = activity
        event.save(update_fields=["credit_activity", "updated_at"])


def _save_event(event: Event) -> None:
    try:
        with transaction.atomic():
            event.save()
    except IntegrityError as error:
        raise ValidationFailed(
            "The event could not be saved: its dates or address clash; check them."
        ) from error


def _save_cover(event: Event, cover: Any, *, remove: bool) -> None:
    if cover is not None:
        event.cover_image.save(_stored_name(cover.extension), cover.file, save=False)
        event.save(update_fields=["cover_image", "updated_at"])
    elif remove and event.cover_image:
        event.cover_image = ""  # type: ignore[assignment]
        event.save(update_fields=["cover_image", "updated_at"])


@transaction.atomic
def event_create(*, actor: User, fields: EventFields) -> Event:
    """A new draft event. Its creator always organizes it, with anyone else named."""
    if not permissions.can_create_event(actor):
        raise PermissionRefused("Center staff and instructors create events.")
    raise_field_errors(_check_event_fields(fields))
    organizers = _organizers_from(fields.organizer_emails)
    cover = _validated_cover(fields.cover_image)
    event = Event(created_by=actor, status=EventStatus.DRAFT)
    _apply_event_fields(event, fields)
    event.slug = unique_event_slug(event.title)
    _save_event(event)
    event.organizers.set([actor, *[person for person in organizers if person.pk != actor.pk]])
    _save_cover(event, cover, remove=False)
    _save_credit(actor, event, fields.credit)
    audit_record(
        action="events.event.created",
        actor=actor,
        target=event,
        data={"slug": event.slug, "format": event.format},
    )
    return event


@transaction.atomic
def event_update(*, actor: User, event: Event, fields: EventFields) -> Event:
    """Change an event. The capacity never goes below the seats taken; a larger one goes to the
    waiting list at once."""
    require_manager(actor, event)
    event = locked_event(event)
    if event.status == EventStatus.CANCELLED:
        raise Conflict("This event is cancelled; it can no longer be changed.")
    errors = _check_event_fields(fields)
    taken = registrations.seats_taken(event)
    if "capacity" not in errors and fields.capacity < taken:
        errors["capacity"] = [
            f"{taken} seats are taken already; the capacity cannot be less than that."
        ]
    raise_field_errors(errors)
    organizers = _organizers_from(fields.organizer_emails)
    if not organizers and not is_center_staff(actor):
        organizers = [actor]  # an event always keeps someone to run it
    cover = _validated_cover(fields.cover_image)
    before_capacity = event.capacity
    _apply_event_fields(event, fields)
    _save_event(event)
    event.organizers.set(organizers)
    permissions_cache = actor.__dict__.get("_events_organizes")
    if isinstance(permissions_cache, dict):
        permissions_cache.pop(event.pk, None)
    _save_cover(event, cover, remove=fields.remove_cover)
    _save_credit(actor, event, fields.credit)
    if event.capacity > before_capacity:
        # More seats: the waiting list gets them in order, under the event lock held above.
        registrations.waitlist_promote(event, timezone.now())
    event_search_sync(event=event)
    audit_record(
        action="events.event.updated",
        actor=actor,
        target=event,
        data={"slug": event.slug, "capacity": event.capacity},
    )
    return event


def event_publish_problems(*, event: Event, now: datetime.datetime | None = None) -> list[str]:
    """Everything that keeps the event from being published, all at once."""
    now = now or timezone.now()
    problems: list[str] = []
    if event.status == EventStatus.CANCELLED:
        return ["The event is cancelled."]
    if event.starts_at <= now:
        problems.append("The event has already started; move its start into the future.")
    if not event.ticket_types.filter(is_active=True).exists():
        problems.append("Add at least one active ticket type.")
    if event.registration_closes <= now:
        problems.append("Registration closes before now; move the closing time later.")
    if event.registration_opens_at and event.registration_opens_at >= event.registration_closes:
        problems.append("Registration opens after it closes; fix the registration window.")
    if event.cancellation_deadline and event.cancellation_deadline > event.ends_at:
        problems.append("The cancellation deadline is after the event ends.")
    if (event.format in ONLINE_FORMATS or event.online_provider) and not event.join_url:
        problems.append("An online event needs a join link (shown to confirmed attendees only).")
    if event.format not in ONLINE_FORMATS and not event.online_provider and not event.venue_name:
        problems.append("An in-person event needs a venue name.")
    outside = Session.objects.filter(event=event).exclude(
        starts_at__gte=event.starts_at, ends_at__lte=event.ends_at
    )
    if outside.exists():
        problems.append("Some sessions fall outside the event's times; move or delete them.")
    return problems


@transaction.atomic
def event_publish(*, actor: User, event: Event) -> Event:
    """Publish a draft: listed, searchable, open for registration as its window says."""
    require_manager(actor, event)
    event = locked_event(event)
    if event.status == EventStatus.PUBLISHED:
        return event
    problems = event_publish_problems(event=event)
    if problems:
        raise ValidationFailed(
            "The event cannot be published yet: " + " ".join(problems),
            field_errors={"publish": problems},
        )
    event.status = EventStatus.PUBLISHED
    event.published_at = timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    event_search_sync(event=event)
    audit_record(action="events.event.published", actor=actor, target=event)
    return event


def _cancellation_email(registration: Registration, reason: str) -> None:
    event = registration.event
    lines = [
        f"Hello {registration.attendee.display_name},",
        "",
        f"We are sorry: {event.title}, planned for "
        f"{event.local_starts_at:%A %d %B %Y %H:%M %Z}, has been cancelled.",
    ]
    if reason:
        lines += ["", reason]
    if registration.order.status == OrderStatus.PAID:
        lines += ["", "You paid for this registration; the center will refund you."]
    lines += ["", f"Event page: {event_url(event)}"]
    email_queue(
        to=[registration.attendee.email],
        subject=f"Cancelled: {event.title}",
        body="\n".join(lines),
    )


@transaction.atomic
def event_cancel(*, actor: User, event: Event, reason: str = "") -> int:
    """Cancel the event: every live registration is cancelled and everyone registered (confirmed,
    offered or waiting) is emailed. Returns how many people were told."""
    require_manager(actor, event)
    event = locked_event(event)
    if event.status == EventStatus.CANCELLED:
        raise Conflict("This event is cancelled already.")
    reason = reason.strip()[:2000]
    now = timezone.now()
    event.status = EventStatus.CANCELLED
    event.save(update_fields=["status", "updated_at"])
    live = list(
        Registration.objects.filter(event=event, status__in=LIVE_STATUSES)
        .select_related("attendee", "order", "event")
        .order_by("pk")
    )
    for registration in live:
        _cancellation_email(registration, reason)
        if registration.checked_in_at is not None:
            continue  # they came; the record of it stays
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = now
        registration.cancelled_reason = "The event was cancelled."
        registration.save(
            update_fields=["status", "cancelled_at", "cancelled_reason", "updated_at"]
        )
    (
        Order.objects.filter(event=event)
        .exclude(status__in=[OrderStatus.CANCELLED, OrderStatus.PAID])
        .exclude(registrations__status__in=LIVE_STATUSES)
        .update(status=OrderStatus.CANCELLED, updated_at=now)
    )
    event_search_sync(event=event)
    audit_record(
        action="events.event.cancelled",
        actor=actor,
        target=event,
        data={"told": len(live), "reason": reason[:200]},
    )
    return len(live)


# Series and bundles ----------------------------------------------------------------------------


def _unique_series_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100].strip("-") or "series"
    taken = EventSeries.objects.all()
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    slug, number = base, 2
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


@transaction.atomic
def series_save(
    *,
    actor: User,
    series: EventSeries | None,
    title: str,
    summary: str = "",
    is_bundle: bool = False,
) -> EventSeries:
    """Create or change a series (events shown together) or a bundle (one occasion)."""
    if not permissions.can_create_event(actor):
        raise PermissionRefused("Center staff and instructors manage series.")
    title = " ".join(title.split())[:200]
    if not title:
        raise field_error("title", "Give the series a title.")
    duplicate = EventSeries.objects.filter(title__iexact=title)
    if series is not None:
        duplicate = duplicate.exclude(pk=series.pk)
    if duplicate.exists():
        raise field_error("title", f"A series called “{title}” exists already.")
    is_new = series is None
    if series is None:
        series = EventSeries(slug=_unique_series_slug(title))
    series.title = title
    series.summary = summary
    series.is_bundle = is_bundle
    series.save()
    audit_record(
        action="events.series.created" if is_new else "events.series.updated",
        actor=actor,
        target=series,
        data={"title": title, "is_bundle": is_bundle},
    )
    return series
