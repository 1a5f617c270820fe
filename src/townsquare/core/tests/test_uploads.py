from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from townsquare.core.errors import ValidationFailed
from townsquare.core.uploads import (
    document_kind,
    generated_name,
    image_kind,
    upload_validate,
)


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 90, 170)).save(buffer, "PNG")
    return buffer.getvalue()


def test_accepts_a_real_png():
    upload = SimpleUploadedFile("me.PNG", png_bytes(), content_type="image/png")
    checked = upload_validate(upload, kind=image_kind(1024 * 1024))
    assert checked.extension == ".png"
    assert checked.content_type == "image/png"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("me.png", b"<html><script>alert(1)</script></html>", "is not a .png file"),
        ("me.png", b"GIF89a" + b"\x00" * 64, "is not a .png file"),
        ("me.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an accepted"),
        ("me.exe", b"MZ\x90\x00", "not an accepted"),
        ("me.png", b"", "is empty"),
        ("me.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "damaged"),
    ],
)
def test_refuses_disguised_or_broken_images(name, content, message):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationFailed, match=message) as raised:
        upload_validate(upload, kind=image_kind(1024 * 1024), field_name="avatar")
    assert "avatar" in raised.value.field_errors


def test_refuses_oversized_files():
    upload = SimpleUploadedFile("big.png", png_bytes((400, 400)))
    with pytest.raises(ValidationFailed, match="the limit is"):
        upload_validate(upload, kind=image_kind(500))


def test_refuses_html_saved_as_pdf():
    upload = SimpleUploadedFile("policy.pdf", b"<!DOCTYPE html><html><body>hi</body></html>")
    with pytest.raises(ValidationFailed, match="is not a .pdf file"):
        upload_validate(upload, kind=document_kind(1024 * 1024))


def test_accepts_pdf_by_content():
    upload = SimpleUploadedFile(
        "policy.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    )
    assert (
        upload_validate(upload, kind=document_kind(1024 * 1024)).content_type == "application/pdf"
    )


def test_generated_names_ignore_the_users_file_name():
    first = generated_name("avatars", ".png")
    second = generated_name("avatars", ".png")
    assert first != second
    assert first.startswith("avatars/")
    assert first.endswith(".png")
    assert ".." not in first
