"""Scanning a stream: what ``townsquare phi-scan`` does with standard input and output.

Input is either plain text or JSON lines, detected from the input itself:

* JSON lines when every non-empty line starts with ``{``. Each line must be an object with a
  string ``text``; its ``id`` (any JSON value), if present, is copied to the output. Each line
  gives one output line ``{"line": n, "id": ..., "findings": [...]}``. A line that is not such an
  object gives ``{"line": n, "error": "..."}`` and a message on standard error; the others are
  still scanned, and the exit status is 1.
* Otherwise plain text: the whole input is one post (a post may span lines), and the output is one
  line ``{"findings": [...]}``. With ``lines=True`` each non-empty line is a post of its own and
  gets ``{"line": n, "findings": [...]}``.

Empty input (or only whitespace) gives no output. A finding is ``{"kind", "start", "end",
"confidence"}``, offsets in Unicode code points of that post's text. Output never holds the text.
"""

from __future__ import annotations

import json
from typing import Any, Literal, Protocol, TextIO

from .scanner import scan

Format = Literal["auto", "text", "jsonl"]


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


def _findings(text: str) -> list[dict[str, Any]]:
    return [
        {
            "kind": finding.kind,
            "start": finding.start,
            "end": finding.end,
            "confidence": finding.confidence,
        }
        for finding in scan(text)
    ]


def _write(output: Writer, record: dict[str, Any]) -> None:
    output.write(json.dumps(record, ensure_ascii=False) + "\n")


def _is_json_lines(lines: list[str]) -> bool:
    content = [line for line in lines if line.strip()]
    return bool(content) and all(line.lstrip().startswith("{") for line in content)


def _json_line(number: int, line: str) -> tuple[dict[str, Any], str | None]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return {"line": number, "error": f"not valid JSON: {error.msg}"}, None
    if not isinstance(record, dict):
        return {"line": number, "error": "not a JSON object"}, None
    text = record.get("text")
    if not isinstance(text, str):
        return {"line": number, "error": 'no "text" string in the object'}, None
    result: dict[str, Any] = {"line": number}
    if "id" in record:
        result["id"] = record["id"]
    return result, text


def scan_stream(
    source: TextIO,
    output: Writer,
    errors: Writer,
    *,
    input_format: Format = "auto",
    lines: bool = False,
) -> int:
    """Scan ``source`` and write JSON lines to ``output``; return the exit status (0 or 1)."""
    content = source.read()
    if not content.strip():
        return 0
    all_lines = content.splitlines()
    if input_format == "jsonl" or (input_format == "auto" and _is_json_lines(all_lines)):
        status = 0
        for number, line in enumerate(all_lines, start=1):
            if not line.strip():
                continue
            result, text = _json_line(number, line)
            if text is None:
                errors.write(f"phi-scan: line {number}: {result['error']}\n")
                status = 1
            else:
                result["findings"] = _findings(text)
            _write(output, result)
        return status
    if lines:
        for number, line in enumerate(all_lines, start=1):
            if line.strip():
                _write(output, {"line": number, "findings": _findings(line)})
        return 0
    _write(output, {"findings": _findings(content)})
    return 0
