"""Helpers of the people tests (follows, profiles, clinicians)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from townsquare.accounts.models import User
from townsquare.notifications.models import Notification, NotificationKind

from ..models import CommunityProfile, Follow
from ..services.profiles import profile_ensure


def handle_of(person: User) -> str:
    return profile_ensure(person).handle


def client_for(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def follow_notifications(recipient: User) -> list[Notification]:
    return list(
        Notification.objects.filter(recipient=recipient, kind=NotificationKind.FOLLOW).order_by(
            "pk"
        )
    )


def follows_state() -> list[tuple[Any, ...]]:
    return list(
        Follow.objects.order_by("pk").values_list("follower_id", "followed_user_id", "space_id")
    )


def profiles_state() -> list[tuple[Any, ...]]:
    return list(
        CommunityProfile.objects.order_by("pk").values_list(
            "user_id",
            "handle",
            "pseudonym",
            "use_pseudonym",
            "clinician_verified_at",
            "clinician_title",
        )
    )


def fresh(person: User) -> User:
    """The person as a new request would load them (no cached roles or community answers)."""
    return User.objects.get(pk=person.pk)
