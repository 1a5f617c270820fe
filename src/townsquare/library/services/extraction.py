"""Text extraction from uploaded PDF and DOCX (and PPTX) files for search.

Runs as a background task after the upload commits. A file that cannot be read (damaged,
password-protected, not really what its name says) is kept and marked not searchable: extraction
never raises for a bad file. The text is capped at ``MAX_EXTRACTED_CHARACTERS``."""

from __future__ import annotations

import logging
import zipfile
from datetime import timedelta
from typing import IO

from django.db import transaction
from django.utils import timezone

from ..models import MAX_EXTRACTED_CHARACTERS, Extraction, FileKind, ResourceFile

logger = logging.getLogger(__name__)

# A PDF page or a document that yields more than this is cut; search needs words, not volumes.
MAX_PDF_PAGES = 2_000


class _Unreadable(Exception):
    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


def _pdf_text(stream: IO[bytes]) -> tuple[str, int]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(stream)
        if reader.is_encrypted:
            # An empty user password opens many "protected" PDFs (printing restrictions only).
            try:
                if not reader.decrypt(""):
                    raise _Unreadable(Extraction.ENCRYPTED)
            except (NotImplementedError, FileNotDecryptedError) as error:
                raise _Unreadable(Extraction.ENCRYPTED) from error
        pages = reader.pages
        parts: list[str] = []
        size = 0
        for index, page in enumerate(pages):
            if index >= MAX_PDF_PAGES or size >= MAX_EXTRACTED_CHARACTERS:
                break
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
        return "\n".join(parts), len(pages)
    except _Unreadable:
        raise
    except FileNotDecryptedError as error:
        raise _Unreadable(Extraction.ENCRYPTED) from error
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise _Unreadable(Extraction.DAMAGED) from error
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on hostile files
        logger.warning("PDF extraction failed: %s", type(error).__name__)
        raise _Unreadable(Extraction.DAMAGED) from error


def _docx_text(stream: IO[bytes]) -> tuple[str, int | None]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(stream)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise _Unreadable(Extraction.DAMAGED) from error
    parts = [paragraph.text for paragraph in document.paragraphs]
    parts.extend(
        " ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows
    )
    return "\n".join(parts), None


def _pptx_text(stream: IO[bytes]) -> tuple[str, int | None]:
    """Slides are XML in a zip: take the text runs (<a:t>) of each slide, in order."""
    import re
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(stream) as archive:
            names = sorted(
                (n for n in archive.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                key=lambda n: int(re.sub(r"\D", "", n.rsplit("/", 1)[1])),
            )
            parts = []
            for name in names:
                root = ElementTree.fromstring(archive.read(name))  # noqa: S314 - no DTDs in OOXML
                runs = [el.text or "" for el in root.iter() if el.tag.endswith("}t")]
                parts.append(" ".join(runs))
            return "\n".join(parts), len(names)
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as error:
        raise _Unreadable(Extraction.DAMAGED) from error


_EXTRACTORS = {FileKind.PDF: _pdf_text, FileKind.DOCX: _docx_text, FileKind.PPTX: _pptx_text}


def text_of(kind: str, stream: IO[bytes]) -> tuple[str, str, int | None]:
    """(status, text, page count) of a file's content; never raises for a bad file."""
    extractor = _EXTRACTORS.get(FileKind(kind)) if kind in FileKind.values else None
    if extractor is None:
        return Extraction.NOT_APPLICABLE, "", None
    try:
        text, pages = extractor(stream)
    except _Unreadable as unreadable:
        return unreadable.status, "", None
    except Exception as error:  # noqa: BLE001 - hostile files raise anything from any layer
        # zipfile, zlib, lxml and the parsers each have their own errors for a damaged file:
        # whatever it is, the file is kept and marked, and the task does not fail.
        logger.warning("%s extraction failed: %s", kind, type(error).__name__)
        return Extraction.DAMAGED, "", None
    text = " ".join(text.replace("\x00", " ").split())[:MAX_EXTRACTED_CHARACTERS]
    return (Extraction.DONE if text else Extraction.EMPTY), text, pages


def file_extract(*, file_id: int) -> str:
    """Extract one file's text, store it, and re-index its resource. Returns the status."""
    stored = ResourceFile.objects.filter(pk=file_id).select_related("version").first()
    if stored is None:
        return "missing"
    try:
        with stored.file.open("rb") as stream:
            status, text, pages = text_of(stored.kind, stream)
    except OSError:
        status, text, pages = Extraction.DAMAGED, "", None
    with transaction.atomic():
        ResourceFile.objects.filter(pk=file_id).update(
            extraction=status, extracted_text=text, extracted_at=timezone.now(), page_count=pages
        )
        # Carried-over copies of the same file in later versions share the text.
        ResourceFile.objects.filter(file=stored.file.name, extraction=Extraction.PENDING).update(
            extraction=status, extracted_text=text, extracted_at=timezone.now(), page_count=pages
        )
        from .resources import resource_search_sync_on_commit

        resource_search_sync_on_commit(stored.version.resource_id)
    return status


# A file still pending after this long lost its task (a worker that stopped, a broker down).
PENDING_GRACE_MINUTES = 10


def pending_extract(*, limit: int = 200) -> int:
    """Extract files whose extraction never ran; returns how many were done."""
    cutoff = timezone.now() - timedelta(minutes=PENDING_GRACE_MINUTES)
    pending = ResourceFile.objects.filter(
        extraction=Extraction.PENDING, version__created_at__lte=cutoff
    ).values_list("pk", flat=True)[:limit]
    return sum(1 for file_id in list(pending) if file_extract(file_id=file_id) != "missing")
