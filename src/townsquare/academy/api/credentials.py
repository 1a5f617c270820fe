"""Credentials and fellowship API, mounted at /api/v1/academy/.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound
from townsquare.core.pagination import Pagination

from ..selectors import credentials as selectors
from ..services import badges, fellowship
from ..services.credentials import credential_revoke, verification_code_normalize
from ..views.credentials import verify_rate_check
from .credentials_schemas import (
    CommentIn,
    CommentOut,
    CredentialOut,
    DecisionIn,
    RevokeIn,
    SubmissionFilter,
    SubmissionIn,
    SubmissionOut,
    VerificationOut,
)

router = Router(tags=["academy credentials"])


@router.get("/credentials", response=list[CredentialOut], summary="My credentials")
@paginate(Pagination)
def credentials_list(request: AuthenticatedHttpRequest) -> Any:
    return selectors.credential_list(user=request.user)


@router.get("/credentials/{credential_id}", response=CredentialOut, summary="One credential")
def credentials_get(request: AuthenticatedHttpRequest, credential_id: int) -> Any:
    return selectors.credential_get(viewer=request.user, credential_id=credential_id)


@router.get(
    "/credentials/{credential_id}/badge",
    response={200: dict[str, Any]},
    summary="The signed Open Badges 3.0 credential (JSON-LD)",
)
def credentials_badge(request: AuthenticatedHttpRequest, credential_id: int) -> Any:
    credential = selectors.credential_get(viewer=request.user, credential_id=credential_id)
    return badges.credential_badge(credential)


@router.post(
    "/credentials/{credential_id}/revoke",
    response=CredentialOut,
    summary="Revoke a credential (center staff), with a reason",
)
def credentials_revoke(
    request: AuthenticatedHttpRequest, credential_id: int, payload: RevokeIn
) -> Any:
    credential = selectors.credential_get(viewer=request.user, credential_id=credential_id)
    return credential_revoke(actor=request.user, credential=credential, reason=payload.reason)


@router.get(
    "/verifications/{code}",
    response=VerificationOut,
    auth=None,
    summary="Verify a credential by its code (public, rate-limited)",
)
def verifications_get(request: HttpRequest, code: str) -> Any:
    verify_rate_check(request)
    normalized = verification_code_normalize(code)
    credential = selectors.credential_by_code(code=normalized) if normalized else None
    if credential is None:
        raise NotFound("No credential has this verification code.")
    return {
        "status": "revoked" if credential.is_revoked else "valid",
        "recipient_name": credential.recipient_name,
        "title": credential.title,
        "kind": credential.kind,
        "level": credential.level,
        "issued_at": credential.issued_at,
        "hours": credential.hours,
        "credit_statement": credential.credit_statement,
        "issuer": badges.ISSUER_NAME,
        "revoked_at": credential.revoked_at,
        "revoked_reason": credential.revoked_reason,
    }


@router.get(
    "/fellowship/submissions",
    response=list[SubmissionOut],
    summary="My fellowship submissions, or the review queue with ?queue=review",
)
@paginate(Pagination)
def submissions_list(request: AuthenticatedHttpRequest, filters: Query[SubmissionFilter]) -> Any:
    if filters.queue == "review":
        return selectors.review_queue(viewer=request.user)
    return selectors.submission_list(user=request.user)


@router.post(
    "/fellowship/submissions", response={201: SubmissionOut}, summary="Start a draft submission"
)
def submissions_create(request: AuthenticatedHttpRequest, payload: SubmissionIn) -> Status:
    submission = fellowship.submission_create(
        actor=request.user, level=payload.level, title=payload.title, body=payload.body
    )
    return Status(201, submission)


@router.post(
    "/fellowship/submissions/{submission_id}/submit",
    response=SubmissionOut,
    summary="Submit a draft for review",
)
def submissions_submit(request: AuthenticatedHttpRequest, submission_id: int) -> Any:
    submission = selectors.submission_get(viewer=request.user, submission_id=submission_id)
    return fellowship.submission_submit(actor=request.user, submission=submission)


@router.post(
    "/fellowship/submissions/{submission_id}/comments",
    response={201: CommentOut},
    summary="Comment on a submission",
)
def submissions_comment(
    request: AuthenticatedHttpRequest, submission_id: int, payload: CommentIn
) -> Status:
    submission = selectors.submission_get(viewer=request.user, submission_id=submission_id)
    comment = fellowship.submission_comment(
        actor=request.user, submission=submission, body=payload.body
    )
    return Status(201, comment)


@router.post(
    "/fellowship/submissions/{submission_id}/decision",
    response=SubmissionOut,
    summary="Approve or request changes (advisors)",
)
def submissions_decide(
    request: AuthenticatedHttpRequest, submission_id: int, payload: DecisionIn
) -> Any:
    submission = selectors.submission_get(viewer=request.user, submission_id=submission_id)
    return fellowship.submission_decide(
        actor=request.user,
        submission=submission,
        decision=payload.decision,
        comment=payload.comment,
    )
