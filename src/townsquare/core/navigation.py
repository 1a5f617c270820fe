"""The main navigation: only areas that exist, and only the entries the person may open."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    is_current: bool


def navigation_for(request: HttpRequest) -> list[NavItem]:
    from townsquare.accounts.models import Role
    from townsquare.accounts.permissions import can_view_directory, has_role, is_professional

    # Error pages rendered outside the middleware (the static files handler) have no user.
    user = getattr(request, "user", None) or AnonymousUser()
    entries: list[tuple[str, str]] = []
    if user.is_authenticated:
        entries.append(("Dashboard", reverse("dashboard")))
    if can_view_directory(user):
        entries.append(("People", reverse("accounts:directory")))
    entries.append(("Academy", reverse("academy:catalog")))
    entries.append(("Events", reverse("events:event_list")))
    # Roles are already read for this request: the entry costs no query. The community's own
    # pages say who may take part (staff of member organizations, patients, verified clinicians).
    if is_professional(user) or has_role(user, Role.PATIENT):
        entries.append(("Community", reverse("community:home")))
    entries.append(("Library", reverse("library:catalog")))
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


# Areas with a second row of navigation: the path prefix, the label, and the module offering
# ``section_items(user)`` and ``ALSO_UNDER`` (pages that belong to an entry from elsewhere).
SECTIONS = {
    "/academy/": ("Academy", "townsquare.academy.navigation"),
    "/events/": ("Events", "townsquare.events.navigation"),
    "/community/": ("Community", "townsquare.community.navigation"),
    "/library/": ("Library", "townsquare.library.navigation"),
}


def section_navigation_for(request: HttpRequest) -> Section | None:
    """The second row of navigation inside an area (e.g. the Academy's own pages)."""
    path = request.path
    root = next((prefix for prefix in SECTIONS if path.startswith(prefix)), None)
    if root is None:
        return None
    area, module_name = SECTIONS[root]
    module = import_module(module_name)
    also_under: dict[str, tuple[str, ...]] = module.ALSO_UNDER
    user = getattr(request, "user", None) or AnonymousUser()
    entries: list[tuple[str, str]] = module.section_items(user)

    def claims(url: str) -> str | None:
        """The longest prefix by which the entry at ``url`` claims the current page."""
        prefixes = [prefix for prefix in also_under.get(url, ()) if path.startswith(prefix)]
        if url == root:
            prefixes += [url] if path == root else []
        elif path.startswith(url):
            prefixes.append(url)
        return max(prefixes, key=len) if prefixes else None

    claimed = {url: prefix for _label, url in entries if (prefix := claims(url)) is not None}
    current = max(claimed, key=lambda url: len(claimed[url])) if claimed else None
    return Section(area, [NavItem(label, url, url == current) for label, url in entries])
