"""Cohort services: creation, members, capacity and mentors, with refusals that change nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from townsquare.accounts.tests.factories import make_user
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

from ..models import Cohort, CohortMember, CohortRole, Enrollment, ProgramEnrollment
from ..services import cohorts as services
from .factories import make_course, make_instructor
from .test_program_support import make_cohort, make_program

pytestmark = pytest.mark.django_db

START, END = datetime.date(2026, 2, 2), datetime.date(2026, 4, 24)


def _add(actor, cohort, role=CohortRole.LEARNER, person=None):
    person = person or make_user()
    return services.cohort_member_add(actor=actor, cohort=cohort, email=person.email, role=role)


# Creating ---------------------------------------------------------------------------------------


def test_staff_create_a_cohort_for_a_course_with_the_default_mentee_limit(staff):
    course = make_course()
    cohort = services.cohort_create(
        actor=staff, title="Spring 2026", course=course, starts_on=START, ends_on=END
    )
    assert (cohort.course, cohort.mentee_limit, cohort.capacity) == (course, 8, None)
    assert cohort.slug == "spring-2026"
    assert AuditRecord.objects.filter(action="academy.cohort.created").count() == 1
    again = services.cohort_create(
        actor=staff, title="Spring 2026", course=course, starts_on=START, ends_on=END
    )
    assert again.slug == "spring-2026-2"


def test_a_cohort_for_a_program(staff):
    program = make_program()
    cohort = services.cohort_create(
        actor=staff, title="Path", program=program, starts_on=START, ends_on=START, capacity=20
    )
    assert (cohort.program, cohort.capacity) == (program, 20)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"starts_on": END, "ends_on": START}, "ends_on"),
        ({"mentee_limit": 0}, "mentee_limit"),
        ({"both": True}, "course"),
        ({"neither": True}, "course"),
    ],
)
def test_invalid_cohorts_are_refused(staff, fields, field):
    course = make_course()
    arguments: dict[str, Any] = {
        "title": "Bad",
        "course": course,
        "starts_on": START,
        "ends_on": END,
    }
    if fields.pop("both", False):
        arguments["program"] = make_program()
    if fields.pop("neither", False):
        arguments["course"] = None
    arguments.update(fields)
    with pytest.raises(ValidationFailed) as caught:
        services.cohort_create(actor=staff, **arguments)
    assert field in caught.value.field_errors
    assert not Cohort.objects.exists()


@pytest.mark.parametrize("role", ["member", "patient"])
def test_only_staff_create_cohorts(request, role):
    with pytest.raises(PermissionRefused):
        services.cohort_create(
            actor=request.getfixturevalue(role),
            title="X",
            course=make_course(),
            starts_on=START,
            ends_on=END,
        )
    assert not Cohort.objects.exists()


# Members ---------------------------------------------------------------------------------------


def test_a_learner_is_enrolled_in_the_course_with_the_cohort(staff):
    cohort = make_cohort()
    member = _add(staff, cohort)
    enrollment = Enrollment.objects.get(user=member.user)
    assert (enrollment.course, enrollment.cohort) == (cohort.course, cohort)
    assert AuditRecord.objects.filter(action="academy.cohort.member_added").count() == 1


def test_an_existing_enrollment_gets_the_cohort(staff, member):
    cohort = make_cohort()
    Enrollment.objects.create(user=member, course=cohort.course)  # type: ignore[misc]
    _add(staff, cohort, person=member)
    assert Enrollment.objects.get(user=member).cohort == cohort


def test_a_program_learner_is_enrolled_in_the_program_and_its_open_courses(staff):
    first, second = make_course(with_quiz=False), make_course(with_quiz=False)
    second.prerequisites.add(first)
    program = make_program(courses=[first, second])
    cohort = make_cohort(program=program)
    member = _add(staff, cohort)
    assert ProgramEnrollment.objects.filter(user=member.user, program=program).exists()
    # Staff may override prerequisites, so both courses are open to a learner they add.
    assert set(
        Enrollment.objects.filter(user=member.user, cohort=cohort).values_list(
            "course_id", flat=True
        )
    ) == {first.pk, second.pk}


def test_mentors_and_instructors_are_not_enrolled(staff):
    cohort = make_cohort()
    _add(staff, cohort, CohortRole.MENTOR)
    _add(staff, cohort, CohortRole.INSTRUCTOR)
    assert not Enrollment.objects.exists()
    assert cohort.members.count() == 2


def test_an_instructor_of_the_cohort_adds_people_who_may_enroll(staff):
    cohort = make_cohort()
    instructor = _add(staff, cohort, CohortRole.INSTRUCTOR, person=make_instructor()).user
    learner = _add(instructor, cohort)
    assert Enrollment.objects.get(user=learner.user).cohort == cohort


def test_an_instructor_cannot_add_a_patient_to_a_members_course(staff, patient):
    cohort = make_cohort()
    instructor = _add(staff, cohort, CohortRole.INSTRUCTOR, person=make_instructor()).user
    with pytest.raises(Conflict):
        _add(instructor, cohort, person=patient)
    assert not cohort.members.filter(user=patient).exists()
    assert not Enrollment.objects.filter(user=patient).exists()


def test_an_instructor_cannot_add_a_patient_to_a_members_program(staff, patient):
    cohort = make_cohort(program=make_program())
    instructor = _add(staff, cohort, CohortRole.INSTRUCTOR, person=make_instructor()).user
    with pytest.raises(Conflict, match="open to members"):
        _add(instructor, cohort, person=patient)
    assert not cohort.members.filter(user=patient).exists()
    assert not ProgramEnrollment.objects.filter(user=patient).exists()
    learner = _add(instructor, cohort)
    assert ProgramEnrollment.objects.filter(user=learner.user).exists()
    assert Enrollment.objects.filter(user=learner.user, cohort=cohort).count() == 2


def test_a_mentor_cannot_add_people(staff):
    cohort = make_cohort()
    mentor = _add(staff, cohort, CohortRole.MENTOR).user
    with pytest.raises(PermissionRefused):
        _add(mentor, cohort)
    assert cohort.members.count() == 1


def test_unknown_email_and_second_add_are_refused(staff):
    cohort = make_cohort()
    with pytest.raises(NotFound):
        services.cohort_member_add(
            actor=staff, cohort=cohort, email="nobody@example.org", role="learner"
        )
    person = make_user()
    _add(staff, cohort, person=person)
    with pytest.raises(Conflict):
        _add(staff, cohort, CohortRole.MENTOR, person=person)
    assert cohort.members.count() == 1


def test_a_full_cohort_refuses_another_learner_but_takes_mentors(staff):
    cohort = make_cohort(capacity=1)
    _add(staff, cohort)
    late = make_user()
    with pytest.raises(Conflict, match="full"):
        _add(staff, cohort, person=late)
    assert not cohort.members.filter(user=late).exists()
    assert not Enrollment.objects.filter(user=late).exists()
    _add(staff, cohort, CohortRole.MENTOR)


def test_removing_a_learner_keeps_the_enrollment_without_the_cohort(staff):
    cohort = make_cohort()
    member = _add(staff, cohort)
    services.cohort_member_remove(actor=staff, member=member)
    assert not cohort.members.exists()
    assert Enrollment.objects.get(user=member.user).cohort is None
    assert AuditRecord.objects.filter(action="academy.cohort.member_removed").count() == 1


def test_a_member_cannot_remove_anyone(staff, member):
    cohort = make_cohort()
    learner = _add(staff, cohort)
    with pytest.raises(PermissionRefused):
        services.cohort_member_remove(actor=member, member=learner)
    assert cohort.members.count() == 1


# Mentors ---------------------------------------------------------------------------------------


def test_assign_a_mentor_and_clear_it(staff):
    cohort = make_cohort()
    learner, mentor = _add(staff, cohort), _add(staff, cohort, CohortRole.MENTOR)
    services.cohort_mentor_assign(actor=staff, member=learner, mentor=mentor)
    learner.refresh_from_db()
    assert learner.mentor == mentor
    assert AuditRecord.objects.filter(action="academy.cohort.mentor_assigned").count() == 1
    services.cohort_mentor_assign(actor=staff, member=learner, mentor=None)
    learner.refresh_from_db()
    assert learner.mentor is None


def test_a_mentor_at_the_limit_is_refused_with_a_clear_message(staff):
    cohort = make_cohort(mentee_limit=2)
    mentor = _add(staff, cohort, CohortRole.MENTOR, person=make_user(display_name="Maya Mentor"))
    first, second, third = (_add(staff, cohort) for _ in range(3))
    services.cohort_mentor_assign(actor=staff, member=first, mentor=mentor)
    services.cohort_mentor_assign(actor=staff, member=second, mentor=mentor)
    # Re-assigning a current mentee is not a new mentee.
    services.cohort_mentor_assign(actor=staff, member=second, mentor=mentor)
    with pytest.raises(Conflict) as caught:
        services.cohort_mentor_assign(actor=staff, member=third, mentor=mentor)
    assert caught.value.message == (
        "Maya Mentor already mentors 2 people, the most this cohort allows."
    )
    third.refresh_from_db()
    assert third.mentor is None


def test_the_default_limit_is_eight(staff):
    cohort = make_cohort()
    mentor = _add(staff, cohort, CohortRole.MENTOR, person=make_user(display_name="Max"))
    learners = [_add(staff, cohort) for _ in range(9)]
    for learner in learners[:8]:
        services.cohort_mentor_assign(actor=staff, member=learner, mentor=mentor)
    with pytest.raises(Conflict, match="Max already mentors 8 people, the most this cohort"):
        services.cohort_mentor_assign(actor=staff, member=learners[8], mentor=mentor)


def test_a_mentor_of_another_cohort_or_a_learner_is_refused(staff):
    cohort, other = make_cohort(), make_cohort()
    learner, peer = _add(staff, cohort), _add(staff, cohort)
    outside_mentor = _add(staff, other, CohortRole.MENTOR)
    for wrong in (outside_mentor, peer):
        with pytest.raises(ValidationFailed, match="mentor of this cohort"):
            services.cohort_mentor_assign(actor=staff, member=learner, mentor=wrong)
    learner.refresh_from_db()
    assert learner.mentor is None


def test_only_learners_get_mentors(staff):
    cohort = make_cohort()
    mentor, other_mentor = (_add(staff, cohort, CohortRole.MENTOR) for _ in range(2))
    with pytest.raises(ValidationFailed):
        services.cohort_mentor_assign(actor=staff, member=other_mentor, mentor=mentor)


def test_the_cohort_instructor_assigns_mentors_a_mentor_may_not(staff):
    cohort = make_cohort()
    instructor = _add(staff, cohort, CohortRole.INSTRUCTOR).user
    mentor = _add(staff, cohort, CohortRole.MENTOR)
    learner = _add(staff, cohort)
    with pytest.raises(PermissionRefused):
        services.cohort_mentor_assign(actor=mentor.user, member=learner, mentor=mentor)
    assert CohortMember.objects.get(pk=learner.pk).mentor is None
    services.cohort_mentor_assign(actor=instructor, member=learner, mentor=mentor)
    assert CohortMember.objects.get(pk=learner.pk).mentor == mentor
