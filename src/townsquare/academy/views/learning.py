"""Learner pages: enroll, my learning, course home with the disclosures gate, lessons, quizzes;
and the page where organization leaders enroll their staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.accounts.models import Organization
from townsquare.core.errors import Conflict, DomainError, NotFound, PermissionRefused

from .. import permissions
from ..forms.learning import AttemptForm, StaffEnrollForm
from ..models import Course, CreditActivity, Enrollment, EnrollmentStatus, LessonKind
from ..selectors import credentials as credential_selectors
from ..selectors import credit as credit_selectors
from ..selectors import learning as selectors
from ..services import enrollment as enrollment_services
from ..services import progress as progress_services
from ..services import quizzes as quiz_services


def _studying(request: AuthenticatedHttpRequest, slug: str) -> tuple[Course, Enrollment]:
    """The course and the signed-in learner's enrollment in it (refused if there is none)."""
    course = selectors.course_for_learner(user=request.user, slug=slug)
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    if enrollment is None or not permissions.can_study(request.user, enrollment):
        raise PermissionRefused(f"Enroll in {course.code} to study it.")
    return course, enrollment


@login_required
@require_POST
def enroll(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.course_for_learner(user=request.user, slug=slug)
    enrollment_services.enrollment_create(actor=request.user, user=request.user, course=course)
    messages.success(request, f"You are enrolled in {course.code} {course.title}.")
    return redirect("academy:course_home", slug=course.slug)


@login_required
def my_learning(request: AuthenticatedHttpRequest) -> HttpResponse:
    enrollments = list(selectors.enrollment_list(user=request.user))
    for enrollment in enrollments:
        enrollment.percent = selectors.percent(  # type: ignore[attr-defined]
            enrollment.required_done,  # type: ignore[attr-defined]
            enrollment.required_total,  # type: ignore[attr-defined]
            is_completed=enrollment.is_completed,
        )
    return render(request, "academy/learning/my_learning.html", {"enrollments": enrollments})


@login_required
def course_home(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = selectors.course_for_learner(user=request.user, slug=slug)
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    outline = selectors.course_outline(course=course, enrollment=enrollment)
    activity = getattr(course, "credit_activity", None)
    needs_disclosures = enrollment is not None and enrollment_services.disclosures_required(
        enrollment
    )
    return render(
        request,
        "academy/learning/course_home.html",
        {
            "course": course,
            "enrollment": enrollment,
            "outline": outline,
            "activity": activity,
            "disclosures": list(activity.disclosures.all())
            if activity and needs_disclosures
            else [],
            "needs_disclosures": needs_disclosures,
            "is_withdrawn": enrollment is not None
            and enrollment.status == EnrollmentStatus.WITHDRAWN,
            "can_enroll": enrollment is None and permissions.can_enroll(request.user, course),
            "next_steps": _next_steps(request.user, course, enrollment, activity),
        },
    )


def _next_steps(
    user: Any, course: Course, enrollment: Enrollment | None, activity: CreditActivity | None
) -> dict[str, Any] | None:
    """After completion: the certificate, and for CE activities the evaluation and the claim."""
    if enrollment is None or not enrollment.is_completed:
        return None
    return {
        "credential": credential_selectors.course_credential_for(user=user, course=course),
        "activity": activity,
        "evaluation": credit_selectors.evaluation_for(user=user, activity=activity)
        if activity
        else None,
        "claim": credit_selectors.claim_for(user=user, activity=activity) if activity else None,
    }


@login_required
@require_POST
def disclosures_acknowledge(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    _course, enrollment = _studying(request, slug)
    enrollment_services.disclosures_acknowledge(enrollment=enrollment)
    messages.success(request, "Thank you. You may start the course.")
    return redirect("academy:course_home", slug=slug)


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course, enrollment = _studying(request, slug)
    enrollment_services.enrollment_withdraw(actor=request.user, enrollment=enrollment)
    messages.success(request, f"You have withdrawn from {course.code}.")
    return redirect("academy:my_learning")


@login_required
def lesson(request: AuthenticatedHttpRequest, slug: str, lesson_id: int) -> HttpResponse:
    course, enrollment = _studying(request, slug)
    current = selectors.lesson_for_learner(course=course, lesson_id=lesson_id)
    try:
        progress = progress_services.lesson_open(enrollment=enrollment, lesson=current)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("academy:course_home", slug=slug)
    outline = selectors.course_outline(course=course, enrollment=enrollment)
    previous, following = outline.neighbours(current)
    context = {
        "course": course,
        "enrollment": enrollment,
        "lesson": current,
        "progress": progress,
        "outline": outline,
        "previous": previous,
        "next": following,
    }
    if current.kind == LessonKind.QUIZ and hasattr(current, "quiz"):
        quiz = current.quiz
        context["quiz"] = quiz
        context["allowance"] = quiz_services.attempt_allowance(user=request.user, quiz=quiz)
        context["attempts"] = selectors.attempt_list(user=request.user, quiz_id=quiz.pk)
    return render(request, "academy/learning/lesson.html", context)


@login_required
@require_POST
def lesson_complete(request: AuthenticatedHttpRequest, slug: str, lesson_id: int) -> HttpResponse:
    course, enrollment = _studying(request, slug)
    current = selectors.lesson_for_learner(course=course, lesson_id=lesson_id)
    progress_services.lesson_complete(enrollment=enrollment, lesson=current)
    if enrollment.is_completed:
        messages.success(request, f"Congratulations: you have completed {course.code}.")
        return redirect("academy:course_home", slug=slug)
    outline = selectors.course_outline(course=course, enrollment=enrollment)
    _previous, following = outline.neighbours(current)
    messages.success(request, f"“{current.title}” is complete.")
    if following is not None:
        return redirect("academy:lesson", slug=slug, lesson_id=following.pk)
    return redirect("academy:course_home", slug=slug)


@login_required
@require_POST
def attempt_start(request: AuthenticatedHttpRequest, slug: str, lesson_id: int) -> HttpResponse:
    course, _enrollment = _studying(request, slug)
    current = selectors.lesson_for_learner(course=course, lesson_id=lesson_id)
    if not hasattr(current, "quiz"):
        raise NotFound("This lesson has no quiz.")
    attempt = quiz_services.attempt_start(user=request.user, quiz=current.quiz)
    return redirect("academy:attempt", attempt_id=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attempt(request: AuthenticatedHttpRequest, attempt_id: int) -> HttpResponse:
    current = quiz_services.attempt_get(user=request.user, attempt_id=attempt_id)
    if current.is_submitted:
        return redirect("academy:attempt_result", attempt_id=current.pk)
    questions = quiz_services.attempt_questions(current)
    form = AttemptForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            quiz_services.attempt_submit(
                user=request.user, attempt_id=current.pk, answers=form.answers()
            )
        except Conflict:
            # A second click on "Submit": the first submission already counted.
            messages.info(request, "This attempt was already submitted.")
        return redirect("academy:attempt_result", attempt_id=current.pk)
    quiz = current.quiz
    return render(
        request,
        "academy/learning/attempt.html",
        {
            "attempt": current,
            "quiz": quiz,
            "lesson": quiz.lesson,
            "course": quiz.lesson.course,
            "form": form,
        },
    )


@login_required
def attempt_result(request: AuthenticatedHttpRequest, attempt_id: int) -> HttpResponse:
    current = quiz_services.attempt_get(user=request.user, attempt_id=attempt_id)
    if not current.is_submitted:
        return redirect("academy:attempt", attempt_id=current.pk)
    questions = quiz_services.attempt_questions(current)
    answers = {
        answer.question_id: answer for answer in current.answers.prefetch_related("choices").all()
    }
    rows = []
    for question in questions:
        answer = answers.get(question.pk)
        chosen = {choice.pk for choice in answer.choices.all()} if answer else set()
        rows.append(
            {
                "question": question,
                "answer": answer,
                "is_correct": bool(answer and answer.is_correct),
                "choices": [
                    {"choice": choice, "is_chosen": choice.pk in chosen}
                    for choice in question.choices.all()
                ],
            }
        )
    quiz = current.quiz
    allowance = quiz_services.attempt_allowance(user=request.user, quiz=quiz)
    return render(
        request,
        "academy/learning/attempt_result.html",
        {
            "attempt": current,
            "quiz": quiz,
            "lesson": quiz.lesson,
            "course": quiz.lesson.course,
            "rows": rows,
            "allowance": allowance,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def enroll_staff(request: AuthenticatedHttpRequest, organization_slug: str) -> HttpResponse:
    organization = Organization.objects.filter(slug=organization_slug).first()
    if organization is None:
        raise NotFound("No such organization.")
    if not permissions.can_enroll_others(request.user, organization):
        raise PermissionRefused("Only the organization's leaders may enroll its members.")
    members = {
        membership.user.pk: membership.user
        for membership in organization.memberships.select_related("user").order_by(
            "user__display_name", "pk"
        )
    }
    form = StaffEnrollForm(
        request.POST or None,
        members=[(pk, person.display_name or person.email) for pk, person in members.items()],
    )
    results: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        enrolled = 0
        for person_id in form.cleaned_data["people"]:
            person = members[int(person_id)]
            try:
                enrollment_services.enrollment_create(
                    actor=request.user, user=person, course=course, organization=organization
                )
            except DomainError as error:
                results.append((person.display_name, error.message))
            else:
                enrolled += 1
        if not results:
            messages.success(request, f"Enrolled {enrolled} in {course.code}.")
            return redirect("academy:enroll_staff", organization_slug=organization.slug)
        if enrolled:
            messages.success(request, f"Enrolled {enrolled} in {course.code}.")
    return render(
        request,
        "academy/learning/enroll_staff.html",
        {"organization": organization, "form": form, "failures": results},
        status=422 if results else 200,
    )
