"""Searchable event text for ``core.search`` (kind ``event``): published events only."""

from __future__ import annotations

from collections.abc import Iterator

from townsquare.core.search import Document, search_source

from .models import Event, EventStatus
from .services.events import SEARCH_KIND, event_document_text


@search_source(SEARCH_KIND)
def event_documents() -> Iterator[Document]:
    events = Event.objects.filter(status=EventStatus.PUBLISHED).order_by("pk")
    for event in events.iterator(chunk_size=500):
        yield Document(object_id=event.pk, **event_document_text(event))
