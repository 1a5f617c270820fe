"""Access API, mounted at /api/v1/library/: ask for access to a restricted resource, list the
requests one decides (or one's own), decide, withdraw, revoke a grant, and a resource's usage.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any, Literal

from ninja import Path, Status
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound, PermissionRefused
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import Pagination

from ..permissions import can_see_resource, can_view_usage
from ..selectors import access as selectors
from ..selectors.usage import usage_by_month
from ..services import access as services
from .access_schemas import AccessDecisionIn, AccessRequestIn, AccessRequestOut, ResourceUsageOut
from .router import router

ResourceId = Path(..., ge=1, le=MAX_OBJECT_ID)
RequestId = Path(..., ge=1, le=MAX_OBJECT_ID)
GrantId = Path(..., ge=1, le=MAX_OBJECT_ID)


def _seen_resource(user: Any, resource_id: int) -> Any:
    resource = selectors.resource_by_id(resource_id)
    if not can_see_resource(user, resource):
        raise NotFound("No such resource.")
    return resource


@router.post(
    "/resources/{resource_id}/access-requests",
    response={201: AccessRequestOut},
    summary="Ask for access to a restricted resource (409 when one is already pending)",
)
def access_requests_create(
    request: AuthenticatedHttpRequest, payload: AccessRequestIn, resource_id: int = ResourceId
) -> Status:
    resource = _seen_resource(request.user, resource_id)
    created = services.access_request_create(
        actor=request.user, resource=resource, reason=payload.reason
    )
    return Status(201, selectors.access_request_get(viewer=request.user, request_id=created.pk))


@router.get(
    "/access-requests",
    response=list[AccessRequestOut],
    summary="Deciders: the pending requests they decide, oldest first; others: their own",
)
@paginate(Pagination)
def access_requests_list(
    request: AuthenticatedHttpRequest, scope: Literal["auto", "decide", "mine"] = "auto"
) -> Any:
    if scope == "mine" or (scope == "auto" and not selectors.is_access_decider(request.user)):
        return selectors.requests_of(request.user)
    if not selectors.is_access_decider(request.user):
        raise PermissionRefused("Only center staff and organizations' leaders decide requests.")
    return selectors.requests_to_decide(request.user)


@router.post(
    "/access-requests/{request_id}/decision",
    response=AccessRequestOut,
    summary="Grant or refuse a pending request (409 when it was already decided)",
)
def access_requests_decide(
    request: AuthenticatedHttpRequest, payload: AccessDecisionIn, request_id: int = RequestId
) -> Any:
    found = selectors.access_request_get(viewer=request.user, request_id=request_id)
    services.access_decide(
        actor=request.user, access_request=found, decision=payload.decision, note=payload.note
    )
    return selectors.access_request_get(viewer=request.user, request_id=request_id)


@router.post(
    "/access-requests/{request_id}/withdraw",
    response=AccessRequestOut,
    summary="Withdraw one's own pending request",
)
def access_requests_withdraw(request: AuthenticatedHttpRequest, request_id: int = RequestId) -> Any:
    found = selectors.access_request_get(viewer=request.user, request_id=request_id)
    services.access_request_withdraw(actor=request.user, access_request=found)
    return selectors.access_request_get(viewer=request.user, request_id=request_id)


@router.delete(
    "/access-grants/{grant_id}",
    response={204: None},
    summary="Revoke a grant (staff, or the owning organization's leaders)",
)
def access_grants_revoke(request: AuthenticatedHttpRequest, grant_id: int = GrantId) -> Status:
    grant = selectors.grant_get(viewer=request.user, grant_id=grant_id)
    services.grant_revoke(actor=request.user, grant=grant)
    return Status(204, None)


@router.get(
    "/resources/{resource_id}/usage",
    response=ResourceUsageOut,
    summary="Views and downloads per month, last 24 months (staff and the owner's leaders)",
)
def resources_usage(request: AuthenticatedHttpRequest, resource_id: int = ResourceId) -> Any:
    resource = _seen_resource(request.user, resource_id)
    if not can_view_usage(request.user, resource):
        raise PermissionRefused(
            "Usage statistics are for center staff and the owning organization's leaders."
        )
    summary = usage_by_month(resource)
    return {
        "resource_id": resource.pk,
        "resource_slug": resource.slug,
        "total_views": summary.total_views,
        "total_downloads": summary.total_downloads,
        "months": [
            {"month": f"{row.month:%Y-%m}", "views": row.views, "downloads": row.downloads}
            for row in summary.months
        ],
    }
