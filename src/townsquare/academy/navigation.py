"""The Academy's own navigation, shown under the main one on every Academy page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from townsquare.accounts.models import Role
from townsquare.accounts.permissions import has_role

from . import permissions


def section_items(user: Any) -> list[tuple[str, str]]:
    """(label, address) pairs; an entry is current on pages under its address (see
    ``ALSO_UNDER`` for the pages that belong to an entry from elsewhere)."""
    items = [("Catalog", reverse("academy:catalog")), ("Programs", reverse("academy:program_list"))]
    if not getattr(user, "is_authenticated", False):
        return items
    items += [
        ("My learning", reverse("academy:my_learning")),
        ("Credentials", reverse("academy:my_credentials")),
        ("Transcript", reverse("academy:transcript")),
    ]
    if permissions.can_apply_for_fellowship(user) or permissions.can_review_submissions(user):
        items.append(("Fellowship", reverse("academy:fellowship")))
    if permissions.can_create_course(user):
        items.append(("Teaching", reverse("academy:authoring_courses")))
    if permissions.can_manage_cohort(user) or has_role(user, Role.INSTRUCTOR, Role.COACH):
        items.append(("Cohorts", reverse("academy:cohort_list")))
    if permissions.can_view_reports(user):
        items.append(("Reports", reverse("academy:reports")))
    return items


# Pages whose addresses are not under their entry's own: a course page belongs to the catalog,
# studying a course to "My learning", credit pages to the transcript.
ALSO_UNDER = {
    "/academy/": ("/academy/courses/",),
    "/academy/my/": ("/academy/learn/", "/academy/attempts/"),
}
