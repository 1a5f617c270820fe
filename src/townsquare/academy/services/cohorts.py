"""Cohorts: runs of a course or a program with dates, learners, mentors and instructors.

Seats (``capacity``) and a mentor's mentees (``mentee_limit``) are scarce: each write locks the
cohort row, re-counts, then writes (lock, check, write).
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from townsquare.accounts.models import User
from townsquare.accounts.permissions import is_center_staff
from townsquare.core.audit import audit_record
from townsquare.core.errors import (
    Conflict,
    NotFound,
    PermissionRefused,
    ValidationFailed,
    validated,
)
from townsquare.core.locks import lock_row

from .. import permissions
from ..models import Cohort, CohortMember, CohortRole, Course, Enrollment, Program


def _require_manager(actor: User, cohort: Cohort | None = None) -> None:
    if not permissions.can_manage_cohort(actor, cohort):
        raise PermissionRefused("Only center staff and the cohort's instructors manage a cohort.")


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "cohort"
    slug, number = base, 1
    while Cohort.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


@transaction.atomic
def cohort_create(
    *,
    actor: User,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    course: Course | None = None,
    program: Program | None = None,
    mentee_limit: int = 8,
    capacity: int | None = None,
) -> Cohort:
    _require_manager(actor)
    if (course is None) == (program is None):
        raise ValidationFailed(
            "A cohort runs either one course or one program.",
            field_errors={"course": ["Choose a course or a program, not both."]},
        )
    if ends_on < starts_on:
        raise ValidationFailed(
            "The cohort cannot end before it starts.",
            field_errors={"ends_on": ["The end date must be on or after the start date."]},
        )
    if mentee_limit < 1:
        raise ValidationFailed(
            "A mentor must be allowed at least one mentee.",
            field_errors={"mentee_limit": ["At least 1."]},
        )
    cohort = Cohort(
        title=title.strip(),
        slug=_unique_slug(title),
        course=course,
        program=program,
        starts_on=starts_on,
        ends_on=ends_on,
        mentee_limit=mentee_limit,
        capacity=capacity,
    )
    validated(cohort)
    cohort.save()
    audit_record(
        action="academy.cohort.created",
        actor=actor,
        target=cohort,
        data={"course_id": cohort.course_id, "program_id": cohort.program_id},
    )
    return cohort


def _person_by_email(email: str) -> User:
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise NotFound(
            "No active account uses that email address. Ask the person to sign up first.",
            field_errors={"email": ["No account with this address."]},
        )
    return person


def _enroll_learner(*, actor: User, cohort: Cohort, person: User) -> None:
    """Enroll a new learner in the cohort's course, or program, with the cohort recorded.

    Center staff enroll anyone (they may override tier and prerequisites); a cohort instructor
    adds only a person who could enroll themselves, so the enrollment is made as theirs."""
    if not is_center_staff(actor):
        actor = person
    if cohort.program is not None:
        from .programs import _program_enroll

        if actor.pk == person.pk and not permissions.can_enroll_program(person, cohort.program):
            raise Conflict(
                f"{person} cannot be enrolled in {cohort.program.title}: it is open to "
                f"{cohort.program.get_access_tier_display().lower()}."
            )

        _program_enroll(actor=actor, user=person, program=cohort.program, cohort=cohort)
        return
    if cohort.course is None:  # the database allows only a course or a program
        return
    existing = Enrollment.objects.filter(user=person, course=cohort.course).first()
    if existing is not None:
        if existing.cohort_id is None:
            existing.cohort = cohort
            existing.save(update_fields=["cohort", "updated_at"])
        return
    from . import enrollment as enrollment_service

    try:
        enrollment_service.enrollment_create(
            actor=actor, user=person, course=cohort.course, cohort=cohort
        )
    except (PermissionRefused, Conflict) as error:
        raise Conflict(
            f"{person} cannot be enrolled in {cohort.course.code}: {error.message}"
        ) from error


@transaction.atomic
def cohort_member_add(*, actor: User, cohort: Cohort, email: str, role: str) -> CohortMember:
    """Add a person with an account, by email address, as learner, mentor or instructor."""
    _require_manager(actor, cohort)
    if role not in CohortRole.values:
        raise ValidationFailed(
            f"“{role}” is not a cohort role.", field_errors={"role": ["Choose a role."]}
        )
    person = _person_by_email(email)
    cohort = lock_row(Cohort.objects.select_related("course", "program").filter(pk=cohort.pk))
    if cohort.members.filter(user=person).exists():
        raise Conflict(
            f"{person} is already in this cohort.",
            field_errors={"email": ["Already in this cohort."]},
        )
    if role == CohortRole.LEARNER and cohort.capacity is not None:
        learners = cohort.members.filter(role=CohortRole.LEARNER).count()
        if learners >= cohort.capacity:
            raise Conflict(f"This cohort is full: it has room for {cohort.capacity} learners.")
    try:
        with transaction.atomic():
            member = CohortMember.objects.create(cohort=cohort, user=person, role=role)
    except IntegrityError as error:
        raise Conflict(f"{person} is already in this cohort.") from error
    if role == CohortRole.LEARNER:
        _enroll_learner(actor=actor, cohort=cohort, person=person)
    audit_record(
        action="academy.cohort.member_added",
        actor=actor,
        target=cohort,
        data={"person_id": person.pk, "role": role},
    )
    return member


@transaction.atomic
def cohort_member_remove(*, actor: User, member: CohortMember) -> None:
    """Take a person out of the cohort; a learner keeps their enrollment (without the cohort)."""
    _require_manager(actor, member.cohort)
    cohort = lock_row(Cohort.objects.filter(pk=member.cohort_id))
    member = cohort.members.filter(pk=member.pk).first()  # type: ignore[assignment]
    if member is None:
        raise NotFound("No such member in this cohort.")
    Enrollment.objects.filter(user_id=member.user_id, cohort=cohort).update(cohort=None)
    person_id, role = member.user_id, member.role
    member.delete()
    audit_record(
        action="academy.cohort.member_removed",
        actor=actor,
        target=cohort,
        data={"person_id": person_id, "role": role},
    )


def _people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


@transaction.atomic
def cohort_mentor_assign(
    *, actor: User, member: CohortMember, mentor: CohortMember | None
) -> CohortMember:
    """Give a learner a mentor of the same cohort (or none), within the cohort's mentee limit."""
    _require_manager(actor, member.cohort)
    cohort = lock_row(Cohort.objects.filter(pk=member.cohort_id))
    member = CohortMember.objects.select_related("user").get(pk=member.pk)
    if member.role != CohortRole.LEARNER:
        raise ValidationFailed("Only learners have mentors.")
    if mentor is not None:
        mentor = (
            CohortMember.objects.select_related("user")
            .filter(pk=mentor.pk, cohort=cohort, role=CohortRole.MENTOR)
            .first()
        )
        if mentor is None:
            raise ValidationFailed(
                "Choose a mentor of this cohort.",
                field_errors={"mentor": ["Not a mentor of this cohort."]},
            )
        if member.mentor_id != mentor.pk:
            mentees = CohortMember.objects.filter(mentor=mentor).count()
            if mentees >= cohort.mentee_limit:
                raise Conflict(
                    f"{mentor.user} already mentors {_people(mentees)}, "
                    "the most this cohort allows.",
                    field_errors={"mentor": ["This mentor has no room for another mentee."]},
                )
    member.mentor = mentor
    member.save(update_fields=["mentor", "updated_at"])
    audit_record(
        action="academy.cohort.mentor_assigned",
        actor=actor,
        target=cohort,
        data={"member_id": member.pk, "mentor_member_id": mentor.pk if mentor else None},
    )
    return member
