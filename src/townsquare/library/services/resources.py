"""Resources, versions, files and chapters: every write to them goes through here.

Text extraction from uploaded PDF and DOCX files runs as a background task after the commit
(``tasks.extract_file_text``); the search index is brought up to date after every commit that
changes what a resource says (``resource_search_sync``)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from townsquare.accounts.models import Organization
from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed, validated
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.uploads import (
    DOCUMENT_EXTENSIONS,
    IMAGE_EXTENSIONS,
    UploadKind,
    ValidatedUpload,
    generated_name,
    image_kind,
    upload_validate,
)

from ..models import (
    Access,
    Chapter,
    Extraction,
    FileKind,
    Resource,
    ResourceAuthor,
    ResourceFile,
    ResourceStatus,
    ResourceType,
    ResourceUsage,
    ResourceVersion,
    ReviewAction,
    ReviewEvent,
    Topic,
)
from ..permissions import can_edit_resource, can_manage_library

MAX_FILES_PER_VERSION = 20
# A member's submission in these states is decided through the review (services.review).
IN_REVIEW = frozenset(
    {ResourceStatus.SUBMITTED, ResourceStatus.CHANGES_REQUESTED, ResourceStatus.REJECTED}
)
MAX_AUTHORS = 50
MAX_CHAPTERS = 200
# Slugs the URL layout uses for pages of its own under /library/.
RESERVED_SLUGS = frozenset(
    {"new", "search", "collections", "submissions", "review", "policies", "requests", "manage"}
)

_FILE_EXTENSIONS = {
    ext: types for ext, types in DOCUMENT_EXTENSIONS.items() if ext in {".pdf", ".docx", ".pptx"}
}


def file_kind() -> UploadKind:
    """What a resource version accepts: PDF, DOCX, PPTX and images, up to LIBRARY_MAX_FILE_BYTES."""
    return UploadKind(
        label="library",
        extensions={**_FILE_EXTENSIONS, **IMAGE_EXTENSIONS},
        max_bytes=settings.LIBRARY_MAX_FILE_BYTES,
    )


def cover_kind() -> UploadKind:
    return image_kind(settings.AVATAR_MAX_BYTES * 2)


@dataclass(frozen=True)
class AuthorInput:
    name: str
    person_id: int | None = None
    organization_id: int | None = None
    is_organization: bool = False


@dataclass(frozen=True)
class ChapterInput:
    title: str
    body: str


@dataclass
class ResourceFields:
    """What describes a resource, as a form or the API hands it to the services."""

    kind: str
    title: str
    summary: str
    audience: str = "everyone"
    language: str = "en"
    published_on: date | None = None
    license: str = "all-rights-reserved"
    doi: str = ""
    isbn: str = ""
    review_by: date | None = None
    access: str = Access.PUBLIC
    organization_id: int | None = None
    is_listed: bool = True
    topic_ids: Sequence[int] = ()
    authors: Sequence[AuthorInput] = ()
    cover: ValidatedUpload | None = None
    cover_alt: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# --- Slugs, checks ------------------------------------------------------------------------------


def unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(title)[:100] or "resource").strip("-") or "resource"
    if base in RESERVED_SLUGS:
        base = f"{base}-resource"
    candidate, number = base, 2
    taken = Resource.objects.exclude(pk=exclude_pk) if exclude_pk else Resource.objects
    while taken.filter(slug=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def normalized_isbn(value: str) -> str:
    """ISBN-10 or ISBN-13 without hyphens or spaces, checked; "" stays ""."""
    digits = value.replace("-", "").replace(" ", "").upper()
    if not digits:
        return ""
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
        if (10 - total % 10) % 10 == int(digits[12]):
            return digits
    elif len(digits) == 10 and digits[:9].isdigit() and (digits[9].isdigit() or digits[9] == "X"):
        total = sum((10 - i) * int(d) for i, d in enumerate(digits[:9]))
        check = 10 if digits[9] == "X" else int(digits[9])
        if (total + check) % 11 == 0:
            return digits
    raise ValidationFailed(
        "That ISBN is not valid: check the digits (10 or 13, with the check digit).",
        field_errors={"isbn": ["Not a valid ISBN-10 or ISBN-13."]},
    )


def normalized_doi(value: str) -> str:
    doi = value.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    if doi and not (doi.startswith("10.") and "/" in doi):
        raise ValidationFailed(
            "A DOI starts with 10. and has a slash, e.g. 10.1000/xyz123.",
            field_errors={"doi": ["Not a DOI (e.g. 10.1000/xyz123)."]},
        )
    return doi


def _check_fields(fields: ResourceFields) -> None:
    errors: dict[str, list[str]] = {}
    if fields.kind not in ResourceType.values:
        errors["kind"] = ["Choose a type."]
    if not fields.title.strip():
        errors["title"] = ["Give the resource a title."]
    if not fields.summary.strip():
        errors["summary"] = ["Say in a few sentences what the resource is and who it is for."]
    if fields.access not in Access.values:
        errors["access"] = ["Choose who may open it."]
    if fields.access == Access.ORGANIZATION and fields.organization_id is None:
        errors["organization"] = ["Choose the organization it is private to."]
    if fields.organization_id is not None and not (
        0 < fields.organization_id <= MAX_OBJECT_ID
        and Organization.objects.filter(pk=fields.organization_id).exists()
    ):
        errors["organization"] = ["No such organization."]
    if fields.review_by and fields.kind not in {ResourceType.POLICY, ResourceType.GUIDELINE}:
        errors["review_by"] = ["Only policies and guidelines have a review-by date."]
    if len(fields.authors) > MAX_AUTHORS:
        errors["authors"] = [f"At most {MAX_AUTHORS} authors."]
    if any(not author.name.strip() for author in fields.authors):
        errors.setdefault("authors", []).append("Every author needs a name.")
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(f"Please correct: {first}", field_errors=errors)


def _apply(resource: Resource, fields: ResourceFields) -> None:
    resource.kind = fields.kind
    resource.title = fields.title.strip()
    resource.summary = fields.summary.strip()
    resource.audience = fields.audience
    resource.language = fields.language.strip() or "en"
    resource.published_on = fields.published_on
    resource.license = fields.license
    resource.doi = normalized_doi(fields.doi)
    resource.isbn = normalized_isbn(fields.isbn)
    resource.review_by = fields.review_by
    resource.access = fields.access
    resource.organization_id = fields.organization_id
    resource.is_listed = fields.is_listed
    resource.cover_alt = fields.cover_alt.strip()[:300]
    if fields.cover is not None:
        if not resource.cover_alt:
            raise ValidationFailed(
                "Describe the cover image for people who cannot see it.",
                field_errors={"cover_alt": ["Images need a short description (alt text)."]},
            )
        resource.cover.save(
            generated_name("library/covers", fields.cover.extension), fields.cover.file, save=False
        )


def _authors_set(resource: Resource, authors: Sequence[AuthorInput]) -> None:
    ResourceAuthor.objects.filter(resource=resource).delete()
    ResourceAuthor.objects.bulk_create(
        ResourceAuthor(
            resource=resource,
            position=position,
            name=author.name.strip()[:200],
            person_id=author.person_id,
            organization_id=author.organization_id,
            is_organization=author.is_organization or author.organization_id is not None,
        )
        for position, author in enumerate(authors)
    )


def _topics_set(resource: Resource, topic_ids: Sequence[int]) -> None:
    topics = list(Topic.objects.filter(pk__in=set(topic_ids)))
    if len(topics) != len(set(topic_ids)):
        raise ValidationFailed(
            "One of the topics does not exist.", field_errors={"topics": ["Unknown topic."]}
        )
    resource.topics.set(topics)


# --- Resources ----------------------------------------------------------------------------------


@transaction.atomic
def resource_create(
    *, actor: Any, fields: ResourceFields, is_submission: bool = False, slug: str = ""
) -> Resource:
    """A new resource in draft (staff) or as a member's submission (not yet submitted)."""
    if not (can_manage_library(actor) or is_submission):
        raise PermissionRefused("Only center staff add resources directly; members submit them.")
    _check_fields(fields)
    resource = Resource(
        slug=slug or unique_slug(fields.title),
        created_by=actor,
        is_submission=is_submission,
        status=ResourceStatus.DRAFT,
    )
    _apply(resource, fields)
    validated(resource, exclude=["cover", "current_version", "created_by", "organization"])
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError as error:
        raise Conflict("A resource with that address already exists.") from error
    _topics_set(resource, fields.topic_ids)
    _authors_set(resource, fields.authors)
    audit_record(
        action="library.resource_create",
        actor=actor,
        target=resource,
        data={"kind": resource.kind, "access": resource.access, "submission": is_submission},
    )
    return resource


