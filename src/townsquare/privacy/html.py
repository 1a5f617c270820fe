"""Showing an author what the guard found: their text, escaped, with each finding marked."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .findings import Finding


def highlight_html(text: str, findings: Iterable[Finding]) -> SafeString:
    """The text escaped, each finding wrapped in ``<mark class="phi-finding" data-kind=...>``.

    A visually hidden label after each mark names the kind for screen readers. Findings that
    overlap an earlier one or fall outside the text are skipped; line breaks are kept as text
    (wrap the result in an element with ``white-space: pre-wrap`` to show them).
    """
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda found: (found.start, -found.end)):
        if finding.start < position or not 0 <= finding.start < finding.end <= len(text):
            continue
        parts.append(escape(text[position : finding.start]))
        parts.append(
            f'<mark class="phi-finding" data-kind="{escape(finding.kind)}">'
            f"{escape(text[finding.start : finding.end])}"
            f'<span class="visually-hidden"> ({escape(finding.label)})</span></mark>'
        )
        position = finding.end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped
