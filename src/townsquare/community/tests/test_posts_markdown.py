"""community.markdown.render_post: Markdown, @mentions and #hashtags as links, always sanitized;
and the links agree with what the publishing service reads as mentions and hashtags."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ..markdown import render_post
from ..text import hashtags_in, mentioned_handles

MENTION_LINK = re.compile(r'<a href="/community/people/([^/"]+)/"')
TAG_LINK = re.compile(r'<a href="/community/tags/([^/"]+)/"')


def test_mentions_and_hashtags_become_links():
    html = render_post("Thanks @Nora.B for the #Handover_2 tips!")
    assert html == (
        '<p>Thanks <a href="/community/people/nora.b/" title="@Nora.B" '
        'rel="noopener noreferrer nofollow ugc">@Nora.B</a> for the '
        '<a href="/community/tags/handover_2/" title="Posts tagged #handover_2" '
        'rel="noopener noreferrer nofollow ugc">#Handover_2</a> tips!</p>\n'
    )


def test_only_known_handles_are_linked_when_the_page_knows_them():
    html = render_post("@nora and @ghost", known_handles={"nora"})
    assert MENTION_LINK.findall(html) == ["nora"]
    assert "@ghost" in html


def test_no_links_inside_code_links_addresses_or_entities():
    html = render_post(
        "`@nora #tag` [@nora](https://example.org) nora@example.org x#tag &#35;tag /#tag\n\n"
        "    @indented #code"
    )
    assert MENTION_LINK.findall(html) == []
    assert TAG_LINK.findall(html) == []


def test_a_hashtag_needs_a_letter_first_and_a_heading_is_not_a_tag():
    html = render_post("# Title\n\n#1 and #a and #ok")
    assert html.startswith("<h1>Title</h1>")
    assert TAG_LINK.findall(html) == ["ok"]


def test_script_and_unsafe_links_are_rendered_harmless():
    html = render_post(
        '<script>alert(1)</script>\n\n[x](javascript:alert(1)) <a href="#" onclick="x()">a</a>\n\n'
        "![pic](javascript:alert(1)) [ok](https://example.org)"
    )
    assert "<script" not in html
    # markdown-it refuses the javascript: links, so they stay as plain text
    assert not re.search(r'(href|src)="javascript:', html)
    assert "[x](javascript:alert(1))" in html
    assert "![pic](javascript:alert(1))" in html
    assert "onclick" not in html.replace('&lt;a href="#" onclick="x()"&gt;', "")
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow ugc">ok</a>' in html


def test_emphasised_mentions_and_tags_are_links():
    html = render_post("*@nora* and _#tag_ and **#Bold** but not word**@nora**")
    assert MENTION_LINK.findall(html) == ["nora"]
    assert TAG_LINK.findall(html) == ["tag", "bold"]
    assert "<em>" in html
    assert "<strong>" in html


def test_empty_text_is_empty():
    assert render_post("") == ""
    assert render_post(None) == ""


PIECES = st.sampled_from(
    [
        "@nora",
        "@Bob.Smith",
        "@x",
        "#tag",
        "#Health_2",
        "#1x",
        "word",
        "a@b",
        "x#y",
        "@",
        "#",
        ".",
        ",",
        "-",
        " ",
        " ",
        "\n",
        "\n\n",
        "é",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=25).map("".join))
@example("    @nora")  # an indented code block: shown as code, so nobody is mentioned
@example("```\n@nora #tag\n```")
@example("`@nora` and `#tag`")
def test_linked_mentions_and_tags_are_what_the_service_reads(text):
    """What is linked is what ``text.mentioned_handles`` / ``hashtags_in`` read, so the people
    linked are the people notified. Emphasis markers right against a mention are left out of the
    pieces: while a paragraph is parsed nobody knows yet whether ``*`` is markup or text, so an
    unmatched one (``word*@nora``) is the one place the two may differ."""
    html = render_post(text)
    assert set(MENTION_LINK.findall(html)) == set(mentioned_handles(text))
    assert set(TAG_LINK.findall(html)) == set(hashtags_in(text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_renders_without_script_or_event_handlers(text):
    html = render_post(text)
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]+\son\w+\s*=", html, re.IGNORECASE)
    assert not re.search(r'href="\s*javascript:', html, re.IGNORECASE)
