"""Upload validation: size limit, extension and sniffed content must agree, generated names,
served back as attachments with ``X-Content-Type-Options: nosniff``."""

from __future__ import annotations

import mimetypes
import uuid
from dataclasses import dataclass, field
from pathlib import PurePath

import puremagic
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from .errors import ValidationFailed


@dataclass(frozen=True)
class UploadKind:
    """What a field accepts: extension -> the MIME types its content may be sniffed as."""

    label: str
    extensions: dict[str, set[str]]
    max_bytes: int
    is_image: bool = False
    max_pixels: int = 40_000_000
    extra: dict[str, str] = field(default_factory=dict)


IMAGE_EXTENSIONS = {
    ".png": {"image/png"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".gif": {"image/gif"},
    ".webp": {"image/webp"},
}
DOCUMENT_EXTENSIONS = {
    ".pdf": {"application/pdf"},
    ".docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
        "application/x-zip-compressed",
    },
    ".pptx": {
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/zip",
        "application/x-zip-compressed",
    },
    ".xlsx": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/zip",
        "application/x-zip-compressed",
    },
}
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}


def image_kind(max_bytes: int) -> UploadKind:
    return UploadKind("image", IMAGE_EXTENSIONS, max_bytes, is_image=True)


def document_kind(max_bytes: int) -> UploadKind:
    return UploadKind("document", {**DOCUMENT_EXTENSIONS, **IMAGE_EXTENSIONS}, max_bytes)


@dataclass(frozen=True)
class ValidatedUpload:
    file: UploadedFile
    extension: str
    content_type: str
    original_name: str


def _human_size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _sniff(head: bytes) -> set[str]:
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return set()
    return {match.mime_type for match in matches if match.mime_type}


def upload_validate(
    upload: UploadedFile, *, kind: UploadKind, field_name: str = "file"
) -> ValidatedUpload:
    """Check an uploaded file; raise ValidationFailed with a message that says what to fix."""

    def fail(message: str) -> ValidationFailed:
        return ValidationFailed(message, field_errors={field_name: [message]})

    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    allowed = ", ".join(sorted(kind.extensions))
    if extension not in kind.extensions:
        raise fail(f"“{name}” is not an accepted {kind.label} file. Use one of: {allowed}.")
    if upload.size is None or upload.size == 0:
        raise fail(f"“{name}” is empty.")
    if upload.size > kind.max_bytes:
        raise fail(
            f"“{name}” is {_human_size(upload.size)}; the limit is {_human_size(kind.max_bytes)}."
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    sniffed = _sniff(head)
    expected = kind.extensions[extension]
    if not sniffed & expected:
        raise fail(
            f"The content of “{name}” is not a {extension} file. Save it in that format "
            f"and upload it again."
        )
    content_type = next(iter(sniffed & expected))
    if kind.is_image:
        _check_image(upload, PIL_FORMATS[content_type], kind.max_pixels, fail)
    return ValidatedUpload(upload, extension, content_type, name)


def _check_image(upload: UploadedFile, pil_format: str, max_pixels: int, fail) -> None:
    try:
        with Image.open(upload) as image:
            if image.format != pil_format:
                raise fail("The image content does not match its file type.")
            if image.width * image.height > max_pixels:
                raise fail("The image is too large in pixels; make it smaller.")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise fail("The image is damaged or not an image.") from error
    finally:
        upload.seek(0)


def generated_name(prefix: str, extension: str) -> str:
    """Storage name that never reuses what the user typed: prefix/yyyy/mm/<random><ext>."""
    today = timezone.now()
    return f"{prefix}/{today:%Y}/{today:%m}/{uuid.uuid4().hex}{extension}"


def attachment_response(stored: FieldFile, *, download_name: str) -> FileResponse:
    """Serve a stored file as a download the browser will not render or sniff."""
    content_type = mimetypes.guess_type(download_name)[0] or "application/octet-stream"
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=download_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
