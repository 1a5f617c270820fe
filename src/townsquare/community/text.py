"""Mentions and hashtags in post and comment text (read from the Markdown's plain text)."""

from __future__ import annotations

import re

from townsquare.core.search import markdown_text

HANDLE_PATTERN = r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,28}[A-Za-z0-9])?"
HANDLE_RE = re.compile(rf"^{HANDLE_PATTERN}$")
# An @ that does not follow a word character (so e-mail addresses are not mentions).
MENTION_RE = re.compile(rf"(?<![\w@])@({HANDLE_PATTERN})")
# A # that does not follow a word character or '&' (HTML entities), starting with a letter.
HASHTAG_RE = re.compile(r"(?<![\w&#/])#([A-Za-z][A-Za-z0-9_]{1,63})\b")
MAX_MENTIONS = 20
MAX_HASHTAGS = 20


def mentioned_handles(markdown: str) -> list[str]:
    """Distinct handles mentioned in the text, lower case, in order of first mention."""
    seen: dict[str, None] = {}
    for match in MENTION_RE.finditer(markdown_text(markdown, code=False)):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)


def hashtags_in(markdown: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in HASHTAG_RE.finditer(markdown_text(markdown, code=False)):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)
