"""Reads for programs and cohorts: lists, a program's courses with a learner's status, and cohort
rosters with progress, each in a fixed number of queries whatever the size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from townsquare.accounts.permissions import is_center_staff
from townsquare.core.errors import NotFound, PermissionRefused

from .. import permissions
from ..models import (
    Cohort,
    CohortMember,
    CohortRole,
    Course,
    Enrollment,
    EnrollmentStatus,
    Lesson,
    Program,
    ProgramEnrollment,
    ProgramItem,
)

NOT_ENROLLED, IN_PROGRESS, COMPLETED = "not_enrolled", "in_progress", "completed"
STATUS_LABELS = {NOT_ENROLLED: "Not enrolled", IN_PROGRESS: "In progress", COMPLETED: "Completed"}


@dataclass
class CourseProgress:
    status: str = NOT_ENROLLED
    percent: int = 0
    completed_at: datetime | None = None

    @property
    def label(self) -> str:
        if self.status == IN_PROGRESS:
            return f"In progress, {self.percent}%"
        return STATUS_LABELS[self.status]


def course_progress(
    *, user_ids: Iterable[int], course_ids: Iterable[int]
) -> dict[tuple[int, int], CourseProgress]:
    """Each (user, course) pair's status and percent of required lessons completed: two queries."""
    user_ids, course_ids = list(user_ids), list(course_ids)
    if not user_ids or not course_ids:
        return {}
    required = dict(
        Lesson.objects.filter(course_id__in=course_ids, is_required=True)
        .values("course_id")
        .annotate(total=Count("pk"))
        .values_list("course_id", "total")
    )
    rows = (
        Enrollment.objects.filter(user_id__in=user_ids, course_id__in=course_ids)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .annotate(
            done=Count(
                "progress",
                filter=Q(progress__completed_at__isnull=False, progress__lesson__is_required=True),
            )
        )
        .values_list("user_id", "course_id", "status", "completed_at", "done")
    )
    result: dict[tuple[int, int], CourseProgress] = {}
    for user_id, course_id, status, completed_at, done in rows:
        if status == EnrollmentStatus.COMPLETED:
            result[(user_id, course_id)] = CourseProgress(COMPLETED, 100, completed_at)
        else:
            total = required.get(course_id, 0)
            percent = min(99, round(100 * done / total)) if total else 0
            result[(user_id, course_id)] = CourseProgress(IN_PROGRESS, percent)
    return result


# Programs --------------------------------------------------------------------------------------


def program_list(*, viewer: Any) -> QuerySet[Program]:
    programs = Program.objects.annotate(course_count=Count("items")).order_by("title")
    if not is_center_staff(viewer):
        programs = programs.filter(is_published=True)
    return programs


def _program_visible(viewer: Any, program: Program | None) -> Program:
    if program is None or not permissions.can_view_program(viewer, program):
        raise NotFound("No such program.")
    return program


def program_get(*, viewer: Any, slug: str) -> Program:
    return _program_visible(viewer, Program.objects.filter(slug=slug).first())


def program_get_by_id(*, viewer: Any, program_id: int) -> Program:
    return _program_visible(viewer, Program.objects.filter(pk=program_id).first())


@dataclass
class ProgramCourse:
    item: ProgramItem
    course: Course
    progress: CourseProgress


@dataclass
class ProgramOverview:
    program: Program
    courses: list[ProgramCourse]
    enrollment: ProgramEnrollment | None
    completed_count: int = field(default=0)


def program_overview(*, program: Program, viewer: Any) -> ProgramOverview:
    """The program's courses in order, each with the viewer's status."""
    items = list(program.items.select_related("course").order_by("position", "pk"))
    signed_in = bool(getattr(viewer, "is_authenticated", False))
    progress = (
        course_progress(user_ids=[viewer.pk], course_ids=[item.course_id for item in items])
        if signed_in
        else {}
    )
    courses = [
        ProgramCourse(
            item=item,
            course=item.course,
            progress=progress.get((viewer.pk, item.course_id), CourseProgress()),
        )
        for item in items
    ]
    enrollment = (
        ProgramEnrollment.objects.filter(user=viewer, program=program).first()
        if signed_in
        else None
    )
    return ProgramOverview(
        program=program,
        courses=courses,
        enrollment=enrollment,
        completed_count=sum(1 for row in courses if row.progress.status == COMPLETED),
    )


