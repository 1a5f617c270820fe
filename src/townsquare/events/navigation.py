"""The Events area's own navigation, shown under the main one on every events page."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from . import permissions


def section_items(user: Any) -> list[tuple[str, str]]:
    """(label, address) pairs; an entry is current on pages under its address (see
    ``ALSO_UNDER`` for the pages that belong to an entry from elsewhere)."""
    items = [("Events", reverse("events:event_list"))]
    if getattr(user, "is_authenticated", False):
        items += [
            ("My registrations", reverse("events:my_registrations")),
            ("My schedule", reverse("events:my_schedule")),
            ("Calendar", reverse("events:calendar_link")),
            ("My proposals", reverse("events:my_proposals")),
        ]
    if permissions.can_create_event(user):
        items.append(("Manage events", reverse("events:manage_list")))
    return items


# Pages whose addresses are not under their entry's own: every events page not claimed by a
# longer entry (an event's page, agenda, speakers; series) belongs to the list.
ALSO_UNDER = {
    "/events/": ("/events/",),
}
