"""Library API: search (mounted at /api/v1/library/).

``GET search`` answers everyone (anonymous callers search what is public) and never returns
anything the caller may not see: results and snippets only from resources they may open, titles
and summaries only of the listed ones they may request access to.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

import json
from dataclasses import asdict
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query
from ninja.responses import NinjaJSONEncoder

from townsquare.accounts.auth import session_auth, token_auth

from ..selectors.search import SearchFilters, SearchResults, library_search
from .router import router
from .search_schemas import SearchOut, SearchQueryIn


def anyone(request: HttpRequest) -> bool:
    """Public resources are searchable by everyone: a signed-in caller is recognized."""
    return True


PUBLIC = [token_auth, session_auth, anyone]


def _payload(results: SearchResults, groups: set[str]) -> dict[str, Any]:
    items = [
        {
            "id": hit.resource.pk,
            "slug": hit.resource.slug,
            "url": reverse("library:resource_detail", args=[hit.resource.slug]),
            "type": hit.resource.kind,
            "title": hit.resource.title,
            "title_html": str(hit.title_html),
            "snippet_html": str(hit.snippet_html),
            "summary": hit.resource.summary,
            "audience": hit.resource.audience,
            "access": hit.resource.access,
            "published_on": hit.resource.published_on,
            "topics": [{"slug": topic.slug, "name": topic.name} for topic in hit.topics],
        }
        for hit in results.hits
    ]
    restricted = [
        {
            "id": hit.resource.pk,
            "slug": hit.resource.slug,
            "url": reverse("library:resource_detail", args=[hit.resource.slug]),
            "request_access_url": reverse("library:access_request", args=[hit.resource.slug]),
            "type": hit.resource.kind,
            "title": hit.resource.title,
            "title_html": str(hit.title_html),
            "summary": hit.resource.summary,
            "access": hit.resource.access,
        }
        for hit in results.restricted
    ]
    chapters = [
        {
            "id": hit.chapter.pk,
            "number": hit.chapter.number,
            "url": reverse("library:chapter_detail", args=[hit.resource.slug, hit.chapter.number]),
            "title": hit.chapter.title,
            "title_html": str(hit.title_html),
            "snippet_html": str(hit.snippet_html),
            "resource_id": hit.resource.pk,
            "resource_title": hit.resource.title,
        }
        for hit in results.chapters
    ]
    empty: list[Any] = []
    payload: dict[str, Any] = {
        "items": items,
        "count": results.count,
        "count_is_capped": results.count_is_capped,
        "facets": {
            name: [asdict(value) for value in results.facets.get(name, empty)]
            for name in ("type", "topic", "audience", "year")
        },
        "restricted": None,
        "restricted_count": None,
        "restricted_is_capped": None,
        "chapters": None,
        "chapter_count": None,
        "chapters_are_capped": None,
    }
    if "restricted" in groups:
        payload.update(
            restricted=restricted,
            restricted_count=results.restricted_count,
            restricted_is_capped=results.restricted_is_capped,
        )
    if "chapters" in groups:
        payload.update(
            chapters=chapters,
            chapter_count=results.chapter_count,
            chapters_are_capped=results.chapters_are_capped,
        )
    return payload


@router.get(
    "/search",
    response=SearchOut,
    auth=PUBLIC,
    summary="Search the library: ranked results with snippets, facets, resources you may request "
    "access to, and chapters",
)
def search(request: HttpRequest, params: Query[SearchQueryIn]) -> Any:
    filters = SearchFilters(
        type=params.type or "",
        topic=params.topic.strip(),
        audience=params.audience or "",
        year=params.year,
    )
    groups = params.groups()
    results = library_search(
        request.user,
        params.q,
        filters=filters,
        limit=params.limit,
        offset=params.offset,
        with_results=params.results,
        with_restricted="restricted" in groups,
        with_chapters="chapters" in groups,
    )
    # Written straight to JSON: the payload is plain data already, so the schema is not run over
    # every field of every hit (2 ms of a search). tests/test_search_api.py holds the two equal.
    return HttpResponse(
        json.dumps(_payload(results, groups), cls=NinjaJSONEncoder),
        content_type="application/json; charset=utf-8",
    )
