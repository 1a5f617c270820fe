"""Event pages: after the event (attendance, certificates, the evaluation survey, CE credit)."""

from __future__ import annotations

from django.urls import path

from ..views import attendance, feedback

urlpatterns = [
    path("<slug:slug>/manage/attendance/", attendance.attendance_manage, name="attendance_manage"),
    path(
        "<slug:slug>/manage/attendance/mark",
        attendance.attendance_mark,
        name="attendance_mark",
    ),
    path(
        "<slug:slug>/manage/attendance/import",
        attendance.attendance_import,
        name="attendance_import",
    ),
    path(
        "<slug:slug>/manage/certificates/issue",
        attendance.certificates_issue,
        name="certificates_issue",
    ),
    path("<slug:slug>/feedback/", feedback.feedback, name="feedback"),
    path("<slug:slug>/manage/feedback/", feedback.feedback_results, name="feedback_results"),
    path(
        "<slug:slug>/manage/feedback.csv",
        feedback.feedback_results_csv,
        name="feedback_results_csv",
    ),
    path("<slug:slug>/credit/", feedback.credit_claim, name="credit_claim"),
]
