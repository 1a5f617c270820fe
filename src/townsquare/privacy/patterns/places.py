"""Detectors for geography smaller than a state: street addresses, PO boxes and ZIP codes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding, PhiKind
from .text import (
    Source,
    clause_after,
    compile_lowered,
    matches_in_zones,
)

# --- street addresses and ZIP codes ------------------------------------------------------------

_STREET_TYPES = (
    r"(?:Street|St|Avenue|Ave|Av|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|"
    r"Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Trail|Trl|Loop|Alley|Row|Pike|"
    r"Crescent|Close|Walk|Run|Point|Pt)"
)
_ADDRESS = re.compile(
    r"[0-9](?<![\w/.,-].)[0-9]{0,5}[A-Za-z]?\s{1,2}(?:(?:[NSEW]|North|South|East|West|N\.?E|N\.?W|S\.?E|"
    r"S\.?W)\.?\s{1,2})?(?:(?:[A-Z][A-Za-z'-]{0,20}|[0-9]{1,3}(?:st|nd|rd|th))\s{1,2}){1,4}?"
    rf"{_STREET_TYPES}\b\.?"
    r"(?:,?\s{1,2}(?:Apt|Apartment|Unit|Suite|Ste|#|Fl|Floor|Room|Rm|Bldg)\.?\s{0,2}#?"
    r"[0-9A-Za-z-]{1,6}\b)?"
)
_PO_BOX = compile_lowered(
    r"\b(?:P\.?\s?O\.?\s{0,2}Box|Post\s+Office\s+Box)\s{0,2}#?\s?[0-9]{1,6}\b"
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    "NM|NY|NC|ND|OH|OK|OR|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY"
)
_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    "Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    "New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    "West Virginia|Wisconsin|Wyoming|Puerto Rico"
)
_ZIP_AFTER_STATE = re.compile(
    rf"(?:\b(?:{_STATES})\.?|\b(?:{_STATE_NAMES})),?\s{{1,2}}(?P<zip>[0-9]{{5}}(?:-[0-9]{{4}})?)"
    r"(?![\w]|-[0-9])"
)
_ZIP_CUE = compile_lowered(
    r"\b(?:zip(?:\s?code)?|postal\s+code|zip\+4)\s{0,2}(?:is|of|:|#)?\s{0,2}(?:the\s+)?"
    r"(?P<zip>[0-9]{5}(?:-[0-9]{4})?)(?![\w]|-[0-9])"
)
_ZIP_AREA = compile_lowered(
    r"\b(?:in|near|around|from)\s+(?:the\s+)?(?P<zip>[0-9]{5})\s+(?:area|zip)\b"
)
_FIVE_DIGITS = re.compile(r"[0-9](?<![0-9].)[0-9]{4}(?![0-9])")
_ZIP_PLAIN = re.compile(r"(?<![\w.,/-])[0-9]{5}(?:-[0-9]{4})?(?![\w]|[.,-][0-9])")


def detect_address(source: Source) -> Iterator[Finding]:
    text = source.text
    if not source.has_digit:
        return
    matches = list(_ADDRESS.finditer(text))
    if "box" in source.lower:
        matches += _PO_BOX.finditer(source.lower)
    addresses = [
        Finding(PhiKind.ADDRESS.value, match.start(), match.end(), 0.9) for match in matches
    ]
    yield from addresses
    zip_confidence: dict[tuple[int, int], float] = {}
    for pattern, confidence, lower in (
        (_ZIP_AFTER_STATE, 0.9, False),
        (_ZIP_CUE, 0.9, True),
        (_ZIP_AREA, 0.75, True),
    ):
        for match in matches_in_zones(
            pattern, source, before=32, after=6, anchor=_FIVE_DIGITS, lower=lower
        ):
            zip_confidence[match.span("zip")] = confidence
    for address in addresses:
        # A ZIP code within the same address line: "12 Oak St, Unit 4, 90026".
        line = clause_after(text, address.end, 48)
        plain = _ZIP_PLAIN.search(line)
        if plain:
            span = (address.end + plain.start(), address.end + plain.end())
            zip_confidence.setdefault(span, 0.8)
    for (start, end), confidence in zip_confidence.items():
        yield Finding(PhiKind.ZIP.value, start, end, confidence)
