"""Names of people, found only where the words around them say "this is a patient or a relative".

A capitalized word is a name only after a cue ("patient", "pt", "Mr./Mrs./Ms.", "my husband",
"Name:", a room or bed number) or before one ("<Name>, 67, was admitted", "<Name>, DOB ...",
"<Name> in room 4"). A famous name or a colleague's name with no such cue is not a finding. The
given-name and surname lists (``data/*.txt``, written for this project) only raise confidence, and
decide the weaker cues such as a capitalized "Patient Safety Week" heading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from .findings import Finding, PhiKind
from .patterns import Source, compile_lowered, starts_word

_DATA = Path(__file__).resolve().parent / "data"


def fold(word: str) -> str:
    """Lower case without accents: "Zoë" and "Zoe" are the same name."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _word_list(*file_names: str) -> frozenset[str]:
    words: set[str] = set()
    for file_name in file_names:
        for line in (_DATA / file_name).read_text(encoding="utf-8").splitlines():
            if not line.startswith("#"):
                words.update(fold(word) for word in line.split())
    return frozenset(words)


STOPWORDS = _word_list("stopwords.txt")
_PARTICLES = frozenset(
    {
        "de",
        "del",
        "della",
        "la",
        "le",
        "van",
        "von",
        "der",
        "da",
        "di",
        "du",
        "bin",
        "al",
        "ibn",
        "st",
        "mac",
    }
)

_TOKEN = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")


@cache
def known_names() -> frozenset[str]:
    return _word_list("given_names.txt", "surnames.txt")


def _is_name_token(token: str) -> bool:
    core = token.rstrip(".")
    if not core or not core[0].isupper() or fold(core) in STOPWORDS:
        return False
    if len(core) == 1:
        return token.endswith(".")  # a middle initial, "J."
    return any(character.islower() for character in core[1:])


def read_name(
    text: str, position: int, *, max_tokens: int = 3
) -> tuple[int, int, list[str]] | None:
    """The name that starts at ``position`` (after spaces): its span and its words, or None."""
    while position < len(text) and text[position] in " \t":
        position += 1
    tokens: list[str] = []
    start = end = position
    cursor = position
    while len(tokens) < max_tokens:
        match = _TOKEN.match(text, cursor)
        if not match:
            break
        token = match.group()
        possessive = re.search(r"['’]s\.?$", token)
        if possessive:
            token = token[: possessive.start()]
        if tokens and fold(token) in _PARTICLES and not possessive:
            following = _TOKEN.match(text, match.end() + 1)
            if (
                text[match.end() : match.end() + 1] == " "
                and following
                and _is_name_token(following.group())
            ):
                cursor = match.end() + 1
                continue
            break
        if not _is_name_token(token):
            break
        if token.endswith(".") and len(token) > 2:
            token = token[:-1]  # a sentence's full stop, not an initial
        tokens.append(token)
        end = match.start() + len(token)
        if possessive or text[end : end + 1] != " ":
            break
        cursor = end + 1
    if not tokens:
        return None
    return start, end, tokens


def _is_known(tokens: list[str]) -> bool:
    names = known_names()
    return any(fold(token.rstrip(".")) in names for token in tokens)


# Cues before a name. None starts with ``\\b``: a pattern that starts with literal text lets ``re``
# skip straight to candidates, and ``starts_word`` checks the boundary after a match.
_TITLE = re.compile(r"(?:Mr|Mrs|Ms|Miss|Mx|Mister)\b\.?[ \t]+(?=[^\W\d_])")
_PATIENT = re.compile(
    r"(?P<word>patient|Patient|PATIENT|pt|Pt|client|Client|resident|Resident)\b\.?(?:'s|’s)?"
    r"(?P<link>[ \t]*(?:name[ \t]*(?:is|:)|named|called|:|,))?[ \t]+"
    r"(?:(?:Mr|Mrs|Ms|Miss)\.?[ \t]+)?"
)
_FORM_LABEL = compile_lowered(r"name[ \t]*:[ \t]*")
_RELATIVE = compile_lowered(
    r"(?:my|our|his|her|their|mi|nuestro|nuestra)[ \t]+(?:(?:late|beloved|dear|sweet|little|"
    r"baby|big|older|younger|oldest|youngest|eldest|twin|step|amazing|wonderful|precious)[ \t]+)"
    r"{0,2}"
    r"(?:husband|wife|spouse|partner|fianc[ée]e?|boyfriend|girlfriend|son|daughter|child|kid|"
    r"baby|boy|girl|mother|mom|mum|mama|mommy|father|dad|papa|daddy|brother|sister|grandmother|"
    r"grandma|granny|nana|grandfather|grandpa|granddad|grandson|granddaughter|grandchild|aunt|"
    r"auntie|uncle|nephew|niece|cousin|stepson|stepdaughter|stepmom|stepdad|twins?|"
    r"(?:mother|father|sister|brother|son|daughter)-in-law|little[ \t]+(?:guy|girl|one|man)|"
    r"baby[ \t]+(?:girl|boy)|"
    r"hij[oa]|espos[oa]|mam[aá]|pap[aá]|madre|padre|abuel[oa]|herman[oa])\b"
    r"(?:(?:'s|’s)[ \t]+(?:first[ \t]+|full[ \t]+)?name[ \t]+(?:is|was)\b)?[,:]?[ \t]+"
)
# A relative's title before the name: "Aunt Bea", "Grandma Rose", "Mom (Dorothy)".
_KIN_TITLE = re.compile(
    r"(?:Nana|Nanna|Grandma|Grandpa|Granny|Gramps|Grandmother|Grandfather|Aunt|Auntie|Uncle|"
    r"Cousin|Abuela|Abuelo|Tia|Tio|Tía|Tío|Mom|Mum|Dad|Mama|Papa)\b(?:[ \t]*\(|[ \t]+)(?=[^\W\d_])"
)
_ROOM = compile_lowered(r"(?:room|rm|bed|bay)[ \t]*#?[ \t]*[0-9]{1,4}[a-z]?\b[ \t]*[:,\-–—]?[ \t]*")
_MEMORY = compile_lowered(r"(?:in\s+(?:loving\s+)?memory\s+of|rip|rest\s+in\s+peace,?)[ \t]+")
_CONTACT = compile_lowered(r"(?:contact|call|text|email|ask\s+for|reach)[ \t]+")
_AFTER_CONTACT = re.compile(r"[ \t]+at[ \t]+(?:\(?[0-9+]|[\w.+-]+@)")
# Cues after a name: "<Name>, 67, was admitted", "<Name> (age 91)", "<Name>, DOB", "<Name> in room".
_BACKWARD = (
    re.compile(
        r",[ \t]*[0-9]{1,3},[ \t]*(?:was|is|who|has|had|presented|came|arrived|lives|with)\b"
    ),
    re.compile(r"\((?:age|aged)[ \t]*[0-9]{1,3}\)"),
    re.compile(r"[,:;–—-][ \t]*(?:DOB|D\.O\.B|MRN|age[ \t]*[0-9])"),
)
_IN_ROOM = compile_lowered(r"in[ \t]+(?:room|bed|rm)[ \t]*#?[0-9]")
_NAME_BEFORE = re.compile(r"(?<![\w'’.-])(?:[^\W\d_][\w'’.-]*[ \t]+){0,2}[^\W\d_][\w'’-]*$")


