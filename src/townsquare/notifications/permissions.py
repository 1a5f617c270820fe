"""Who may see or change a notification: only the person it was written for. Not even staff read
someone else's notifications through the pages or the API (they name spaces a patient belongs
to); anyone else asking gets "not found", as if it did not exist."""

from __future__ import annotations

from typing import Any

from .models import Notification


def can_view_notification(user: Any, notification: Notification) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and notification.recipient_id == user.pk
