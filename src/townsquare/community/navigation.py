"""The Community area's own navigation, shown under the main one on every community page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from . import permissions
from .models import MembershipRole, MembershipStatus, SpaceMembership


def moderates_somewhere(user: Any) -> bool:
    """Platform moderators, center staff and anyone who moderates a space (one query, cached)."""
    if permissions.is_global_moderator(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if "_community_moderates_somewhere" not in user.__dict__:
        user.__dict__["_community_moderates_somewhere"] = SpaceMembership.objects.filter(
            user=user, role=MembershipRole.MODERATOR, status=MembershipStatus.ACTIVE
        ).exists()
    return bool(user.__dict__["_community_moderates_somewhere"])


def section_items(user: Any) -> list[tuple[str, str]]:
    """(label, address) pairs; an entry is current on pages under its address (see
    ``ALSO_UNDER`` for the pages that belong to an entry from elsewhere)."""
    items = [("Home", reverse("community:home"))]
    if not permissions.can_use_community(user):
        return items
    items += [
        ("Spaces", reverse("community:space_list")),
        ("Following", reverse("community:following")),
        ("Search", reverse("community:search")),
    ]
    if moderates_somewhere(user):
        items.append(("Moderation", reverse("community:moderation_home")))
    if permissions.can_verify_clinicians(user):
        items.append(("Clinicians", reverse("community:clinician_list")))
    return items


# Pages whose addresses are not under their entry's own: a space's pages and posts belong to
# Spaces, people's pages to Following, tags to Search; the rest of /community/ to Home.
ALSO_UNDER = {
    "/community/": ("/community/",),
    "/community/spaces/": (
        "/community/s/",
        "/community/p/",
        "/community/comments/",
        "/community/flag/",
    ),
    "/community/following/": ("/community/people/", "/community/profile/"),
    "/community/search/": ("/community/tags/",),
}
