"""Programs (learning paths): authoring, enrollment, and completion.

A program is an ordered list of courses (and, once the events module exists, events). Enrolling in
a program enrolls the learner in every course of it that they may start now; a course whose
prerequisites are earlier courses of the program is enrolled later, by ``program_completion_check``,
as soon as those prerequisites are completed.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.errors import (
    Conflict,
    DomainError,
    NotFound,
    PermissionRefused,
    ValidationFailed,
    validated,
)
from townsquare.core.locks import lock_row

from .. import permissions
from ..models import (
    AccessTier,
    Cohort,
    CohortMember,
    CohortRole,
    Course,
    Enrollment,
    EnrollmentStatus,
    Program,
    ProgramEnrollment,
    ProgramItem,
)
from .statements import statement_record

PROGRAM_FIELDS = ("title", "slug", "summary", "access_tier", "is_published")


def _require_manager(actor: User) -> None:
    if not permissions.can_manage_programs(actor):
        raise PermissionRefused("Only center staff manage programs.")


# Authoring -------------------------------------------------------------------------------------


@transaction.atomic
def program_create(
    *,
    actor: User,
    title: str,
    slug: str,
    summary: str,
    access_tier: str = AccessTier.MEMBER,
    is_published: bool = False,
) -> Program:
    _require_manager(actor)
    if Program.objects.filter(slug=slug).exists():
        raise Conflict(
            "Another program already uses this address.",
            field_errors={"slug": ["Another program already uses this address."]},
        )
    program = Program(
        title=title.strip(),
        slug=slug,
        summary=summary,
        access_tier=access_tier,
        is_published=is_published,
    )
    validated(program)
    program.save()
    audit_record(
        action="academy.program.created",
        actor=actor,
        target=program,
        data={"slug": program.slug, "is_published": program.is_published},
    )
    if program.is_published:
        audit_record(action="academy.program.published", actor=actor, target=program)
    return program


@transaction.atomic
def program_update(*, actor: User, program: Program, changes: dict[str, Any]) -> Program:
    """Change any of title, slug, summary, access tier and published; publishing is audited."""
    _require_manager(actor)
    unknown = set(changes) - set(PROGRAM_FIELDS)
    if unknown:
        raise ValidationFailed(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    program = lock_row(Program.objects.filter(pk=program.pk))
    was_published = program.is_published
    if "slug" in changes and (
        Program.objects.filter(slug=changes["slug"]).exclude(pk=program.pk).exists()
    ):
        raise Conflict(
            "Another program already uses this address.",
            field_errors={"slug": ["Another program already uses this address."]},
        )
    for name, value in changes.items():
        setattr(program, name, value)
    validated(program)
    program.save()
    audit_record(
        action="academy.program.updated",
        actor=actor,
        target=program,
        data={"fields": sorted(changes)},
    )
    if program.is_published != was_published:
        audit_record(
            action="academy.program.published"
            if program.is_published
            else "academy.program.unpublished",
            actor=actor,
            target=program,
        )
    return program


@transaction.atomic
def program_course_add(*, actor: User, program: Program, course: Course) -> ProgramItem:
    """Append a course at the end of the program."""
    _require_manager(actor)
    program = lock_row(Program.objects.filter(pk=program.pk))
    if program.items.filter(course=course).exists():
        raise Conflict(f"{course} is already part of this program.")
    last = program.items.aggregate(last=Max("position"))["last"]
    try:
        with transaction.atomic():
            item = ProgramItem.objects.create(
                program=program, course=course, position=0 if last is None else last + 1
            )
    except IntegrityError as error:  # a concurrent add of the same course
        raise Conflict(f"{course} is already part of this program.") from error
    audit_record(
        action="academy.program.course_added",
        actor=actor,
        target=program,
        data={"course_id": course.pk},
    )
    return item


@transaction.atomic
def program_course_remove(*, actor: User, program: Program, item_id: int) -> None:
    _require_manager(actor)
    program = lock_row(Program.objects.filter(pk=program.pk))
    item = program.items.filter(pk=item_id).first()
    if item is None:
        raise NotFound("That course is not part of this program.")
    course_id = item.course_id
    item.delete()
    audit_record(
        action="academy.program.course_removed",
        actor=actor,
        target=program,
        data={"course_id": course_id},
    )


@transaction.atomic
def program_items_reorder(*, actor: User, program: Program, item_ids: list[int]) -> None:
    """Set the order of the program's courses; ``item_ids`` must name every item exactly once."""
    _require_manager(actor)
    program = lock_row(Program.objects.filter(pk=program.pk))
    items = {item.pk: item for item in program.items.all()}
    if sorted(item_ids) != sorted(items):
        raise ValidationFailed("The new order must list every course of the program once.")
    changed = []
    for position, item_id in enumerate(item_ids):
        item = items[item_id]
        if item.position != position:
            item.position = position
            changed.append(item)
    ProgramItem.objects.bulk_update(changed, ["position"])


