"""The scanner through its public surface: what it finds, where, and what it leaves alone."""

from __future__ import annotations

import pytest

from townsquare.privacy import LIKELY_CONFIDENCE, Finding, PhiKind, findings_summary, scan


def found(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, text[finding.start : finding.end]) for finding in scan(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pt Harold Kim in 7B is a fall risk", [("name", "Harold Kim")]),
        ("Mr. Okafor in bed 3 refused dinner", [("name", "Okafor")]),
        ("My husband Tom got his pacemaker checked", [("name", "Tom")]),
        ("Evelyn Marsh, 84, was admitted overnight", [("name", "Evelyn Marsh")]),
        ("Room 14 - Gloria Benitez - needs a sitter", [("name", "Gloria Benitez")]),
        ("Patient name: Marcus Thibodeaux", [("name", "Marcus Thibodeaux")]),
        ("Deliveries to 1420 Birchwood Lane today", [("address", "1420 Birchwood Lane")]),
        ("Mail it to PO Box 4471 please", [("address", "PO Box 4471")]),
        ("Springfield, IL 62704 is home", [("zip", "62704")]),
        ("Our zip code is 30318 and", [("zip", "30318")]),
        ("DOB 04/17/1948 on the form", [("date", "04/17/1948")]),
        ("She was discharged on June 14 with a pump", [("date", "June 14")]),
        ("He passed away on the 21st of May", [("date", "the 21st of May")]),
        ("Grandma is 94 and sharp", [("age", "94")]),
        ("a 102-year-old patient walked out", [("age", "102")]),
        ("Age: 96. Lives alone.", [("age", "96")]),
        ("My cell is (312) 555-0147, evenings", [("phone", "(312) 555-0147")]),
        ("UK line +44 20 7946 0958 works", [("phone", "+44 20 7946 0958")]),
        (
            "Call five five five, two one two, three four four nine tonight",
            [("phone", "five five five, two one two, three four four nine")],
        ),
        ("Fax the consent to (555) 201-8834 today", [("fax", "(555) 201-8834")]),
        ("email me at marisol.vega@example.com soon", [("email", "marisol.vega@example.com")]),
        ("SSN is 412-58-2291 on file", [("ssn", "412-58-2291")]),
        ("MRN# 0099127734 needs consent", [("mrn", "0099127734")]),
        ("member ID XKH904418273 was refused", [("health_plan", "XKH904418273")]),
        ("Medicare number 2KD7-F93-RW18 on the card", [("health_plan", "2KD7-F93-RW18")]),
        ("Billing account number 88210-45573 shows", [("account", "88210-45573")]),
        ("Paid with 4111 1111 1111 1111 twice", [("account", "4111 1111 1111 1111")]),
        ("My nursing license number is RN-2281907", [("license", "RN-2281907")]),
        ("license plate 7KDM318 in the ER lot", [("vehicle", "7KDM318")]),
        ("The VIN is 1HGCM82633A004352 for the van", [("vehicle", "1HGCM82633A004352")]),
        ("Pump S/N: NG1144903K for the rep", [("device", "NG1144903K")]),
        ("CPAP MAC 00:1A:2B:3C:4D:5E on wifi", [("device", "00:1A:2B:3C:4D:5E")]),
        (
            "Follow her at https://www.caringbridge.org/visit/lilysjourney today",
            [("url", "https://www.caringbridge.org/visit/lilysjourney")],
        ),
        ("Login came from 203.0.113.47 at 2am", [("ip", "203.0.113.47")]),
        ("Claim number CLM-2024-0088712 is pending", [("other_id", "CLM-2024-0088712")]),
    ],
)
def test_each_kind_is_found_at_its_place(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Started metoprolol 12/5 mg last week",
        "Pharmacy says take 1/2 tablet at bedtime",
        "BP was 128/82 this morning",
        "Room 412 needs a new IV pole",
        "Florence Nightingale would have loved this dashboard",
        "Anyone else a Taylor Swift fan on the unit?",
        "Dr. Patel did a great in-service on central lines",
        "Thank you Jamal on 5 East for covering",
        "My grandfather is 89 and still drives",
        "My 67-year-old dad refuses his CPAP",
        "Our webinar on March 3 covers social media policy",
        "The policy is effective January 1, 2025",
        "I have had lupus since 2008",
        "Just got home from Mercy General after three days",
        "Patient Safety Awareness Week starts Monday",
        "The CDC info line 1-800-232-4636 has answers",
        "Call 988 if you are in crisis",
        "We logged 10250 volunteer hours last year",
        "Version 2.4.1 of the charting app; build 10.2.0.15 next",
        "Helpful guide: https://www.cdc.gov/diabetes/managing/index.html",
        "Took 90 mg and it took 95 minutes to get a bed",
        "The CMS deadline is 12/31 for the attestation",
        "",
    ],
)
def test_hard_cases_are_not_flagged(text):
    assert scan(text) == []


def test_findings_are_sorted_and_do_not_overlap():
    text = (
        "Patient: Samuel Greene\nDOB: 11/02/1937\nMRN: A7730215\n"
        "Cell 555-219-0043, fax 555-302-7719, jo@example.org"
    )
    findings = scan(text)
    assert [finding.kind for finding in findings] == [
        "name",
        "date",
        "mrn",
        "phone",
        "fax",
        "email",
    ]
    assert all(
        earlier.end <= later.start for earlier, later in zip(findings, findings[1:], strict=False)
    )


def test_a_cue_makes_a_number_its_kind_and_not_a_telephone_number():
    text = "account number 555-123-4567 please"
    assert found(text) == [("account", "555-123-4567")]


def test_finding_label_confidence_and_summary_never_hold_the_text():
    text = "Text me 555-219-0043 and I'll add you"
    findings = scan(text)
    assert findings == [Finding("phone", 8, 20, 0.9)]
    assert findings[0].label == "Telephone number" == PhiKind.PHONE.label
    assert findings[0].confidence >= LIKELY_CONFIDENCE
    assert findings_summary(findings) == [
        {"kind": "phone", "label": "Telephone number", "start": 8, "end": 20, "confidence": 0.9}
    ]


def test_every_kind_has_a_human_label():
    assert len(PhiKind.choices) == 18
    assert all(label and label != value for value, label in PhiKind.choices)


def test_a_long_text_is_scanned_in_pieces_with_every_offset_right():
    post = "Admitted 3/18/2024. Call me at (312) 555-0147 or jo@example.org. "
    text = post * 2000  # about 130,000 characters: several pieces
    findings = scan(text)
    assert len(findings) == 3 * 2000
    assert {text[finding.start : finding.end] for finding in findings} == {
        "3/18/2024",
        "(312) 555-0147",
        "jo@example.org",
    }


@pytest.mark.parametrize(
    "text",
    [
        "a" * 200_000 + "@",
        "1" * 100_000,
        "1-" * 50_000,
        "Mr. " * 30_000,
        "my husband " * 20_000,
        ("(" * 1000 + "555 ") * 100,
        "http://" + "a" * 100_000,
        "5" * 20 + "/" + "5" * 20 + " " * 10_000 + "DOB",
    ],
)
def test_pathological_input_finishes(text):
    findings = scan(text)
    assert all(0 <= finding.start < finding.end <= len(text) for finding in findings)


def test_scan_of_a_non_string_is_empty():
    assert scan(None) == []  # type: ignore[arg-type]
