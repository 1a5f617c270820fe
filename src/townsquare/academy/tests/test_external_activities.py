"""Activities other apps run (events): their CE credit, completions, claims and certificates of
attendance go through the academy's own services."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader

from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.errors import Conflict, ValidationFailed
from townsquare.core.models import AuditRecord

from ..models import ActivityCompletion, Credential, CreditActivity, CreditClaim, CreditType
from ..services import badges, credentials
from ..services import credit as services
from ..services.certificate_pdf import certificate_pdf
from .factories import make_course, make_credit_activity
from .test_credit_services import good_answers

pytestmark = pytest.mark.django_db

OBJECTIVES = "- Plan a webinar\n- Moderate questions"


def external(actor=None, **fields) -> CreditActivity:
    values: dict[str, Any] = {
        "title": "Webinar: Social media for nurses",
        "credit_type": CreditType.NURSING,
        "max_hours": Decimal("1.50"),
        "objectives": OBJECTIVES,
    }
    values.update(fields)
    return services.external_credit_activity_save(
        actor=actor or make_staff(), activity=None, **values
    )


def test_external_activity_is_saved_with_its_title_and_audited():
    activity = external()
    assert activity.course_id is None
    assert activity.title == "Webinar: Social media for nurses"
    assert AuditRecord.objects.filter(
        action="academy.credit.activity_created", target_id=str(activity.pk)
    ).exists()
    updated = services.external_credit_activity_save(
        actor=make_staff(),
        activity=activity,
        title="Renamed",
        credit_type=CreditType.GENERAL,
        max_hours=Decimal("2"),
        objectives=OBJECTIVES,
    )
    assert (updated.pk, updated.title, updated.credit_type) == (activity.pk, "Renamed", "general")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"max_hours": Decimal("0")}, "max_hours"),
        ({"objectives": ""}, "objectives"),
        ({"credit_type": CreditType.ACPE}, "activity_number"),
    ],
)
def test_external_activity_refusals_write_nothing(fields, field):
    with pytest.raises(ValidationFailed) as error:
        external(**fields)
    assert field in error.value.field_errors
    assert CreditActivity.objects.count() == 0


def test_a_course_activity_cannot_be_edited_as_external():
    activity = make_credit_activity(make_course())
    with pytest.raises(ValidationFailed, match="belongs to a course"):
        services.external_credit_activity_save(
            actor=make_staff(),
            activity=activity,
            title="x",
            credit_type=CreditType.GENERAL,
            max_hours=Decimal(1),
            objectives=OBJECTIVES,
        )


def test_an_activity_needs_a_course_or_a_title():
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditActivity.objects.create(
            credit_type=CreditType.GENERAL, max_hours=Decimal(1), objectives=OBJECTIVES
        )


def test_completion_is_recorded_once_and_courses_refuse_it():
    activity = external()
    member = make_user()
    today = timezone.localdate()
    first = services.activity_completion_record(activity=activity, user=member, completed_on=today)
    again = services.activity_completion_record(activity=activity, user=member, completed_on=today)
    assert first.pk == again.pk
    assert ActivityCompletion.objects.count() == 1
    with pytest.raises(ValidationFailed, match="enrollment"):
        services.activity_completion_record(
            activity=make_credit_activity(make_course()), user=member, completed_on=today
        )


def test_evaluation_and_claim_need_the_recorded_completion():
    activity = external(credit_type=CreditType.GENERAL)
    member = make_user()
    with pytest.raises(ValidationFailed, match="Complete the activity"):
        services.evaluation_submit(user=member, activity=activity, answers=good_answers(activity))
    with pytest.raises(ValidationFailed, match="Attend the activity"):
        services.credit_claim(user=member, activity=activity, hours="1", attested=True)
    assert CreditClaim.objects.count() == 0

    services.activity_completion_record(
        activity=activity, user=member, completed_on=timezone.localdate()
    )
    services.evaluation_submit(user=member, activity=activity, answers=good_answers(activity))
    claim = services.credit_claim(user=member, activity=activity, hours="1.5", attested=True)
    assert (claim.hours, claim.completed_on) == (Decimal("1.50"), timezone.localdate())
    row = next(row for row in services.credit_export(actor=make_staff()) if member.email in row)
    assert "Webinar: Social media for nurses" in row


def test_a_claimed_completion_cannot_be_withdrawn():
    activity = external(credit_type=CreditType.GENERAL)
    member = make_user()
    services.activity_completion_record(
        activity=activity, user=member, completed_on=timezone.localdate()
    )
    assert services.activity_completion_withdraw(activity=activity, user=make_user()) is False
    services.evaluation_submit(user=member, activity=activity, answers=good_answers(activity))
    services.credit_claim(user=member, activity=activity, hours="1", attested=True)
    with pytest.raises(Conflict):
        services.activity_completion_withdraw(activity=activity, user=member)
    assert ActivityCompletion.objects.filter(user=member).exists()


def test_attendance_certificate_is_issued_once_per_subject():
    member = make_user(display_name="Grace Hopper")
    fields: dict[str, Any] = {
        "subject_reference": "events.event:7",
        "title": "Summit 2026",
        "hours": Decimal("6"),
        "subject_url": "https://townsquare.example/events/summit/",
    }
    first = credentials.attendance_certificate_issue(user=member, **fields)
    again = credentials.attendance_certificate_issue(user=member, **fields)
    assert first.pk == again.pk
    assert (first.kind, first.recipient_name, first.hours) == ("attendance", "Grace Hopper", 6)
    other = credentials.attendance_certificate_issue(
        user=member, **{**fields, "subject_reference": "events.event:8"}
    )
    assert other.pk != first.pk
    assert Credential.objects.filter(user=member).count() == 2

    text = PdfReader(io.BytesIO(certificate_pdf(first))).pages[0].extract_text()
    assert "Certificate of Attendance" in text
    assert "attended" in text
    achievement = badges._achievement(first)
    assert achievement["id"] == "https://townsquare.example/events/summit/"


def test_attendance_certificate_needs_a_subject():
    with pytest.raises(ValidationFailed):
        credentials.attendance_certificate_issue(
            user=make_user(), subject_reference="", title="x", hours=Decimal(1)
        )
    assert Credential.objects.count() == 0
