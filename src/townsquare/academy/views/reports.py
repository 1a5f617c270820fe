"""Staff reports (courses at a glance) and quiz item analysis for authors, each with a CSV."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound, PermissionRefused

from .. import permissions
from ..models import Quiz
from ..selectors import reports as selectors
from .credit import stream_csv


def _require_reports(user: object) -> None:
    if not permissions.can_view_reports(user):
        raise PermissionRefused("Only center staff may see academy reports.")


@login_required
def reports(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reports(request.user)
    courses = list(selectors.course_report())
    rows = [(course, selectors.completion_rate(course)) for course in courses]
    return render(request, "academy/reports/reports.html", {"rows": rows})


@login_required
def reports_csv(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _require_reports(request.user)
    rows = [selectors.REPORT_COLUMNS, *selectors.course_report_rows()]
    return stream_csv(rows, f"academy-courses-{timezone.localdate().isoformat()}.csv")


def _analysed_quiz(user: object, quiz_id: int) -> Quiz:
    quiz = selectors.quiz_get(quiz_id)
    if quiz is None:
        raise NotFound("No such quiz.")
    if not permissions.can_view_item_analysis(user, quiz.lesson.course):
        raise PermissionRefused("Only the course's authors and staff may see its item analysis.")
    return quiz


@login_required
def quiz_item_analysis(request: AuthenticatedHttpRequest, quiz_id: int) -> HttpResponse:
    quiz = _analysed_quiz(request.user, quiz_id)
    analysis = selectors.item_analysis(quiz)
    return render(
        request,
        "academy/reports/item_analysis.html",
        {"quiz": quiz, "course": quiz.lesson.course, "analysis": analysis},
    )


@login_required
def quiz_item_analysis_csv(request: AuthenticatedHttpRequest, quiz_id: int) -> HttpResponseBase:
    quiz = _analysed_quiz(request.user, quiz_id)
    analysis = selectors.item_analysis(quiz)
    rows = [selectors.ITEM_COLUMNS, *selectors.item_analysis_rows(analysis)]
    return stream_csv(rows, f"quiz-{quiz.pk}-item-analysis.csv")
