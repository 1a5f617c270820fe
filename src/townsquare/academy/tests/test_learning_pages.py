"""Learner pages through the test client: enroll, course home, disclosures, lessons, quizzes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from townsquare.academy.models import (
    AccessTier,
    Enrollment,
    EnrollmentStatus,
    LessonProgress,
    QuizAttempt,
)
from townsquare.academy.services.enrollment import enrollment_create
from townsquare.academy.services.quizzes import attempt_start
from townsquare.academy.tests.factories import make_course, make_credit_activity, make_enrollment
from townsquare.academy.tests.test_learning_support import (
    completion_calls,  # noqa: F401
    learning_state,
    quiz_of,
    right_answers,
    text_lessons,
)
from townsquare.accounts import services as account_services
from townsquare.accounts.tests.factories import make_staff, make_user

pytestmark = pytest.mark.django_db


def test_enroll_redirects_to_the_course_home(member, client_for):
    course = make_course()
    response = client_for(member).post(reverse("academy:enroll", args=[course.slug]))
    assert response.status_code == 302
    assert response["Location"] == reverse("academy:course_home", args=[course.slug])
    assert Enrollment.objects.filter(user=member, course=course).exists()


def test_enroll_refusal_is_a_clear_page_and_changes_nothing(patient, client_for):
    course = make_course(tier=AccessTier.MEMBER)
    response = client_for(patient).post(reverse("academy:enroll", args=[course.slug]))
    assert response.status_code == 403
    assert b"open to members" in response.content
    assert not Enrollment.objects.exists()


def test_prerequisite_refusal_names_the_course(member, client_for):
    basics = make_course(title="Basics of social media")
    advanced = make_course()
    advanced.prerequisites.add(basics)
    response = client_for(member).post(reverse("academy:enroll", args=[advanced.slug]))
    assert response.status_code == 409
    assert b"Basics of social media" in response.content


def test_course_home_shows_outline_progress_and_start(member, client_for):
    course = make_course()
    make_enrollment(member, course)
    response = client_for(member).get(reverse("academy:course_home", args=[course.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "0% complete (0 of 5 required lessons)" in page
    assert "Start: Lesson 1.1" in page
    assert "Final quiz" in page


def test_disclosures_gate_the_first_lesson(member, client_for):
    course = make_course()
    make_credit_activity(course)
    enrollment_create(actor=member, user=member, course=course)
    client = client_for(member)
    home = client.get(reverse("academy:course_home", args=[course.slug])).content.decode()
    assert "Ben Faculty, RN" in home
    assert "Speaker&#x27;s bureau, Example Pharma" in home
    assert "No relevant financial relationships" in home
    assert "Recognize PHI in a post" in home
    lesson = text_lessons(course)[0]
    lesson_url = reverse("academy:lesson", args=[course.slug, lesson.pk])
    response = client.get(lesson_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("academy:course_home", args=[course.slug])
    assert not LessonProgress.objects.exists()
    client.post(reverse("academy:disclosures_acknowledge", args=[course.slug]))
    assert client.get(lesson_url).status_code == 200
    assert LessonProgress.objects.count() == 1


def test_lesson_mark_complete_moves_on_and_resume_follows(member, client_for):
    course = make_course()
    make_enrollment(member, course)
    client = client_for(member)
    first, second = text_lessons(course)[:2]
    page = client.get(reverse("academy:lesson", args=[course.slug, first.pk])).content.decode()
    assert "Text of lesson 1.1." in page
    assert "Mark complete" in page
    assert "Next: Lesson 1.2" in page
    response = client.post(reverse("academy:lesson_complete", args=[course.slug, first.pk]))
    assert response["Location"] == reverse("academy:lesson", args=[course.slug, second.pk])
    my = client.get(reverse("academy:my_learning")).content.decode()
    assert "20% complete" in my
    assert "Resume" in my


def test_someone_not_enrolled_cannot_open_a_lesson(member, client_for):
    course = make_course()
    lesson = text_lessons(course)[0]
    response = client_for(member).get(reverse("academy:lesson", args=[course.slug, lesson.pk]))
    assert response.status_code == 403


def test_quiz_lesson_shows_the_rules_then_attempt_and_result(member, client_for, completion_calls):  # noqa: F811
    course = make_course()
    make_enrollment(member, course)
    client = client_for(member)
    quiz = quiz_of(course)
    page = client.get(
        reverse("academy:lesson", args=[course.slug, quiz.lesson.pk])
    ).content.decode()
    assert "Pass mark: 60%" in page
    assert "Attempts used: 0 of 3 (3 remaining)" in page
    response = client.post(reverse("academy:attempt_start", args=[course.slug, quiz.lesson.pk]))
    attempt = QuizAttempt.objects.get()
    assert response["Location"] == reverse("academy:attempt", args=[attempt.pk])
    form_page = client.get(response["Location"]).content.decode()
    assert form_page.count("<fieldset") == 3
    assert 'type="radio"' in form_page
    data = {}
    for question_id, answer in right_answers(attempt).items():
        data[f"question_{question_id}"] = answer if isinstance(answer, str) else answer[0]
    response = client.post(reverse("academy:attempt", args=[attempt.pk]), data)
    assert response["Location"] == reverse("academy:attempt_result", args=[attempt.pk])
    # A double click: the second post changes nothing and lands on the result.
    before = learning_state()
    again = client.post(reverse("academy:attempt", args=[attempt.pk]), data)
    assert again["Location"] == reverse("academy:attempt_result", args=[attempt.pk])
    assert learning_state() == before
    result = client.get(response["Location"]).content.decode()
    assert "passed" in result
    assert "100.00%" in result
    assert "Names are one of the eighteen identifiers." in result
    assert "correct answer" in result


def test_another_learners_attempt_pages_are_not_found(member, client_for):
    course = make_course()
    make_enrollment(member, course)
    attempt = attempt_start(user=member, quiz=quiz_of(course))
    other = make_user()
    client = client_for(other)
    assert client.get(reverse("academy:attempt", args=[attempt.pk])).status_code == 404
    assert client.get(reverse("academy:attempt_result", args=[attempt.pk])).status_code == 404
    response = client.post(reverse("academy:attempt", args=[attempt.pk]), {})
    assert response.status_code == 404
    assert QuizAttempt.objects.get().submitted_at is None


def test_leader_enrolls_staff_with_checkboxes(leader, organization, client_for):
    nurses = [make_user(display_name=f"Nurse {n}") for n in range(2)]
    for nurse in nurses:
        account_services.membership_add(
            actor=make_staff(), organization=organization, email=nurse.email
        )
    course = make_course()
    client = client_for(leader)
    url = reverse("academy:enroll_staff", args=[organization.slug])
    page = client.get(url).content.decode()
    assert 'type="checkbox"' in page
    assert "Nurse 0" in page
    response = client.post(url, {"course": course.pk, "people": [n.pk for n in nurses]})
    assert response.status_code == 302
    assert set(Enrollment.objects.values_list("user_id", flat=True)) == {n.pk for n in nurses}
    assert set(Enrollment.objects.values_list("enrolled_by_id", flat=True)) == {leader.pk}


def test_a_member_cannot_open_the_staff_enrollment_page(member, organization, client_for):
    url = reverse("academy:enroll_staff", args=[organization.slug])
    assert client_for(member).get(url).status_code == 403


def test_withdraw(member, client_for):
    course = make_course()
    make_enrollment(member, course)
    response = client_for(member).post(reverse("academy:withdraw", args=[course.slug]))
    assert response.status_code == 302
    assert Enrollment.objects.get().status == EnrollmentStatus.WITHDRAWN


def _big_course(size: int):
    return make_course(modules=size, lessons_per_module=5)


@pytest.mark.parametrize("size", [1, 10])
def test_course_home_and_lesson_queries_do_not_grow(
    member, client_for, django_assert_num_queries, size
):
    course = _big_course(size)
    make_credit_activity(course)
    enrollment = make_enrollment(member, course)
    lessons = text_lessons(course)
    for lesson in lessons[:3]:
        LessonProgress.objects.create(
            enrollment=enrollment, lesson=lesson, started_at=enrollment.created_at
        )
    client = client_for(member)
    client.get(reverse("academy:lesson", args=[course.slug, lessons[1].pk]))  # warm: launched
    with django_assert_num_queries(COURSE_HOME_QUERIES):
        client.get(reverse("academy:course_home", args=[course.slug]))
    with django_assert_num_queries(LESSON_QUERIES):
        client.get(reverse("academy:lesson", args=[course.slug, lessons[1].pk]))


@pytest.mark.parametrize("count", [2, 12])
def test_my_learning_queries_do_not_grow(member, client_for, django_assert_num_queries, count):
    for _ in range(count):
        make_enrollment(member, make_course(modules=1))
    client = client_for(member)
    with django_assert_num_queries(MY_LEARNING_QUERIES):
        client.get(reverse("academy:my_learning"))


COURSE_HOME_QUERIES = 8
LESSON_QUERIES = 14
MY_LEARNING_QUERIES = 4
