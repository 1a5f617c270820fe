from __future__ import annotations

from django.urls import path

from ..views import programs

urlpatterns = [
    path("programs/", programs.program_list, name="program_list"),
    path("programs/new/", programs.program_create, name="program_create"),
    path("programs/<slug:slug>/", programs.program_detail, name="program_detail"),
    path("programs/<slug:slug>/enroll/", programs.program_enroll, name="program_enroll"),
    path("programs/<slug:slug>/edit/", programs.program_edit, name="program_edit"),
    path(
        "programs/<slug:slug>/courses/add/",
        programs.program_course_add,
        name="program_course_add",
    ),
    path(
        "programs/<slug:slug>/courses/<int:item_id>/remove/",
        programs.program_course_remove,
        name="program_course_remove",
    ),
    path(
        "programs/<slug:slug>/courses/<int:item_id>/move/",
        programs.program_course_move,
        name="program_course_move",
    ),
    path("cohorts/", programs.cohort_list, name="cohort_list"),
    path("cohorts/new/", programs.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", programs.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/members/add/", programs.cohort_member_add, name="cohort_member_add"),
    path(
        "cohorts/<int:pk>/members/<int:member_id>/remove/",
        programs.cohort_member_remove,
        name="cohort_member_remove",
    ),
    path(
        "cohorts/<int:pk>/members/<int:member_id>/mentor/",
        programs.cohort_mentor_assign,
        name="cohort_mentor_assign",
    ),
]
