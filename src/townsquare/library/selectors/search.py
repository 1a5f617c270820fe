"""Library search: ranked resources with highlighted snippets, facets, the restricted resources a
person may request access to, and chapter hits, all through ``core.search``.

What a person is shown follows the gates (``selectors.visibility``):

- **results**: ``library.resource`` documents (all a resource says, its files' text included)
  searched only ``within`` the published resources the person may *open*; the snippets may come
  from the files, which they may open.
- **"You may request access to"**: ``library.listing`` documents (title, summary, authors,
  topics; never the body or the files) searched within the published, *listed* resources the
  person may not open. The page shows their title and summary, never a snippet.
- **chapters**: ``library.chapter`` documents within the chapters of the current versions of the
  resources the person may open; each links to its chapter page.

Facets stay cheap however many resources match: the ranked match is capped at ``MATCH_LIMIT``
ids (the best ones), and the type, topic, audience and year counts are grouped in SQL over those
ids in one query. With fewer matches than the cap the counts are exact; above it they describe
the best ``MATCH_LIMIT`` results and the page says "more than".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.safestring import SafeString

from townsquare.core.search import (
    CheckEach,
    query_terms,
    search_highlights,
    search_ids,
)

from ..models import Audience, Chapter, Resource, ResourceType
from ..search import CHAPTER_KIND, LISTING_KIND, RESOURCE_KIND
from .visibility import (
    chapters_openable_by,
    published_listed_closed_to,
    published_openable_by,
)

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
# The ranked match is cut here: pages reach the best MATCH_LIMIT results, facets count them.
# Each candidate costs a permission check, a rank and a facet row: 500 keep a common word's
# search within 50 ms at 100,000 resources (docs/benchmarks.md, "Library").
MATCH_LIMIT = 500
# On PostgreSQL the candidates of a common word come from one resource in RESOURCE_SAMPLE first
# (a partial index: migration 0003, whose modulus this must equal); see core.search.search_ids.
RESOURCE_SAMPLE = 16
RESTRICTED_SHOWN = 5
CHAPTERS_SHOWN = 8
# The "request access" and chapter groups count this far ("50+"), and rank as many candidates.
OTHER_COUNT_LIMIT = 50
GROUP_CANDIDATES = OTHER_COUNT_LIMIT
MIN_YEAR, MAX_YEAR = 1900, 2100
RESULT_FIELDS = (
    "slug",
    "kind",
    "title",
    "summary",
    "audience",
    "access",
    "published_on",
    "published_at",
)
FACET_NAMES = ("type", "topic", "audience", "year")


@dataclass(frozen=True)
class SearchFilters:
    """What the person narrowed the search to; empty values narrow nothing."""

    type: str = ""
    topic: str = ""  # a topic's slug
    audience: str = ""
    year: int | None = None

    def as_dict(self) -> dict[str, str]:
        values = {
            "type": self.type,
            "topic": self.topic,
            "audience": self.audience,
            "year": str(self.year) if self.year else "",
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class TopicRef:
    slug: str
    name: str


@dataclass(frozen=True)
class ResourceHit:
    resource: Resource
    title_html: SafeString
    snippet_html: SafeString
    topics: tuple[TopicRef, ...] = ()


@dataclass(frozen=True)
class RestrictedHit:
    """A resource the person may request access to: title and summary only."""

    resource: Resource
    title_html: SafeString


@dataclass(frozen=True)
class ChapterHit:
    chapter: Chapter
    resource: Resource
    title_html: SafeString
    snippet_html: SafeString


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResults:
    query: str
    filters: SearchFilters
    hits: list[ResourceHit] = field(default_factory=list)
    count: int = 0
    count_is_capped: bool = False
    offset: int = 0
    limit: int = PAGE_SIZE
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    restricted: list[RestrictedHit] = field(default_factory=list)
    restricted_count: int = 0
    chapters: list[ChapterHit] = field(default_factory=list)
    chapter_count: int = 0

    @property
    def restricted_is_capped(self) -> bool:
        return self.restricted_count >= OTHER_COUNT_LIMIT

    @property
    def chapters_are_capped(self) -> bool:
        return self.chapter_count >= OTHER_COUNT_LIMIT

    @property
    def is_searchable(self) -> bool:
        return bool(query_terms(self.query, whole_words=True))

    @property
    def is_empty(self) -> bool:
        return not (self.hits or self.restricted or self.chapters)


def _year_condition(year: int) -> Q:
    return Q(published_on__year=year) | Q(published_on__isnull=True, published_at__year=year)


def filtered(resources: QuerySet[Resource], filters: SearchFilters) -> QuerySet[Resource]:
    """``resources`` narrowed by the filters (an unknown value narrows to nothing)."""
    if filters.type:
        resources = resources.filter(kind=filters.type)
    if filters.audience:
        resources = resources.filter(audience=filters.audience)
    if filters.topic:
        resources = resources.filter(topics__slug=filters.topic)
    if filters.year:
        resources = resources.filter(_year_condition(filters.year))
    return resources


def _ids_sql(ids: Sequence[int], column: str) -> tuple[str, list[Any]]:
    """``column IN (the ids)`` as one parameter, so 1,000 ids cost one value to plan."""
    if connection.vendor == "postgresql":
        # An array literal: psycopg adapts a list of 1,000 ints one by one (1.5 ms).
        return f"{column} = ANY(%s::bigint[])", ["{" + ",".join(map(str, map(int, ids))) + "}"]
    # The SQL of this module is put together from constants only; every value is a parameter.
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608


def _year_sql() -> str:
    if connection.vendor == "postgresql":
        return (
            "CAST(CAST(EXTRACT(YEAR FROM COALESCE(r.published_on, "
            "CAST(r.published_at AT TIME ZONE 'UTC' AS date))) AS integer) AS varchar)"
        )
    return "COALESCE(strftime('%%Y', r.published_on), strftime('%%Y', r.published_at))"


def _facets(ids: Sequence[int], filters: SearchFilters) -> dict[str, list[FacetValue]]:
    """Counts by type, audience, year and topic over the matched ids (at most MATCH_LIMIT of
    them), grouped in SQL in one query: the matched rows are read once (a common table
    expression used three times, which both engines materialize), then grouped four ways."""
    if not ids:
        return {name: [] for name in FACET_NAMES}
    resources, resource_params = _ids_sql(ids, "r.id")
    topics, topic_params = _ids_sql(ids, "rt.resource_id")
    sql = (
        f"WITH matched AS (SELECT r.kind, r.audience, {_year_sql()} AS year "  # noqa: S608
        f"FROM library_resource r WHERE {resources}) "
        "SELECT 'type', kind, NULL, COUNT(*) FROM matched GROUP BY kind "
        "UNION ALL SELECT 'audience', audience, NULL, COUNT(*) FROM matched GROUP BY audience "
        "UNION ALL SELECT 'year', year, NULL, COUNT(*) FROM matched GROUP BY year "
        "UNION ALL SELECT 'topic', t.slug, t.name, COUNT(*) FROM library_resource_topics rt "
        f"JOIN library_topic t ON t.id = rt.topic_id WHERE {topics} GROUP BY t.slug, t.name"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*resource_params, *topic_params])
        rows = cursor.fetchall()
    labels = {"type": dict(ResourceType.choices), "audience": dict(Audience.choices)}
    counted: dict[str, list[tuple[str, str, int]]] = {name: [] for name in FACET_NAMES}
    for facet, value, label, number in rows:
        if value in (None, ""):
            continue
        value = str(value)
        shown = label or labels.get(str(facet), {}).get(value, value)
        counted[str(facet)].append((value, str(shown), int(number)))
    chosen = filters.as_dict()
    facets: dict[str, list[FacetValue]] = {}
    for name, values in counted.items():
        if name == "year":
            values.sort(key=lambda item: item[0], reverse=True)
        else:
            values.sort(key=lambda item: (-item[2], item[0]))
        facets[name] = [
            FacetValue(value=value, label=label, count=number, selected=chosen.get(name) == value)
            for value, label, number in values
        ]
    return facets


def _resources(ids: Sequence[int]) -> dict[int, Resource]:
    # What a result shows (the page and the API), not the whole row.
    return Resource.objects.only(*RESULT_FIELDS).in_bulk(list(ids))


def _topics(ids: Sequence[int]) -> dict[int, tuple[TopicRef, ...]]:
    """The topics of each resource, by name: plain values, not a model object per row."""
    found: dict[int, list[TopicRef]] = {}
    rows = (
        Resource.topics.through.objects.filter(resource_id__in=list(ids))
        .order_by("topic__name")
        .values_list("resource_id", "topic__slug", "topic__name")
    )
    for resource_id, slug, name in rows:
        found.setdefault(resource_id, []).append(TopicRef(slug, name))
    return {resource_id: tuple(topics) for resource_id, topics in found.items()}


def _group(kind: str, query: str, within: QuerySet[Any]) -> tuple[list[int], int]:
    """The best ids of a side group and how many there are, counted as far as
    ``OTHER_COUNT_LIMIT``: one ranked query over that many candidates answers both."""
    ids = search_ids(
        kind,
        query,
        limit=OTHER_COUNT_LIMIT,
        within=CheckEach(within),
        candidates=GROUP_CANDIDATES,
        whole_words=True,
    )
    return ids, len(ids)


def _restricted(viewer: Any, query: str, filters: SearchFilters) -> tuple[list[RestrictedHit], int]:
    closed = filtered(published_listed_closed_to(viewer), filters)
    ids, count = _group(LISTING_KIND, query, closed)
    hits = search_highlights(LISTING_KIND, query, ids[:RESTRICTED_SHOWN], whole_words=True)
    resources = Resource.objects.in_bulk([hit.object_id for hit in hits])
    return [
        RestrictedHit(resources[hit.object_id], hit.title_html)
        for hit in hits
        if hit.object_id in resources
    ], count


def _chapters(viewer: Any, query: str, filters: SearchFilters) -> tuple[list[ChapterHit], int]:
    chapters = chapters_openable_by(viewer)
    if filters.as_dict():
        chapters = chapters.filter(
            version__resource__in=filtered(Resource.objects.all(), filters).values("pk")
        )
    ids, count = _group(CHAPTER_KIND, query, chapters)
    hits = search_highlights(CHAPTER_KIND, query, ids[:CHAPTERS_SHOWN], whole_words=True)
    found = Chapter.objects.select_related("version__resource").in_bulk(
        [hit.object_id for hit in hits]
    )
    return [
        ChapterHit(
            found[hit.object_id],
            found[hit.object_id].version.resource,
            hit.title_html,
            hit.snippet_html,
        )
        for hit in hits
        if hit.object_id in found
    ], count


def library_search(
    viewer: Any,
    query: str,
    *,
    filters: SearchFilters,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    with_results: bool = True,
    with_restricted: bool = True,
    with_chapters: bool = True,
) -> SearchResults:
    """One page of library search results for ``viewer``, with facets, restricted and chapter
    hits. Nothing in it comes from a resource the viewer may not open, except the titles and
    summaries of listed ones in ``restricted``.

    Each part is a search of its own: the page and the API ask for the results first and the
    two side groups (``with_restricted``, ``with_chapters``: first page only) in a second
    request, so the results never wait for them."""
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    offset = max(0, offset)
    results = SearchResults(query=query, filters=filters, offset=offset, limit=limit)
    if not query_terms(query, whole_words=True):
        return results
    if with_results:
        _fill_results(results, viewer)
    if with_restricted and offset == 0:
        results.restricted, results.restricted_count = _restricted(viewer, query, filters)
    if with_chapters and offset == 0:
        results.chapters, results.chapter_count = _chapters(viewer, query, filters)
    return results


def _fill_results(results: SearchResults, viewer: Any) -> None:
    query, offset, limit = results.query, results.offset, results.limit
    openable = filtered(published_openable_by(viewer), results.filters)
    ids = search_ids(
        RESOURCE_KIND,
        query,
        limit=MATCH_LIMIT,
        within=CheckEach(openable),
        candidates=MATCH_LIMIT,
        whole_words=True,
        sample=RESOURCE_SAMPLE,
    )
    results.count = len(ids)
    results.count_is_capped = len(ids) >= MATCH_LIMIT
    results.facets = _facets(ids, results.filters)
    page_ids = ids[offset : offset + limit]
    if page_ids:
        hits = search_highlights(RESOURCE_KIND, query, page_ids, whole_words=True)
        resources, topics = _resources(page_ids), _topics(page_ids)
        results.hits = [
            ResourceHit(
                resources[hit.object_id],
                hit.title_html,
                hit.snippet_html,
                topics.get(hit.object_id, ()),
            )
            for hit in hits
            if hit.object_id in resources
        ]
