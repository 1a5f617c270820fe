"""Post and comment text: Markdown with @mentions and #hashtags as links, sanitized by nh3.

Two inline rules are added to markdown-it-py, so a mention or a hashtag is recognised exactly where
Markdown leaves plain text: never inside code, a link's text or a URL. They read the text the way
``community.text`` does (``mentioned_handles`` / ``hashtags_in``), so what is linked is what the
publishing service notifies and indexes. The HTML then passes ``core.markdown.sanitize_html``, like
every other user text: raw HTML is escaped by the renderer and nh3 removes anything unsafe.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from townsquare.core.markdown import sanitize_html

from .text import HANDLE_PATTERN

_HANDLE_AT = re.compile(rf"@({HANDLE_PATTERN})")
_HASHTAG_AT = re.compile(r"#([A-Za-z][A-Za-z0-9_]{1,63})\b")
_WORD_CHARACTER = re.compile(r"\w")
# The environment key carrying the handles that exist (None: link every well-formed mention).
_KNOWN = "community_known_handles"


def _is_delimiter_run(content: str) -> bool:
    # Emphasis and strikethrough markers are pushed as text while the paragraph is parsed and
    # become markup afterwards; they are not part of the text a mention follows.
    return bool(content) and not content.strip("*_~")


def _previous_character(state: StateInline) -> str:
    """The character before the current position as ``markdown_text`` sees it: the plain text
    written so far in this paragraph (markup such as ``**`` is not text)."""
    pending = state.pending
    if pending:
        return pending[-1]
    for token in reversed(state.tokens):
        if token.type in ("softbreak", "hardbreak"):
            return " "
        if token.type == "text" and _is_delimiter_run(token.content):
            continue
        if token.type in ("text", "code_inline") and token.content:
            return token.content[-1]
    return ""


def _preceded_by(state: StateInline, forbidden: str) -> bool:
    previous = _previous_character(state)
    return bool(previous) and (bool(_WORD_CHARACTER.match(previous)) or previous in forbidden)


def _push_link(state: StateInline, href: str, text: str, *, title: str) -> None:
    token = state.push("link_open", "a", 1)
    token.attrs = {"href": href, "title": title}
    token.markup = "community"
    token = state.push("text", "", 0)
    token.content = text
    state.push("link_close", "a", -1)


def _person_url(handle: str) -> str:
    try:
        return reverse("community:person_detail", args=[handle])
    except NoReverseMatch:  # the people pages are not installed: the mention stays text
        return ""


def _hashtag_url(name: str) -> str:
    try:
        return reverse("community:hashtag", args=[name])
    except NoReverseMatch:
        return ""


def _mention_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@" or state.linkLevel > 0 or _preceded_by(state, "@"):
        return False
    match = _HANDLE_AT.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    handle = match.group(1)
    known: Collection[str] | None = state.env.get(_KNOWN)
    if known is not None and handle.lower() not in known:
        return False
    url = _person_url(handle.lower())
    if not url:
        return False
    if not silent:
        _push_link(state, url, match.group(0), title=f"@{handle}")
    state.pos = match.end()
    return True


def _hashtag_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "#" or state.linkLevel > 0 or _preceded_by(state, "&#/"):
        return False
    match = _HASHTAG_AT.match(state.src, state.pos, state.posMax)
    if match is None:
        return False
    name = match.group(1)
    end = match.end()
    if name.endswith("_") and name.rstrip("_")[1:]:
        # ``_#tag_``: the underscores close the emphasis, they are not part of the tag.
        end -= len(name) - len(name.rstrip("_"))
        name = name.rstrip("_")
    name = name.lower()
    url = _hashtag_url(name)
    if not url:
        return False
    if not silent:
        _push_link(state, url, state.src[match.start() : end], title=f"Posts tagged #{name}")
    state.pos = end
    return True


def _renderer() -> MarkdownIt:
    # The configuration of core.markdown, plus the two rules.
    renderer = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )
    renderer.inline.ruler.after("text", "community_mention", _mention_rule)
    renderer.inline.ruler.after("community_mention", "community_hashtag", _hashtag_rule)
    return renderer


_markdown = _renderer()


def render_post(text: str | None, *, known_handles: Collection[str] | None = None) -> SafeString:
    """A post's or comment's Markdown as safe HTML, mentions and hashtags as links.

    ``known_handles`` (lower case) limits the mention links to people who exist; a page showing
    many texts looks them up once (``selectors.posts.handles_known``). Without it every
    well-formed mention is linked (the person's page answers 404 for an unknown handle).
    """
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    env: dict[str, Any] = {_KNOWN: None if known_handles is None else set(known_handles)}
    html = _markdown.render(text, env)
    return mark_safe(sanitize_html(html))  # noqa: S308 - sanitized by nh3
