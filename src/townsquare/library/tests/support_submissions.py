"""Test helpers of the submissions section: a submitter, a reviewer, submissions at each step,
made through the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from townsquare.accounts.models import Organization, User
from townsquare.accounts.tests.factories import make_organization, make_staff, make_user

from ..models import Resource, ResourceType, ResourceVersion
from ..services import review as services
from ..services.resources import AuthorInput, ResourceFields, file_validate
from .factories import pdf_bytes, upload


def current(resource: Resource) -> ResourceVersion:
    """The resource's current version, read again."""
    resource.refresh_from_db(fields=["current_version"])
    version = resource.current_version
    assert version is not None
    return version


@dataclass
class Scene:
    submitter: User
    reviewer: User
    organization: Organization


def scene() -> Scene:
    submitter = make_user(display_name="Sam Submitter")
    organization = make_organization(leader=submitter, name="Riverside Health")
    return Scene(submitter, make_staff(display_name="Rita Reviewer"), organization)


def fields(**overrides: Any) -> ResourceFields:
    values: dict[str, Any] = {
        "kind": ResourceType.POLICY,
        "title": "Riverside social-media policy",
        "summary": "How our staff use social media.",
        "authors": [AuthorInput(name="Riverside Health", is_organization=True)],
    }
    values.update(overrides)
    return ResourceFields(**values)


def a_pdf(name: str = "policy.pdf", text: str = "Patient privacy comes first") -> Any:
    return file_validate(upload(name, pdf_bytes(text)))


def submit(
    submitter: User,
    *,
    body: str = "## Purpose\nBe kind online.",
    files: tuple[Any, ...] = (),
    **overrides: Any,
) -> Resource:
    return services.submission_create(
        actor=submitter,
        fields=fields(**overrides),
        content=services.SubmissionContent(body=body, files=files),
    )


def ask_for_changes(reviewer: User, resource: Resource, comment: str = "Add contacts.") -> Resource:
    return services.review_decide(
        actor=reviewer,
        resource=resource,
        action=services.Decision.REQUEST_CHANGES,
        comment=comment,
    )


def approve(reviewer: User, resource: Resource, at: datetime | None = None) -> Resource:
    return services.review_decide(
        actor=reviewer,
        resource=resource,
        action=services.Decision.APPROVE_ON_DATE if at else services.Decision.APPROVE,
        publish_at=at,
    )
