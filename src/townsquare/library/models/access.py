"""Requests for access to restricted resources, the grants they lead to, and usage counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from townsquare.core.models import TimeStampedModel

from .resources import Resource


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AccessRequest(TimeStampedModel):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="access_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_access_requests"
    )
    reason = models.TextField(max_length=1000, blank=True)
    status = models.CharField(
        max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_access_decisions",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "requester"],
                condition=Q(status="pending"),
                name="library_access_request_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} -> {self.resource_id} ({self.status})"


class AccessGrant(models.Model):
    """A person may open this resource whatever its access level."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="grants")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_grants_given",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["resource", "id"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "person"], name="library_grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} may open {self.resource_id}"


class ResourceUsage(models.Model):
    """Views and downloads of one resource in one calendar month (UTC), counted with F()."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="usage")
    month = models.DateField(help_text="The first day of the month.")
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["resource", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "month"], name="library_usage_unique_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.month:%Y-%m}"
