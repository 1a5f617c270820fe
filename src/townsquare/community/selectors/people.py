"""Reads of the people area: profiles by @handle, follows, followers and verified clinicians.

Every lookup that a person makes goes through the gates: a handle the viewer may not see is the
same 404 as a handle nobody has, so a profile page never confirms that someone takes part.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from townsquare.accounts.models import User, UserRole
from townsquare.accounts.permissions import PROFESSIONAL_ROLES
from townsquare.core.errors import NotFound
from townsquare.core.models import MAX_OBJECT_ID

from ..models import CommunityProfile, Follow, Space
from ..permissions import can_see_space
from ..permissions_people import can_see_person
from ..text import HANDLE_RE

MAX_HANDLE_INPUT = 31  # a handle (30) and the "@" people often type before it
CANDIDATES_SHOWN = 20


def handle_cleaned(raw: str) -> str:
    """What someone typed for a handle, without spaces around it or the leading "@"."""
    handle = (raw or "").strip()
    return handle[1:] if handle.startswith("@") else handle


def profile_by_handle(handle: str) -> CommunityProfile | None:
    """The profile with this handle, whatever its case (the unique index is on lower(handle))."""
    handle = handle_cleaned(handle)
    if len(handle) > MAX_HANDLE_INPUT or not HANDLE_RE.match(handle):
        return None
    return (
        CommunityProfile.objects.alias(handle_lower=Lower("handle"))
        .filter(handle_lower=handle.lower())
        .select_related("user")
        .first()
    )


def person_get(*, viewer: Any, handle: str) -> CommunityProfile:
    """The profile behind ``@handle`` if the viewer may see that person; else NotFound."""
    profile = profile_by_handle(handle)
    if profile is None or not can_see_person(viewer, profile.user):
        raise NotFound("There is nobody with this handle that you can see.")
    return profile


def person_for_unfollow(*, viewer: Any, handle: str) -> CommunityProfile:
    """As ``person_get``, and also someone the viewer follows but may no longer see (so that a
    follow can always be undone)."""
    profile = profile_by_handle(handle)
    if profile is None:
        raise NotFound("There is nobody with this handle that you can see.")
    if can_see_person(viewer, profile.user) or is_following_person(
        follower=viewer, person=profile.user
    ):
        return profile
    raise NotFound("There is nobody with this handle that you can see.")


def is_following_person(*, follower: Any, person: Any) -> bool:
    if not getattr(follower, "is_authenticated", False):
        return False
    return Follow.objects.filter(follower=follower, followed_user=person).exists()


def is_following_space(*, follower: Any, space: Space) -> bool:
    if not getattr(follower, "is_authenticated", False):
        return False
    return Follow.objects.filter(follower=follower, space=space).exists()


@dataclass(frozen=True)
class FollowStats:
    followers: int
    following_people: int
    following_spaces: int
    is_followed_by_viewer: bool


def follow_stats(*, viewer: Any, person: Any) -> FollowStats:
    """Counts shown on a profile, and whether the viewer follows the person: one query."""
    viewer_id = viewer.pk if getattr(viewer, "is_authenticated", False) else None
    totals = Follow.objects.filter(Q(followed_user=person) | Q(follower=person)).aggregate(
        followers=Count("pk", filter=Q(followed_user=person)),
        following_people=Count("pk", filter=Q(follower=person, followed_user__isnull=False)),
        following_spaces=Count("pk", filter=Q(follower=person, space__isnull=False)),
        by_viewer=Count("pk", filter=Q(followed_user=person, follower_id=viewer_id)),
    )
    return FollowStats(
        followers=totals["followers"],
        following_people=totals["following_people"],
        following_spaces=totals["following_spaces"],
        is_followed_by_viewer=bool(totals["by_viewer"]),
    )


# --- Follows -----------------------------------------------------------------------------------


def followed_people(*, user: Any) -> QuerySet[Follow]:
    """The people the user follows, newest first, with what naming them needs."""
    return (
        Follow.objects.filter(follower=user, followed_user__isnull=False)
        .select_related("followed_user__community_profile")
        .order_by("-created_at", "-pk")
    )


def followed_spaces(*, user: Any) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(follower=user, space__isnull=False)
        .select_related("space")
        .order_by("-created_at", "-pk")
    )


def followers_of(*, user: Any) -> QuerySet[Follow]:
    """Who follows the user (following people is by name, so followers are never pseudonymous)."""
    return (
        Follow.objects.filter(followed_user=user)
        .select_related("follower__community_profile")
        .order_by("-created_at", "-pk")
    )


def follow_list(*, user: Any, kind: str = "") -> QuerySet[Follow]:
    """Everything the user follows (``kind`` "person" or "space" narrows it), newest first."""
    follows = Follow.objects.filter(follower=user).select_related(
        "followed_user__community_profile", "space"
    )
    if kind == "person":
        follows = follows.filter(followed_user__isnull=False)
    elif kind == "space":
        follows = follows.filter(space__isnull=False)
    return follows.order_by("-created_at", "-pk")


# --- Spaces to follow ----------------------------------------------------------------------------


def _space(*, slug: str | None = None, space_id: int | None = None) -> Space | None:
    if space_id is not None:
        if not 0 < space_id <= MAX_OBJECT_ID:
            return None
        return Space.objects.filter(pk=space_id).first()
    return Space.objects.filter(slug=slug).first()


def space_for_follow(*, viewer: Any, slug: str | None = None, space_id: int | None = None) -> Space:
    """A space the viewer may know exists (whether they may follow it is the service's call)."""
    space = _space(slug=slug, space_id=space_id)
    if space is None or not can_see_space(viewer, space):
        raise NotFound("There is no such space, or you may not see it.")
    return space


def space_for_unfollow(
    *, viewer: Any, slug: str | None = None, space_id: int | None = None
) -> Space:
    """A space the viewer may see or already follows (a follow can always be undone)."""
    space = _space(slug=slug, space_id=space_id)
    if space is None or not (
        can_see_space(viewer, space) or is_following_space(follower=viewer, space=space)
    ):
        raise NotFound("There is no such space, or you may not see it.")
    return space


# --- Clinicians ----------------------------------------------------------------------------------


def clinicians_verified() -> QuerySet[CommunityProfile]:
    """Verified clinicians, by name, with who verified them."""
    return (
        CommunityProfile.objects.filter(clinician_verified_at__isnull=False)
        .select_related("user", "clinician_verified_by")
        .order_by(Lower("user__display_name"), "pk")
    )


def clinician_candidates(*, query: str) -> list[User]:
    """Active professionals (never patient-only people) matching a name or email, not verified
    yet: whom center staff may verify."""
    query = (query or "").strip()
    if not query:
        return []
    professional = UserRole.objects.filter(
        user=OuterRef("pk"), role__in=[str(role) for role in PROFESSIONAL_ROLES]
    )
    verified = CommunityProfile.objects.filter(
        user=OuterRef("pk"), clinician_verified_at__isnull=False
    )
    people = (
        User.objects.filter(is_active=True, deleted_at__isnull=True)
        .filter(Q(display_name__icontains=query) | Q(email__icontains=query))
        .filter(Exists(professional) | Q(is_superuser=True))
        .exclude(Exists(verified))
        .select_related("community_profile")
        .order_by(Lower("display_name"), "pk")
    )
    return list(people[:CANDIDATES_SHOWN])
