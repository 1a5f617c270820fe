"""Organization single sign-on pages, mounted under ``accounts/`` next to allauth's URLs."""

from django.urls import path

from . import sso_views

app_name = "sso"

urlpatterns = [
    path("sso/", sso_views.sso_start, name="start"),
]
