"""The lead's text extraction (``services.extraction``): every kind of bad file is kept and
marked, never raises; random bytes never make it raise either (hypothesis)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ..models import MAX_EXTRACTED_CHARACTERS, Extraction, FileKind, ResourceFile
from ..services.extraction import file_extract, text_of
from .factories import docx_bytes, pdf_bytes, png_bytes


def _text(kind: str, content: bytes) -> tuple[str, str, int | None]:
    return text_of(kind, io.BytesIO(content))


def _pptx_bytes(*slides: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number, text in enumerate(slides, start=1):
            archive.writestr(
                f"ppt/slides/slide{number}.xml",
                '<p:sld xmlns:p="p" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/'
                f'main"><a:t>{text}</a:t></p:sld>',
            )
    return buffer.getvalue()


def test_pdf_text_and_page_count():
    status, text, pages = _text(FileKind.PDF, pdf_bytes("Patient privacy\nSecond line"))
    assert (status, pages) == (Extraction.DONE, 1)
    assert text == "Patient privacy Second line"


def test_docx_text_with_tables():
    import docx

    document = docx.Document()
    document.add_paragraph("Responding to reviews")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Cell one"
    table.rows[0].cells[1].text = "Cell two"
    buffer = io.BytesIO()
    document.save(buffer)
    status, text, pages = _text(FileKind.DOCX, buffer.getvalue())
    assert (status, text, pages) == (
        Extraction.DONE,
        "Responding to reviews Cell one Cell two",
        None,
    )


def test_pptx_slides_in_order():
    content = _pptx_bytes("First slide", "Second", "Third")
    assert _text(FileKind.PPTX, content) == (Extraction.DONE, "First slide Second Third", 3)


def test_a_password_protected_pdf_is_marked_encrypted():
    assert _text(FileKind.PDF, pdf_bytes("secret", password="pw")) == (
        Extraction.ENCRYPTED,
        "",
        None,
    )


def test_a_pdf_protected_only_against_printing_opens_with_the_empty_password():
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(
        buffer, encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canPrint=0)
    )
    pdf.drawString(72, 720, "Printable guidance")
    pdf.save()
    status, text, _ = _text(FileKind.PDF, buffer.getvalue())
    assert (status, text) == (Extraction.DONE, "Printable guidance")


@pytest.mark.parametrize(
    ("kind", "content", "status"),
    [
        (FileKind.PDF, b"", Extraction.DAMAGED),
        (FileKind.PDF, b"%PDF-1.4\n not really a PDF", Extraction.DAMAGED),
        (FileKind.PDF, pdf_bytes("cut short")[:200], Extraction.DAMAGED),
        (FileKind.PDF, b"<html><body>Saved as .pdf</body></html>", Extraction.DAMAGED),
        (FileKind.PDF, docx_bytes("a docx named .pdf"), Extraction.DAMAGED),
        (FileKind.DOCX, b"", Extraction.DAMAGED),
        (FileKind.DOCX, b"PK\x03\x04 broken zip", Extraction.DAMAGED),
        (FileKind.DOCX, pdf_bytes("a pdf named .docx"), Extraction.DAMAGED),
        (FileKind.PPTX, b"not a zip", Extraction.DAMAGED),
        (FileKind.PPTX, docx_bytes("a docx named .pptx"), Extraction.EMPTY),
        (FileKind.IMAGE, png_bytes(), Extraction.NOT_APPLICABLE),
        ("unknown", b"whatever", Extraction.NOT_APPLICABLE),
    ],
)
def test_bad_files_are_marked_and_never_raise(kind, content, status):
    found, text, _ = _text(kind, content)
    assert (found, text) == (status, "")


def test_a_pdf_without_text_is_empty():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(10, 10, 100, 100)
    pdf.save()
    assert _text(FileKind.PDF, buffer.getvalue()) == (Extraction.EMPTY, "", 1)


def test_text_is_cut_at_the_limit_and_has_no_nul():
    big = ("word\x00 " * (MAX_EXTRACTED_CHARACTERS // 3)).strip()
    status, text, _ = _text(FileKind.DOCX, docx_bytes(big.replace("\x00", "")))
    assert status == Extraction.DONE
    assert len(text) <= MAX_EXTRACTED_CHARACTERS
    assert "\x00" not in text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from([*FileKind.values, "other"]), content=st.binary(max_size=4096))
def test_random_bytes_never_make_extraction_raise(kind, content):
    status, text, pages = _text(kind, content)
    assert status in Extraction.values
    assert isinstance(text, str)
    assert pages is None or pages >= 0


# Found by the hypothesis test below when it damaged DOCX and PPTX files too: python-docx and
# zipfile raise AttributeError, zlib.error, EOFError... that services/extraction.py does not
# catch (reported to the lead with the fix: catch every exception around the extractor in
# text_of, as _pdf_text does). strict: these fail loudly once the fix is in, to be unmarked.
DAMAGED_OFFICE_FILES = [
    (FileKind.DOCX, _pptx_bytes("a pptx named .docx")),
    (
        FileKind.DOCX,
        (lambda real: real[:1903] + b"q\xe0\xfdw\xb0vp\xeb" + real[1911:])(docx_bytes("Reviews")),
    ),
    (
        FileKind.PPTX,
        (lambda real: real[:302] + b"4\xa2\x0f\x0b\r\x04\xc3n" + real[310:])(_pptx_bytes("Slide")),
    ),
]


@pytest.mark.parametrize(("kind", "content"), DAMAGED_OFFICE_FILES)
def test_damaged_office_files_are_marked_damaged(kind, content):
    assert _text(kind, content) == (Extraction.DAMAGED, "", None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(min_value=0, max_value=4000),
    noise=st.binary(max_size=64),
)
def test_damaged_real_pdfs_never_make_extraction_raise(cut, noise):
    kind = FileKind.PDF
    real = pdf_bytes("Patient privacy")
    content = real[:cut] + noise + real[cut + len(noise) :]
    status, text, _ = _text(kind, content)
    assert status in Extraction.values
    assert isinstance(text, str)


@pytest.mark.django_db
def test_file_extract_of_a_missing_row_or_stored_file(django_capture_on_commit_callbacks):
    from townsquare.accounts.tests.factories import make_staff

    from .factories import add_file, make_resource

    assert file_extract(file_id=987654) == "missing"
    resource = make_resource()
    with django_capture_on_commit_callbacks(execute=False):
        add_file(resource, "guide.pdf", pdf_bytes("Quokka"), actor=make_staff())
    stored = ResourceFile.objects.get(version__resource=resource)
    stored.file.storage.delete(str(stored.file.name))
    with django_capture_on_commit_callbacks(execute=True):
        assert file_extract(file_id=stored.pk) == Extraction.DAMAGED
    stored.refresh_from_db()
    assert (stored.extraction, stored.extracted_text) == (Extraction.DAMAGED, "")
    assert stored.extracted_at is not None
