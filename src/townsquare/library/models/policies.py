"""The policy builder: clauses with options, and an organization's drafts built from them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from townsquare.core.models import TimeStampedModel

from .resources import Resource


class PolicyClause(models.Model):
    """One section of a social-media policy, e.g. protecting patient privacy.

    ``explanation`` is plain language for the person filling in the form; each option's ``text``
    is what goes into the policy, with ``{organization}``, ``{contact_name}``,
    ``{contact_email}`` and ``{contact_phone}`` filled in."""

    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    explanation = models.TextField(max_length=3000)
    position = models.PositiveSmallIntegerField(default=0)
    is_required = models.BooleanField(default=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PolicyOption(models.Model):
    clause = models.ForeignKey(PolicyClause, on_delete=models.CASCADE, related_name="options")
    key = models.SlugField(max_length=60)
    label = models.CharField(max_length=200)
    text = models.TextField(max_length=5000)
    position = models.PositiveSmallIntegerField(default=0)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["clause", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clause", "key"], name="library_option_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.label}"


class PolicyDraft(TimeStampedModel):
    """An organization's policy in the making; building it saves a new version of its
    private resource (``resource``), so every build stays reachable."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="policy_drafts"
    )
    title = models.CharField(max_length=300)
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField(max_length=254)
    contact_phone = models.CharField(max_length=40, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    choices = models.JSONField(
        default=dict, help_text="clause key -> option key (a clause left out is omitted)."
    )
    resource = models.OneToOneField(
        Resource,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="policy_draft",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_policy_drafts",
    )

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title
