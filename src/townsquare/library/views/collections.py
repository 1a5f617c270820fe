"""Collections and toolkits: their public pages (each item as the person may see it) and the staff
pages that curate them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused, ValidationFailed

from ..forms.manage import (
    CollectionForm,
    CollectionItemAddForm,
    CollectionItemMoveForm,
    CollectionPublishForm,
)
from ..models import Collection
from ..permissions import can_manage_collection
from ..selectors import manage as selectors
from ..services import collections as services
from .manage import save_or_errors

COLLECTIONS_PER_PAGE = 50


def _curated(request: AuthenticatedHttpRequest, slug: str) -> Collection:
    if not can_manage_collection(request.user):
        raise PermissionRefused("Only center staff curate collections.")
    collection = Collection.objects.filter(slug=slug).first()
    if collection is None:
        raise NotFound("No such collection.")
    return collection


def _to_edit(collection: Collection) -> HttpResponse:
    return redirect("library:collection_edit", slug=collection.slug)


def collection_list(request: HttpRequest) -> HttpResponse:
    collections = selectors.collections_visible_to(request.user)
    page = Paginator(collections, COLLECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "library/collections/collection_list.html",
        {"page": page, "can_manage": can_manage_collection(request.user)},
    )


def collection_detail(request: HttpRequest, slug: str) -> HttpResponse:
    collection = selectors.collection_for(request.user, slug=slug)
    if collection is None:
        raise NotFound("No such collection.")
    return render(
        request,
        "library/collections/collection_detail.html",
        {
            "collection": collection,
            "items": selectors.collection_items_for(request.user, collection),
            "can_manage": can_manage_collection(request.user, collection),
        },
    )


@login_required
def collection_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_collection(request.user):
        raise PermissionRefused("Only center staff curate collections.")
    form = CollectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        created: list[Collection] = []
        if save_or_errors(
            form,
            lambda: created.append(
                services.collection_create(actor=request.user, fields=form.fields_for_service())
            ),
        ):
            messages.success(
                request, f"Created “{created[0].title}”. Add resources, then publish it."
            )
            return _to_edit(created[0])
        status = 422
    return render(
        request,
        "library/collections/collection_form.html",
        {"form": form, "collection": None},
        status=status,
    )


@login_required
def collection_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    collection = _curated(request, slug)
    form = CollectionForm(request.POST or None, initial=CollectionForm.initial_for(collection))
    status = 200
    if request.method == "POST":
        saved: list[Collection] = []
        if save_or_errors(
            form,
            lambda: saved.append(
                services.collection_update(
                    actor=request.user, collection=collection, fields=form.fields_for_service()
                )
            ),
        ):
            messages.success(request, "Saved the collection.")
            return _to_edit(saved[0])
        status = 422
    return render(
        request,
        "library/collections/collection_form.html",
        {
            "form": form,
            "collection": collection,
            "items": selectors.collection_items_for_managing(collection),
            "add_form": CollectionItemAddForm(),
        },
        status=status,
    )


@login_required
@require_POST
def collection_item_add(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    collection = _curated(request, slug)
    form = CollectionItemAddForm(request.POST)
    if not form.is_valid():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        raise ValidationFailed(
            "Please correct: " + " ".join(problems),
            field_errors={name: [str(e) for e in errors] for name, errors in form.errors.items()},
        )
    resource = form.cleaned_data["resource"]
    try:
        services.collection_item_add(
            actor=request.user,
            collection=collection,
            resource=resource,
            note=form.cleaned_data.get("note") or "",
        )
    except DomainError as error:
        if isinstance(error, PermissionRefused | NotFound):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, f"Added “{resource.title}”.")
    return _to_edit(collection)


@login_required
@require_POST
def collection_item_remove(
    request: AuthenticatedHttpRequest, slug: str, item_id: int
) -> HttpResponse:
    collection = _curated(request, slug)
    services.collection_item_remove(actor=request.user, collection=collection, item_id=item_id)
    messages.success(request, "Removed the resource from the collection.")
    return _to_edit(collection)


@login_required
@require_POST
def collection_item_move(
    request: AuthenticatedHttpRequest, slug: str, item_id: int
) -> HttpResponse:
    collection = _curated(request, slug)
    form = CollectionItemMoveForm(request.POST)
    if not form.is_valid():
        raise ValidationFailed("Move up or down.", field_errors={"direction": ["Up or down."]})
    services.collection_item_move(
        actor=request.user,
        collection=collection,
        item_id=item_id,
        direction=form.cleaned_data["direction"],
    )
    return _to_edit(collection)


@login_required
@require_POST
def collection_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    collection = _curated(request, slug)
    form = CollectionPublishForm(request.POST)
    publish = not form.is_valid() or form.cleaned_data["publish"] == "yes"
    services.collection_publish(actor=request.user, collection=collection, publish=publish)
    if publish:
        messages.success(request, f"“{collection.title}” is published.")
    else:
        messages.success(request, f"“{collection.title}” is back to staff only.")
    return _to_edit(collection)
