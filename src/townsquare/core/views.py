from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers; also the benchmarks' baseline (the cheapest JSON view)."""
    return JsonResponse({"status": "ok"})


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error_page(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            {"type": "about:blank", "title": title, "status": status, "detail": detail},
            status=status,
            content_type="application/problem+json",
        )
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "detail": detail},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request,
        403,
        "You may not open this page",
        "Your account does not have access to this page. If you think it should, "
        "ask your organization's leader or the center staff.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error_page(
        request, 404, "Page not found", "There is nothing here, or it is not visible to you."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        500,
        "Something went wrong on our side",
        "The error is logged. Try again in a moment.",
    )
