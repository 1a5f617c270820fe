"""Test helpers of the policy builder: the project's clauses loaded, drafts, reading the files."""

from __future__ import annotations

import io
from typing import Any

from townsquare.accounts.models import Organization, User

from ..models import PolicyDraft
from ..policy_clauses import clauses_load
from ..services import policies as services


def load_clauses() -> None:
    clauses_load()


def make_draft(
    *,
    actor: User,
    organization: Organization,
    title: str = "Social media policy",
    contact_name: str = "Priya Privacy",
    contact_email: str = "privacy@example.org",
    contact_phone: str = "+1 555 0100",
    choices: dict[str, str] | None = None,
    **fields: Any,
) -> PolicyDraft:
    """A draft through the real service (the clauses must be loaded)."""
    return services.draft_create(
        actor=actor,
        organization=organization,
        fields=services.DraftFields(
            title=title,
            contact_name=contact_name,
            contact_email=contact_email,
            contact_phone=contact_phone,
            **fields,
        ),
        choices=choices,
    )


def docx_text(content: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    # Lines wrap wherever ReportLab breaks them: compare on single spaces.
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def squash(text: str) -> str:
    return " ".join(text.split())


def stored_bytes(stored: Any) -> bytes:
    """The content of a stored ``ResourceFile`` (closing the file again)."""
    with stored.file.open("rb") as handle:
        return bytes(handle.read())
