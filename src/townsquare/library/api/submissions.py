"""Submissions API, mounted at /api/v1/library/: share a resource (JSON metadata and Markdown;
files in a multipart request), one's own submissions with their timeline, send for review,
withdraw, and for center staff the decision and comments.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from ninja import File, Path, Status, UploadedFile
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import ValidationFailed
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import Pagination

from ..models import Resource, ResourceStatus
from ..permissions import can_review
from ..selectors import submissions as selectors
from ..services import review as services
from ..services.resources import MAX_FILES_PER_VERSION, AuthorInput, ResourceFields, file_validate
from .router import router
from .submissions_schemas import (
    CommentIn,
    DecisionIn,
    SubmissionDetailOut,
    SubmissionIn,
    SubmissionOut,
    SubmitIn,
    WithdrawIn,
)

ResourceId = Path(..., ge=1, le=MAX_OBJECT_ID)


def _detail(viewer: Any, resource_id: int) -> Resource:
    """The submission with its current text, files and timeline attached for the schema."""
    resource = selectors.submission_get(viewer=viewer, resource_id=resource_id)
    version = resource.current_version
    reviewing = can_review(viewer)
    extras = {
        "body": version.body if version is not None else "",
        "files": [
            {
                "id": stored.pk,
                "name": stored.original_name,
                "title": stored.title,
                "kind": stored.kind,
                "size": stored.size,
                "searchable": stored.get_extraction_display(),
            }
            for stored in (version.files.all() if version is not None else [])
        ],
        "timeline": [
            {
                "action": event.action,
                "action_label": event.get_action_display(),
                "actor_name": _actor_name(event, resource, reviewing),
                "comment": event.comment,
                "version": event.version.number if event.version else None,
                "created_at": event.created_at,
            }
            for event in selectors.timeline(resource)
        ],
    }
    for name, value in extras.items():
        setattr(resource, f"api_{name}", value)
    return resource


def _actor_name(event: Any, resource: Resource, reviewing: bool) -> str:
    if event.actor is None:
        return "The library"
    if event.actor_id == resource.created_by_id or reviewing:
        return str(event.actor.display_name)
    return "The library team"


def _fields(payload: SubmissionIn) -> ResourceFields:
    return ResourceFields(
        kind=payload.kind,
        title=payload.title,
        summary=payload.summary,
        audience=payload.audience,
        language=payload.language,
        published_on=payload.published_on,
        license=payload.license,
        doi=payload.doi,
        isbn=payload.isbn,
        review_by=payload.review_by,
        access=payload.access,
        organization_id=payload.organization_id,
        is_listed=payload.is_listed,
        topic_ids=payload.topic_ids,
        authors=[
            AuthorInput(name=author.name, is_organization=author.is_organization)
            for author in payload.authors
        ],
    )


@router.post(
    "/submissions",
    response={201: SubmissionDetailOut},
    summary="Share a resource for review: a draft (add files, then submit) or sent at once",
)
def submissions_create(request: AuthenticatedHttpRequest, payload: SubmissionIn) -> Status:
    content = services.SubmissionContent(body=payload.body) if payload.body.strip() else None
    resource = services.submission_create(
        actor=request.user, fields=_fields(payload), content=content, submit=payload.submit
    )
    return Status(201, _detail(request.user, resource.pk))


@router.get(
    "/submissions",
    response=list[SubmissionOut],
    summary="My submissions, most recently changed first, each with its status",
)
@paginate(Pagination)
def submissions_mine(request: AuthenticatedHttpRequest) -> Any:
    return selectors.submission_list(request.user).select_related("current_version")


@router.get(
    "/submissions/{resource_id}",
    response=SubmissionDetailOut,
    summary="One submission with its files and review timeline (submitter and reviewers)",
)
def submissions_get(request: AuthenticatedHttpRequest, resource_id: int = ResourceId) -> Any:
    return _detail(request.user, resource_id)


@router.post(
    "/submissions/{resource_id}/files",
    response={201: SubmissionDetailOut},
    summary="Add files (multipart, field `files`) to a draft or a submission sent back for "
    "changes: a new version",
)
def submissions_files_add(
    request: AuthenticatedHttpRequest,
    resource_id: int = ResourceId,
    files: list[UploadedFile] = File(...),  # noqa: B008 - django-ninja's way of declaring files
) -> Status:
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    if len(files) > MAX_FILES_PER_VERSION:
        message = f"At most {MAX_FILES_PER_VERSION} files at once."
        raise ValidationFailed(message, field_errors={"files": [message]})
    checked = [file_validate(upload) for upload in files]
    services.submission_files_add(actor=request.user, resource=resource, files=checked)
    return Status(201, _detail(request.user, resource.pk))


@router.post(
    "/submissions/{resource_id}/submit",
    response=SubmissionDetailOut,
    summary="Send a draft for review, or send back a submission after the changes asked for",
)
def submissions_submit(
    request: AuthenticatedHttpRequest,
    payload: SubmitIn | None = None,
    resource_id: int = ResourceId,
) -> Any:
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    if resource.status == ResourceStatus.CHANGES_REQUESTED:
        services.submission_resubmit(
            actor=request.user, resource=resource, comment=payload.comment if payload else ""
        )
    else:
        services.submission_submit(actor=request.user, resource=resource)
    return _detail(request.user, resource_id)


@router.post(
    "/submissions/{resource_id}/withdraw",
    response=SubmissionDetailOut,
    summary="Withdraw one's own submission before a decision",
)
def submissions_withdraw(
    request: AuthenticatedHttpRequest,
    payload: WithdrawIn | None = None,
    resource_id: int = ResourceId,
) -> Any:
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    services.submission_withdraw(
        actor=request.user, resource=resource, reason=payload.reason if payload else ""
    )
    return _detail(request.user, resource_id)


@router.post(
    "/submissions/{resource_id}/decision",
    response=SubmissionDetailOut,
    summary="Decide on a submitted resource (center staff): approve, approve_on_date, "
    "request_changes, reject; 409 when it was decided already",
)
def submissions_decide(
    request: AuthenticatedHttpRequest, payload: DecisionIn, resource_id: int = ResourceId
) -> Any:
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    services.review_decide(
        actor=request.user,
        resource=resource,
        action=payload.action,
        comment=payload.comment,
        publish_at=payload.publish_at,
    )
    return _detail(request.user, resource_id)


@router.post(
    "/submissions/{resource_id}/comments",
    response={201: SubmissionDetailOut},
    summary="Comment on the review trail (the submitter and the reviewers)",
)
def submissions_comment(
    request: AuthenticatedHttpRequest, payload: CommentIn, resource_id: int = ResourceId
) -> Status:
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    services.review_comment(actor=request.user, resource=resource, comment=payload.comment)
    return Status(201, _detail(request.user, resource_id))