def program_item_move(*, actor: User, program: Program, item_id: int, direction: str) -> None:
    """Move one course a place up or down (the no-JavaScript buttons), via the reorder service."""
    order = list(program.items.order_by("position", "pk").values_list("pk", flat=True))
    if item_id not in order:
        raise NotFound("That course is not part of this program.")
    if direction not in {"up", "down"}:
        raise ValidationFailed("Move a course up or down.")
    index = order.index(item_id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(order):
        order[index], order[other] = order[other], order[index]
    program_items_reorder(actor=actor, program=program, item_ids=order)


# Enrollment and completion ---------------------------------------------------------------------


def _program_courses(program: Program) -> list[Course]:
    return [item.course for item in program.items.select_related("course").order_by("position")]


def _program_cohort(user: User, program: Program) -> Cohort | None:
    """The cohort of this program the person is a learner in, if any."""
    member = (
        CohortMember.objects.filter(user=user, role=CohortRole.LEARNER, cohort__program=program)
        .select_related("cohort")
        .order_by("-cohort__starts_on")
        .first()
    )
    return member.cohort if member is not None else None


def enroll_available_courses(
    *, actor: User, user: User, program: Program, cohort: Cohort | None = None
) -> list[Enrollment]:
    """Enroll the person in each course of the program they may start now; courses whose
    prerequisites are not yet met (or that refuse them) are left for a later check."""
    from . import enrollment as enrollment_service

    existing = Enrollment.objects.filter(user=user, course__program_items__program=program)
    if cohort is not None:
        existing.filter(cohort__isnull=True).update(cohort=cohort)
    enrolled_course_ids = set(existing.values_list("course_id", flat=True))
    created = []
    for course in _program_courses(program):
        if course.pk in enrolled_course_ids or not course.is_published:
            continue
        try:
            # A savepoint: a refused course must not spoil the rest of the transaction.
            with transaction.atomic():
                created.append(
                    enrollment_service.enrollment_create(
                        actor=actor, user=user, course=course, cohort=cohort
                    )
                )
        except DomainError:
            continue
    return created


@transaction.atomic
def program_enrollment_create(*, actor: User, program: Program) -> ProgramEnrollment:
    """The signed-in person enrolls in a program, and in every course of it they may start now."""
    if not permissions.can_enroll_program(actor, program):
        if not program.is_published:
            raise NotFound("No such program.")
        raise PermissionRefused(
            f"This program is open to {program.get_access_tier_display().lower()}."
        )
    return _program_enroll(actor=actor, user=actor, program=program, cohort=None)


def _program_enroll(
    *, actor: User, user: User, program: Program, cohort: Cohort | None
) -> ProgramEnrollment:
    try:
        with transaction.atomic():
            program_enrollment, created = ProgramEnrollment.objects.get_or_create(
                user=user, program=program
            )
    except IntegrityError as error:  # a concurrent enrollment of the same person
        raise Conflict("You are already enrolled in this program.") from error
    if not created and actor.pk == user.pk and cohort is None:
        raise Conflict("You are already enrolled in this program.")
    if created:
        audit_record(
            action="academy.program.enrolled",
            actor=actor,
            target=program,
            data={"program_enrollment_id": program_enrollment.pk},
        )
    enroll_available_courses(actor=actor, user=user, program=program, cohort=cohort)
    return program_enrollment


@transaction.atomic
def program_completion_check(*, user: User) -> list[ProgramEnrollment]:
    """For each open program enrollment of the person: enroll them in courses that became
    available, and complete the program when every course is completed. Returns the program
    enrollments completed by this call."""
    completed: list[ProgramEnrollment] = []
    open_enrollments = ProgramEnrollment.objects.filter(
        user=user, completed_at__isnull=True
    ).select_related("program")
    for program_enrollment in open_enrollments:
        program = program_enrollment.program
        enroll_available_courses(
            actor=user, user=user, program=program, cohort=_program_cohort(user, program)
        )
        course_ids = set(program.items.values_list("course_id", flat=True))
        if not course_ids:
            continue
        done = set(
            Enrollment.objects.filter(
                user=user, course_id__in=course_ids, status=EnrollmentStatus.COMPLETED
            ).values_list("course_id", flat=True)
        )
        if done != course_ids:
            continue
        locked = lock_row(ProgramEnrollment.objects.filter(pk=program_enrollment.pk))
        if locked.completed_at is not None:  # completed by a concurrent check
            continue
        _program_complete(locked)
        completed.append(locked)
    return completed


def _program_complete(program_enrollment: ProgramEnrollment) -> None:
    from . import credentials

    program = program_enrollment.program
    program_enrollment.completed_at = timezone.now()
    program_enrollment.save(update_fields=["completed_at", "updated_at"])
    statement_record(
        user=program_enrollment.user,
        verb="completed",
        object_type="program",
        object_id=program.pk,
        name=program.title,
        completion=True,
    )
    audit_record(
        action="academy.program.completed",
        actor=program_enrollment.user,
        target=program,
        data={"program_enrollment_id": program_enrollment.pk},
    )
    credentials.program_certificate_issue(program_enrollment=program_enrollment)
