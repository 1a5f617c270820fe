"""``townsquare phi-scan``: plain text, JSON lines, a bad line, empty input."""

from __future__ import annotations

import io
import json
import sys

import pytest
from django.core.management import call_command


def run(monkeypatch, stdin: str, *args: str) -> tuple[list[dict], str, int]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out, err = io.StringIO(), io.StringIO()
    status = 0
    try:
        call_command("phi-scan", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    return lines, err.getvalue(), status


def test_plain_text_is_one_post_across_lines(monkeypatch):
    text = "pt Harold Kim\nDOB 04/17/1948"
    lines, errors, status = run(monkeypatch, text)
    assert status == 0
    assert errors == ""
    assert lines == [
        {
            "findings": [
                {"kind": "name", "start": 3, "end": 13, "confidence": 0.85},
                {"kind": "date", "start": 18, "end": 28, "confidence": 0.95},
            ]
        }
    ]


def test_plain_text_with_lines_is_one_post_per_line(monkeypatch):
    lines, _, status = run(monkeypatch, "Text me 555-219-0043\n\nnothing here\n", "--lines")
    assert status == 0
    assert lines == [
        {"line": 1, "findings": [{"kind": "phone", "start": 8, "end": 20, "confidence": 0.9}]},
        {"line": 3, "findings": []},
    ]


def test_json_lines_are_detected_and_ids_kept(monkeypatch):
    stdin = '{"id": "a1", "text": "mail jo@example.org"}\n\n{"text": "nothing"}\n'
    lines, errors, status = run(monkeypatch, stdin)
    assert (status, errors) == (0, "")
    assert lines == [
        {
            "line": 1,
            "id": "a1",
            "findings": [{"kind": "email", "start": 5, "end": 19, "confidence": 0.95}],
        },
        {"line": 3, "findings": []},
    ]


def test_a_bad_json_line_gets_an_error_line_and_the_rest_is_scanned(monkeypatch):
    stdin = '{"text": "SSN 412-58-2291"}\n{"text": 5}\n{not json\n{"text": "ok"}\n'
    lines, errors, status = run(monkeypatch, stdin)
    assert status == 1
    assert lines == [
        {"line": 1, "findings": [{"kind": "ssn", "start": 4, "end": 15, "confidence": 0.95}]},
        {"line": 2, "error": 'no "text" string in the object'},
        {"line": 3, "error": "not valid JSON: Expecting property name enclosed in double quotes"},
        {"line": 4, "findings": []},
    ]
    assert errors.splitlines() == [
        'phi-scan: line 2: no "text" string in the object',
        "phi-scan: line 3: not valid JSON: Expecting property name enclosed in double quotes",
    ]
    assert "Traceback" not in errors


@pytest.mark.parametrize("stdin", ["", "   \n\n"])
def test_empty_input_writes_nothing(monkeypatch, stdin):
    assert run(monkeypatch, stdin) == ([], "", 0)


def test_output_never_holds_the_text(monkeypatch):
    lines, _, _ = run(monkeypatch, '{"text": "pt Harold Kim, cell 555-219-0043"}\n')
    assert "Harold" not in json.dumps(lines)
    assert "555-219" not in json.dumps(lines)
