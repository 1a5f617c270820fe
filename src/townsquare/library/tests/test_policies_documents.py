"""The DOCX and PDF renderings of a policy, and its Markdown body: the same content, any text."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.core.markdown import render_markdown

from ..services.policy_documents import ComposedPolicy, PolicySection, policy_docx, policy_pdf
from .support_policies import docx_text, pdf_text, squash


def composed(**overrides: Any) -> ComposedPolicy:
    values: dict[str, Any] = {
        "title": "Social media policy",
        "organization": "St. Mary's <Clinic> & Partners",
        "effective_on": date(2027, 7, 4),
        "contact_name": "Jo Compliance",
        "contact_email": "jo@example.org",
        "contact_phone": "",
        "sections": (
            PolicySection(1, "Protecting patient privacy and PHI", "Never post PHI. *Never*."),
            PolicySection(2, "Responding to online reviews", "1. Never confirm a patient."),
        ),
    }
    values.update(overrides)
    return ComposedPolicy(**values)


def test_docx_and_pdf_carry_the_same_content_with_special_characters():
    policy = composed()
    word = squash(docx_text(policy_docx(policy)))
    pdf = pdf_text(policy_pdf(policy))
    for text in (word, pdf):
        assert "Social media policy" in text
        assert "St. Mary's <Clinic> & Partners" in text
        assert "Effective July 4, 2027" in text
        assert "Questions about this policy: Jo Compliance, jo@example.org" in text
        assert "Purpose and scope" in text
        assert "1. Protecting patient privacy and PHI Never post PHI. *Never*." in text
        assert "2. Responding to online reviews 1. Never confirm a patient." in text


def test_without_an_effective_date_the_documents_say_so():
    policy = composed(effective_on=None, sections=())
    assert "Effective date: to be set" in pdf_text(policy_pdf(policy))
    assert "Effective date: to be set" in docx_text(policy_docx(policy))


def test_the_markdown_body_shows_the_text_literally():
    html = str(render_markdown(composed().as_markdown()))
    assert "St. Mary's &lt;Clinic&gt; &amp; Partners" in html
    assert "<h2>2. Responding to online reviews</h2>" in html
    assert "<p>1. Never confirm a patient.</p>" in html
    assert "Never post PHI. *Never*." in html
    assert "<em>" not in html


@settings(max_examples=25, deadline=None)
@given(
    organization=st.text(min_size=1, max_size=80),
    text=st.text(max_size=300),
)
def test_any_text_renders_without_crashing(organization, text):
    policy = composed(
        organization=organization.replace("\x00", ""),
        sections=(PolicySection(1, "Clause", text.replace("\x00", "")),),
    )
    assert policy_pdf(policy).startswith(b"%PDF")
    assert policy_docx(policy).startswith(b"PK")
