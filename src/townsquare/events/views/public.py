"""Public event pages. (Starting point: the public-pages helper replaces this module.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    raise NotImplementedError
