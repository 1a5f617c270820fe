"""Catalog and authoring pages and endpoints against every role: who gets in, who is refused, and
that refusals change nothing and are audited."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections

from townsquare.accounts.models import Role, User
from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.testing.matrix import (
    DENIED,
    MISSING,
    OK,
    REDIRECT_LOGIN,
    api_ids,
    assert_api_read,
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
)

from ..models import Course, Lesson, LessonAttachment, Module, Question
from ..services import catalog as services
from ..services.catalog import LessonFields
from .factories import make_course, make_enrollment, make_instructor

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "patient", "member", "instructor", "teacher", "staff"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"


@dataclass
class World:
    people: dict[str, User | None]
    course: Course
    draft: Course
    module: Module
    lesson: Lesson
    video: Lesson
    quiz_lesson: Lesson
    question: Question
    attachment: LessonAttachment


@pytest.fixture
def world() -> World:
    teacher = make_instructor(display_name="Tess Teacher")
    member = make_user(roles=(Role.MEMBER,), display_name="Mia Member")
    people: dict[str, User | None] = {
        "anonymous": None,
        "patient": make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver"),
        "member": member,
        "instructor": make_instructor(display_name="Ian Other"),
        "teacher": teacher,
        "staff": make_staff(),
    }
    course = make_course(instructors=(teacher,))
    draft = make_course(published=False, instructors=(teacher,))
    module = course.modules.order_by("position").first()
    assert module is not None
    lesson = module.lessons.order_by("position").first()
    assert lesson is not None
    video = services.lesson_create(
        actor=teacher,
        module=module,
        fields=LessonFields(
            title="Clip",
            kind="video",
            video_url="https://cdn.example.org/clip.mp4",
            captions=SimpleUploadedFile("clip.vtt", VTT),
        ),
    )
    attachment = services.attachments_add(
        actor=teacher, lesson=lesson, files=[SimpleUploadedFile("a.pdf", PDF)]
    )[0]
    quiz_lesson = Lesson.objects.get(course=course, kind="quiz")
    question = quiz_lesson.quiz.questions.order_by("position").first()
    assert question is not None
    make_enrollment(member, course)
    return World(people, course, draft, module, lesson, video, quiz_lesson, question, attachment)


AUTHORS = {"teacher": OK, "staff": OK}
INSTRUCTORS = {
    "anonymous": REDIRECT_LOGIN,
    "patient": DENIED,
    "member": DENIED,
    "instructor": OK,
    **AUTHORS,
}
AUTHOR_PAGE = {
    "anonymous": REDIRECT_LOGIN,
    "patient": DENIED,
    "member": DENIED,
    "instructor": DENIED,
    **AUTHORS,
}
DRAFT_AUTHOR_PAGE = {
    "anonymous": REDIRECT_LOGIN,
    "patient": MISSING,
    "member": MISSING,
    "instructor": MISSING,
    **AUTHORS,
}
EVERYONE = dict.fromkeys(ROLES, OK)


def written(expected: dict, status: int = 302) -> dict:
    return {role: status if value == OK else value for role, value in expected.items()}


PAGES = [
    ("academy:catalog", "get", "/academy/", EVERYONE),
    ("academy:course_detail", "get", "/academy/courses/{course}/", EVERYONE),
    (
        "academy:course_detail (draft)",
        "get",
        "/academy/courses/{draft}/",
        {**dict.fromkeys(ROLES, MISSING), **AUTHORS},
    ),
    (
        "academy:attachment_download",
        "get",
        "/academy/attachments/{attachment}/",
        {**AUTHOR_PAGE, "member": OK},
    ),
    (
        "academy:lesson_captions",
        "get",
        "/academy/lessons/{video}/captions.vtt",
        {**AUTHOR_PAGE, "member": OK},
    ),
    ("academy:authoring_courses", "get", "/academy/teach/", INSTRUCTORS),
    ("academy:authoring_course_create", "get", "/academy/teach/new/", INSTRUCTORS),
    ("academy:authoring_course", "get", "/academy/teach/{course}/", AUTHOR_PAGE),
    ("academy:authoring_course (draft)", "get", "/academy/teach/{draft}/", DRAFT_AUTHOR_PAGE),
    ("academy:authoring_course_edit", "get", "/academy/teach/{course}/edit/", AUTHOR_PAGE),
    ("academy:authoring_preview", "get", "/academy/teach/{course}/preview/", AUTHOR_PAGE),
    (
        "academy:authoring_preview (draft)",
        "get",
        "/academy/teach/{draft}/preview/",
        DRAFT_AUTHOR_PAGE,
    ),
    (
        "academy:authoring_module_edit",
        "get",
        "/academy/teach/{course}/modules/{module}/edit/",
        AUTHOR_PAGE,
    ),
    (
        "academy:authoring_lesson_create",
        "get",
        "/academy/teach/{course}/modules/{module}/lessons/new/?kind=video",
        AUTHOR_PAGE,
    ),
    ("academy:authoring_lesson", "get", "/academy/teach/{course}/lessons/{lesson}/", AUTHOR_PAGE),
    (
        "academy:authoring_lesson (quiz)",
        "get",
        "/academy/teach/{course}/lessons/{quiz_lesson}/",
        AUTHOR_PAGE,
    ),
    (
        "academy:authoring_question_create",
        "get",
        "/academy/teach/{course}/lessons/{quiz_lesson}/questions/new/?kind=short",
        AUTHOR_PAGE,
    ),
    (
        "academy:authoring_question_edit",
        "get",
        "/academy/teach/{course}/questions/{question}/",
        AUTHOR_PAGE,
    ),
]


def pdf_files() -> dict:
    return {
        "uploads": [
            SimpleUploadedFile("one.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("two.pdf", PDF, content_type="application/pdf"),
        ]
    }


COURSE_DATA = {
    "code": "NEW 101",
    "title": "A new course",
    "summary": "Summary.",
    "level": "introductory",
    "language": "en",
    "estimated_hours": "1",
    "access_tier": "member",
}

# (name, path, form data, expected by role). Data may be a function, called for fresh files.
WRITES = [
    (
        "academy:authoring_course_create",
        "/academy/teach/new/",
        COURSE_DATA,
        written(INSTRUCTORS),
    ),
    (
        "academy:authoring_course_edit",
        "/academy/teach/{course}/edit/",
        {**COURSE_DATA, "code": "{course_code}"},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_publish",
        "/academy/teach/{draft}/publish/",
        {},
        written(DRAFT_AUTHOR_PAGE),
    ),
    ("academy:authoring_unpublish", "/academy/teach/{course}/unpublish/", {}, written(AUTHOR_PAGE)),
    (
        "academy:authoring_move",
        "/academy/teach/{course}/move/",
        {"kind": "module", "item": "{module}", "direction": "down"},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_reorder",
        "/academy/teach/{course}/reorder/",
        {"kind": "lesson", "parent": "{module}", "order": "{reversed_lessons}"},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_module_create",
        "/academy/teach/{course}/modules/new/",
        {"title": "Another module"},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_module_edit",
        "/academy/teach/{course}/modules/{module}/edit/",
        {"title": "Renamed module"},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_module_delete",
        "/academy/teach/{course}/modules/{module}/delete/",
        {},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_lesson_create",
        "/academy/teach/{course}/modules/{module}/lessons/new/",
        {"title": "New lesson", "kind": "text", "estimated_minutes": "5"},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_lesson",
        "/academy/teach/{course}/lessons/{lesson}/",
        {"title": "Renamed lesson", "estimated_minutes": "5", "body": "Text"},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_lesson_delete",
        "/academy/teach/{course}/lessons/{lesson}/delete/",
        {},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_attachments_add",
        "/academy/teach/{course}/lessons/{lesson}/files/",
        pdf_files,
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_attachment_delete",
        "/academy/teach/{course}/files/{attachment}/delete/",
        {},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_question_create",
        "/academy/teach/{course}/lessons/{quiz_lesson}/questions/new/",
        {"kind": "short", "prompt": "Name it", "points": "1", "accepted_answers": "HIPAA"},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_question_edit",
        "/academy/teach/{course}/questions/{question}/",
        {"kind": "true_false", "prompt": "True?", "points": "1", "true_is_correct": "true"},
        written(AUTHOR_PAGE),
    ),
    (
        "academy:authoring_question_delete",
        "/academy/teach/{course}/questions/{question}/delete/",
        {},
        written(AUTHOR_PAGE),
    ),
]

API = [
    ("get", "/api/v1/academy/courses", None, EVERYONE),
    ("get", "/api/v1/academy/courses/{course_id}", None, EVERYONE),
    (
        "get",
        "/api/v1/academy/courses/{draft_id}",
        None,
        {**dict.fromkeys(ROLES, MISSING), **AUTHORS},
    ),
]
API_WRITES: list[tuple] = []


def fill(template: str, world: World) -> str:
    lessons = list(world.module.lessons.order_by("position").values_list("pk", flat=True))
    return template.format(
        course=world.course.slug,
        draft=world.draft.slug,
        course_id=world.course.pk,
        draft_id=world.draft.pk,
        course_code=world.course.code,
        module=world.module.pk,
        lesson=world.lesson.pk,
        video=world.video.pk,
        quiz_lesson=world.quiz_lesson.pk,
        question=world.question.pk,
        attachment=world.attachment.pk,
        reversed_lessons=",".join(map(str, lessons[::-1])),
    )


def release(response) -> None:
    """Close a response (and a download's file) without closing the test's database
    connection, which ``request_finished`` would otherwise do, as the test client avoids too."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def state() -> tuple:
    return (
        list(Course.objects.order_by("pk").values_list("pk", "code", "title", "status")),
        list(Module.objects.order_by("pk").values_list("pk", "title", "position")),
        list(Lesson.objects.order_by("pk").values_list("pk", "title", "position")),
        list(Question.objects.order_by("pk").values_list("pk", "kind", "prompt", "position")),
        list(LessonAttachment.objects.order_by("pk").values_list("pk", "title")),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    try:
        assert_page(response, expected[role])
    finally:
        release(response)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    before = state()
    payload = (
        data()
        if callable(data)
        else {
            key: fill(value, world) if isinstance(value, str) else value
            for key, value in data.items()
        }
    )
    response = client_as(world, role).post(fill(path, world), payload)
    assert_page_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, MISSING, REDIRECT_LOGIN),
        changed_otherwise=True,
        audited=True,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role], json_body=True)
