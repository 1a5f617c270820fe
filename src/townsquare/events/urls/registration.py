"""Event pages: registration."""

from __future__ import annotations

from django.urls import path

from ..views import registration

urlpatterns = [
    path("registrations/<int:pk>/", registration.registration_detail, name="registration_detail"),
]
