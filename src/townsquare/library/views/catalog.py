"""Catalog pages: browse, a resource at its stable link, a version, a chapter, a file download
and a citation. Who sees what (see ``permissions``): an unseen resource is a 404; one the
person may see but not open shows its title, summary, authors and type with a request-access
button, and its versions, chapters, files and version-specific citations answer 403."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from townsquare.core.errors import NotFound
from townsquare.core.markdown import render_markdown
from townsquare.core.middleware import audit_refusal
from townsquare.core.models import MAX_OBJECT_ID

from .. import permissions
from ..forms.catalog import CatalogFilterForm
from ..models import Resource, ResourceStatus, ResourceVersion
from ..selectors import catalog as selectors
from ..services import citations
from ..services.resources import usage_record

PAGE_SIZE = 20


def url_of(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def stable_link(request: HttpRequest, resource: Resource, version: int | None = None) -> str:
    if version is None:
        path = reverse("library:resource_detail", args=[resource.slug])
    else:
        path = reverse("library:version_detail", args=[resource.slug, version])
    return request.build_absolute_uri(path)


def _count_view(resource: Resource) -> None:
    # Views of published resources only: staff previewing a draft are not readers.
    if resource.status == ResourceStatus.PUBLISHED:
        usage_record(resource_id=resource.pk)


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    topics = selectors.topics_in_use()
    form = CatalogFilterForm(
        request.GET or None,
        topics=topics,
        languages=selectors.languages_in_use(user=request.user),
    )
    page = Paginator(
        selectors.catalog_list(user=request.user, filters=form.filters()), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "library/catalog/catalog.html",
        {
            "form": form,
            "page": page,
            "search_url": url_of("library:search"),
            "manage_url": url_of("library:manage_list")
            if permissions.can_manage_library(request.user)
            else "",
            "submit_url": url_of("library:submission_create")
            if permissions.can_submit_resource(request.user)
            else "",
        },
    )


@require_GET
def topic_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "library/catalog/topic_list.html",
        {"topics": selectors.topic_list(user=request.user)},
    )


def _contents(version: ResourceVersion) -> dict[str, Any]:
    return {
        "version": version,
        "body": render_markdown(version.body) if version.body.strip() else "",
        "files": list(version.files.all()),
        "chapters": list(version.chapters.all()),
    }


@require_GET
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = selectors.resource_get(user=request.user, slug=slug)
    user = request.user
    context: dict[str, Any] = {
        "resource": resource,
        "can_open": resource.can_open,  # type: ignore[attr-defined]
        "stable_url": stable_link(request, resource),
        "year": selectors.resource_year(resource),
        "collections": selectors.collections_with(user=user, resource=resource),
        "edit_url": url_of("library:resource_edit", resource.pk)
        if permissions.can_manage_library(user)
        else "",
        "usage_url": url_of("library:resource_usage", resource.slug)
        if permissions.can_view_usage(user, resource)
        else "",
        "submission_url": url_of("library:submission_detail", resource.pk)
        if resource.is_submission and permissions.can_follow_submission(user, resource)
        else "",
        "is_published": resource.status == ResourceStatus.PUBLISHED,
    }
    if resource.can_open:  # type: ignore[attr-defined]
        if resource.current_version_id is not None:
            context.update(_contents(selectors.version_with_contents(resource=resource)))
        context["versions"] = selectors.version_history(resource=resource)
    else:
        context["request_url"] = url_of("library:access_request", resource.slug)
        context["pending_request"] = selectors.pending_access_request(user=user, resource=resource)
    _count_view(resource)
    return render(request, "library/catalog/resource_detail.html", context)


def _opened(request: HttpRequest, slug: str) -> Resource | HttpResponse:
    """The resource when the person may open it; else the 403 page with the request-access
    button (a resource they may not even see is a 404, raised by the selector)."""
    resource = selectors.resource_get(user=request.user, slug=slug)
    if resource.can_open:  # type: ignore[attr-defined]
        return resource
    audit_refusal(request, "library.restricted")
    return render(
        request,
        "library/catalog/restricted.html",
        {
            "resource": resource,
            "request_url": url_of("library:access_request", resource.slug),
        },
        status=403,
    )


@require_GET
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    resource = _opened(request, slug)
    if isinstance(resource, HttpResponse):
        return resource
    version = selectors.version_with_contents(resource=resource, number=number)
    return render(
        request,
        "library/catalog/version_detail.html",
        {
            "resource": resource,
            "is_current": version.pk == resource.current_version_id,
            "stable_url": stable_link(request, resource, version.number),
            "current_url": reverse("library:resource_detail", args=[resource.slug]),
            **_contents(version),
        },
    )


def _chapter_page(
    request: HttpRequest, resource: Resource, version: ResourceVersion, number: int, *, pinned: bool
) -> HttpResponse:
    chapter = selectors.chapter_get(version=version, number=number)
    chapters = list(version.chapters.all())
    position = next(index for index, item in enumerate(chapters) if item.pk == chapter.pk)

    def link(item: Any) -> str:
        if item is None:
            return ""
        if pinned:
            return reverse(
                "library:version_chapter_detail", args=[resource.slug, version.number, item.number]
            )
        return reverse("library:chapter_detail", args=[resource.slug, item.number])

    previous = chapters[position - 1] if position > 0 else None
    following = chapters[position + 1] if position + 1 < len(chapters) else None
    return render(
        request,
        "library/catalog/chapter_detail.html",
        {
            "resource": resource,
            "version": version,
            "chapter": chapter,
            "body": render_markdown(chapter.body),
            "toc": [(item, link(item)) for item in chapters],
            "previous": previous,
            "previous_url": link(previous),
            "next": following,
            "next_url": link(following),
            "is_current": version.pk == resource.current_version_id,
            "pinned": pinned,
            "stable_url": request.build_absolute_uri(
                reverse(
                    "library:version_chapter_detail",
                    args=[resource.slug, version.number, chapter.number],
                )
            ),
        },
    )


@require_GET
def chapter_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    resource = _opened(request, slug)
    if isinstance(resource, HttpResponse):
        return resource
    version = selectors.version_with_contents(resource=resource)
    return _chapter_page(request, resource, version, number, pinned=False)


@require_GET
def version_chapter_detail(
    request: HttpRequest, slug: str, number: int, chapter: int
) -> HttpResponse:
    resource = _opened(request, slug)
    if isinstance(resource, HttpResponse):
        return resource
    version = selectors.version_with_contents(resource=resource, number=number)
    return _chapter_page(request, resource, version, chapter, pinned=True)


@require_GET
def file_download(request: HttpRequest, slug: str, file_id: int) -> HttpResponseBase:
    resource = _opened(request, slug)
    if isinstance(resource, HttpResponse):
        return resource
    stored = selectors.file_get(resource=resource, file_id=file_id)
    response = selectors.file_response(stored)
    if resource.status == ResourceStatus.PUBLISHED:
        usage_record(resource_id=resource.pk, download=True)
    return response


@require_GET
def citation(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in citations.FORMATS:
        raise NotFound("Citations come as .bib (BibTeX) or .ris (RIS).")
    resource = selectors.resource_get(user=request.user, slug=slug)
    version: ResourceVersion | None = None
    raw_version = request.GET.get("version", "")
    if raw_version:
        if not raw_version.isdigit() or not 1 <= int(raw_version) <= MAX_OBJECT_ID:
            raise NotFound("No such version.")
        selectors.require_open(request.user, resource)
        version = selectors.version_with_contents(resource=resource, number=int(raw_version))
    text = citations.citation_text(
        resource,
        version,
        fmt=fmt,
        url=stable_link(request, resource, version.number if version else None),
        accessed=timezone.localdate(),
        with_identifiers=permissions.can_open_resource(request.user, resource),
    )
    kind = citations.FORMATS[fmt]
    response = HttpResponse(text, content_type=f"{citations.CONTENT_TYPES[kind]}; charset=utf-8")
    filename = citations.citation_filename(resource, version, fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
