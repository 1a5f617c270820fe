"""Authoring the catalog: courses, modules, lessons, attachments, quizzes and their questions,
ordering, publishing. Every write is one atomic service; the search index follows the course."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from townsquare.accounts.models import Role, User
from townsquare.core.audit import audit_record
from townsquare.core.errors import NotFound, ValidationFailed, validated
from townsquare.core.locks import lock_row
from townsquare.core.search import markdown_text, search_index, search_remove
from townsquare.core.uploads import (
    UploadKind,
    document_kind,
    generated_name,
    image_kind,
    upload_validate,
)

from ..models import (
    AccessTier,
    Choice,
    Course,
    CourseAudience,
    CourseStatus,
    Lesson,
    LessonAttachment,
    LessonKind,
    Level,
    Module,
    Question,
    QuestionKind,
    Quiz,
    Topic,
)

SEARCH_KIND = "course"
COVER_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024
CAPTIONS_MAX_BYTES = 2 * 1024 * 1024
MAX_ATTACHMENTS_PER_UPLOAD = 20
CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE}


def _stored_name(extension: str) -> str:
    """yyyy/mm/<random><ext>; the field's ``upload_to`` adds the folder in front."""
    return generated_name("", extension).lstrip("/")


def attachment_kind() -> UploadKind:
    return document_kind(ATTACHMENT_MAX_BYTES)


# --- Search -------------------------------------------------------------------------------------


def course_document_text(course: Course) -> dict[str, str]:
    """The searchable text of a course: code and title, topics and instructors, the summary."""
    topics = " ".join(topic.name for topic in course.topics.all())
    instructors = " ".join(person.display_name for person in course.instructors.all())
    return {
        "title": f"{course.code} {course.title}",
        "keywords": f"{course.code} {topics} {instructors}",
        "body": markdown_text(course.summary),
    }


def course_search_sync(*, course: Course) -> None:
    """Index a published course; take any other out of the index. Runs inside the caller's
    transaction, so a rolled-back write leaves the index as it was."""
    if course.is_published:
        search_index(SEARCH_KIND, course.pk, **course_document_text(course))
    else:
        search_remove(SEARCH_KIND, course.pk)


# --- Courses ------------------------------------------------------------------------------------


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:100] or "course"
    slug, number = base, 2
    taken = Course.objects.all() if exclude_pk is None else Course.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{number}"
        number += 1
    return slug


def _topics_from(names: Iterable[str]) -> list[Topic]:
    topics: list[Topic] = []
    seen: set[str] = set()
    for raw in names:
        name = " ".join(str(raw).split())[:80]
        slug = slugify(name)[:80]
        if not name or not slug or slug in seen:
            continue
        seen.add(slug)
        topic = Topic.objects.filter(slug=slug).first() or Topic.objects.create(
            name=name, slug=slug
        )
        topics.append(topic)
    return topics


def _check_instructors(instructors: Sequence[User]) -> None:
    for person in instructors:
        if Role.INSTRUCTOR not in person.role_set and not person.is_superuser:
            message = f"{person.email} does not have the instructor role."
            raise ValidationFailed(message, field_errors={"instructors": [message]})


def _validated_cover(cover_image: UploadedFile | None) -> Any:
    if cover_image is None:
        return None
    return upload_validate(cover_image, kind=image_kind(COVER_MAX_BYTES), field_name="cover_image")


@dataclass
class CourseFields:
    """What an author edits on a course (the form's cleaned data)."""

    code: str
    title: str
    summary: str
    level: str = Level.INTRODUCTORY
    language: str = "en"
    estimated_hours: Decimal = Decimal("1")
    access_tier: str = AccessTier.MEMBER
    topic_names: Sequence[str] = ()
    professions: Sequence[str] = ()
    instructors: Sequence[User] = ()
    prerequisites: Sequence[Course] = ()
    cover_image: UploadedFile | None = None


