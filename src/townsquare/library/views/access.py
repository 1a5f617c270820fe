"""Access pages: ask for access to a restricted resource, follow one's requests, decide them
(staff and the owning organization's leaders), revoke grants, and usage statistics (per resource
for its deciders; the overview for staff). Each view validates, calls one service or selector,
and renders."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.academy.views.credit import stream_csv
from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from
from townsquare.core.models import MAX_OBJECT_ID

from ..forms.access import AccessDecisionForm, AccessRequestForm, UsageMonthForm
from ..models import Resource
from ..permissions import (
    can_decide_access,
    can_manage_library,
    can_open_resource,
    can_request_access,
    can_see_resource,
    can_view_usage,
)
from ..selectors import access as selectors
from ..selectors import usage as usage_selectors
from ..services import access as services

PENDING_PER_PAGE = 50
DECIDED_SHOWN = 20
GRANTS_SHOWN = 100
TOP_SHOWN = 20


def _seen_resource(user: Any, slug: str) -> Resource:
    """The resource if the person may know it exists; 404 otherwise (unlisted stays hidden)."""
    resource = selectors.resource_by_slug(slug)
    if not can_see_resource(user, resource):
        raise NotFound("No such resource.")
    return resource


def _checked_id(value: int) -> int:
    if not 0 < value <= MAX_OBJECT_ID:
        raise NotFound("Not found.")
    return value


# --- Asking ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def access_request(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    resource = _seen_resource(request.user, slug)
    if can_open_resource(request.user, resource):
        messages.info(request, "You may already open this resource.")
        return redirect(services.resource_url(resource))
    if not can_request_access(request.user, resource):
        raise PermissionRefused("Access to this resource cannot be requested.")
    pending = selectors.pending_request_of(request.user, resource)
    form = AccessRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and pending is None:
        if form.is_valid():
            try:
                services.access_request_create(
                    actor=request.user, resource=resource, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                if error.status in {403, 404}:
                    raise
                form_errors_from(error, form)
                status = error.status
            else:
                messages.success(
                    request,
                    f"Your request for “{resource.title}” is sent. You will be told when it is "
                    "decided.",
                )
                return redirect("library:my_access_requests")
        else:
            status = 422
    elif request.method == "POST":
        status = 409
    return render(
        request,
        "library/access/request.html",
        {"resource": resource, "form": form, "pending": pending},
        status=status,
    )


@login_required
@require_POST
def access_request_withdraw(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    found = selectors.access_request_get(viewer=request.user, request_id=_checked_id(request_id))
    if found.requester_id != request.user.pk:
        raise PermissionRefused("Only the person who asked may withdraw the request.")
    services.access_request_withdraw(actor=request.user, access_request=found)
    messages.success(request, f"Your request for “{found.resource.title}” is withdrawn.")
    return redirect("library:my_access_requests")


@login_required
@require_GET
def my_access_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    requests = list(selectors.requests_of(request.user)[:200])
    grants = list(selectors.grants_of(request.user)[:200])
    return render(
        request,
        "library/access/my_requests.html",
        {"requests": requests, "grants": grants},
    )


# --- Deciding -------------------------------------------------------------------------------------


def _check_decider(user: Any) -> None:
    if not selectors.is_access_decider(user):
        raise PermissionRefused(
            "Access requests are decided by center staff and organizations' leaders."
        )


@login_required
@require_GET
def access_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_decider(request.user)
    pending = Paginator(selectors.requests_to_decide(request.user), PENDING_PER_PAGE)
    page = pending.get_page(request.GET.get("page"))
    decided = list(selectors.requests_decided_by_scope(request.user)[:DECIDED_SHOWN])
    grants = list(selectors.grants_given_by_scope(request.user)[:GRANTS_SHOWN])
    return render(
        request,
        "library/access/requests.html",
        {
            "page": page,
            "pending": list(page.object_list),
            "decided": decided,
            "grants": grants,
            "form": AccessDecisionForm(),
        },
    )


@login_required
@require_POST
def access_decide(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    found = selectors.access_request_get(viewer=request.user, request_id=_checked_id(request_id))
    form = AccessDecisionForm(request.POST)
    if not form.is_valid():
        if not can_decide_access(request.user, found.resource):
            raise PermissionRefused("Only the resource's deciders decide its requests.")
        messages.error(request, "Choose to grant or refuse the request.")
        return render(
            request,
            "library/access/decide.html",
            {"access_request": found, "form": form},
            status=422,
        )
    try:
        decided = services.access_decide(
            actor=request.user,
            access_request=found,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        )
    except DomainError as error:
        if error.status in {403, 404, 409}:  # a 409: decided meanwhile; the page says so
            raise
        form_errors_from(error, form)
        return render(
            request,
            "library/access/decide.html",
            {"access_request": found, "form": form},
            status=error.status,
        )
    verb = "granted" if decided.status == "granted" else "refused"
    messages.success(
        request,
        f"You {verb} {decided.requester.display_name}'s request for “{decided.resource.title}”; "
        "they have been told.",
    )
    return redirect("library:access_requests")


@login_required
@require_POST
def grant_revoke(request: AuthenticatedHttpRequest, grant_id: int) -> HttpResponse:
    grant = selectors.grant_get(viewer=request.user, grant_id=_checked_id(grant_id))
    services.grant_revoke(actor=request.user, grant=grant)
    messages.success(
        request,
        f"{grant.person.display_name} no longer has access to “{grant.resource.title}”.",
    )
    return redirect("library:access_requests")


# --- Usage ----------------------------------------------------------------------------------------


def _usage_resource(user: Any, slug: str) -> Resource:
    resource = _seen_resource(user, slug)
    if not can_view_usage(user, resource):
        raise PermissionRefused(
            "Usage statistics are for center staff and the owning organization's leaders."
        )
    return resource


@login_required
@require_GET
def resource_usage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    resource = _usage_resource(request.user, slug)
    summary = usage_selectors.usage_by_month(resource)
    return render(
        request,
        "library/access/resource_usage.html",
        {
            "resource": resource,
            "summary": summary,
            "newest_first": list(reversed(summary.months)),
            "grants": list(selectors.grants_given_by_scope(request.user, resource=resource)[:50]),
        },
    )


@login_required
@require_GET
def resource_usage_csv(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    resource = _usage_resource(request.user, slug)
    summary = usage_selectors.usage_by_month(resource)
    return stream_csv(usage_selectors.usage_csv_rows(summary), f"{resource.slug}-usage.csv")


def _overview_month(request: AuthenticatedHttpRequest) -> tuple[UsageMonthForm, date]:
    form = UsageMonthForm(request.GET or None)
    month = usage_selectors.this_month()
    if form.is_valid() and form.cleaned_data["month"]:
        chosen = usage_selectors.parse_month(form.cleaned_data["month"])
        if chosen is None:
            form.add_error("month", "Give a month as YYYY-MM.")
        else:
            month = chosen
    return form, month


def _check_overview(user: Any) -> None:
    if not can_manage_library(user):
        raise PermissionRefused("The usage overview is for center staff.")


@login_required
@require_GET
def usage_overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    _check_overview(request.user)
    form, month = _overview_month(request)
    month_views, month_downloads = usage_selectors.usage_totals(month=month)
    all_views, all_downloads = usage_selectors.usage_totals()
    return render(
        request,
        "library/access/usage_overview.html",
        {
            "form": form,
            "month": month,
            "previous_month": usage_selectors.month_shift(month, -1),
            "next_month": usage_selectors.month_shift(month, 1),
            "is_this_month": month == usage_selectors.this_month(),
            "top_month": usage_selectors.usage_top(month=month, limit=TOP_SHOWN),
            "top_overall": usage_selectors.usage_top(limit=TOP_SHOWN),
            "month_views": month_views,
            "month_downloads": month_downloads,
            "all_views": all_views,
            "all_downloads": all_downloads,
        },
        status=200 if form.is_valid() or not request.GET else 422,
    )


@login_required
@require_GET
def usage_overview_csv(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _check_overview(request.user)
    which = request.GET.get("period", "month")
    month: date | None = None
    if which != "all":
        form, month = _overview_month(request)
        if form.errors:
            raise NotFound("Give a month as YYYY-MM.")
    rows = usage_selectors.usage_top(month=month, limit=1000)
    name = f"library-usage-{month:%Y-%m}.csv" if month else "library-usage-all-time.csv"
    return stream_csv(usage_selectors.top_csv_rows(rows, month=month), name)
