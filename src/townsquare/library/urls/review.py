"""Library pages: the reviewers' queue and decisions (see docs/library.md)."""

from __future__ import annotations

from django.urls import path

from ..views import review as views

urlpatterns = [
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:resource_id>/", views.review_detail, name="review_detail"),
    path("review/<int:resource_id>/decide", views.review_decide, name="review_decide"),
    path("review/<int:resource_id>/comment", views.review_comment, name="review_comment"),
]