def _apply_course_fields(course: Course, fields: CourseFields) -> None:
    course.code = " ".join(fields.code.split())
    course.title = fields.title.strip()
    course.summary = fields.summary
    course.level = fields.level
    course.language = fields.language or "en"
    course.estimated_hours = fields.estimated_hours
    course.access_tier = fields.access_tier
    if Course.objects.exclude(pk=course.pk).filter(code__iexact=course.code).exists():
        message = f"Another course already has the code {course.code}."
        raise ValidationFailed(message, field_errors={"code": [message]})
    for prerequisite in fields.prerequisites:
        if prerequisite.pk == course.pk:
            message = "A course cannot be its own prerequisite."
            raise ValidationFailed(message, field_errors={"prerequisites": [message]})
    _check_instructors(fields.instructors)


def _save_relations(course: Course, fields: CourseFields, cover: Any) -> None:
    if cover is not None:
        course.cover_image.save(_stored_name(cover.extension), cover.file, save=False)
        course.save(update_fields=["cover_image", "updated_at"])
    course.topics.set(_topics_from(fields.topic_names))
    course.instructors.set(fields.instructors)
    course.prerequisites.set(fields.prerequisites)
    CourseAudience.objects.filter(course=course).exclude(
        profession__in=list(fields.professions)
    ).delete()
    existing = set(course.audience.values_list("profession", flat=True))
    CourseAudience.objects.bulk_create(
        [
            CourseAudience(course=course, profession=profession)
            for profession in dict.fromkeys(fields.professions)
            if profession not in existing
        ]
    )


@transaction.atomic
def course_create(*, actor: User, fields: CourseFields) -> Course:
    """A new draft course. Its creator teaches it unless staff chose other instructors."""
    cover = _validated_cover(fields.cover_image)
    course = Course(created_by=actor, status=CourseStatus.DRAFT)
    if not fields.instructors and Role.INSTRUCTOR in actor.role_set:
        fields.instructors = [actor]
    _apply_course_fields(course, fields)
    course.slug = _unique_slug(course.title)
    validated(course, exclude=["cover_image"])
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError as error:
        raise ValidationFailed(
            "A course with this code or address exists already.",
            field_errors={"code": ["A course with this code exists already."]},
        ) from error
    _save_relations(course, fields, cover)
    audit_record(
        action="academy.course.created", actor=actor, target=course, data={"code": course.code}
    )
    return course


@transaction.atomic
def course_update(*, actor: User, course: Course, fields: CourseFields) -> Course:
    cover = _validated_cover(fields.cover_image)
    course = lock_row(Course.objects.filter(pk=course.pk))
    if not fields.instructors and Role.INSTRUCTOR in actor.role_set:
        fields.instructors = [actor]
    _apply_course_fields(course, fields)
    validated(course, exclude=["cover_image", "slug"])
    try:
        with transaction.atomic():
            course.save()
    except IntegrityError as error:
        raise ValidationFailed(
            "A course with this code exists already.",
            field_errors={"code": ["A course with this code exists already."]},
        ) from error
    _save_relations(course, fields, cover)
    course_search_sync(course=course)
    return course


def course_publish_problems(*, course: Course) -> list[str]:
    """Everything that stops a course from being published, in words an author can act on."""
    problems: list[str] = []
    lessons = list(
        Lesson.objects.filter(course=course)
        .select_related("module")
        .prefetch_related("quiz__questions__choices")
    )
    if not lessons:
        problems.append("Add at least one lesson.")
    for lesson in lessons:
        where = f"“{lesson.title}” (module “{lesson.module.title}”)"
        if lesson.kind == LessonKind.VIDEO and not (lesson.captions or lesson.transcript.strip()):
            problems.append(f"The video lesson {where} needs captions or a transcript.")
        if lesson.kind != LessonKind.QUIZ:
            continue
        quiz = getattr(lesson, "quiz", None)
        questions = list(quiz.questions.all()) if quiz is not None else []
        if not questions:
            problems.append(f"The quiz {where} has no questions.")
            continue
        if (
            quiz is not None
            and quiz.questions_per_attempt
            and len(questions) < quiz.questions_per_attempt
        ):
            problems.append(
                f"The quiz {where} draws {quiz.questions_per_attempt} questions per attempt "
                f"but has only {len(questions)}."
            )
        for number, question in enumerate(questions, start=1):
            problem = question_problem(question, list(question.choices.all()))
            if problem:
                problems.append(f"Question {number} of the quiz {where}: {problem}")
    return problems


