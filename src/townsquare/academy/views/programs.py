"""Pages for programs (learning paths) and cohorts: validate, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, PermissionRefused
from townsquare.core.forms import form_errors_from

from .. import permissions
from ..forms.programs import (
    CohortForm,
    CohortMemberAddForm,
    MentorAssignForm,
    ProgramCourseAddForm,
    ProgramForm,
    ProgramItemMoveForm,
)
from ..selectors import programs as selectors
from ..services import cohorts as cohort_services
from ..services import programs as program_services


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionRefused(message)


# Programs --------------------------------------------------------------------------------------


def program_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "academy/programs/program_list.html",
        {
            "programs": selectors.program_list(viewer=request.user),
            "can_manage": permissions.can_manage_programs(request.user),
        },
    )


def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = selectors.program_get(viewer=request.user, slug=slug)
    overview = selectors.program_overview(program=program, viewer=request.user)
    return render(
        request,
        "academy/programs/program_detail.html",
        {
            "program": program,
            "overview": overview,
            "can_enroll": permissions.can_enroll_program(request.user, program),
            "can_manage": permissions.can_manage_programs(request.user),
        },
    )


@login_required
@require_POST
def program_enroll(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    program = selectors.program_get(viewer=request.user, slug=slug)
    try:
        program_services.program_enrollment_create(actor=request.user, program=program)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, f"You are enrolled in {program.title}.")
    return redirect("academy:program_detail", slug=program.slug)


@login_required
@require_http_methods(["GET", "POST"])
def program_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _refuse_unless(permissions.can_manage_programs(request.user), "Only center staff.")
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = program_services.program_create(
                actor=request.user,
                **{name: form.cleaned_data[name] for name in program_services.PROGRAM_FIELDS},
            )
        except DomainError as error:
            form_errors_from(error, form)
        else:
            messages.success(request, "The program is saved. Now add its courses.")
            return redirect("academy:program_edit", slug=program.slug)
    return render(request, "academy/programs/program_form.html", {"form": form})


def _managed_program(request: AuthenticatedHttpRequest, slug: str) -> Any:
    _refuse_unless(permissions.can_manage_programs(request.user), "Only center staff.")
    return selectors.program_get(viewer=request.user, slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    program = _managed_program(request, slug)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            program = program_services.program_update(
                actor=request.user, program=program, changes=form.changes()
            )
        except DomainError as error:
            program.refresh_from_db()
            form_errors_from(error, form)
        else:
            messages.success(request, "The program is saved.")
            return redirect("academy:program_edit", slug=program.slug)
    return render(
        request,
        "academy/programs/program_edit.html",
        {
            "program": program,
            "form": form,
            "items": selectors.program_items(program=program),
            "add_form": ProgramCourseAddForm(program=program),
        },
    )


@login_required
@require_POST
def program_course_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    program = _managed_program(request, slug)
    form = ProgramCourseAddForm(request.POST, program=program)
    if not form.is_valid():
        messages.error(request, "Choose a course that is not yet part of the program.")
    else:
        try:
            program_services.program_course_add(
                actor=request.user, program=program, course=form.cleaned_data["course"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{form.cleaned_data['course']} is added.")
    return redirect("academy:program_edit", slug=program.slug)


@login_required
@require_POST
def program_course_remove(
    request: AuthenticatedHttpRequest, slug: str, item_id: int
) -> HttpResponse:
    program = _managed_program(request, slug)
    program_services.program_course_remove(actor=request.user, program=program, item_id=item_id)
    messages.success(request, "The course is removed from the program.")
    return redirect("academy:program_edit", slug=program.slug)


@login_required
@require_POST
def program_course_move(request: AuthenticatedHttpRequest, slug: str, item_id: int) -> HttpResponse:
    program = _managed_program(request, slug)
    form = ProgramItemMoveForm(request.POST)
    if form.is_valid():
        program_services.program_item_move(
            actor=request.user,
            program=program,
            item_id=item_id,
            direction=form.cleaned_data["direction"],
        )
    else:
        messages.error(request, "Move a course up or down.")
    return redirect("academy:program_edit", slug=program.slug)


# Cohorts ---------------------------------------------------------------------------------------


@login_required
def cohort_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "academy/programs/cohort_list.html",
        {
            "cohorts": selectors.cohort_list(viewer=request.user),
            "can_create": permissions.can_manage_cohort(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cohort_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _refuse_unless(permissions.can_manage_cohort(request.user), "Only center staff.")
    form = CohortForm(request.POST or None, initial={"mentee_limit": 8})
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_services.cohort_create(
                actor=request.user,
                title=form.cleaned_data["title"],
                course=form.cleaned_data["course"],
                program=form.cleaned_data["program"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                mentee_limit=form.cleaned_data["mentee_limit"],
                capacity=form.cleaned_data["capacity"],
            )
        except DomainError as error:
            form_errors_from(error, form)
        else:
            messages.success(request, "The cohort is created. Now add its people.")
            return redirect("academy:cohort_detail", pk=cohort.pk)
    return render(request, "academy/programs/cohort_form.html", {"form": form})


@login_required
def cohort_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cohort = selectors.cohort_get(viewer=request.user, cohort_id=pk)
    roster = selectors.cohort_roster(cohort=cohort)
    can_manage = permissions.can_manage_cohort(request.user, cohort)
    return render(
        request,
        "academy/programs/cohort_detail.html",
        {
            "cohort": cohort,
            "roster": roster,
            "can_manage": can_manage,
            "add_form": CohortMemberAddForm() if can_manage else None,
        },
    )


def _managed_cohort(request: AuthenticatedHttpRequest, pk: int) -> Any:
    cohort = selectors.cohort_get(viewer=request.user, cohort_id=pk)
    _refuse_unless(
        permissions.can_manage_cohort(request.user, cohort),
        "Only center staff and the cohort's instructors manage it.",
    )
    return cohort


@login_required
@require_POST
def cohort_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    cohort = _managed_cohort(request, pk)
    form = CohortMemberAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the email address of a person with an account, and a role.")
    else:
        try:
            member = cohort_services.cohort_member_add(
                actor=request.user,
                cohort=cohort,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as error:
            if error.status == 403:
                raise
            messages.error(request, error.message)
        else:
            messages.success(
                request, f"{member.user} is added as {member.get_role_display().lower()}."
            )
    return redirect("academy:cohort_detail", pk=cohort.pk)


@login_required
@require_POST
def cohort_member_remove(
    request: AuthenticatedHttpRequest, pk: int, member_id: int
) -> HttpResponse:
    cohort = _managed_cohort(request, pk)
    member = selectors.cohort_member_get(cohort=cohort, member_id=member_id)
    cohort_services.cohort_member_remove(actor=request.user, member=member)
    messages.success(request, f"{member.user} is removed from the cohort.")
    return redirect("academy:cohort_detail", pk=cohort.pk)


@login_required
@require_POST
def cohort_mentor_assign(
    request: AuthenticatedHttpRequest, pk: int, member_id: int
) -> HttpResponse:
    cohort = _managed_cohort(request, pk)
    member = selectors.cohort_member_get(cohort=cohort, member_id=member_id)
    form = MentorAssignForm(request.POST, cohort=cohort)
    if not form.is_valid():
        messages.error(request, "Choose a mentor of this cohort.")
    else:
        try:
            cohort_services.cohort_mentor_assign(
                actor=request.user, member=member, mentor=form.cleaned_data["mentor"]
            )
        except DomainError as error:
            if error.status == 403:
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, f"The mentor of {member.user} is saved.")
    return redirect("academy:cohort_detail", pk=cohort.pk)
