"""The submitter's pages: share a resource, follow it through review, change and resend it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from

from ..forms.submissions import (
    CommentForm,
    ResubmitForm,
    SubmissionForm,
    WithdrawForm,
    initial_from,
)
from ..models import ResourceFile, ResourceStatus
from ..permissions import (
    can_edit_resource,
    can_review,
    can_submit_resource,
    can_withdraw_submission,
)
from ..selectors import submissions as selectors
from ..selectors.catalog import file_response
from ..services import review as services

FIELD_NAMES = {"files": "documents", "version": "body"}
PER_PAGE = 25


def _refuse_non_members(user: Any) -> None:
    if not can_submit_resource(user):
        raise PermissionRefused("Members share resources with the library; patients cannot.")


@login_required
@require_http_methods(["GET", "POST"])
def submission_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _refuse_non_members(request.user)
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"authors": request.user.display_name},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                resource = services.submission_create(
                    actor=request.user,
                    fields=form.resource_fields(),
                    content=form.content(),
                    submit=True,
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form, FIELD_NAMES)
                status = error.status
            else:
                messages.success(
                    request, "Thank you: your submission is sent to the library team for review."
                )
                return redirect("library:submission_detail", resource_id=resource.pk)
        else:
            status = 422
    return render(
        request, "library/submissions/form.html", {"form": form, "editing": False}, status=status
    )


@login_required
@require_GET
def my_submissions(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.submission_list(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "library/submissions/my_submissions.html",
        {
            "page": page,
            "submissions": list(page.object_list),
            "can_submit": can_submit_resource(request.user),
        },
    )


def detail_context(request: AuthenticatedHttpRequest, resource: Any) -> dict[str, Any]:
    version = resource.current_version
    return {
        "resource": resource,
        "version": version,
        "files": list(version.files.all()) if version is not None else [],
        "events": selectors.timeline(resource),
        "next_step": selectors.next_step(resource),
        "is_submitter": request.user.pk == resource.created_by_id,
        "can_edit": resource.created_by_id == request.user.pk
        and can_edit_resource(request.user, resource),
        "can_withdraw": can_withdraw_submission(request.user, resource),
        "can_review": can_review(request.user),
    }


@login_required
@require_GET
def submission_detail(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    context = detail_context(request, resource)
    context.update(
        comment_form=CommentForm(),
        resubmit_form=ResubmitForm(),
        withdraw_form=WithdrawForm(),
    )
    return render(request, "library/submissions/detail.html", context)


def _own(request: AuthenticatedHttpRequest, resource_id: int) -> Any:
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    if resource.created_by_id != request.user.pk:
        raise PermissionRefused("Only the person who made the submission changes it.")
    return resource


@login_required
@require_http_methods(["GET", "POST"])
def submission_edit(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = _own(request, resource_id)
    if not can_edit_resource(request.user, resource):
        raise PermissionRefused(
            "You can change a submission while it is a draft or when the reviewers ask for changes."
        )
    form = SubmissionForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        editing=True,
        initial=initial_from(resource),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submission_edit(
                    actor=request.user,
                    resource=resource,
                    fields=form.resource_fields(),
                    content=form.content(),
                    keep_files=bool(form.cleaned_data.get("keep_files")),
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form, FIELD_NAMES)
                status = error.status
            else:
                if resource.status == ResourceStatus.CHANGES_REQUESTED:
                    messages.success(
                        request,
                        "Your changes are saved. Send the submission back for review when "
                        "it is ready.",
                    )
                else:
                    messages.success(request, "Your changes are saved.")
                return redirect("library:submission_detail", resource_id=resource.pk)
        else:
            status = 422
    return render(
        request,
        "library/submissions/form.html",
        {"form": form, "editing": True, "resource": resource},
        status=status,
    )


def _act(request: AuthenticatedHttpRequest, resource_id: int, call: Any, done: str) -> Any:
    resource = _own(request, resource_id)
    try:
        call(resource)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("library:submission_detail", resource_id=resource.pk)


@login_required
@require_POST
def submission_submit(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    return _act(
        request,
        resource_id,
        lambda resource: services.submission_submit(actor=request.user, resource=resource),
        "Your submission is sent to the library team for review.",
    )


@login_required
@require_POST
def submission_resubmit(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    form = ResubmitForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    return _act(
        request,
        resource_id,
        lambda resource: services.submission_resubmit(
            actor=request.user, resource=resource, comment=comment
        ),
        "Your submission is back with the library team for review.",
    )


@login_required
@require_POST
def submission_withdraw(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _act(
        request,
        resource_id,
        lambda resource: services.submission_withdraw(
            actor=request.user, resource=resource, reason=reason
        ),
        "Your submission is withdrawn.",
    )


@login_required
@require_GET
def submission_file(
    request: AuthenticatedHttpRequest, resource_id: int, file_id: int
) -> FileResponse:
    """A file of any version of the submission, for the submitter and the reviewers (not counted
    as a download: the library's usage counts readers, not review)."""
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    stored = ResourceFile.objects.filter(pk=file_id, version__resource=resource).first()
    if stored is None:
        raise NotFound("No such file.")
    return file_response(stored)
