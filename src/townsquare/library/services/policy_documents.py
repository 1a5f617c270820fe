"""A built policy as a Word document (python-docx) and a PDF (ReportLab).

Both carry the same content: the title, the organization, the effective date, the contacts, a
short statement of purpose and scope, and the numbered sections with the chosen options' text.
Pure functions of a ``ComposedPolicy``: no database access, so they are easy to test."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

# What XML (and so DOCX and ReportLab's markup) cannot hold: control characters, surrogates.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"


@dataclass(frozen=True)
class PolicySection:
    number: int
    title: str
    text: str


@dataclass(frozen=True)
class ComposedPolicy:
    title: str
    organization: str
    effective_on: date | None
    contact_name: str
    contact_email: str
    contact_phone: str
    sections: tuple[PolicySection, ...]

    @property
    def effective_text(self) -> str:
        if self.effective_on is None:
            return "Effective date: to be set"
        return f"Effective {self.effective_on:%B} {self.effective_on.day}, {self.effective_on:%Y}"

    @property
    def contact_text(self) -> str:
        parts = [self.contact_name, self.contact_email]
        if self.contact_phone:
            parts.append(self.contact_phone)
        return "Questions about this policy: " + ", ".join(part for part in parts if part)

    @property
    def scope_text(self) -> str:
        return (
            f"This policy applies to everyone who works for or with {self.organization}: "
            "employees, physicians, students, volunteers and contractors, on official and "
            "personal accounts, on any social-media site, app, blog, forum or messaging service, "
            "at work and away from it. It protects our patients' privacy and trust, and helps "
            "you use social media well."
        )

    def as_markdown(self) -> str:
        """The same policy as Markdown, the body of the saved resource version."""
        lines = [
            f"**{_markdown_escape(self.organization)}**",
            "",
            _markdown_escape(self.effective_text),
            "",
            _markdown_escape(self.contact_text),
            "",
            "## Purpose and scope",
            "",
            _markdown_escape(self.scope_text),
        ]
        for section in self.sections:
            lines += ["", f"## {section.number}. {_markdown_escape(section.title)}", ""]
            lines.append(_markdown_escape(section.text))
        return "\n".join(lines) + "\n"


def _markdown_escape(text: str) -> str:
    """Text shown literally in Markdown: the characters Markdown would read as markup escaped."""
    special = set("\\`*_[]<>#|~&")
    escaped = "".join(f"\\{ch}" if ch in special else ch for ch in text)
    # A paragraph that starts like a list item or a setext underline would not stay a paragraph.
    if re.match(r"\d+[.)]|[-+=]", escaped):
        digits = re.match(r"\d*", escaped)
        cut = digits.end() if digits and digits.end() else 0
        escaped = f"{escaped[:cut]}\\{escaped[cut:]}"
    return escaped


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def policy_docx(policy: ComposedPolicy) -> bytes:
    import docx
    from docx.shared import Pt

    policy = _cleaned(policy)

    document = docx.Document()
    properties = document.core_properties
    properties.title = policy.title[:255]
    properties.author = policy.organization[:255]
    properties.subject = "Social-media policy"
    style = document.styles["Normal"]
    style.font.name = "Calibri"  # type: ignore[attr-defined]
    style.font.size = Pt(11)  # type: ignore[attr-defined]
    document.add_heading(policy.title, level=0)
    document.add_paragraph(policy.organization, style="Subtitle")
    document.add_paragraph(policy.effective_text)
    document.add_paragraph(policy.contact_text)
    document.add_heading("Purpose and scope", level=1)
    document.add_paragraph(policy.scope_text)
    for section in policy.sections:
        document.add_heading(f"{section.number}. {section.title}", level=1)
        document.add_paragraph(section.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf_text(text: str) -> str:
    # ReportLab paragraphs read a small XML markup: the text must be escaped, and the standard
    # fonts cover Windows-1252 only, so anything else is replaced rather than drawn as boxes.
    safe = text.encode("cp1252", errors="replace").decode("cp1252")
    return escape(safe)


def policy_pdf(policy: ComposedPolicy) -> bytes:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    policy = _cleaned(policy)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=policy.title,
        author=policy.organization,
        subject="Social-media policy",
        leftMargin=inch,
        rightMargin=inch,
        topMargin=inch,
        bottomMargin=inch,
    )
    styles = getSampleStyleSheet()
    story = [
        Paragraph(_pdf_text(policy.title), styles["Title"]),
        Paragraph(_pdf_text(policy.organization), styles["Heading2"]),
        Paragraph(_pdf_text(policy.effective_text), styles["Normal"]),
        Paragraph(_pdf_text(policy.contact_text), styles["Normal"]),
        Spacer(1, 12),
        Paragraph("Purpose and scope", styles["Heading2"]),
        Paragraph(_pdf_text(policy.scope_text), styles["BodyText"]),
    ]
    for section in policy.sections:
        story.append(Paragraph(_pdf_text(f"{section.number}. {section.title}"), styles["Heading2"]))
        story.append(Paragraph(_pdf_text(section.text), styles["BodyText"]))

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(inch, 0.6 * inch, _pdf_footer(policy)[:120])
        canvas.drawRightString(LETTER[0] - inch, 0.6 * inch, f"Page {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _pdf_footer(policy: ComposedPolicy) -> str:
    safe = f"{policy.organization}: {policy.title}"
    return safe.encode("cp1252", errors="replace").decode("cp1252")


def _cleaned(policy: ComposedPolicy) -> ComposedPolicy:
    return ComposedPolicy(
        title=_clean(policy.title),
        organization=_clean(policy.organization),
        effective_on=policy.effective_on,
        contact_name=_clean(policy.contact_name),
        contact_email=_clean(policy.contact_email),
        contact_phone=_clean(policy.contact_phone),
        sections=tuple(
            PolicySection(s.number, _clean(s.title), _clean(s.text)) for s in policy.sections
        ),
    )
