"""Personal calendar subscription links: a secret address per person whose feed lists their
registered events and the sessions on their schedule.

Like an API token, only a SHA-256 hash of the secret is stored; the full link is shown once, when
it is created or reset. Resetting replaces the secret (old links stop working at once); revoking
deletes it. A forged or revoked secret finds nobody.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record

from ..models import CalendarToken, EventStatus, Registration, RegistrationStatus, Session
from . import calendars

# Secrets are 43 URL-safe characters (32 random bytes); anything else is not worth a lookup.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
# Last-used times are written at most this often, so a polling calendar app costs no writes.
LAST_USED_RESOLUTION_SECONDS = 3600
# Registered events: confirmed, and seats offered (held for the person until the offer expires).
FEED_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedCalendarLink:
    token: CalendarToken
    raw: str

    @property
    def url(self) -> str:
        return calendar_link_url(self.raw)


def calendar_link_url(raw: str) -> str:
    path = reverse("events:personal_feed", kwargs={"token": raw})
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def calendar_link_create(*, user: User, request: HttpRequest | None = None) -> IssuedCalendarLink:
    """Create the person's link, or reset it (a new secret; the old link stops working)."""
    raw = secrets.token_urlsafe(32)
    existing = CalendarToken.objects.select_for_update().filter(user=user).first()
    if existing is None:
        token = CalendarToken.objects.create(user=user, token_hash=_hash(raw), prefix=raw[:8])
        action = "events.calendar_link.created"
    else:
        existing.token_hash = _hash(raw)
        existing.prefix = raw[:8]
        existing.created_at = timezone.now()
        existing.last_used_at = None
        existing.save(update_fields=["token_hash", "prefix", "created_at", "last_used_at"])
        token = existing
        action = "events.calendar_link.reset"
    audit_record(action=action, actor=user, target=token, request=request)
    return IssuedCalendarLink(token, raw)


@transaction.atomic
def calendar_link_revoke(*, user: User, request: HttpRequest | None = None) -> bool:
    """Delete the person's link; True if there was one."""
    token = CalendarToken.objects.filter(user=user).first()
    if token is None:
        return False
    audit_record(
        action="events.calendar_link.revoked",
        actor=user,
        target=("events.calendartoken", token.pk),
        request=request,
    )
    token.delete()
    return True


def calendar_link_of(*, user: User) -> CalendarToken | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return CalendarToken.objects.filter(user=user).first()


def calendar_link_user(raw: str) -> User | None:
    """The active person behind a secret, or None (unknown, revoked, malformed, inactive)."""
    if not TOKEN_PATTERN.match(raw):
        return None
    token = CalendarToken.objects.select_related("user").filter(token_hash=_hash(raw)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        CalendarToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def personal_calendar(*, user: User) -> bytes:
    """The person's feed: events they hold a seat at that are not drafts, and the sessions on
    their schedule."""
    registrations = (
        Registration.objects.filter(attendee=user, status__in=FEED_STATUSES)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )
    sessions = (
        Session.objects.filter(schedule_items__user=user)
        .exclude(event__status=EventStatus.DRAFT)
        .select_related("event", "room")
        .order_by("starts_at", "pk")
    )
    name = f"Townsquare: {user.display_name}" if user.display_name else "Townsquare events"
    return calendars.personal_feed(registrations, sessions, name=name)
