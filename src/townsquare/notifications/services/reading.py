"""Marking notifications read: one, or all of a person's (optionally in one scope)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.errors import NotFound

from .. import unread
from ..models import Notification


@transaction.atomic
def notification_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of ``user``'s own notifications read (reading it again changes nothing)."""
    if notification.recipient_id != user.pk:
        raise NotFound("There is no such notification.")
    if notification.read_at is None:
        now = timezone.now()
        changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now
        )
        if changed:
            notification.read_at = now
            unread.forget([user.pk])
        else:
            notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def notifications_read_all(*, user: User, scope: str | None = None) -> int:
    """Mark all of ``user``'s unread notifications read (only ``scope``'s, if given); how many."""
    rows = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if scope is not None:
        rows = rows.filter(scope=scope)
    changed = rows.update(read_at=timezone.now())
    if changed:
        unread.forget([user.pk])
    return changed
