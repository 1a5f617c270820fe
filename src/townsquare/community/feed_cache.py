"""The first page of each reader's home feed, kept ready in the cache and checked on every read.

The home feed is built when read (``selectors.feeds``); most of that work is the same on every
refresh: the spaces the reader may read, whom they follow, twenty posts made into cards and JSON.
So the rendered first page is kept (``FEED_PAGE_SECONDS``) with what it was made from, and served
again only while all of this still holds:

- **the reader is unchanged**: a stamp bumped (``reader_changed``) whenever their follows, space
  memberships (joining, leaving, bans), roles or organizations change; the receivers below catch
  every save and delete of those rows, and the services that change memberships with ``update``
  call it themselves;
- **the community's structure is unchanged**: a stamp bumped (``structure_changed``) whenever a
  space, a person or a community profile is saved (names, pseudonyms, privacy, new spaces);
- **the page's posts are unchanged**: one query reads the first page's ids with what a card shows
  that can change (``selectors.feeds.home_feed_head``: edits, counters, accepted answer) and
  compares them with the kept page's. A new post, a post hidden or removed, a comment or a
  reaction changes them. This check is the database's own answer, so no service has to remember
  to invalidate anything for posts.

The stamps are ``core.stamps``: bumped at once and again when the transaction commits, so a page
built in between, from data not yet committed, is never served after the commit; a stamp missing
from the cache (evicted) matches nothing, so the page is built again. Later pages (with a cursor)
are never kept.

Only the reader's own first page is kept, under their id: nothing in it is shown to anyone else.
It holds what the reader may read now, and it is dropped at the latest ``FEED_PAGE_SECONDS`` after
it was made; a post removed for what it revealed stops being served at once (the head changes) and
leaves the cache with the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from townsquare.core import stamps

FEED_PAGE_SECONDS = 300

_STRUCTURE = "community:feed:structure"


def _reader_key(user_id: int) -> str:
    return f"community:feed:reader:{user_id}"


def _page_key(user_id: int, limit: int) -> str:
    return f"community:feed:page:v1:{user_id}:{limit}"


def reader_changed(user_id: int | None) -> None:
    """Whatever the person may read or follows changed: their kept first page is stale."""
    if user_id is not None:
        stamps.bump(_reader_key(user_id))


def structure_changed() -> None:
    """A space or a person's name changed: every kept first page is stale."""
    stamps.bump(_STRUCTURE)


@dataclass(frozen=True)
class Lookup:
    """What a read found: the page when it may be served, else the stamps to keep a new one under
    (read before anything the new page is made of)."""

    body: bytes | None
    reader: str | None
    structure: str | None


def first_page(viewer: Any, limit: int, head: Callable[[Any], tuple[Any, ...]]) -> Lookup:
    """The kept first page when the stamps match and ``head(sources)`` is what it was."""
    key = _page_key(viewer.pk, limit)
    reader_key = _reader_key(viewer.pk)
    found = cache.get_many([key, reader_key, _STRUCTURE])
    reader, structure = found.get(reader_key), found.get(_STRUCTURE)
    kept = found.get(key)
    if (
        kept is not None
        and reader is not None
        and structure is not None
        and kept[0] == reader
        and kept[1] == structure
        and head(kept[2]) == kept[3]
    ):
        return Lookup(kept[4], reader, structure)
    # A stamp the page will be kept under is read (or set) now, before anything the page is made
    # of: a change that commits while the page is built then gives it a new value, which the
    # page does not carry. Set after the build, it could be that change's own value.
    if reader is None:
        reader = stamps.ensure(reader_key)
    if structure is None:
        structure = stamps.ensure(_STRUCTURE)
    return Lookup(None, reader, structure)


def keep_first_page(
    viewer: Any, limit: int, lookup: Lookup, sources: Any, head: tuple[Any, ...], body: bytes
) -> None:
    """Keep a page built after ``lookup`` from ``sources`` (the head read before the page)."""
    if lookup.reader is None or lookup.structure is None:
        return  # the cache dropped a stamp at once: nothing could tell this page stale
    entry = (lookup.reader, lookup.structure, sources, head, body)
    cache.set(_page_key(viewer.pk, limit), entry, FEED_PAGE_SECONDS)


# --- What makes a kept page stale ---------------------------------------------------------------


def _reader_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    reader_changed(getattr(instance, "follower_id", None) or getattr(instance, "user_id", None))


def _structure_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    structure_changed()


def _person_changed(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    # Signing in saves only ``last_login``: nothing a card shows.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    reader_changed(instance.pk)
    structure_changed()


def connect() -> None:
    """Called from ``CommunityConfig.ready``."""
    from django.apps import apps

    from .models import CommunityProfile, Follow, Space, SpaceMembership

    reader_rows: tuple[Any, ...] = (
        Follow,
        SpaceMembership,
        apps.get_model("accounts", "UserRole"),
        apps.get_model("accounts", "OrganizationMembership"),
    )
    structure_rows: tuple[Any, ...] = (Space, CommunityProfile)
    for signal in (post_save, post_delete):
        for model in reader_rows:
            signal.connect(_reader_row_changed, sender=model, dispatch_uid=f"feed-{model.__name__}")
        for model in structure_rows:
            signal.connect(
                _structure_row_changed, sender=model, dispatch_uid=f"feed-{model.__name__}"
            )
        signal.connect(_person_changed, sender=settings.AUTH_USER_MODEL, dispatch_uid="feed-user")
