"""Community pages: moderation (flags, the queue, decisions, the log, sanctions)."""

from __future__ import annotations

from django.urls import path

from ..views import moderation as views

urlpatterns = [
    path("flag/", views.flag_create, name="flag_create"),
    path("moderation/", views.moderation_home, name="moderation_home"),
    path("s/<slug:slug>/moderation/", views.moderation_queue, name="moderation_queue"),
    path("s/<slug:slug>/moderation/decide", views.moderation_decide, name="moderation_decide"),
    path("s/<slug:slug>/moderation/log/", views.moderation_log, name="moderation_log"),
    path(
        "s/<slug:slug>/moderation/people/<int:user_id>",
        views.sanction,
        name="sanction",
    ),
    path(
        "s/<slug:slug>/moderation/people/<int:user_id>/",
        views.member_moderation,
        name="member_moderation",
    ),
]