def question_problem(question: Question, choices: Sequence[Choice]) -> str:
    correct = sum(1 for choice in choices if choice.is_correct)
    if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        if len(choices) < 2:
            return "give at least two choices."
        if correct != 1:
            return "mark exactly one choice correct."
    elif question.kind == QuestionKind.MULTIPLE:
        if len(choices) < 2:
            return "give at least two choices."
        if correct < 1:
            return "mark at least one choice correct."
    elif question.kind == QuestionKind.SHORT and not [a for a in question.accepted_answers if a]:
        return "give at least one accepted answer."
    return ""


@transaction.atomic
def course_publish(*, actor: User | None, course: Course) -> Course:
    course = lock_row(Course.objects.filter(pk=course.pk))
    problems = course_publish_problems(course=course)
    if problems:
        raise ValidationFailed(
            "The course cannot be published yet: " + " ".join(problems),
            field_errors={"publish": problems},
        )
    course.status = CourseStatus.PUBLISHED
    course.published_at = course.published_at or timezone.now()
    course.save(update_fields=["status", "published_at", "updated_at"])
    course_search_sync(course=course)
    audit_record(
        action="academy.course.published", actor=actor, target=course, data={"code": course.code}
    )
    return course


@transaction.atomic
def course_unpublish(*, actor: User | None, course: Course) -> Course:
    course = lock_row(Course.objects.filter(pk=course.pk))
    course.status = CourseStatus.DRAFT
    course.save(update_fields=["status", "updated_at"])
    course_search_sync(course=course)
    audit_record(
        action="academy.course.unpublished", actor=actor, target=course, data={"code": course.code}
    )
    return course


# --- Modules ------------------------------------------------------------------------------------


def _next_position(queryset: Any) -> int:
    highest = queryset.aggregate(highest=Max("position"))["highest"]
    return 0 if highest is None else highest + 1


def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        message = f"Enter a {label}."
        raise ValidationFailed(message, field_errors={field: [message]})
    return value


@transaction.atomic
def module_create(*, actor: User | None, course: Course, title: str, summary: str = "") -> Module:
    lock_row(Course.objects.filter(pk=course.pk))
    module = Module(
        course=course,
        title=_required(title, "title", "title"),
        summary=summary,
        position=_next_position(course.modules.all()),
    )
    validated(module)
    module.save()
    audit_record(action="academy.module.created", actor=actor, target=module)
    return module


@transaction.atomic
def module_update(*, actor: User | None, module: Module, title: str, summary: str = "") -> Module:
    module.title = _required(title, "title", "title")
    module.summary = summary
    validated(module)
    module.save()
    return module


@transaction.atomic
def module_delete(*, actor: User | None, module: Module) -> None:
    audit_record(action="academy.module.deleted", actor=actor, target=module)
    module.delete()


# --- Lessons ------------------------------------------------------------------------------------


@dataclass
class LessonFields:
    title: str
    kind: str = LessonKind.TEXT
    body: str = ""
    video_url: str = ""
    captions: UploadedFile | None = None
    remove_captions: bool = False
    transcript: str = ""
    discussion_prompt: str = ""
    is_required: bool = True
    estimated_minutes: int = 10
    pass_mark: int = 80
    attempt_limit: int | None = None
    questions_per_attempt: int | None = None


