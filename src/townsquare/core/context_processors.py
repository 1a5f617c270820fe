from __future__ import annotations

from django.http import HttpRequest

from .navigation import navigation_for, section_navigation_for


def navigation(request: HttpRequest) -> dict:
    return {
        "navigation": navigation_for(request),
        "section_navigation": section_navigation_for(request),
    }
