"""Community pages of the feeds area: the home feed, hashtags and search.

Every page reads through ``selectors.feeds`` / ``selectors.search``, which keep to what the viewer
may read. Someone outside both networks gets a page saying who the community is for (the home
page) or a 403 saying the same (the others).
"""

from __future__ import annotations

import re
from typing import Any, cast

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound, PermissionRefused

from ..forms.feeds import SearchForm
from ..models import MembershipStatus, Space
from ..permissions import can_read_space, can_use_community, in_patient_community, in_staff_network
from ..selectors import search as selectors
from ..selectors.feeds import home_feed

OUTSIDE_MESSAGE = (
    "The community is for staff of member organizations (the staff network) and for patients, "
    "caregivers and the clinicians the center has verified (the patient community)."
)


def community_required(viewer: Any) -> None:
    """Refuse (403) someone who takes part in neither network."""
    if not can_use_community(viewer):
        raise PermissionRefused(OUTSIDE_MESSAGE)


def _your_spaces(viewer: Any) -> list[Space]:
    return list(
        Space.objects.filter(
            memberships__user=viewer,
            memberships__status=MembershipStatus.ACTIVE,
            archived_at__isnull=True,
        ).order_by("name", "pk")[:30]
    )


@require_GET
@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = request.user
    if not can_use_community(viewer):
        return render(request, "community/feeds/outside.html", {"message": OUTSIDE_MESSAGE})
    cursor = selectors.cursor_checked(request.GET.get("cursor", ""))
    page = home_feed(viewer, cursor=cursor)
    selectors.feed_cards_prime(viewer, page.items)
    return render(
        request,
        "community/feeds/home.html",
        {
            "page": page,
            "is_first_page": not cursor,
            "suggestions": selectors.spaces_to_suggest(viewer)
            if not page.items and not cursor
            else [],
            "your_spaces": _your_spaces(viewer),
            "in_staff_network": in_staff_network(viewer),
            "in_patient_community": in_patient_community(viewer),
        },
    )


@require_GET
@login_required
def hashtag(request: AuthenticatedHttpRequest, name: str) -> HttpResponse:
    viewer = request.user
    community_required(viewer)
    cleaned = selectors.hashtag_name_cleaned(name)
    if not cleaned:
        raise NotFound(
            "This is not a hashtag: it starts with a letter and has 2 to 64 letters, "
            "digits or underscores."
        )
    if cleaned != name:  # "#Diabetes" and "DIABETES" are the same tag: one address for it
        query = request.GET.urlencode()
        target = reverse("community:hashtag", args=[cleaned])
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    page = selectors.hashtag_page(viewer, cleaned, cursor=request.GET.get("cursor", ""))
    selectors.feed_cards_prime(viewer, page.items)
    return render(request, "community/feeds/hashtag.html", {"name": cleaned, "page": page})


@require_GET
@login_required
def hashtag_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = request.user
    community_required(viewer)
    typed = request.GET.get("q", "")[:70]
    prefix = re.sub(r"[^A-Za-z0-9_]", "", typed).lower()[:64]
    return render(
        request,
        "community/feeds/hashtag_list.html",
        {
            "hashtags": selectors.hashtags_read_by(viewer, prefix=prefix),
            "prefix": prefix,
            "typed": typed,
        },
    )


def _chosen_space(viewer: Any, slug: str) -> Space | None:
    if not slug or len(slug) > 140:
        return None
    space = Space.objects.filter(slug=slug).first()
    return space if space is not None and can_read_space(viewer, space) else None


@require_GET
@login_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    viewer = request.user
    community_required(viewer)
    chosen = _chosen_space(viewer, request.GET.get("space", ""))
    form = SearchForm(request.GET or None, spaces=selectors.spaces_to_search(viewer, chosen=chosen))
    context: dict[str, Any] = {"form": form, "searched": False, "query": "", "kind": "post"}
    if form.is_valid() and form.cleaned_data["q"].strip():
        query, kind = form.cleaned_data["q"].strip(), form.cleaned_data["kind"]
        space = chosen if form.cleaned_data["space"] else None
        results = selectors.SearchResults(viewer, query, kind=kind, space=space)
        page = Paginator(cast(Any, results), selectors.SEARCH_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        other = "comment" if kind == "post" else "post"
        counts = {
            kind: results.count(),
            other: selectors.community_search_count(viewer, query, kind=other, space=space),
        }
        base = request.GET.copy()
        base.pop("page", None)
        tabs = []
        for name, label in (("post", "Posts"), ("comment", "Comments")):
            base["kind"] = name
            tabs.append((name, label, counts[name], f"?{base.urlencode()}"))
        context.update(
            searched=True,
            page=page,
            query=query,
            kind=kind,
            space=space,
            tabs=tabs,
            count=counts[kind],
        )
    else:
        context["hashtags"] = selectors.hashtags_read_by(viewer, limit=20)
    return render(request, "community/feeds/search.html", context)
