"""Enrollment: tiers, prerequisites, leaders for their staff, staff, re-enrolling, withdrawing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from townsquare.academy.models import AccessTier, Enrollment, EnrollmentStatus
from townsquare.academy.services.enrollment import (
    disclosures_acknowledge,
    disclosures_required,
    enrollment_create,
    enrollment_withdraw,
)
from townsquare.academy.tests.factories import make_course, make_credit_activity
from townsquare.academy.tests.test_learning_support import learning_state
from townsquare.accounts import services as account_services
from townsquare.accounts.models import Role
from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.errors import Conflict, PermissionRefused
from townsquare.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def test_a_member_enrolls_in_a_member_course_and_it_is_audited(member):
    course = make_course()
    enrollment = enrollment_create(actor=member, user=member, course=course)
    assert enrollment.status == EnrollmentStatus.ACTIVE
    assert enrollment.enrolled_by is None
    record = AuditRecord.objects.get(action="academy.enrollment.created")
    assert record.data["actor_id"] == member.pk
    assert record.data["learner_id"] == member.pk


def test_enrolling_again_returns_the_same_enrollment(member):
    course = make_course()
    first = enrollment_create(actor=member, user=member, course=course)
    second = enrollment_create(actor=member, user=member, course=course)
    assert first.pk == second.pk
    assert Enrollment.objects.count() == 1


def test_a_withdrawn_enrollment_is_reactivated(member):
    course = make_course()
    enrollment = enrollment_create(actor=member, user=member, course=course)
    enrollment_withdraw(actor=member, enrollment=enrollment)
    assert Enrollment.objects.get().status == EnrollmentStatus.WITHDRAWN
    again = enrollment_create(actor=member, user=member, course=course)
    assert again.pk == enrollment.pk
    assert again.status == EnrollmentStatus.ACTIVE


def test_a_patient_is_refused_a_member_course_naming_the_tier(patient):
    course = make_course(tier=AccessTier.MEMBER)
    before = learning_state()
    with pytest.raises(PermissionRefused, match="open to members"):
        enrollment_create(actor=patient, user=patient, course=course)
    assert learning_state() == before


def test_a_draft_course_is_refused(member):
    course = make_course(published=False)
    with pytest.raises(PermissionRefused, match="not open"):
        enrollment_create(actor=member, user=member, course=course)
    assert not Enrollment.objects.exists()


def test_missing_prerequisites_are_named_and_nothing_changes(member):
    basics = make_course(title="Basics", code="GSM 101")
    advanced = make_course(title="Advanced")
    advanced.prerequisites.add(basics)
    enrollment_create(actor=member, user=member, course=basics)  # enrolled, not completed
    before = learning_state()
    with pytest.raises(Conflict, match="GSM 101 Basics") as raised:
        enrollment_create(actor=member, user=member, course=advanced)
    assert raised.value.extra["missing_prerequisites"] == ["GSM 101"]
    assert learning_state() == before


def test_completed_prerequisites_let_the_learner_in(member):
    basics = make_course()
    advanced = make_course()
    advanced.prerequisites.add(basics)
    Enrollment.objects.create(
        user=member, course=basics, status=EnrollmentStatus.COMPLETED, completed_at=timezone.now()
    )
    assert enrollment_create(actor=member, user=member, course=advanced).course == advanced


def test_a_leader_enrolls_a_member_of_their_organization_and_the_learner_is_emailed(
    leader, organization, django_capture_on_commit_callbacks
):
    nurse = make_user(display_name="Nina Nurse")
    account_services.membership_add(
        actor=make_staff(), organization=organization, email=nurse.email
    )
    course = make_course()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enrollment_create(
            actor=leader, user=nurse, course=course, organization=organization
        )
    assert enrollment.enrolled_by == leader
    assert enrollment.organization == organization
    record = AuditRecord.objects.get(action="academy.enrollment.created")
    assert (record.data["actor_id"], record.data["learner_id"]) == (leader.pk, nurse.pk)
    assert mail.outbox[-1].to == [nurse.email]
    assert course.code in mail.outbox[-1].subject


def test_a_leader_cannot_enroll_someone_outside_their_organization(leader, organization, member):
    before = learning_state()
    with pytest.raises(PermissionRefused, match="not a member"):
        enrollment_create(
            actor=leader, user=member, course=make_course(), organization=organization
        )
    assert learning_state() == before


def test_a_member_cannot_enroll_someone_else(member, organization):
    other = make_user()
    with pytest.raises(PermissionRefused):
        enrollment_create(actor=member, user=other, course=make_course())
    with pytest.raises(PermissionRefused):
        enrollment_create(actor=member, user=other, course=make_course(), organization=organization)
    assert not Enrollment.objects.exists()


def test_a_leader_enrolling_staff_still_meets_tier_and_prerequisites(leader, organization):
    patient = make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver")
    account_services.membership_add(
        actor=make_staff(), organization=organization, email=patient.email
    )
    with pytest.raises(PermissionRefused, match="access level"):
        enrollment_create(
            actor=leader, user=patient, course=make_course(), organization=organization
        )
    nurse = make_user()
    account_services.membership_add(
        actor=make_staff(), organization=organization, email=nurse.email
    )
    basics, advanced = make_course(), make_course()
    advanced.prerequisites.add(basics)
    with pytest.raises(Conflict, match="prerequisites"):
        enrollment_create(actor=leader, user=nurse, course=advanced, organization=organization)
    assert not Enrollment.objects.exists()


def test_staff_enroll_anyone(staff, patient):
    enrollment = enrollment_create(actor=staff, user=patient, course=make_course())
    assert enrollment.enrolled_by == staff


def test_the_unique_constraint_backs_the_rule(member):
    course = make_course()
    enrollment_create(actor=member, user=member, course=course)
    with pytest.raises(IntegrityError):
        Enrollment.objects.create(user=member, course=course)


def test_a_race_past_the_check_is_a_conflict_not_a_500(member, monkeypatch):
    course = make_course()
    Enrollment.objects.create(user=member, course=course)
    real_filter = Enrollment.objects.filter

    class Empty:
        def first(self):
            return None

    def filter_missing_the_existing(*args, **kwargs):
        if set(kwargs) == {"user", "course"}:
            return Empty()  # as if another request enrolled between the check and the insert
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Enrollment.objects, "filter", filter_missing_the_existing)
    with pytest.raises(Conflict, match="already enrolled"):
        enrollment_create(actor=member, user=member, course=course)


def test_withdraw_refuses_others_and_completed(member):
    course = make_course()
    enrollment = enrollment_create(actor=member, user=member, course=course)
    other = make_user()
    with pytest.raises(Exception, match="No such enrollment"):
        enrollment_withdraw(actor=other, enrollment=enrollment)
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=EnrollmentStatus.COMPLETED, completed_at=timezone.now()
    )
    enrollment.refresh_from_db()
    with pytest.raises(Conflict):
        enrollment_withdraw(actor=member, enrollment=enrollment)


def test_disclosures_are_required_only_for_credit_courses(member):
    plain = enrollment_create(actor=member, user=member, course=make_course())
    assert not disclosures_required(plain)
    course = make_course()
    make_credit_activity(course)
    credit = enrollment_create(actor=member, user=member, course=course)
    assert disclosures_required(credit)
    disclosures_acknowledge(enrollment=credit)
    credit.refresh_from_db()
    assert credit.disclosures_seen_at is not None
    assert not disclosures_required(credit)