@transaction.atomic
def resource_update(*, actor: Any, resource: Resource, fields: ResourceFields) -> Resource:
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not can_edit_resource(actor, resource):
        raise PermissionRefused("You may not change this resource now.")
    _check_fields(fields)
    before = {"access": resource.access, "organization": resource.organization_id}
    _apply(resource, fields)
    validated(resource, exclude=["cover", "current_version", "created_by", "organization"])
    resource.save()
    _topics_set(resource, fields.topic_ids)
    _authors_set(resource, fields.authors)
    after = {"access": resource.access, "organization": resource.organization_id}
    audit_record(
        action="library.resource_update",
        actor=actor,
        target=resource,
        data={"before": before, "after": after} if before != after else {},
    )
    resource_search_sync_on_commit(resource.pk)
    return resource


@transaction.atomic
def resource_publish(
    *, actor: Any, resource: Resource, at: datetime | None = None, from_review: bool = False
) -> Resource:
    """Publish now, or schedule for ``at`` (staff). Needs a version with a body or a file. A
    submission in review is published only by the review's decision (``from_review``)."""
    if not can_manage_library(actor):
        raise PermissionRefused("Only center staff publish resources.")
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.is_submission and resource.status in IN_REVIEW and not from_review:
        raise Conflict(
            "This submission is in review: decide it from the review page, so the submitter "
            "sees the decision."
        )
    if resource.current_version_id is None:
        raise ValidationFailed(
            "Add a version (a body, chapters or a file) before publishing.",
            field_errors={"version": ["The resource has no content yet."]},
        )
    now = timezone.now()
    if at is not None and at > now:
        resource.status = ResourceStatus.SCHEDULED
        resource.publish_at = at
    else:
        resource.status = ResourceStatus.PUBLISHED
        resource.publish_at = None
        resource.published_at = resource.published_at or now
    resource.save(update_fields=["status", "publish_at", "published_at", "updated_at"])
    audit_record(
        action="library.resource_publish",
        actor=actor,
        target=resource,
        data={"status": resource.status, "at": at.isoformat() if at else None},
    )
    resource_search_sync_on_commit(resource.pk)
    return resource


