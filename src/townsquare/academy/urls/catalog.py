from __future__ import annotations

from django.urls import path

from ..views import catalog

urlpatterns = [
    path("", catalog.catalog, name="catalog"),
    path("courses/<slug:slug>/", catalog.course_detail, name="course_detail"),
    path("attachments/<int:pk>/", catalog.attachment_download, name="attachment_download"),
    path("lessons/<int:pk>/captions.vtt", catalog.lesson_captions, name="lesson_captions"),
]
