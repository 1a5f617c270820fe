"""Searchable library text for ``core.search``. Three kinds, so search never shows a person what
they may not see:

- ``library.resource``: everything a published resource says (title, summary, authors, topics,
  the current version's Markdown body, its chapters and the text extracted from its PDF and DOCX
  files). Searched only within the resources the person may open: its snippets may come from
  the files.
- ``library.listing``: the title, summary, authors and topics alone, of published resources that
  are listed. Searched within the listed resources the person may NOT open, so they find them
  and can request access without learning a word of their content.
- ``library.chapter``: each chapter of a book's current version, its own page.
"""

from __future__ import annotations

from collections.abc import Iterator

from townsquare.core.search import (
    Document,
    markdown_text,
    search_index,
    search_index_many,
    search_remove,
    search_remove_many,
    search_source,
)

from .models import Chapter, Extraction, Resource, ResourceStatus

_RELATED = ("authors", "topics", "current_version__chapters", "current_version__files")
RESOURCE_KIND = "library.resource"
LISTING_KIND = "library.listing"
CHAPTER_KIND = "library.chapter"


def _keywords(resource: Resource) -> str:
    authors = " ".join(author.name for author in resource.authors.all())
    topics = " ".join(topic.name for topic in resource.topics.all())
    return f"{authors} {topics} {resource.get_kind_display()}".strip()


def listing_document(resource: Resource) -> Document:
    return Document(
        object_id=resource.pk,
        title=resource.title,
        body=resource.summary,
        keywords=_keywords(resource),
    )


def resource_document(resource: Resource) -> Document:
    parts = [resource.summary]
    version = resource.current_version
    if version is not None:
        if version.body:
            parts.append(markdown_text(version.body))
        parts.extend(f"{c.title}\n{markdown_text(c.body)}" for c in version.chapters.all())
        parts.extend(
            stored.extracted_text
            for stored in version.files.all()
            if stored.extraction == Extraction.DONE and stored.extracted_text
        )
    return Document(
        object_id=resource.pk,
        title=resource.title,
        body="\n\n".join(parts),
        keywords=_keywords(resource),
    )


def chapter_document(chapter: Chapter, resource: Resource) -> Document:
    return Document(
        object_id=chapter.pk,
        title=f"{chapter.title} ({resource.title})",
        body=markdown_text(chapter.body),
        keywords=_keywords(resource),
    )


def _loaded(resource_id: int) -> Resource | None:
    return (
        Resource.objects.filter(pk=resource_id)
        .select_related("current_version")
        .prefetch_related(*_RELATED)
        .first()
    )


def resource_search_sync(resource_id: int) -> None:
    """Bring the index up to date with one resource: published ones in, everything else out."""
    resource = _loaded(resource_id)
    old_chapters = Chapter.objects.filter(version__resource_id=resource_id)
    if resource is None or resource.status != ResourceStatus.PUBLISHED:
        search_remove(RESOURCE_KIND, resource_id)
        search_remove(LISTING_KIND, resource_id)
        search_remove_many(CHAPTER_KIND, old_chapters.values_list("pk", flat=True))
        return
    search_index(RESOURCE_KIND, resource.pk, **_fields(resource_document(resource)))
    if resource.is_listed:
        search_index(LISTING_KIND, resource.pk, **_fields(listing_document(resource)))
    else:
        search_remove(LISTING_KIND, resource.pk)
    current = resource.current_version
    current_chapters = list(current.chapters.all()) if current is not None else []
    search_remove_many(
        CHAPTER_KIND,
        old_chapters.exclude(pk__in=[c.pk for c in current_chapters]).values_list("pk", flat=True),
    )
    search_index_many(CHAPTER_KIND, [chapter_document(c, resource) for c in current_chapters])


def _fields(document: Document) -> dict[str, str]:
    return {"title": document.title, "body": document.body, "keywords": document.keywords}


def _published() -> Iterator[Resource]:
    resources = (
        Resource.objects.filter(status=ResourceStatus.PUBLISHED)
        .select_related("current_version")
        .prefetch_related(*_RELATED)
        .order_by("pk")
    )
    yield from resources.iterator(chunk_size=500)


@search_source(RESOURCE_KIND)
def resource_documents() -> Iterator[Document]:
    for resource in _published():
        yield resource_document(resource)


@search_source(LISTING_KIND)
def listing_documents() -> Iterator[Document]:
    for resource in _published():
        if resource.is_listed:
            yield listing_document(resource)


@search_source(CHAPTER_KIND)
def chapter_documents() -> Iterator[Document]:
    for resource in _published():
        if resource.current_version is not None:
            for chapter in resource.current_version.chapters.all():
                yield chapter_document(chapter, resource)
