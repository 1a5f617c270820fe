"""Library pages: members' submissions (see docs/library.md)."""

from __future__ import annotations

from django.urls import path

from ..views import submissions as views

urlpatterns = [
    path("submissions/", views.my_submissions, name="my_submissions"),
    path("submissions/new/", views.submission_create, name="submission_create"),
    path("submissions/<int:resource_id>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:resource_id>/edit/", views.submission_edit, name="submission_edit"),
    path("submissions/<int:resource_id>/submit", views.submission_submit, name="submission_submit"),
    path(
        "submissions/<int:resource_id>/resubmit",
        views.submission_resubmit,
        name="submission_resubmit",
    ),
    path(
        "submissions/<int:resource_id>/withdraw",
        views.submission_withdraw,
        name="submission_withdraw",
    ),
    path(
        "submissions/<int:resource_id>/files/<int:file_id>/download",
        views.submission_file,
        name="submission_file",
    ),
]
