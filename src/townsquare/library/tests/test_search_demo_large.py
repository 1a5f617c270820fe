"""The library's part of the large demo: deterministic, idempotent, indexed in bulk with the same
text as library.search, searchable through the selector."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser

from townsquare.accounts.demo_large import LargeDemo
from townsquare.accounts.tests.factories import make_organization
from townsquare.core.models import SearchDocument

from .. import demo_large
from ..models import Chapter, Resource, ResourceFile, ResourceStatus
from ..search import CHAPTER_KIND, LISTING_KIND, RESOURCE_KIND, resource_document
from ..selectors.search import SearchFilters, library_search

pytestmark = pytest.mark.django_db
COUNT = 60


def _demo() -> LargeDemo:
    return LargeDemo(people=10_000, organizations=3, stdout=io.StringIO(), show_progress=False)


def test_resources_are_the_same_for_every_count():
    assert demo_large.resource_spec(7, 3) == demo_large.resource_spec(7, 3)
    assert demo_large.resource_spec(7, 3).slug == "large-resource-7"
    sizes = [len(demo_large.resource_spec(i, 3).text) for i in range(50)]
    assert min(sizes) >= demo_large.TEXT_BYTES[0]
    assert max(sizes) <= demo_large.TEXT_BYTES[1] + 300


def test_the_load_inserts_indexes_and_a_second_run_changes_nothing():
    organization = make_organization(name="Demo Hospital")
    demo = _demo()
    demo.organization_ids = [organization.pk]
    with demo_large.resources_override(COUNT):
        created = demo_large.generate_library(demo)
    assert created["resources"] == COUNT
    assert Resource.objects.filter(slug__startswith=demo_large.SLUG_PREFIX).count() == COUNT
    assert (
        ResourceFile.objects.filter(version__resource__slug__startswith="large-").count() == COUNT
    )
    assert demo.indexed_kinds == {RESOURCE_KIND, LISTING_KIND, CHAPTER_KIND}
    published = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
    assert SearchDocument.objects.filter(kind=RESOURCE_KIND).count() == published.count()
    assert SearchDocument.objects.filter(kind=LISTING_KIND).count() == (
        published.filter(is_listed=True).count()
    )
    assert SearchDocument.objects.filter(kind=CHAPTER_KIND).count() == (
        Chapter.objects.filter(version__resource__status=ResourceStatus.PUBLISHED).count()
    )
    assert all(r.current_version_id for r in Resource.objects.all())
    # The bulk index says what library.search would say of the same resource.
    resource = published.select_related("current_version").first()
    assert resource is not None
    indexed = SearchDocument.objects.get(kind=RESOURCE_KIND, object_id=resource.pk)
    expected = resource_document(resource)
    assert (indexed.title, indexed.body, indexed.keywords) == (
        expected.title,
        expected.body,
        expected.keywords,
    )
    with demo_large.resources_override(COUNT):
        again = demo_large.generate_library(_demo())
    assert again == {"resources": 0}


def test_common_words_find_many_resources_and_facets_count_them():
    with demo_large.resources_override(COUNT):
        demo_large.generate_library(_demo())
    results = library_search(AnonymousUser(), "patient", filters=SearchFilters())
    assert results.count > COUNT // 4
    assert sum(value.count for value in results.facets["type"]) == results.count
    assert all(hit.snippet_html for hit in results.hits)
