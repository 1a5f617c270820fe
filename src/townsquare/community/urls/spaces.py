"""Spaces pages: the directory, a space, joining and leaving, members and their managers."""

from django.urls import path

from ..views import spaces as views

urlpatterns = [
    path("spaces/", views.space_list, name="space_list"),
    path("spaces/new/", views.space_create, name="space_create"),
    path("s/<slug:slug>/", views.space_detail, name="space_detail"),
    path("s/<slug:slug>/edit/", views.space_edit, name="space_edit"),
    path("s/<slug:slug>/archive", views.space_archive, name="space_archive"),
    path("s/<slug:slug>/join/", views.space_join, name="space_join"),
    path("s/<slug:slug>/leave", views.space_leave, name="space_leave"),
    path(
        "s/<slug:slug>/invitation/decline",
        views.invitation_decline,
        name="invitation_decline",
    ),
    path("s/<slug:slug>/members/", views.space_members, name="space_members"),
    path("s/<slug:slug>/members/invite", views.member_invite, name="member_invite"),
    path(
        "s/<slug:slug>/members/<int:membership_id>/decide",
        views.request_decide,
        name="request_decide",
    ),
    path(
        "s/<slug:slug>/members/<int:membership_id>/role",
        views.member_role,
        name="member_role",
    ),
    path(
        "s/<slug:slug>/members/<int:membership_id>/remove",
        views.member_remove,
        name="member_remove",
    ),
]
