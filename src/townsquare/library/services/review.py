"""Submissions and their review: members share a resource, center staff decide on it.

The path of a submission (``Resource.is_submission``)::

    draft --submit--> submitted --approve--> published (or scheduled --beat--> published)
                          |   \\--reject--> rejected
                          |    \\--request changes--> changes_requested --resubmit--> submitted
                          \\--withdraw (by the submitter, from draft, submitted or
                             changes_requested)--> withdrawn

Every step appends a ``ReviewEvent`` (the submitter's timeline) and an audit record. A decision
is lock, check, write: the resource row is locked, its status checked again, then written, so of
two reviewers deciding at the same moment one applies and the other gets a ``Conflict``.
Notifications go to the submitter on every decision and comment, and to the reviewers when a
submission arrives or comes back; they name the resource's title, never its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.models import Organization, Role, User
from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_rows
from townsquare.core.uploads import ValidatedUpload
from townsquare.notifications.models import NotificationKind
from townsquare.notifications.services import notify, notify_many

from ..models import Access, Resource, ResourceStatus, ReviewAction, ReviewEvent
from ..permissions import (
    can_edit_resource,
    can_follow_submission,
    can_review,
    can_share_as_organization,
    can_submit_resource,
    can_withdraw_submission,
)
from .resources import ResourceFields, resource_create, resource_publish, resource_update
from .resources import version_create as resources_version_create

MAX_COMMENT = 5000
TITLE_IN_SUMMARY = 80


class Decision:
    """What a reviewer may decide about a submitted resource."""

    APPROVE = "approve"
    APPROVE_ON_DATE = "approve_on_date"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"

    CHOICES = (
        (APPROVE, "Approve and publish now"),
        (APPROVE_ON_DATE, "Approve and publish on a date"),
        (REQUEST_CHANGES, "Ask the submitter for changes"),
        (REJECT, "Reject"),
    )
    VALUES = frozenset(value for value, _ in CHOICES)
    NEEDS_COMMENT = frozenset({REQUEST_CHANGES, REJECT})


@dataclass(frozen=True)
class SubmissionContent:
    """The first version of a submission: a Markdown body and/or files."""

    body: str = ""
    files: Sequence[ValidatedUpload] = ()
    file_titles: Sequence[str] = ()
    change_note: str = ""


# --- Helpers -----------------------------------------------------------------------------------


def _lock_in_state(resource: Resource, statuses: Iterable[str]) -> list[Resource]:
    """Lock the submission's row if it is (still) in one of ``statuses``: empty when it is not.

    On PostgreSQL a second reviewer waits here for the first to commit, then reads the row again
    and finds it decided; on SQLite the IMMEDIATE transaction already lets one writer in at a
    time. The race test replaces this with a read that takes no lock."""
    return lock_rows(
        Resource.objects.filter(
            pk=resource.pk, is_submission=True, status__in=sorted(statuses)
        ).select_related("created_by", "current_version")
    )


def _locked(resource: Resource, statuses: Iterable[str], message: str) -> Resource:
    rows = _lock_in_state(resource, statuses)
    if not rows:
        if not Resource.objects.filter(pk=resource.pk, is_submission=True).exists():
            raise NotFound("No such submission.")
        raise Conflict(message)
    return rows[0]


def _event(*, resource: Resource, actor: Any, action: str, comment: str = "") -> ReviewEvent:
    return ReviewEvent.objects.create(
        resource=resource,
        version_id=resource.current_version_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        comment=comment,
    )


def _clean_comment(comment: str, *, required: bool, field: str = "comment") -> str:
    text = (comment or "").strip()
    if required and not text:
        message = "Say what needs to change or why: the submitter reads this."
        raise ValidationFailed(message, field_errors={field: [message]})
    if len(text) > MAX_COMMENT:
        message = f"Keep the comment under {MAX_COMMENT} characters."
        raise ValidationFailed(message, field_errors={field: [message]})
    return text


def _titled(resource: Resource) -> str:
    title = resource.title
    if len(title) > TITLE_IN_SUMMARY:
        title = title[: TITLE_IN_SUMMARY - 1].rstrip() + "…"
    return f"“{title}”"


def submission_url(resource: Resource) -> str:
    return reverse("library:submission_detail", args=[resource.pk])


def review_url(resource: Resource) -> str:
    return reverse("library:review_detail", args=[resource.pk])


def reviewers() -> Any:
    """The people who review submissions: active center staff."""
    return (
        User.objects.filter(Q(roles__role=Role.STAFF) | Q(is_superuser=True), is_active=True)
        .distinct()
        .order_by("pk")
    )


def _tell_reviewers(resource: Resource, *, actor: Any, summary: str, key: str) -> None:
    notify_many(
        recipients=list(reviewers().exclude(pk=getattr(actor, "pk", None))),
        kind=NotificationKind.SYSTEM,
        summary=summary,
        url=review_url(resource),
        actor=actor,
        actor_label=getattr(actor, "display_name", ""),
        scope_label="Library review",
        dedupe_key=key,
    )


def _tell_submitter(resource: Resource, *, actor: Any, summary: str, key: str) -> None:
    submitter = resource.created_by
    if submitter is None or submitter.pk == getattr(actor, "pk", None):
        return
    notify(
        recipient=submitter,
        kind=NotificationKind.MODERATION,
        summary=summary,
        url=submission_url(resource),
        actor=actor,
        actor_label="Library review",
        scope_label="Library",
        dedupe_key=key,
    )


def scheduled_publication_tell(resource: Resource) -> None:
    """Tell the submitter that their approved submission went out on its date."""
    _tell_submitter(
        resource,
        actor=None,
        summary=f"published {_titled(resource)} in the library, as scheduled",
        key=f"library.submission:{resource.pk}:scheduled-published",
    )


def _check_owner_fields(actor: Any, fields: ResourceFields) -> None:
    """A member shares only as (or privately to) an organization they belong to (staff: one
    that exists)."""
    organization_id = fields.organization_id
    if organization_id is not None and not (
        can_share_as_organization(actor, organization_id)
        and Organization.objects.filter(pk=organization_id).exists()
    ):
        message = "Choose one of your own organizations."
        raise ValidationFailed(message, field_errors={"organization": [message]})
    if fields.access == Access.ORGANIZATION and fields.organization_id is None:
        message = "Choose the organization it is private to."
        raise ValidationFailed(message, field_errors={"organization": [message]})


def _check_content(content: SubmissionContent) -> None:
    if not (content.body.strip() or content.files):
        message = "Add the text (Markdown) or at least one file."
        raise ValidationFailed(message, field_errors={"body": [message], "files": [message]})


# --- The submitter's side -----------------------------------------------------------------------


@transaction.atomic
def submission_create(
    *,
    actor: Any,
    fields: ResourceFields,
    content: SubmissionContent | None = None,
    submit: bool = True,
) -> Resource:
    """A member's new submission with its first version (when ``content`` is given), sent for
    review at once unless ``submit`` is False (a draft the API fills with files first)."""
    if not can_submit_resource(actor):
        raise PermissionRefused("Members share resources for review; sign in as a member.")
    _check_owner_fields(actor, fields)
    if content is not None and (submit or content.body.strip() or content.files):
        _check_content(content)
    if submit and content is None:
        _check_content(SubmissionContent())
    resource = resource_create(actor=actor, fields=fields, is_submission=True)
    if content is not None and (content.body.strip() or content.files):
        resources_version_create(
            actor=actor,
            resource=resource,
            change_note=content.change_note or "Submitted",
            body=content.body,
            files=content.files,
            file_titles=content.file_titles,
            chapters=[],
        )
        resource.refresh_from_db(fields=["current_version"])
    if submit:
        resource = submission_submit(actor=actor, resource=resource)
    return resource


@transaction.atomic
def submission_submit(*, actor: Any, resource: Resource) -> Resource:
    """Send a draft for review (it needs a version with text or a file)."""
    if not (getattr(actor, "is_authenticated", False) and resource.created_by_id == actor.pk):
        raise PermissionRefused("Only the person who made the submission sends it.")
    locked = _locked(resource, {ResourceStatus.DRAFT}, "This submission was already sent.")
    if locked.current_version_id is None:
        _check_content(SubmissionContent())
    locked.status = ResourceStatus.SUBMITTED
    locked.save(update_fields=["status", "updated_at"])
    _event(resource=locked, actor=actor, action=ReviewAction.SUBMITTED)
    audit_record(action="library.submission_submit", actor=actor, target=locked)
    _tell_reviewers(
        locked,
        actor=actor,
        summary=f"submitted {_titled(locked)} to the library for review",
        key=f"library.submitted:{locked.pk}",
    )
    return locked


@transaction.atomic
def submission_edit(
    *,
    actor: Any,
    resource: Resource,
    fields: ResourceFields,
    content: SubmissionContent | None = None,
    keep_files: bool = True,
) -> Resource:
    """Change a draft or a submission sent back for changes: its description, and (with
    ``content``) a new version. All or nothing."""
    if not can_edit_resource(actor, resource) or not resource.is_submission:
        raise PermissionRefused("You may change a submission only while it is yours to change.")
    _check_owner_fields(actor, fields)
    updated = resource_update(actor=actor, resource=resource, fields=fields)
    if content is not None:
        previous = updated.current_version
        unchanged = (
            previous is not None
            and not content.files
            and content.body == previous.body
            and not content.change_note.strip()
        )
        if not unchanged:
            resources_version_create(
                actor=actor,
                resource=updated,
                change_note=content.change_note or "Changes for review",
                body=content.body,
                files=content.files,
                file_titles=content.file_titles,
                keep_files=keep_files,
            )
            updated.refresh_from_db(fields=["current_version"])
    return updated


@transaction.atomic
def submission_files_add(
    *,
    actor: Any,
    resource: Resource,
    files: Sequence[ValidatedUpload],
    file_titles: Sequence[str] = (),
    change_note: str = "",
) -> Resource:
    """Add files to a draft or to a submission sent back for changes: a new version with the
    previous text and files and these."""
    if not (resource.is_submission and can_edit_resource(actor, resource)):
        raise PermissionRefused("You may add files only while the submission is yours to change.")
    if not files:
        message = "Choose at least one file."
        raise ValidationFailed(message, field_errors={"files": [message]})
    previous = resource.current_version
    resources_version_create(
        actor=actor,
        resource=resource,
        change_note=change_note or "Added files",
        body=previous.body if previous is not None else "",
        files=files,
        file_titles=file_titles,
        keep_files=True,
    )
    resource.refresh_from_db()
    return resource


@transaction.atomic
def submission_resubmit(*, actor: Any, resource: Resource, comment: str = "") -> Resource:
    """Send a submission back for review after making the changes asked for."""
    if not (getattr(actor, "is_authenticated", False) and resource.created_by_id == actor.pk):
        raise PermissionRefused("Only the person who made the submission sends it back.")
    text = _clean_comment(comment, required=False)
    locked = _locked(
        resource,
        {ResourceStatus.CHANGES_REQUESTED},
        "This submission is not waiting for changes.",
    )
    locked.status = ResourceStatus.SUBMITTED
    locked.save(update_fields=["status", "updated_at"])
    _event(resource=locked, actor=actor, action=ReviewAction.RESUBMITTED, comment=text)
    audit_record(
        action="library.submission_resubmit",
        actor=actor,
        target=locked,
        data={"version": locked.current_version.number if locked.current_version else None},
    )
    _tell_reviewers(
        locked,
        actor=actor,
        summary=f"sent {_titled(locked)} back for review with changes",
        key=f"library.resubmitted:{locked.pk}:{locked.current_version_id}",
    )
    return locked


WITHDRAWABLE = frozenset(
    {ResourceStatus.DRAFT, ResourceStatus.SUBMITTED, ResourceStatus.CHANGES_REQUESTED}
)


@transaction.atomic
def submission_withdraw(*, actor: Any, resource: Resource, reason: str = "") -> Resource:
    """The submitter takes their submission back before a decision; it stays in their list."""
    if not can_withdraw_submission(actor, resource):
        raise PermissionRefused("You may withdraw only your own submission, before a decision.")
    text = _clean_comment(reason, required=False, field="reason")
    locked = _locked(resource, WITHDRAWABLE, "This submission was decided already.")
    locked.status = ResourceStatus.WITHDRAWN
    locked.publish_at = None
    locked.save(update_fields=["status", "publish_at", "updated_at"])
    _event(resource=locked, actor=actor, action=ReviewAction.WITHDRAWN, comment=text)
    audit_record(action="library.submission_withdraw", actor=actor, target=locked)
    return locked


# --- The reviewers' side ------------------------------------------------------------------------


def _publish_date(decision: str, publish_at: datetime | None) -> datetime | None:
    if decision != Decision.APPROVE_ON_DATE:
        return None
    if publish_at is None:
        message = "Choose the date and time to publish it."
        raise ValidationFailed(message, field_errors={"publish_at": [message]})
    if timezone.is_naive(publish_at):
        publish_at = timezone.make_aware(publish_at)
    if publish_at <= timezone.now():
        message = "Choose a date in the future (or approve it now)."
        raise ValidationFailed(message, field_errors={"publish_at": [message]})
    return publish_at


@transaction.atomic
def review_decide(
    *,
    actor: Any,
    resource: Resource,
    action: str,
    comment: str = "",
    publish_at: datetime | None = None,
) -> Resource:
    """Decide on a submitted resource: approve (publish now or on ``publish_at``), ask for
    changes, or reject. A comment is required for the last two. Applies once: a decision on a
    submission that is no longer waiting is a ``Conflict``."""
    if not can_review(actor):
        raise PermissionRefused("Only center staff review submissions.")
    if action not in Decision.VALUES:
        message = "Choose a decision."
        raise ValidationFailed(message, field_errors={"action": [message]})
    text = _clean_comment(comment, required=action in Decision.NEEDS_COMMENT)
    when = _publish_date(action, publish_at)
    locked = _locked(
        resource,
        {ResourceStatus.SUBMITTED},
        "Someone decided on this submission already (or it was withdrawn); reload to see it.",
    )
    if action in {Decision.APPROVE, Decision.APPROVE_ON_DATE}:
        published = resource_publish(actor=actor, resource=locked, at=when, from_review=True)
        if when is None:
            _event(resource=published, actor=actor, action=ReviewAction.APPROVED, comment=text)
            _event(resource=published, actor=actor, action=ReviewAction.PUBLISHED)
            summary = f"approved {_titled(locked)}: it is published in the library"
        else:
            _event(resource=published, actor=actor, action=ReviewAction.SCHEDULED, comment=text)
            day = f"{when:%B} {when.day}, {when.year}"
            summary = f"approved {_titled(locked)}: it will be published on {day}"
        status = published.status
    else:
        status = (
            ResourceStatus.CHANGES_REQUESTED
            if action == Decision.REQUEST_CHANGES
            else ResourceStatus.REJECTED
        )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
        _event(
            resource=locked,
            actor=actor,
            action=ReviewAction.CHANGES_REQUESTED
            if action == Decision.REQUEST_CHANGES
            else ReviewAction.REJECTED,
            comment=text,
        )
        summary = (
            f"asked for changes to {_titled(locked)}"
            if action == Decision.REQUEST_CHANGES
            else f"did not accept {_titled(locked)} for the library"
        )
    audit_record(
        action="library.review_decide",
        actor=actor,
        target=locked,
        data={
            "decision": action,
            "status": status,
            "publish_at": when.isoformat() if when else None,
            "has_comment": bool(text),
        },
    )
    decided = Resource.objects.select_related("created_by").get(pk=locked.pk)
    _tell_submitter(
        decided,
        actor=actor,
        summary=summary,
        key=f"library.decision:{decided.pk}:{ReviewEvent.objects.filter(resource=decided).count()}",
    )
    return decided


@transaction.atomic
def review_comment(*, actor: Any, resource: Resource, comment: str) -> ReviewEvent:
    """A comment on the review trail, from a reviewer or the submitter; the other side is told."""
    if not (resource.is_submission and can_follow_submission(actor, resource)):
        raise PermissionRefused("Only the submitter and the reviewers comment on a submission.")
    text = _clean_comment(comment, required=True)
    event = _event(resource=resource, actor=actor, action=ReviewAction.COMMENTED, comment=text)
    audit_record(action="library.review_comment", actor=actor, target=resource)
    key = f"library.comment:{event.pk}"
    if actor.pk == resource.created_by_id:
        _tell_reviewers(resource, actor=actor, summary=f"commented on {_titled(resource)}", key=key)
    else:
        _tell_submitter(
            resource,
            actor=actor,
            summary=f"commented on your submission {_titled(resource)}",
            key=key,
        )
    return event
