"""PostgreSQL: the library's own GIN indexes over its resource, listing and chapter documents
(migration 0002), which the planner uses for a word found in most resources, and the one over a
sample of the resources (migration 0003) where a common word's candidates are looked for first."""

from __future__ import annotations

import pytest
from django.db import connection

from ..search import CHAPTER_KIND, LISTING_KIND, RESOURCE_KIND
from ..selectors.search import RESOURCE_SAMPLE

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes"),
]


def test_each_large_kind_has_a_gin_index_of_its_own():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'core_searchdocument' "
            "AND indexname LIKE 'library_search_%%'"
        )
        found = dict(cursor.fetchall())
    assert set(found) == {
        "library_search_resource_vector",
        "library_search_listing_vector",
        "library_search_chapter_vector",
        "library_search_resource_sample",
    }
    resource_index = found["library_search_resource_vector"]
    assert "USING gin (search_vector) WITH (fastupdate=off)" in resource_index
    assert f"'{RESOURCE_KIND}'" in found["library_search_resource_vector"]
    assert f"'{LISTING_KIND}'" in found["library_search_listing_vector"]
    assert f"'{CHAPTER_KIND}'" in found["library_search_chapter_vector"]


def test_the_sample_index_is_the_sample_the_search_asks_for():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'library_search_resource_sample'"
        )
        [definition] = cursor.fetchone()
    assert "USING gin (search_vector) WITH (fastupdate=off)" in definition
    assert f"'{RESOURCE_KIND}'" in definition
    assert f"(object_id % ({RESOURCE_SAMPLE})::bigint) = 0" in definition
