"""Authoring pages end to end with the test client: forms, uploads, questions, order, publishing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townsquare.core.search import search_ids

from ..models import Course, CourseStatus, Lesson, LessonAttachment, Module, Question, Topic
from .factories import make_course, make_instructor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def course_data(**overrides):
    data = {
        "code": "GSM 301",
        "title": "Live video for clinicians",
        "summary": "Go **live** safely.",
        "level": "intermediate",
        "new_topics": "Video, Live streaming",
        "professions": ["nurse", "physician"],
        "language": "en",
        "estimated_hours": "2",
        "access_tier": "member",
    }
    data.update(overrides)
    return data


def test_instructor_builds_and_publishes_a_course(client_for):
    instructor = make_instructor(display_name="Ivy Instructor")
    Topic.objects.create(name="Privacy", slug="privacy")
    client = client_for(instructor)
    assert client.get("/academy/teach/new/").status_code == 200
    privacy = Topic.objects.get(slug="privacy")
    response = client.post("/academy/teach/new/", course_data(existing_topics=[privacy.pk]))
    course = Course.objects.get(code="GSM 301")
    assert response.status_code == 302
    assert response["Location"] == f"/academy/teach/{course.slug}/"
    assert sorted(course.topics.values_list("name", flat=True)) == [
        "Live streaming",
        "Privacy",
        "Video",
    ]
    assert sorted(course.audience.values_list("profession", flat=True)) == ["nurse", "physician"]
    assert list(course.instructors.all()) == [instructor]
    base = f"/academy/teach/{course.slug}"

    response = client.post(f"{base}/publish/")
    assert response.status_code == 302
    page = client.get(f"{base}/").content.decode()
    assert "Add at least one lesson." in page

    client.post(f"{base}/modules/new/", {"title": "Getting started"})
    module = Module.objects.get(course=course)
    assert client.get(f"{base}/modules/{module.pk}/lessons/new/?kind=text").status_code == 200
    response = client.post(
        f"{base}/modules/{module.pk}/lessons/new/",
        {
            "title": "Why live",
            "kind": "text",
            "body": "Because.",
            "estimated_minutes": 5,
            "is_required": "on",
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"{base}/modules/{module.pk}/lessons/new/",
        {"title": "Handouts", "kind": "attachments", "estimated_minutes": 5},
    )
    handouts = Lesson.objects.get(title="Handouts")
    assert response["Location"] == f"{base}/lessons/{handouts.pk}/"
    response = client.post(
        f"{base}/lessons/{handouts.pk}/files/",
        {
            "uploads": [
                SimpleUploadedFile("One.pdf", PDF, content_type="application/pdf"),
                SimpleUploadedFile("Two.pdf", PDF, content_type="application/pdf"),
            ]
        },
    )
    assert response.status_code == 302
    assert list(handouts.attachments.values_list("title", flat=True)) == ["One", "Two"]
    page = client.get(f"{base}/lessons/{handouts.pk}/").content.decode()
    assert "One" in page
    assert "multiple" in page

    response = client.post(
        f"{base}/modules/{module.pk}/lessons/new/",
        {
            "title": "Check",
            "kind": "quiz",
            "estimated_minutes": 5,
            "pass_mark": 75,
            "questions_per_attempt": 2,
        },
    )
    quiz_lesson = Lesson.objects.get(title="Check")
    assert quiz_lesson.quiz.pass_mark == 75
    qbase = f"{base}/lessons/{quiz_lesson.pk}/questions/new/"
    assert client.get(qbase + "?kind=true_false").status_code == 200
    response = client.post(
        qbase,
        {
            "kind": "single",
            "prompt": "Which?",
            "points": 1,
            "choice_0_text": "A",
            "choice_0_correct": "on",
            "choice_1_text": "B",
            "choice_1_correct": "on",
        },
    )
    assert response.status_code == 422
    assert "exactly one choice correct" in response.content.decode()
    client.post(
        qbase,
        {
            "kind": "single",
            "prompt": "Which?",
            "points": 1,
            "choice_0_text": "A",
            "choice_0_correct": "on",
            "choice_0_feedback": "Yes",
            "choice_1_text": "B",
        },
    )
    client.post(
        qbase, {"kind": "true_false", "prompt": "Sky?", "points": 1, "true_is_correct": "true"}
    )
    questions = list(Question.objects.filter(quiz__lesson=quiz_lesson).order_by("position"))
    assert [q.kind for q in questions] == ["single", "true_false"]
    edit = client.get(f"{base}/questions/{questions[0].pk}/")
    assert edit.status_code == 200
    assert 'value="A"' in edit.content.decode()

    # Keyboard order: Move the quiz's second question up, a real form post.
    response = client.post(
        f"{base}/move/",
        {
            "kind": "question",
            "item": questions[1].pk,
            "direction": "up",
            "next": f"{base}/lessons/{quiz_lesson.pk}/",
        },
    )
    assert response["Location"] == f"{base}/lessons/{quiz_lesson.pk}/"
    assert list(quiz_lesson.quiz.questions.order_by("position").values_list("pk", flat=True)) == [
        questions[1].pk,
        questions[0].pk,
    ]
    # Drag order: the JSON endpoint.
    lessons = list(module.lessons.order_by("position").values_list("pk", flat=True))
    response = client.post(
        f"{base}/reorder/",
        {"kind": "lesson", "parent": module.pk, "order": ",".join(map(str, lessons[::-1]))},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert list(module.lessons.order_by("position").values_list("pk", flat=True)) == lessons[::-1]
    response = client.post(
        f"{base}/reorder/", {"kind": "lesson", "parent": module.pk, "order": "1,x"}
    )
    assert response.status_code == 422

    preview = client.get(f"{base}/preview/").content.decode()
    assert "Why live" in preview
    assert "Sky?" in preview
    assert "(correct)" in preview
    assert "/academy/attachments/" in preview

    client.post(f"{base}/publish/")
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED
    assert search_ids("course", "live video") == [course.pk]
    catalog = client.get("/academy/?q=streaming").content.decode()
    assert "Live video for clinicians" in catalog
    client.post(f"{base}/unpublish/")
    course.refresh_from_db()
    assert course.status == CourseStatus.DRAFT


def test_course_form_errors_are_shown_and_nothing_is_written(client_for):
    instructor = make_instructor()
    make_course(code="GSM 301")
    client = client_for(instructor)
    response = client.post("/academy/teach/new/", course_data())
    assert response.status_code == 422
    assert "already has the code" in response.content.decode()
    response = client.post(
        "/academy/teach/new/",
        course_data(code="GSM 999", cover_image=SimpleUploadedFile("x.png", b"not an image")),
    )
    assert response.status_code == 422
    assert not Course.objects.filter(code="GSM 999").exists()


def test_video_lesson_form_refuses_without_captions_or_transcript(client_for):
    instructor = make_instructor()
    course = make_course(published=False, instructors=(instructor,))
    module = course.modules.all()[0]
    client = client_for(instructor)
    url = f"/academy/teach/{course.slug}/modules/{module.pk}/lessons/new/"
    response = client.post(
        url,
        {
            "title": "Clip",
            "kind": "video",
            "video_url": "https://v.example/a.mp4",
            "estimated_minutes": 3,
        },
    )
    assert response.status_code == 422
    assert "captions (a .vtt file) or a transcript" in response.content.decode()
    response = client.post(
        url,
        {
            "title": "Clip",
            "kind": "video",
            "video_url": "https://v.example/a.mp4",
            "estimated_minutes": 3,
            "captions": SimpleUploadedFile("a.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"),
        },
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get(title="Clip")
    edit = client.post(
        f"/academy/teach/{course.slug}/lessons/{lesson.pk}/",
        {
            "title": "Clip",
            "video_url": "https://v.example/a.mp4",
            "estimated_minutes": 3,
            "remove_captions": "on",
        },
    )
    assert edit.status_code == 422


def test_edit_and_delete_pages(client_for):
    instructor = make_instructor()
    course = make_course(published=False, instructors=(instructor,))
    client = client_for(instructor)
    base = f"/academy/teach/{course.slug}"
    assert client.get("/academy/teach/").status_code == 200
    assert client.get(f"{base}/edit/").status_code == 200
    response = client.post(f"{base}/edit/", course_data(code=course.code, title="Renamed"))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "Renamed"
    assert course.slug.startswith("test-course")
    module = course.modules.all()[0]
    assert client.get(f"{base}/modules/{module.pk}/edit/").status_code == 200
    client.post(f"{base}/modules/{module.pk}/edit/", {"title": "Renamed module"})
    module.refresh_from_db()
    assert module.title == "Renamed module"
    lesson = module.lessons.all()[0]
    client.post(f"{base}/lessons/{lesson.pk}/delete/")
    assert not Lesson.objects.filter(pk=lesson.pk).exists()
    client.post(f"{base}/modules/{module.pk}/delete/")
    assert not Module.objects.filter(pk=module.pk).exists()
    question = Question.objects.filter(quiz__lesson__course=course).all()[0]
    client.post(f"{base}/questions/{question.pk}/delete/")
    assert not Question.objects.filter(pk=question.pk).exists()
    attachment_lesson = Lesson.objects.filter(course=course).all()[0]
    client.post(
        f"{base}/lessons/{attachment_lesson.pk}/files/",
        {"uploads": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    attachment = LessonAttachment.objects.get()
    client.post(f"{base}/files/{attachment.pk}/delete/")
    assert not LessonAttachment.objects.exists()


def test_other_courses_items_are_not_found(client_for):
    instructor = make_instructor()
    mine = make_course(published=False, instructors=(instructor,))
    other = make_course(published=False, instructors=(make_instructor(),))
    client = client_for(instructor)
    other_lesson = Lesson.objects.filter(course=other).all()[0]
    assert client.get(f"/academy/teach/{mine.slug}/lessons/{other_lesson.pk}/").status_code == 404
    assert client.get(f"/academy/teach/{other.slug}/").status_code == 404
