"""Reads for access requests and grants: mine, the ones a person decides, one by id."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from townsquare.accounts.models import OrganizationRole
from townsquare.core.errors import NotFound, PermissionRefused

from ..models import AccessGrant, AccessRequest, AccessRequestStatus, Resource
from ..permissions import _signed_in, can_decide_access, is_librarian, organization_ids_of

_REQUEST_RELATED = ("resource", "resource__organization", "requester", "decided_by")


def led_organization_ids(user: Any) -> list[int]:
    return sorted(
        org for org, role in organization_ids_of(user).items() if role == OrganizationRole.LEADER
    )


def is_access_decider(user: Any) -> bool:
    """Whether the person decides any requests: center staff, or a leader of an organization."""
    return is_librarian(user) or bool(led_organization_ids(user))


def _decidable(user: Any, prefix: str = "") -> Q | None:
    """The condition on resources the person decides for; None for all (staff)."""
    if is_librarian(user):
        return None
    return Q(**{f"{prefix}organization_id__in": led_organization_ids(user)})


def requests_to_decide(user: Any) -> QuerySet[AccessRequest]:
    """Pending requests the person decides, oldest first."""
    requests = AccessRequest.objects.filter(status=AccessRequestStatus.PENDING)
    condition = _decidable(user, "resource__")
    if condition is not None:
        requests = requests.filter(condition)
    return requests.select_related(*_REQUEST_RELATED).order_by("created_at", "pk")


def requests_decided_by_scope(user: Any) -> QuerySet[AccessRequest]:
    """Decided (or withdrawn) requests on resources the person decides for, newest first."""
    requests = AccessRequest.objects.exclude(status=AccessRequestStatus.PENDING)
    condition = _decidable(user, "resource__")
    if condition is not None:
        requests = requests.filter(condition)
    return requests.select_related(*_REQUEST_RELATED).order_by("-updated_at", "-pk")


def requests_of(user: Any) -> QuerySet[AccessRequest]:
    """The person's own requests, newest first."""
    if not _signed_in(user):
        return AccessRequest.objects.none()
    return (
        AccessRequest.objects.filter(requester=user)
        .select_related(*_REQUEST_RELATED)
        .order_by("-created_at", "-pk")
    )


def grants_given_by_scope(user: Any, *, resource: Resource | None = None) -> QuerySet[AccessGrant]:
    """Grants on resources the person decides for (optionally one resource), newest first."""
    grants = AccessGrant.objects.all()
    condition = _decidable(user, "resource__")
    if condition is not None:
        grants = grants.filter(condition)
    if resource is not None:
        grants = grants.filter(resource=resource)
    return grants.select_related("resource", "person", "granted_by").order_by("-created_at", "-pk")


def grants_of(user: Any) -> QuerySet[AccessGrant]:
    """Resources opened to the person by a grant."""
    if not _signed_in(user):
        return AccessGrant.objects.none()
    return (
        AccessGrant.objects.filter(person=user)
        .select_related("resource", "granted_by")
        .order_by("-created_at", "-pk")
    )


def pending_request_of(user: Any, resource: Resource) -> AccessRequest | None:
    if not _signed_in(user):
        return None
    return AccessRequest.objects.filter(
        resource=resource, requester=user, status=AccessRequestStatus.PENDING
    ).first()


def access_request_get(*, viewer: Any, request_id: int) -> AccessRequest:
    """One request, for its requester or someone who decides it; 404 when it does not exist,
    403 for anyone else."""
    found = AccessRequest.objects.filter(pk=request_id).select_related(*_REQUEST_RELATED).first()
    if found is None:
        raise NotFound("No such access request.")
    if not (
        (_signed_in(viewer) and found.requester_id == viewer.pk)
        or can_decide_access(viewer, found.resource)
    ):
        raise PermissionRefused("This access request is not yours to see.")
    return found


def grant_get(*, viewer: Any, grant_id: int) -> AccessGrant:
    found = AccessGrant.objects.filter(pk=grant_id).select_related("resource", "person").first()
    if found is None:
        raise NotFound("No such grant.")
    if not can_decide_access(viewer, found.resource):
        raise PermissionRefused("Only the resource's deciders may change who it is shared with.")
    return found


def resource_by_slug(slug: str) -> Resource:
    resource = Resource.objects.filter(slug=slug).select_related("organization").first()
    if resource is None:
        raise NotFound("No such resource.")
    return resource


def resource_by_id(resource_id: int) -> Resource:
    resource = Resource.objects.filter(pk=resource_id).select_related("organization").first()
    if resource is None:
        raise NotFound("No such resource.")
    return resource
