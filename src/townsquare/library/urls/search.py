"""Library pages: search (built by its section; see docs/library-parts/CONTRACT.md)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
