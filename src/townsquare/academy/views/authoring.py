"""Instructor authoring pages: courses, modules, lessons, downloads, quizzes, order, preview and
publishing. Each view checks the gate, validates a form, calls one service and redirects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.forms import form_errors_from

from .. import permissions
from ..forms.authoring import AttachmentsForm, CourseForm, LessonForm, ModuleForm, QuestionForm
from ..models import Course, Lesson, LessonAttachment, LessonKind, Module, Question, Quiz
from ..selectors import catalog as selectors
from ..services import catalog as services


def _course(request: AuthenticatedHttpRequest, slug: str) -> Course:
    return selectors.course_for_authoring(viewer=request.user, slug=slug)


def _manage(course: Course) -> HttpResponse:
    return redirect("academy:authoring_course", course.slug)


def _back(request: HttpRequest, course: Course) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return _manage(course)


def _module(course: Course, pk: int) -> Module:
    module = Module.objects.filter(course=course, pk=pk).first()
    if module is None:
        raise NotFound("No such module in this course.")
    return module


def _lesson(course: Course, pk: int) -> Lesson:
    lesson = Lesson.objects.filter(course=course, pk=pk).select_related("module").first()
    if lesson is None:
        raise NotFound("No such lesson in this course.")
    return lesson


def _question(course: Course, pk: int) -> Question:
    question = (
        Question.objects.filter(quiz__lesson__course=course, pk=pk)
        .select_related("quiz__lesson")
        .prefetch_related("choices")
        .first()
    )
    if question is None:
        raise NotFound("No such question in this course.")
    return question


# --- Courses ------------------------------------------------------------------------------------


@login_required
def my_courses(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_course(request.user):
        raise PermissionRefused("Course authoring is for instructors and center staff.")
    courses = selectors.courses_authored_by(user=request.user)
    return render(request, "academy/authoring/my_courses.html", {"courses": courses})


@login_required
def course_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_create_course(request.user):
        raise PermissionRefused("Course authoring is for instructors and center staff.")
    form = CourseForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                course = services.course_create(
                    actor=request.user, fields=form.fields_for_service()
                )
            except DomainError as error:
                form_errors_from(error, form)
            else:
                messages.success(request, f"Created {course.code}. Now add modules and lessons.")
                return _manage(course)
        status = 422
    return render(
        request, "academy/authoring/course_form.html", {"form": form, "course": None}, status=status
    )


@login_required
def course_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    form = CourseForm(
        request.POST or None,
        request.FILES or None,
        course=course,
        initial=CourseForm.initial_for(course),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.course_update(
                    actor=request.user, course=course, fields=form.fields_for_service()
                )
            except DomainError as error:
                form_errors_from(error, form)
            else:
                messages.success(request, "Saved the course details.")
                return _manage(course)
        status = 422
    return render(
        request,
        "academy/authoring/course_form.html",
        {"form": form, "course": course},
        status=status,
    )


@login_required
def course_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    modules = selectors.course_outline_for_authoring(course=course)
    return render(
        request,
        "academy/authoring/course_manage.html",
        {
            "course": course,
            "modules": modules,
            "module_form": ModuleForm(),
            "problems": []
            if course.is_published
            else services.course_publish_problems(course=course),
        },
    )


@login_required
@require_POST
def course_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    if not permissions.can_publish_course(request.user, course):
        raise PermissionRefused("Only the course's instructors and center staff may publish it.")
    try:
        services.course_publish(actor=request.user, course=course)
    except ValidationFailed as error:
        for problem in error.field_errors.get("publish", [error.message]):
            messages.error(request, problem)
        return _manage(course)
    messages.success(request, f"{course.code} is published and listed in the catalog.")
    return _manage(course)


@login_required
@require_POST
def course_unpublish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    if not permissions.can_publish_course(request.user, course):
        raise PermissionRefused("Only the course's instructors and center staff may unpublish it.")
    services.course_unpublish(actor=request.user, course=course)
    messages.success(request, f"{course.code} is a draft again and no longer in the catalog.")
    return _manage(course)


@login_required
def course_preview(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    if not permissions.can_preview_course(request.user, course):
        raise PermissionRefused("Only the course's authors may preview it.")
    return render(
        request,
        "academy/authoring/preview.html",
        {"course": course, "modules": selectors.course_preview(course=course)},
    )


# --- Modules ------------------------------------------------------------------------------------


@login_required
@require_POST
def module_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    form = ModuleForm(request.POST)
    if form.is_valid():
        try:
            services.module_create(actor=request.user, course=course, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Added the module “{form.cleaned_data['title']}”.")
            return _manage(course)
    else:
        messages.error(request, "Give the module a title.")
    return _manage(course)


@login_required
def module_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    course = _course(request, slug)
    module = _module(course, pk)
    form = ModuleForm(
        request.POST or None, initial={"title": module.title, "summary": module.summary}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.module_update(actor=request.user, module=module, **form.cleaned_data)
            except DomainError as error:
                form_errors_from(error, form)
            else:
                messages.success(request, "Saved the module.")
                return _manage(course)
        status = 422
    return render(
        request,
        "academy/authoring/module_form.html",
        {"form": form, "course": course, "module": module},
        status=status,
    )


@login_required
@require_POST
def module_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    course = _course(request, slug)
    module = _module(course, pk)
    services.module_delete(actor=request.user, module=module)
    messages.success(request, f"Deleted the module “{module.title}” and its lessons.")
    return _manage(course)


# --- Lessons ------------------------------------------------------------------------------------


@login_required
def lesson_create(request: AuthenticatedHttpRequest, slug: str, module_pk: int) -> HttpResponse:
    course = _course(request, slug)
    module = _module(course, module_pk)
    initial = {"kind": request.GET.get("kind", LessonKind.TEXT)}
    form = LessonForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                lesson = services.lesson_create(
                    actor=request.user,
                    module=module,
                    fields=form.fields_for_service(form.cleaned_data["kind"]),
                )
            except DomainError as error:
                form_errors_from(error, form)
            else:
                messages.success(request, f"Added the lesson “{lesson.title}”.")
                if lesson.kind in (LessonKind.ATTACHMENTS, LessonKind.QUIZ):
                    return redirect("academy:authoring_lesson", course.slug, lesson.pk)
                return _manage(course)
        status = 422
    return render(
        request,
        "academy/authoring/lesson_form.html",
        {"form": form, "course": course, "module": module, "lesson": None},
        status=status,
    )


def _lesson_initial(lesson: Lesson) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "title": lesson.title,
        "kind": lesson.kind,
        "estimated_minutes": lesson.estimated_minutes,
        "is_required": lesson.is_required,
        "body": lesson.body,
        "video_url": lesson.video_url,
        "transcript": lesson.transcript,
        "discussion_prompt": lesson.discussion_prompt,
    }
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is not None:
        initial.update(
            pass_mark=quiz.pass_mark,
            attempt_limit=quiz.attempt_limit,
            questions_per_attempt=quiz.questions_per_attempt,
        )
    return initial


def _lesson_page(
    request: AuthenticatedHttpRequest,
    course: Course,
    lesson: Lesson,
    form: LessonForm,
    attachments_form: AttachmentsForm,
    status: int = 200,
) -> HttpResponse:
    quiz = Quiz.objects.filter(lesson=lesson).first()
    questions = (
        list(quiz.questions.order_by("position", "pk").prefetch_related("choices")) if quiz else []
    )
    return render(
        request,
        "academy/authoring/lesson_form.html",
        {
            "form": form,
            "attachments_form": attachments_form,
            "course": course,
            "module": lesson.module,
            "lesson": lesson,
            "attachments": list(lesson.attachments.order_by("position", "pk")),
            "quiz": quiz,
            "questions": questions,
        },
        status=status,
    )


@login_required
def lesson_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    course = _course(request, slug)
    lesson = _lesson(course, pk)
    form = LessonForm(
        request.POST or None, request.FILES or None, initial=_lesson_initial(lesson), editing=True
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.lesson_update(
                    actor=request.user, lesson=lesson, fields=form.fields_for_service(lesson.kind)
                )
            except DomainError as error:
                form_errors_from(error, form)
            else:
                messages.success(request, "Saved the lesson.")
                return redirect("academy:authoring_lesson", course.slug, lesson.pk)
        status = 422
    return _lesson_page(request, course, lesson, form, AttachmentsForm(), status)


@login_required
@require_POST
def lesson_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    course = _course(request, slug)
    lesson = _lesson(course, pk)
    services.lesson_delete(actor=request.user, lesson=lesson)
    messages.success(request, f"Deleted the lesson “{lesson.title}”.")
    return _manage(course)


@login_required
@require_POST
def attachments_add(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    course = _course(request, slug)
    lesson = _lesson(course, pk)
    form = AttachmentsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = services.attachments_add(
                actor=request.user, lesson=lesson, files=form.cleaned_data["uploads"]
            )
        except DomainError as error:
            form_errors_from(error, form, {"files": "uploads"})
        else:
            messages.success(request, f"Added {len(added)} file{'s' if len(added) != 1 else ''}.")
            return redirect("academy:authoring_lesson", course.slug, lesson.pk)
    lesson_form = LessonForm(initial=_lesson_initial(lesson), editing=True)
    return _lesson_page(request, course, lesson, lesson_form, form, status=422)


@login_required
@require_POST
def attachment_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    course = _course(request, slug)
    attachment = (
        LessonAttachment.objects.filter(lesson__course=course, pk=pk)
        .select_related("lesson")
        .first()
    )
    if attachment is None:
        raise NotFound("No such file in this course.")
    services.attachment_delete(actor=request.user, attachment=attachment)
    messages.success(request, f"Deleted “{attachment.title}”.")
    return redirect("academy:authoring_lesson", course.slug, attachment.lesson_id)


# --- Questions ----------------------------------------------------------------------------------


def _question_page(
    request: AuthenticatedHttpRequest,
    course: Course,
    lesson: Lesson,
    form: QuestionForm,
    question: Question | None,
    status: int,
) -> HttpResponse:
    return render(
        request,
        "academy/authoring/question_form.html",
        {"form": form, "course": course, "lesson": lesson, "question": question},
        status=status,
    )


@login_required
def question_create(request: AuthenticatedHttpRequest, slug: str, lesson_pk: int) -> HttpResponse:
    course = _course(request, slug)
    lesson = _lesson(course, lesson_pk)
    quiz = Quiz.objects.filter(lesson=lesson).first()
    if quiz is None:
        raise NotFound("This lesson is not a quiz.")
    form = QuestionForm(request.POST or None, initial={"kind": request.GET.get("kind", "single")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.question_create(
                    actor=request.user, quiz=quiz, fields=form.fields_for_service()
                )
            except DomainError as error:
                form_errors_from(error, form)
            else:
                messages.success(request, "Added the question.")
                return redirect("academy:authoring_lesson", course.slug, lesson.pk)
        status = 422
    return _question_page(request, course, lesson, form, None, status)


@login_required
def question_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    course = _course(request, slug)
    question = _question(course, pk)
    lesson = question.quiz.lesson
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.question_update(
                    actor=request.user, question=question, fields=form.fields_for_service()
                )
            except DomainError as error:
                form_errors_from(error, form)
            else:
                messages.success(request, "Saved the question.")
                return redirect("academy:authoring_lesson", course.slug, lesson.pk)
        status = 422
    return _question_page(request, course, lesson, form, question, status)


@login_required
@require_POST
def question_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    course = _course(request, slug)
    question = _question(course, pk)
    services.question_delete(actor=request.user, question=question)
    messages.success(request, "Deleted the question.")
    return redirect("academy:authoring_lesson", course.slug, question.quiz.lesson_id)


# --- Order --------------------------------------------------------------------------------------


def _int(value: str | None, name: str) -> int:
    try:
        return int(value or "")
    except ValueError as error:
        raise ValidationFailed(f"Give a number for {name}.") from error


@login_required
@require_POST
def item_move(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _course(request, slug)
    try:
        services.item_move(
            actor=request.user,
            course=course,
            kind=request.POST.get("kind", ""),
            item_id=_int(request.POST.get("item"), "item"),
            direction=request.POST.get("direction", ""),
        )
    except ValidationFailed as error:
        messages.error(request, error.message)
    return _back(request, course)


@login_required
@require_POST
def items_reorder(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The drag-and-drop endpoint: ``kind``, ``parent`` and ``order`` (ids, comma-separated)."""
    course = _course(request, slug)
    kind = request.POST.get("kind", "")
    parent = request.POST.get("parent") or None
    try:
        ordered = [_int(item, "order") for item in request.POST.get("order", "").split(",") if item]
        services.items_reorder(
            actor=request.user,
            course=course,
            kind=kind,
            parent_id=_int(parent, "parent") if parent else None,
            ordered_ids=ordered,
        )
    except ValidationFailed as error:
        return JsonResponse({"detail": error.message}, status=422)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": True, "order": ordered})
    return _back(request, course)
