"""Searchable course text for ``core.search`` (kind ``course``): published courses only."""

from __future__ import annotations

from collections.abc import Iterator

from townsquare.core.search import Document, search_source

from .models import Course, CourseStatus
from .services.catalog import SEARCH_KIND, course_document_text


@search_source(SEARCH_KIND)
def course_documents() -> Iterator[Document]:
    courses = (
        Course.objects.filter(status=CourseStatus.PUBLISHED)
        .prefetch_related("topics", "instructors")
        .order_by("pk")
    )
    for course in courses.iterator(chunk_size=500):
        yield Document(object_id=course.pk, **course_document_text(course))
