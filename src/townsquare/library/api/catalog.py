"""Library API, catalog part: the list with filters, one resource, its versions, a file
download (counted, permission-checked) and its citation. Mounted at /api/v1/library/.

The same rules as the pages: a resource the caller may not know exists is a 404; one they may
see but not open comes with its title, summary, authors and type only, and its versions, files
and version citations are a 403.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone
from ninja import Query
from ninja.pagination import paginate

from townsquare.accounts.auth import session_auth, token_auth
from townsquare.core.pagination import Pagination

from ..models import Resource, ResourceStatus, ResourceVersion
from ..permissions import can_open_resource
from ..selectors import catalog as selectors
from ..services import citations
from ..services.resources import usage_record
from .catalog_schemas import (
    CitationIn,
    ResourceDetailOut,
    ResourceFilterIn,
    ResourceOut,
    VersionOut,
    VersionSummaryOut,
)
from .router import router


def anyone(request: HttpRequest) -> bool:
    """Public resources are for everyone: a signed-in caller is recognized, anyone let through."""
    return True


PUBLIC = [token_auth, session_auth, anyone]
FILE_RESPONSE = {
    "responses": {
        200: {
            "description": "The file, as an attachment.",
            "content": {"application/octet-stream": {"schema": {"type": "string"}}},
        }
    }
}
CITATION_RESPONSE = {
    "responses": {
        200: {
            "description": "A BibTeX entry or an RIS record.",
            "content": {
                "application/x-bibtex": {"schema": {"type": "string"}},
                "application/x-research-info-systems": {"schema": {"type": "string"}},
            },
        }
    }
}


def _version(resource: Resource, version: ResourceVersion) -> ResourceVersion:
    version.resource = resource  # the schema builds the version's link from it
    version.is_current = version.pk == resource.current_version_id  # type: ignore[attr-defined]
    return version


@router.get(
    "/resources",
    response=list[ResourceOut],
    auth=PUBLIC,
    summary="Published resources the caller may see, newest first (each with can_open)",
)
@paginate(Pagination)
def resources_list(request: HttpRequest, filters: Query[ResourceFilterIn]) -> Any:
    return selectors.catalog_list(
        user=request.user,
        filters=selectors.CatalogFilters(
            kind=filters.type or "",
            topic=filters.topic,
            audience=filters.audience or "",
            year=filters.year,
            language=filters.language,
            access=filters.access or "",
        ),
    )


@router.get(
    "/resources/{int:resource_id}",
    response=ResourceDetailOut,
    auth=PUBLIC,
    summary="One resource; its current version (body, files, chapters) only when the caller "
    "may open it",
)
def resources_get(request: HttpRequest, resource_id: int) -> Any:
    resource = selectors.resource_get_by_id(user=request.user, resource_id=resource_id)
    if resource.can_open:  # type: ignore[attr-defined]
        versions = selectors.version_history(resource=resource)
        resource.api_version_count = len(versions)  # type: ignore[attr-defined]
        if resource.current_version_id is not None:
            resource.api_current_version = _version(  # type: ignore[attr-defined]
                resource, selectors.version_with_contents(resource=resource)
            )
    if resource.status == ResourceStatus.PUBLISHED:
        usage_record(resource_id=resource.pk)
    return resource


@router.get(
    "/resources/{int:resource_id}/versions",
    response=list[VersionSummaryOut],
    auth=PUBLIC,
    summary="The resource's versions, newest first (403 when the caller may not open it)",
)
def resources_versions(request: HttpRequest, resource_id: int) -> Any:
    resource = selectors.resource_get_by_id(user=request.user, resource_id=resource_id)
    selectors.require_open(request.user, resource)
    return [_version(resource, version) for version in selectors.version_history(resource=resource)]


@router.get(
    "/resources/{int:resource_id}/versions/{int:number}",
    response=VersionOut,
    auth=PUBLIC,
    summary="One version: its body, files and chapters (403 when the caller may not open it)",
)
def resources_version_get(request: HttpRequest, resource_id: int, number: int) -> Any:
    resource = selectors.resource_get_by_id(user=request.user, resource_id=resource_id)
    selectors.require_open(request.user, resource)
    return _version(resource, selectors.version_with_contents(resource=resource, number=number))


@router.get(
    "/resources/{int:resource_id}/files/{int:file_id}/download",
    auth=PUBLIC,
    url_name="library_resources_file_download",
    summary="Download a file of the resource, as an attachment (counted; 403 when the caller "
    "may not open it)",
    openapi_extra=FILE_RESPONSE,
)
def resources_file_download(
    request: HttpRequest, resource_id: int, file_id: int
) -> HttpResponseBase:
    resource = selectors.resource_get_by_id(user=request.user, resource_id=resource_id)
    selectors.require_open(request.user, resource)
    stored = selectors.file_get(resource=resource, file_id=file_id)
    response = selectors.file_response(stored)
    if resource.status == ResourceStatus.PUBLISHED:
        usage_record(resource_id=resource.pk, download=True)
    return response


@router.get(
    "/resources/{int:resource_id}/citation",
    auth=PUBLIC,
    summary="The resource's citation as BibTeX or RIS (a version's: only when the caller may "
    "open it)",
    openapi_extra=CITATION_RESPONSE,
)
def resources_citation(
    request: HttpRequest, resource_id: int, params: Query[CitationIn]
) -> HttpResponse:
    resource = selectors.resource_get_by_id(user=request.user, resource_id=resource_id)
    version: ResourceVersion | None = None
    if params.version is not None:
        selectors.require_open(request.user, resource)
        version = selectors.version_with_contents(resource=resource, number=params.version)
        path = reverse("library:version_detail", args=[resource.slug, version.number])
    else:
        path = reverse("library:resource_detail", args=[resource.slug])
    text = citations.citation_text(
        resource,
        version,
        fmt=params.format,
        url=request.build_absolute_uri(path),
        accessed=timezone.localdate(),
        with_identifiers=can_open_resource(request.user, resource),
    )
    response = HttpResponse(
        text, content_type=f"{citations.CONTENT_TYPES[params.format]}; charset=utf-8"
    )
    filename = citations.citation_filename(resource, version, params.format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
