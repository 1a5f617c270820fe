"""The REST API at /api/v1/: assembles every app's router; errors are RFC 9457 problem documents."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.types import DictStrAny

from townsquare.academy.api import router as academy_router
from townsquare.accounts.api import router as accounts_router
from townsquare.accounts.auth import api_auth
from townsquare.community.api import router as community_router
from townsquare.core.errors import (
    DomainError,
    NotAuthenticated,
    NotFound,
    PermissionRefused,
    RateLimited,
    ValidationFailed,
)
from townsquare.core.middleware import audit_refusal
from townsquare.events.api import router as events_router
from townsquare.library.api import router as library_router
from townsquare.notifications.api import router as notifications_router


def _refuse_nul(value: Any, where: str = "") -> None:
    """PostgreSQL text cannot hold the NUL character; Django's forms refuse it, so does the API."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationFailed(
                "Text may not contain the NUL character (\\u0000).",
                field_errors={where or "body": ["Remove the NUL character (\\u0000)."]},
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(key, where)
            _refuse_nul(item, str(key))
    elif isinstance(value, list):
        for item in value:
            _refuse_nul(item, where)


class TextParser(Parser):
    """The JSON parser, refusing NUL characters in the body, query and form fields alike."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data = super().parse_body(request)
        _refuse_nul(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> DictStrAny:
        result = super().parse_querydict(data, list_fields, request)
        _refuse_nul(result)
        return result


api = NinjaAPI(
    title="Townsquare API",
    version="1.0.0",
    urls_namespace="api",
    auth=api_auth,
    parser=TextParser(),
    description=(
        "Authenticate with the browser session (unsafe methods need the CSRF token) or with a "
        "personal API token from Settings → API tokens as `Authorization: Bearer <token>`. Lists "
        "take `limit` and `offset` and return `{items, count}`. Errors are RFC 9457 problem "
        "documents with a stable `code`."
    ),
)


def problem(request: HttpRequest, error: DomainError) -> HttpResponse:
    return HttpResponse(
        json.dumps(error.as_problem(instance=request.path)),
        status=error.status,
        content_type="application/problem+json",
    )


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    if error.status == 403:
        audit_refusal(request, error.code)
    return problem(request, error)


# Where in the request a field came from, and the names of our schema parameters: a field error
# names the field alone ("offset", "profession"), as the person reading it knows it.
REQUEST_PARTS = frozenset(
    {"body", "query", "path", "header", "cookie", "form", "payload", "filters"}
)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, error: NinjaValidationError) -> HttpResponse:
    field_errors: dict[str, list[str]] = {}
    for item in error.errors:
        location = [str(part) for part in item.get("loc", []) if part not in REQUEST_PARTS]
        field_errors.setdefault(".".join(location) or "request", []).append(item.get("msg", ""))
    return problem(
        request,
        ValidationFailed("Some fields are not valid; see `errors`.", field_errors=field_errors),
    )


@api.exception_handler(AuthenticationError)
def on_authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    has_token = request.headers.get("Authorization", "").lower().startswith("bearer ")
    if has_token:
        audit_refusal(request, "invalid or revoked API token")
    message = (
        "The API token is unknown or revoked."
        if has_token
        else "Sign in, or send a personal API token as `Authorization: Bearer <token>`."
    )
    return problem(request, NotAuthenticated(message))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    audit_refusal(request, str(error) or "permission denied")
    return problem(request, PermissionRefused("You may not do this."))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(request, NotFound(str(error) or "Not found."))


class _HttpProblem(DomainError):
    code = "http-error"


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    problem_error: DomainError
    if isinstance(error.__cause__, DomainError):
        # ninja wraps what the body parser raised ("Cannot parse request body"); say what it was.
        problem_error = error.__cause__
    elif error.status_code == 429:
        problem_error = RateLimited(str(error))
    else:
        problem_error = _HttpProblem(str(error))
        problem_error.status = error.status_code  # type: ignore[misc]
    return problem(request, problem_error)


api.add_router("/accounts/", accounts_router)
api.add_router("/academy/", academy_router)
api.add_router("/events/", events_router)
api.add_router("/community/", community_router)
api.add_router("/library/", library_router)
api.add_router("/notifications/", notifications_router)


def api_routers() -> dict[str, Any]:
    """The mounted routers by prefix (for the permission-matrix test)."""
    return dict(api._routers)
