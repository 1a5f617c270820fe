"""Detectors for dates tied to a person and ages over 89."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding, PhiKind
from .text import (
    IGNORE,
    Source,
    clause_before,
    compile_lowered,
    digits_of,
    starts_word,
    window_after,
    window_before,
)

# --- dates tied to a person --------------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?"
_ORDINAL_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# Each pattern starts with a character class or literal text, so ``re`` skips quickly to the places
# a date can start; word boundaries and value ranges are checked after a match.
_DATE_NUMERIC = re.compile(
    r"[0-9](?<![\w/.-].)[0-9]{0,3}(?P<sep>[/.-])[0-9]{1,2}(?:(?P=sep)[0-9]{2,4})?"
    r"(?![\w/]|[.-][0-9])"
)
_DATE_MONTH_FIRST = re.compile(
    rf"{_MONTH}(?:\s{{1,2}}{_DAY}\b(?P<month_day_year>,?\s{{1,2}}{_YEAR}\b)?|,?\s{{1,2}}{_YEAR}\b)"
)
_DATE_DAY_FIRST = re.compile(
    rf"[0-9](?<![\w/.-].)[0-9]?(?:st|nd|rd|th)?\s{{1,2}}(?:of\s+)?{_MONTH}(?:\b|(?<=\.))"
    rf"(?P<day_month_year>,?\s{{1,2}}{_YEAR}\b)?"
)
_DATE_WEEKDAY_THE = re.compile(rf"{_WEEKDAY}\s+the\s+{_ORDINAL_DAY}\b")
_THE_BEFORE = re.compile(r"the\s+$", re.IGNORECASE)


def _numeric_date(value: str) -> tuple[bool, bool]:
    """(is a date, is a full date) for "3/14/1952", "2023-11-04", "3/4" and the like."""
    separator = "/" if "/" in value else ("-" if "-" in value else ".")
    parts = value.split(separator)
    if not all(part.isdigit() for part in parts):
        return False, False
    if len(parts) == 3 and len(parts[0]) == 4:  # ISO: year first, always with two-digit parts
        year, month, day = parts
        if year[:2] not in {"19", "20"} or len(month) != 2 or len(day) != 2:
            return False, False
    elif len(parts) in (2, 3) and len(parts[0]) <= 2:
        month, day = parts[0], parts[1]
        if len(parts) == 3 and len(parts[2]) == 3:
            return False, False
        if len(parts) == 2 and separator != "/":
            return False, False  # "3-4" and "2.5" are ranges and decimals
    else:
        return False, False
    is_date = 1 <= int(month) <= 12 and 1 <= int(day) <= 31
    return is_date, is_date and len(parts) == 3


def _date_candidates(text: str) -> Iterator[tuple[int, int, bool, bool]]:
    """(start, end, is full, is numeric) for every date-shaped text."""
    for match in _DATE_NUMERIC.finditer(text):
        is_date, is_full = _numeric_date(match.group())
        if is_date:
            yield match.start(), match.end(), is_full, True
    for match in _DATE_MONTH_FIRST.finditer(text):
        if starts_word(text, match.start()):
            is_full = bool(match.group("month_day_year"))
            yield match.start(), match.end(), is_full, False
    for match in _DATE_DAY_FIRST.finditer(text):
        day = int(digits_of(match.group()[:2]))
        if 1 <= day <= 31:
            the = _THE_BEFORE.search(text, max(0, match.start() - 6), match.start())
            start = the.start() if the else match.start()
            yield start, match.end(), bool(match.group("day_month_year")), False
    for match in _DATE_WEEKDAY_THE.finditer(text):
        if starts_word(text, match.start()):
            yield match.start(), match.end(), False, False


_DOSE_AFTER = re.compile(
    r"^\s?(?:mg|mcg|µg|g|gm|ml|mL|cc|units?|iu|tabs?|tablets?|caps?|capsules?|pills?|doses?|"
    r"puffs?|drops?|times|x\b|%|of\b|shifts?|strength)",
    IGNORE,
)
_DOSE_BEFORE = re.compile(
    r"\b(?:BP|blood\s+pressure|take|took|taking|dose|dosage|ratio|score|split|sig)\b\W{0,3}$",
    IGNORE,
)
_PERSON_DATE_CUE = re.compile(
    r"\b(?:DOB|D\.O\.B|date\s+of\s+(?:birth|death|admission|discharge|service|surgery|"
    r"diagnosis|procedure)|birth\s?date|birthday|b-?day|born|admit(?:ted)?|admission|"
    r"re-?admitted|discharged?|DOD|died|death|passed(?:\s+away)?|lost\s+(?:my|our|his|her)|"
    r"surgery|surgeries|operation|operated|procedure|transplant|diagnosed|diagnosis|"
    r"delivered|delivery|gave\s+birth|due\s+date|funeral|buried|memorial|DOS|readmission|"
    r"\w{2,}(?:ectomy|otomy|ostomy|plasty|scopy)|(?:in|to|into|from|out\s+of)\s+(?:the\s+)?(?:ED|ER|[CMNPST]?ICU|CCU)|intubated|extubated|coded|"
    r"went\s+into\s+labor|(?:went|came|got)\s+(?:in)?to\s+(?:the\s+)?hospital|hospitali[sz]ed|"
    r"sent\s+home|came\s+home|released)\b",
    IGNORE,
)
_PERSON_EVENT_CUE = re.compile(
    r"\b(?:my|his|her|their|[A-Z][a-z]+'s)\s+(?:[\w-]+\s+){0,2}(?:appointment|appt|follow-?up|"
    r"visit|scan|MRI|CT|biopsy|chemo|infusion|treatment|meeting|consult|check-?up|induction|"
    r"c-section|anniversary)\b"
)


def _looks_like_a_dose(text: str, start: int, end: int) -> bool:
    """ "12/5 mg", "take 1/2 tablet", "BP 128/82": numbers with a slash that are not dates."""
    return bool(_DOSE_AFTER.match(text, end) or _DOSE_BEFORE.search(window_before(text, start, 20)))


def detect_date(source: Source) -> Iterator[Finding]:
    text = source.text
    if not source.has_digit:
        return
    for start, end, is_full, is_numeric in _date_candidates(text):
        if is_numeric and not is_full and _looks_like_a_dose(text, start, end):
            continue
        before = clause_before(text, start, 60 if is_full else 45)
        if _PERSON_DATE_CUE.search(before):
            yield Finding(PhiKind.DATE.value, start, end, 0.95 if is_full else 0.85)
            continue
        if _PERSON_EVENT_CUE.search(clause_before(text, start, 70)):
            yield Finding(PhiKind.DATE.value, start, end, 0.75)
            continue
        if is_full and _PERSON_DATE_CUE.search(window_after(text, end, 40)):
            # "Lost him on February 2, 2024. He passed away at home": a full date next to a cue.
            yield Finding(PhiKind.DATE.value, start, end, 0.8)


# --- ages over 89 ------------------------------------------------------------------------------

_AGE_NUMBER = r"(?:9[0-9]|1[01][0-9]|120)"
_AGE_WORDS = (
    r"(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|"
    r"(?:one|a)\s+hundred(?:(?:\s+and)?\s+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
_AGE = rf"(?P<age>{_AGE_NUMBER}|{_AGE_WORDS})"
_NOT_AN_AGE_AFTER = (
    r"(?!\s*(?:%|percent|mg|mcg|ml|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|pounds?|lbs?|"
    r"kg|beats|bpm|degrees|°|mmhg|patients|people|beds|cases|discharges|admissions|steps|units)\b)"
)
# Context before an age-like number (searched in a short window that ends at the number) and
# after it (matched where the number ends), with the confidence each gives.
_AGE_BEFORE: tuple[tuple[re.Pattern[str], float], ...] = (
    (compile_lowered(r"\b(?:age|aged|ages)\s?:?\s?$"), 0.9),
    (
        compile_lowered(r"\b(?:turned|turning|turns|lived\s+to(?:\s+be)?|will\s+be|reached)\s+$"),
        0.85,
    ),
    (
        compile_lowered(
            r"\b(?:he|she|they|mom|mum|dad|grandma|grandpa|grandmother|grandfather|nana|granny|"
            r"mother|father|husband|wife|aunt|uncle|patient)(?:\s*\([^()\n]{1,30}\))?"
            r"(?:'s|’s|\s+is|\s+was|\s+is\s+now|(?:'ll|’ll|\s+will)\s+be|\s+would\s+have\s+been)"
            r"\s+(?:almost\s+|nearly\s+|now\s+|actually\s+|only\s+)?$"
        ),
        0.8,
    ),
)
_AGE_BEFORE_CASED = re.compile(r"[A-Z][a-z]+(?:\s+was|\s+is)\s+$")  # "Mr. Grant was 95"
_AGE_AFTER = compile_lowered(
    r"\s?-?\s?(?:years?|yrs?|yr)[- ]?old\b|\s?(?:y/o|y\.o\.|yo\b)|\s?-\s?(?:year|yr)\b|"
    r"\s+years?\s+of\s+age\b"
)
_AGE_ORDINAL_AFTER = compile_lowered(r"(?:st|nd|rd|th)\s+birthday\b")
_AGE_SEX_AFTER = re.compile(r"(?:M|F)\b|\s?(?:yo|y/o)\s?(?:M|F|male|female)\b")  # "91M", "92 yo F"
_TEMPERATURE_BEFORE = compile_lowered(r"(?:temp|temperature|fever|febrile|t\s?max)\b[^.\n]{0,12}$")
_AGE_LISTED_BEFORE = re.compile(r"[A-Za-z)],\s$")  # "Pearl Jenkins, 101, was admitted"
_AGE_LISTED_AFTER = compile_lowered(
    r",\s(?:was|is|who|has|had|lives|presented|came|arrived|with)\b"
)
_AGE_AT_BEFORE = compile_lowered(r"\bat\s+$")  # "At ninety-four she still ..."
_AGE_AT_AFTER = compile_lowered(r",?\s+(?:she|he|they|my|his|her|mom|mum|dad|grandma|grandpa)\b")
_NOT_AN_AGE = compile_lowered(_NOT_AN_AGE_AFTER + r"(?!\s*(?:-|/)\s*[0-9])")
_AGE_WORD = compile_lowered(_AGE_WORDS)
_AGE_DECADE = compile_lowered(
    r"\bin\s+(?:his|her|their)\s+(?:late\s+|early\s+|mid-?\s?)?(?P<age>(?:90|100)'?s|nineties)\b"
)


_AGE_LIKE = re.compile(r"[19](?<![0-9].)(?:(?<=9)[0-9]|(?<=1)(?:[01][0-9]|20))(?![0-9])")


def _age_confidence(source: Source, start: int, end: int) -> float:
    lower = source.lower
    if _AGE_AFTER.match(lower, end) or _AGE_ORDINAL_AFTER.match(lower, end):
        return 0.9 if _AGE_AFTER.match(lower, end) else 0.85
    if _AGE_SEX_AFTER.match(source.text, end) and not _TEMPERATURE_BEFORE.search(
        lower, max(0, start - 24), start
    ):
        return 0.8
    if _AGE_LISTED_BEFORE.search(source.text, max(0, start - 3), start) and _AGE_LISTED_AFTER.match(
        lower, end
    ):
        return 0.85
    if _AGE_AT_BEFORE.search(lower, max(0, start - 4), start) and _AGE_AT_AFTER.match(lower, end):
        return 0.75
    if not _NOT_AN_AGE.match(lower, end):
        return 0.0
    window_start = max(0, start - 64)
    for pattern, confidence in _AGE_BEFORE:
        if pattern.search(lower, window_start, start):
            return confidence
    if _AGE_BEFORE_CASED.search(source.text, max(0, start - 24), start):
        return 0.7
    return 0.0


def detect_age(source: Source) -> Iterator[Finding]:
    candidates = [match.span() for match in _AGE_LIKE.finditer(source.text)]
    if "ninety" in source.lower or "hundred" in source.lower:
        candidates += [match.span() for match in _AGE_WORD.finditer(source.lower)]
    for start, end in candidates:
        if not starts_word(source.text, start):
            continue
        confidence = _age_confidence(source, start, end)
        if confidence:
            yield Finding(PhiKind.AGE.value, start, end, confidence)
    if "90" in source.text or "100" in source.text or "ninet" in source.lower:
        for match in _AGE_DECADE.finditer(source.lower):
            yield Finding(PhiKind.AGE.value, match.start("age"), match.end("age"), 0.7)
