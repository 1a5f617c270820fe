"""Notification pages, mounted at /notifications/."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open", views.notification_open, name="open"),
    path("<int:pk>/read", views.notification_mark_read, name="read"),
    path("read-all", views.notifications_mark_all_read, name="read_all"),
    path("settings/", views.notification_settings, name="settings"),
    path("scopes/", views.scope_setting, name="scope_setting"),
    path("bell", views.bell, name="bell"),
]
