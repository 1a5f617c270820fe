from __future__ import annotations

from django.urls import path

from ..views import authoring as views

urlpatterns = [
    path("teach/", views.my_courses, name="authoring_courses"),
    path("teach/new/", views.course_create, name="authoring_course_create"),
    path("teach/<slug:slug>/", views.course_manage, name="authoring_course"),
    path("teach/<slug:slug>/edit/", views.course_edit, name="authoring_course_edit"),
    path("teach/<slug:slug>/preview/", views.course_preview, name="authoring_preview"),
    path("teach/<slug:slug>/publish/", views.course_publish, name="authoring_publish"),
    path("teach/<slug:slug>/unpublish/", views.course_unpublish, name="authoring_unpublish"),
    path("teach/<slug:slug>/move/", views.item_move, name="authoring_move"),
    path("teach/<slug:slug>/reorder/", views.items_reorder, name="authoring_reorder"),
    path("teach/<slug:slug>/modules/new/", views.module_create, name="authoring_module_create"),
    path(
        "teach/<slug:slug>/modules/<int:pk>/edit/", views.module_edit, name="authoring_module_edit"
    ),
    path(
        "teach/<slug:slug>/modules/<int:pk>/delete/",
        views.module_delete,
        name="authoring_module_delete",
    ),
    path(
        "teach/<slug:slug>/modules/<int:module_pk>/lessons/new/",
        views.lesson_create,
        name="authoring_lesson_create",
    ),
    path("teach/<slug:slug>/lessons/<int:pk>/", views.lesson_edit, name="authoring_lesson"),
    path(
        "teach/<slug:slug>/lessons/<int:pk>/delete/",
        views.lesson_delete,
        name="authoring_lesson_delete",
    ),
    path(
        "teach/<slug:slug>/lessons/<int:pk>/files/",
        views.attachments_add,
        name="authoring_attachments_add",
    ),
    path(
        "teach/<slug:slug>/files/<int:pk>/delete/",
        views.attachment_delete,
        name="authoring_attachment_delete",
    ),
    path(
        "teach/<slug:slug>/lessons/<int:lesson_pk>/questions/new/",
        views.question_create,
        name="authoring_question_create",
    ),
    path(
        "teach/<slug:slug>/questions/<int:pk>/",
        views.question_edit,
        name="authoring_question_edit",
    ),
    path(
        "teach/<slug:slug>/questions/<int:pk>/delete/",
        views.question_delete,
        name="authoring_question_delete",
    ),
]
