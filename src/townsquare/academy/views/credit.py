"""Pages for CE credit: the author's credit settings, the learner's evaluation and claim, the
transcript and its PDF, and the staff export for accrediting bodies."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.accounts.models import User
from townsquare.core.errors import DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from

from .. import permissions
from ..forms.credit import (
    ClaimForm,
    CreditActivityForm,
    CreditExportForm,
    DisclosureForm,
    EvaluationForm,
)
from ..models import Course, CreditActivity, Disclosure
from ..selectors import credit as selectors
from ..services import credit as services
from ..services.transcript_pdf import transcript_pdf


def url_or_none(name: str, *args: Any) -> str | None:
    """A link to another area's page, when that page exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(rows: Iterable[list[Any]], filename: str) -> StreamingHttpResponse:
    """Stream rows as CSV; every cell is guarded against spreadsheet formula injection."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([services.csv_safe(cell) for cell in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _course(slug: str) -> Course:
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise NotFound("No such course.")
    return course


def _authored_course(user: Any, slug: str) -> Course:
    course = _course(slug)
    if not permissions.can_author_course(user, course):
        raise PermissionRefused("Only the course's authors may edit its credit.")
    return course


def _learner_activity(user: Any, slug: str) -> tuple[Course, CreditActivity]:
    course = _course(slug)
    if not permissions.can_view_course(user, course):
        raise NotFound("No such course.")
    activity = selectors.credit_activity_for(course)
    if activity is None:
        raise NotFound("This course does not offer continuing-education credit.")
    return course, activity


# Authoring -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def credit_activity_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course = _authored_course(request.user, slug)
    activity = selectors.credit_activity_for(course)
    form = CreditActivityForm(
        request.POST or None, initial=CreditActivityForm.initial_from(activity)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.credit_activity_save(
                    actor=request.user, course=course, **form.cleaned_data
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form)
            else:
                messages.success(request, "The credit settings are saved.")
                return redirect("academy:credit_activity_edit", slug=course.slug)
        status = 422
    return render(
        request,
        "academy/credit/activity_edit.html",
        {
            "course": course,
            "activity": activity,
            "form": form,
            "disclosures": selectors.disclosure_list(activity) if activity else [],
        },
        status=status,
    )


def _disclosure(activity: CreditActivity, disclosure_id: int) -> Disclosure:
    disclosure = activity.disclosures.filter(pk=disclosure_id).first()
    if disclosure is None:
        raise NotFound("No such disclosure.")
    return disclosure


@login_required
@require_http_methods(["GET", "POST"])
def credit_disclosure_edit(
    request: AuthenticatedHttpRequest, slug: str, disclosure_id: int | None = None
) -> HttpResponse:
    course = _authored_course(request.user, slug)
    activity = selectors.credit_activity_for(course)
    if activity is None:
        raise NotFound("Save the credit settings before you add disclosures.")
    disclosure = _disclosure(activity, disclosure_id) if disclosure_id else None
    initial = (
        {
            "person_name": disclosure.person_name,
            "role": disclosure.role,
            "relationships": disclosure.relationships,
            "mitigation": disclosure.mitigation,
        }
        if disclosure
        else {}
    )
    form = DisclosureForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.disclosure_save(
                    actor=request.user,
                    activity=activity,
                    disclosure=disclosure,
                    **form.cleaned_data,
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form)
            else:
                messages.success(request, "The disclosure is saved.")
                return redirect("academy:credit_activity_edit", slug=course.slug)
        status = 422
    return render(
        request,
        "academy/credit/disclosure_form.html",
        {"course": course, "disclosure": disclosure, "form": form},
        status=status,
    )


@login_required
@require_POST
def credit_disclosure_delete(
    request: AuthenticatedHttpRequest, slug: str, disclosure_id: int
) -> HttpResponse:
    course = _authored_course(request.user, slug)
    activity = selectors.credit_activity_for(course)
    if activity is None:
        raise NotFound("No such disclosure.")
    disclosure = _disclosure(activity, disclosure_id)
    services.disclosure_delete(actor=request.user, disclosure=disclosure)
    messages.success(request, f"The disclosure of {disclosure.person_name} is removed.")
    return redirect("academy:credit_activity_edit", slug=course.slug)


# The learner's evaluation and claim ------------------------------------------------------------


def _missing_steps(request: AuthenticatedHttpRequest, course: Course, enrollment: Any) -> list:
    """What the learner still has to do before the evaluation: (message, link or None)."""
    if enrollment is None:
        return [
            (
                "Enroll in the course and complete it.",
                url_or_none("academy:course_detail", course.slug),
            )
        ]
    if not enrollment.is_completed:
        return [
            (
                "Complete every required lesson of the course.",
                url_or_none("academy:course_home", course.slug),
            )
        ]
    return []


@login_required
@require_http_methods(["GET", "POST"])
def credit_evaluation(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course, activity = _learner_activity(request.user, slug)
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    if enrollment is not None and not permissions.can_study(request.user, enrollment):
        raise PermissionRefused("This is not your enrollment.")
    evaluation = selectors.evaluation_for(user=request.user, activity=activity)
    missing = _missing_steps(request, course, enrollment)
    form = EvaluationForm(request.POST or None, activity=activity)
    status = 200
    if request.method == "POST" and evaluation is None:
        if form.is_valid():
            try:
                services.evaluation_submit(
                    user=request.user, activity=activity, answers=form.cleaned_data
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form)
                status = error.status
            else:
                messages.success(request, "Thank you: your evaluation is recorded.")
                return redirect("academy:credit_claim", slug=course.slug)
        else:
            status = 422
    elif request.method == "POST":
        status = 409
        messages.error(request, "You have already evaluated this activity.")
    answered = []
    if evaluation is not None:
        answered = [
            (question.text, evaluation.answers.get(question.key, ""))
            for question in services.evaluation_questions(activity)
        ]
    return render(
        request,
        "academy/credit/evaluation.html",
        {
            "course": course,
            "activity": activity,
            "form": form,
            "evaluation": evaluation,
            "answered": answered,
            "missing": missing,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_claim(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    course, activity = _learner_activity(request.user, slug)
    enrollment = selectors.enrollment_for(user=request.user, course=course)
    if enrollment is not None and not permissions.can_study(request.user, enrollment):
        raise PermissionRefused("This is not your enrollment.")
    claim = selectors.claim_for(user=request.user, activity=activity)
    missing = _missing_steps(request, course, enrollment)
    if not missing and selectors.evaluation_for(user=request.user, activity=activity) is None:
        missing = [
            (
                "Submit the evaluation of this activity.",
                reverse("academy:credit_evaluation", args=[course.slug]),
            )
        ]
    initial = selectors.last_identifiers(user=request.user, credit_type=activity.credit_type)
    form = ClaimForm(request.POST or None, activity=activity, initial=initial)
    status = 200
    if request.method == "POST":
        if claim is not None:
            status = 409
            messages.error(request, "You have already claimed credit for this activity.")
        elif form.is_valid():
            try:
                claim = services.credit_claim(
                    user=request.user, activity=activity, **form.cleaned_data
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form)
                status = error.status
            else:
                messages.success(request, f"You have claimed {claim.hours} hours of credit.")
                return redirect("academy:transcript")
        else:
            status = 422
    return render(
        request,
        "academy/credit/claim.html",
        {
            "course": course,
            "activity": activity,
            "form": form,
            "claim": claim,
            "missing": missing,
            "disclosures": selectors.disclosure_list(activity),
        },
        status=status,
    )


# Transcripts -----------------------------------------------------------------------------------


def _person(user: Any, user_id: int | None) -> Any:
    if user_id is None:
        return user
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise NotFound("No such person.")
    if not permissions.can_view_transcript(user, person):
        raise PermissionRefused("You may see only your own transcript.")
    return person


@login_required
def transcript(request: AuthenticatedHttpRequest, user_id: int | None = None) -> HttpResponse:
    person = _person(request.user, user_id)
    record = selectors.transcript_for(person)
    return render(
        request,
        "academy/credit/transcript.html",
        {
            "transcript": record,
            "person": person,
            "is_own": person.pk == request.user.pk,
            "pdf_url": reverse("academy:transcript_pdf")
            if user_id is None
            else reverse("academy:transcript_for_pdf", args=[person.pk]),
        },
    )


@login_required
def transcript_pdf_download(
    request: AuthenticatedHttpRequest, user_id: int | None = None
) -> HttpResponse:
    person = _person(request.user, user_id)
    content = transcript_pdf(selectors.transcript_for(person))
    response = HttpResponse(content, content_type="application/pdf")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="transcript-{person.pk}-{stamp}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The staff export ------------------------------------------------------------------------------


@login_required
def credit_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not permissions.can_export_credit(request.user):
        raise PermissionRefused("Only center staff may export credit claims.")
    form = CreditExportForm(request.GET or None)
    if form.is_bound and form.is_valid():
        rows = services.credit_export(actor=request.user, **form.cleaned_data)
        kind = form.cleaned_data["credit_type"] or "all"
        return stream_csv(rows, f"ce-claims-{kind}-{timezone.localdate().isoformat()}.csv")
    return render(
        request,
        "academy/credit/export.html",
        {"form": form},
        status=422 if form.is_bound else 200,
    )
