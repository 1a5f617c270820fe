"""Issuing and revoking certificates: frozen facts, idempotence, refusals, audit, statements."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from townsquare.academy.models import (
    Credential,
    CredentialKind,
    EnrollmentStatus,
    LearningStatement,
    Program,
    ProgramEnrollment,
    ProgramItem,
)
from townsquare.academy.services import credentials as services
from townsquare.academy.tests.factories import make_course, make_credit_activity, make_enrollment
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def completed(enrollment):
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = timezone.now()
    enrollment.save()
    return enrollment


def test_unfinished_course_is_refused_and_nothing_is_written(member):
    enrollment = make_enrollment(member, make_course())
    audits = AuditRecord.objects.count()

    with pytest.raises(ValidationFailed, match="only when the course is completed"):
        services.course_certificate_issue(enrollment=enrollment)

    assert Credential.objects.count() == 0
    assert LearningStatement.objects.count() == 0
    assert AuditRecord.objects.count() == audits


def test_certificate_freezes_what_it_says(member, django_capture_on_commit_callbacks):
    course = make_course(code="SM 101", title="Social media basics", estimated_hours="3.50")
    enrollment = completed(make_enrollment(member, course))

    with django_capture_on_commit_callbacks(execute=True):
        credential = services.course_certificate_issue(enrollment=enrollment)

    assert credential.kind == CredentialKind.COURSE
    assert credential.title == "SM 101 Social media basics"
    assert credential.recipient_name == "Nora Nurse"
    assert credential.hours == Decimal("3.50")
    assert credential.credit_statement == ""
    assert services.CODE_PATTERN.match(credential.verification_code)
    course.title = "Renamed later"
    course.save()
    member.display_name = "Nora Renamed"
    member.save()
    credential.refresh_from_db()
    assert credential.title == "SM 101 Social media basics"
    assert credential.recipient_name == "Nora Nurse"
    # audited, xAPI "earned", email with a link
    audit = AuditRecord.objects.get(action="academy.credential.issued")
    assert audit.target_id == str(credential.pk)
    statement = LearningStatement.objects.get(verb="earned")
    assert statement.object_type == "credential"
    assert statement.object_id == credential.pk
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert f"/academy/credentials/{credential.pk}/" in mail.outbox[0].body


def test_credit_activity_sets_hours_and_statement(member):
    course = make_course(estimated_hours="5.00")
    make_credit_activity(course, max_hours="2.00")
    credential = services.course_certificate_issue(
        enrollment=completed(make_enrollment(member, course))
    )
    assert credential.hours == Decimal("2.00")
    assert credential.credit_statement == "Up to 2.00 Nursing contact hours (ANCC)"


def test_issue_is_idempotent(member):
    enrollment = completed(make_enrollment(member, make_course()))
    first = services.course_certificate_issue(enrollment=enrollment)
    second = services.course_certificate_issue(enrollment=enrollment)
    assert first.pk == second.pk
    assert Credential.objects.count() == 1
    assert AuditRecord.objects.filter(action="academy.credential.issued").count() == 1


def test_codes_are_unguessable_and_distinct():
    codes = {services.verification_code_new() for _ in range(500)}
    assert len(codes) == 500
    assert all(services.CODE_PATTERN.match(code) for code in codes)
    assert not any(character in "".join(codes) for character in "01IO")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abcd-efgh-jkmn-pqrs", "ABCDEFGHJKMNPQRS"),
        ("ABCDEFGHJKMNPQRS", "ABCDEFGHJKMNPQRS"),
        ("ABCDEFGHJKMNPQR0", None),  # zero is not in the alphabet
        ("short", None),
        ("'; DROP TABLE x; --", None),
        ("", None),
    ],
)
def test_code_normalize(typed, expected):
    assert services.verification_code_normalize(typed) == expected


def test_a_second_live_credential_is_a_conflict(member):
    course = make_course()
    services.course_certificate_issue(enrollment=completed(make_enrollment(member, course)))
    with pytest.raises(Conflict):
        services._create(
            user=member,
            kind=CredentialKind.COURSE,
            course=course,
            title="x",
            recipient_name="x",
        )


def test_the_database_backs_one_live_credential(member):
    course = make_course()
    services.course_certificate_issue(enrollment=completed(make_enrollment(member, course)))
    with pytest.raises(IntegrityError):
        Credential.objects.create(
            user=member,
            kind=CredentialKind.COURSE,
            course=course,
            title="x",
            recipient_name="x",
            issued_at=timezone.now(),
            verification_code="ABCDEFGHJKMNPQRS",
        )


def test_program_certificate(member):
    program = Program.objects.create(title="Social media leadership", slug="leadership", summary="")
    for course in (make_course(estimated_hours="1.50"), make_course(estimated_hours="2.00")):
        ProgramItem.objects.create(program=program, course=course)
    program_enrollment = ProgramEnrollment.objects.create(user=member, program=program)

    with pytest.raises(ValidationFailed):
        services.program_certificate_issue(program_enrollment=program_enrollment)
    assert Credential.objects.count() == 0

    program_enrollment.completed_at = timezone.now()
    program_enrollment.save()
    credential = services.program_certificate_issue(program_enrollment=program_enrollment)
    assert credential.kind == CredentialKind.PROGRAM
    assert credential.title == "Social media leadership"
    assert credential.hours == Decimal("3.50")
    again = services.program_certificate_issue(program_enrollment=program_enrollment)
    assert again.pk == credential.pk


def test_revoke_is_staff_only_needs_a_reason_and_is_audited(member, staff):
    credential = services.course_certificate_issue(
        enrollment=completed(make_enrollment(member, make_course()))
    )
    with pytest.raises(PermissionRefused):
        services.credential_revoke(actor=member, credential=credential, reason="mine")
    with pytest.raises(ValidationFailed, match="reason"):
        services.credential_revoke(actor=staff, credential=credential, reason="  ")
    credential.refresh_from_db()
    assert credential.revoked_at is None

    services.credential_revoke(actor=staff, credential=credential, reason="Issued in error")

    credential.refresh_from_db()
    assert credential.is_revoked
    assert credential.revoked_reason == "Issued in error"
    assert credential.revoked_by == staff
    audit = AuditRecord.objects.get(action="academy.credential.revoked")
    assert audit.actor_id == staff.pk
    assert audit.data["reason"] == "Issued in error"
    with pytest.raises(Conflict, match="already revoked"):
        services.credential_revoke(actor=staff, credential=credential, reason="again")


def test_after_revocation_a_new_certificate_can_be_issued(member, staff):
    enrollment = completed(make_enrollment(member, make_course()))
    first = services.course_certificate_issue(enrollment=enrollment)
    services.credential_revoke(actor=staff, credential=first, reason="Name misspelled")
    second = services.course_certificate_issue(enrollment=enrollment)
    assert second.pk != first.pk
    assert second.verification_code != first.verification_code
