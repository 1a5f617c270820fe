"""The Redis cache backend (``core.cache``) against the machine's Redis: one client per pool, and
the cache API behaving as Django's own backend does."""

from __future__ import annotations

import socket
import uuid

import pytest

from townsquare.core.cache import RedisCache

REDIS = ("127.0.0.1", 6379)


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as peer:
            peer.sendall(b"PING\r\n")
            return peer.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")


@pytest.fixture
def redis_cache():
    backend = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield backend
    backend.clear()


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client()

    assert redis_cache._cache.get_client(write=True) is client
    assert redis_cache._cache.get_client("any key") is client


def test_it_is_the_cache_api_all_the_same(redis_cache):
    redis_cache.set("page", {"ids": [3, 2, 1]}, 30)
    assert redis_cache.add("page", "other", 30) is False
    assert redis_cache.add("stamp", "a1", 30) is True

    assert redis_cache.get_many(["page", "stamp", "absent"]) == {
        "page": {"ids": [3, 2, 1]},
        "stamp": "a1",
    }
    redis_cache.set_many({"page": "new", "stamp": "b2"}, 30)
    redis_cache.delete("stamp")
    assert redis_cache.get_many(["page", "stamp"]) == {"page": "new"}
