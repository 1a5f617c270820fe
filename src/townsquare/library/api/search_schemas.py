"""Schemas of the library search API.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from datetime import date

from ninja import Field, Schema
from pydantic import field_validator

from ..models import Access, Audience, ResourceType
from ..selectors.search import (
    MATCH_LIMIT,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    MAX_YEAR,
    MIN_YEAR,
    OTHER_COUNT_LIMIT,
    PAGE_SIZE,
)

SEARCH_GROUPS = ("restricted", "chapters")


class SearchQueryIn(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="The words to search for.")
    type: ResourceType | None = Field(None, description="Only resources of this type.")
    topic: str = Field("", max_length=90, description="Only resources with this topic (its slug).")
    audience: Audience | None = Field(None, description="Only resources for this audience.")
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="Published this year.")
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
    offset: int = Field(0, ge=0, le=MATCH_LIMIT)
    include: str = Field(
        "",
        max_length=40,
        description="Side groups to add, comma-separated: `restricted` (resources you may "
        "request access to) and `chapters` (matching book chapters). Each is a search of its "
        "own; leave them out for the fastest answer, or ask for them alone with "
        "`results=false`.",
    )
    results: bool = Field(True, description="false: leave out the results and facets.")

    @field_validator("include")
    @classmethod
    def known_groups(cls, value: str) -> str:
        groups = [group.strip() for group in value.split(",") if group.strip()]
        unknown = sorted(set(groups) - set(SEARCH_GROUPS))
        if unknown:
            raise ValueError(
                f"Unknown group {', '.join(unknown)}: include takes {' and '.join(SEARCH_GROUPS)}."
            )
        return ",".join(groups)

    def groups(self) -> set[str]:
        return set(filter(None, self.include.split(",")))


class TopicRefOut(Schema):
    slug: str
    name: str


class SearchHitOut(Schema):
    id: int
    slug: str
    url: str
    type: ResourceType
    title: str
    title_html: str = Field(description="The title, HTML-escaped, matches in <mark>.")
    snippet_html: str = Field(description="Where the words matched, HTML-escaped, in <mark>.")
    summary: str
    audience: Audience
    access: Access
    published_on: date | None
    topics: list[TopicRefOut]


class RestrictedHitOut(Schema):
    """A resource the caller may not open but may request access to: title and summary only."""

    id: int
    slug: str
    url: str
    request_access_url: str
    type: ResourceType
    title: str
    title_html: str
    summary: str
    access: Access


class ChapterHitOut(Schema):
    id: int
    number: int
    url: str
    title: str
    title_html: str
    snippet_html: str
    resource_id: int
    resource_title: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    selected: bool


class FacetsOut(Schema):
    type: list[FacetValueOut]
    topic: list[FacetValueOut]
    audience: list[FacetValueOut]
    year: list[FacetValueOut]


class SearchOut(Schema):
    items: list[SearchHitOut]
    count: int = Field(description=f"Results; at most {MATCH_LIMIT} (see count_is_capped).")
    count_is_capped: bool = Field(
        description=f"More than {MATCH_LIMIT} resources match: pages and facets cover the best "
        f"{MATCH_LIMIT}."
    )
    facets: FacetsOut
    restricted: list[RestrictedHitOut] | None = Field(
        description="Resources you may request access to (first page only); null unless "
        "include has `restricted`."
    )
    restricted_count: int | None
    restricted_is_capped: bool | None = Field(
        description=f"True when there are at least {OTHER_COUNT_LIMIT} such resources "
        "(restricted_count counts no further)."
    )
    chapters: list[ChapterHitOut] | None = Field(
        description="Matching book chapters (first page only); null unless include has `chapters`."
    )
    chapter_count: int | None
    chapters_are_capped: bool | None = Field(
        description=f"True when there are at least {OTHER_COUNT_LIMIT} matching chapters "
        "(chapter_count counts no further)."
    )
