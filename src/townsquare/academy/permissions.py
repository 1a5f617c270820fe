"""Who may see or do what in the academy. Every academy page, endpoint and selector asks these.

Access tiers come from roles until the membership module exists: ``public`` is everyone signed in
(patients included), ``member`` is health-care professionals and center people, ``premium`` is
professionals who belong to a member organization, and ``staff`` is center staff. Center staff
and the course's instructors pass every tier.
"""

from __future__ import annotations

from typing import Any

from townsquare.accounts import tiers
from townsquare.accounts.models import OrganizationRole, Role
from townsquare.accounts.permissions import has_role, is_center_staff, is_professional

from .models import (
    Cohort,
    CohortRole,
    Course,
    Credential,
    Enrollment,
    FellowshipSubmission,
    Program,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# Tiers are shared with events and the library: ``accounts.tiers`` decides them.
tier_of = tiers.tier_of
has_tier = tiers.has_tier


def is_instructor(user: Any) -> bool:
    return is_center_staff(user) or has_role(user, Role.INSTRUCTOR)


def teaches(user: Any, course: Course) -> bool:
    if not _signed_in(user):
        return False
    cache: dict[int, bool] = user.__dict__.setdefault("_academy_teaches", {})
    if course.pk not in cache:
        cache[course.pk] = course.instructors.filter(pk=user.pk).exists()
    return cache[course.pk]


# Catalog and courses ---------------------------------------------------------------------------


def can_view_catalog(user: Any) -> bool:
    return True  # the catalog of published courses is public, as Open edX's is


def can_view_course(user: Any, course: Course) -> bool:
    """Published courses are listed for everyone; drafts only for those who author them."""
    return course.is_published or can_author_course(user, course)


def can_create_course(user: Any) -> bool:
    return is_instructor(user)


def can_author_course(user: Any, course: Course) -> bool:
    return is_center_staff(user) or (has_role(user, Role.INSTRUCTOR) and teaches(user, course))


def can_publish_course(user: Any, course: Course) -> bool:
    return can_author_course(user, course)


def can_enroll(user: Any, course: Course) -> bool:
    """The tier check alone; prerequisites are a rule checked by the enrollment service."""
    return course.is_published and (has_tier(user, course.access_tier) or teaches(user, course))


def can_study(user: Any, enrollment: Enrollment) -> bool:
    """Open lessons and take quizzes in an enrollment: the learner alone."""
    return _signed_in(user) and enrollment.user_id == user.pk


def can_preview_course(user: Any, course: Course) -> bool:
    return can_author_course(user, course)


def can_view_enrollment(user: Any, enrollment: Enrollment) -> bool:
    """Progress is seen by the learner, the course's instructors, staff, and the leader who
    enrolled them for their organization."""
    if not _signed_in(user):
        return False
    if enrollment.user_id == user.pk or is_center_staff(user):
        return True
    if teaches(user, enrollment.course):
        return True
    if enrollment.organization_id is not None:
        return user.memberships.filter(
            organization_id=enrollment.organization_id, role=OrganizationRole.LEADER
        ).exists()
    return False


def can_enroll_others(user: Any, organization: Any) -> bool:
    """Organization leaders enroll their own staff; center staff enroll anyone."""
    from townsquare.accounts.permissions import can_manage_organization

    return can_manage_organization(user, organization)


def can_view_item_analysis(user: Any, course: Course) -> bool:
    return can_author_course(user, course)


def _studies_or_authors(user: Any, course: Course) -> bool:
    if not _signed_in(user):
        return False
    if can_author_course(user, course):
        return True
    from .models import EnrollmentStatus

    return (
        Enrollment.objects.filter(user=user, course=course)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .exists()
    )


def can_download_attachment(user: Any, attachment: Any) -> bool:
    """A lesson's downloads: learners enrolled in the course (not withdrawn) and its authors."""
    return _studies_or_authors(user, attachment.lesson.course)


def can_view_lesson_media(user: Any, lesson: Any) -> bool:
    """A lesson's captions file: the same people as its downloads."""
    return _studies_or_authors(user, lesson.course)


# Programs and cohorts --------------------------------------------------------------------------


def can_view_program(user: Any, program: Program) -> bool:
    return program.is_published or is_center_staff(user)


def can_enroll_program(user: Any, program: Program) -> bool:
    return program.is_published and has_tier(user, program.access_tier)


def can_manage_programs(user: Any) -> bool:
    return is_center_staff(user)


def cohort_role_of(user: Any, cohort: Cohort) -> str | None:
    if not _signed_in(user):
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_academy_cohort_roles", {})
    if cohort.pk not in cache:
        cache[cohort.pk] = cohort.members.filter(user=user).values_list("role", flat=True).first()
    return cache[cohort.pk]


def can_manage_cohort(user: Any, cohort: Cohort | None = None) -> bool:
    if is_center_staff(user):
        return True
    return cohort is not None and cohort_role_of(user, cohort) == CohortRole.INSTRUCTOR


def can_view_cohort(user: Any, cohort: Cohort) -> bool:
    """The roster and progress page: the cohort's instructors and mentors, and staff."""
    return can_manage_cohort(user, cohort) or cohort_role_of(user, cohort) == CohortRole.MENTOR


# Credentials and the fellowship ----------------------------------------------------------------


def can_view_credential(user: Any, credential: Credential) -> bool:
    """The full record and the downloads; the public verification page needs no permission."""
    return _signed_in(user) and (credential.user_id == user.pk or is_center_staff(user))


def can_revoke_credential(user: Any) -> bool:
    return is_center_staff(user)


def can_apply_for_fellowship(user: Any) -> bool:
    return is_professional(user)


def can_view_submission(user: Any, submission: FellowshipSubmission) -> bool:
    return _signed_in(user) and (
        submission.user_id == user.pk or is_center_staff(user) or submission.reviewer_id == user.pk
    )


def can_review_submissions(user: Any) -> bool:
    """Advisors: center staff, instructors and coaches."""
    return is_center_staff(user) or has_role(user, Role.INSTRUCTOR, Role.COACH)


def can_review_submission(user: Any, submission: FellowshipSubmission) -> bool:
    return can_review_submissions(user) and submission.user_id != user.pk


def can_award_platinum(user: Any) -> bool:
    return is_center_staff(user)


# Credit, transcripts and reports ---------------------------------------------------------------


def can_view_transcript(user: Any, person: Any) -> bool:
    return _signed_in(user) and (person.pk == user.pk or is_center_staff(user))


def can_export_credit(user: Any) -> bool:
    return is_center_staff(user)


def can_view_reports(user: Any) -> bool:
    return is_center_staff(user)
