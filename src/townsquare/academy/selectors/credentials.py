"""Reads for credentials and fellowship submissions; every one asks the permission gates."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from townsquare.core.errors import NotFound, PermissionRefused

from ..models import Credential, CredentialKind, FellowshipSubmission, SubmissionStatus
from ..permissions import (
    can_review_submission,
    can_review_submissions,
    can_view_credential,
    can_view_submission,
)


def credential_list(*, user: Any) -> QuerySet[Credential]:
    """A person's own credentials, newest first, revoked ones included (they are marked)."""
    return Credential.objects.filter(user=user).select_related("course", "program")


def credential_get(*, viewer: Any, credential_id: int) -> Credential:
    credential = (
        Credential.objects.select_related("user", "course", "program", "revoked_by")
        .filter(pk=credential_id)
        .first()
    )
    # Someone else's credential is "not found", so ids reveal nothing.
    if credential is None or not can_view_credential(viewer, credential):
        raise NotFound("No credential of yours has this number.")
    return credential


def course_credential_for(*, user: Any, course: Any) -> Credential | None:
    """The learner's live certificate for a course, if issued."""
    return Credential.objects.filter(
        user=user, course=course, kind=CredentialKind.COURSE, revoked_at__isnull=True
    ).first()


def revoked_credentials() -> QuerySet[Credential]:
    """Every revoked credential, oldest revocation first (for the public revocation list)."""
    return Credential.objects.filter(revoked_at__isnull=False).order_by("revoked_at", "pk")


def credential_by_code(*, code: str) -> Credential | None:
    """For the public verification page: anyone may look up a code (rate-limited by the view)."""
    return (
        Credential.objects.select_related("course", "program")
        .filter(verification_code=code)
        .first()
    )


def fellowship_credentials(*, user: Any) -> list[Credential]:
    """A person's live fellowship levels in ladder order (Bronze first)."""
    from ..models import FELLOWSHIP_ORDER

    found = {
        credential.level: credential
        for credential in Credential.objects.filter(
            user=user, kind=CredentialKind.FELLOWSHIP, revoked_at__isnull=True
        )
    }
    return [found[level] for level in FELLOWSHIP_ORDER if level in found]


def submission_list(*, user: Any) -> QuerySet[FellowshipSubmission]:
    return FellowshipSubmission.objects.filter(user=user).select_related("credential")


def review_queue(*, viewer: Any) -> QuerySet[FellowshipSubmission]:
    """Submitted work waiting for a decision, oldest first, never the reviewer's own."""
    if not can_review_submissions(viewer):
        raise PermissionRefused("Only advisors (staff, instructors, coaches) review submissions.")
    return (
        FellowshipSubmission.objects.filter(status=SubmissionStatus.SUBMITTED)
        .exclude(user=viewer)
        .select_related("user")
        .order_by("submitted_at", "pk")
    )


def submission_get(*, viewer: Any, submission_id: int) -> FellowshipSubmission:
    submission = (
        FellowshipSubmission.objects.select_related("user", "reviewer", "credential")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not (
        can_view_submission(viewer, submission)
        or (
            can_review_submission(viewer, submission)
            and submission.status != SubmissionStatus.DRAFT
        )
    ):
        raise NotFound("No submission you may see has this number.")
    return submission
