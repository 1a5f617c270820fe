"""The printable certificate: one landscape page drawn with ReportLab, with a QR code (segno) that
opens the public verification page."""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from ..models import Credential, CredentialKind
from .badges import ISSUER_NAME
from .credentials import verification_url

_KIND_HEADINGS = {
    CredentialKind.COURSE: "Certificate of Completion",
    CredentialKind.PROGRAM: "Program Certificate",
    CredentialKind.FELLOWSHIP: "Fellowship",
    CredentialKind.ATTENDANCE: "Certificate of Attendance",
}


def _fit(text: str, font: str, size: float, width: float) -> float:
    """The largest font size up to ``size`` at which ``text`` fits in ``width``."""
    while size > 8 and stringWidth(text, font, size) > width:
        size -= 1
    return size


def _centered(pdf: canvas.Canvas, text: str, y: float, font: str, size: float, width: float):
    size = _fit(text, font, size, width - 1.5 * inch)
    pdf.setFont(font, size)
    pdf.drawCentredString(width / 2, y, text)


def _draw_qr(pdf: canvas.Canvas, url: str, *, x: float, y: float, size: float) -> None:
    """Draw the QR code module by module (vector, sharp at any print size)."""
    qr = segno.make(url, error="m")
    rows = list(qr.matrix_iter(scale=1, border=2))
    module = size / len(rows)
    pdf.setFillColor(colors.white)
    pdf.rect(x, y, size, size, stroke=0, fill=1)
    pdf.setFillColor(colors.black)
    for row_number, row in enumerate(rows):
        for column_number, is_dark in enumerate(row):
            if is_dark:
                top = y + size - (row_number + 1) * module
                pdf.rect(x + column_number * module, top, module, module, stroke=0, fill=1)


def certificate_pdf(credential: Credential) -> bytes:
    width, height = landscape(letter)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"{credential.title} — {credential.recipient_name}")
    pdf.setAuthor(ISSUER_NAME)
    pdf.setSubject(f"Verification code {credential.verification_code}")

    pdf.setStrokeColor(colors.HexColor("#1f4e79"))
    pdf.setLineWidth(4)
    pdf.rect(0.4 * inch, 0.4 * inch, width - 0.8 * inch, height - 0.8 * inch)
    pdf.setLineWidth(1)
    pdf.rect(0.5 * inch, 0.5 * inch, width - 1.0 * inch, height - 1.0 * inch)

    pdf.setFillColor(colors.HexColor("#1f4e79"))
    _centered(pdf, ISSUER_NAME, height - 1.2 * inch, "Helvetica", 14, width)
    heading = _KIND_HEADINGS.get(CredentialKind(credential.kind), "Certificate")
    _centered(pdf, heading, height - 1.9 * inch, "Helvetica-Bold", 32, width)
    pdf.setFillColor(colors.black)
    _centered(pdf, "This certifies that", height - 2.6 * inch, "Helvetica", 14, width)
    _centered(pdf, credential.recipient_name, height - 3.3 * inch, "Helvetica-Bold", 30, width)
    earned = {
        CredentialKind.FELLOWSHIP: "was named",
        CredentialKind.ATTENDANCE: "attended",
    }.get(CredentialKind(credential.kind), "has completed")
    _centered(pdf, earned, height - 3.9 * inch, "Helvetica", 14, width)
    _centered(pdf, credential.title, height - 4.5 * inch, "Helvetica-Bold", 22, width)

    issued = timezone.localtime(credential.issued_at)
    details = [f"Issued {issued:%B} {issued.day}, {issued.year}"]
    if credential.hours:
        details.append(f"{credential.hours} hours")
    _centered(pdf, " · ".join(details), height - 5.1 * inch, "Helvetica", 13, width)
    if credential.credit_statement:
        _centered(pdf, credential.credit_statement, height - 5.5 * inch, "Helvetica", 12, width)

    url = verification_url(credential)
    _draw_qr(pdf, url, x=width - 0.75 * inch - 1.2 * inch, y=0.75 * inch, size=1.2 * inch)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(0.8 * inch, 1.15 * inch, f"Verification code: {credential.verification_code}")
    pdf.drawString(0.8 * inch, 0.9 * inch, f"Verify at {url}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
