"""Enrollment: who may join a course (tier, prerequisites, leaders for their staff), re-joining,
withdrawing, and the financial-disclosures acknowledgement a CE activity needs first."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.accounts.models import Organization, User
from townsquare.accounts.permissions import is_center_staff
from townsquare.core.audit import audit_record
from townsquare.core.email import email_queue
from townsquare.core.errors import Conflict, NotFound, PermissionRefused
from townsquare.core.locks import lock_row

from ..models import (
    AccessTier,
    Cohort,
    Course,
    CreditActivity,
    Enrollment,
    EnrollmentStatus,
)
from ..permissions import can_enroll, can_enroll_others, has_tier, teaches, tier_of


def _tier_label(tier: str) -> str:
    return str(AccessTier(tier).label)


def _tier_refusal(user: User, course: Course, *, who: str) -> PermissionRefused:
    held = tier_of(user)
    held_label = _tier_label(held) if held else "not signed in"
    return PermissionRefused(
        f"{course.code} is open to {_tier_label(course.access_tier).lower()}; "
        f"{who} access level is {held_label.lower()}.",
        required_tier=course.access_tier,
    )


def missing_prerequisites(*, user: User, course: Course) -> list[Course]:
    """The prerequisite courses ``user`` has not completed, in code order."""
    completed = Enrollment.objects.filter(user=user, status=EnrollmentStatus.COMPLETED).values(
        "course_id"
    )
    return list(course.prerequisites.exclude(pk__in=completed).order_by("code"))


def _check_prerequisites(*, user: User, course: Course, who: str) -> None:
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        names = ", ".join(f"{item.code} {item.title}" for item in missing)
        raise Conflict(
            f"{who} must complete the prerequisites first: {names}.",
            missing_prerequisites=[item.code for item in missing],
        )


def _authorize(
    *, actor: Any, user: User, course: Course, organization: Organization | None
) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionRefused("Sign in to enroll.")
    if not course.is_published:
        raise PermissionRefused(f"{course.code} is not open for enrollment.")
    if is_center_staff(actor) and actor.pk != user.pk:
        return  # center staff may enroll anyone, as an override of tier and prerequisites
    if actor.pk == user.pk and organization is None:
        if not can_enroll(user, course):
            raise _tier_refusal(user, course, who="your")
        _check_prerequisites(user=user, course=course, who="You")
        return
    if organization is None or not can_enroll_others(actor, organization):
        raise PermissionRefused("Only leaders of the person's organization may enroll them.")
    if not organization.memberships.filter(user=user).exists():
        raise PermissionRefused(f"{user.display_name} is not a member of {organization.name}.")
    if not (has_tier(user, course.access_tier) or teaches(user, course)):
        raise _tier_refusal(user, course, who=f"{user.display_name}'s")
    _check_prerequisites(user=user, course=course, who=user.display_name)


def _notify_enrolled(*, actor: User, user: User, course: Course) -> None:
    from django.conf import settings
    from django.urls import reverse

    link = settings.SITE_URL.rstrip("/") + reverse("academy:course_home", args=[course.slug])
    email_queue(
        to=[user.email],
        subject=f"You are enrolled in {course.code} {course.title}",
        body=(
            f"{actor.display_name} enrolled you in {course.code} {course.title}.\n\n"
            f"Start learning: {link}\n"
        ),
    )


@transaction.atomic
def enrollment_create(
    *,
    actor: Any,
    user: User,
    course: Course,
    organization: Organization | None = None,
    cohort: Cohort | None = None,
) -> Enrollment:
    """Enroll ``user`` in ``course``; returns the existing enrollment if there is one (a withdrawn
    one is reactivated)."""
    _authorize(actor=actor, user=user, course=course, organization=organization)
    enrolled_by = actor if actor.pk != user.pk else None
    existing = Enrollment.objects.filter(user=user, course=course).first()
    if existing is not None:
        existing = lock_row(Enrollment.objects.filter(pk=existing.pk))
        if existing.status == EnrollmentStatus.WITHDRAWN:
            existing.status = EnrollmentStatus.ACTIVE
            existing.enrolled_by = enrolled_by or existing.enrolled_by
            existing.organization = organization or existing.organization
            existing.cohort = cohort or existing.cohort
            existing.save(
                update_fields=["status", "enrolled_by", "organization", "cohort", "updated_at"]
            )
            _audit_created(actor=actor, enrollment=existing, reactivated=True)
        return existing
    try:
        with transaction.atomic():
            enrollment = Enrollment.objects.create(
                user=user,
                course=course,
                enrolled_by=enrolled_by,
                organization=organization,
                cohort=cohort,
            )
    except IntegrityError as error:
        raise Conflict(f"{user.display_name} is already enrolled in {course.code}.") from error
    _audit_created(actor=actor, enrollment=enrollment, reactivated=False)
    if enrolled_by is not None:
        _notify_enrolled(actor=actor, user=user, course=course)
    return enrollment


def _audit_created(*, actor: User, enrollment: Enrollment, reactivated: bool) -> None:
    audit_record(
        action="academy.enrollment.created",
        actor=actor,
        target=enrollment,
        data={
            "actor_id": actor.pk,
            "learner_id": enrollment.user_id,
            "course_id": enrollment.course_id,
            "organization_id": enrollment.organization_id,
            "reactivated": reactivated,
        },
    )


def can_withdraw(actor: Any, enrollment: Enrollment) -> bool:
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.pk == enrollment.user_id or is_center_staff(actor):
        return True
    return enrollment.organization is not None and can_enroll_others(actor, enrollment.organization)


@transaction.atomic
def enrollment_withdraw(*, actor: Any, enrollment: Enrollment) -> Enrollment:
    if not can_withdraw(actor, enrollment):
        raise NotFound("No such enrollment.")
    locked = lock_row(Enrollment.objects.filter(pk=enrollment.pk))
    if locked.status == EnrollmentStatus.COMPLETED:
        raise Conflict("A completed course cannot be withdrawn from.")
    if locked.status == EnrollmentStatus.WITHDRAWN:
        return locked
    locked.status = EnrollmentStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        action="academy.enrollment.withdrawn",
        actor=actor,
        target=locked,
        data={"actor_id": actor.pk, "learner_id": locked.user_id, "course_id": locked.course_id},
    )
    enrollment.status = locked.status
    return locked


def disclosures_required(enrollment: Enrollment) -> bool:
    """True while the course is a CE activity whose disclosures the learner has not yet seen."""
    if enrollment.disclosures_seen_at is not None:
        return False
    course = enrollment.course
    cached = course._state.fields_cache.get("credit_activity", False)
    if cached is not False:
        return cached is not None
    return CreditActivity.objects.filter(course_id=enrollment.course_id).exists()


@transaction.atomic
def disclosures_acknowledge(*, enrollment: Enrollment) -> Enrollment:
    if enrollment.disclosures_seen_at is None:
        now = timezone.now()
        Enrollment.objects.filter(pk=enrollment.pk, disclosures_seen_at__isnull=True).update(
            disclosures_seen_at=now, updated_at=now
        )
        enrollment.disclosures_seen_at = now
    return enrollment
