from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import (
    ApiToken,
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
    User,
    UserRole,
)


class UserRoleInline(admin.TabularInline):
    """Read-only here: roles change on the person's profile page, where each change is audited."""

    model = UserRole
    extra = 0
    fk_name = "user"
    fields = ["role", "granted_at", "granted_by"]
    readonly_fields = ["role", "granted_at", "granted_by"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class MembershipInline(admin.TabularInline):
    model = OrganizationMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "profession", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "profession", "roles__role"]
    search_fields = ["email", "display_name"]
    inlines = [UserRoleInline]
    readonly_fields = ["last_login", "date_joined", "deleted_at"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            "Profile",
            {
                "fields": (
                    "display_name",
                    "title",
                    "profession",
                    "credentials",
                    "bio",
                    "primary_organization",
                )
            },
        ),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined", "deleted_at")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")},
        ),
    )


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "email_domain", "sso_app"]
    list_filter = ["kind"]
    search_fields = ["name", "email_domain"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "name", "prefix", "token_hash", "created_at", "last_used_at"]
    search_fields = ["user__email", "name", "prefix"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(OrganizationInvitation)
class OrganizationInvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent, accepted and withdrawn through the audited pages."""

    list_display = [
        "email",
        "organization",
        "role",
        "invited_by",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    search_fields = ["email", "organization__name"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
