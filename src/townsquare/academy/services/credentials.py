"""Issuing and revoking credentials: course and program certificates, fellowship levels.

What a credential says is frozen when it is issued (title, recipient, hours, credit statement), so
later edits to a course never change a certificate someone already holds. Each carries an
unguessable verification code for the public page at /verify/<code>.
"""

from __future__ import annotations

import re
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.email import email_queue
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row

from ..models import (
    Course,
    Credential,
    CredentialKind,
    Enrollment,
    EnrollmentStatus,
    ProgramEnrollment,
)
from ..permissions import can_revoke_credential
from .statements import statement_record

# Base32 without the characters people confuse when they type a code from paper: 0/O, 1/I.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 16  # 32**16 = 2**80 codes: far beyond guessing, even without the rate limit.
CODE_PATTERN = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def verification_code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verification_code_normalize(code: str) -> str | None:
    """The code in canonical form, or None when it cannot be one of ours (checked before lookup).

    People copy codes from paper: spaces and dashes are dropped, lower case is accepted."""
    cleaned = re.sub(r"[\s-]", "", code or "").upper()
    return cleaned if CODE_PATTERN.match(cleaned) else None


def verification_url(credential: Credential) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/verify/{credential.verification_code}"


def _credit_activity(course: Course) -> Any:
    try:
        return course.credit_activity  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return None


def credit_statement_for(course: Course) -> tuple[Decimal, str]:
    """Hours and the CE statement a course's certificate carries."""
    activity = _credit_activity(course)
    if activity is None:
        return Decimal(course.estimated_hours or 0), ""
    hours = Decimal(activity.max_hours)
    return hours, f"Up to {hours:.2f} {activity.get_credit_type_display()}"


def _create(**fields: Any) -> Credential:
    """Insert a credential; the partial unique constraints keep one live per subject."""
    try:
        with transaction.atomic():
            return Credential.objects.create(
                issued_at=timezone.now(), verification_code=verification_code_new(), **fields
            )
    except IntegrityError as error:
        raise Conflict("This person already holds a live credential for this.") from error


def _announce(credential: Credential) -> None:
    """Audit, record the xAPI "earned" statement and email the learner, all in this transaction."""
    audit_record(
        action="academy.credential.issued",
        actor=None,
        target=credential,
        data={"kind": credential.kind, "level": credential.level},
    )
    statement_record(
        user=credential.user,
        verb="earned",
        object_type="credential",
        object_id=credential.pk,
        name=credential.title,
    )
    link = settings.SITE_URL.rstrip("/") + reverse(
        "academy:credential_detail", kwargs={"pk": credential.pk}
    )
    email_queue(
        to=[credential.user.email],
        subject=f"Your credential: {credential.title}",
        body=(
            f"Congratulations, {credential.recipient_name}.\n\n"
            f"You have earned “{credential.title}”. Download your certificate and badge here:\n"
            f"{link}\n\n"
            f"Anyone can check it is genuine at {verification_url(credential)}\n"
        ),
    )


def _live(**filters: Any) -> Credential | None:
    return Credential.objects.filter(revoked_at__isnull=True, **filters).first()


@transaction.atomic
def course_certificate_issue(*, enrollment: Enrollment) -> Credential:
    """The certificate for a completed course; returns the live one if it was issued before."""
    enrollment = lock_row(
        Enrollment.objects.filter(pk=enrollment.pk).select_related("user", "course")
    )
    if enrollment.status != EnrollmentStatus.COMPLETED or enrollment.completed_at is None:
        raise ValidationFailed(
            "A certificate is issued only when the course is completed; finish every lesson "
            "and pass the quizzes first."
        )
    course = enrollment.course
    existing = _live(user=enrollment.user, kind=CredentialKind.COURSE, course=course)
    if existing is not None:
        return existing
    hours, statement = credit_statement_for(course)
    credential = _create(
        user=enrollment.user,
        kind=CredentialKind.COURSE,
        course=course,
        title=f"{course.code} {course.title}".strip(),
        recipient_name=enrollment.user.display_name,
        hours=hours,
        credit_statement=statement,
    )
    _announce(credential)
    return credential


@transaction.atomic
def program_certificate_issue(*, program_enrollment: ProgramEnrollment) -> Credential:
    """The certificate for a completed program; returns the live one if it was issued before."""
    program_enrollment = lock_row(
        ProgramEnrollment.objects.filter(pk=program_enrollment.pk).select_related("user", "program")
    )
    if program_enrollment.completed_at is None:
        raise ValidationFailed(
            "A program certificate is issued only when every course of the program is completed."
        )
    program = program_enrollment.program
    existing = _live(user=program_enrollment.user, kind=CredentialKind.PROGRAM, program=program)
    if existing is not None:
        return existing
    hours = sum(
        (credit_statement_for(item.course)[0] for item in program.items.select_related("course")),
        Decimal(0),
    )
    credential = _create(
        user=program_enrollment.user,
        kind=CredentialKind.PROGRAM,
        program=program,
        title=program.title,
        recipient_name=program_enrollment.user.display_name,
        hours=hours,
    )
    _announce(credential)
    return credential


@transaction.atomic
def fellowship_credential_issue(*, user: User, level: str, citation: str = "") -> Credential:
    """A fellowship level (called by the fellowship services after approval or an award)."""
    from ..models import FellowshipLevel

    label = FellowshipLevel(level).label
    credential = _create(
        user=user,
        kind=CredentialKind.FELLOWSHIP,
        level=level,
        title=f"{label} Fellow in Health-Care Social Media",
        recipient_name=user.display_name,
        credit_statement=citation[:300],
    )
    _announce(credential)
    return credential


@transaction.atomic
def attendance_certificate_issue(
    *,
    user: User,
    subject_reference: str,
    title: str,
    hours: Decimal,
    credit_statement: str = "",
    subject_url: str = "",
) -> Credential:
    """A certificate of attendance for another app's occasion (an event), once per subject.

    ``subject_reference`` names the occasion ("events.event:12") and ``subject_url`` is its page;
    the caller has checked that the person attended. Returns the live certificate if one was
    issued before."""
    if not subject_reference or len(subject_reference) > 80:
        raise ValidationFailed("A certificate of attendance needs what it is for.")
    existing = _live(user=user, kind=CredentialKind.ATTENDANCE, subject_reference=subject_reference)
    if existing is not None:
        return existing
    credential = _create(
        user=user,
        kind=CredentialKind.ATTENDANCE,
        subject_reference=subject_reference,
        subject_url=subject_url[:300],
        title=title[:250],
        recipient_name=user.display_name,
        hours=hours,
        credit_statement=credit_statement[:300],
    )
    _announce(credential)
    return credential


@transaction.atomic
def credential_revoke(*, actor: User, credential: Credential, reason: str) -> Credential:
    """Withdraw a credential (staff). It stays on record; the verification page says revoked."""
    if not can_revoke_credential(actor):
        raise PermissionRefused("Only center staff may revoke credentials.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            "Give the reason for revoking: it is shown on the public verification page.",
            field_errors={"reason": ["Give the reason for revoking."]},
        )
    credential = lock_row(Credential.objects.filter(pk=credential.pk))
    if credential.revoked_at is not None:
        raise Conflict(f"This credential was already revoked on {credential.revoked_at:%Y-%m-%d}.")
    credential.revoked_at = timezone.now()
    credential.revoked_reason = reason
    credential.revoked_by = actor
    credential.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "updated_at"])
    audit_record(
        action="academy.credential.revoked",
        actor=actor,
        target=credential,
        data={"reason": reason[:500], "kind": credential.kind},
    )
    return credential
