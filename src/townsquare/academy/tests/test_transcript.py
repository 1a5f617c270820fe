"""The transcript page, the PDF and their fixed query counts."""

from __future__ import annotations

import io
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from townsquare.accounts.tests.factories import make_user

from ..models import Credential, CreditClaim, CreditType
from ..selectors.credit import transcript_for
from .factories import make_course, make_credit_activity, make_enrollment

pytestmark = pytest.mark.django_db
_codes = itertools.count(1)


def give_record(user, *, courses: int, revoked: bool = False) -> None:
    """Completed courses, each with a certificate and a CE claim."""
    for number in range(courses):
        course = make_course(modules=1, lessons_per_module=1, with_quiz=False)
        enrollment = make_enrollment(user, course)
        enrollment.status = "completed"
        enrollment.completed_at = timezone.now()
        enrollment.save()
        credit_type = CreditType.NURSING if number % 2 == 0 else CreditType.ACPE
        activity = make_credit_activity(course, credit_type=credit_type)
        Credential.objects.create(
            user=user,
            kind="course",
            course=course,
            title=f"Certificate: {course.title}",
            recipient_name=user.display_name,
            hours=course.estimated_hours,
            issued_at=timezone.now(),
            verification_code=f"CODE{next(_codes):06d}",
            revoked_at=timezone.now() if revoked and number == 0 else None,
        )
        CreditClaim.objects.create(
            activity=activity,
            user=user,
            credit_type=credit_type,
            hours=Decimal("1.50"),
            completed_on=timezone.localdate(),
            attested_at=timezone.now(),
        )


def test_transcript_totals_per_credit_type(member):
    give_record(member, courses=3)
    record = transcript_for(member)
    assert len(record.completions) == 3
    assert [(total.credit_type, total.hours, total.count) for total in record.totals] == [
        (CreditType.NURSING, Decimal("3.00"), 2),
        (CreditType.ACPE, Decimal("1.50"), 1),
    ]


def test_transcript_page(client_for, member):
    give_record(member, courses=2, revoked=True)
    page = client_for(member).get("/academy/transcript/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Your transcript" in content
    assert "Revoked" in content
    assert "/verify/CODE" in content
    assert "Total: Nursing contact hours (ANCC)" in content
    assert "/academy/transcript/pdf/" in content


def test_empty_transcript(client_for, patient):
    page = client_for(patient).get("/academy/transcript/")
    assert b"No completed courses yet." in page.content
    assert b"No credit claimed yet." in page.content


def test_staff_see_anyones_transcript(client_for, staff, member):
    give_record(member, courses=1)
    page = client_for(staff).get(f"/academy/transcript/{member.pk}/")
    assert page.status_code == 200
    assert f"Transcript of {member.display_name}".encode() in page.content


def test_others_may_not_see_a_transcript(client_for, member, leader):
    assert client_for(leader).get(f"/academy/transcript/{member.pk}/").status_code == 403
    assert client_for(member).get(f"/academy/transcript/{member.pk}/").status_code == 200
    assert client_for(member).get("/academy/transcript/999999/").status_code == 404


def pdf_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(body))
    return " ".join(page.extract_text() for page in reader.pages)


def test_transcript_pdf(client_for, member):
    give_record(member, courses=2, revoked=True)
    response = client_for(member).get("/academy/transcript/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = pdf_text(response)
    assert "Academy transcript" in text
    assert member.display_name in text
    assert "(revoked)" in text
    assert "Nursing contact hours (ANCC)" in text
    assert "/verify/CODE" in text


def test_staff_download_someones_pdf(client_for, staff, member):
    give_record(member, courses=1)
    response = client_for(staff).get(f"/academy/transcript/{member.pk}/pdf/")
    assert response.status_code == 200
    assert member.display_name in pdf_text(response)


def test_transcript_escapes_markup_in_pdf(client_for):
    person = make_user(display_name="Ann <b>&</b> Smith")
    response = client_for(person).get("/academy/transcript/pdf/")
    assert "Ann <b>&</b> Smith" in pdf_text(response)


@pytest.mark.parametrize("size", [3, 30])
def test_transcript_query_count_is_fixed(client_for, django_assert_num_queries, size):
    person = make_user(display_name="Quinn Query")
    give_record(person, courses=size)
    client = client_for(person)
    client.get("/academy/transcript/")  # warm the session
    with django_assert_num_queries(6):
        response = client.get("/academy/transcript/")
    assert response.content.count(b"/verify/CODE") == size
