"""Event pages: public."""

from __future__ import annotations

from django.urls import path

from ..views import public

urlpatterns = [
    path("<slug:slug>/", public.event_detail, name="event_detail"),
]
