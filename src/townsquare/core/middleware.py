"""Turns domain errors raised under a page into a clear page, and audits refused access."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .audit import audit_record
from .errors import DomainError, NotAuthenticated


def audit_refusal(request: HttpRequest, reason: str) -> None:
    audit_record(
        action="access.refused",
        request=request,
        data={"path": request.path[:300], "method": request.method, "reason": reason[:200]},
    )


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied):
            audit_refusal(request, str(exception) or "permission denied")
            return None
        if isinstance(exception, NotAuthenticated):
            return redirect_to_login(request.get_full_path())
        if isinstance(exception, DomainError):
            if exception.status == 403:
                audit_refusal(request, exception.code)
            return render(
                request, "errors/problem.html", {"error": exception}, status=exception.status
            )
        return None
