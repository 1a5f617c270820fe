"""Flags and moderation decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from townsquare.core.models import TimeStampedModel

from .posts import Comment, Post
from .spaces import Space


class FlagReason(models.TextChoices):
    PRIVACY = "privacy", "Shares someone's private or health information"
    MEDICAL_ADVICE = "medical_advice", "Gives medical advice or diagnoses someone"
    HARASSMENT = "harassment", "Harassment or disrespect"
    ADVERTISING = "advertising", "Advertising or spam"
    MISINFORMATION = "misinformation", "Health misinformation"
    OFF_TOPIC = "off_topic", "Off topic"
    OTHER = "other", "Something else"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    UPHELD = "upheld", "Acted on"
    DISMISSED = "dismissed", "Dismissed"


class Flag(TimeStampedModel):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_flags"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reason = models.CharField(max_length=20, choices=FlagReason.choices)
    note = models.CharField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(post__isnull=False) & Q(comment__isnull=True))
                | (Q(post__isnull=True) & Q(comment__isnull=False)),
                name="community_flag_one_target",
            ),
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(post__isnull=False),
                name="community_flag_post_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="community_flag_comment_once",
            ),
        ]
        indexes = [models.Index(fields=["space", "status"])]

    def __str__(self) -> str:
        return f"Flag {self.pk} ({self.reason})"


class ModerationActionKind(models.TextChoices):
    APPROVE = "approve", "Approved"
    REJECT = "reject", "Rejected"
    HIDE = "hide", "Hidden"
    RESTORE = "restore", "Restored"
    REMOVE = "remove", "Removed"
    DISMISS = "dismiss", "Flags dismissed"
    WARN = "warn", "Warned"
    MUTE = "mute", "Muted"
    UNMUTE = "unmute", "Unmuted"
    BAN = "ban", "Banned"
    UNBAN = "unban", "Ban lifted"


class ModerationAction(models.Model):
    """The space's moderation log: every decision, who made it and why (also in the audit log)."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="moderation_actions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=10, choices=ModerationActionKind.choices)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="moderation_actions"
    )
    comment = models.ForeignKey(
        Comment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_sanctions",
        help_text="The person the decision is about.",
    )
    reason = models.CharField(max_length=1000, blank=True)
    until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["space", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} in {self.space_id}"
