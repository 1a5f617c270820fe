"""The main navigation: only areas that exist, and only the entries the person may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    is_current: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    from townsquare.accounts.permissions import can_view_directory

    # Error pages rendered outside the middleware (the static files handler) have no user.
    user = getattr(request, "user", None) or AnonymousUser()
    entries: list[tuple[str, str]] = []
    if user.is_authenticated:
        entries.append(("Dashboard", reverse("dashboard")))
    if can_view_directory(user):
        entries.append(("People", reverse("accounts:directory")))
    entries.append(("Academy", reverse("academy:catalog")))
    entries.append(("Organizations", reverse("accounts:organization_list")))
    path = request.path
    return [
        NavItem(label, url, path == url or (url != "/" and path.startswith(url)))
        for label, url in entries
    ]
