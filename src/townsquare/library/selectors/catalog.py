"""Reads for the catalog: the browse list with its filters, one resource for its page (as the
person may see it), its versions, chapters and files. Every read goes through the gates in
``permissions`` or the querysets in ``selectors.visibility``; a fixed number of queries per page,
whatever the number of rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import FileResponse

from townsquare.core.errors import NotFound, PermissionRefused
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.uploads import attachment_response

from ..models import (
    AccessRequest,
    AccessRequestStatus,
    Chapter,
    Collection,
    Resource,
    ResourceAuthor,
    ResourceFile,
    ResourceStatus,
    ResourceVersion,
    Topic,
)
from ..permissions import can_open_resource, can_see_resource, is_librarian
from .visibility import published_openable_by, resources_seen_by

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


@dataclass(frozen=True)
class CatalogFilters:
    """What the browse list (page and API) narrows by; empty values mean "any"."""

    kind: str = ""
    topic: str = ""  # a topic slug
    audience: str = ""
    year: int | None = None
    language: str = ""
    access: str = ""


def _authors() -> Prefetch[Any]:
    return Prefetch(
        "authors",
        queryset=ResourceAuthor.objects.select_related("organization").order_by("position", "id"),
    )


def year_condition(year: int) -> Q:
    """A resource's year: the publication date of the work, else the day it was published here."""
    return Q(published_on__year=year) | Q(published_on__isnull=True, published_at__year=year)


def resource_year(resource: Resource) -> int | None:
    if resource.published_on is not None:
        return resource.published_on.year
    if resource.published_at is not None:
        return resource.published_at.year
    return None


def with_open_flag(resources: QuerySet[Resource], user: Any) -> QuerySet[Resource]:
    """Annotate ``can_open`` (may the person open it?) in the same query, from the same
    visibility rules as ``can_open_resource``."""
    return resources.annotate(
        can_open=Exists(published_openable_by(user).filter(pk=OuterRef("pk")))
    )


def open_flags_set(resources: Sequence[Resource], user: Any) -> None:
    """Set ``can_open`` on resources already loaded (e.g. a collection's items, search hits):
    one query for the whole list."""
    ids = [resource.pk for resource in resources]
    openable = set(
        published_openable_by(user).filter(pk__in=ids).values_list("pk", flat=True) if ids else []
    )
    for resource in resources:
        resource.can_open = resource.pk in openable  # type: ignore[attr-defined]


def catalog_list(*, user: Any, filters: CatalogFilters | None = None) -> QuerySet[Resource]:
    """Published resources the person may see (open or listed), newest first, each with
    ``can_open``, its authors and topics (prefetched: two queries whatever the page size)."""
    filters = filters or CatalogFilters()
    resources = resources_seen_by(user).filter(status=ResourceStatus.PUBLISHED)
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.topic:
        resources = resources.filter(topics__slug=filters.topic)
    if filters.audience:
        resources = resources.filter(audience=filters.audience)
    if filters.year is not None:
        resources = resources.filter(year_condition(filters.year))
    if filters.language:
        resources = resources.filter(language__iexact=filters.language)
    if filters.access:
        resources = resources.filter(access=filters.access)
    return (
        with_open_flag(resources, user)
        .select_related("organization")
        .prefetch_related(_authors(), "topics")
        .order_by("-published_at", "-id")
    )


def topics_in_use() -> list[Topic]:
    return list(Topic.objects.order_by("name"))


def languages_in_use(*, user: Any) -> list[str]:
    return list(
        resources_seen_by(user)
        .filter(status=ResourceStatus.PUBLISHED)
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )


def topic_list(*, user: Any) -> list[Topic]:
    """Every topic, with ``resource_count``: the published resources the person may see."""
    from django.db.models import Count

    seen = resources_seen_by(user).filter(status=ResourceStatus.PUBLISHED).values("pk")
    return list(
        Topic.objects.annotate(
            resource_count=Count("resources", filter=Q(resources__in=seen), distinct=True)
        ).order_by("name")
    )


# --- One resource -------------------------------------------------------------------------------


def _resource_queryset() -> QuerySet[Resource]:
    return Resource.objects.select_related(
        "organization", "current_version", "created_by"
    ).prefetch_related(_authors(), "topics")


