"""Credential pages: the public verification page, downloads, my credentials, revoking."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from townsquare.academy.models import Credential, EnrollmentStatus
from townsquare.academy.services import badges
from townsquare.academy.services.credentials import course_certificate_issue, credential_revoke
from townsquare.academy.tests.factories import make_course, make_credit_activity, make_enrollment
from townsquare.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def issued(user, **course_fields):
    enrollment = make_enrollment(user, make_course(**course_fields))
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = timezone.now()
    enrollment.save()
    return course_certificate_issue(enrollment=enrollment)


def test_verify_valid_needs_no_sign_in_and_hides_the_email(member):
    course = make_course(code="SM 101", title="Safe posting")
    make_credit_activity(course, max_hours="1.50")
    enrollment = make_enrollment(member, course)
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = timezone.now()
    enrollment.save()
    credential = course_certificate_issue(enrollment=enrollment)

    response = Client().get(f"/verify/{credential.verification_code}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid" in html
    assert "Nora Nurse" in html
    assert "SM 101 Safe posting" in html
    assert "1.50" in html
    assert badges.ISSUER_NAME in html
    assert member.email not in html


def test_verify_accepts_the_code_typed_loosely(member):
    credential = issued(member)
    code = credential.verification_code.lower()
    loose = f"{code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}"
    assert Client().get(f"/verify/{loose}").status_code == 200


def test_verify_revoked(member, staff):
    credential = issued(member)
    credential_revoke(actor=staff, credential=credential, reason="Issued to the wrong person")
    response = Client().get(f"/verify/{credential.verification_code}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Revoked on" in html
    assert "Issued to the wrong person" in html
    assert ">Valid<" not in html


@pytest.mark.parametrize("code", ["ABCDEFGHJKMNPQRS", "not-a-code", "A" * 40, "0000000000000000"])
def test_verify_unknown_or_forged_code_is_404(db, code):
    response = Client().get(f"/verify/{code}")
    assert response.status_code == 404
    assert "No credential has this verification code" in response.content.decode()


def test_verify_is_rate_limited_per_address(settings, db):
    settings.RATE_LIMIT_CREDENTIAL_VERIFY = "5/m"
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [client.get("/verify/ABCDEFGHJKMNPQRS").status_code for _ in range(7)]
    assert statuses[:5] == [404] * 5
    assert statuses[5:] == [429, 429]
    assert Client(REMOTE_ADDR="203.0.113.10").get("/verify/ABCDEFGHJKMNPQRS").status_code == 404


def test_pdf_download(member, client_for):
    credential = issued(member, code="SM 301", title="Crisis communication")
    response = client_for(member).get(f"/academy/credentials/{credential.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    text = page.extract_text()
    assert "Nora Nurse" in text
    assert "SM 301 Crisis communication" in text
    assert credential.verification_code in text


def test_pdf_and_badge_are_for_the_owner_and_staff(member, staff, client_for):
    credential = issued(member)
    other = client_for(staff)
    assert other.get(f"/academy/credentials/{credential.pk}/certificate.pdf").status_code == 200
    from townsquare.accounts.tests.factories import make_user

    stranger = client_for(make_user())
    assert stranger.get(f"/academy/credentials/{credential.pk}/certificate.pdf").status_code == 404
    assert stranger.get(f"/academy/credentials/{credential.pk}/badge.json").status_code == 404


def test_badge_download_verifies(member, client_for):
    credential = issued(member)
    response = client_for(member).get(f"/academy/credentials/{credential.pk}/badge.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Content-Disposition"].startswith("attachment;")
    document = json.loads(response.content)
    assert badges.badge_verify(document)
    document["credentialSubject"]["achievement"]["name"] = "Something grander"
    assert not badges.badge_verify(document)


def test_revoked_badge_download_is_refused(member, staff, client_for):
    credential = issued(member)
    credential_revoke(actor=staff, credential=credential, reason="Error")
    response = client_for(member).get(f"/academy/credentials/{credential.pk}/badge.json")
    assert response.status_code == 409
    assert "revoked" in response.content.decode()


def test_issuer_document_is_public(db):
    response = Client().get("/academy/issuer")
    assert response.status_code == 200
    assert response.json()["verificationMethod"][0]["publicKeyMultibase"].startswith("z6Mk")


def test_my_credentials_lists_with_downloads(member, client_for, django_assert_num_queries):
    credentials = [issued(member) for _ in range(3)]
    client = client_for(member)
    client.get("/academy/credentials/")  # warm the session
    with django_assert_num_queries(4):  # session, user, roles, credentials
        response = client.get("/academy/credentials/")
    html = response.content.decode()
    for credential in credentials:
        assert credential.title in html
        assert f"/academy/credentials/{credential.pk}/certificate.pdf" in html
    for _ in range(7):
        issued(member)
    with django_assert_num_queries(4):
        response = client.get("/academy/credentials/")
    assert response.content.decode().count("certificate.pdf") == 10


def test_detail_page_has_share_link_and_staff_revoke_form(member, staff, client_for):
    credential = issued(member)
    own = client_for(member).get(f"/academy/credentials/{credential.pk}/").content.decode()
    assert f"/verify/{credential.verification_code}" in own
    assert "Revoke this credential" not in own
    staff_page = client_for(staff).get(f"/academy/credentials/{credential.pk}/").content.decode()
    assert "Revoke this credential" in staff_page


def test_detail_query_count(member, client_for, django_assert_num_queries):
    credential = issued(member)
    client = client_for(member)
    client.get(f"/academy/credentials/{credential.pk}/")
    with django_assert_num_queries(4):  # session, user, roles, the credential
        client.get(f"/academy/credentials/{credential.pk}/")


def test_revoke_through_the_page(member, staff, client_for):
    credential = issued(member)
    client = client_for(staff)
    response = client.post(f"/academy/credentials/{credential.pk}/revoke/", {"reason": ""})
    assert response.status_code == 422
    credential.refresh_from_db()
    assert not credential.is_revoked
    response = client.post(
        f"/academy/credentials/{credential.pk}/revoke/", {"reason": "Duplicate record"}
    )
    assert response.status_code == 302
    credential.refresh_from_db()
    assert credential.revoked_reason == "Duplicate record"
    assert AuditRecord.objects.filter(action="academy.credential.revoked").count() == 1
    response = client.post(
        f"/academy/credentials/{credential.pk}/revoke/", {"reason": "Again"}, follow=True
    )
    assert "already revoked" in response.content.decode()
    assert Credential.objects.get(pk=credential.pk).revoked_reason == "Duplicate record"


def test_owner_cannot_revoke_through_the_page(member, client_for):
    credential = issued(member)
    response = client_for(member).post(
        f"/academy/credentials/{credential.pk}/revoke/", {"reason": "I want to"}
    )
    assert response.status_code == 403
    credential.refresh_from_db()
    assert not credential.is_revoked
