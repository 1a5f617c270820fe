"""Reads of notifications and settings. A person only ever reads their own notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from townsquare.accounts.models import User
from townsquare.core.errors import NotFound

from . import unread
from .models import Notification, NotificationSettings, ScopeLevel, ScopeSetting


def _is_person(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "pk", None) is not None


def unread_count(user: Any) -> int:
    """How many of ``user``'s notifications are unread (0 for anonymous visitors, no query)."""
    if not _is_person(user):
        return 0

    def count() -> int:
        return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()

    return unread.cached_count(user.pk, count)


def notification_list(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """``user``'s notifications, newest first (none for anonymous visitors)."""
    if not _is_person(user):
        return Notification.objects.none()
    rows = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def notification_get(user: Any, *, notification_id: int) -> Notification:
    """One of ``user``'s own notifications; anyone else's is "not found", as if it did not exist."""
    found = notification_list(user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound("There is no such notification.")
    return found


def settings_of(user: Any) -> NotificationSettings:
    """``user``'s settings; the defaults (unsaved) for a person who never changed them."""
    found = NotificationSettings.objects.filter(user_id=user.pk).first()
    return found if found is not None else NotificationSettings(user_id=user.pk)


def scope_settings_of(user: Any) -> QuerySet[ScopeSetting]:
    """The scopes where ``user`` chose something other than the normal level."""
    return ScopeSetting.objects.filter(user_id=user.pk).order_by("scope_label", "scope")


def scope_level_of(user: Any, scope: str) -> str:
    """``user``'s level in ``scope`` ("watching", "normal" or "muted"); normal by default."""
    if not _is_person(user) or not scope:
        return ScopeLevel.NORMAL.value
    level = (
        ScopeSetting.objects.filter(user_id=user.pk, scope=scope)
        .values_list("level", flat=True)
        .first()
    )
    return level or ScopeLevel.NORMAL.value


def watchers_of(scope: str) -> QuerySet[User]:
    """The active people who chose to watch ``scope`` (for the fan-out of new posts).

    These are people who *asked*; the caller still keeps only those allowed to see the post
    (a private space's members) before it notifies anyone."""
    return User.objects.filter(
        notification_scope_settings__scope=scope,
        notification_scope_settings__level=ScopeLevel.WATCHING,
        is_active=True,
        deleted_at__isnull=True,
    ).order_by("pk")
