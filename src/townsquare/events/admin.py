"""The staff back office for events. Organizers have their own pages, where the rules and the audit
trail apply (publishing, capacity, registrations, offers, check-in, decisions on proposals); here,
the rows those services write are read-only, and what staff may fix by hand is plain data."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import (
    CalendarToken,
    CallForProposals,
    DiscountCode,
    Event,
    EventMessage,
    EventSeries,
    Feedback,
    Order,
    Proposal,
    ProposalReview,
    Registration,
    RegistrationQuestion,
    Room,
    ScheduleItem,
    Session,
    Speaker,
    TicketType,
    Track,
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


@admin.register(EventSeries)
class EventSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "is_bundle"]
    list_filter = ["is_bundle"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


class TicketTypeInline(admin.TabularInline):
    model = TicketType
    extra = 0
    fields = ["name", "price", "capacity", "members_only", "minimum_tier", "is_active", "position"]


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "format", "status", "starts_at", "capacity", "series"]
    list_filter = ["status", "format", "access_tier", "waitlist_mode"]
    search_fields = ["title", "slug"]
    date_hierarchy = "starts_at"
    list_select_related = ["series"]
    raw_id_fields = ["host_organization", "credit_activity", "created_by"]
    autocomplete_fields = ["organizers", "series"]
    # Publishing and cancelling e-mail people and index the search; capacity changes must hand
    # freed seats to the waiting list. The organizer pages do that; here they are shown only.
    readonly_fields = ["status", "published_at", "created_by", "created_at", "updated_at"]
    inlines = [TicketTypeInline, TrackInline, RoomInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("capacity")
        return fields


@admin.register(TicketType)
class TicketTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "price", "capacity", "members_only", "is_active"]
    list_filter = ["is_active", "members_only"]
    search_fields = ["name", "event__title"]
    list_select_related = ["event"]
    raw_id_fields = ["event"]


@admin.register(DiscountCode)
class DiscountCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "event", "kind", "value", "used_count", "max_uses", "valid_until"]
    list_filter = ["kind"]
    search_fields = ["code", "event__title"]
    list_select_related = ["event"]
    raw_id_fields = ["event"]
    filter_horizontal = ["ticket_types"]
    readonly_fields = ["used_count"]  # counted by the registration service under the event lock


@admin.register(RegistrationQuestion)
class RegistrationQuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "event", "kind", "purpose", "is_required", "position"]
    list_filter = ["kind", "purpose", "is_required"]
    search_fields = ["label", "event__title"]
    list_select_related = ["event"]
    raw_id_fields = ["event"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "color", "position"]
    search_fields = ["name", "event__title"]
    list_select_related = ["event"]
    raw_id_fields = ["event"]


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "capacity", "position"]
    search_fields = ["name", "event__title"]
    list_select_related = ["event"]
    raw_id_fields = ["event"]


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "affiliation", "disclosed_at"]
    search_fields = ["name", "email", "affiliation", "event__title"]
    list_select_related = ["event"]
    raw_id_fields = ["event", "user"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "kind", "starts_at", "ends_at", "track", "room"]
    list_filter = ["kind"]
    search_fields = ["title", "event__title"]
    list_select_related = ["event", "track", "room"]
    raw_id_fields = ["event", "track", "room"]
    filter_horizontal = ["speakers"]


@admin.register(ScheduleItem)
class ScheduleItemAdmin(ReadOnlyAdmin):
    list_display = ["user", "session", "added_at"]
    search_fields = ["user__email", "session__title"]
    list_select_related = ["user", "session"]


@admin.register(CallForProposals)
class CallForProposalsAdmin(admin.ModelAdmin):
    list_display = ["event", "opens_at", "closes_at"]
    search_fields = ["event__title"]
    list_select_related = ["event"]
    raw_id_fields = ["event"]
    autocomplete_fields = ["reviewers"]


class ProposalReviewInline(ReadOnlyInline):
    model = ProposalReview
    fields = readonly_fields = ("reviewer", "score", "comment", "created_at")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    """Submitted, reviewed and decided on the proposal pages (a decision e-mails the submitter)."""

    list_display = ["title", "call", "submitter", "kind", "status", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "submitter__email"]
    list_select_related = ["call__event", "submitter"]
    inlines = [ProposalReviewInline]


@admin.register(ProposalReview)
class ProposalReviewAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "reviewer", "score", "created_at"]
    list_select_related = ["proposal", "reviewer"]


class RegistrationInline(ReadOnlyInline):
    model = Registration
    fields = readonly_fields = ("attendee", "ticket_type", "status", "price")


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["reference", "event", "buyer", "status", "total", "invoice_number", "paid_at"]
    list_filter = ["status"]
    search_fields = ["reference", "invoice_number", "buyer__email"]
    list_select_related = ["event", "buyer"]
    inlines = [RegistrationInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    """Registering, offers, cancelling, transfers and check-in lock the event's seats and write
    the audit log; they happen through the service, never by editing a row here."""

    list_display = [
        "attendee",
        "event",
        "ticket_type",
        "status",
        "waitlisted_at",
        "confirmed_at",
        "checked_in_at",
        "attended",
    ]
    list_filter = ["status", "attended", "attendance_source"]
    search_fields = [
        "attendee__email",
        "attendee__display_name",
        "event__title",
        "order__reference",
    ]
    list_select_related = ["attendee", "event", "ticket_type"]
    # The ticket code is the secret behind the QR code: never listed, never shown.
    exclude = ["ticket_code"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyAdmin):
    # Only the hash is stored, and it is not shown either; the prefix identifies the link.
    list_display = ["user", "prefix", "created_at", "last_used_at"]
    search_fields = ["user__email", "prefix"]
    list_select_related = ["user"]
    exclude = ["token_hash"]


@admin.register(EventMessage)
class EventMessageAdmin(ReadOnlyAdmin):
    list_display = ["subject", "event", "audience", "recipient_count", "created_at"]
    list_filter = ["audience"]
    search_fields = ["subject", "event__title"]
    list_select_related = ["event"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["event", "user", "created_at"]
    search_fields = ["event__title"]
    list_select_related = ["event", "user"]
