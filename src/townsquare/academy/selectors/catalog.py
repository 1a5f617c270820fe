"""Reads of the catalog: the searchable, filterable list of published courses, one course with its
outline, and the courses an instructor authors. Each runs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, QuerySet, When

from townsquare.core.errors import NotFound
from townsquare.core.search import search_ids

from .. import permissions
from ..models import (
    Course,
    CourseStatus,
    CreditActivity,
    Enrollment,
    EnrollmentStatus,
    Lesson,
    LessonAttachment,
    Module,
    Question,
    Topic,
)

SEARCH_KIND = "course"


@dataclass(frozen=True)
class CatalogFilters:
    query: str = ""
    topic: str = ""  # a topic slug
    level: str = ""
    profession: str = ""
    language: str = ""
    tier: str = ""
    offers_credit: bool = False


def _with_credit(queryset: QuerySet[Course]) -> QuerySet[Course]:
    return queryset.annotate(
        offers_credit=Exists(CreditActivity.objects.filter(course=OuterRef("pk")))
    )


def course_catalog(*, filters: CatalogFilters) -> QuerySet[Course]:
    """Published courses matching the filters; with a query, best match first."""
    courses = Course.objects.filter(status=CourseStatus.PUBLISHED)
    if filters.topic:
        courses = courses.filter(topics__slug=filters.topic)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.profession:
        courses = courses.filter(audience__profession=filters.profession)
    if filters.language:
        courses = courses.filter(language=filters.language)
    if filters.tier:
        courses = courses.filter(access_tier=filters.tier)
    if filters.offers_credit:
        courses = courses.filter(credit_activity__isnull=False)
    courses = _with_credit(courses).prefetch_related("topics")
    if filters.query.strip():
        ids = search_ids(
            SEARCH_KIND,
            filters.query,
            within=Course.objects.filter(status=CourseStatus.PUBLISHED),
        )
        rank = Case(
            *[When(pk=pk, then=position) for position, pk in enumerate(ids)],
            output_field=IntegerField(),
        )
        if not ids:
            return courses.none()
        return courses.filter(pk__in=ids).annotate(rank=rank).order_by("rank")
    return courses.order_by("code")


def topics_in_catalog() -> QuerySet[Topic]:
    return Topic.objects.filter(courses__status=CourseStatus.PUBLISHED).distinct()


def _outline_prefetches() -> list[Any]:
    return [
        "topics",
        "audience",
        "instructors",
        Prefetch("prerequisites", queryset=Course.objects.only("pk", "code", "title", "slug")),
        Prefetch(
            "modules",
            queryset=Module.objects.order_by("position", "pk").prefetch_related(
                Prefetch("lessons", queryset=Lesson.objects.order_by("position", "pk"))
            ),
        ),
    ]


def course_get(*, viewer: Any, slug: str) -> Course:
    """One course with its outline, instructors, prerequisites and credit; drafts only for those
    who author them (others are told it does not exist)."""
    course = (
        Course.objects.filter(slug=slug)
        .select_related("credit_activity")
        .prefetch_related(*_outline_prefetches())
        .first()
    )
    if course is None or not permissions.can_view_course(viewer, course):
        raise NotFound("No such course.")
    return course


def course_get_by_id(*, viewer: Any, course_id: int) -> Course:
    course = (
        Course.objects.filter(pk=course_id)
        .select_related("credit_activity")
        .prefetch_related(*_outline_prefetches())
        .first()
    )
    if course is None or not permissions.can_view_course(viewer, course):
        raise NotFound("No such course.")
    return course


def enrollment_of(*, user: Any, course: Course) -> Enrollment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Enrollment.objects.filter(user=user, course=course)
        .exclude(status=EnrollmentStatus.WITHDRAWN)
        .first()
    )


def courses_authored_by(*, user: Any) -> QuerySet[Course]:
    """Courses this person may author: all for center staff, the ones they teach otherwise."""
    courses = Course.objects.all()
    if not permissions.is_center_staff(user):
        courses = courses.filter(instructors=user)
    return courses.order_by("status", "code")


def course_for_authoring(*, viewer: Any, slug: str) -> Course:
    """A course for its authoring pages; raises NotFound / PermissionRefused via the gate."""
    from townsquare.core.errors import PermissionRefused

    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise NotFound("No such course.")
    if not permissions.can_author_course(viewer, course):
        if not permissions.can_view_course(viewer, course):
            raise NotFound("No such course.")
        raise PermissionRefused("Only the course's instructors and center staff may edit it.")
    return course


def course_outline_for_authoring(*, course: Course) -> list[Module]:
    return list(
        Module.objects.filter(course=course)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch(
                "lessons",
                queryset=Lesson.objects.order_by("position", "pk").select_related("quiz"),
            )
        )
    )


def course_preview(*, course: Course) -> list[Module]:
    """The full outline with every lesson's content, attachments and quiz questions."""
    return list(
        Module.objects.filter(course=course)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch(
                "lessons",
                queryset=Lesson.objects.order_by("position", "pk")
                .select_related("quiz")
                .prefetch_related(
                    Prefetch("attachments", queryset=LessonAttachment.objects.order_by("position")),
                    Prefetch(
                        "quiz__questions",
                        queryset=Question.objects.order_by("position", "pk").prefetch_related(
                            "choices"
                        ),
                    ),
                ),
            )
        )
    )
