"""The reviewers' pages: the queue of submissions, one submission with its history and the
decision form, comments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, PermissionRefused
from townsquare.core.forms import form_errors_from

from ..forms.submissions import (
    CommentForm,
    DecisionForm,
    QueueFilterForm,
    ResubmitForm,
    WithdrawForm,
)
from ..models import ResourceStatus
from ..permissions import can_review
from ..selectors import submissions as selectors
from ..services import review as services
from .submissions import detail_context

PER_PAGE = 25


def _reviewer(user: Any) -> None:
    if not can_review(user):
        raise PermissionRefused("Only center staff review submissions.")


def _filters(form: QueueFilterForm) -> selectors.QueueFilters:
    if not form.is_valid():
        return selectors.QueueFilters()
    data = form.cleaned_data
    status = data.get("status") or ResourceStatus.SUBMITTED
    return selectors.QueueFilters(
        status="" if status == "all" else status,
        kind=data.get("kind") or "",
        query=(data.get("q") or "").strip(),
        order=data.get("order") or "oldest",
    )


@login_required
@require_GET
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    _reviewer(request.user)
    form = QueueFilterForm(request.GET or None)
    filters = _filters(form)
    page = Paginator(selectors.review_queue(viewer=request.user, filters=filters), PER_PAGE)
    current = page.get_page(request.GET.get("page"))
    return render(
        request,
        "library/review/queue.html",
        {
            "filters": form,
            "page": current,
            "submissions": list(current.object_list),
            "status": filters.status,
        },
    )


def _detail(
    request: AuthenticatedHttpRequest,
    resource: Any,
    *,
    decision_form: DecisionForm | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = detail_context(request, resource)
    is_waiting = resource.status == ResourceStatus.SUBMITTED
    context.update(
        decision_form=(decision_form or DecisionForm()) if is_waiting else None,
        comment_form=comment_form or CommentForm(),
    )
    return render(request, "library/review/detail.html", context, status=status)


@login_required
@require_GET
def review_detail(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    _reviewer(request.user)
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    return _detail(request, resource)


@login_required
@require_POST
def review_decide(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    _reviewer(request.user)
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, resource, decision_form=form, status=422)
    try:
        decided = services.review_decide(
            actor=request.user,
            resource=resource,
            action=form.cleaned_data["action"],
            comment=form.cleaned_data["comment"],
            publish_at=form.publish_at_aware(),
        )
    except DomainError as error:
        if error.status in (403, 404):
            raise
        if error.status == 409:
            messages.error(request, error.message)
            return redirect("library:review_detail", resource_id=resource.pk)
        form_errors_from(error, form)
        return _detail(request, resource, decision_form=form, status=error.status)
    messages.success(
        request,
        f"Decision recorded: {decided.get_status_display().lower()}. The submitter is notified.",
    )
    return redirect("library:review_detail", resource_id=resource.pk)


@login_required
@require_POST
def review_comment(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    """A comment on the review trail, from a reviewer or from the submitter."""
    resource = selectors.submission_get(viewer=request.user, resource_id=resource_id)
    reviewing = can_review(request.user) and resource.created_by_id != request.user.pk
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.review_comment(
                actor=request.user, resource=resource, comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            if error.status in (403, 404):
                raise
            form_errors_from(error, form)
        else:
            messages.success(request, "Your comment is added.")
            target = "library:review_detail" if reviewing else "library:submission_detail"
            return redirect(target, resource_id=resource.pk)
    if reviewing:
        return _detail(request, resource, comment_form=form, status=422)
    context = detail_context(request, resource)
    context.update(comment_form=form, resubmit_form=ResubmitForm(), withdraw_form=WithdrawForm())
    return render(request, "library/submissions/detail.html", context, status=422)
