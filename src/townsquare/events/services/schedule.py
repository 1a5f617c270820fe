"""A person's own schedule: the sessions of an event they mean to attend (shown on the agenda,
on "My schedule" and in their calendar subscription)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.errors import NotFound, ValidationFailed

from .. import permissions
from ..models import EventStatus, ScheduleItem, Session


def _check_may_schedule(user: User, session: Session) -> None:
    if not permissions.can_view_event(user, session.event):
        raise NotFound("No such session.")
    if session.event.status == EventStatus.CANCELLED:
        raise ValidationFailed("This event has been cancelled.")
    if session.ends_at <= timezone.now():
        raise ValidationFailed(f"“{session.title}” is over; it cannot be added any more.")


@transaction.atomic
def schedule_add(*, user: User, session: Session) -> ScheduleItem:
    """Put ``session`` on ``user``'s schedule; adding it twice keeps one entry."""
    _check_may_schedule(user, session)
    existing = ScheduleItem.objects.filter(user=user, session=session).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return ScheduleItem.objects.create(user=user, session=session)
    except IntegrityError:
        # Another request added it in between: the unique constraint kept one.
        return ScheduleItem.objects.get(user=user, session=session)


@transaction.atomic
def schedule_remove(*, user: User, session: Session) -> bool:
    """Take ``session`` off the schedule; True if it was on it."""
    if not permissions.can_view_event(user, session.event):
        raise NotFound("No such session.")
    deleted, _ = ScheduleItem.objects.filter(user=user, session=session).delete()
    return bool(deleted)


@transaction.atomic
def schedule_toggle(*, user: User, session: Session) -> bool:
    """Add the session if it is not on the schedule, remove it if it is; True when added."""
    if ScheduleItem.objects.filter(user=user, session=session).exists():
        schedule_remove(user=user, session=session)
        return False
    schedule_add(user=user, session=session)
    return True
