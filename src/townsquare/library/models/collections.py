"""Collections and toolkits: ordered, curated lists of resources with a page of their own."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from townsquare.core.models import TimeStampedModel

from .resources import Resource


class Collection(TimeStampedModel):
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(max_length=5000, blank=True, help_text="Markdown")
    is_toolkit = models.BooleanField(
        default=False, help_text="A toolkit: resources meant to be used together, in order."
    )
    is_published = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="library_collections_created",
    )
    resources = models.ManyToManyField(
        Resource, through="CollectionItem", related_name="collections"
    )

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)
    note = models.CharField(
        max_length=500, blank=True, help_text="Why it is here, what to use it for."
    )

    class Meta:
        ordering = ["collection", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "resource"], name="library_item_unique_resource"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.collection_id}: {self.resource_id}"
