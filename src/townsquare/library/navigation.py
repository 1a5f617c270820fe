"""The Library's own navigation, shown under the main one on every library page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from townsquare.accounts.models import OrganizationRole

from . import permissions


def _leads_any_organization(user: Any) -> bool:
    # Memberships are read once per request and cached on the user (permissions).
    return OrganizationRole.LEADER in permissions.organization_ids_of(user).values()


def section_items(user: Any) -> list[tuple[str, str]]:
    """(label, address) pairs; an entry is current on pages under its address (see
    ``ALSO_UNDER`` for the pages that belong to an entry from elsewhere)."""
    is_staff = permissions.can_manage_library(user)
    is_leader = _leads_any_organization(user)
    signed_in = bool(getattr(user, "is_authenticated", False))
    wanted: list[tuple[str, str, bool]] = [
        ("Library", "library:catalog", True),
        ("Search", "library:search", True),
        ("Collections", "library:collection_list", True),
        ("My submissions", "library:my_submissions", permissions.can_submit_resource(user)),
        ("Review queue", "library:review_queue", permissions.can_review(user)),
        ("My access requests", "library:my_access_requests", signed_in),
        ("Access requests", "library:access_requests", is_staff or is_leader),
        ("Policy builder", "library:policy_start", is_staff or is_leader),
        ("Manage", "library:manage_list", is_staff),
        ("Review due", "library:review_due", is_staff),
        ("Usage", "library:usage_overview", is_staff),
    ]
    return [(label, reverse(name)) for label, name, allowed in wanted if allowed]


# Pages whose addresses are not under their entry's own: a resource's pages (versions,
# chapters, files, requesting access, usage) and topics belong to the Library entry.
ALSO_UNDER = {
    "/library/": ("/library/r/", "/library/topics/"),
}
