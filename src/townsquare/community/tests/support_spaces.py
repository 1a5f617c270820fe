"""Helpers of the spaces tests: what people were told, what the audit log holds, and a few
spaces set up the way the tests need them."""

from __future__ import annotations

from typing import Any

from townsquare.core.models import AuditRecord
from townsquare.notifications.models import Notification
from townsquare.notifications.services import notify

from ..models import Follow, Space, SpaceMembership


def told(person: Any, *, kind: str = "", scope: str | None = None) -> list[str]:
    """The summaries of the person's notifications (oldest first), of one kind if given."""
    rows = Notification.objects.filter(recipient=person)
    if kind:
        rows = rows.filter(kind=kind)
    if scope is not None:
        rows = rows.filter(scope=scope)
    return list(rows.order_by("pk").values_list("summary", flat=True))


def told_in(person: Any, space: Space) -> int:
    return Notification.objects.filter(recipient=person, scope=space.scope).count()


def tell_about(person: Any, space: Space, summary: str = "posted in the space") -> None:
    """Something the space told the person earlier (to see it taken back)."""
    notify(
        recipient=person,
        kind="mention",
        summary=summary,
        url=f"/community/s/{space.slug}/",
        scope=space.scope,
        scope_label=space.name,
    )


def audited(action: str) -> list[dict[str, Any]]:
    return list(
        AuditRecord.objects.filter(action=action).order_by("pk").values_list("data", flat=True)
    )


def status_of(person: Any, space: Space) -> str:
    """The person's membership status in the space, or "" when they have none."""
    return (
        SpaceMembership.objects.filter(space=space, user=person)
        .values_list("status", flat=True)
        .first()
        or ""
    )


def role_of(person: Any, space: Space) -> str:
    return (
        SpaceMembership.objects.filter(space=space, user=person)
        .values_list("role", flat=True)
        .first()
        or ""
    )


def follows(person: Any, space: Space) -> bool:
    return Follow.objects.filter(follower=person, space=space).exists()


def member_count(space: Space) -> int:
    return Space.objects.values_list("member_count", flat=True).get(pk=space.pk)


def fresh(person: Any) -> Any:
    """The same person as a new request would load them (no cached answers)."""
    return type(person).objects.get(pk=person.pk)
