"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

``django.core.cache.backends.redis.RedisCacheClient.get_client`` builds a new ``redis.Redis`` for
every cache operation, and redis-py fills a dictionary of about 170 response callbacks in each
one's constructor: 0.1-0.2 ms of CPU per operation, more than the round trip to Redis on the same
machine. A client is only a handle on its pool (connections come from the pool per command and
go back after it), so one per pool serves every thread. Settings use this backend wherever
``CACHE_URL`` names Redis.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _Client(RedisCacheClient):
    # Django's own (private, untyped in django-stubs) members this overrides around.
    _client: Any
    _get_connection_pool_index: Any
    _get_connection_pool: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _Client