@transaction.atomic
def resource_withdraw(*, actor: Any, resource: Resource, reason: str = "") -> Resource:
    """Take a published or scheduled resource off the library (staff); it can be published again."""
    if not can_manage_library(actor):
        raise PermissionRefused("Only center staff withdraw resources.")
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if resource.status not in {ResourceStatus.PUBLISHED, ResourceStatus.SCHEDULED}:
        raise Conflict("Only a published or scheduled resource can be withdrawn.")
    resource.status = ResourceStatus.WITHDRAWN
    resource.publish_at = None
    resource.save(update_fields=["status", "publish_at", "updated_at"])
    audit_record(
        action="library.resource_withdraw",
        actor=actor,
        target=resource,
        data={"has_reason": bool(reason.strip())},
    )
    resource_search_sync_on_commit(resource.pk)
    return resource


def scheduled_publish_due(*, now: datetime | None = None) -> int:
    """Publish every scheduled resource whose date has come (beat, every few minutes)."""
    now = now or timezone.now()
    published = 0
    for pk in Resource.objects.filter(
        status=ResourceStatus.SCHEDULED, publish_at__lte=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            changed = Resource.objects.filter(pk=pk, status=ResourceStatus.SCHEDULED).update(
                status=ResourceStatus.PUBLISHED, published_at=now, publish_at=None, updated_at=now
            )
            if changed:
                published += 1
                resource = Resource.objects.select_related("created_by").get(pk=pk)
                if resource.is_submission:
                    from .review import scheduled_publication_tell

                    # The submitter's timeline shows the day it went out, and they are told.
                    ReviewEvent.objects.create(resource=resource, action=ReviewAction.PUBLISHED)
                    scheduled_publication_tell(resource)
                audit_record(
                    action="library.resource_publish",
                    target=("library.resource", pk),
                    data={"status": "published", "scheduled": True},
                )
                resource_search_sync_on_commit(pk)
    return published


# --- Versions, files, chapters ------------------------------------------------------------------


@transaction.atomic
def version_create(
    *,
    actor: Any,
    resource: Resource,
    change_note: str = "",
    body: str = "",
    files: Sequence[ValidatedUpload] = (),
    file_titles: Sequence[str] = (),
    chapters: Sequence[ChapterInput] | None = None,
    keep_files: bool = False,
) -> ResourceVersion:
    """The next numbered version, which becomes current. ``chapters`` None keeps the previous
    version's chapters (a book's new edition of one chapter does not retype the rest);
    ``keep_files`` carries the previous version's files over as well."""
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if not can_edit_resource(actor, resource):
        raise PermissionRefused("You may not add a version to this resource now.")
    previous = resource.current_version
    if len(files) > MAX_FILES_PER_VERSION:
        raise ValidationFailed(
            f"At most {MAX_FILES_PER_VERSION} files per version.",
            field_errors={"files": [f"At most {MAX_FILES_PER_VERSION} files."]},
        )
    if chapters is not None and len(chapters) > MAX_CHAPTERS:
        raise ValidationFailed(
            f"At most {MAX_CHAPTERS} chapters.", field_errors={"chapters": ["Too many chapters."]}
        )
    if chapters and any(not chapter.title.strip() for chapter in chapters):
        raise ValidationFailed(
            "Every chapter needs a title.", field_errors={"chapters": ["A chapter has no title."]}
        )
    carried_chapters = (
        [ChapterInput(c.title, c.body) for c in previous.chapters.all()]
        if chapters is None and previous is not None
        else list(chapters or [])
    )
    carried_files = list(previous.files.all()) if keep_files and previous is not None else []
    if not (body.strip() or files or carried_chapters or carried_files):
        raise ValidationFailed(
            "A version needs a body, chapters or at least one file.",
            field_errors={"body": ["Write the text, add chapters or upload a file."]},
        )
    number = (previous.number + 1) if previous is not None else 1
    version = ResourceVersion.objects.create(
        resource=resource,
        number=number,
        change_note=change_note.strip()[:500],
        body=body,
        created_by=actor,
    )
    Chapter.objects.bulk_create(
        Chapter(version=version, number=index, title=c.title.strip()[:300], body=c.body)
        for index, c in enumerate(carried_chapters, start=1)
    )
    position = 0
    for old in carried_files:
        ResourceFile.objects.create(
            version=version,
            position=position,
            file=old.file.name,
            original_name=old.original_name,
            kind=old.kind,
            content_type=old.content_type,
            size=old.size,
            sha256=old.sha256,
            title=old.title,
            extraction=old.extraction,
            extracted_text=old.extracted_text,
            extracted_at=old.extracted_at,
            page_count=old.page_count,
        )
        position += 1
    titles = list(file_titles) + [""] * len(files)
    for upload, title in zip(files, titles, strict=False):
        file_save(version=version, upload=upload, title=title, position=position)
        position += 1
    resource.current_version = version
    resource.save(update_fields=["current_version", "updated_at"])
    audit_record(
        action="library.version_create",
        actor=actor,
        target=resource,
        data={"number": number, "files": len(files) + len(carried_files)},
    )
    resource_search_sync_on_commit(resource.pk)
    return version


def file_validate(upload: Any, *, field_name: str = "files") -> ValidatedUpload:
    return upload_validate(upload, kind=file_kind(), field_name=field_name)


def _kind_of(upload: ValidatedUpload) -> str:
    return {".pdf": FileKind.PDF, ".docx": FileKind.DOCX, ".pptx": FileKind.PPTX}.get(
        upload.extension, FileKind.IMAGE
    )


def file_save(
    *, version: ResourceVersion, upload: ValidatedUpload, title: str = "", position: int = 0
) -> ResourceFile:
    """Store a validated upload under a generated name; text extraction follows the commit."""
    digest = hashlib.sha256()
    upload.file.seek(0)
    for chunk in upload.file.chunks():
        digest.update(chunk)
    upload.file.seek(0)
    kind = _kind_of(upload)
    stored = ResourceFile(
        version=version,
        position=position,
        original_name=upload.original_name[:200],
        kind=kind,
        content_type=upload.content_type,
        size=upload.file.size or 0,
        sha256=digest.hexdigest(),
        title=title.strip()[:200],
        extraction=Extraction.PENDING if kind != FileKind.IMAGE else Extraction.NOT_APPLICABLE,
    )
    stored.file.save(generated_name("library/files", upload.extension), upload.file, save=False)
    stored.save()
    if kind != FileKind.IMAGE:
        from ..tasks import extract_file_text

        transaction.on_commit(lambda: extract_file_text.delay(stored.pk))
    return stored


# --- Usage ---------------------------------------------------------------------------------------


def _month(now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(UTC).date().replace(day=1)


def usage_record(*, resource_id: int, download: bool = False) -> None:
    """Count one view (or download) of a resource in this month: an upsert with F()."""
    month = _month()
    column = "downloads" if download else "views"
    updated = ResourceUsage.objects.filter(resource_id=resource_id, month=month).update(
        **{column: F(column) + 1}
    )
    if updated:
        return
    try:
        with transaction.atomic():
            ResourceUsage.objects.create(resource_id=resource_id, month=month, **{column: 1})
    except IntegrityError:
        ResourceUsage.objects.filter(resource_id=resource_id, month=month).update(
            **{column: F(column) + 1}
        )


# --- Search --------------------------------------------------------------------------------------


def resource_search_sync_on_commit(resource_id: int) -> None:
    from ..search import resource_search_sync

    transaction.on_commit(lambda: resource_search_sync(resource_id))
