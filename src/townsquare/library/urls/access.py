"""Library pages: access requests and decisions, grants, usage statistics."""

from __future__ import annotations

from django.urls import path

from ..views import access as views

urlpatterns = [
    path("r/<slug:slug>/request-access/", views.access_request, name="access_request"),
    path("requests/mine/", views.my_access_requests, name="my_access_requests"),
    path("requests/", views.access_requests, name="access_requests"),
    path("requests/<int:request_id>/decide", views.access_decide, name="access_decide"),
    path(
        "requests/<int:request_id>/withdraw",
        views.access_request_withdraw,
        name="access_request_withdraw",
    ),
    path("requests/grants/<int:grant_id>/revoke", views.grant_revoke, name="grant_revoke"),
    path("r/<slug:slug>/usage/", views.resource_usage, name="resource_usage"),
    path("r/<slug:slug>/usage.csv", views.resource_usage_csv, name="resource_usage_csv"),
    path("manage/usage/", views.usage_overview, name="usage_overview"),
    path("manage/usage.csv", views.usage_overview_csv, name="usage_overview_csv"),
]
