"""The catalog and course pages, downloads and captions: who sees what, and fixed query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections

from townsquare.accounts.models import Role
from townsquare.accounts.tests.factories import make_user
from townsquare.core.models import AuditRecord

from ..models import AccessTier, CourseAudience, Lesson, Level, Topic
from ..services import catalog as services
from ..services.catalog import LessonFields
from .factories import make_course, make_credit_activity, make_enrollment, make_instructor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VTT = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"


def release(response) -> None:
    """Close a response (and a download's file) without closing the test's database
    connection, which ``request_finished`` would otherwise do, as the test client avoids too."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


def published(**options):
    course = make_course(**options)
    services.course_search_sync(course=course)
    return course


def test_catalog_lists_published_courses_with_cards(client):
    course = published(title="Hashtags for nurses", code="GSM 110", estimated_hours="3.50")
    make_credit_activity(course)
    published(code="GSM 111", title="No credit here")
    make_course(published=False, title="Secret draft")
    response = client.get("/academy/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hashtags for nurses" in text
    assert "GSM 110" in text
    assert "3.50 hours" in text
    assert "Secret draft" not in text
    assert text.count("CE credit</span>") == 1
    assert "2 courses" in text


def test_catalog_search_and_filters(client):
    topic = Topic.objects.create(name="Privacy", slug="privacy")
    nurses = published(title="Hashtags for nurses", tier=AccessTier.PUBLIC)
    nurses.topics.add(topic)
    CourseAudience.objects.create(course=nurses, profession="nurse")
    services.course_search_sync(course=nurses)
    advanced = published(title="Advanced analytics")
    advanced.level = Level.ADVANCED
    advanced.language = "es"
    advanced.save()
    make_credit_activity(advanced)

    def titles(query: str) -> list[str]:
        page = client.get("/academy/?" + query).context["page"]
        return [course.title for course in page]

    assert titles("q=privacy") == ["Hashtags for nurses"]  # topic names are indexed
    assert titles("q=hashtag") == ["Hashtags for nurses"]
    assert titles("q=nothing-like-this") == []
    assert titles("topic=privacy") == ["Hashtags for nurses"]
    assert titles("level=advanced") == ["Advanced analytics"]
    assert titles("profession=nurse") == ["Hashtags for nurses"]
    assert titles("language=es") == ["Advanced analytics"]
    assert titles("tier=public") == ["Hashtags for nurses"]
    assert titles("credit=on") == ["Advanced analytics"]
    assert client.get("/academy/?level=bogus&page=99").status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_catalog_query_count_is_fixed(client, django_assert_num_queries, count):
    for _ in range(count):
        make_credit_activity(published(modules=1, lessons_per_module=1, with_quiz=False))
    with django_assert_num_queries(4):
        response = client.get("/academy/?credit=on")
    assert len(response.context["page"]) == min(count, 12)
    with django_assert_num_queries(5):
        client.get("/academy/?q=test")


@pytest.mark.parametrize(("modules", "lessons"), [(1, 2), (6, 8)])
def test_course_detail_query_count_is_fixed(
    client_for, member, django_assert_num_queries, modules, lessons
):
    course = make_course(
        modules=modules, lessons_per_module=lessons, instructors=(make_instructor(),)
    )
    course.prerequisites.add(make_course())
    make_credit_activity(course)
    client = client_for(member)
    client.get("/academy/")  # warm the session
    with django_assert_num_queries(12):
        response = client.get(f"/academy/courses/{course.slug}/")
    assert response.status_code == 200


def test_course_detail_shows_outline_credit_and_the_right_action(client, client_for, member):
    instructor = make_instructor(display_name="Ivy Instructor")
    course = make_course(title="Hashtags", instructors=(instructor,))
    make_credit_activity(course)
    text = client.get(f"/academy/courses/{course.slug}/").content.decode()
    assert "Sign in to enroll" in text
    assert "Ivy Instructor" in text
    assert "Lesson 1.1" in text
    assert "Quiz" in text
    assert "Nursing contact hours" in text
    assert "Recognize PHI" in text
    assert "<strong>for tests</strong>" in text
    signed_in = client_for(member).get(f"/academy/courses/{course.slug}/").content.decode()
    assert "Sign in to enroll" not in signed_in
    assert f'action="/academy/courses/{course.slug}/enroll"' in signed_in
    make_enrollment(member, course)
    enrolled = client_for(member).get(f"/academy/courses/{course.slug}/")
    assert enrolled.context["enrollment"] is not None
    assert f'href="/academy/learn/{course.slug}/">Continue</a>' in enrolled.content.decode()


def test_drafts_are_only_for_their_authors(client, client_for, member, staff):
    instructor = make_instructor()
    draft = make_course(published=False, instructors=(instructor,))
    assert client.get(f"/academy/courses/{draft.slug}/").status_code == 404
    assert client_for(member).get(f"/academy/courses/{draft.slug}/").status_code == 404
    assert client_for(make_instructor()).get(f"/academy/courses/{draft.slug}/").status_code == 404
    assert client_for(instructor).get(f"/academy/courses/{draft.slug}/").status_code == 200
    assert client_for(staff).get(f"/academy/courses/{draft.slug}/").status_code == 200


def _lesson_with_media(course):
    instructor = course.instructors.first()
    module = course.modules.first()
    lesson = services.lesson_create(
        actor=instructor,
        module=module,
        fields=LessonFields(
            title="Clip",
            kind="video",
            video_url="https://cdn.example.org/clip.mp4",
            captions=SimpleUploadedFile("clip.vtt", VTT),
            transcript="The *whole* transcript.",
        ),
    )
    attachment = services.attachments_add(
        actor=instructor,
        lesson=lesson,
        files=[SimpleUploadedFile("Policy.pdf", PDF, content_type="application/pdf")],
    )[0]
    return lesson, attachment


def test_downloads_and_captions_are_for_enrolled_learners_and_authors(client, client_for, member):
    instructor = make_instructor()
    course = make_course(instructors=(instructor,))
    lesson, attachment = _lesson_with_media(course)
    url = f"/academy/attachments/{attachment.pk}/"
    captions = f"/academy/lessons/{lesson.pk}/captions.vtt"
    assert client.get(url).status_code == 302
    assert client_for(member).get(url).status_code == 403
    assert AuditRecord.objects.filter(action="access.refused").exists()
    assert client_for(member).get(captions).status_code == 403
    enrollment = make_enrollment(member, course)
    response = client_for(member).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    release(response)
    response = client_for(member).get(captions)
    assert response.status_code == 200
    assert response.content.startswith(b"WEBVTT")
    enrollment.status = "withdrawn"
    enrollment.save()
    assert client_for(member).get(url).status_code == 403
    response = client_for(instructor).get(url)
    assert response.status_code == 200
    release(response)
    assert client.get("/academy/attachments/999999/").status_code == 404


def test_lesson_content_template_renders_video_captions_transcript_and_downloads(client_for):
    from django.template.loader import render_to_string

    instructor = make_instructor()
    course = make_course(instructors=(instructor,))
    lesson, attachment = _lesson_with_media(course)
    lesson = Lesson.objects.get(pk=lesson.pk)
    lesson.discussion_prompt = "Share **one** example."
    html = render_to_string("academy/catalog/_lesson_content.html", {"lesson": lesson})
    assert "<video controls" in html
    assert f'<track kind="captions" src="/academy/lessons/{lesson.pk}/captions.vtt"' in html
    assert "<details" in html
    assert "<em>whole</em>" in html
    assert f"/academy/attachments/{attachment.pk}/" in html
    assert "<strong>one</strong>" in html
    lesson.video_url = "https://www.youtube.com/watch?v=abc"
    html = render_to_string("academy/catalog/_lesson_content.html", {"lesson": lesson})
    assert "Watch “Clip” on YouTube" in html
    assert "<video" not in html


def test_patients_see_the_public_catalog(client_for):
    patient = make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver")
    course = published(tier=AccessTier.PUBLIC)
    response = client_for(patient).get("/academy/")
    assert course.title in response.content.decode()
