"""CE credit services: the activity and disclosures, the evaluation, the claim and its refusals."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from townsquare.accounts.tests.factories import make_user
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

from ..models import CreditActivity, CreditClaim, CreditType, Disclosure, Evaluation
from ..selectors.credit import credit_activity_for
from ..services import credit as services
from .factories import make_course, make_credit_activity, make_enrollment, make_instructor

pytestmark = pytest.mark.django_db


def completed(user, course):
    enrollment = make_enrollment(user, course)
    enrollment.status = "completed"
    enrollment.completed_at = timezone.now()
    enrollment.save()
    return enrollment


def course_of(activity):
    return activity.course


def good_answers(activity) -> dict[str, str]:
    answers = {
        question.key: "4"
        for question in services.evaluation_questions(activity)
        if question.key.startswith("objective_")
    }
    answers.update(
        free_of_bias="yes",
        practice_change="yes",
        practice_detail="Check posts for PHI.",
        overall="5",
    )
    return answers


def evaluated(user, activity):
    return services.evaluation_submit(user=user, activity=activity, answers=good_answers(activity))


def claim_state():
    return (
        CreditClaim.objects.count(),
        AuditRecord.objects.filter(action="academy.credit.claimed").count(),
    )


# The activity ----------------------------------------------------------------------------------


def test_credit_activity_for_is_none_without_credit():
    assert credit_activity_for(make_course()) is None


def test_author_saves_and_updates_the_activity():
    instructor = make_instructor()
    course = make_course(instructors=(instructor,))
    activity = services.credit_activity_save(
        actor=instructor,
        course=course,
        credit_type=CreditType.ACPE,
        max_hours=Decimal("1.50"),
        objectives="- One\n- Two",
        activity_number="0000-0000-26-001-H04-P",
        released_on=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2029, 1, 1),
    )
    assert credit_activity_for(course) == activity
    services.credit_activity_save(
        actor=instructor,
        course=course,
        credit_type=CreditType.NURSING,
        max_hours=Decimal("2"),
        objectives="- One",
    )
    activity.refresh_from_db()
    assert activity.credit_type == CreditType.NURSING
    assert CreditActivity.objects.count() == 1
    actions = list(
        AuditRecord.objects.filter(action__startswith="academy.credit.activity")
        .values_list("action", flat=True)
        .order_by("id")
    )
    assert actions == ["academy.credit.activity_created", "academy.credit.activity_updated"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"credit_type": CreditType.ACPE, "activity_number": ""}, "activity_number"),
        ({"credit_type": CreditType.ACPE, "activity_number": "12-34"}, "activity_number"),
        ({"max_hours": Decimal("0")}, "max_hours"),
        ({"max_hours": Decimal("1.1")}, "max_hours"),
        ({"objectives": "   "}, "objectives"),
        (
            {"released_on": datetime.date(2026, 5, 1), "expires_on": datetime.date(2026, 4, 1)},
            "expires_on",
        ),
    ],
)
def test_activity_refusals(fields, field):
    staff = make_user(roles=("staff", "member"), is_staff=True)
    course = make_course()
    values = {
        "credit_type": CreditType.NURSING,
        "max_hours": Decimal("1"),
        "objectives": "- A",
        **fields,
    }
    with pytest.raises(ValidationFailed) as caught:
        services.credit_activity_save(actor=staff, course=course, **values)
    assert field in caught.value.field_errors
    assert not CreditActivity.objects.exists()


def test_only_authors_save_the_activity(member):
    course = make_course(instructors=(make_instructor(),))
    with pytest.raises(PermissionRefused):
        services.credit_activity_save(
            actor=member,
            course=course,
            credit_type=CreditType.GENERAL,
            max_hours=Decimal("1"),
            objectives="- A",
        )
    assert not CreditActivity.objects.exists()


def test_disclosures_add_edit_remove(staff):
    activity = make_credit_activity(make_course())
    disclosure = services.disclosure_save(
        actor=staff, activity=activity, person_name="Rita Reviewer", role="reviewer"
    )
    assert not disclosure.has_relationships
    services.disclosure_save(
        actor=staff,
        activity=activity,
        disclosure=disclosure,
        person_name="Rita Reviewer",
        role="reviewer",
        relationships="Advisor, Acme",
        mitigation="Reviewed by a peer.",
    )
    disclosure.refresh_from_db()
    assert disclosure.has_relationships
    with pytest.raises(ValidationFailed) as caught:
        services.disclosure_save(
            actor=staff,
            activity=activity,
            person_name="X",
            role="faculty",
            relationships="Consultant, Acme",
        )
    assert "mitigation" in caught.value.field_errors
    services.disclosure_delete(actor=staff, disclosure=disclosure)
    assert not Disclosure.objects.filter(pk=disclosure.pk).exists()
    assert AuditRecord.objects.filter(action="academy.credit.disclosure_removed").count() == 1


# The evaluation --------------------------------------------------------------------------------


def test_evaluation_has_one_rating_per_objective():
    activity = make_credit_activity(make_course())
    keys = [question.key for question in services.evaluation_questions(activity)]
    assert keys[:2] == ["objective_1", "objective_2"]
    assert "free_of_bias" in keys
    assert "overall" in keys


def test_evaluation_needs_completion(member):
    activity = make_credit_activity(make_course())
    make_enrollment(member, course_of(activity))
    with pytest.raises(ValidationFailed, match="Complete the course"):
        evaluated(member, activity)
    assert not Evaluation.objects.exists()


def test_evaluation_once(member):
    activity = make_credit_activity(make_course())
    completed(member, activity.course)
    evaluation = evaluated(member, activity)
    assert evaluation.answers["overall"] == "5"
    with pytest.raises(Conflict):
        evaluated(member, activity)
    assert Evaluation.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"overall": ""}, "overall"),
        ({"overall": "6"}, "overall"),
        ({"objective_2": ""}, "objective_2"),
        ({"free_of_bias": "no"}, "bias_comment"),
        ({"practice_change": "perhaps"}, "practice_change"),
        ({"practice_detail": ""}, "practice_detail"),
    ],
)
def test_evaluation_refusals(member, change, field):
    activity = make_credit_activity(make_course())
    completed(member, activity.course)
    answers = {**good_answers(activity), **change}
    with pytest.raises(ValidationFailed) as caught:
        services.evaluation_submit(user=member, activity=activity, answers=answers)
    assert field in caught.value.field_errors
    assert not Evaluation.objects.exists()


def test_bias_with_comment_is_accepted(member):
    activity = make_credit_activity(make_course())
    completed(member, activity.course)
    answers = {**good_answers(activity), "free_of_bias": "no", "bias_comment": "Brand names."}
    evaluation = services.evaluation_submit(user=member, activity=activity, answers=answers)
    assert evaluation.answers["bias_comment"] == "Brand names."


# The claim -------------------------------------------------------------------------------------


def test_nursing_claim(member):
    activity = make_credit_activity(make_course(), max_hours="2.00")
    enrollment = completed(member, activity.course)
    evaluated(member, activity)
    claim = services.credit_claim(
        user=member,
        activity=activity,
        hours="1.75",
        attested=True,
        license_number="RN123456",
        license_state="OH",
    )
    assert claim.hours == Decimal("1.75")
    assert claim.credit_type == CreditType.NURSING
    assert claim.completed_on == timezone.localdate(enrollment.completed_at)
    record = AuditRecord.objects.get(action="academy.credit.claimed")
    assert set(record.data) == {"activity_id", "course_id", "credit_type", "hours"}
    assert record.data["hours"] == "1.75"


def test_acpe_claim_keeps_identifiers_out_of_the_audit(member):
    activity = make_credit_activity(make_course(), credit_type=CreditType.ACPE)
    completed(member, activity.course)
    evaluated(member, activity)
    claim = services.credit_claim(
        user=member,
        activity=activity,
        hours=Decimal("1"),
        attested=True,
        nabp_eprofile_id="1234567",
        birth_month=2,
        birth_day=29,
    )
    assert (claim.nabp_eprofile_id, claim.birth_month, claim.birth_day) == ("1234567", 2, 29)
    data = AuditRecord.objects.get(action="academy.credit.claimed").data
    assert set(data) == {"activity_id", "course_id", "credit_type", "hours"}


def test_general_claim_needs_no_identifiers(member):
    activity = make_credit_activity(make_course(), credit_type=CreditType.AMA_PRA_1)
    completed(member, activity.course)
    evaluated(member, activity)
    claim = services.credit_claim(user=member, activity=activity, hours="0.25", attested=True)
    assert claim.license_number == ""


def test_claim_needs_completion(member):
    activity = make_credit_activity(make_course())
    make_enrollment(member, course_of(activity))
    before = claim_state()
    with pytest.raises(ValidationFailed, match="Complete the course"):
        services.credit_claim(
            user=member,
            activity=activity,
            hours="1",
            attested=True,
            license_number="1",
            license_state="OH",
        )
    assert claim_state() == before


def test_claim_needs_an_enrollment(member):
    activity = make_credit_activity(make_course())
    with pytest.raises(ValidationFailed, match="Enroll"):
        services.credit_claim(user=member, activity=activity, hours="1", attested=True)
    assert claim_state() == (0, 0)


def test_claim_needs_the_evaluation(member):
    activity = make_credit_activity(make_course())
    completed(member, activity.course)
    with pytest.raises(ValidationFailed, match="evaluation"):
        services.credit_claim(
            user=member,
            activity=activity,
            hours="1",
            attested=True,
            license_number="1",
            license_state="OH",
        )
    assert claim_state() == (0, 0)


@pytest.mark.parametrize(
    ("credit_type", "fields", "field"),
    [
        (CreditType.NURSING, {"hours": "2.25"}, "hours"),
        (CreditType.NURSING, {"hours": "0"}, "hours"),
        (CreditType.NURSING, {"hours": "-1"}, "hours"),
        (CreditType.NURSING, {"hours": "1.1"}, "hours"),
        (CreditType.NURSING, {"hours": "abc"}, "hours"),
        (CreditType.NURSING, {"attested": False}, "attested"),
        (CreditType.NURSING, {"license_number": ""}, "license_number"),
        (CreditType.NURSING, {"license_state": ""}, "license_state"),
        (CreditType.ACPE, {"nabp_eprofile_id": "12345678"}, "nabp_eprofile_id"),
        (CreditType.ACPE, {"nabp_eprofile_id": "12a"}, "nabp_eprofile_id"),
        (CreditType.ACPE, {"birth_month": 2, "birth_day": 30}, "birth_day"),
        (CreditType.ACPE, {"birth_month": 13, "birth_day": 1}, "birth_day"),
        (CreditType.ACPE, {"birth_month": None}, "birth_day"),
    ],
)
def test_claim_refusals_write_nothing(member, credit_type, fields, field):
    activity = make_credit_activity(make_course(), credit_type=credit_type, max_hours="2.00")
    completed(member, activity.course)
    evaluated(member, activity)
    values = {
        "hours": "1",
        "attested": True,
        "license_number": "RN1",
        "license_state": "OH",
        "nabp_eprofile_id": "123",
        "birth_month": 4,
        "birth_day": 30,
        **fields,
    }
    with pytest.raises(ValidationFailed) as caught:
        services.credit_claim(user=member, activity=activity, **values)
    assert field in caught.value.field_errors
    assert claim_state() == (0, 0)


def test_second_claim_is_a_conflict(member):
    activity = make_credit_activity(make_course(), credit_type=CreditType.GENERAL)
    completed(member, activity.course)
    evaluated(member, activity)
    services.credit_claim(user=member, activity=activity, hours="1", attested=True)
    with pytest.raises(Conflict):
        services.credit_claim(user=member, activity=activity, hours="2", attested=True)
    assert claim_state() == (1, 1)


# The export ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+44", "'+44"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Nora", "Nora"),
        ("", ""),
        (None, ""),
    ],
)
def test_csv_safe(value, expected):
    assert services.csv_safe(value) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Nora Nurse", ("Nurse", "Nora")),
        ("Mary Ann van Dyke", ("Dyke", "Mary Ann van")),
        ("Cher", ("Cher", "")),
        ("  Ada  Lovelace ", ("Lovelace", "Ada")),
    ],
)
def test_split_name(name, expected):
    assert services.split_name(name) == expected


def test_export_refuses_non_staff(member):
    with pytest.raises(PermissionRefused):
        services.credit_export(actor=member)
    assert not AuditRecord.objects.filter(action="academy.credit.exported").exists()


def test_claim_after_expiry_is_refused(member):
    activity = make_credit_activity(make_course(), credit_type=CreditType.GENERAL)
    activity.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    activity.save()
    completed(member, activity.course)
    evaluated(member, activity)
    with pytest.raises(ValidationFailed, match="expired"):
        services.credit_claim(user=member, activity=activity, hours="1", attested=True)
    assert claim_state() == (0, 0)
