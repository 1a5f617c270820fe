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


@dataclass(frozen=True)
class Section:
    label: str
    items: list[NavItem]


def section_navigation_for(request: HttpRequest) -> Section | None:
    """The second row of navigation inside an area (e.g. the Academy's own pages)."""
    path = request.path
    if not path.startswith("/academy/"):
        return None
    from townsquare.academy.navigation import ALSO_UNDER, section_items

    user = getattr(request, "user", None) or AnonymousUser()
    entries = section_items(user)
    root = "/academy/"

    def claims(url: str) -> str | None:
        """The longest prefix by which the entry at ``url`` claims the current page."""
        prefixes = [prefix for prefix in ALSO_UNDER.get(url, ()) if path.startswith(prefix)]
        if url == root:
            prefixes += [url] if path == root else []
        elif path.startswith(url):
            prefixes.append(url)
        return max(prefixes, key=len) if prefixes else None

    claimed = {url: prefix for _label, url in entries if (prefix := claims(url)) is not None}
    current = max(claimed, key=lambda url: len(claimed[url])) if claimed else None
    return Section("Academy", [NavItem(label, url, url == current) for label, url in entries])
