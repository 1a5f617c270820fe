"""Library pages: the catalog (browse, a resource's stable link, versions, chapters, downloads,
citations, topics)."""

from __future__ import annotations

from django.urls import path

from ..views import catalog

urlpatterns = [
    path("", catalog.catalog, name="catalog"),
    path("topics/", catalog.topic_list, name="topic_list"),
    path("r/<slug:slug>/", catalog.resource_detail, name="resource_detail"),
    path("r/<slug:slug>/v/<int:number>/", catalog.version_detail, name="version_detail"),
    path("r/<slug:slug>/chapters/<int:number>/", catalog.chapter_detail, name="chapter_detail"),
    path(
        "r/<slug:slug>/v/<int:number>/chapters/<int:chapter>/",
        catalog.version_chapter_detail,
        name="version_chapter_detail",
    ),
    path(
        "r/<slug:slug>/files/<int:file_id>/download",
        catalog.file_download,
        name="file_download",
    ),
    path("r/<slug:slug>/cite.<str:fmt>", catalog.citation, name="citation"),
]
