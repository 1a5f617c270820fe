"""``scan(text)``: run every detector, then merge what they found into one ordered list.

Overlapping findings are merged: findings of the same kind become one finding covering both, with
the higher confidence; of different kinds, the more confident finding wins (then the longer one),
so a number after "MRN" is a medical record number even though it also looks like a telephone
number. Offsets are Python string indices (Unicode code points), so ``text[start:end]`` is what
was found.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator

from . import names, patterns
from .findings import Finding
from .patterns import Source

Detector = Callable[[Source], Iterable[Finding]]

DETECTORS: tuple[Detector, ...] = (
    patterns.detect_email,
    patterns.detect_url,
    patterns.detect_ip,
    patterns.detect_phone,
    patterns.detect_ssn,
    patterns.detect_shaped_numbers,
    patterns.detect_cued_numbers,
    patterns.detect_address,
    patterns.detect_date,
    patterns.detect_age,
    names.detect_name,
)

# Above this length a text is scanned in overlapping pieces, so no detector ever sees more than a
# bounded amount of text at once and the work grows linearly with the length.
PIECE_LENGTH = 20_000
PIECE_OVERLAP = 400
# Between equally confident findings over the same characters, the more specific kind wins.
_PRIORITY = {
    kind: rank
    for rank, kind in enumerate(
        (
            "ssn",
            "mrn",
            "health_plan",
            "license",
            "vehicle",
            "device",
            "account",
            "other_id",
            "email",
            "url",
            "ip",
            "fax",
            "phone",
            "date",
            "age",
            "address",
            "zip",
            "name",
        )
    )
}
_EDGE_CHARACTERS = " \t\r\n\f\v,;:"


def _trimmed(finding: Finding, text: str) -> Finding | None:
    start, end = max(0, finding.start), min(len(text), finding.end)
    while start < end and text[start] in _EDGE_CHARACTERS:
        start += 1
    while end > start and text[end - 1] in _EDGE_CHARACTERS:
        end -= 1
    if start >= end:
        return None
    confidence = min(1.0, max(0.0, finding.confidence))
    if (start, end, confidence) == (finding.start, finding.end, finding.confidence):
        return finding
    return Finding(finding.kind, start, end, confidence)


def _raw_findings(text: str, offset: int = 0) -> Iterator[Finding]:
    source = Source(text)
    for detector in DETECTORS:
        for finding in detector(source):
            trimmed = _trimmed(finding, text)
            if trimmed is not None:
                if offset:
                    trimmed = Finding(
                        trimmed.kind,
                        trimmed.start + offset,
                        trimmed.end + offset,
                        trimmed.confidence,
                    )
                yield trimmed


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    if len(text) <= PIECE_LENGTH:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(len(text), start + PIECE_LENGTH)
        if end < len(text):
            # Cut at a line break or a space near the end, so a piece rarely splits a word.
            cut = max(text.rfind("\n", end - PIECE_OVERLAP, end), text.rfind(" ", end - 50, end))
            if cut > start:
                end = cut
        piece_start = max(0, start - PIECE_OVERLAP)
        yield piece_start, text[piece_start:end]
        if end >= len(text):
            return
        start = end


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """Resolve overlaps (see the module's docstring) and sort by position."""
    ranked = sorted(
        set(findings),
        key=lambda found: (
            -found.confidence,
            found.start - found.end,
            _PRIORITY.get(found.kind, len(_PRIORITY)),
            found.start,
        ),
    )
    starts: list[int] = []
    kept: list[Finding] = []
    for finding in ranked:
        index = bisect.bisect_left(starts, finding.start)
        clash = []
        position = max(0, index - 1)
        while position < len(kept) and kept[position].start < finding.end:
            if finding.start < kept[position].end:
                clash.append(kept[position])
            position += 1
        if not clash:
            starts.insert(index, finding.start)
            kept.insert(index, finding)
            continue
        same = [other for other in clash if other.kind == finding.kind]
        if len(same) == len(clash):
            for other in same:
                position = kept.index(other)
                del kept[position]
                del starts[position]
            union = Finding(
                finding.kind,
                min(finding.start, *(other.start for other in same)),
                max(finding.end, *(other.end for other in same)),
                max(finding.confidence, *(other.confidence for other in same)),
            )
            index = bisect.bisect_left(starts, union.start)
            starts.insert(index, union.start)
            kept.insert(index, union)
    return kept


def scan(text: str) -> list[Finding]:
    """Every HIPAA Safe Harbor identifier found in ``text``, sorted by start. Never raises."""
    if not isinstance(text, str) or not text:
        return []
    found: list[Finding] = []
    for offset, piece in _pieces(text):
        found.extend(_raw_findings(piece, offset))
    return merge(found)
