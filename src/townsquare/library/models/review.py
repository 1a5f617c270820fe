"""The review trail of a submitted resource: what happened, who did it, what they said."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .resources import Resource, ResourceVersion


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    RESUBMITTED = "resubmitted", "Resubmitted with changes"
    COMMENTED = "commented", "Commented"
    CHANGES_REQUESTED = "changes_requested", "Asked for changes"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Approved for a date"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ReviewEvent(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="review_events")
    version = models.ForeignKey(
        ResourceVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_review_events",
    )
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    comment = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.action}"
