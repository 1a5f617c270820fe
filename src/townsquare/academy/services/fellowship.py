"""The fellowship ladder: Bronze, Silver and Gold are earned with reviewed work; Platinum is
awarded.

Bronze is a strategic plan, Silver an implementation report (750–1,200 words with set sections),
Gold a presentation of results (a PDF or PowerPoint and a summary). Each level needs the one
before it. A submission goes draft → submitted → (changes requested → submitted …) → approved,
or is withdrawn; approval issues the fellowship credential.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.email import email_queue
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row
from townsquare.core.uploads import UploadKind, generated_name, upload_validate

from ..models import (
    FELLOWSHIP_ORDER,
    Credential,
    CredentialKind,
    FellowshipLevel,
    FellowshipSubmission,
    SubmissionComment,
    SubmissionStatus,
)
from ..permissions import (
    can_apply_for_fellowship,
    can_award_platinum,
    can_review_submission,
    can_view_submission,
)
from .credentials import fellowship_credential_issue

SILVER_MIN_WORDS = 750
SILVER_MAX_WORDS = 1200
SILVER_SECTIONS = ["Goals", "What we did", "Results", "Lessons learned"]
SUBMITTED_LEVELS = [FellowshipLevel.BRONZE, FellowshipLevel.SILVER, FellowshipLevel.GOLD]
OPEN_STATUSES = [
    SubmissionStatus.DRAFT,
    SubmissionStatus.SUBMITTED,
    SubmissionStatus.CHANGES_REQUESTED,
]
EDITABLE_STATUSES = [SubmissionStatus.DRAFT, SubmissionStatus.CHANGES_REQUESTED]
PRESENTATION_KIND = UploadKind(
    "presentation",
    {
        ".pdf": {"application/pdf"},
        ".pptx": {
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/zip",
            "application/x-zip-compressed",
        },
    },
    max_bytes=50 * 1024 * 1024,
)
LEVEL_WORK = {
    FellowshipLevel.BRONZE: "a strategic plan, reviewed by an advisor",
    FellowshipLevel.SILVER: (
        f"an implementation report of {SILVER_MIN_WORDS:,}–{SILVER_MAX_WORDS:,} words with the "
        f"sections {', '.join(SILVER_SECTIONS)}"
    ),
    FellowshipLevel.GOLD: "a presentation of results (PDF or PowerPoint) and a summary",
    FellowshipLevel.PLATINUM: "honorary: awarded by the center, no submission",
}


# --- Markdown word counting and sections ---------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<(https?://|mailto:)[^>]*>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LINE_MARKERS = re.compile(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_RULE = re.compile(r"^\s{0,3}([-*_]\s*){3,}$", re.MULTILINE)
_WORD = re.compile(r"[^\W_](?:[\w'’.-]*[^\W_])?")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)


def markdown_word_count(text: str) -> int:
    """Words a reader sees: Markdown markup (headings, emphasis, links' addresses, list markers,
    HTML tags) does not count; the text of headings and links does."""
    text = _FENCE.sub(" ", text or "")
    text = _IMAGE.sub(r" \1 ", text)
    text = _LINK.sub(r" \1 ", text)
    text = _AUTOLINK.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _RULE.sub(" ", text)
    for _ in range(3):  # nested markers such as "> - item"
        text = _LINE_MARKERS.sub("", text)
    return len(_WORD.findall(text))


def _normalized(heading: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", re.sub(r"\s+", " ", heading.lower())).strip()


def markdown_sections(text: str) -> list[str]:
    return [_normalized(match) for match in _HEADING.findall(text or "")]


def silver_report_problems(text: str) -> list[str]:
    """What keeps a report from being a valid Silver implementation report (empty if none)."""
    problems = []
    present = set(markdown_sections(text))
    missing = [name for name in SILVER_SECTIONS if _normalized(name) not in present]
    if missing:
        problems.append(
            "Add the missing section heading(s) (Markdown “## Heading”): "
            + ", ".join(missing)
            + "."
        )
    words = markdown_word_count(text)
    if words < SILVER_MIN_WORDS:
        problems.append(
            f"The report has {words:,} words; it needs at least {SILVER_MIN_WORDS:,} "
            f"(at most {SILVER_MAX_WORDS:,})."
        )
    elif words > SILVER_MAX_WORDS:
        problems.append(
            f"The report has {words:,} words; the limit is {SILVER_MAX_WORDS:,}. "
            f"Shorten it by {words - SILVER_MAX_WORDS:,} words."
        )
    return problems


# --- ladder --------------------------------------------------------------------------------------


def levels_held(user: User) -> set[str]:
    return set(
        Credential.objects.filter(
            user=user, kind=CredentialKind.FELLOWSHIP, revoked_at__isnull=True
        ).values_list("level", flat=True)
    )


def previous_level(level: str) -> str | None:
    index = FELLOWSHIP_ORDER.index(FellowshipLevel(level))
    return FELLOWSHIP_ORDER[index - 1].value if index else None


def _check_ladder(user: User, level: str) -> None:
    held = levels_held(user)
    label = FellowshipLevel(level).label
    if level in held:
        raise Conflict(f"You already hold the {label} fellowship.")
    needed = previous_level(level)
    if needed is not None and needed not in held:
        message = (
            f"The {label} fellowship needs the {FellowshipLevel(needed).label} fellowship first."
        )
        raise ValidationFailed(message, field_errors={"level": [message]})


def _store_attachment(submission: FellowshipSubmission, upload: UploadedFile) -> None:
    checked = upload_validate(upload, kind=PRESENTATION_KIND, field_name="attachment")
    submission.attachment.save(
        generated_name("academy/fellowship", checked.extension), checked.file, save=False
    )
    submission.attachment_name = checked.original_name[:255]


def _content_problems(submission: FellowshipSubmission) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not submission.title.strip():
        errors["title"] = ["Give the submission a title."]
    body = submission.body or ""
    if submission.level == FellowshipLevel.BRONZE and markdown_word_count(body) < 50:
        errors["body"] = ["Write your strategic plan (at least 50 words)."]
    elif submission.level == FellowshipLevel.SILVER:
        problems = silver_report_problems(body)
        if problems:
            errors["body"] = problems
    elif submission.level == FellowshipLevel.GOLD:
        if not body.strip():
            errors["body"] = ["Write a summary of the results you present."]
        if not submission.attachment:
            errors["attachment"] = ["Upload your presentation as a PDF or PowerPoint (.pptx)."]
    return errors


def _link(submission: FellowshipSubmission) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "academy:fellowship_submission", kwargs={"pk": submission.pk}
    )


def _audit(action: str, actor: User, submission: FellowshipSubmission, **data: str) -> None:
    audit_record(
        action=f"academy.fellowship.{action}",
        actor=actor,
        target=submission,
        data={"level": submission.level, "status": submission.status, **data},
    )


def _own_open(actor: User, submission: FellowshipSubmission) -> FellowshipSubmission:
    if submission.user_id != actor.pk:
        raise PermissionRefused("Only the person who wrote this submission may change it.")
    return lock_row(FellowshipSubmission.objects.filter(pk=submission.pk))


# --- services ------------------------------------------------------------------------------------


@transaction.atomic
def submission_create(
    *,
    actor: User,
    level: str,
    title: str,
    body: str = "",
    attachment: UploadedFile | None = None,
) -> FellowshipSubmission:
    """Start a draft for a level. Drafts may be incomplete; the rules apply on submit."""
    if not can_apply_for_fellowship(actor):
        raise PermissionRefused("The fellowship is open to health-care professionals.")
    if level == FellowshipLevel.PLATINUM:
        raise ValidationFailed(
            "Platinum is honorary: the center awards it; there is nothing to submit.",
            field_errors={"level": ["Platinum is awarded, not applied for."]},
        )
    if level not in SUBMITTED_LEVELS:
        raise ValidationFailed("Choose Bronze, Silver or Gold.", field_errors={"level": ["?"]})
    _check_ladder(actor, level)
    submission = FellowshipSubmission(user=actor, level=level, title=title.strip(), body=body)
    if attachment is not None:
        _store_attachment(submission, attachment)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError as error:
        raise Conflict(
            f"You already have an open {FellowshipLevel(level).label} submission; "
            "edit or withdraw that one."
        ) from error
    _audit("created", actor, submission)
    return submission


@transaction.atomic
def submission_update(
    *,
    actor: User,
    submission: FellowshipSubmission,
    title: str,
    body: str,
    attachment: UploadedFile | None = None,
) -> FellowshipSubmission:
    submission = _own_open(actor, submission)
    if submission.status not in EDITABLE_STATUSES:
        raise Conflict(
            f"A submission that is “{submission.get_status_display()}” cannot be edited."
        )
    submission.title = title.strip()
    submission.body = body
    if attachment is not None:
        _store_attachment(submission, attachment)
    submission.save()
    _audit("edited", actor, submission)
    return submission


@transaction.atomic
def submission_submit(*, actor: User, submission: FellowshipSubmission) -> FellowshipSubmission:
    submission = _own_open(actor, submission)
    if submission.status not in EDITABLE_STATUSES:
        raise Conflict(
            f"Only a draft or a submission with changes requested can be submitted; this one is "
            f"“{submission.get_status_display()}”."
        )
    _check_ladder(actor, submission.level)
    errors = _content_problems(submission)
    if errors:
        summary = " ".join(message for messages in errors.values() for message in messages)
        raise ValidationFailed(f"Not ready to submit: {summary}", field_errors=errors)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    _audit("submitted", actor, submission)
    return submission


@transaction.atomic
def submission_withdraw(*, actor: User, submission: FellowshipSubmission) -> FellowshipSubmission:
    submission = _own_open(actor, submission)
    if submission.status not in OPEN_STATUSES:
        raise Conflict(
            f"A submission that is “{submission.get_status_display()}” cannot be withdrawn."
        )
    submission.status = SubmissionStatus.WITHDRAWN
    submission.save(update_fields=["status", "updated_at"])
    _audit("withdrawn", actor, submission)
    return submission


@transaction.atomic
def submission_comment(
    *, actor: User, submission: FellowshipSubmission, body: str
) -> SubmissionComment:
    if not (can_view_submission(actor, submission) or can_review_submission(actor, submission)):
        raise PermissionRefused("You may not comment on this submission.")
    if submission.status == SubmissionStatus.WITHDRAWN:
        raise Conflict("This submission was withdrawn.")
    if not body.strip():
        raise ValidationFailed("Write a comment.", field_errors={"body": ["Write a comment."]})
    comment = SubmissionComment.objects.create(submission=submission, author=actor, body=body)
    _audit("commented", actor, submission)
    return comment


@transaction.atomic
def submission_decide(
    *, actor: User, submission: FellowshipSubmission, decision: str, comment: str = ""
) -> FellowshipSubmission:
    """A reviewer approves (issuing the credential) or asks for changes (a comment is required)."""
    if not can_review_submission(actor, submission):
        raise PermissionRefused("Only advisors may review submissions, and never their own.")
    if decision not in {"approve", "request_changes"}:
        raise ValidationFailed(
            "Decide “approve” or “request_changes”.", field_errors={"decision": ["Choose one."]}
        )
    submission = lock_row(FellowshipSubmission.objects.filter(pk=submission.pk))
    if submission.status != SubmissionStatus.SUBMITTED:
        raise Conflict(
            f"Only a submitted piece of work can be reviewed; this one is "
            f"“{submission.get_status_display()}”."
        )
    comment = comment.strip()
    if decision == "request_changes" and not comment:
        raise ValidationFailed(
            "Say what should change: a comment is required when asking for changes.",
            field_errors={"comment": ["Say what should change."]},
        )
    submission.reviewer = actor
    submission.decided_at = timezone.now()
    label = FellowshipLevel(submission.level).label
    if decision == "approve":
        submission.status = SubmissionStatus.APPROVED
        submission.credential = fellowship_credential_issue(
            user=submission.user, level=submission.level
        )
        subject = f"Your {label} fellowship is approved"
    else:
        submission.status = SubmissionStatus.CHANGES_REQUESTED
        subject = f"Changes requested on your {label} fellowship submission"
    submission.save()
    if comment:
        SubmissionComment.objects.create(
            submission=submission,
            author=actor,
            body=comment,
            decision=submission.status,
        )
    _audit("decided", actor, submission, decision=decision)
    email_queue(
        to=[submission.user.email],
        subject=subject,
        body=f"{subject}. Read the review and any comments at {_link(submission)}\n",
    )
    return submission


@transaction.atomic
def fellowship_award_platinum(*, actor: User, user: User, citation: str) -> Credential:
    """Staff award the honorary Platinum level to a Gold fellow, with a citation."""
    if not can_award_platinum(actor):
        raise PermissionRefused("Only center staff award the Platinum fellowship.")
    citation = (citation or "").strip()
    if not citation:
        raise ValidationFailed(
            "Write the citation: why this person is honored.",
            field_errors={"citation": ["Write the citation."]},
        )
    lock_row(User.objects.filter(pk=user.pk))
    _check_ladder(user, FellowshipLevel.PLATINUM)
    credential = fellowship_credential_issue(
        user=user, level=FellowshipLevel.PLATINUM, citation=citation
    )
    audit_record(
        action="academy.fellowship.platinum_awarded",
        actor=actor,
        target=credential,
        data={"level": FellowshipLevel.PLATINUM},
    )
    return credential
