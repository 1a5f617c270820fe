"""Template filters of feed cards: a post's heading and a plain-text excerpt of its Markdown."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.text import Truncator

from townsquare.core.search import markdown_text

register = template.Library()

EXCERPT_CHARACTERS = 280
HEADING_CHARACTERS = 80


def _plain(post: Any) -> str:
    return " ".join(markdown_text(getattr(post, "body", "") or "").split())


@register.filter
def post_excerpt(post: Any, length: int = EXCERPT_CHARACTERS) -> str:
    """The start of the post's text without Markdown (escaped by the template as usual)."""
    return Truncator(_plain(post)).chars(int(length))


@register.filter
def post_heading(post: Any) -> str:
    """The post's title, or the start of its text for an untitled discussion."""
    title = getattr(post, "title", "") or ""
    return title or Truncator(_plain(post)).words(12, truncate="…")[:HEADING_CHARACTERS] or "Post"
