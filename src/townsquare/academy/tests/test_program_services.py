"""Program services: authoring, enrollment, and completion, with refusals that change nothing."""

from __future__ import annotations

import pytest

from townsquare.accounts.tests.factories import make_user
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

from ..models import (
    AccessTier,
    Enrollment,
    LearningStatement,
    Program,
    ProgramEnrollment,
)
from ..services import programs as services
from .factories import make_course
from .test_program_support import complete, make_program, record_certificates

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificates(monkeypatch):
    return record_certificates(monkeypatch)


def _order(program: Program) -> list[int]:
    return list(program.items.order_by("position", "pk").values_list("course_id", flat=True))


# Authoring -------------------------------------------------------------------------------------


def test_staff_create_a_published_program_and_both_are_audited(staff):
    program = services.program_create(
        actor=staff,
        title=" Social media basics ",
        slug="basics",
        summary="Start here.",
        access_tier=AccessTier.PUBLIC,
        is_published=True,
    )
    assert program.title == "Social media basics"
    actions = set(
        AuditRecord.objects.filter(
            target_type="academy.program", target_id=str(program.pk)
        ).values_list("action", flat=True)
    )
    assert actions == {"academy.program.created", "academy.program.published"}


@pytest.mark.parametrize("role", ["member", "patient"])
def test_only_staff_create_programs(request, role):
    with pytest.raises(PermissionRefused):
        services.program_create(
            actor=request.getfixturevalue(role), title="X", slug="x", summary="Y"
        )
    assert not Program.objects.exists()


def test_a_taken_address_is_refused(staff):
    make_program(title="First")
    Program.objects.update(slug="taken")
    with pytest.raises(Conflict) as caught:
        services.program_create(actor=staff, title="Second", slug="taken", summary="S")
    assert "slug" in caught.value.field_errors
    assert Program.objects.count() == 1


def test_invalid_fields_are_refused(staff):
    with pytest.raises(ValidationFailed):
        services.program_create(actor=staff, title="", slug="bad slug!", summary="S")
    assert not Program.objects.exists()


def test_publishing_through_update_is_audited(staff):
    program = make_program(published=False)
    services.program_update(actor=staff, program=program, changes={"is_published": True})
    program.refresh_from_db()
    assert program.is_published
    assert AuditRecord.objects.filter(action="academy.program.published").count() == 1


def test_a_member_cannot_update_and_nothing_changes(member):
    program = make_program(published=False)
    with pytest.raises(PermissionRefused):
        services.program_update(actor=member, program=program, changes={"is_published": True})
    program.refresh_from_db()
    assert not program.is_published


def test_update_refuses_unknown_fields(staff):
    program = make_program()
    with pytest.raises(ValidationFailed):
        services.program_update(actor=staff, program=program, changes={"id": 5})


def test_courses_are_added_at_the_end_removed_and_reordered(staff):
    program = make_program(courses=2)
    first, second = _order(program)
    third = make_course(with_quiz=False)
    item = services.program_course_add(actor=staff, program=program, course=third)
    assert _order(program) == [first, second, third.pk]
    services.program_item_move(actor=staff, program=program, item_id=item.pk, direction="up")
    assert _order(program) == [first, third.pk, second]
    services.program_item_move(actor=staff, program=program, item_id=item.pk, direction="up")
    services.program_item_move(actor=staff, program=program, item_id=item.pk, direction="up")
    assert _order(program) == [third.pk, first, second]
    services.program_course_remove(actor=staff, program=program, item_id=item.pk)
    assert _order(program) == [first, second]


def test_a_course_is_added_once(staff):
    program = make_program(courses=1)
    course = program.items.get().course
    with pytest.raises(Conflict):
        services.program_course_add(actor=staff, program=program, course=course)
    assert program.items.count() == 1


def test_reorder_must_name_every_course_once(staff):
    program = make_program(courses=3)
    before = _order(program)
    ids = list(program.items.values_list("pk", flat=True))
    with pytest.raises(ValidationFailed):
        services.program_items_reorder(actor=staff, program=program, item_ids=ids[:2])
    with pytest.raises(ValidationFailed):
        services.program_items_reorder(actor=staff, program=program, item_ids=[*ids[:2], ids[0]])
    assert _order(program) == before


def test_a_member_cannot_change_the_courses(member):
    program = make_program(courses=2)
    before = _order(program)
    item_ids = list(program.items.values_list("pk", flat=True))
    with pytest.raises(PermissionRefused):
        services.program_course_add(actor=member, program=program, course=make_course())
    with pytest.raises(PermissionRefused):
        services.program_course_remove(actor=member, program=program, item_id=item_ids[0])
    with pytest.raises(PermissionRefused):
        services.program_items_reorder(
            actor=member, program=program, item_ids=list(reversed(item_ids))
        )
    assert _order(program) == before


def test_removing_a_course_not_in_the_program_is_not_found(staff):
    program = make_program(courses=1)
    other = make_program(courses=1)
    with pytest.raises(NotFound):
        services.program_course_remove(actor=staff, program=program, item_id=other.items.get().pk)
    assert other.items.count() == 1


