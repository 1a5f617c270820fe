"""The staff back office for the library. Resources, versions, files, reviews, access requests,
grants and usage are written by services that audit the change and keep the search index up to
date (the staff pages at /library/manage/ and the review and access pages do that); here they are
read-only. What staff may fix by hand is plain data: topics, collections and their items, the
policy builder's clauses and options."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from .models import (
    AccessGrant,
    AccessRequest,
    Chapter,
    Collection,
    CollectionItem,
    PolicyClause,
    PolicyDraft,
    PolicyOption,
    Resource,
    ResourceAuthor,
    ResourceFile,
    ResourceUsage,
    ResourceVersion,
    ReviewEvent,
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


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AuthorInline(ReadOnlyInline):
    model = ResourceAuthor
    fields = readonly_fields = ("position", "name", "person", "organization", "is_organization")
    show_change_link = False


class VersionInline(ReadOnlyInline):
    model = ResourceVersion
    fields = readonly_fields = ("number", "change_note", "created_by", "created_at")
    ordering = ("-number",)


class ReviewEventInline(ReadOnlyInline):
    model = ReviewEvent
    fields = readonly_fields = ("created_at", "action", "actor", "comment")
    show_change_link = False


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    """Edited, published and withdrawn on the library's staff pages (link on each row)."""

    list_display = ["title", "kind", "access", "status", "organization", "published_at", "manage"]
    list_filter = ["status", "kind", "access", "audience", "is_submission", "is_listed"]
    search_fields = ["title", "slug", "doi", "isbn"]
    list_select_related = ["organization"]
    date_hierarchy = "created_at"
    inlines = [AuthorInline, VersionInline, ReviewEventInline]

    @admin.display(description="Staff page")
    def manage(self, resource: Resource) -> str:
        return format_html(
            '<a href="{}">Edit</a>', reverse("library:resource_edit", args=[resource.pk])
        )


class FileInline(ReadOnlyInline):
    model = ResourceFile
    fields = readonly_fields = ("position", "original_name", "kind", "size", "extraction")


class ChapterInline(ReadOnlyInline):
    model = Chapter
    fields = readonly_fields = ("number", "title")


@admin.register(ResourceVersion)
class ResourceVersionAdmin(ReadOnlyAdmin):
    list_display = ["resource", "number", "change_note", "created_by", "created_at"]
    search_fields = ["resource__title", "change_note"]
    list_select_related = ["resource", "created_by"]
    inlines = [FileInline, ChapterInline]


@admin.register(ResourceFile)
class ResourceFileAdmin(ReadOnlyAdmin):
    """Extracted text is not shown: it may be long, and private documents' text stays private."""

    list_display = ["original_name", "version", "kind", "size", "extraction", "page_count"]
    list_filter = ["kind", "extraction"]
    search_fields = ["original_name", "title", "version__resource__title"]
    list_select_related = ["version__resource"]
    exclude = ["extracted_text"]


@admin.register(Chapter)
class ChapterAdmin(ReadOnlyAdmin):
    list_display = ["title", "number", "version"]
    search_fields = ["title", "version__resource__title"]
    list_select_related = ["version__resource"]


@admin.register(ResourceAuthor)
class ResourceAuthorAdmin(ReadOnlyAdmin):
    list_display = ["name", "resource", "position", "is_organization"]
    search_fields = ["name", "resource__title"]
    list_select_related = ["resource"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class CollectionItemInline(admin.TabularInline):
    model = CollectionItem
    extra = 0
    fields = ["position", "resource", "note"]
    raw_id_fields = ["resource"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_toolkit", "is_published", "updated_at"]
    list_filter = ["is_toolkit", "is_published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [CollectionItemInline]


@admin.register(CollectionItem)
class CollectionItemAdmin(admin.ModelAdmin):
    list_display = ["collection", "position", "resource", "note"]
    search_fields = ["collection__title", "resource__title"]
    list_select_related = ["collection", "resource"]
    raw_id_fields = ["collection", "resource"]


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    """Decided on the access-request pages (the decision is audited and the person told)."""

    list_display = ["resource", "requester", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status"]
    search_fields = ["resource__title", "requester__email"]
    list_select_related = ["resource", "requester", "decided_by"]


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnlyAdmin):
    list_display = ["resource", "person", "granted_by", "created_at"]
    search_fields = ["resource__title", "person__email"]
    list_select_related = ["resource", "person", "granted_by"]


@admin.register(ResourceUsage)
class ResourceUsageAdmin(ReadOnlyAdmin):
    list_display = ["resource", "month", "views", "downloads"]
    search_fields = ["resource__title"]
    list_select_related = ["resource"]
    date_hierarchy = "month"


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["resource", "action", "actor", "created_at"]
    list_filter = ["action"]
    search_fields = ["resource__title", "actor__email"]
    list_select_related = ["resource", "actor"]


class PolicyOptionInline(admin.StackedInline):
    model = PolicyOption
    extra = 0
    fields = ["position", "key", "label", "text", "is_default"]


@admin.register(PolicyClause)
class PolicyClauseAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "position", "is_required", "is_active"]
    list_filter = ["is_required", "is_active"]
    search_fields = ["title", "key"]
    prepopulated_fields = {"key": ["title"]}
    inlines = [PolicyOptionInline]


@admin.register(PolicyOption)
class PolicyOptionAdmin(admin.ModelAdmin):
    list_display = ["label", "clause", "key", "position", "is_default"]
    search_fields = ["label", "key", "clause__title"]
    list_select_related = ["clause"]
    raw_id_fields = ["clause"]


@admin.register(PolicyDraft)
class PolicyDraftAdmin(ReadOnlyAdmin):
    """Built on the policy builder's pages by the organization's leaders."""

    list_display = ["title", "organization", "resource", "updated_at"]
    search_fields = ["title", "organization__name"]
    list_select_related = ["organization", "resource"]
