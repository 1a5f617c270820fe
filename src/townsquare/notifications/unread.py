"""The unread count shown in every page's header, kept in Django's cache per person.

Every signed-in page shows the count, so it must not cost a query per page where a shared
in-memory cache (Redis, memcached, local memory) can hold it: the header shows the cached count,
and where there is none yet it shows a plain link that HTMX completes from ``notifications:bell``
(which counts, and keeps the count), so rendering a page never counts.

Each service that changes what is unread forgets the affected people's counts at once and again
after its transaction commits (a page rendered in between could otherwise cache the count from
before the commit); the entry also expires after ``CACHE_SECONDS``, which bounds how stale a
count could get in any race.

Where the cache lives in the database (the ``DatabaseCache`` default of a setup without
``CACHE_URL``) a cache read is itself a query and a miss costs several, so there the count is
simply counted: one indexed ``COUNT`` per page. A failing cache never breaks a page: the header
shows the plain link and the fragment counts without the cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.dummy import DummyCache
from django.db import transaction

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300


def cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def is_cached() -> bool:
    """Whether keeping the count in the cache saves queries (see the module's docstring)."""
    return not isinstance(caches["default"], DatabaseCache | DummyCache)


def cached(user_id: int) -> int | None:
    """The count kept in the cache, or ``None`` when it is not there (or cannot be read)."""
    if not is_cached():
        return None
    try:
        value = cache.get(cache_key(user_id))
    except Exception:
        logger.warning("could not read the unread count from the cache", exc_info=True)
        return None
    return value if isinstance(value, int) else None


def cached_count(user_id: int, count: Callable[[], int]) -> int:
    """The cached count of ``user_id``, computed with ``count`` (and kept) when missing."""
    if not is_cached():
        return count()
    key = cache_key(user_id)
    try:
        value = cache.get(key)
    except Exception:  # a cache outage must not take every page down with it
        logger.warning("could not read the unread count from the cache", exc_info=True)
        return count()
    if isinstance(value, int):
        return value
    value = count()
    try:
        cache.set(key, value, CACHE_SECONDS)
    except Exception:
        logger.warning("could not keep the unread count in the cache", exc_info=True)
    return value


def _delete(keys: list[str]) -> None:
    try:
        cache.delete_many(keys)
    except Exception:
        logger.warning("could not forget unread counts in the cache", exc_info=True)


def forget(user_ids: Iterable[int]) -> None:
    """Drop the cached counts of ``user_ids`` now and again after the transaction commits."""
    if not is_cached():
        return
    keys = [cache_key(user_id) for user_id in sorted(set(user_ids))]
    if not keys:
        return
    _delete(keys)
    transaction.on_commit(lambda: _delete(keys))
