"""Reads for the staff pages (every resource, the review-by list, topics) and for collections as
each person may see them. Every list here costs a fixed number of queries, however long."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ..models import (
    REVIEWED_TYPES,
    Collection,
    CollectionItem,
    Resource,
    ResourceAuthor,
    ResourceStatus,
    ResourceVersion,
    Topic,
)
from ..permissions import is_librarian
from .visibility import resources_openable_by, resources_seen_by

REVIEW_DUE_WINDOW_DAYS = 30
MAX_QUERY_LENGTH = 200


def resources_for_managing(
    *, status: str = "", kind: str = "", query: str = "", submissions: str = ""
) -> QuerySet[Resource]:
    """Every resource, newest change first, with what the staff list shows (fixed queries)."""
    resources = (
        Resource.objects.select_related("organization", "created_by", "current_version")
        .annotate(version_count=Count("versions", distinct=True))
        .order_by("-updated_at", "-id")
    )
    if status in ResourceStatus.values:
        resources = resources.filter(status=status)
    if kind:
        resources = resources.filter(kind=kind)
    if submissions == "yes":
        resources = resources.filter(is_submission=True)
    elif submissions == "no":
        resources = resources.filter(is_submission=False)
    query = query.strip()[:MAX_QUERY_LENGTH]
    if query:
        resources = resources.filter(Q(title__icontains=query) | Q(slug__icontains=query))
    return resources


def status_counts() -> dict[str, int]:
    counts = dict(
        Resource.objects.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in ResourceStatus.values}


def resource_for_managing(*, resource_id: int) -> Resource | None:
    return (
        Resource.objects.select_related("organization", "created_by", "current_version")
        .prefetch_related(
            "topics",
            Prefetch("authors", queryset=ResourceAuthor.objects.select_related("person")),
            Prefetch(
                "versions",
                queryset=ResourceVersion.objects.select_related("created_by")
                .annotate(file_count=Count("files", distinct=True))
                .order_by("-number"),
            ),
        )
        .filter(pk=resource_id)
        .first()
    )


@dataclass(frozen=True)
class ReviewDue:
    overdue: list[Resource]
    upcoming: list[Resource]
    today: datetime.date


def review_due(*, today: datetime.date | None = None) -> ReviewDue:
    """Policies and guidelines in the library (published or scheduled) whose review-by date has
    passed, and those due within ``REVIEW_DUE_WINDOW_DAYS``, soonest first, with their owner."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=REVIEW_DUE_WINDOW_DAYS)
    rows = list(
        Resource.objects.select_related("organization", "created_by")
        .filter(
            kind__in=sorted(REVIEWED_TYPES),
            status__in=[ResourceStatus.PUBLISHED, ResourceStatus.SCHEDULED],
            review_by__isnull=False,
            review_by__lte=horizon,
        )
        .order_by("review_by", "id")
    )
    for row in rows:
        assert row.review_by is not None  # noqa: S101 - filtered above; narrows for mypy
        row.days_left = (row.review_by - today).days  # type: ignore[attr-defined]
        row.days_overdue = -row.days_left  # type: ignore[attr-defined]
    return ReviewDue(
        overdue=[row for row in rows if row.review_by is not None and row.review_by < today],
        upcoming=[row for row in rows if row.review_by is not None and row.review_by >= today],
        today=today,
    )


def topics_with_counts() -> QuerySet[Topic]:
    return Topic.objects.annotate(resource_count=Count("resources")).order_by("name")


# --- Collections ----------------------------------------------------------------------------------


def collections_visible_to(user: Any) -> QuerySet[Collection]:
    """Published collections for everyone; staff also see unpublished ones. Each with the number
    of its items the person may at least know exist."""
    collections = Collection.objects.all()
    if not is_librarian(user):
        collections = collections.filter(is_published=True)
    seen = resources_seen_by(user).values("pk")
    return collections.annotate(
        item_count=Count("items", filter=Q(items__resource__in=seen), distinct=True)
    ).order_by("-is_toolkit", "title", "id")


def collection_for(user: Any, *, slug: str) -> Collection | None:
    """The collection if the person may see it (staff see unpublished ones)."""
    collection = Collection.objects.filter(slug=slug).first()
    if collection is None:
        return None
    if not (collection.is_published or is_librarian(user)):
        return None
    return collection


@dataclass(frozen=True)
class ShownItem:
    item: CollectionItem
    resource: Resource
    can_open: bool


def collection_items_for(user: Any, collection: Collection) -> list[ShownItem]:
    """The collection's items in order, as the person may see them: openable ones, listed
    restricted ones (locked, title and summary only), and none they may not know exist. Three
    queries whatever the length (items with resources, openable ids, topics)."""
    seen = resources_seen_by(user).values("pk")
    items = list(
        CollectionItem.objects.filter(collection=collection, resource__in=seen)
        .select_related("resource", "resource__organization")
        .prefetch_related(
            Prefetch("resource__authors", queryset=ResourceAuthor.objects.order_by("position"))
        )
        .order_by("position", "id")
    )
    if not items:
        return []
    ids = [item.resource_id for item in items]
    openable = set(resources_openable_by(user).filter(pk__in=ids).values_list("pk", flat=True))
    return [ShownItem(item, item.resource, item.resource_id in openable) for item in items]


def collection_items_for_managing(collection: Collection) -> list[CollectionItem]:
    return list(
        CollectionItem.objects.filter(collection=collection)
        .select_related("resource")
        .order_by("position", "id")
    )


def resources_addable_to(collection: Collection) -> QuerySet[Resource]:
    """Resources a curator may add: not withdrawn or rejected, and not in it already."""
    return (
        Resource.objects.exclude(status__in=[ResourceStatus.WITHDRAWN, ResourceStatus.REJECTED])
        .exclude(pk__in=CollectionItem.objects.filter(collection=collection).values("resource"))
        .order_by("title", "id")
    )


def collections_containing(user: Any, resource: Resource) -> list[Collection]:
    """The published collections a resource is in (for the resource page), in title order."""
    collections = Collection.objects.filter(items__resource=resource)
    if not is_librarian(user):
        collections = collections.filter(is_published=True)
    return list(collections.order_by("title", "id").distinct())
