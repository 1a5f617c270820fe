from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/roles/", views.person_roles, name="person_roles"),
    path("people/<int:person_id>/avatar", views.person_avatar, name="person_avatar"),
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("organizations/<slug:slug>/edit/", views.organization_edit, name="organization_edit"),
    path(
        "organizations/<slug:slug>/members/",
        views.organization_members,
        name="organization_members",
    ),
    path(
        "organizations/<slug:slug>/members/<int:membership_id>/",
        views.organization_member_update,
        name="organization_member_update",
    ),
    path(
        "organizations/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        views.organization_invitation_revoke,
        name="organization_invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("settings/", views.settings_profile, name="settings_profile"),
    path("settings/tokens/", views.settings_tokens, name="settings_tokens"),
    path(
        "settings/tokens/<int:token_id>/revoke/",
        views.settings_token_revoke,
        name="settings_token_revoke",
    ),
    path("settings/privacy/", views.settings_privacy, name="settings_privacy"),
    path("settings/privacy/export.json", views.settings_export, name="settings_export"),
    path("settings/privacy/delete/", views.settings_delete, name="settings_delete"),
]
