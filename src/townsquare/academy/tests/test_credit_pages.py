"""CE credit pages: authoring the activity and disclosures, the evaluation and the claim."""

from __future__ import annotations

import pytest
from django.utils import timezone

from townsquare.core.models import AuditRecord

from ..models import CreditActivity, CreditClaim, CreditType, Disclosure, Evaluation
from ..services import credit as services
from .factories import make_course, make_credit_activity, make_enrollment, make_instructor

pytestmark = pytest.mark.django_db


def completed(user, course):
    enrollment = make_enrollment(user, course)
    enrollment.status = "completed"
    enrollment.completed_at = timezone.now()
    enrollment.save()
    return enrollment


def slug_of(activity) -> str:
    return activity.course.slug


def course_of(activity):
    return activity.course


def answers(activity) -> dict[str, str]:
    values = {
        question.key: "4"
        for question in services.evaluation_questions(activity)
        if question.key.startswith("objective_")
    }
    values.update(free_of_bias="yes", practice_change="maybe", practice_detail="More.", overall="4")
    return values


def test_instructor_sets_up_credit(client_for):
    instructor = make_instructor()
    course = make_course(instructors=(instructor,))
    client = client_for(instructor)
    url = f"/academy/author/courses/{course.slug}/credit/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"Save the credit settings first" in page.content
    response = client.post(
        url,
        {
            "credit_type": "acpe",
            "max_hours": "1.5",
            "objectives": "- Spot PHI",
            "activity_number": "0000-0000-26-001-H04-P",
        },
    )
    assert response.status_code == 302
    activity = CreditActivity.objects.get(course=course)
    assert activity.max_hours == 1.5
    response = client.post(
        f"/academy/author/courses/{course.slug}/credit/disclosures/new/",
        {"person_name": "Dr. Ada", "role": "faculty", "relationships": "", "mitigation": ""},
    )
    assert response.status_code == 302
    disclosure = Disclosure.objects.get(activity=activity)
    page = client.get(url)
    assert b"Dr. Ada" in page.content
    assert b"No relevant financial relationships" in page.content
    response = client.post(
        f"/academy/author/courses/{course.slug}/credit/disclosures/{disclosure.pk}/",
        {"person_name": "Dr. Ada", "role": "planner", "relationships": "Acme", "mitigation": ""},
    )
    assert response.status_code == 422
    assert b"mitigated" in response.content
    response = client.post(
        f"/academy/author/courses/{course.slug}/credit/disclosures/{disclosure.pk}/delete/"
    )
    assert response.status_code == 302
    assert not Disclosure.objects.exists()


def test_acpe_without_activity_number_is_refused(client_for, staff):
    course = make_course()
    response = client_for(staff).post(
        f"/academy/author/courses/{course.slug}/credit/",
        {"credit_type": "acpe", "max_hours": "1", "objectives": "- A", "activity_number": ""},
    )
    assert response.status_code == 422
    assert b"universal activity number" in response.content
    assert not CreditActivity.objects.exists()


def test_evaluation_page_explains_what_is_missing(client_for, member):
    activity = make_credit_activity(make_course())
    make_enrollment(member, course_of(activity))
    page = client_for(member).get(f"/academy/learn/{slug_of(activity)}/evaluation/")
    assert page.status_code == 200
    assert b"Complete every required lesson" in page.content
    response = client_for(member).post(
        f"/academy/learn/{slug_of(activity)}/evaluation/", answers(activity)
    )
    assert response.status_code == 422
    assert not Evaluation.objects.exists()


def test_evaluation_then_claim(client_for, member):
    activity = make_credit_activity(make_course(), max_hours="2.00")
    completed(member, activity.course)
    client = client_for(member)
    slug = slug_of(activity)
    claim_page = client.get(f"/academy/learn/{slug}/credit/")
    assert b"Submit the evaluation of this activity" in claim_page.content
    assert f"/academy/learn/{slug}/evaluation/".encode() in claim_page.content
    page = client.get(f"/academy/learn/{slug}/evaluation/")
    assert b"This activity met the objective: Recognize PHI in a post" in page.content
    incomplete = {**answers(activity), "free_of_bias": "no"}
    response = client.post(f"/academy/learn/{slug}/evaluation/", incomplete)
    assert response.status_code == 422
    assert b"describe the commercial bias" in response.content
    response = client.post(f"/academy/learn/{slug}/evaluation/", answers(activity))
    assert response.status_code == 302
    assert Evaluation.objects.filter(user=member).count() == 1
    again = client.post(f"/academy/learn/{slug}/evaluation/", answers(activity))
    assert again.status_code == 409
    assert b"You submitted your evaluation" in again.content
    page = client.get(f"/academy/learn/{slug}/credit/")
    assert b"Nursing licence number" in page.content
    assert b"NABP" not in page.content
    response = client.post(
        f"/academy/learn/{slug}/credit/",
        {"hours": "3", "attested": "on", "license_number": "RN1", "license_state": "OH"},
    )
    assert response.status_code == 422
    assert not CreditClaim.objects.exists()
    response = client.post(
        f"/academy/learn/{slug}/credit/",
        {"hours": "1.5", "license_number": "RN1", "license_state": "OH"},
    )
    assert response.status_code == 422
    assert not CreditClaim.objects.exists()
    data = {"hours": "1.5", "attested": "on", "license_number": "RN1", "license_state": "OH"}
    response = client.post(f"/academy/learn/{slug}/credit/", data)
    assert response.status_code == 302
    assert response["Location"] == "/academy/transcript/"
    again = client.post(f"/academy/learn/{slug}/credit/", data)
    assert again.status_code == 409
    assert CreditClaim.objects.count() == 1
    assert AuditRecord.objects.filter(action="academy.credit.claimed").count() == 1


def test_acpe_claim_form_asks_for_nabp_and_birth_date(client_for, member):
    activity = make_credit_activity(make_course(), credit_type=CreditType.ACPE)
    completed(member, activity.course)
    services.evaluation_submit(user=member, activity=activity, answers=answers(activity))
    client = client_for(member)
    url = f"/academy/learn/{slug_of(activity)}/credit/"
    assert b"NABP e-Profile ID" in client.get(url).content
    bad = {
        "hours": "1",
        "attested": "on",
        "nabp_eprofile_id": "123",
        "birth_month": "2",
        "birth_day": "30",
    }
    response = client.post(url, bad)
    assert response.status_code == 422
    assert b"do not make a date" in response.content
    assert not CreditClaim.objects.exists()
    response = client.post(url, {**bad, "birth_day": "28"})
    assert response.status_code == 302
    assert CreditClaim.objects.get().birth_day == 28


def test_no_credit_activity_is_not_found(client_for, member):
    course = make_course()
    assert client_for(member).get(f"/academy/learn/{course.slug}/credit/").status_code == 404


def test_draft_course_credit_is_hidden(client_for, member):
    activity = make_credit_activity(make_course(published=False))
    response = client_for(member).get(f"/academy/learn/{slug_of(activity)}/credit/")
    assert response.status_code == 404
