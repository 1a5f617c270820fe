"""PostgreSQL: the library's own GIN indexes over its resource and listing documents
(migration 0002), which the planner uses for a word found in most resources."""

from __future__ import annotations

import pytest
from django.db import connection

from ..search import CHAPTER_KIND, LISTING_KIND, RESOURCE_KIND

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
    }
    resource_index = found["library_search_resource_vector"]
    assert "USING gin (search_vector) WITH (fastupdate=off)" in resource_index
    assert f"'{RESOURCE_KIND}'" in found["library_search_resource_vector"]
    assert f"'{LISTING_KIND}'" in found["library_search_listing_vector"]
    assert f"'{CHAPTER_KIND}'" in found["library_search_chapter_vector"]
