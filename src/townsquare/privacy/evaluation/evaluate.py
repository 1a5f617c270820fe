"""Recall and precision of a scanner on labeled posts, per kind and overall.

Matching rule: a finding is correct when it overlaps (shares at least one character with) a labeled
span of the same kind; a labeled span is found when at least one correct finding overlaps it.
Recall is found spans / labeled spans; precision is correct findings / all findings. Boundaries do
not have to agree ("Mr. Okafor" against "Okafor" counts), the kind does: a fax number reported as
a telephone number is a miss for "fax" and a false finding for "phone". The overall figures add
the counts of every kind; ``any_kind`` repeats them with the kind ignored (was *something* found
here?).

``scan_fn`` may be any callable from text to findings with ``kind``, ``start`` and ``end``
attributes, or to dicts with those keys, so another tool can be measured the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class KindScore:
    labeled: int = 0
    found: int = 0
    findings: int = 0
    correct: int = 0

    @property
    def missed(self) -> int:
        return self.labeled - self.found

    @property
    def false(self) -> int:
        return self.findings - self.correct

    @property
    def recall(self) -> float:
        return self.found / self.labeled if self.labeled else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.findings if self.findings else 1.0

    def add(self, other: KindScore) -> None:
        self.labeled += other.labeled
        self.found += other.found
        self.findings += other.findings
        self.correct += other.correct

    def as_dict(self) -> dict[str, Any]:
        return {
            "labeled": self.labeled,
            "found": self.found,
            "missed": self.missed,
            "findings": self.findings,
            "correct": self.correct,
            "false": self.false,
            "recall": round(self.recall, 4),
            "precision": round(self.precision, 4),
        }


@dataclass(frozen=True)
class Error:
    record_id: str
    kind: str
    start: int
    end: int
    excerpt: str  # the labeled set is written for this purpose; never use this on real posts


@dataclass
class Report:
    posts: int = 0
    kinds: dict[str, KindScore] = field(default_factory=dict)
    overall: KindScore = field(default_factory=KindScore)
    any_kind: KindScore = field(default_factory=KindScore)
    missed: list[Error] = field(default_factory=list)
    false_findings: list[Error] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "kinds": {kind: score.as_dict() for kind, score in sorted(self.kinds.items())},
            "overall": self.overall.as_dict(),
            "any_kind": self.any_kind.as_dict(),
        }

    def table(self, title: str = "") -> str:
        """A fixed-width table: one row per kind, then overall and any-kind."""
        lines = [title] if title else []
        header = (
            f"{'kind':<12} {'labeled':>7} {'found':>6} {'missed':>6} {'findings':>8} "
            f"{'false':>6} {'recall':>7} {'precision':>9}"
        )
        lines += [header, "-" * len(header)]
        rows = [*sorted(self.kinds.items()), ("OVERALL", self.overall), ("any kind", self.any_kind)]
        for kind, score in rows:
            lines.append(
                f"{kind:<12} {score.labeled:>7} {score.found:>6} {score.missed:>6} "
                f"{score.findings:>8} {score.false:>6} {score.recall:>7.3f} {score.precision:>9.3f}"
            )
        return "\n".join(lines)


def _spans(items: Iterable[Any]) -> list[tuple[str, int, int]]:
    spans = []
    for item in items:
        if isinstance(item, Mapping):
            spans.append((str(item["kind"]), int(item["start"]), int(item["end"])))
        else:
            spans.append((str(item.kind), int(item.start), int(item.end)))
    return spans


def _overlaps(first: tuple[str, int, int], second: tuple[str, int, int]) -> bool:
    return first[1] < second[2] and second[1] < first[2]


def evaluate(
    scan_fn: Callable[[str], Iterable[Any]], records: Iterable[Mapping[str, Any]]
) -> Report:
    """Run ``scan_fn`` on every record's text and score it against the record's spans."""
    report = Report()
    for record in records:
        report.posts += 1
        text = record["text"]
        labels = _spans(record.get("spans", []))
        findings = _spans(scan_fn(text))
        identifier = str(record.get("id", report.posts))
        for label in labels:
            score = report.kinds.setdefault(label[0], KindScore())
            score.labeled += 1
            report.any_kind.labeled += 1
            matched = [found for found in findings if _overlaps(found, label)]
            if any(found[0] == label[0] for found in matched):
                score.found += 1
            else:
                report.missed.append(Error(identifier, *label, text[label[1] : label[2]]))
            if matched:
                report.any_kind.found += 1
        for found in findings:
            score = report.kinds.setdefault(found[0], KindScore())
            score.findings += 1
            report.any_kind.findings += 1
            matched = [label for label in labels if _overlaps(found, label)]
            if any(label[0] == found[0] for label in matched):
                score.correct += 1
            else:
                report.false_findings.append(Error(identifier, *found, text[found[1] : found[2]]))
            if matched:
                report.any_kind.correct += 1
    for score in report.kinds.values():
        report.overall.add(score)
    return report
