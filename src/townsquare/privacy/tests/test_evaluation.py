"""The labeled set is well formed, the evaluation counts as documented, and the scanner holds."""

from __future__ import annotations

from townsquare.privacy import PhiKind, scan
from townsquare.privacy.evaluation.evaluate import evaluate
from townsquare.privacy.evaluation.labeled_set import (
    SOURCE_PATH,
    check_records,
    load_records,
    parse_source,
)


def test_labeled_set_is_well_formed_and_built_from_its_source():
    records = load_records()
    assert len(records) >= 300
    assert check_records(records) == []
    assert records == parse_source(SOURCE_PATH.read_text(encoding="utf-8"))
    kinds = {span["kind"] for record in records for span in record["spans"]}
    assert kinds == set(PhiKind.values)
    assert sum(1 for record in records if not record["spans"]) >= 100


def test_check_records_names_each_problem():
    records = [
        {"id": "a", "text": "call 555", "spans": [{"kind": "phone", "start": 4, "end": 8}]},
        {"id": "a", "text": "x", "spans": [{"kind": "nope", "start": 0, "end": 5}]},
    ]
    assert check_records(records) == [
        "a: span 4-8 starts or ends with a space",
        "'a': missing or repeated id",
        "a: unknown kind 'nope'",
        "a: span 0-5 outside the text",
    ]


def test_evaluate_counts_overlaps_of_the_same_kind():
    records = [
        {
            "id": "one",
            "text": "Mr. Okafor at 555-0147",
            "spans": [
                {"kind": "name", "start": 4, "end": 10},
                {"kind": "fax", "start": 14, "end": 22},
            ],
        }
    ]

    def scanner(text):
        return [
            {"kind": "name", "start": 0, "end": 10},  # wider than the label: still found
            {"kind": "phone", "start": 14, "end": 22},  # the wrong kind: a miss and a false one
        ]

    report = evaluate(scanner, records)
    assert report.kinds["name"].as_dict()["recall"] == 1.0
    assert (report.kinds["fax"].found, report.kinds["fax"].missed) == (0, 1)
    assert (report.kinds["phone"].findings, report.kinds["phone"].false) == (1, 1)
    assert (report.overall.labeled, report.overall.found, report.overall.findings) == (2, 1, 2)
    assert (report.any_kind.found, report.any_kind.correct) == (2, 2)
    assert [miss.excerpt for miss in report.missed] == ["555-0147"]


def test_scanner_keeps_recall_and_precision_on_the_labeled_set():
    """A regression gate on quality (not speed; speed lives in bench/phi_eval.py)."""
    report = evaluate(scan, load_records())
    assert report.overall.recall >= 0.95, report.table()
    assert report.overall.precision >= 0.90, report.table()
