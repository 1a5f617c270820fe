"""The programs and cohorts API, mounted at /api/v1/academy/.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from ninja import Router, Status
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import PermissionRefused
from townsquare.core.pagination import Pagination

from .. import permissions
from ..models import CohortMember
from ..selectors import programs as selectors
from ..services import cohorts as cohort_services
from ..services import programs as program_services
from .programs_schemas import (
    CohortMemberIn,
    CohortMemberOut,
    CohortOut,
    ProgramDetailOut,
    ProgramEnrollmentOut,
    ProgramOut,
)

router = Router(tags=["academy"])


@router.get("/programs", response=list[ProgramOut], summary="Programs (learning paths)")
@paginate(Pagination)
def programs_list(request: AuthenticatedHttpRequest) -> Any:
    return selectors.program_list(viewer=request.user)


@router.get("/programs/{program_id}", response=ProgramDetailOut, summary="A program")
def programs_get(request: AuthenticatedHttpRequest, program_id: int) -> Any:
    program = selectors.program_get_by_id(viewer=request.user, program_id=program_id)
    overview = selectors.program_overview(program=program, viewer=request.user)
    return {
        "id": program.pk,
        "title": program.title,
        "slug": program.slug,
        "summary": program.summary,
        "access_tier": program.access_tier,
        "is_published": program.is_published,
        "course_count": len(overview.courses),
        "is_enrolled": overview.enrollment is not None,
        "completed_at": overview.enrollment.completed_at if overview.enrollment else None,
        "courses": [
            {
                "course_id": row.course.pk,
                "code": row.course.code,
                "title": row.course.title,
                "slug": row.course.slug,
                "position": position,
                "status": row.progress.status,
                "percent": row.progress.percent,
                "completed_at": row.progress.completed_at,
            }
            for position, row in enumerate(overview.courses)
        ],
    }


@router.post(
    "/programs/{program_id}/enrollments",
    response={201: ProgramEnrollmentOut},
    summary="Enroll in a program (and in its courses you may start now)",
)
def programs_enroll(request: AuthenticatedHttpRequest, program_id: int) -> Status:
    program = selectors.program_get_by_id(viewer=request.user, program_id=program_id)
    enrollment = program_services.program_enrollment_create(actor=request.user, program=program)
    return Status(201, enrollment)


def _member(member: CohortMember) -> dict[str, Any]:
    return {
        "id": member.pk,
        "user_id": member.user_id,
        "display_name": str(member.user),
        "role": member.role,
        "mentor_member_id": member.mentor_id,
    }


@router.get("/cohorts/{cohort_id}", response=CohortOut, summary="A cohort's roster and progress")
def cohorts_get(request: AuthenticatedHttpRequest, cohort_id: int) -> Any:
    cohort = selectors.cohort_get(viewer=request.user, cohort_id=cohort_id)
    roster = selectors.cohort_roster(cohort=cohort)
    return {
        "id": cohort.pk,
        "title": cohort.title,
        "slug": cohort.slug,
        "course_id": cohort.course_id,
        "program_id": cohort.program_id,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "mentee_limit": cohort.mentee_limit,
        "capacity": cohort.capacity,
        "instructors": [_member(member) for member in roster.instructors],
        "mentors": [_member(member) for member in roster.mentors],
        "learners": [
            {
                **_member(row.member),
                "percent": row.percent,
                "completed_at": row.completed_at,
                "courses": [
                    {
                        "course_id": course.pk,
                        "status": progress.status,
                        "percent": progress.percent,
                        "completed_at": progress.completed_at,
                    }
                    for course, progress in row.progress
                ],
            }
            for row in roster.learners
        ],
    }


@router.post(
    "/cohorts/{cohort_id}/members",
    response={201: CohortMemberOut},
    summary="Add a person to a cohort (its instructors and staff)",
)
def cohorts_member_add(
    request: AuthenticatedHttpRequest, cohort_id: int, payload: CohortMemberIn
) -> Status:
    cohort = selectors.cohort_get(viewer=request.user, cohort_id=cohort_id)
    if not permissions.can_manage_cohort(request.user, cohort):
        raise PermissionRefused("Only center staff and the cohort's instructors manage it.")
    member = cohort_services.cohort_member_add(
        actor=request.user, cohort=cohort, email=payload.email, role=payload.role
    )
    return Status(201, _member(member))
