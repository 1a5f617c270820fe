"""Reads for submissions and their review: one's own submissions, one submission with its
timeline, the reviewers' queue. Each is a fixed number of queries, whatever the rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from townsquare.core.errors import NotFound

from ..models import Resource, ResourceFile, ResourceStatus, ReviewAction, ReviewEvent
from ..permissions import can_follow_submission, can_review

# What the submitter reads about where their submission stands, and what to do next.
NEXT_STEP = {
    ResourceStatus.DRAFT: "Not sent yet: add the text or a file, then send it for review.",
    ResourceStatus.SUBMITTED: (
        "Waiting for the library team to review it. You will be notified when they decide."
    ),
    ResourceStatus.CHANGES_REQUESTED: (
        "The reviewers asked for changes: read their comment, edit the submission, then send it "
        "back for review."
    ),
    ResourceStatus.REJECTED: "Not accepted for the library: the reviewers' comment says why.",
    ResourceStatus.SCHEDULED: "Approved: it will be published on the date shown.",
    ResourceStatus.PUBLISHED: "Published in the library.",
    ResourceStatus.WITHDRAWN: "Withdrawn: it is no longer under review.",
}

QUEUE_STATUSES = (
    (ResourceStatus.SUBMITTED, "Waiting for review"),
    (ResourceStatus.CHANGES_REQUESTED, "Waiting for the submitter's changes"),
    (ResourceStatus.SCHEDULED, "Approved, publishing on a date"),
    (ResourceStatus.PUBLISHED, "Approved and published"),
    (ResourceStatus.REJECTED, "Rejected"),
    (ResourceStatus.WITHDRAWN, "Withdrawn"),
    (ResourceStatus.DRAFT, "Drafts not yet sent"),
)
QUEUE_ORDERS = (("oldest", "Waiting longest"), ("newest", "Newest first"))
SENT = (ReviewAction.SUBMITTED, ReviewAction.RESUBMITTED)


def next_step(resource: Resource) -> str:
    return NEXT_STEP.get(ResourceStatus(resource.status), "")


def _last_sent() -> Subquery:
    return Subquery(
        ReviewEvent.objects.filter(resource=OuterRef("pk"), action__in=SENT)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )


def submission_list(user: Any) -> QuerySet[Resource]:
    """The person's own submissions, most recently changed first."""
    if not getattr(user, "is_authenticated", False):
        return Resource.objects.none()
    return (
        Resource.objects.filter(is_submission=True, created_by_id=user.pk)
        .select_related("organization")
        .annotate(sent_at=_last_sent())
        .order_by("-updated_at", "-id")
    )


def _files() -> Any:
    return Prefetch("current_version__files", queryset=ResourceFile.objects.order_by("position"))


def submission_get(*, viewer: Any, resource_id: int) -> Resource:
    """One submission with its description, current version and files, for the submitter and
    the reviewers; to everyone else it does not exist."""
    resource = (
        Resource.objects.filter(pk=resource_id, is_submission=True)
        .select_related("created_by", "organization", "current_version")
        .prefetch_related("topics", "authors", _files())
        .first()
    )
    if resource is None or not can_follow_submission(viewer, resource):
        raise NotFound("No such submission.")
    return resource


def timeline(resource: Resource) -> list[ReviewEvent]:
    """What happened to the submission, oldest first, with who did it and which version."""
    return list(
        ReviewEvent.objects.filter(resource=resource)
        .select_related("actor", "version")
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = ResourceStatus.SUBMITTED
    kind: str = ""
    organization_id: int | None = None
    query: str = ""
    order: str = "oldest"


def review_queue(*, viewer: Any, filters: QueueFilters | None = None) -> QuerySet[Resource]:
    """Submissions for the reviewers, by default those waiting, the longest-waiting first."""
    if not can_review(viewer):
        return Resource.objects.none()
    filters = filters or QueueFilters()
    resources = Resource.objects.filter(is_submission=True)
    if filters.status:
        resources = resources.filter(status=filters.status)
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.organization_id is not None:
        resources = resources.filter(organization_id=filters.organization_id)
    if filters.query:
        resources = resources.filter(title__icontains=filters.query)
    resources = resources.select_related("created_by", "organization", "current_version")
    resources = resources.annotate(sent_at=_last_sent())
    if filters.order == "newest":
        return resources.order_by("-sent_at", "-id")
    return resources.order_by("sent_at", "id")


def waiting_count(viewer: Any) -> int:
    if not can_review(viewer):
        return 0
    return Resource.objects.filter(is_submission=True, status=ResourceStatus.SUBMITTED).count()
