"""Domain errors: raised by services; messages on pages, RFC 9457 problem documents in the API.

Each error has a stable ``code`` (the problem ``type`` is built from it) and an HTTP status.
"""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """A rule of the domain refused the request. The message is safe to show to the user."""

    code: ClassVar[str] = "domain-error"
    status: ClassVar[int] = 400
    title: ClassVar[str] = "The request could not be completed"

    def __init__(
        self, message: str, *, field_errors: dict[str, list[str]] | None = None, **extra: Any
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}
        self.extra = extra

    def as_problem(self, *, instance: str = "") -> dict[str, Any]:
        problem: dict[str, Any] = {
            "type": f"https://townsquare.dev/problems/{self.code}",
            "title": self.title,
            "status": self.status,
            "detail": self.message,
            "code": self.code,
        }
        if instance:
            problem["instance"] = instance
        if self.field_errors:
            problem["errors"] = self.field_errors
        problem.update(self.extra)
        return problem


class ValidationFailed(DomainError):
    code = "validation-failed"
    status = 422
    title = "The input is not valid"


class NotFound(DomainError):
    code = "not-found"
    status = 404
    title = "Not found"


class PermissionRefused(DomainError):
    code = "permission-denied"
    status = 403
    title = "You may not do this"


class NotAuthenticated(DomainError):
    code = "not-authenticated"
    status = 401
    title = "Sign in first"


class Conflict(DomainError):
    code = "conflict"
    status = 409
    title = "This conflicts with the current state"


class RateLimited(DomainError):
    code = "rate-limited"
    status = 429
    title = "Too many requests"


def validated(instance: Any, *, exclude: list[str] | None = None) -> None:
    """Run a model's ``full_clean`` and turn Django's ValidationError into ValidationFailed."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field_errors = {
            field: [str(message) for message in messages]
            for field, messages in error.message_dict.items()
        }
        summary = "; ".join(f"{field}: {messages[0]}" for field, messages in field_errors.items())
        raise ValidationFailed(f"Please correct: {summary}", field_errors=field_errors) from error
