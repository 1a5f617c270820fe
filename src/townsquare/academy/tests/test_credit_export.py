"""The staff export of CE claims for accrediting bodies: layout, filters, injection guard, audit."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from townsquare.accounts.tests.factories import make_user
from townsquare.core.models import AuditRecord

from ..models import CreditClaim, CreditType
from ..services.credit import EXPORT_COLUMNS
from .factories import make_course, make_credit_activity

pytestmark = pytest.mark.django_db


def claim(user, *, credit_type=CreditType.NURSING, on=datetime.date(2026, 3, 14), **fields):
    course = make_course(modules=1, lessons_per_module=1, with_quiz=False)
    activity = make_credit_activity(course, credit_type=credit_type)
    if credit_type == CreditType.ACPE:
        activity.activity_number = "0000-0000-26-001-H04-P"
        activity.save()
    return CreditClaim.objects.create(
        activity=activity,
        user=user,
        credit_type=credit_type,
        hours=Decimal("1.25"),
        completed_on=on,
        attested_at=timezone.now(),
        **fields,
    )


def rows_of(response) -> list[dict[str, str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_export_layout(client_for, staff):
    nurse = make_user(display_name="Nora Nightingale", profession="nurse", email="n@example.org")
    pharmacist = make_user(display_name="Phil Pharma", profession="pharmacist")
    claim(nurse, license_number="RN123", license_state="OH")
    claim(
        pharmacist,
        credit_type=CreditType.ACPE,
        nabp_eprofile_id="1234567",
        birth_month=4,
        birth_day=9,
    )
    response = client_for(staff).get(
        "/academy/staff/credit/export/", {"date_from": "", "date_to": "", "credit_type": ""}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = rows_of(response)
    assert list(rows[0]) == EXPORT_COLUMNS
    by_last = {row["last_name"]: row for row in rows}
    nora = by_last["Nightingale"]
    assert nora["first_name"] == "Nora"
    assert nora["email"] == "n@example.org"
    assert nora["profession"] == "Nurse"
    assert (nora["license_number"], nora["license_state"]) == ("RN123", "OH")
    assert nora["birth_mmdd"] == ""
    assert nora["date_of_completion"] == "2026-03-14"
    assert nora["hours"] == "1.25"
    assert nora["credit_type"] == "Nursing contact hours (ANCC)"
    phil = by_last["Pharma"]
    assert phil["nabp_eprofile_id"] == "1234567"
    assert phil["birth_mmdd"] == "0409"
    assert phil["activity_number"] == "0000-0000-26-001-H04-P"
    record = AuditRecord.objects.get(action="academy.credit.exported")
    assert record.data["count"] == 2
    assert "1234567" not in str(record.data)
    assert "Nightingale" not in str(record.data)


def test_export_filters(client_for, staff):
    person = make_user(display_name="Fil Ter")
    claim(person, on=datetime.date(2026, 1, 5))
    claim(person, on=datetime.date(2026, 2, 5))
    claim(person, credit_type=CreditType.GENERAL, on=datetime.date(2026, 2, 6))
    response = client_for(staff).get(
        "/academy/staff/credit/export/",
        {"date_from": "2026-02-01", "date_to": "2026-02-28", "credit_type": "nursing"},
    )
    rows = rows_of(response)
    assert [row["date_of_completion"] for row in rows] == ["2026-02-05"]
    data = AuditRecord.objects.get(action="academy.credit.exported").data
    assert data == {
        "count": 1,
        "date_from": "2026-02-01",
        "date_to": "2026-02-28",
        "credit_type": "nursing",
    }


def test_export_guards_against_formulas(client_for, staff):
    person = make_user(display_name="=HYPERLINK(evil) @Mallory")
    claim(person, license_number="+1-555", license_state="-OH")
    rows = rows_of(client_for(staff).get("/academy/staff/credit/export/", {"credit_type": ""}))
    row = rows[0]
    assert row["first_name"] == "'=HYPERLINK(evil)"
    assert row["last_name"] == "'@Mallory"
    assert row["license_number"] == "'+1-555"
    assert row["license_state"] == "'-OH"


def test_export_form_and_bad_dates(client_for, staff):
    client = client_for(staff)
    assert b"Download CSV" in client.get("/academy/staff/credit/export/").content
    response = client.get(
        "/academy/staff/credit/export/", {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert response.status_code == 422
    assert not AuditRecord.objects.filter(action="academy.credit.exported").exists()


def test_export_is_staff_only(client_for, member):
    response = client_for(member).get("/academy/staff/credit/export/", {"credit_type": ""})
    assert response.status_code == 403
    assert not AuditRecord.objects.filter(action="academy.credit.exported").exists()
