from __future__ import annotations

from django.urls import path

from ..views import reports

urlpatterns = [
    path("staff/reports/", reports.reports, name="reports"),
    path("staff/reports/courses.csv", reports.reports_csv, name="reports_csv"),
    path(
        "author/quizzes/<int:quiz_id>/analysis/",
        reports.quiz_item_analysis,
        name="quiz_item_analysis",
    ),
    path(
        "author/quizzes/<int:quiz_id>/analysis.csv",
        reports.quiz_item_analysis_csv,
        name="quiz_item_analysis_csv",
    ),
]
