"""Cohort pages and API: the list, creating, the roster with progress in a fixed number of queries,
and managing members and mentors."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.tests.factories import make_user

from ..models import Cohort, CohortMember, CohortRole, Enrollment, LessonProgress
from ..services import cohorts as services
from .factories import make_course, make_instructor
from .test_program_support import complete, make_cohort, make_program

pytestmark = pytest.mark.django_db


def _add(actor, cohort, role=CohortRole.LEARNER, person=None):
    person = person or make_user()
    return services.cohort_member_add(actor=actor, cohort=cohort, email=person.email, role=role)


def test_staff_see_every_cohort_instructors_and_mentors_theirs(client_for, staff, member):
    mine, other = make_cohort(), make_cohort()
    instructor = _add(staff, mine, CohortRole.INSTRUCTOR, person=make_instructor()).user
    mentor = _add(staff, other, CohortRole.MENTOR).user
    learner = _add(staff, mine).user
    url = reverse("academy:cohort_list")
    html = client_for(staff).get(url).content.decode()
    assert mine.title in html
    assert other.title in html
    html = client_for(instructor).get(url).content.decode()
    assert mine.title in html
    assert other.title not in html
    html = client_for(mentor).get(url).content.decode()
    assert other.title in html
    assert mine.title not in html
    for person in (learner, member):
        html = client_for(person).get(url).content.decode()
        assert "You are not an instructor or mentor of any cohort." in html


def test_staff_create_a_cohort_from_the_form(client_for, staff):
    course = make_course()
    client = client_for(staff)
    data = {
        "title": "Autumn cohort",
        "course": course.pk,
        "starts_on": "2026-09-01",
        "ends_on": "2026-08-01",
        "mentee_limit": 8,
    }
    response = client.post(reverse("academy:cohort_create"), data)
    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()
    assert not Cohort.objects.exists()
    response = client.post(reverse("academy:cohort_create"), {**data, "ends_on": "2026-12-01"})
    cohort = Cohort.objects.get()
    assert response["Location"] == reverse("academy:cohort_detail", args=[cohort.pk])
    assert (cohort.course, cohort.mentee_limit, cohort.capacity) == (course, 8, None)


def test_the_form_needs_a_course_or_a_program(client_for, staff):
    response = client_for(staff).post(
        reverse("academy:cohort_create"),
        {
            "title": "Both",
            "course": make_course().pk,
            "program": make_program().pk,
            "starts_on": "2026-09-01",
            "ends_on": "2026-10-01",
            "mentee_limit": 8,
        },
    )
    assert response.status_code == 200
    assert "Choose a course or a program, not both." in response.content.decode()
    assert not Cohort.objects.exists()


def test_the_roster_groups_members_and_shows_progress(client_for, staff):
    course = make_course(modules=1, lessons_per_module=2, with_quiz=False)
    cohort = make_cohort(course=course)
    _add(staff, cohort, CohortRole.INSTRUCTOR, person=make_user(display_name="Ines Instructor"))
    mentor = _add(staff, cohort, CohortRole.MENTOR, person=make_user(display_name="Milo Mentor"))
    halfway = _add(staff, cohort, person=make_user(display_name="Hal Halfway"))
    done = _add(staff, cohort, person=make_user(display_name="Dana Done"))
    services.cohort_mentor_assign(actor=staff, member=halfway, mentor=mentor)
    enrollment = Enrollment.objects.get(user=halfway.user)
    now = timezone.now()
    LessonProgress.objects.create(
        enrollment=enrollment,
        lesson=course.lessons.get(position=0),
        started_at=now,
        completed_at=now,
    )
    complete(done.user, course)
    html = client_for(staff).get(reverse("academy:cohort_detail", args=[cohort.pk])).content
    html = html.decode()
    assert html.index("Instructors") < html.index("Ines Instructor") < html.index("Mentors")
    assert html.index("Mentors") < html.index("Milo Mentor") < html.index("Learners")
    assert "1 mentee" in html
    rows = {row.split("</th>")[0].rsplit(">", 1)[-1]: row for row in html.split("<tr>")[2:]}
    assert set(rows) == {"Dana Done", "Hal Halfway"}
    hal_row, dana_row = rows["Hal Halfway"], rows["Dana Done"]
    assert "50%" in hal_row
    assert f'value="{mentor.pk}" selected' in hal_row
    assert "100%" in dana_row
    assert timezone.localdate().strftime("%Y") in dana_row


def test_a_mentor_sees_the_roster_without_the_controls(client_for, staff):
    cohort = make_cohort()
    mentor = _add(staff, cohort, CohortRole.MENTOR).user
    _add(staff, cohort, person=make_user(display_name="Lou Learner"))
    html = client_for(mentor).get(reverse("academy:cohort_detail", args=[cohort.pk])).content
    assert b"Lou Learner" in html
    assert b"Add a person" not in html
    assert b"Remove" not in html


def test_learners_and_others_cannot_see_the_roster(client_for, staff, member):
    cohort = make_cohort()
    learner = _add(staff, cohort).user
    url = reverse("academy:cohort_detail", args=[cohort.pk])
    assert client_for(learner).get(url).status_code == 403
    assert client_for(member).get(url).status_code == 403


@pytest.mark.parametrize("size", [5, 40])
def test_the_roster_query_count_is_fixed(client_for, staff, django_assert_num_queries, size):
    course = make_course(modules=1, lessons_per_module=2, with_quiz=False)
    cohort = make_cohort(course=course, mentee_limit=size)
    mentor = _add(staff, cohort, CohortRole.MENTOR)
    _add(staff, cohort, CohortRole.INSTRUCTOR)
    for number in range(size):
        learner = _add(staff, cohort)
        if number % 2:
            services.cohort_mentor_assign(actor=staff, member=learner, mentor=mentor)
        if number % 3 == 0:
            complete(learner.user, course)
    client = client_for(staff)
    with django_assert_num_queries(7):
        response = client.get(reverse("academy:cohort_detail", args=[cohort.pk]))
    assert response.content.decode().count("cohort_mentor_assign") == 0
    assert response.content.decode().count('<th scope="row">') == size


@pytest.mark.parametrize("size", [5, 40])
def test_a_program_roster_query_count_is_fixed(client_for, staff, django_assert_num_queries, size):
    program = make_program(courses=3)
    cohort = make_cohort(program=program)
    for _ in range(size):
        _add(staff, cohort)
    client = client_for(staff)
    with django_assert_num_queries(8):
        response = client.get(reverse("academy:cohort_detail", args=[cohort.pk]))
    assert "Overall" in response.content.decode()


def test_add_a_learner_then_a_mentor_and_assign_from_the_page(client_for, staff):
    cohort = make_cohort(mentee_limit=1)
    learner, other, mentor = (
        make_user(display_name=name) for name in ("Lee Learner", "Oli Other", "Mae Mentor")
    )
    client = client_for(staff)
    add = reverse("academy:cohort_member_add", args=[cohort.pk])
    client.post(add, {"email": learner.email, "role": "learner"})
    client.post(add, {"email": other.email, "role": "learner"})
    client.post(add, {"email": mentor.email, "role": "mentor"})
    assert Enrollment.objects.get(user=learner).cohort == cohort
    members = {member.user: member for member in cohort.members.all()}
    mentor_member = members[mentor]
    response = client.post(
        reverse("academy:cohort_mentor_assign", args=[cohort.pk, members[learner].pk]),
        {"mentor": mentor_member.pk},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("academy:cohort_mentor_assign", args=[cohort.pk, members[other].pk]),
        {"mentor": mentor_member.pk},
        follow=True,
    )
    assert "Mae Mentor already mentors 1 person, the most this cohort allows." in (
        response.content.decode()
    )
    assert CohortMember.objects.get(pk=members[other].pk).mentor is None


def test_adding_an_unknown_email_shows_the_reason(client_for, staff):
    cohort = make_cohort()
    response = client_for(staff).post(
        reverse("academy:cohort_member_add", args=[cohort.pk]),
        {"email": "nobody@example.org", "role": "learner"},
        follow=True,
    )
    assert "No active account uses that email address." in response.content.decode()
    assert not cohort.members.exists()


def test_remove_a_member_from_the_page(client_for, staff):
    cohort = make_cohort()
    member = _add(staff, cohort)
    response = client_for(staff).post(
        reverse("academy:cohort_member_remove", args=[cohort.pk, member.pk])
    )
    assert response.status_code == 302
    assert not cohort.members.exists()


# API ------------------------------------------------------------------------------------------


def test_api_cohort_roster(client_for, staff):
    course = make_course(modules=1, lessons_per_module=2, with_quiz=False)
    cohort = make_cohort(course=course)
    mentor = _add(staff, cohort, CohortRole.MENTOR)
    learner = _add(staff, cohort)
    services.cohort_mentor_assign(actor=staff, member=learner, mentor=mentor)
    complete(learner.user, course)
    body = client_for(mentor.user).get(f"/api/v1/academy/cohorts/{cohort.pk}").json()
    assert [row["id"] for row in body["mentors"]] == [mentor.pk]
    (row,) = body["learners"]
    assert (row["mentor_member_id"], row["percent"]) == (mentor.pk, 100)
    assert row["completed_at"] is not None
    assert row["courses"][0]["status"] == "completed"


def test_api_add_member(client_for, staff, member):
    cohort = make_cohort(capacity=1)
    client = client_for(staff)
    url = f"/api/v1/academy/cohorts/{cohort.pk}/members"
    response = client.post(
        url, json.dumps({"email": member.email, "role": "learner"}), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["user_id"] == member.pk
    late = make_user()
    response = client.post(
        url, json.dumps({"email": late.email, "role": "learner"}), content_type="application/json"
    )
    assert response.status_code == 409
    assert "full" in response.json()["detail"]
    assert cohort.members.count() == 1
    assert client.get("/api/v1/academy/cohorts/999999").status_code == 404
