"""Program pages and API: the list, a program with the viewer's status per course, enrolling, and
staff authoring without JavaScript."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from townsquare.core.models import AuditRecord

from ..models import AccessTier, Enrollment, LessonProgress, Program, ProgramEnrollment
from .factories import make_course
from .test_program_support import complete, make_program

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_programs_and_drafts_only_to_staff(client_for, staff, member):
    make_program(title="Open path")
    make_program(title="Secret path", published=False)
    for client in (Client(), client_for(member)):
        page = client.get(reverse("academy:program_list")).content.decode()
        assert "Open path" in page
        assert "Secret path" not in page
    page = client_for(staff).get(reverse("academy:program_list")).content.decode()
    assert "Secret path" in page
    assert "Draft" in page


def test_a_draft_program_is_not_found_for_learners(client_for, member, staff):
    program = make_program(published=False)
    url = reverse("academy:program_detail", args=[program.slug])
    assert client_for(member).get(url).status_code == 404
    assert client_for(staff).get(url).status_code == 200


def test_the_detail_shows_each_course_in_order_with_my_status(client_for, member):
    first, second, third = (
        make_course(title=title, modules=1, lessons_per_module=2, with_quiz=False)
        for title in ("Alpha course", "Beta course", "Gamma course")
    )
    program = make_program(courses=[first, second, third])
    complete(member, first)
    enrollment = Enrollment.objects.create(user=member, course=second)
    lesson = second.lessons.earliest("pk")
    LessonProgress.objects.create(
        enrollment=enrollment,
        lesson=lesson,
        started_at=enrollment.created_at,
        completed_at=enrollment.created_at,
    )
    page = client_for(member).get(reverse("academy:program_detail", args=[program.slug]))
    html = page.content.decode()
    assert html.index("Alpha course") < html.index("Beta course") < html.index("Gamma course")
    assert "Completed" in html
    assert "In progress, 50%" in html
    assert "Not enrolled" in html
    assert f"/academy/courses/{first.slug}/" in html
    assert "Enroll in this program" in html


def test_anonymous_visitors_see_the_courses_and_are_asked_to_sign_in():
    program = make_program()
    html = Client().get(reverse("academy:program_detail", args=[program.slug])).content.decode()
    assert "Sign in" in html
    assert "Not enrolled" not in html


def test_enroll_from_the_page(client_for, member):
    program = make_program(courses=2)
    response = client_for(member).post(reverse("academy:program_enroll", args=[program.slug]))
    assert response.status_code == 302
    assert ProgramEnrollment.objects.filter(user=member, program=program).exists()
    assert Enrollment.objects.filter(user=member).count() == 2
    page = client_for(member).get(response["Location"]).content.decode()
    assert "You are enrolled" in page


def test_a_patient_cannot_enroll_in_a_members_program(client_for, patient):
    program = make_program(tier=AccessTier.MEMBER)
    response = client_for(patient).post(reverse("academy:program_enroll", args=[program.slug]))
    assert response.status_code == 403
    assert not ProgramEnrollment.objects.exists()


@pytest.mark.parametrize("size", [5, 40])
def test_the_program_list_query_count_is_fixed(client_for, member, django_assert_num_queries, size):
    for _ in range(size):
        make_program(courses=0)
    client = client_for(member)
    with django_assert_num_queries(4):  # session, user, roles, programs
        response = client.get(reverse("academy:program_list"))
    assert response.content.decode().count('class="card"') == size


@pytest.mark.parametrize("size", [5, 20])
def test_the_program_detail_query_count_is_fixed(
    client_for, member, django_assert_num_queries, size
):
    program = make_program(courses=size)
    for item in program.items.all()[:3]:
        complete(member, item.course)
    client = client_for(member)
    with django_assert_num_queries(9):
        response = client.get(reverse("academy:program_detail", args=[program.slug]))
    assert response.content.decode().count('class="program-course ') == size


# Authoring ------------------------------------------------------------------------------------


def test_staff_create_a_program_add_order_and_remove_courses(client_for, staff):
    client = client_for(staff)
    response = client.post(
        reverse("academy:program_create"),
        {
            "title": "Digital health leader",
            "slug": "digital-health-leader",
            "summary": "Three courses.",
            "access_tier": "member",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    program = Program.objects.get(slug="digital-health-leader")
    assert program.is_published
    assert AuditRecord.objects.filter(action="academy.program.published").exists()

    first, second = make_course(title="Course one"), make_course(title="Course two")
    for course in (first, second):
        response = client.post(
            reverse("academy:program_course_add", args=[program.slug]), {"course": course.pk}
        )
        assert response.status_code == 302
    edit = client.get(reverse("academy:program_edit", args=[program.slug])).content.decode()
    assert edit.index("Course one") < edit.index("Course two")
    assert "Move down" in edit

    second_item = program.items.get(course=second)
    client.post(
        reverse("academy:program_course_move", args=[program.slug, second_item.pk]),
        {"direction": "up"},
    )
    assert list(program.items.values_list("course_id", flat=True)) == [second.pk, first.pk]

    client.post(reverse("academy:program_course_remove", args=[program.slug, second_item.pk]))
    assert list(program.items.values_list("course_id", flat=True)) == [first.pk]


def test_the_edit_form_saves_and_shows_a_taken_address(client_for, staff):
    program, other = make_program(), make_program()
    client = client_for(staff)
    url = reverse("academy:program_edit", args=[program.slug])
    data = {
        "title": "Renamed",
        "slug": other.slug,
        "summary": "S",
        "access_tier": "public",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Another program already uses this address." in response.content.decode()
    program.refresh_from_db()
    assert program.title != "Renamed"
    response = client.post(url, {**data, "slug": "renamed"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.title, program.slug, program.access_tier) == ("Renamed", "renamed", "public")


def test_a_member_cannot_author(client_for, member):
    program = make_program(courses=1)
    client = client_for(member)
    assert client.get(reverse("academy:program_create")).status_code == 403
    assert client.get(reverse("academy:program_edit", args=[program.slug])).status_code == 403
    item = program.items.get()
    response = client.post(reverse("academy:program_course_remove", args=[program.slug, item.pk]))
    assert response.status_code == 403
    assert program.items.count() == 1


# API ------------------------------------------------------------------------------------------


def test_api_lists_programs(client_for, member):
    make_program(title="Listed")
    make_program(title="Hidden", published=False)
    body = client_for(member).get("/api/v1/academy/programs").json()
    assert body["count"] == 1
    assert body["items"][0]["title"] == "Listed"
    assert body["items"][0]["course_count"] == 2


def test_api_program_detail_has_courses_and_my_status(client_for, member):
    program = make_program(courses=2)
    first = program.items.earliest("position").course
    complete(member, first)
    body = client_for(member).get(f"/api/v1/academy/programs/{program.pk}").json()
    assert [row["status"] for row in body["courses"]] == ["completed", "not_enrolled"]
    assert body["courses"][0]["percent"] == 100
    assert body["is_enrolled"] is False


def test_api_enroll(client_for, member):
    program = make_program(courses=2)
    client = client_for(member)
    response = client.post(f"/api/v1/academy/programs/{program.pk}/enrollments")
    assert response.status_code == 201
    assert response.json()["program_id"] == program.pk
    again = client.post(f"/api/v1/academy/programs/{program.pk}/enrollments")
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    body = client.get(f"/api/v1/academy/programs/{program.pk}").json()
    assert body["is_enrolled"] is True
    assert [row["status"] for row in body["courses"]] == ["in_progress", "in_progress"]


def test_api_draft_and_missing_programs_are_not_found(client_for, member):
    draft = make_program(published=False)
    client = client_for(member)
    assert client.get(f"/api/v1/academy/programs/{draft.pk}").status_code == 404
    assert client.get("/api/v1/academy/programs/999999").status_code == 404
    assert client.post(f"/api/v1/academy/programs/{draft.pk}/enrollments").status_code == 404
