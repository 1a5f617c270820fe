"""Notifications: what happened to a person (a reply, a mention, a moderation decision), shown in
the app and emailed at once or in a daily or weekly digest; and each person's settings.

A notification never holds the text of a post or comment, only who did it (``actor_label``, as
the caller wants it shown: patient-community members may post under a pseudonym), a short
``summary`` ("replied to your post in Diabetes Support") and the local ``url`` to open. Emails are
built from those fields alone, so no health information travels by email.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

SUMMARY_MAX_LENGTH = 300
URL_MAX_LENGTH = 500
SCOPE_MAX_LENGTH = 100
SCOPE_LABEL_MAX_LENGTH = 200
ACTOR_LABEL_MAX_LENGTH = 120
DEDUPE_KEY_MAX_LENGTH = 200


class NotificationKind(models.TextChoices):
    MENTION = "mention", "Mentions of me"
    REPLY = "reply", "Replies to my posts and comments"
    REACTION = "reaction", "Reactions to my posts and comments"
    FOLLOW = "follow", "New followers"
    MODERATION = "moderation", "Moderation decisions about my posts"
    NEW_POST = "new_post", "New posts in spaces I watch"
    ANSWER_ACCEPTED = "answer_accepted", "Accepted answers"
    ACCESS = "access", "Access requests and decisions"
    SYSTEM = "system", "Announcements from the center"


# Kinds a person cannot switch off in the app (they may still choose not to get them by email):
# being told that one's own post was hidden or removed, and why, is part of moderating fairly.
ALWAYS_SHOWN_KINDS = frozenset({NotificationKind.MODERATION.value})


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "At once, one email per notification"
    DAILY = "daily", "A daily digest"
    WEEKLY = "weekly", "A weekly digest"
    OFF = "off", "Never: only in the app"


class DigestMode(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class EmailState(models.TextChoices):
    PENDING = "pending", "Not decided yet"
    IMMEDIATE_QUEUED = "immediate_queued", "Queued to send at once"
    DIGEST_PENDING = "digest_pending", "Waiting for the digest"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not emailed"


class ScopeLevel(models.TextChoices):
    WATCHING = "watching", "Watching: every new post, plus replies and mentions"
    NORMAL = "normal", "Normal: replies, mentions, reactions and moderation"
    MUTED = "muted", "Muted: only moderation decisions about my own posts"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=ACTOR_LABEL_MAX_LENGTH, blank=True)
    summary = models.CharField(max_length=SUMMARY_MAX_LENGTH)
    url = models.CharField(max_length=URL_MAX_LENGTH)
    scope = models.CharField(max_length=SCOPE_MAX_LENGTH, blank=True)
    scope_label = models.CharField(max_length=SCOPE_LABEL_MAX_LENGTH, blank=True)
    dedupe_key = models.CharField(max_length=DEDUPE_KEY_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=20, choices=EmailState.choices, default=EmailState.PENDING
    )
    # Which digest a ``digest_pending`` row waits for (the scope's override or the person's mode).
    digest_mode = models.CharField(max_length=10, choices=DigestMode.choices, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The batch that created the row, then the delivery run that claimed it: a claim is one
    # conditional UPDATE setting a fresh token, and the claimer reads back exactly its own rows.
    claim = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notifications_notification_dedupe_unique",
            ),
            models.CheckConstraint(
                condition=Q(email_state__in=EmailState.values),
                name="notifications_notification_email_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values),
                name="notifications_notification_kind_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "read_at", "-created_at"],
                name="notifications_recipient_idx",
            ),
            models.Index(
                fields=["digest_mode", "recipient", "created_at"],
                condition=Q(email_state="digest_pending"),
                name="notifications_digest_idx",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(email_state="immediate_queued"),
                name="notifications_immediate_idx",
            ),
            models.Index(fields=["claim"], name="notifications_claim_idx"),
            models.Index(fields=["scope", "recipient"], name="notifications_scope_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} for {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def line(self) -> str:
        """How the notification reads: "Ann replied to your post in Diabetes Support"."""
        return f"{self.actor_label or 'Someone'} {self.summary}"


class NotificationSettings(models.Model):
    """A person's choices; a person without a row has the defaults (daily digest, every kind)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_mode = models.CharField(max_length=10, choices=EmailMode.choices, default=EmailMode.DAILY)
    disabled_kinds = models.JSONField(default=list, blank=True)  # neither in the app nor by email
    email_disabled_kinds = models.JSONField(default=list, blank=True)  # in the app only
    # When the last digest of each cadence went out: at most one per day and one per week.
    last_daily_digest_at = models.DateTimeField(null=True, blank=True)
    last_weekly_digest_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(email_mode__in=EmailMode.values),
                name="notifications_settings_email_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification settings of {self.user_id}"

    @property
    def last_digest_at(self) -> datetime.datetime | None:
        """The last digest of either cadence."""
        sent = [at for at in (self.last_daily_digest_at, self.last_weekly_digest_at) if at]
        return max(sent) if sent else None


class ScopeSetting(models.Model):
    """How much a person hears from one scope (a community space, later a library collection)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_scope_settings",
    )
    scope = models.CharField(max_length=SCOPE_MAX_LENGTH)
    scope_label = models.CharField(max_length=SCOPE_LABEL_MAX_LENGTH, blank=True)
    level = models.CharField(max_length=10, choices=ScopeLevel.choices, default=ScopeLevel.NORMAL)
    email_mode = models.CharField(
        max_length=10, choices=EmailMode.choices, blank=True, help_text="Blank: the person's own."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scope_label", "scope"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope"], name="notifications_scopesetting_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__in=ScopeLevel.values),
                name="notifications_scopesetting_level_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["scope", "level"], name="notifications_scope_level_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.level} {self.scope}"
