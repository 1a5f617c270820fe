from django.contrib import admin

from .models import AuditRecord


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = [
        "id",
        "created_at",
        "action",
        "actor_label",
        "target_type",
        "target_id",
        "ip_address",
    ]
    list_filter = ["action"]
    search_fields = ["action", "actor_label", "target_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
