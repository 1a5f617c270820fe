"""What is written to the audit log (never the text) and what the author is shown."""

from __future__ import annotations

import pytest

from townsquare.core.models import AuditRecord
from townsquare.privacy import Finding, findings_audit, highlight_html, scan


@pytest.mark.django_db
def test_findings_audit_records_kinds_and_positions_never_the_text(member):
    text = "pt Harold Kim, cell 555-219-0043"
    findings_audit(
        actor=member,
        target=("community.post", 42),
        findings=scan(text),
        decision="warned",
        context="community.space:7",
    )
    record = AuditRecord.objects.get(action="privacy.phi_found")
    assert record.action == "privacy.phi_found"
    assert record.actor_id == member.pk
    assert (record.target_type, record.target_id) == ("community.post", "42")
    assert record.data == {
        "decision": "warned",
        "context": "community.space:7",
        "findings": [
            {"kind": "name", "start": 3, "end": 13, "confidence": 0.85},
            {"kind": "phone", "start": 20, "end": 32, "confidence": 0.9},
        ],
    }
    assert "Harold" not in str(record.data)
    assert "555" not in str(record.data)


def test_highlight_html_escapes_the_text_and_marks_each_finding():
    text = "<b>pt</b> & email jo@example.org"
    html = highlight_html(text, scan(text))
    assert html == (
        "&lt;b&gt;pt&lt;/b&gt; &amp; email "
        '<mark class="phi-finding" data-kind="email">jo@example.org'
        '<span class="visually-hidden"> (Email address)</span></mark>'
    )


def test_highlight_html_skips_overlapping_and_outside_findings():
    text = "abc def"
    findings = [
        Finding("name", 0, 3, 0.9),
        Finding("name", 1, 2, 0.9),
        Finding("phone", 5, 99, 0.9),
    ]
    assert highlight_html(text, findings) == (
        '<mark class="phi-finding" data-kind="name">abc'
        '<span class="visually-hidden"> (Name)</span></mark> def'
    )
