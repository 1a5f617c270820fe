"""Events themselves: create, edit, publish, cancel; series; ticket types, discount codes and the
registration form's questions. Organizer services; each checks ``permissions.can_manage_event``."""

from __future__ import annotations

from townsquare.core.search import markdown_text, search_index, search_remove

from ..models import Event

SEARCH_KIND = "event"


def event_document_text(event: Event) -> dict[str, str]:
    """The searchable text of an event: title, format, audience and venue, the description."""
    return {
        "title": event.title,
        "keywords": " ".join(
            part for part in (event.get_format_display(), event.audience, event.venue_name) if part
        ),
        "body": f"{event.summary}\n{markdown_text(event.description)}",
    }


def event_search_sync(*, event: Event) -> None:
    """Index a published event; take any other out. Runs in the caller's transaction."""
    if event.is_published:
        search_index(SEARCH_KIND, event.pk, **event_document_text(event))
    else:
        search_remove(SEARCH_KIND, event.pk)
