"""Authoring services: every rule refuses with a clear message and writes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townsquare.core.errors import NotFound, ValidationFailed
from townsquare.core.models import AuditRecord
from townsquare.core.search import search_ids

from ..models import (
    Choice,
    Course,
    CourseStatus,
    Lesson,
    LessonAttachment,
    LessonKind,
    Module,
    Question,
    QuestionKind,
    Topic,
)
from ..services import catalog as services
from ..services.catalog import ChoiceFields, CourseFields, LessonFields, QuestionFields
from .factories import make_course, make_instructor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"


def pdf(name: str = "handout.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fields(**overrides: Any) -> CourseFields:
    values: dict[str, Any] = {
        "code": "GSM 201",
        "title": "Video for Clinicians",
        "summary": "Short **videos** that teach.",
        "estimated_hours": Decimal("1.5"),
        "topic_names": ["Video", "privacy"],
    }
    values.update(overrides)
    return CourseFields(**values)


def new_course(actor=None, **overrides) -> Course:
    actor = actor or make_instructor(display_name="Ivy Instructor")
    return services.course_create(actor=actor, fields=fields(**overrides))


def choices(*rows: tuple[str, bool]) -> list[ChoiceFields]:
    return [ChoiceFields(text, correct) for text, correct in rows]


def quiz_lesson(course: Course, **quiz) -> Lesson:
    actor = course.instructors.first()
    module = services.module_create(actor=actor, course=course, title="Quiz module")
    return services.lesson_create(
        actor=actor,
        module=module,
        fields=LessonFields(title="Check", kind=LessonKind.QUIZ, pass_mark=70, **quiz),
    )


def test_course_create_makes_a_draft_taught_by_its_creator():
    instructor = make_instructor(display_name="Ivy Instructor")
    Topic.objects.create(name="Privacy", slug="privacy")
    course = new_course(instructor)
    assert course.status == CourseStatus.DRAFT
    assert course.slug == "video-for-clinicians"
    assert list(course.instructors.all()) == [instructor]
    assert sorted(course.topics.values_list("name", flat=True)) == ["Privacy", "Video"]
    assert AuditRecord.objects.filter(action="academy.course.created").count() == 1
    assert new_course(instructor, code="GSM 202").slug == "video-for-clinicians-2"


def test_course_code_must_be_unique_and_nothing_is_written():
    new_course()
    before = Course.objects.count()
    with pytest.raises(ValidationFailed) as error:
        new_course(code="gsm 201")
    assert "code" in error.value.field_errors
    assert Course.objects.count() == before


def test_instructors_must_hold_the_instructor_role(member):
    with pytest.raises(ValidationFailed, match="instructor role"):
        new_course(instructors=[member])
    assert not Course.objects.exists()


def test_course_update_reindexes_a_published_course():
    instructor = make_instructor()
    course = make_course(title="Old name", instructors=(instructor,))
    services.course_search_sync(course=course)
    services.course_update(
        actor=instructor,
        course=course,
        fields=fields(code=course.code, title="Hashtags in oncology"),
    )
    assert search_ids("course", "oncology") == [course.pk]
    assert search_ids("course", "Old name") == []


def test_video_lesson_needs_url_and_captions_or_transcript():
    course = new_course()
    actor = course.instructors.first()
    module = services.module_create(actor=actor, course=course, title="Intro")
    with pytest.raises(ValidationFailed, match="captions"):
        services.lesson_create(
            actor=actor,
            module=module,
            fields=LessonFields(
                title="Clip", kind=LessonKind.VIDEO, video_url="https://v.example/a.mp4"
            ),
        )
    with pytest.raises(ValidationFailed, match="URL"):
        services.lesson_create(
            actor=actor, module=module, fields=LessonFields(title="Clip", kind=LessonKind.VIDEO)
        )
    bad = SimpleUploadedFile("c.vtt", b"hello there\n")
    with pytest.raises(ValidationFailed, match="WEBVTT"):
        services.lesson_create(
            actor=actor,
            module=module,
            fields=LessonFields(
                title="Clip",
                kind=LessonKind.VIDEO,
                video_url="https://v.example/a.mp4",
                captions=bad,
            ),
        )
    assert not Lesson.objects.exists()
    lesson = services.lesson_create(
        actor=actor,
        module=module,
        fields=LessonFields(
            title="Clip",
            kind=LessonKind.VIDEO,
            video_url="https://v.example/a.mp4",
            captions=SimpleUploadedFile("c.vtt", VTT),
        ),
    )
    assert str(lesson.captions.name).endswith(".vtt")
    transcript_only = services.lesson_create(
        actor=actor,
        module=module,
        fields=LessonFields(
            title="Clip 2",
            kind=LessonKind.VIDEO,
            video_url="https://v.example/b.mp4",
            transcript="Words",
        ),
    )
    assert transcript_only.position == 1


def test_attachments_add_several_at_once_and_refuses_all_for_one_bad_file():
    course = new_course()
    actor = course.instructors.first()
    module = services.module_create(actor=actor, course=course, title="Reading")
    lesson = services.lesson_create(
        actor=actor, module=module, fields=LessonFields(title="Handouts", kind="attachments")
    )
    fake = SimpleUploadedFile("evil.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(ValidationFailed, match="evil.pdf"):
        services.attachments_add(actor=actor, lesson=lesson, files=[pdf("a.pdf"), fake])
    assert not LessonAttachment.objects.exists()
    added = services.attachments_add(
        actor=actor, lesson=lesson, files=[pdf("Policy one.pdf"), pdf("Policy two.pdf")]
    )
    assert [a.title for a in added] == ["Policy one", "Policy two"]
    assert [a.position for a in added] == [0, 1]
    assert all(a.content_type == "application/pdf" for a in added)
    with pytest.raises(ValidationFailed):
        services.attachments_add(actor=actor, lesson=lesson, files=[])


@pytest.mark.parametrize(
    ("kind", "rows", "answers", "message"),
    [
        (QuestionKind.SINGLE, [("A", True), ("B", True)], [], "exactly one"),
        (QuestionKind.SINGLE, [("A", False), ("B", False)], [], "exactly one"),
        (QuestionKind.SINGLE, [("A", True)], [], "two choices"),
        (QuestionKind.MULTIPLE, [("A", False), ("B", False)], [], "at least one"),
        (QuestionKind.SHORT, [], ["  "], "accepted answer"),
    ],
)
def test_question_rules(kind, rows, answers, message):
    quiz = quiz_lesson(new_course()).quiz
    with pytest.raises(ValidationFailed, match=message):
        services.question_create(
            actor=None,
            quiz=quiz,
            fields=QuestionFields(
                kind=kind, prompt="Q?", choices=choices(*rows), accepted_answers=answers
            ),
        )
    assert not Question.objects.exists()
    assert not Choice.objects.exists()


def test_true_false_choices_are_made_for_you_and_update_replaces_choices():
    quiz = quiz_lesson(new_course()).quiz
    with pytest.raises(ValidationFailed, match="true or false"):
        services.question_create(
            actor=None, quiz=quiz, fields=QuestionFields(kind="true_false", prompt="Sky is blue")
        )
    question = services.question_create(
        actor=None,
        quiz=quiz,
        fields=QuestionFields(kind="true_false", prompt="Sky is blue", true_is_correct=False),
    )
    assert list(question.choices.values_list("text", "is_correct")) == [
        ("True", False),
        ("False", True),
    ]
    services.question_update(
        actor=None,
        question=question,
        fields=QuestionFields(
            kind="multiple", prompt="Pick", choices=choices(("A", True), ("B", True), ("", True))
        ),
    )
    assert list(question.choices.values_list("text", flat=True)) == ["A", "B"]
    short = services.question_create(
        actor=None,
        quiz=quiz,
        fields=QuestionFields(
            kind="short", prompt="Law?", accepted_answers=["HIPAA ", "", "  x  y "]
        ),
    )
    assert short.accepted_answers == ["HIPAA", "x y"]
    assert short.position == 1


def test_publish_reports_every_problem_and_changes_nothing():
    course = new_course()
    with pytest.raises(ValidationFailed) as error:
        services.course_publish(actor=None, course=course)
    assert error.value.field_errors["publish"] == ["Add at least one lesson."]
    lesson = quiz_lesson(course, questions_per_attempt=2)
    module = lesson.module
    Lesson.objects.create(
        module=module, course=course, title="Raw video", kind="video", video_url="https://x.org/v"
    )
    question = services.question_create(
        actor=None,
        quiz=lesson.quiz,
        fields=QuestionFields(
            kind="single", prompt="Q", choices=choices(("A", True), ("B", False))
        ),
    )
    Choice.objects.filter(question=question).update(is_correct=False)
    with pytest.raises(ValidationFailed) as error:
        services.course_publish(actor=None, course=course)
    problems = error.value.field_errors["publish"]
    assert any("needs captions or a transcript" in p for p in problems)
    assert any("draws 2 questions per attempt but has only 1" in p for p in problems)
    assert any("mark exactly one choice correct" in p for p in problems)
    course.refresh_from_db()
    assert course.status == CourseStatus.DRAFT
    assert not AuditRecord.objects.filter(action="academy.course.published").exists()


def test_publish_and_unpublish_follow_search_and_audit():
    course = new_course(title="Podcasting for pharmacists")
    lesson = quiz_lesson(course)
    services.question_create(
        actor=None,
        quiz=lesson.quiz,
        fields=QuestionFields(
            kind="single", prompt="Q", choices=choices(("A", True), ("B", False))
        ),
    )
    assert search_ids("course", "podcasting") == []
    services.course_publish(actor=course.instructors.first(), course=course)
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED
    assert course.published_at
    assert search_ids("course", "podcast") == [course.pk]
    assert search_ids("course", "Ivy") == [course.pk]  # instructor names are indexed
    assert AuditRecord.objects.filter(action="academy.course.published").count() == 1
    services.course_unpublish(actor=None, course=course)
    assert search_ids("course", "podcasting") == []
    assert AuditRecord.objects.filter(action="academy.course.unpublished").count() == 1


def test_reorder_and_move():
    course = make_course(published=False, with_quiz=True)
    modules = list(Module.objects.filter(course=course).order_by("position"))
    ids = [m.pk for m in modules]
    services.items_reorder(
        actor=None, course=course, kind="module", parent_id=None, ordered_ids=ids[::-1]
    )
    assert (
        list(Module.objects.filter(course=course).order_by("position").values_list("pk", flat=True))
        == ids[::-1]
    )
    with pytest.raises(ValidationFailed, match="reload"):
        services.items_reorder(
            actor=None, course=course, kind="module", parent_id=None, ordered_ids=ids[:1]
        )
    first_module = modules[0]
    lessons = list(first_module.lessons.order_by("position").values_list("pk", flat=True))
    services.item_move(
        actor=None, course=course, kind="lesson", item_id=lessons[0], direction="down"
    )
    assert (
        list(first_module.lessons.order_by("position").values_list("pk", flat=True))
        == lessons[::-1]
    )
    quiz = Lesson.objects.get(course=course, kind="quiz").quiz
    questions = list(quiz.questions.order_by("position").values_list("pk", flat=True))
    services.item_move(
        actor=None, course=course, kind="question", item_id=questions[2], direction="up"
    )
    assert list(quiz.questions.order_by("position").values_list("pk", flat=True)) == [
        questions[0],
        questions[2],
        questions[1],
    ]
    # Moving the first item up changes nothing; another course's item is not found.
    services.item_move(
        actor=None, course=course, kind="question", item_id=questions[0], direction="up"
    )
    other = make_course()
    with pytest.raises(NotFound):
        services.item_move(
            actor=None, course=other, kind="question", item_id=questions[0], direction="up"
        )


def test_search_rebuild_indexes_published_courses_only():
    from townsquare.core.search import search_rebuild

    published = make_course(title="Rebuilt course")
    make_course(title="Rebuilt draft", published=False)
    result = search_rebuild("course")
    assert result.indexed == 1
    assert search_ids("course", "rebuilt") == [published.pk]
