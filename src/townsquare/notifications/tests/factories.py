"""Test data for notifications. Prefer the real services (``notify``) in tests of behaviour;
``NotificationFactory`` writes rows directly, for bulk data (query counts) and odd states."""

from __future__ import annotations

import factory
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import make_user

from ..models import EmailState, Notification, NotificationKind


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.LazyFunction(make_user)
    kind = NotificationKind.REPLY
    actor_label = factory.Sequence(lambda n: f"Member {n}")
    summary = "replied to your post in Diabetes Support"
    url = factory.Sequence(lambda n: f"/community/posts/{n}/")
    scope = "community.space:1"
    scope_label = "Diabetes Support"
    created_at = factory.LazyFunction(timezone.now)
    email_state = EmailState.SKIPPED


def make_notification(**fields: object) -> Notification:
    return NotificationFactory.create(**fields)


def make_notifications(recipient: User, count: int, **fields: object) -> list[Notification]:
    return [make_notification(recipient=recipient, **fields) for _ in range(count)]