def _forward(
    text: str, position: int, confidence: float, *, need_known: bool = False
) -> Finding | None:
    found = read_name(text, position)
    if found is None:
        return None
    start, end, tokens = found
    known = _is_known(tokens)
    if need_known and not known:
        return None
    return Finding(
        PhiKind.NAME.value, start, end, confidence if known else round(confidence - 0.1, 2)
    )


def _backward(text: str, position: int, *, need_known: bool) -> Finding | None:
    window_start = max(0, position - 60)
    match = _NAME_BEFORE.search(text, window_start, position)
    if match is None:
        return None
    words = list(re.finditer(r"\S+", match.group()))
    # Keep the longest run of name words that ends at the cue.
    kept: list[re.Match[str]] = []
    for word in reversed(words):
        if not _is_name_token(word.group()):
            break
        kept.insert(0, word)
    if not kept:
        return None
    tokens = [word.group() for word in kept]
    if need_known and not _is_known(tokens):
        return None
    start = match.start() + kept[0].start()
    return Finding(PhiKind.NAME.value, start, position, 0.85 if _is_known(tokens) else 0.75)


def detect_name(source: Source) -> Iterator[Finding]:
    text, lower = source.text, source.lower
    for match in _TITLE.finditer(text):
        if starts_word(text, match.start()):
            finding = _forward(text, match.end(), 0.85)
            if finding:
                yield Finding(finding.kind, finding.start, finding.end, 0.85)
    for match in _PATIENT.finditer(text):
        if not starts_word(text, match.start()):
            continue
        word = match.group("word")
        # "Patient Safety Week" and "PT Monday": a capitalized heading needs a known name.
        is_heading = word[0].isupper() and not match.group("link")
        finding = _forward(text, match.end(), 0.85, need_known=is_heading)
        if finding:
            yield finding
    for match in _FORM_LABEL.finditer(lower):
        finding = _forward(text, match.end(), 0.9)
        if finding:
            yield Finding(finding.kind, finding.start, finding.end, 0.9)
    cues = (
        (_RELATIVE, lower, 0.85, False),
        (_KIN_TITLE, text, 0.75, True),
        (_ROOM, lower, 0.75, False),
        (_MEMORY, lower, 0.8, False),
    )
    for pattern, subject, confidence, need_known in cues:
        for match in pattern.finditer(subject):
            if starts_word(text, match.start()):
                finding = _forward(text, match.end(), confidence, need_known=need_known)
                if finding:
                    yield finding
    for match in _CONTACT.finditer(lower):
        if starts_word(text, match.start()):
            finding = _forward(text, match.end(), 0.6, need_known=True)
            if finding and _AFTER_CONTACT.match(text, finding.end):
                yield Finding(finding.kind, finding.start, finding.end, 0.6)
    for pattern in _BACKWARD:
        for match in pattern.finditer(text):
            finding = _backward(text, _before_spaces(text, match.start()), need_known=False)
            if finding:
                yield finding
    for match in _IN_ROOM.finditer(lower):
        position = _before_spaces(text, match.start())
        if position < match.start() and starts_word(text, match.start()):
            finding = _backward(text, position, need_known=True)
            if finding:
                yield finding


def _before_spaces(text: str, position: int) -> int:
    while position > 0 and text[position - 1] in " \t":
        position -= 1
    return position
