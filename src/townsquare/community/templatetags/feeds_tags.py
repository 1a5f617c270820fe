"""Template filters of feed cards: a post's heading and a plain-text excerpt of its Markdown."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.utils.text import Truncator

from townsquare.core.search import MAX_CANDIDATES, markdown_text

register = template.Library()

EXCERPT_CHARACTERS = 280
HEADING_CHARACTERS = 80


def _plain(post: Any) -> str:
    return _plain_text(getattr(post, "body", "") or "")


@lru_cache(maxsize=2048)
def _plain_text(body: str) -> str:
    # Parsing the Markdown is most of what a feed card costs, and the same posts are on many
    # readers' pages: remember the last few thousand (keyed by the text itself, so an edit is a
    # new key and nothing can go stale).
    return " ".join(markdown_text(body).split())


@register.filter
def post_excerpt(post: Any, length: int = EXCERPT_CHARACTERS) -> str:
    """The start of the post's text without Markdown (escaped by the template as usual)."""
    return Truncator(_plain(post)).chars(int(length))


@register.filter
def post_heading(post: Any) -> str:
    """The post's title, or the start of its text for an untitled discussion."""
    title = getattr(post, "title", "") or ""
    return title or Truncator(_plain(post)).words(12, truncate="…")[:HEADING_CHARACTERS] or "Post"


@register.filter
def result_count(count: int) -> str:
    """A search's count as people read it: search counts no further than ``MAX_CANDIDATES``, so
    that many reads "1,000+"."""
    return f"{MAX_CANDIDATES:,}+" if count >= MAX_CANDIDATES else f"{count:,}"
