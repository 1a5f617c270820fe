"""Detectors for identifying numbers: Social Security numbers, numbers with a checkable shape
(cards, IBANs, Medicare numbers, VINs, MAC addresses, UDIs, DEA numbers), numbers after a cue."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding, PhiKind
from .text import (
    DIGIT_RUN,
    IGNORE,
    Source,
    clause_after,
    clause_before,
    compile_lowered,
    digits_of,
    luhn_valid,
    starts_word,
)

# --- Social Security numbers -------------------------------------------------------------------

_SSN_DASHED = re.compile(r"[0-8](?<![\w-].)[0-9]{2}-[0-9]{2}-[0-9]{4}(?![\w]|-[0-9])")
_SSN_SPACED = re.compile(r"[0-8](?<![\w-].)[0-9]{2}[ .][0-9]{2}[ .][0-9]{4}(?![\w]|[.-][0-9])")


def _ssn_valid(value: str) -> bool:
    """Never issued: area 000, 666 or 9xx, group 00, serial 0000."""
    digits = digits_of(value)
    return digits[:3] not in {"000", "666"} and digits[3:5] != "00" and digits[5:] != "0000"


SSN_CUE = re.compile(r"\b(?:SSN|SS#|SS\s?no|soc(?:ial)?\.?\s*sec(?:urity)?)", IGNORE)


def detect_ssn(source: Source) -> Iterator[Finding]:
    text = source.text
    if not source.has_digit:
        return
    for match in _SSN_DASHED.finditer(text):
        if not _ssn_valid(match.group()):
            continue
        yield Finding(PhiKind.SSN.value, match.start(), match.end(), 0.95)
    for match in _SSN_SPACED.finditer(text):
        if not _ssn_valid(match.group()):
            continue
        has_cue = SSN_CUE.search(clause_before(text, match.start(), 40))
        yield Finding(PhiKind.SSN.value, match.start(), match.end(), 0.9 if has_cue else 0.6)


# --- numbers with no cue but a checkable shape -------------------------------------------------

_CARD = re.compile(r"[0-9](?<![\w-].)(?:[ -]?[0-9]){12,18}(?![\w]|-[0-9])")
_CARD_PREFIX = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5))")
_IBAN = re.compile(
    r"[A-Z](?<![\w].)[A-Z][0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w])"
)
_MBI_LETTER = "AC-HJKMNP-RT-Y"
_MBI = re.compile(
    rf"[1-9](?<![\w-].)[{_MBI_LETTER}][{_MBI_LETTER}0-9][0-9]-?[{_MBI_LETTER}][{_MBI_LETTER}0-9]"
    rf"[0-9]-?[{_MBI_LETTER}]{{2}}[0-9]{{2}}(?![\w])"
)
_VIN = re.compile(r"[A-HJ-NPR-Z0-9](?<![\w-].)[A-HJ-NPR-Z0-9]{16}(?![\w])")
_VIN_VALUES = dict(
    zip(
        "ABCDEFGHJKLMNPRSTUVWXYZ",
        [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9],
        strict=True,
    )
)
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_MAC = re.compile(
    r"[0-9A-Fa-f](?<![\w:-].)[0-9A-Fa-f]([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])"
)
_UDI = re.compile(r"\(01\)[0-9]{14}(?:\([0-9]{2,4}\)[0-9A-Za-z-]{1,20}){0,6}")
_DEA = re.compile(r"[A-Z](?<![\w-].)[A-Z9][0-9]{7}(?![\w])")


def _iban_valid(value: str) -> bool:
    compact = value.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(character, 36)) for character in rearranged)
    return int(number) % 97 == 1


def vin_valid(value: str) -> bool:
    total = 0
    for character, weight in zip(value, _VIN_WEIGHTS, strict=True):
        total += (int(character) if character.isdigit() else _VIN_VALUES[character]) * weight
    check = total % 11
    return value[8] == ("X" if check == 10 else str(check))


def dea_valid(value: str) -> bool:
    digits = [int(character) for character in value[2:]]
    total = digits[0] + digits[2] + digits[4] + 2 * (digits[1] + digits[3] + digits[5])
    return total % 10 == digits[6]


def detect_shaped_numbers(source: Source) -> Iterator[Finding]:
    text = source.text
    if not source.has_digit:
        return
    for match in _CARD.finditer(text):
        number = digits_of(match.group())
        if 13 <= len(number) <= 19 and _CARD_PREFIX.match(number) and luhn_valid(number):
            yield Finding(PhiKind.ACCOUNT.value, match.start(), match.end(), 0.85)
    for match in _IBAN.finditer(text):
        if _iban_valid(match.group()):
            yield Finding(PhiKind.ACCOUNT.value, match.start(), match.end(), 0.9)
    for match in _MBI.finditer(text):
        yield Finding(PhiKind.HEALTH_PLAN.value, match.start(), match.end(), 0.85)
    for match in _VIN.finditer(text):
        value = match.group()
        digits = sum(character.isdigit() for character in value)
        if digits >= 3 and len(value) - digits >= 3 and vin_valid(value):
            yield Finding(PhiKind.VEHICLE.value, match.start(), match.end(), 0.85)
    for match in _MAC.finditer(text) if text.count(":") >= 5 or text.count("-") >= 5 else ():
        yield Finding(PhiKind.DEVICE.value, match.start(), match.end(), 0.85)
    if "(01)" in text:
        for match in _UDI.finditer(text):
            yield Finding(PhiKind.DEVICE.value, match.start(), match.end(), 0.9)
    for match in _DEA.finditer(text):
        if dea_valid(match.group()):
            yield Finding(PhiKind.LICENSE.value, match.start(), match.end(), 0.8)


# --- numbers named by the words before them ----------------------------------------------------

# One alternation; the named group that matched says which kind the following value is.
_ID_CUES = compile_lowered(
    r"(?P<mrn>\b(?:MRN|MR\s?#|MR\s+(?:number|no)|medical\s+record(?:\s+(?:number|no|#))?|"
    r"chart\s+(?:number|no|#)|patient\s+(?:ID|number|no|#)|pt\s+ID|hospital\s+(?:number|no|ID)|"
    r"record\s+(?:number|no|#)|unit\s+number))"
    r"|(?P<health_plan>\b(?:member\s+(?:ID|number|no|#)|subscriber\s+(?:ID|number|no|#)|"
    r"policy\s+(?:number|no|#|ID)|insurance\s+(?:ID|number|no|#)|plan\s+ID|"
    r"beneficiary\s+(?:ID|number|no)|Medicare(?:\s+card)?\s+(?:number|ID|no|#)|"
    r"Medicaid\s+(?:number|ID|no|#)|MBI|HICN|health\s+plan\s+(?:ID|number)))"
    r"|(?P<account>\b(?:(?:(?:bank|billing|checking|savings)\s+)?account(?:\s+(?:number|no|#))?|"
    r"acct\.?(?:\s*(?:number|no|#))?|card\s+number|credit\s+card(?:\s+number)?|IBAN))"
    r"|(?P<vehicle>\b(?:VIN|vehicle\s+identification\s+number|licen[cs]e\s+plate|"
    r"plate(?:\s+(?:number|no|#))?|tag\s+number|placard(?:\s+(?:number|no|#))?))"
    r"|(?P<license>\b(?:(?:driver'?s\s+|nursing\s+|medical\s+|RN\s+|professional\s+)?"
    r"licen[cs]e(?!\s+plate)(?:\s+(?:number|no|#))?|C?DL\s?#|C?DL\s+(?:number|no)|"
    r"(?:birth\s+|death\s+|marriage\s+)?certificate(?:\s+(?:number|no|#))?|cert\.?\s*#|NPI|"
    r"DEA(?:\s+(?:number|no|#))?|passport(?:\s+(?:number|no|#))?|permit\s+(?:number|no|#)))"
    r"|(?P<device>\b(?:serial(?:\s+(?:number|no|#))?|S/N|SN(?=\s*[:#])|"
    r"device\s+(?:ID|identifier|serial)|UDI|IMEI|MAC\s+address|implant\s+(?:ID|serial)|"
    r"transmitter\s+ID))"
    r"|(?P<other_id>\b(?:claim\s+(?:number|no|#|ID)|case\s+(?:number|no|#)|"
    r"encounter\s+(?:number|no|#|ID)|visit\s+(?:number|ID)|accession\s+(?:number|no|#)|"
    r"specimen\s+(?:number|no|ID)|employee\s+(?:ID|number|no|#)|badge\s+(?:number|no|#)|"
    r"student\s+ID|Rx(?:\s+number)?(?=\s*#?\s*[0-9])|prescription\s+(?:number|no|#)))"
    r"|(?P<ssn>\b(?:SSN|SS#|social\s+security(?:\s+(?:number|no|#))?))"
)
# The first words of every cue above: found quickly, then the cue is matched exactly there.
_ID_TRIGGER = compile_lowered(
    r"mrn|mr|medical|chart|patient|pt|hospital|record|unit|member|subscriber|policy|insurance|"
    r"plan|beneficiary|medicare|medicaid|mbi|hicn|health|account|bank|billing|checking|savings|"
    r"acct|card|credit|iban|vin|vehicle|licen[cs]e|plate|tag|placard|driver|nursing|"
    r"professional|rn|cdl|dl|birth|death|marriage|certificate|cert|npi|dea|passport|permit|"
    r"serial|s/n|sn|device|udi|imei|mac|implant|transmitter|claim|case|encounter|visit|"
    r"accession|specimen|employee|badge|student|rx|prescription|ssn|ss#|social"
)
# A cue ends where a word ends ("DEA" is not the start of "deadline"); "no." may keep its stop.
_CUE_END = re.compile(r"(?<=#)|(?<=\.)|\b(?:\.(?=\s))?")
_ID_VALUE = re.compile(
    r"(?<![\w-])#?(?P<value>[A-Z0-9](?:[A-Z0-9.-]{0,28}[A-Z0-9])?(?: [A-Z0-9]{1,6}){0,7})"
    r"(?![\w-])"
)
_CUE_CONFIDENCE = {
    PhiKind.MRN.value: 0.95,
    PhiKind.HEALTH_PLAN.value: 0.9,
    PhiKind.ACCOUNT.value: 0.9,
    PhiKind.VEHICLE.value: 0.9,
    PhiKind.LICENSE.value: 0.9,
    PhiKind.DEVICE.value: 0.9,
    PhiKind.OTHER_ID.value: 0.85,
    PhiKind.SSN.value: 0.95,
}


def _trim_value(value: str) -> str:
    """Drop trailing word groups that hold no digit ("MRN 123456 ICU" -> "123456")."""
    groups = value.split(" ")
    while len(groups) > 1 and not digits_of(groups[-1]):
        groups.pop()
    return " ".join(groups).rstrip("./")


def detect_cued_numbers(source: Source) -> Iterator[Finding]:
    text = source.text
    if not source.has_digit:
        return
    cue_reached = 0
    for trigger in _ID_TRIGGER.finditer(source.lower):
        if trigger.start() < cue_reached or not starts_word(text, trigger.start()):
            continue
        if not DIGIT_RUN.search(text, trigger.end(), trigger.end() + 64):
            continue  # every value holds digits
        cue = _ID_CUES.match(source.lower, trigger.start())
        if cue is None:
            continue
        cue_reached = cue.end()  # "Medicare card number": one cue, not also "card number"
        kind = cue.lastgroup or PhiKind.OTHER_ID.value
        cue_end = _CUE_END.match(text, cue.end())
        if cue_end is None:
            continue
        window_start = cue_end.end()
        window = clause_after(text, window_start, 48)
        for match in _ID_VALUE.finditer(window):
            value = _trim_value(match.group("value"))
            digit_count = len(digits_of(value))
            if kind == PhiKind.SSN.value:
                if digit_count != 9 or len(value) > 11:
                    continue
            elif digit_count < 2 or len(value.replace(" ", "")) < 4:
                continue
            start = window_start + match.start("value")
            yield Finding(kind, start, start + len(value), _CUE_CONFIDENCE[kind])
            break
