"""Library pages: staff authoring (resources, versions, publishing, the review-by list, topics)."""

from __future__ import annotations

from django.urls import path

from ..views import manage as views

urlpatterns = [
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.resource_create, name="resource_create"),
    path("manage/review-due/", views.review_due, name="review_due"),
    path("manage/topics/", views.topic_manage, name="topic_manage"),
    path("manage/<int:resource_id>/edit/", views.resource_edit, name="resource_edit"),
    path("manage/<int:resource_id>/versions/new/", views.version_create, name="version_create"),
    path("manage/<int:resource_id>/publish", views.resource_publish, name="resource_publish"),
    path("manage/<int:resource_id>/withdraw", views.resource_withdraw, name="resource_withdraw"),
]
