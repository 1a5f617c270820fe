from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from townsquare.core.markdown import ALLOWED_TAGS, render_markdown


class _Elements(HTMLParser):
    """The real elements and attributes in rendered HTML (escaped text does not count)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def assert_inert(html: str) -> None:
    found = elements(html)
    assert found.tags <= ALLOWED_TAGS
    for name, value in found.attributes:
        assert not name.startswith("on")
        assert name != "style"
        if name in {"href", "src"}:
            assert value.split(":", 1)[0].lower() in {"http", "https", "mailto"} or ":" not in value


def test_renders_common_markdown():
    html = render_markdown("# Title\n\n**bold** and [link](https://example.org)\n\n- a\n- b")
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow ugc"' in html
    assert "<li>a</li>" in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "![x](javascript:alert(1))",
        "<iframe src=https://evil.example></iframe>",
        '<div style="background:url(javascript:alert(1))">x</div>',
    ],
)
def test_scripts_and_unsafe_links_never_survive(attack):
    html = render_markdown(attack)
    assert_inert(html)
    assert "script" not in elements(html).tags


@given(st.text(max_size=500))
def test_any_text_renders_without_active_content(text):
    assert_inert(render_markdown(text))


def test_empty_text_renders_empty():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
