from __future__ import annotations

from django.urls import path

from ..views import learning

urlpatterns = [
    path("courses/<slug:slug>/enroll", learning.enroll, name="enroll"),
    path("my/", learning.my_learning, name="my_learning"),
    path(
        "organizations/<slug:organization_slug>/enroll/",
        learning.enroll_staff,
        name="enroll_staff",
    ),
    path("learn/<slug:slug>/", learning.course_home, name="course_home"),
    path(
        "learn/<slug:slug>/disclosures/",
        learning.disclosures_acknowledge,
        name="disclosures_acknowledge",
    ),
    path("learn/<slug:slug>/withdraw/", learning.withdraw, name="withdraw"),
    path("learn/<slug:slug>/lessons/<int:lesson_id>/", learning.lesson, name="lesson"),
    path(
        "learn/<slug:slug>/lessons/<int:lesson_id>/complete/",
        learning.lesson_complete,
        name="lesson_complete",
    ),
    path(
        "learn/<slug:slug>/lessons/<int:lesson_id>/attempts/",
        learning.attempt_start,
        name="attempt_start",
    ),
    path("attempts/<int:attempt_id>/", learning.attempt, name="attempt"),
    path("attempts/<int:attempt_id>/result/", learning.attempt_result, name="attempt_result"),
]
