"""Library pages: search."""

from __future__ import annotations

from django.urls import URLPattern, path

from ..views import search as views

urlpatterns: list[URLPattern] = [
    path("search/", views.search, name="search"),
]
