"""Community API: feeds and search (mounted at /api/v1/community/).

Feeds are cut by a cursor and return ``{"items", "next_cursor"}``; search returns
``{"items", "count"}``. Everything is narrowed to what the caller may read: a space the caller may
not know exists is a 404, one they may see but not read a 403.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

import json
from dataclasses import astuple
from typing import Any

from django.http import HttpResponse
from ninja import Path, Query
from ninja.responses import NinjaJSONEncoder

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound, PermissionRefused
from townsquare.core.models import MAX_OBJECT_ID

from .. import feed_cache
from ..display import content_author_label
from ..models import Space
from ..permissions import can_read_space, can_see_space, can_use_community
from ..selectors import search as selectors
from ..selectors.feeds import (
    FeedPage,
    FeedSources,
    home_feed,
    home_feed_head,
    home_feed_sources,
    space_feed,
)
from ..views.feeds import OUTSIDE_MESSAGE
from .feeds_schemas import (
    JSON_CONTENT_TYPE,
    AuthorOut,
    FeedOut,
    FeedQueryIn,
    SearchOut,
    SearchQueryIn,
    post_cards,
)
from .router import router

SpaceId = Path(..., ge=1, le=MAX_OBJECT_ID)
HashtagName = Path(..., min_length=1, max_length=65, description="The tag, without the #")


def _community_required(request: AuthenticatedHttpRequest) -> Any:
    if not can_use_community(request.user):
        raise PermissionRefused(OUTSIDE_MESSAGE)
    return request.user


def _feed_body(viewer: Any, page: Any) -> bytes:
    """The page as ``FeedOut`` renders it, written straight to JSON: the cards are plain dicts
    (``post_card``), so the schema is not run for every field of every card (a third of the
    request's CPU time). ``tests/test_feeds_api.py`` holds the two to the same bytes."""
    selectors.feed_cards_prime(viewer, page.items)
    body = {"items": post_cards(viewer, page.items), "next_cursor": page.next_cursor}
    return json.dumps(body, cls=NinjaJSONEncoder).encode()


def _feed(viewer: Any, page: Any) -> HttpResponse:
    return HttpResponse(_feed_body(viewer, page), content_type=JSON_CONTENT_TYPE)


def _head_of(viewer: Any, limit: int) -> Any:
    def head(kept_sources: tuple[Any, ...]) -> tuple[Any, ...]:
        return home_feed_head(viewer, FeedSources(*kept_sources), limit=limit)

    return head


@router.get(
    "/feed",
    response=FeedOut,
    summary="My home feed: posts of the spaces and people I follow, and mine, newest first",
)
def feed_home(request: AuthenticatedHttpRequest, filters: Query[FeedQueryIn]) -> Any:
    cursor = selectors.cursor_checked(filters.cursor)
    if cursor:
        viewer = _community_required(request)
        return _feed(viewer, home_feed(viewer, cursor=cursor, limit=filters.limit))
    # The first page is kept per reader and served while it is still exactly what would be built
    # (``feed_cache``). A kept page was built after the community check, and whatever that check
    # reads (roles, organizations, the person) changes the reader's stamp.
    viewer, limit = request.user, filters.limit
    lookup = feed_cache.first_page(viewer, limit, _head_of(viewer, limit))
    if lookup.body is not None:
        return HttpResponse(lookup.body, content_type=JSON_CONTENT_TYPE)
    viewer = _community_required(request)
    sources = home_feed_sources(viewer, limit=limit)
    if sources is None:
        return _feed(viewer, FeedPage([], ""))
    head = home_feed_head(viewer, sources, limit=limit)
    body = _feed_body(viewer, home_feed(viewer, limit=limit, sources=sources))
    feed_cache.keep_first_page(viewer, limit, lookup, astuple(sources), head, body)
    return HttpResponse(body, content_type=JSON_CONTENT_TYPE)


@router.get(
    "/spaces/{space_id}/posts",
    response=FeedOut,
    summary="A space's published posts, newest first (members only in a private space)",
)
def feed_space(
    request: AuthenticatedHttpRequest, filters: Query[FeedQueryIn], space_id: int = SpaceId
) -> Any:
    viewer = request.user
    space = Space.objects.filter(pk=space_id).first()
    if space is None or not can_see_space(viewer, space):
        raise NotFound("There is no space with this id that you can see.")
    if not can_read_space(viewer, space):
        raise PermissionRefused("Only the members of this space can read its posts.")
    cursor = selectors.cursor_checked(filters.cursor)
    return _feed(viewer, space_feed(viewer, space, cursor=cursor, limit=filters.limit))


@router.get(
    "/tags/{name}/posts",
    response=FeedOut,
    summary="Posts with this hashtag that I may read, newest first",
)
def feed_hashtag(
    request: AuthenticatedHttpRequest, filters: Query[FeedQueryIn], name: str = HashtagName
) -> Any:
    viewer = _community_required(request)
    cleaned = selectors.hashtag_name_cleaned(name)
    if not cleaned:
        raise NotFound(
            "This is not a hashtag: it starts with a letter and has 2 to 64 letters, digits or "
            "underscores."
        )
    page = selectors.hashtag_page(viewer, cleaned, cursor=filters.cursor, limit=filters.limit)
    return _feed(viewer, page)


@router.get(
    "/search",
    response=SearchOut,
    summary="Search the posts (or comments) I may read; snippets highlight the matches",
)
def search(request: AuthenticatedHttpRequest, filters: Query[SearchQueryIn]) -> Any:
    viewer = _community_required(request)
    space = selectors.search_space(viewer, filters.space_id)
    query = filters.q.strip()
    if not query:
        return {"items": [], "count": 0}
    results = selectors.community_search(
        viewer, query, kind=filters.kind, space=space, limit=filters.limit, offset=filters.offset
    )
    items = [
        {
            "kind": result.kind,
            "id": result.content.pk,
            "post_id": result.post.pk,
            "url": result.url,
            "title": result.hit.title,
            "title_html": str(result.hit.title_html),
            "snippet_html": str(result.hit.snippet_html),
            "space": result.post.space,
            "author": AuthorOut.from_label(content_author_label(result.content, viewer)),
            "created_at": result.content.created_at,
        }
        for result in results
    ]
    count = selectors.community_search_count(viewer, query, kind=filters.kind, space=space)
    return {"items": items, "count": count}
