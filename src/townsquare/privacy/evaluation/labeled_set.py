"""The labeled posts: written in a small markup, built into ``labeled_posts.jsonl``, checked.

The source, ``labeled_posts.source.txt``, holds one post per line with each identifier marked as
``[[kind:text]]``; a literal ``\\n`` is a line break and `` ||note: `` starts a note on a hard case.
Lines starting with ``%%`` are comments, and ``%% split: NAME`` starts a split, whose posts get the
ids ``NAME-0001``, ``NAME-0002``, … The builder strips the markup and computes each span's offsets,
so no offset is ever counted by hand. Rebuild after editing the source::

    .venv/bin/python -m townsquare.privacy.evaluation.labeled_set
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from townsquare.privacy.findings import PhiKind

HERE = Path(__file__).resolve().parent
SOURCE_PATH = HERE / "labeled_posts.source.txt"
LABELED_PATH = HERE / "labeled_posts.jsonl"

_MARK = re.compile(r"\[\[([a-z_]+):(.+?)\]\]")
_NOTE = " ||note: "


def parse_source(source: str) -> list[dict[str, Any]]:
    """Turn the marked-up source into records ``{id, text, spans, note?}``."""
    records: list[dict[str, Any]] = []
    split = "post"
    counters: dict[str, int] = {}
    for number, raw_line in enumerate(source.splitlines(), start=1):
        line = raw_line.rstrip()
        if not line:
            continue
        if line.startswith("%%"):
            directive = line[2:].strip()
            if directive.startswith("split:"):
                split = directive.removeprefix("split:").strip()
            continue
        marked, _, note = line.partition(_NOTE)
        marked = marked.replace("\\n", "\n")
        text_parts: list[str] = []
        spans: list[dict[str, Any]] = []
        length = 0
        position = 0
        for match in _MARK.finditer(marked):
            before = marked[position : match.start()]
            text_parts.append(before)
            length += len(before)
            kind, value = match.group(1), match.group(2)
            if kind not in PhiKind.values:
                raise ValueError(f"line {number}: unknown kind {kind!r}")
            spans.append({"kind": kind, "start": length, "end": length + len(value)})
            text_parts.append(value)
            length += len(value)
            position = match.end()
        text_parts.append(marked[position:])
        text = "".join(text_parts)
        if "[[" in text or "]]" in text:
            raise ValueError(f"line {number}: unbalanced markup")
        counters[split] = counters.get(split, 0) + 1
        record: dict[str, Any] = {
            "id": f"{split}-{counters[split]:04d}",
            "text": text,
            "spans": spans,
        }
        if note.strip():
            record["note"] = note.strip()
        records.append(record)
    return records


def check_records(records: list[dict[str, Any]]) -> list[str]:
    """Every problem in the records: repeated ids, unknown kinds, spans outside the text."""
    problems: list[str] = []
    seen: set[str] = set()
    for record in records:
        identifier = record.get("id")
        text = record.get("text")
        if not isinstance(identifier, str) or identifier in seen:
            problems.append(f"{identifier!r}: missing or repeated id")
        seen.add(str(identifier))
        if not isinstance(text, str) or not text:
            problems.append(f"{identifier}: missing text")
            continue
        previous_end = 0
        for span in sorted(record.get("spans", []), key=lambda span: span["start"]):
            start, end, kind = span["start"], span["end"], span["kind"]
            if kind not in PhiKind.values:
                problems.append(f"{identifier}: unknown kind {kind!r}")
            if not 0 <= start < end <= len(text):
                problems.append(f"{identifier}: span {start}-{end} outside the text")
                continue
            value = text[start:end]
            if value != value.strip():
                problems.append(f"{identifier}: span {start}-{end} starts or ends with a space")
            if start < previous_end:
                problems.append(f"{identifier}: span {start}-{end} overlaps the one before it")
            previous_end = end
    return problems


def load_records(path: Path = LABELED_PATH) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def build() -> list[dict[str, Any]]:
    records = parse_source(SOURCE_PATH.read_text(encoding="utf-8"))
    problems = check_records(records)
    if problems:
        raise ValueError("; ".join(problems))
    with LABELED_PATH.open("w", encoding="utf-8") as output:
        for record in records:
            output.write(json.dumps(record, ensure_ascii=False) + "\n")
    return records


if __name__ == "__main__":
    built = build()
    print(f"{len(built)} posts, {sum(len(r['spans']) for r in built)} spans -> {LABELED_PATH}")  # noqa: T201
