"""Fellowship pages: the ladder and my submissions, writing and submitting work, the review queue,
reviews and comments, and the staff award of Platinum."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.accounts.models import User
from townsquare.core.errors import DomainError, PermissionRefused
from townsquare.core.forms import form_errors_from
from townsquare.core.uploads import attachment_response

from .. import permissions
from ..forms.credentials import (
    CommentForm,
    DecisionForm,
    PlatinumAwardForm,
    SubmissionEditForm,
    SubmissionForm,
)
from ..models import FellowshipLevel, SubmissionStatus
from ..selectors import credentials as selectors
from ..services import fellowship as services


@login_required
def fellowship(request: AuthenticatedHttpRequest) -> HttpResponse:
    held = {
        credential.level: credential
        for credential in selectors.fellowship_credentials(user=request.user)
    }
    ladder = [
        {
            "level": level,
            "label": level.label,
            "work": services.LEVEL_WORK[level],
            "credential": held.get(level.value),
        }
        for level in FellowshipLevel
    ]
    return render(
        request,
        "academy/fellowship/overview.html",
        {
            "ladder": ladder,
            "submissions": list(selectors.submission_list(user=request.user)),
            "can_apply": permissions.can_apply_for_fellowship(request.user),
            "can_review": permissions.can_review_submissions(request.user),
            "can_award": permissions.can_award_platinum(request.user),
        },
    )


@login_required
def submission_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_apply_for_fellowship(request.user):
        raise PermissionRefused("The fellowship is open to health-care professionals.")
    form = SubmissionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            submission = services.submission_create(
                actor=request.user,
                level=form.cleaned_data["level"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form_errors_from(error, form)
        else:
            messages.success(request, "Draft saved. Submit it for review when it is ready.")
            return redirect("academy:fellowship_submission", pk=submission.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "academy/fellowship/submission_form.html", {"form": form}, status=status)


@login_required
def submission_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(viewer=request.user, submission_id=pk)
    return _detail(request, submission)


def _detail(
    request: AuthenticatedHttpRequest,
    submission: Any,
    *,
    comment_form: CommentForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_owner = submission.user_id == request.user.pk
    can_review = (
        permissions.can_review_submission(request.user, submission)
        and submission.status == SubmissionStatus.SUBMITTED
    )
    return render(
        request,
        "academy/fellowship/submission_detail.html",
        {
            "submission": submission,
            "comments": list(submission.comments.select_related("author")),
            "is_owner": is_owner,
            "can_edit": is_owner and submission.status in services.EDITABLE_STATUSES,
            "can_withdraw": is_owner and submission.status in services.OPEN_STATUSES,
            "can_comment": submission.status != SubmissionStatus.WITHDRAWN,
            "comment_form": comment_form or CommentForm(),
            "decision_form": (decision_form or DecisionForm()) if can_review else None,
        },
        status=status,
    )


@login_required
def submission_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(viewer=request.user, submission_id=pk)
    if submission.user_id != request.user.pk:
        raise PermissionRefused("Only the person who wrote this submission may edit it.")
    initial = {"title": submission.title, "body": submission.body}
    form = SubmissionEditForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.submission_update(
                actor=request.user,
                submission=submission,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form_errors_from(error, form)
        else:
            messages.success(request, "Saved.")
            return redirect("academy:fellowship_submission", pk=submission.pk)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "academy/fellowship/submission_form.html",
        {"form": form, "submission": submission},
        status=status,
    )


def _transition(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    submission = selectors.submission_get(viewer=request.user, submission_id=pk)
    service = {"submit": services.submission_submit, "withdraw": services.submission_withdraw}
    try:
        service[action](actor=request.user, submission=submission)
    except DomainError as error:
        if error.status == 403:
            raise
        messages.error(request, error.message)
        if error.field_errors:
            for field_messages in error.field_errors.values():
                for message in field_messages:
                    messages.error(request, message)
    else:
        messages.success(
            request,
            "Submitted for review." if action == "submit" else "The submission is withdrawn.",
        )
    return redirect("academy:fellowship_submission", pk=pk)


@login_required
@require_POST
def submission_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "submit")


@login_required
@require_POST
def submission_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "withdraw")


@login_required
@require_POST
def submission_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(viewer=request.user, submission_id=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.submission_comment(
                actor=request.user, submission=submission, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form_errors_from(error, form)
        else:
            messages.success(request, "Comment added.")
            return redirect("academy:fellowship_submission", pk=pk)
    return _detail(request, submission, comment_form=form, status=422)


@login_required
@require_POST
def submission_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_get(viewer=request.user, submission_id=pk)
    if not permissions.can_review_submission(request.user, submission):
        raise PermissionRefused("Only advisors may review submissions, and never their own.")
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.submission_decide(
                actor=request.user,
                submission=submission,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            if error.status == 403:
                raise
            form_errors_from(error, form)
        else:
            messages.success(request, "Your decision is recorded and the applicant is told.")
            return redirect("academy:fellowship_review_queue")
    return _detail(request, submission, decision_form=form, status=422)


@login_required
def submission_attachment(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    submission = selectors.submission_get(viewer=request.user, submission_id=pk)
    if not submission.attachment:
        from townsquare.core.errors import NotFound

        raise NotFound("This submission has no attached presentation.")
    return attachment_response(
        submission.attachment, download_name=submission.attachment_name or "presentation"
    )


@login_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    submissions = list(selectors.review_queue(viewer=request.user))
    return render(request, "academy/fellowship/review_queue.html", {"submissions": submissions})


@login_required
def award_platinum(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not permissions.can_award_platinum(request.user):
        raise PermissionRefused("Only center staff award the Platinum fellowship.")
    form = PlatinumAwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if person is None:
            form.add_error("email", "No one has this email address.")
        else:
            try:
                credential = services.fellowship_award_platinum(
                    actor=request.user, user=person, citation=form.cleaned_data["citation"]
                )
            except DomainError as error:
                if error.status == 403:
                    raise
                form_errors_from(error, form)
            else:
                messages.success(request, f"{person} is now a Platinum fellow.")
                return redirect("academy:credential_detail", pk=credential.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "academy/fellowship/award.html", {"form": form}, status=status)
