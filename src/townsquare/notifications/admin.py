"""The staff back office: notifications and settings, read only. Notifications are written by
services alone and name the spaces people belong to, so the list shows no summaries and offers
no export; a single notification's page shows what support needs to answer a question."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Notification, NotificationSettings, ScopeSetting


class ReadOnlyAdmin(admin.ModelAdmin):
    actions = None  # no bulk actions (and so no bulk export)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["id", "recipient", "kind", "scope", "created_at", "read_at", "email_state"]
    list_filter = ["kind", "email_state"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "scope"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = (
        "recipient",
        "kind",
        "actor_label",
        "summary",
        "url",
        "scope",
        "scope_label",
        "created_at",
        "read_at",
        "email_state",
        "digest_mode",
        "emailed_at",
    )
    readonly_fields = fields


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(ReadOnlyAdmin):
    list_display = ["user", "email_mode", "last_daily_digest_at", "last_weekly_digest_at"]
    list_filter = ["email_mode"]
    list_select_related = ["user"]
    search_fields = ["user__email"]


@admin.register(ScopeSetting)
class ScopeSettingAdmin(ReadOnlyAdmin):
    list_display = ["user", "scope", "level", "email_mode"]
    list_filter = ["level"]
    list_select_related = ["user"]
    search_fields = ["user__email", "scope"]
