"""Stamps: cache keys whose value changes whenever what they guard changes.

A kept copy (a rendered page, an authenticated person) is stored with the stamp read *before* its
sources were read, and served only while the stamp is still the same. ``bump`` gives the stamp a
new random value at once and again when the transaction commits, so a copy built in between, from
data not yet committed (or from data read just before the commit), is never served after it. A
stamp the cache lost matches nothing: the copy is built again, never served stale.

Django's cache has no such helper; this is the pattern Zulip and Discourse use for their caches,
written against Django's cache API so that it works with the database cache and with Redis.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction

STAMP_SECONDS = 7 * 24 * 60 * 60


def _new() -> str:
    return secrets.token_hex(8)


def bump(*keys: str) -> None:
    """What these stamps guard changed: every copy kept under their current values is stale."""
    if not keys:
        return
    cache.set_many(dict.fromkeys(keys, _new()), STAMP_SECONDS)
    transaction.on_commit(lambda: cache.set_many(dict.fromkeys(keys, _new()), STAMP_SECONDS))


def ensure(key: str) -> str | None:
    """The stamp's value, given one now if it has none. None if the cache dropped it at once (then
    nothing is kept under it). Call it before reading what the stamp guards: called after, it
    could return the value of a change that committed in between."""
    cache.add(key, _new(), STAMP_SECONDS)
    value = cache.get(key)
    return value if isinstance(value, str) else None
