"""Events and their agenda: series, events, tracks, rooms, sessions, speakers, schedules."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from townsquare.academy.models import AccessTier
from townsquare.core.models import TimeStampedModel


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            f"“{value}” is not a time zone name; use one like America/Chicago."
        ) from error


class EventFormat(models.TextChoices):
    WEBINAR = "webinar", "Webinar"
    WORKSHOP = "workshop", "Workshop at the center"
    ONSITE_WORKSHOP = "onsite_workshop", "On-site workshop"
    BOOT_CAMP = "boot_camp", "Boot camp"
    CONFERENCE = "conference", "Conference"


ONLINE_FORMATS = frozenset({EventFormat.WEBINAR})


class EventStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    CANCELLED = "cancelled", "Cancelled"


class WaitlistMode(models.TextChoices):
    OFFER = "offer", "Offer the seat by email; it expires if not taken"
    AUTO_CONFIRM = "auto_confirm", "Confirm the first in line at once"
    NONE = "none", "No waiting list: refuse when full"


class OnlineProvider(models.TextChoices):
    NONE = "", "Not online"
    ZOOM = "zoom", "Zoom"
    TEAMS = "teams", "Microsoft Teams"
    WEBEX = "webex", "Webex"
    OTHER = "other", "Other"


class EventSeries(TimeStampedModel):
    """Events shown together: a webinar series, or a bundle such as the conference week."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True, help_text="Markdown.")
    is_bundle = models.BooleanField(
        default=False,
        help_text="A bundle (a conference week) is one occasion made of several events.",
    )

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "event series"

    def __str__(self) -> str:
        return self.title


class Event(TimeStampedModel):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=400, help_text="One or two sentences for lists.")
    description = models.TextField(blank=True, help_text="Markdown.")
    format = models.CharField(max_length=20, choices=EventFormat.choices)
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT)
    series = models.ForeignKey(
        EventSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    # Stored in UTC; shown in ``time_zone`` on the event page and in the viewer's own zone.
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    venue_name = models.CharField(max_length=200, blank=True)
    venue_address = models.TextField(blank=True)
    accessibility_notes = models.TextField(
        blank=True, help_text="Step-free access, hearing loops, captions, quiet room…"
    )
    online_provider = models.CharField(
        max_length=10, choices=OnlineProvider.choices, blank=True, default=OnlineProvider.NONE
    )
    # Shown to confirmed attendees only.
    join_url = models.URLField(blank=True, max_length=500)
    join_details = models.TextField(blank=True, help_text="Dial-in numbers, passcode. Markdown.")
    recording_url = models.URLField(blank=True, max_length=500)
    captions_url = models.URLField(blank=True, max_length=500)
    host_organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_events",
    )
    capacity = models.PositiveIntegerField(help_text="Seats for all ticket types together.")
    registration_opens_at = models.DateTimeField(null=True, blank=True)
    registration_closes_at = models.DateTimeField(null=True, blank=True)
    cancellation_deadline = models.DateTimeField(
        null=True, blank=True, help_text="Attendees may cancel until then (default: the start)."
    )
    audience = models.CharField(
        max_length=200, blank=True, help_text="Who it is for, e.g. Nurses and nurse leaders."
    )
    access_tier = models.CharField(
        max_length=10, choices=AccessTier.choices, default=AccessTier.MEMBER
    )
    waitlist_mode = models.CharField(
        max_length=12, choices=WaitlistMode.choices, default=WaitlistMode.OFFER
    )
    offer_hours = models.PositiveIntegerField(
        default=24, help_text="How long a freed seat is held for the person it is offered to."
    )
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="events_organized"
    )
    # CE credit and certificates of attendance go through the academy's services.
    credit_activity = models.OneToOneField(
        "academy.CreditActivity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event",
    )
    certificate_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Hours on the certificate of attendance; empty: none is issued.",
    )
    cover_image = models.ImageField(upload_to="events/covers/", blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_online(self) -> bool:
        return bool(self.online_provider) or self.format in ONLINE_FORMATS

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_starts_at(self) -> datetime.datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime.datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def effective_cancellation_deadline(self) -> datetime.datetime:
        return self.cancellation_deadline or self.starts_at

    @property
    def registration_closes(self) -> datetime.datetime:
        return self.registration_closes_at or self.starts_at


class Track(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=100)
    color = models.CharField(max_length=7, default="#3b5bdb", help_text="A #rrggbb colour.")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="track_name_unique_per_event")
        ]

    def __str__(self) -> str:
        return self.name


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=100)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    accessibility_notes = models.CharField(max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="room_name_unique_per_event")
        ]

    def __str__(self) -> str:
        return self.name


class Speaker(TimeStampedModel):
    """A speaker at one event; linked to an account when they have one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaker_roles",
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    affiliation = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, max_length=4000, help_text="Markdown.")
    photo = models.ImageField(upload_to="events/speakers/", blank=True, max_length=200)
    # Empty means "no relevant financial relationships"; shown with every session they give.
    financial_relationships = models.TextField(blank=True)
    disclosure_mitigation = models.TextField(blank=True)
    disclosed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="speaker_one_per_user_per_event",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_relationships(self) -> bool:
        return bool(self.financial_relationships.strip())


class SessionKind(models.TextChoices):
    TALK = "talk", "Talk"
    KEYNOTE = "keynote", "Keynote"
    PANEL = "panel", "Panel"
    WORKSHOP = "workshop", "Hands-on workshop"
    POSTER = "poster", "Poster"
    BREAK = "break", "Break"


class Session(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(max_length=200)
    abstract = models.TextField(blank=True, help_text="Markdown.")
    kind = models.CharField(max_length=10, choices=SessionKind.choices, default=SessionKind.TALK)
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    speakers = models.ManyToManyField(Speaker, blank=True, related_name="sessions")

    class Meta:
        ordering = ["event", "starts_at", "room", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ScheduleItem(models.Model):
    """A session someone put on their personal schedule."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="schedule_items"
    )
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="schedule_items")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="schedule_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.session_id}"


class CallForProposals(TimeStampedModel):
    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="call")
    guidelines = models.TextField(blank=True, help_text="Markdown: topics, formats, criteria.")
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="proposal_reviews_assigned"
    )

    class Meta:
        verbose_name_plural = "calls for proposals"
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return f"Call for proposals: {self.event}"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Proposal(TimeStampedModel):
    call = models.ForeignKey(CallForProposals, on_delete=models.CASCADE, related_name="proposals")
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_proposals"
    )
    title = models.CharField(max_length=200)
    abstract = models.TextField(help_text="Markdown.")
    kind = models.CharField(max_length=10, choices=SessionKind.choices, default=SessionKind.TALK)
    duration_minutes = models.PositiveIntegerField(default=45)
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    speaker_bio = models.TextField(blank=True, max_length=4000)
    financial_relationships = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.SUBMITTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    session = models.OneToOneField(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="proposal_duration_sane",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProposalReview(TimeStampedModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.PositiveSmallIntegerField(help_text="1 (weak) to 5 (excellent).")
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["proposal", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="proposal_review_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="proposal_review_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5 on {self.proposal_id}"
