"""``{% notifications_bell %}``: the header link to a person's notifications with the unread
count ("Notifications (3 unread)").

Rendering it never costs a page a query where the count can live in a shared cache (see
``unread.py``): the cached count is shown at once; without one, the link is shown plain and HTMX
fetches it completed from ``notifications:bell``, which counts once and keeps the count for the
pages that follow. Where the cache is the database (no ``CACHE_URL``), one ``COUNT`` is made here
instead. Nothing, and no query, for anonymous visitors."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from .. import unread
from ..selectors import unread_count

register = template.Library()


def bell_context(request: Any, user: Any, *, count: int | None) -> dict[str, Any]:
    url = reverse("notifications:list")
    return {
        "show": True,
        "url": url,
        "count": count,
        "is_pending": count is None,
        "fragment_url": reverse("notifications:bell"),
        "is_current": getattr(request, "path", "") == url,
    }


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notifications_bell(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return {"show": False}
    count = unread.cached(user.pk) if unread.is_cached() else unread_count(user)
    return bell_context(request, user, count=count)
