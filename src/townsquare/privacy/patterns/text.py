"""What every detector shares: the scanned text with its lowered copy, windows, checks.

Every regular expression in this package has bounded repetition and no nested unbounded
quantifiers, so matching stays linear in the length of the text (no catastrophic backtracking);
context is read from small windows around a match, never by scanning the whole text again. Digit
classes are written ``[0-9]`` so other scripts' digits do not count as numbers. Patterns start with
a character class or literal text wherever they can (a leading ``\\b`` or look-behind stops ``re``
from skipping quickly to candidates), and check word boundaries after a match instead.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

IGNORE = re.IGNORECASE
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def lowered(pattern: str) -> str:
    """The pattern for ASCII-lowered text: letters lowered, escapes and group names kept.

    Case-insensitive matching in ``re`` is several times slower than matching a lowered copy of
    the text; ``str.translate`` on ASCII letters keeps every offset where it was.
    """
    output: list[str] = []
    index = 0
    while index < len(pattern):
        character = pattern[index]
        if character == "\\":
            output.append(pattern[index : index + 2])
            index += 2
            continue
        if pattern.startswith("(?P", index):
            output.append("(?P")
            index += 3
            continue
        output.append(character.lower() if character.isascii() else character)
        index += 1
    return "".join(output)


def compile_lowered(pattern: str) -> re.Pattern[str]:
    """Compile a pattern meant to run on ``Source.lower`` (see ``lowered``)."""
    return re.compile(lowered(pattern))


DIGIT_RUN = re.compile(r"[0-9]+")


@dataclass
class Source:
    """The text being scanned, with what several detectors need computed once."""

    text: str
    lower: str = field(init=False)
    has_digit: bool = field(init=False)
    _digit_zones: dict[tuple[int, int, str], list[tuple[int, int]]] = field(
        init=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        # str.lower() keeps the length of ASCII text and is much faster than translate().
        self.lower = self.text.lower() if self.text.isascii() else self.text.translate(_ASCII_LOWER)
        self.has_digit = DIGIT_RUN.search(self.text) is not None

    def digit_zones(
        self, before: int, after: int, anchor: re.Pattern[str] = DIGIT_RUN
    ) -> list[tuple[int, int]]:
        """Merged windows around each match of ``anchor`` (by default, each run of digits).

        A pattern that always holds a digit can only match inside these windows, so searching
        them alone finds the same matches while reading a fraction of the text.
        """
        key = (before, after, anchor.pattern)
        if key not in self._digit_zones:
            zones: list[tuple[int, int]] = []
            for run in anchor.finditer(self.text):
                start, end = max(0, run.start() - before), min(len(self.text), run.end() + after)
                if zones and start <= zones[-1][1]:
                    zones[-1] = (zones[-1][0], end)
                else:
                    zones.append((start, end))
            self._digit_zones[key] = zones
        return self._digit_zones[key]


def matches_in_zones(
    pattern: re.Pattern[str],
    source: Source,
    *,
    before: int,
    after: int,
    anchor: re.Pattern[str] = DIGIT_RUN,
    lower: bool = False,
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` found only inside ``source.digit_zones(before, after, anchor)``."""
    subject = source.lower if lower else source.text
    reached = 0
    for zone_start, zone_end in source.digit_zones(before, after, anchor):
        for match in pattern.finditer(subject, max(zone_start, reached), zone_end):
            reached = match.end()
            yield match


def starts_word(text: str, index: int) -> bool:
    """No letter or digit just before ``index``: a pattern without a leading ``\\b`` (which
    would stop ``re`` from skipping quickly to the pattern's first character) checks this after."""
    return index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "_")


def window_before(text: str, start: int, size: int) -> str:
    return text[max(0, start - size) : start]


def window_after(text: str, end: int, size: int) -> str:
    return text[end : end + size]


_SENTENCE_BREAK = re.compile(r"[.!?](?:\s|$)|\n|;")


def clause_before(text: str, start: int, size: int) -> str:
    """The text just before ``start``, cut at the last sentence break inside the window."""
    window = window_before(text, start, size)
    last = None
    for last in _SENTENCE_BREAK.finditer(window):  # noqa: B007 - want the last one
        pass
    return window[last.end() :] if last else window


def clause_after(text: str, end: int, size: int) -> str:
    window = window_after(text, end, size)
    first = _SENTENCE_BREAK.search(window)
    return window[: first.start()] if first else window


def digits_of(value: str) -> str:
    return "".join(character for character in value if "0" <= character <= "9")


def luhn_valid(number: str) -> bool:
    total = 0
    for index, character in enumerate(reversed(number)):
        digit = ord(character) - 48
        if index % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0