# Enrollment and completion ---------------------------------------------------------------------


def test_enrolling_enrolls_in_every_course_that_can_start_now(member):
    first, second, third = (make_course(with_quiz=False) for _ in range(3))
    third.prerequisites.add(second)  # the third waits for the second
    program = make_program(courses=[first, second, third])
    program_enrollment = services.program_enrollment_create(actor=member, program=program)
    assert program_enrollment.user == member
    enrolled = set(Enrollment.objects.filter(user=member).values_list("course_id", flat=True))
    assert enrolled == {first.pk, second.pk}
    assert AuditRecord.objects.filter(action="academy.program.enrolled").count() == 1


def test_a_course_already_enrolled_in_is_kept(member):
    course = make_course(with_quiz=False)
    complete(member, course)
    program = make_program(courses=[course, make_course(with_quiz=False)])
    services.program_enrollment_create(actor=member, program=program)
    assert Enrollment.objects.get(user=member, course=course).is_completed
    assert Enrollment.objects.filter(user=member).count() == 2


def test_enrolling_twice_is_a_conflict(member):
    program = make_program()
    services.program_enrollment_create(actor=member, program=program)
    with pytest.raises(Conflict):
        services.program_enrollment_create(actor=member, program=program)
    assert ProgramEnrollment.objects.count() == 1


def test_a_patient_cannot_enroll_in_a_members_program_and_nothing_changes(patient):
    program = make_program(tier=AccessTier.MEMBER)
    with pytest.raises(PermissionRefused):
        services.program_enrollment_create(actor=patient, program=program)
    assert not ProgramEnrollment.objects.exists()
    assert not Enrollment.objects.exists()


def test_a_draft_program_cannot_be_enrolled_in(member):
    program = make_program(published=False)
    with pytest.raises(NotFound):
        services.program_enrollment_create(actor=member, program=program)
    assert not ProgramEnrollment.objects.exists()


def test_completion_enrolls_the_next_course_then_completes_the_program(member, certificates):
    first, second = make_course(with_quiz=False), make_course(with_quiz=False)
    second.prerequisites.add(first)
    program = make_program(courses=[first, second])
    program_enrollment = services.program_enrollment_create(actor=member, program=program)
    assert not Enrollment.objects.filter(user=member, course=second).exists()

    complete(member, first)
    assert services.program_completion_check(user=member) == []
    assert Enrollment.objects.filter(user=member, course=second).exists()
    program_enrollment.refresh_from_db()
    assert program_enrollment.completed_at is None
    assert certificates == []

    complete(member, second)
    completed = services.program_completion_check(user=member)
    assert [row.pk for row in completed] == [program_enrollment.pk]
    program_enrollment.refresh_from_db()
    assert program_enrollment.completed_at is not None
    statement = LearningStatement.objects.get(object_type="program")
    assert (statement.verb, statement.object_id, statement.user) == (
        "completed",
        program.pk,
        member,
    )
    assert [row.pk for row in certificates] == [program_enrollment.pk]
    assert AuditRecord.objects.filter(action="academy.program.completed").count() == 1

    # A later check changes nothing: the program is completed once.
    assert services.program_completion_check(user=member) == []
    assert len(certificates) == 1
    assert LearningStatement.objects.filter(object_type="program").count() == 1


def test_an_empty_program_is_never_completed(member, certificates):
    program = make_program(courses=0)
    services.program_enrollment_create(actor=member, program=program)
    assert services.program_completion_check(user=member) == []
    assert certificates == []


def test_completing_issues_the_real_program_certificate(member):
    from ..models import Credential

    course = make_course(with_quiz=False)
    program = make_program(courses=[course])
    services.program_enrollment_create(actor=member, program=program)
    complete(member, course)
    services.program_completion_check(user=member)
    assert Credential.objects.filter(user=member, program=program).count() == 1


def test_other_peoples_programs_are_not_touched(member, certificates):
    other = make_user()
    course = make_course(with_quiz=False)
    program = make_program(courses=[course])
    services.program_enrollment_create(actor=other, program=program)
    complete(member, course)
    assert services.program_completion_check(user=member) == []
    assert ProgramEnrollment.objects.get().completed_at is None


def test_end_to_end_through_the_learning_services(member):
    """Finish each course lesson by lesson: the next course opens, then the program completes
    and its certificate is issued."""
    from ..models import Credential, CredentialKind
    from ..services import progress

    first = make_course(modules=1, lessons_per_module=1, with_quiz=False)
    second = make_course(modules=1, lessons_per_module=1, with_quiz=False)
    second.prerequisites.add(first)
    program = make_program(courses=[first, second])
    program_enrollment = services.program_enrollment_create(actor=member, program=program)
    for course in (first, second):
        enrollment = Enrollment.objects.get(user=member, course=course)
        progress.lesson_complete(enrollment=enrollment, lesson=course.lessons.get())
    program_enrollment.refresh_from_db()
    assert program_enrollment.completed_at is not None
    assert Credential.objects.filter(
        user=member, program=program, kind=CredentialKind.PROGRAM
    ).exists()
