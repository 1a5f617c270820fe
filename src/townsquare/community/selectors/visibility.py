"""What a person may read, as querysets that stay in the database (feeds, search, API lists).

These mirror ``permissions.can_read_space`` / ``can_see_post`` for many rows at once; the tests in
``tests/test_visibility.py`` hold the two in step.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from townsquare.accounts.models import OrganizationMembership, Role, UserRole
from townsquare.accounts.permissions import PROFESSIONAL_ROLES

from ..models import (
    Comment,
    CommunityProfile,
    ContentStatus,
    MembershipStatus,
    Post,
    Space,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from ..permissions import in_patient_community, in_staff_network, is_global_moderator


def usable_kinds(user: Any) -> list[str]:
    kinds = []
    if in_staff_network(user):
        kinds.append(SpaceKind.STAFF.value)
    if in_patient_community(user):
        kinds.append(SpaceKind.PATIENT.value)
    return kinds


def _memberships(user: Any, *statuses: str) -> QuerySet[SpaceMembership]:
    return SpaceMembership.objects.filter(user=user, status__in=statuses)


def spaces_seen_by(user: Any) -> QuerySet[Space]:
    """Spaces the person may know exist (the directory): as ``can_see_space``."""
    kinds = usable_kinds(user)
    if not kinds:
        return Space.objects.none()
    spaces = Space.objects.filter(kind__in=kinds)
    if is_global_moderator(user):
        return spaces
    invited_or_member = _memberships(
        user, MembershipStatus.ACTIVE, MembershipStatus.INVITED
    ).values("space_id")
    return spaces.filter(~Q(visibility=SpaceVisibility.INVITE_ONLY) | Q(pk__in=invited_or_member))


def spaces_read_by(user: Any) -> QuerySet[Space]:
    """Spaces whose posts the person may read: as ``can_read_space``."""
    kinds = usable_kinds(user)
    if not kinds:
        return Space.objects.none()
    banned = _memberships(user, MembershipStatus.BANNED).values("space_id")
    spaces = Space.objects.filter(kind__in=kinds).exclude(pk__in=banned)
    if is_global_moderator(user):
        return spaces
    active = _memberships(user, MembershipStatus.ACTIVE).values("space_id")
    return spaces.filter(Q(visibility=SpaceVisibility.OPEN) | Q(pk__in=active))


def readable_space_ids(user: Any) -> list[int]:
    """The ids of ``spaces_read_by`` (one query; cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    if "_community_readable_space_ids" not in user.__dict__:
        user.__dict__["_community_readable_space_ids"] = list(
            spaces_read_by(user).values_list("pk", flat=True)
        )
    return user.__dict__["_community_readable_space_ids"]


def posts_read_by(user: Any) -> QuerySet[Post]:
    """Published posts in spaces the person may read."""
    return Post.objects.filter(
        status=ContentStatus.PUBLISHED, space_id__in=spaces_read_by(user).values("pk")
    )


def comments_read_by(user: Any) -> QuerySet[Comment]:
    """Published comments on published posts in spaces the person may read."""
    return Comment.objects.filter(
        status=ContentStatus.PUBLISHED,
        post__status=ContentStatus.PUBLISHED,
        post__space_id__in=spaces_read_by(user).values("pk"),
    )


def readers_among(space: Space, people: QuerySet[Any]) -> QuerySet[Any]:
    """Those of ``people`` (a User queryset) who may read the space, decided in SQL.

    The same rules as ``permissions.can_read_space``, for many people at once (the fan-out of
    new-post notifications to watchers): active accounts in the space's network, not banned, and
    active members unless the space is open.
    """

    def has_role(*roles: str) -> Exists:
        return Exists(UserRole.objects.filter(user=OuterRef("pk"), role__in=roles))

    def membership(*statuses: str) -> Exists:
        return Exists(
            SpaceMembership.objects.filter(user=OuterRef("pk"), space=space, status__in=statuses)
        )

    moderators = Q(is_superuser=True) | Q(has_role(Role.STAFF, Role.MODERATOR))
    network: Q
    if space.kind == SpaceKind.STAFF:
        network = moderators | Q(
            has_role(*PROFESSIONAL_ROLES)
            & Exists(OrganizationMembership.objects.filter(user=OuterRef("pk")))
        )
    else:
        verified = CommunityProfile.objects.filter(
            user=OuterRef("pk"), clinician_verified_at__isnull=False
        )
        network = moderators | Q(has_role(Role.PATIENT)) | Q(Exists(verified))
    readers = people.filter(network, is_active=True).exclude(membership(MembershipStatus.BANNED))
    if space.visibility != SpaceVisibility.OPEN:
        readers = readers.filter(moderators | Q(membership(MembershipStatus.ACTIVE)))
    return readers
