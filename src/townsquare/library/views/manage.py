"""Staff pages of the library: every resource with status filters, creating and editing
resources, new versions (several files at once, the chapters editor for books), publishing now
or on a date, withdrawing, the review-by list and topics. Each view asks the gate, validates a
form, calls one service and redirects or renders."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.forms import form_errors_from
from townsquare.core.models import MAX_OBJECT_ID

from ..forms.manage import (
    ChapterFormSet,
    ManageFilterForm,
    PublishForm,
    ResourceForm,
    TopicForm,
    VersionForm,
    chapter_initial,
    site_zone,
)
from ..models import Resource, ResourceStatus, ResourceType, Topic
from ..permissions import can_manage_library
from ..selectors import manage as selectors
from ..services import collections as collection_services
from ..services import resources as services

RESOURCES_PER_PAGE = 50
# Field names of the services that differ from the form's.
FIELD_NAMES = {"topic_ids": "topics", "files": "uploads"}


def require_librarian(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_library(request.user):
        raise PermissionRefused("The library's staff pages are for center staff.")


def managed_resource(request: AuthenticatedHttpRequest, resource_id: int) -> Resource:
    require_librarian(request)
    resource = (
        selectors.resource_for_managing(resource_id=resource_id)
        if resource_id <= MAX_OBJECT_ID
        else None
    )
    if resource is None:
        raise NotFound("No such resource.")
    return resource


def save_or_errors(form: Any, save: Callable[[], Any]) -> bool:
    """Validate and call the service; its errors land on the form. True when saved."""
    if not form.is_valid():
        return False
    try:
        save()
    except DomainError as error:
        if isinstance(error, PermissionRefused | NotFound):
            raise
        form_errors_from(error, form, FIELD_NAMES)
        return False
    return True


# A member's submission in these states is decided on the review pages, so its trail stays whole.
UNDER_REVIEW = frozenset(
    {ResourceStatus.SUBMITTED, ResourceStatus.CHANGES_REQUESTED, ResourceStatus.REJECTED}
)


def is_under_review(resource: Resource) -> bool:
    return resource.is_submission and resource.status in UNDER_REVIEW


def _to_edit(resource: Resource) -> HttpResponse:
    return redirect("library:resource_edit", resource_id=resource.pk)


# --- The list -------------------------------------------------------------------------------------


@login_required
def manage_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_librarian(request)
    filters = ManageFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    resources = selectors.resources_for_managing(
        status=data.get("status") or "",
        kind=data.get("kind") or "",
        query=data.get("q") or "",
        submissions=data.get("submissions") or "",
    )
    page = Paginator(resources, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    counts = selectors.status_counts()
    return render(
        request,
        "library/manage/manage_list.html",
        {
            "page": page,
            "filters": filters,
            "status_counts": [
                (value, label, counts[value]) for value, label in ResourceStatus.choices
            ],
            "current_status": data.get("status") or "",
        },
    )


# --- Resources ------------------------------------------------------------------------------------


@login_required
def resource_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_librarian(request)
    form = ResourceForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        created: list[Resource] = []
        if save_or_errors(
            form,
            lambda: created.append(
                services.resource_create(actor=request.user, fields=form.fields_for_service())
            ),
        ):
            messages.success(
                request, f"Created the draft “{created[0].title}”. Now add its first version."
            )
            return redirect("library:version_create", resource_id=created[0].pk)
        status = 422
    return render(
        request,
        "library/manage/resource_form.html",
        {"form": form, "resource": None},
        status=status,
    )


@login_required
def resource_edit(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = managed_resource(request, resource_id)
    form = ResourceForm(
        request.POST or None, request.FILES or None, initial=ResourceForm.initial_for(resource)
    )
    status = 200
    if request.method == "POST":
        if save_or_errors(
            form,
            lambda: services.resource_update(
                actor=request.user, resource=resource, fields=form.fields_for_service()
            ),
        ):
            messages.success(request, "Saved the resource.")
            return _to_edit(resource)
        status = 422
    return render(
        request,
        "library/manage/resource_form.html",
        {
            "form": form,
            "resource": resource,
            "versions": list(resource.versions.all()),
            "publish_form": PublishForm(),
            "time_zone": site_zone().key,
            "can_publish": resource.current_version_id is not None
            and not is_under_review(resource),
            "under_review": is_under_review(resource),
            "can_withdraw": resource.status in {ResourceStatus.PUBLISHED, ResourceStatus.SCHEDULED},
        },
        status=status,
    )


def _has_chapter_editor(resource: Resource) -> bool:
    if resource.kind == ResourceType.BOOK:
        return True
    version = resource.current_version
    return version is not None and version.chapters.exists()


@login_required
def version_create(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = managed_resource(request, resource_id)
    current = resource.current_version
    with_chapters = _has_chapter_editor(resource)
    form = VersionForm(
        request.POST or None,
        request.FILES or None,
        initial={"body": current.body if current else "", "keep_files": current is not None},
    )
    chapters = (
        ChapterFormSet(request.POST or None, initial=chapter_initial(resource), prefix="chapters")
        if with_chapters
        else None
    )
    status = 200
    if request.method == "POST":
        chapters_valid = chapters is None or chapters.is_valid()
        made: list[Any] = []
        if chapters_valid and save_or_errors(
            form,
            lambda: made.append(
                services.version_create(
                    actor=request.user,
                    resource=resource,
                    change_note=form.cleaned_data.get("change_note") or "",
                    body=form.cleaned_data.get("body") or "",
                    files=form.cleaned_data.get("uploads") or [],
                    chapters=chapters.chapters() if chapters is not None else None,
                    keep_files=bool(form.cleaned_data.get("keep_files")),
                )
            ),
        ):
            messages.success(request, f"Saved version {made[0].number}; it is now the current one.")
            return _to_edit(resource)
        if not chapters_valid:
            form.is_valid()
        status = 422
    return render(
        request,
        "library/manage/version_form.html",
        {
            "form": form,
            "chapters": chapters,
            "resource": resource,
            "current": current,
            "current_files": list(current.files.all()) if current else [],
        },
        status=status,
    )


@login_required
@require_POST
def resource_publish(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = managed_resource(request, resource_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed(
            "Please correct: " + "; ".join(str(e) for e in form.errors.get("publish_at", [])),
            field_errors={"publish_at": [str(e) for e in form.errors.get("publish_at", [])]},
        )
    at = form.cleaned_data.get("publish_at")
    if is_under_review(resource):
        messages.error(request, "This is a member's submission: decide it on its review page.")
        return _to_edit(resource)
    try:
        published = services.resource_publish(actor=request.user, resource=resource, at=at)
    except ValidationFailed as error:
        messages.error(request, error.message)
        return _to_edit(resource)
    if published.status == ResourceStatus.SCHEDULED and published.publish_at:
        when = published.publish_at.astimezone(site_zone()).strftime("%-d %b %Y, %H:%M %Z")
        messages.success(request, f"“{resource.title}” will be published on {when}.")
    else:
        messages.success(request, f"“{resource.title}” is published.")
    return _to_edit(resource)


@login_required
@require_POST
def resource_withdraw(request: AuthenticatedHttpRequest, resource_id: int) -> HttpResponse:
    resource = managed_resource(request, resource_id)
    reason = request.POST.get("reason", "")
    if len(reason) > 1000:
        raise ValidationFailed("Keep the reason under 1000 characters.")
    if resource.status not in {ResourceStatus.PUBLISHED, ResourceStatus.SCHEDULED}:
        messages.error(request, "Only a published or scheduled resource can be withdrawn.")
        return _to_edit(resource)
    services.resource_withdraw(actor=request.user, resource=resource, reason=reason)
    messages.success(
        request,
        f"“{resource.title}” is withdrawn: readers no longer find it. Publish it again "
        "at any time.",
    )
    return _to_edit(resource)


# --- The review-by list, topics -------------------------------------------------------------------


@login_required
def review_due(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_librarian(request)
    due = selectors.review_due()
    return render(
        request,
        "library/manage/review_due.html",
        {"due": due, "window": selectors.REVIEW_DUE_WINDOW_DAYS},
    )


@login_required
def topic_manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The topics with their resource counts; add, rename (``topic`` + ``name``) or delete
    (``topic`` + ``delete``) in one page."""
    require_librarian(request)
    form = TopicForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        topic_id = request.POST.get("topic", "")
        topic = None
        if topic_id:
            topic = (
                Topic.objects.filter(pk=int(topic_id)).first()
                if topic_id.isdigit() and int(topic_id) <= MAX_OBJECT_ID
                else None
            )
            if topic is None:
                raise NotFound("No such topic.")
        if topic is not None and "delete" in request.POST:
            collection_services.topic_delete(actor=request.user, topic=topic)
            messages.success(request, f"Deleted the topic “{topic.name}”.")
            return redirect("library:topic_manage")
        if save_or_errors(
            form,
            lambda: (
                collection_services.topic_rename(
                    actor=request.user, topic=topic, name=form.cleaned_data["name"]
                )
                if topic is not None
                else collection_services.topic_create(
                    actor=request.user, name=form.cleaned_data["name"]
                )
            ),
        ):
            verb = "Renamed the topic to" if topic is not None else "Added the topic"
            messages.success(request, f"{verb} “{form.cleaned_data['name'].strip()}”.")
            return redirect("library:topic_manage")
        status = 422
    return render(
        request,
        "library/manage/topic_manage.html",
        {"form": form, "topics": list(selectors.topics_with_counts())},
        status=status,
    )
