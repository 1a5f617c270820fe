"""The transcript as a PDF (ReportLab): the same content as the transcript page."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from ..selectors.credit import Transcript

TABLE_STYLE = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _escape(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: list[list[str]], widths: list[float]) -> Table:
    styles = getSampleStyleSheet()
    cells = [
        [Paragraph(_escape(cell), styles["BodyText"]) for cell in row] if index else row
        for index, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=[width * inch for width in widths], repeatRows=1)
    table.setStyle(TABLE_STYLE)
    return table


def transcript_pdf(transcript: Transcript) -> bytes:
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    person = transcript.person
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=f"Transcript of {person.display_name}",
        author="Townsquare Academy",
    )
    story: list[Flowable] = [
        Paragraph("Academy transcript", styles["Title"]),
        Paragraph(_escape(person.display_name), styles["Heading2"]),
        Paragraph(f"Issued {timezone.localdate().isoformat()}", styles["BodyText"]),
        Spacer(1, 12),
        Paragraph("Completed courses", styles["Heading3"]),
    ]
    if transcript.completions:
        rows = [["Course", "Completed", "Hours"]]
        for enrollment in transcript.completions:
            completed = enrollment.completed_at
            rows.append(
                [
                    f"{enrollment.course.code} {enrollment.course.title}",
                    timezone.localdate(completed).isoformat() if completed else "",
                    f"{enrollment.course.estimated_hours:.2f}",
                ]
            )
        rows.append(["Total", "", f"{transcript.completed_hours:.2f}"])
        story.append(_table(rows, [4.2, 1.3, 1.0]))
    else:
        story.append(Paragraph("No completed courses yet.", styles["BodyText"]))

    story += [Spacer(1, 12), Paragraph("Credentials", styles["Heading3"])]
    if transcript.credentials:
        site = settings.SITE_URL.rstrip("/")
        rows = [["Credential", "Issued", "Verify at"]]
        for credential in transcript.credentials:
            title = credential.title + (" (revoked)" if credential.is_revoked else "")
            rows.append(
                [
                    title,
                    timezone.localdate(credential.issued_at).isoformat(),
                    site + reverse("verify", args=[credential.verification_code]),
                ]
            )
        story.append(_table(rows, [3.0, 1.0, 2.5]))
    else:
        story.append(Paragraph("No credentials yet.", styles["BodyText"]))

    story += [Spacer(1, 12), Paragraph("Continuing-education credit", styles["Heading3"])]
    if transcript.claims:
        rows = [["Activity", "Credit type", "Completed", "Hours"]]
        for claim in transcript.claims:
            course = claim.activity.course
            rows.append(
                [
                    course.title if course else "",
                    claim.get_credit_type_display(),
                    claim.completed_on.isoformat(),
                    f"{claim.hours:.2f}",
                ]
            )
        for total in transcript.totals:
            rows.append([f"Total: {total.label}", "", "", f"{total.hours:.2f}"])
        story.append(_table(rows, [2.8, 2.0, 1.0, 0.7]))
    else:
        story.append(Paragraph("No credit claimed yet.", styles["BodyText"]))
    document.build(story)
    return buffer.getvalue()
