"""Schemas of the catalog API: list filters, resources as anyone who may see them gets them, and
the parts (body, versions, files, chapters) only those who may open them get."""

from datetime import date, datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from ..models import Access, Audience, Extraction, FileKind, License, ResourceStatus, ResourceType
from ..selectors.catalog import EARLIEST_YEAR, LATEST_YEAR, resource_year


def _absolute(context: Any, path: str) -> str:
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class ResourceFilterIn(Schema):
    type: ResourceType | None = Field(None, description="A resource type.")
    topic: str = Field("", max_length=90, pattern=r"^[-a-zA-Z0-9_]*$", description="A topic slug.")
    audience: Audience | None = None
    year: int | None = Field(
        None, ge=EARLIEST_YEAR, le=LATEST_YEAR, description="Publication year."
    )
    language: str = Field(
        "", max_length=12, pattern=r"^[-a-zA-Z0-9]*$", description="A BCP 47 code, e.g. en."
    )
    access: Access | None = Field(None, description="Who may open it.")


class CitationIn(Schema):
    format: Literal["bibtex", "ris"] = "bibtex"
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="Cite this version.")


class AuthorOut(Schema):
    name: str
    is_organization: bool
    organization_id: int | None


class TopicOut(Schema):
    id: int
    slug: str
    name: str


class OrganizationOut(Schema):
    id: int
    slug: str
    name: str


class ResourceOut(Schema):
    """What anyone who may know the resource exists gets; ``can_open`` says whether its body,
    versions and files are theirs to read."""

    id: int
    slug: str
    kind: ResourceType
    title: str
    summary: str
    authors: list[AuthorOut]
    topics: list[TopicOut]
    audience: Audience
    language: str
    published_on: date | None
    published_at: datetime | None
    year: int | None
    access: Access
    organization: OrganizationOut | None
    can_open: bool
    url: str = Field(description="The stable link of the resource's page.")

    @staticmethod
    def resolve_authors(obj: Any) -> list[Any]:
        return list(obj.authors.all())

    @staticmethod
    def resolve_topics(obj: Any) -> list[Any]:
        return list(obj.topics.all())

    @staticmethod
    def resolve_year(obj: Any) -> int | None:
        return resource_year(obj)

    @staticmethod
    def resolve_can_open(obj: Any) -> bool:
        return bool(getattr(obj, "can_open", False))

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return _absolute(context, reverse("library:resource_detail", args=[obj.slug]))


class FileOut(Schema):
    id: int
    name: str
    title: str
    kind: FileKind
    content_type: str
    size: int
    sha256: str
    page_count: int | None
    extraction: Extraction
    is_searchable: bool
    download_url: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.original_name)

    @staticmethod
    def resolve_download_url(obj: Any, context: Any) -> str:
        resource_id = obj.version.resource_id
        return _absolute(
            context,
            reverse(
                "api:library_resources_file_download",
                kwargs={"resource_id": resource_id, "file_id": obj.pk},
            ),
        )


class ChapterOut(Schema):
    number: int
    title: str


class VersionSummaryOut(Schema):
    number: int
    change_note: str
    created_at: datetime
    is_current: bool

    @staticmethod
    def resolve_is_current(obj: Any) -> bool:
        return bool(getattr(obj, "is_current", False))


class VersionOut(VersionSummaryOut):
    body: str = Field(description="Markdown.")
    files: list[FileOut]
    chapters: list[ChapterOut]
    url: str

    @staticmethod
    def resolve_files(obj: Any) -> list[Any]:
        return list(obj.files.all())

    @staticmethod
    def resolve_chapters(obj: Any) -> list[Any]:
        return list(obj.chapters.all())

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return _absolute(
            context, reverse("library:version_detail", args=[obj.resource.slug, obj.number])
        )


class ResourceDetailOut(ResourceOut):
    """One resource. ``current_version``, ``license``, ``doi``, ``isbn`` and ``review_by`` are
    filled in only for people who may open it (``can_open``)."""

    status: ResourceStatus
    license: License | None
    doi: str | None
    isbn: str | None
    review_by: date | None
    version_count: int | None
    current_version: VersionOut | None

    @staticmethod
    def resolve_license(obj: Any) -> str | None:
        return obj.license if getattr(obj, "can_open", False) else None

    @staticmethod
    def resolve_doi(obj: Any) -> str | None:
        return (obj.doi or None) if getattr(obj, "can_open", False) else None

    @staticmethod
    def resolve_isbn(obj: Any) -> str | None:
        return (obj.isbn or None) if getattr(obj, "can_open", False) else None

    @staticmethod
    def resolve_review_by(obj: Any) -> date | None:
        return obj.review_by if getattr(obj, "can_open", False) else None

    @staticmethod
    def resolve_version_count(obj: Any) -> int | None:
        return getattr(obj, "api_version_count", None)

    @staticmethod
    def resolve_current_version(obj: Any) -> Any:
        return getattr(obj, "api_current_version", None)