def program_items(*, program: Program) -> list[ProgramItem]:
    return list(program.items.select_related("course").order_by("position", "pk"))


# Cohorts ---------------------------------------------------------------------------------------


def cohort_list(*, viewer: Any) -> QuerySet[Cohort]:
    """Staff see every cohort; instructors and mentors the cohorts they teach or mentor."""
    cohorts = Cohort.objects.select_related("course", "program").annotate(
        learner_count=Count("members", filter=Q(members__role=CohortRole.LEARNER))
    )
    if is_center_staff(viewer):
        return cohorts
    return cohorts.filter(
        pk__in=CohortMember.objects.filter(
            user=viewer, role__in=[CohortRole.INSTRUCTOR, CohortRole.MENTOR]
        ).values("cohort_id")
    )


def cohort_get(*, viewer: Any, cohort_id: int) -> Cohort:
    cohort = Cohort.objects.select_related("course", "program").filter(pk=cohort_id).first()
    if cohort is None:
        raise NotFound("No such cohort.")
    if not permissions.can_view_cohort(viewer, cohort):
        raise PermissionRefused("Only the cohort's instructors and mentors, and staff, see it.")
    return cohort


def cohort_member_get(*, cohort: Cohort, member_id: int) -> CohortMember:
    member = cohort.members.select_related("user").filter(pk=member_id).first()
    if member is None:
        raise NotFound("No such member in this cohort.")
    return member


@dataclass
class LearnerRow:
    member: CohortMember
    progress: list[tuple[Course, CourseProgress]]

    @property
    def percent(self) -> int:
        if not self.progress:
            return 0
        return round(sum(row.percent for _course, row in self.progress) / len(self.progress))

    @property
    def completed_at(self) -> datetime | None:
        dates = [row.completed_at for _course, row in self.progress]
        if not dates or any(date is None for date in dates):
            return None
        return max(date for date in dates if date is not None)


@dataclass
class Roster:
    cohort: Cohort
    courses: list[Course]
    instructors: list[CohortMember]
    mentors: list[CohortMember]
    learners: list[LearnerRow]
    mentee_counts: dict[int, int]


def cohort_roster(*, cohort: Cohort) -> Roster:
    """Members grouped by role; each learner with their mentor and progress. Four queries."""
    members = list(
        cohort.members.select_related("user", "mentor__user").order_by("role", "user__display_name")
    )
    courses: list[Course]
    if cohort.course is not None:
        courses = [cohort.course]
    else:
        courses = [
            item.course
            for item in ProgramItem.objects.filter(program=cohort.program)
            .select_related("course")
            .order_by("position", "pk")
        ]
    learners = [member for member in members if member.role == CohortRole.LEARNER]
    progress = course_progress(
        user_ids=[member.user_id for member in learners],
        course_ids=[course.pk for course in courses],
    )
    counts: dict[int, int] = defaultdict(int)
    for member in learners:
        if member.mentor_id is not None:
            counts[member.mentor_id] += 1
    for member in members:
        if member.role == CohortRole.MENTOR:
            member.mentee_count = counts.get(member.pk, 0)  # type: ignore[attr-defined]
    return Roster(
        cohort=cohort,
        courses=courses,
        instructors=[member for member in members if member.role == CohortRole.INSTRUCTOR],
        mentors=[member for member in members if member.role == CohortRole.MENTOR],
        learners=[
            LearnerRow(
                member=member,
                progress=[
                    (course, progress.get((member.user_id, course.pk), CourseProgress()))
                    for course in courses
                ],
            )
            for member in learners
        ],
        mentee_counts=dict(counts),
    )


def program_enrollments_of(*, user: Any) -> QuerySet[ProgramEnrollment]:
    return (
        ProgramEnrollment.objects.filter(user=user)
        .select_related("program")
        .prefetch_related(
            Prefetch("program__items", queryset=ProgramItem.objects.select_related("course"))
        )
    )