def resource_get(*, user: Any, slug: str) -> Resource:
    """The resource at its stable link, if the person may know it exists (else 404, so an
    unlisted restricted resource is indistinguishable from none)."""
    resource = _resource_queryset().filter(slug=slug).first()
    if resource is None or not can_see_resource(user, resource):
        raise NotFound("No such resource.")
    resource.can_open = can_open_resource(user, resource)  # type: ignore[attr-defined]
    return resource


def resource_get_by_id(*, user: Any, resource_id: int) -> Resource:
    resource = (
        _resource_queryset().filter(pk=resource_id).first()
        if 1 <= resource_id <= MAX_OBJECT_ID
        else None
    )
    if resource is None or not can_see_resource(user, resource):
        raise NotFound("No such resource.")
    resource.can_open = can_open_resource(user, resource)  # type: ignore[attr-defined]
    return resource


def require_open(user: Any, resource: Resource) -> None:
    """Its body, versions, chapters and files: 403 for someone who may only see it exists."""
    if not getattr(resource, "can_open", None) and not can_open_resource(user, resource):
        raise PermissionRefused(
            "This resource is restricted. You can see its title and summary, and ask for access."
        )


def _files() -> Prefetch[Any]:
    return Prefetch(
        "files", queryset=ResourceFile.objects.order_by("position", "id").defer("extracted_text")
    )


def _chapters() -> Prefetch[Any]:
    return Prefetch(
        "chapters",
        queryset=Chapter.objects.order_by("number").only("id", "version_id", "number", "title"),
    )


def version_with_contents(*, resource: Resource, number: int | None = None) -> ResourceVersion:
    """A version (the current one when ``number`` is None) with its files (without their
    extracted text) and its chapters' titles; 404 when there is no such version."""
    versions = ResourceVersion.objects.filter(resource=resource).prefetch_related(
        _files(), _chapters()
    )
    if number is None:
        if resource.current_version_id is None:
            raise NotFound("This resource has no content yet.")
        version = versions.filter(pk=resource.current_version_id).first()
    else:
        version = versions.filter(number=number).first() if 1 <= number <= MAX_OBJECT_ID else None
    if version is None:
        raise NotFound("No such version.")
    return version


def version_history(*, resource: Resource) -> list[ResourceVersion]:
    """Every version, newest first, without bodies."""
    return list(
        ResourceVersion.objects.filter(resource=resource)
        .select_related("created_by")
        .defer("body")
        .order_by("-number")
    )


def chapter_get(*, version: ResourceVersion, number: int) -> Chapter:
    chapter = (
        Chapter.objects.filter(version=version, number=number).first()
        if 1 <= number <= MAX_OBJECT_ID
        else None
    )
    if chapter is None:
        raise NotFound("No such chapter.")
    return chapter


def file_get(*, resource: Resource, file_id: int) -> ResourceFile:
    """A file of any version of the resource (older versions' files stay downloadable)."""
    stored = (
        ResourceFile.objects.filter(pk=file_id, version__resource=resource)
        .select_related("version")
        .defer("extracted_text")
        .first()
        if 1 <= file_id <= MAX_OBJECT_ID
        else None
    )
    if stored is None:
        raise NotFound("No such file.")
    return stored


def file_response(stored: ResourceFile) -> FileResponse:
    """The stored file as an attachment under its original name (``nosniff``); a file missing
    from storage is a clear 404, not a crash."""
    try:
        return attachment_response(stored.file, download_name=stored.original_name)
    except OSError as error:
        raise NotFound(
            "This file is missing from storage. Please tell the library staff."
        ) from error


def collections_with(*, user: Any, resource: Resource) -> list[Collection]:
    """The collections (toolkits) the resource is in that the person may see."""
    collections = Collection.objects.filter(items__resource=resource)
    if not is_librarian(user):
        collections = collections.filter(is_published=True)
    return list(collections.order_by("title", "id").distinct())


def pending_access_request(*, user: Any, resource: Resource) -> AccessRequest | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return AccessRequest.objects.filter(
        resource=resource, requester=user, status=AccessRequestStatus.PENDING
    ).first()


def author_names(authors: Iterable[ResourceAuthor]) -> list[str]:
    return [author.name for author in authors]
