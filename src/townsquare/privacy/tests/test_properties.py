"""Property tests: on any text the scanner returns, never raises, and points inside the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from townsquare.privacy import PhiKind, scan

FRAGMENTS = [
    "Mr. ",
    "pt ",
    "my husband ",
    "DOB ",
    "MRN ",
    "born ",
    "555-0147",
    "(312) 555-0147",
    "412-58-2291",
    "@example.com",
    "https://facebook.com/x",
    "03/14/1952",
    "March 3, 1931",
    "92-year-old",
    " Room 4 ",
    "IL 62704",
    "1420 Birchwood Lane",
    "five five five ",
    "VIN ",
    "İ",
    "ß",
    "\u0301",
    "٣",
    "\n",
    ", ",
]

text_with_fragments = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text()), max_size=30).map(
    "".join
)


def check(text: str) -> None:
    findings = scan(text)
    kinds = set(PhiKind.values)
    previous_end = 0
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert text[finding.start : finding.end]
        assert finding.kind in kinds
        assert 0.0 <= finding.confidence <= 1.0
        assert finding.start >= previous_end
        previous_end = finding.end


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_scan_never_raises_on_any_unicode(text):
    check(text)


@settings(max_examples=300, deadline=None)
@given(text_with_fragments)
def test_scan_never_raises_on_identifier_like_text(text):
    check(text)
