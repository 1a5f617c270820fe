"""Policy builder API, mounted at /api/v1/library/: the clause set, drafts, building.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Path, Status
from ninja.pagination import paginate

from townsquare.accounts.auth import session_auth, token_auth
from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import Pagination

from ..models import PolicyClause, ResourceFile
from ..selectors import policies as selectors
from ..services import policies as services
from .policies_schemas import (
    BuildIn,
    BuildOut,
    ClauseOut,
    DraftCreateIn,
    DraftDetailOut,
    DraftOut,
    DraftUpdateIn,
)
from .router import router

DraftId = Path(..., ge=1, le=MAX_OBJECT_ID)


def anyone(request: HttpRequest) -> bool:
    """The clause set is public: it is the same for everyone."""
    return True


PUBLIC = [token_auth, session_auth, anyone]


@router.get(
    "/policy-clauses",
    response=list[ClauseOut],
    auth=PUBLIC,
    summary="The policy builder's clauses, in order, each with its options",
)
@paginate(Pagination)
def policy_clauses_list(request: HttpRequest) -> Any:
    return PolicyClause.objects.filter(is_active=True).prefetch_related("options")


@router.get(
    "/policy-drafts",
    response=list[DraftOut],
    summary="Policy drafts of the organizations I build for (leaders; staff see all)",
)
@paginate(Pagination)
def policy_drafts_list(request: AuthenticatedHttpRequest) -> Any:
    return selectors.draft_list(request.user)


@router.post(
    "/policy-drafts",
    response={201: DraftDetailOut},
    summary="Start a policy for an organization I lead (staff: any organization)",
)
def policy_drafts_create(request: AuthenticatedHttpRequest, payload: DraftCreateIn) -> Status:
    user = request.user
    fields = services.DraftFields(
        title=payload.title or services.DEFAULT_TITLE,
        contact_name=payload.contact_name or user.display_name or user.email,
        contact_email=payload.contact_email or user.email,
        contact_phone=payload.contact_phone,
        effective_on=payload.effective_on,
    )
    draft = services.draft_create_for(
        actor=user, organization_id=payload.organization_id, fields=fields, choices=payload.choices
    )
    return Status(201, selectors.draft_get(user, draft.pk))


@router.get(
    "/policy-drafts/{draft_id}",
    response=DraftDetailOut,
    summary="One draft, with the policy as it stands",
)
def policy_drafts_get(request: AuthenticatedHttpRequest, draft_id: int = DraftId) -> Any:
    return selectors.draft_get(request.user, draft_id)


@router.put(
    "/policy-drafts/{draft_id}",
    response=DraftDetailOut,
    summary="Save a draft: details and every clause's option",
)
def policy_drafts_update(
    request: AuthenticatedHttpRequest, payload: DraftUpdateIn, draft_id: int = DraftId
) -> Any:
    draft = selectors.draft_get(request.user, draft_id)
    services.draft_update(
        actor=request.user,
        draft=draft,
        fields=services.DraftFields(
            title=payload.title,
            contact_name=payload.contact_name,
            contact_email=payload.contact_email,
            contact_phone=payload.contact_phone,
            effective_on=payload.effective_on,
        ),
        choices=payload.choices,
    )
    return selectors.draft_get(request.user, draft_id)


@router.post(
    "/policy-drafts/{draft_id}/build",
    response={201: BuildOut},
    summary="Build the policy: DOCX and PDF saved as a new version of the organization's "
    "private policy resource",
)
def policy_drafts_build(
    request: AuthenticatedHttpRequest, payload: BuildIn | None = None, draft_id: int = DraftId
) -> Status:
    draft = selectors.draft_get(request.user, draft_id)
    result = services.policy_build(
        actor=request.user, draft=draft, change_note=payload.change_note if payload else ""
    )
    files = list(
        ResourceFile.objects.filter(version=result.version)
        .order_by("position")
        .values_list("original_name", flat=True)
    )
    return Status(
        201,
        {
            "draft": selectors.draft_get(request.user, draft_id),
            "resource_id": result.resource.pk,
            "resource_slug": result.resource.slug,
            "version": result.version.number,
            "created": result.created,
            "files": files,
        },
    )
