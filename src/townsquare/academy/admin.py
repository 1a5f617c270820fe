"""The staff back office for the academy. Authoring, credentials and credit have their own pages,
where the rules and the audit trail apply; here, records that carry them are read-only."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Cohort,
    CohortMember,
    Course,
    Credential,
    CreditActivity,
    CreditClaim,
    Disclosure,
    Enrollment,
    FellowshipSubmission,
    LearningStatement,
    Lesson,
    Module,
    Program,
    ProgramItem,
    Topic,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written only by services (with their audit records): viewable, never edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["title", "position"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "status", "access_tier", "level", "estimated_hours"]
    list_filter = ["status", "access_tier", "level", "topics"]
    search_fields = ["code", "title"]
    readonly_fields = ["status", "published_at", "created_by"]
    autocomplete_fields = ["instructors", "prerequisites"]
    inlines = [ModuleInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "kind", "is_required"]
    list_filter = ["kind"]
    search_fields = ["title", "course__code"]
    list_select_related = ["course"]
    raw_id_fields = ["module", "course"]


class ProgramItemInline(admin.TabularInline):
    model = ProgramItem
    extra = 0
    raw_id_fields = ["course"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["title", "access_tier", "is_published"]
    search_fields = ["title"]
    inlines = [ProgramItemInline]


class CohortMemberInline(admin.TabularInline):
    model = CohortMember
    extra = 0
    raw_id_fields = ["user", "mentor"]
    readonly_fields = ["user", "role", "mentor"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["title", "course", "program", "starts_on", "ends_on", "mentee_limit"]
    search_fields = ["title"]
    raw_id_fields = ["course", "program"]
    inlines = [CohortMemberInline]


@admin.register(Enrollment)
class EnrollmentAdmin(ReadOnlyAdmin):
    list_display = ["user", "course", "status", "created_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "course__code"]
    list_select_related = ["user", "course"]


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ["title", "recipient_name", "kind", "issued_at", "revoked_at"]
    list_filter = ["kind", "level"]
    search_fields = ["verification_code", "recipient_name", "title"]


@admin.register(FellowshipSubmission)
class FellowshipSubmissionAdmin(ReadOnlyAdmin):
    list_display = ["title", "user", "level", "status", "submitted_at"]
    list_filter = ["level", "status"]
    list_select_related = ["user"]


class DisclosureInline(admin.TabularInline):
    model = Disclosure
    extra = 0


@admin.register(CreditActivity)
class CreditActivityAdmin(admin.ModelAdmin):
    list_display = ["course", "credit_type", "max_hours", "activity_number"]
    list_filter = ["credit_type"]
    raw_id_fields = ["course"]
    inlines = [DisclosureInline]


@admin.register(CreditClaim)
class CreditClaimAdmin(ReadOnlyAdmin):
    # Identifiers (licence, NABP id, birth date) are left off the list on purpose.
    list_display = ["user", "activity", "credit_type", "hours", "completed_on"]
    list_filter = ["credit_type"]
    list_select_related = ["user", "activity"]


@admin.register(LearningStatement)
class LearningStatementAdmin(ReadOnlyAdmin):
    list_display = ["timestamp", "user", "verb", "object_type", "object_id", "forwarded_at"]
    list_filter = ["verb", "object_type"]
