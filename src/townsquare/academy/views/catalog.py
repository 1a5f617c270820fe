from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def catalog(request: HttpRequest) -> HttpResponse:
    # Replaced by the catalog work: searchable, filterable list of published courses.
    return render(request, "academy/catalog/catalog.html", {})
