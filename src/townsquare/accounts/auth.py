"""API authentication: the browser session (with CSRF) or a personal token as a Bearer header."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django_ratelimit.core import get_usage
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer

from . import services


def _client_address(group: str, request: HttpRequest) -> str:
    # Not every server sets REMOTE_ADDR (unix sockets, some proxies); count those together.
    return request.META.get("REMOTE_ADDR") or "unknown"


# An address with a failed attempt in the last day: only its requests read the precise counter.
FAILED_RECENTLY_SECONDS = 24 * 60 * 60


def _failed_recently_key(request: HttpRequest) -> str:
    return f"api-token-failed-recently:{_client_address('', request)}"


class TokenAuth(HttpBearer):
    """Personal API tokens. Failed attempts are counted per client address; past the limit even a
    valid token waits for the window to pass, so tokens cannot be guessed at speed.

    Reading django-ratelimit's counter writes to the cache when it is absent (``cache.add``),
    several queries with the database cache on every API call; so an address that never failed
    costs the read of a marker set on its first failure, together with the token's kept owner."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        limit = {
            "group": "api-token-failed",
            "key": _client_address,
            "rate": settings.RATE_LIMIT_API_TOKEN_FAILED,
        }
        # The marker and the token's kept owner in one round trip to the cache.
        marker = _failed_recently_key(request)
        found = cache.get_many([marker, *services.api_token_cache_keys(token)])
        if found.get(marker):
            usage = get_usage(request, **limit, increment=False)
            if usage is not None and usage["count"] >= usage["limit"]:
                raise HttpError(429, "Too many failed API token attempts. Wait a minute and retry.")
        user = services.api_token_authenticate(token, found=found)
        if user is None:
            cache.set(_failed_recently_key(request), True, FAILED_RECENTLY_SECONDS)
            get_usage(request, **limit, increment=True)
            return None
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session cookie; unsafe methods also need the CSRF token (ninja checks it)."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


token_auth = TokenAuth()
session_auth = SessionAuth()
api_auth = [token_auth, session_auth]