def captions_validate(upload: UploadedFile) -> None:
    name = PurePath(upload.name or "").name
    message = ""
    if PurePath(name).suffix.lower() != ".vtt":
        message = f"“{name}” is not a WebVTT captions file (.vtt)."
    elif not upload.size or upload.size > CAPTIONS_MAX_BYTES:
        message = f"“{name}” is empty or larger than 2 MB."
    else:
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        if not head.removeprefix(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
            message = f"“{name}” does not start with WEBVTT, so it is not a WebVTT captions file."
    if message:
        raise ValidationFailed(message, field_errors={"captions": [message]})


def _apply_lesson_fields(lesson: Lesson, fields: LessonFields) -> None:
    lesson.title = _required(fields.title, "title", "title")
    lesson.body = fields.body
    lesson.transcript = fields.transcript
    lesson.discussion_prompt = fields.discussion_prompt
    lesson.is_required = fields.is_required
    lesson.estimated_minutes = fields.estimated_minutes
    lesson.video_url = fields.video_url.strip() if lesson.kind == LessonKind.VIDEO else ""
    if fields.captions is not None:
        captions_validate(fields.captions)
    if lesson.kind == LessonKind.VIDEO:
        if not lesson.video_url:
            message = "A video lesson needs the video's address (URL)."
            raise ValidationFailed(message, field_errors={"video_url": [message]})
        keeps_captions = bool(lesson.captions) and not fields.remove_captions
        if fields.captions is None and not keeps_captions and not lesson.transcript.strip():
            message = (
                "A video lesson needs captions (a .vtt file) or a transcript, so everyone can "
                "follow it. Add at least one."
            )
            raise ValidationFailed(
                message, field_errors={"captions": [message], "transcript": [message]}
            )
    if lesson.kind == LessonKind.DISCUSSION and not lesson.discussion_prompt.strip():
        message = "A discussion lesson needs a prompt."
        raise ValidationFailed(message, field_errors={"discussion_prompt": [message]})


def _save_captions(lesson: Lesson, fields: LessonFields) -> None:
    if fields.captions is not None:
        lesson.captions.save(_stored_name(".vtt"), fields.captions, save=False)
    elif fields.remove_captions and lesson.captions:
        lesson.captions = ""  # type: ignore[assignment]
    lesson.save()


def _quiz_settings(quiz: Quiz, fields: LessonFields) -> None:
    quiz.pass_mark = fields.pass_mark
    quiz.attempt_limit = fields.attempt_limit
    quiz.questions_per_attempt = fields.questions_per_attempt
    if not 0 <= quiz.pass_mark <= 100:
        message = "The pass mark is a percentage from 0 to 100."
        raise ValidationFailed(message, field_errors={"pass_mark": [message]})
    if quiz.attempt_limit is not None and quiz.attempt_limit < 1:
        message = "Allow at least one attempt, or leave the limit empty."
        raise ValidationFailed(message, field_errors={"attempt_limit": [message]})
    if quiz.questions_per_attempt is not None and quiz.questions_per_attempt < 1:
        message = "Draw at least one question, or leave it empty for all."
        raise ValidationFailed(message, field_errors={"questions_per_attempt": [message]})
    quiz.save()


@transaction.atomic
def lesson_create(*, actor: User | None, module: Module, fields: LessonFields) -> Lesson:
    lock_row(Course.objects.filter(pk=module.course_id))
    if fields.kind not in LessonKind.values:
        raise ValidationFailed("Choose a kind of lesson.", field_errors={"kind": ["Choose one."]})
    lesson = Lesson(
        module=module,
        course_id=module.course_id,
        kind=fields.kind,
        position=_next_position(module.lessons.all()),
    )
    _apply_lesson_fields(lesson, fields)
    validated(lesson, exclude=["captions"])
    _save_captions(lesson, fields)
    if lesson.kind == LessonKind.QUIZ:
        _quiz_settings(Quiz(lesson=lesson), fields)
    audit_record(action="academy.lesson.created", actor=actor, target=lesson)
    return lesson


@transaction.atomic
def lesson_update(*, actor: User | None, lesson: Lesson, fields: LessonFields) -> Lesson:
    lesson = lock_row(Lesson.objects.filter(pk=lesson.pk))
    _apply_lesson_fields(lesson, fields)
    validated(lesson, exclude=["captions"])
    _save_captions(lesson, fields)
    if lesson.kind == LessonKind.QUIZ:
        quiz = Quiz.objects.filter(lesson=lesson).first() or Quiz(lesson=lesson)
        _quiz_settings(quiz, fields)
    return lesson


@transaction.atomic
def lesson_delete(*, actor: User | None, lesson: Lesson) -> None:
    audit_record(action="academy.lesson.deleted", actor=actor, target=lesson)
    lesson.delete()


@transaction.atomic
def attachments_add(
    *, actor: User | None, lesson: Lesson, files: Sequence[UploadedFile]
) -> list[LessonAttachment]:
    """Add several files at once. Every file is checked before any is stored: one bad file
    refuses the whole upload and says which one."""
    if not files:
        message = "Choose one or more files to upload."
        raise ValidationFailed(message, field_errors={"files": [message]})
    if len(files) > MAX_ATTACHMENTS_PER_UPLOAD:
        message = f"Upload at most {MAX_ATTACHMENTS_PER_UPLOAD} files at a time."
        raise ValidationFailed(message, field_errors={"files": [message]})
    checked = [upload_validate(file, kind=attachment_kind(), field_name="files") for file in files]
    lock_row(Lesson.objects.filter(pk=lesson.pk))
    position = _next_position(lesson.attachments.all())
    created: list[LessonAttachment] = []
    for offset, upload in enumerate(checked):
        attachment = LessonAttachment(
            lesson=lesson,
            title=PurePath(upload.original_name).stem[:200] or "Download",
            original_name=upload.original_name[:255],
            size=upload.file.size or 0,
            content_type=upload.content_type,
            position=position + offset,
        )
        attachment.file.save(_stored_name(upload.extension), upload.file, save=False)
        attachment.save()
        created.append(attachment)
    audit_record(
        action="academy.attachments.added",
        actor=actor,
        target=lesson,
        data={"count": len(created)},
    )
    return created


@transaction.atomic
def attachment_delete(*, actor: User | None, attachment: LessonAttachment) -> None:
    attachment.file.delete(save=False)
    attachment.delete()


# --- Questions ----------------------------------------------------------------------------------


@dataclass
class ChoiceFields:
    text: str
    is_correct: bool = False
    feedback: str = ""


@dataclass
class QuestionFields:
    kind: str
    prompt: str
    explanation: str = ""
    points: int = 1
    accepted_answers: Sequence[str] = ()
    choices: Sequence[ChoiceFields] = ()
    true_is_correct: bool | None = None


def _prepared_choices(fields: QuestionFields) -> list[ChoiceFields]:
    if fields.kind == QuestionKind.TRUE_FALSE:
        if fields.true_is_correct is None:
            message = "Say whether the statement is true or false."
            raise ValidationFailed(message, field_errors={"true_is_correct": [message]})
        feedback = [choice.feedback for choice in fields.choices] + ["", ""]
        return [
            ChoiceFields("True", fields.true_is_correct, feedback[0]),
            ChoiceFields("False", not fields.true_is_correct, feedback[1]),
        ]
    if fields.kind in CHOICE_KINDS:
        return [
            ChoiceFields(choice.text.strip()[:500], choice.is_correct, choice.feedback[:500])
            for choice in fields.choices
            if choice.text.strip()
        ]
    return []


def _question_write(question: Question, fields: QuestionFields) -> Question:
    if fields.kind not in QuestionKind.values:
        raise ValidationFailed("Choose a kind of question.", field_errors={"kind": ["Choose."]})
    question.kind = fields.kind
    question.prompt = _required(fields.prompt, "prompt", "question")
    question.explanation = fields.explanation
    question.points = fields.points
    question.accepted_answers = (
        [" ".join(answer.split()) for answer in fields.accepted_answers if answer.strip()]
        if fields.kind == QuestionKind.SHORT
        else []
    )
    choices = _prepared_choices(fields)
    problem = question_problem(
        question, [Choice(text=c.text, is_correct=c.is_correct) for c in choices]
    )
    if problem:
        field = "accepted_answers" if fields.kind == QuestionKind.SHORT else "choices"
        message = problem[0].upper() + problem[1:]
        raise ValidationFailed(message, field_errors={field: [message]})
    validated(question, exclude=["quiz"] if question.quiz_id is None else None)
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(
        [
            Choice(
                question=question,
                text=choice.text,
                is_correct=choice.is_correct,
                feedback=choice.feedback,
                position=position,
            )
            for position, choice in enumerate(choices)
        ]
    )
    return question


@transaction.atomic
def question_create(*, actor: User | None, quiz: Quiz, fields: QuestionFields) -> Question:
    lock_row(Quiz.objects.filter(pk=quiz.pk))
    question = Question(quiz=quiz, position=_next_position(quiz.questions.all()))
    return _question_write(question, fields)


@transaction.atomic
def question_update(*, actor: User | None, question: Question, fields: QuestionFields) -> Question:
    question = lock_row(Question.objects.filter(pk=question.pk))
    return _question_write(question, fields)


@transaction.atomic
def question_delete(*, actor: User | None, question: Question) -> None:
    question.delete()


# --- Ordering -----------------------------------------------------------------------------------

ORDERABLE = {"module", "lesson", "question"}


def _siblings(*, course: Course, kind: str, parent_id: Any) -> Any:
    if kind == "module":
        return Module.objects.filter(course=course)
    if kind == "lesson":
        return Lesson.objects.filter(course=course, module_id=parent_id)
    if kind == "question":
        return Question.objects.filter(quiz__lesson__course=course, quiz_id=parent_id)
    raise ValidationFailed("Choose modules, lessons or questions to reorder.")


@transaction.atomic
def items_reorder(
    *,
    actor: User | None,
    course: Course,
    kind: str,
    parent_id: int | None,
    ordered_ids: Sequence[int],
) -> None:
    """Put the modules of a course, the lessons of a module or the questions of a quiz in this
    order. The ids must be exactly the current items, so a stale page cannot lose one."""
    lock_row(Course.objects.filter(pk=course.pk))
    siblings = _siblings(course=course, kind=kind, parent_id=parent_id)
    current = list(siblings.order_by("position", "pk").values_list("pk", flat=True))
    ordered = [int(item) for item in ordered_ids]
    if sorted(current) != sorted(ordered) or len(set(ordered)) != len(ordered):
        raise ValidationFailed(
            "The list changed since the page was loaded; reload the page and try again."
        )
    model = siblings.model
    rows = list(model.objects.filter(pk__in=ordered))
    position_of = {pk: position for position, pk in enumerate(ordered)}
    for row in rows:
        row.position = position_of[row.pk]
    model.objects.bulk_update(rows, ["position"])


@transaction.atomic
def item_move(
    *, actor: User | None, course: Course, kind: str, item_id: int, direction: str
) -> None:
    """Move one module, lesson or question up or down by one place (the keyboard way)."""
    if kind not in ORDERABLE or direction not in {"up", "down"}:
        raise ValidationFailed("Say what to move, and whether up or down.")
    if kind == "module":
        parent_id = None
        exists = Module.objects.filter(course=course, pk=item_id).exists()
    elif kind == "lesson":
        parent_id = (
            Lesson.objects.filter(course=course, pk=item_id)
            .values_list("module_id", flat=True)
            .first()
        )
        exists = parent_id is not None
    else:
        parent_id = (
            Question.objects.filter(quiz__lesson__course=course, pk=item_id)
            .values_list("quiz_id", flat=True)
            .first()
        )
        exists = parent_id is not None
    if not exists:
        raise NotFound("That item is not in this course.")
    siblings = _siblings(course=course, kind=kind, parent_id=parent_id)
    ordered = list(siblings.order_by("position", "pk").values_list("pk", flat=True))
    index = ordered.index(item_id)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    items_reorder(actor=actor, course=course, kind=kind, parent_id=parent_id, ordered_ids=ordered)
