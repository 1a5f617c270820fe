"""Library test data: resources are built directly from models (so every area's tests start from
the same ready-made resource); files go through the real upload checks and services."""

from __future__ import annotations

import io
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from townsquare.accounts.models import Organization, User

from ..models import (
    Access,
    Chapter,
    Resource,
    ResourceAuthor,
    ResourceStatus,
    ResourceType,
    ResourceVersion,
    Topic,
)
from ..search import resource_search_sync
from ..services import resources as resource_services

_sequence = itertools.count(1)


def make_topic(name: str | None = None) -> Topic:
    number = next(_sequence)
    name = name or f"Topic {number}"
    topic, _ = Topic.objects.get_or_create(name=name, defaults={"slug": f"topic-{number}"})
    return topic


def make_resource(
    *,
    title: str | None = None,
    kind: str = ResourceType.WHITE_PAPER,
    access: str = Access.PUBLIC,
    organization: Organization | None = None,
    status: str = ResourceStatus.PUBLISHED,
    body: str = "The **body** of the resource.",
    summary: str | None = None,
    is_listed: bool = True,
    created_by: User | None = None,
    is_submission: bool = False,
    topics: tuple[Topic, ...] = (),
    authors: tuple[str, ...] = ("Ada Author",),
    chapters: tuple[tuple[str, str], ...] = (),
    indexed: bool = True,
    **fields: Any,
) -> Resource:
    """A resource with one version (body and chapters as given), published unless told otherwise,
    and in the search index when published (``indexed``)."""
    number = next(_sequence)
    resource = Resource.objects.create(
        slug=f"test-resource-{number}",
        kind=kind,
        title=title or f"Test resource {number}",
        summary=summary or "A resource for tests.",
        access=access,
        organization=organization,
        status=status,
        is_listed=is_listed,
        created_by=created_by,
        is_submission=is_submission,
        published_at=timezone.now() if status == ResourceStatus.PUBLISHED else None,
        **fields,
    )
    resource.topics.set(topics)
    ResourceAuthor.objects.bulk_create(
        ResourceAuthor(resource=resource, position=index, name=name)
        for index, name in enumerate(authors)
    )
    version = ResourceVersion.objects.create(
        resource=resource, number=1, body=body, change_note="First version", created_by=created_by
    )
    Chapter.objects.bulk_create(
        Chapter(version=version, number=index, title=chapter_title, body=chapter_body)
        for index, (chapter_title, chapter_body) in enumerate(chapters, start=1)
    )
    resource.current_version = version
    resource.save(update_fields=["current_version"])
    if indexed:
        resource_search_sync(resource.pk)
    return resource


def pdf_bytes(text: str = "Patient privacy on social media", *, password: str = "") -> bytes:
    """A real one-page PDF with ``text`` on it (ReportLab), encrypted when ``password`` is set."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    encrypt = None
    if password:
        from reportlab.lib import pdfencrypt

        encrypt = pdfencrypt.StandardEncryption(password, canPrint=0)
    pdf = canvas.Canvas(buffer, pagesize=letter, encrypt=encrypt)
    y = 720
    for line in text.splitlines() or [""]:
        pdf.drawString(72, y, line)
        y -= 14
    pdf.save()
    return buffer.getvalue()


def docx_bytes(text: str = "Responding to online reviews") -> bytes:
    import docx

    document = docx.Document()
    for line in text.splitlines() or [""]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def add_file(resource: Resource, name: str, content: bytes, *, actor: Any) -> Any:
    """A new version of ``resource`` carrying one file, through the real services (the
    extraction task runs after the commit; wrap the call in
    ``django_capture_on_commit_callbacks(execute=True)`` to run it in a test)."""
    validated = resource_services.file_validate(upload(name, content))
    return resource_services.version_create(
        actor=actor, resource=resource, change_note="Added a file", files=[validated]
    )
