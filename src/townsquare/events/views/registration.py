"""Registration pages. (Starting point: the registration helper replaces this module.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
