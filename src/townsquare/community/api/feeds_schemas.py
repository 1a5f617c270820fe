"""Schemas of the community feeds and search API, and ``PostOut``: the post card other areas'
endpoints may return too (load posts with ``selectors.feeds.feed_queryset``).

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from townsquare.core.models import MAX_OBJECT_ID

from ..display import AuthorLabel, content_author_label
from ..models import ContentStatus, PostKind, SpaceKind
from ..selectors.feeds import MAX_PAGE_SIZE, PAGE_SIZE
from ..selectors.search import MAX_QUERY_LENGTH, MAX_SEARCH_LIMIT, SEARCH_PAGE_SIZE
from ..templatetags.feeds_tags import post_excerpt

CURSOR_MAX_LENGTH = 200


class FeedQueryIn(Schema):
    cursor: str = Field(
        "",
        max_length=CURSOR_MAX_LENGTH,
        description="The `next_cursor` of the previous page; empty for the newest posts.",
    )
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Posts per page.")


class SearchQueryIn(Schema):
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="The words to search for.")
    kind: Literal["post", "comment"] = Field("post", description="Search posts or comments.")
    space_id: int | None = Field(
        None, ge=1, le=MAX_OBJECT_ID, description="Only in this space (one you can read)."
    )
    limit: int = Field(SEARCH_PAGE_SIZE, ge=1, le=MAX_SEARCH_LIMIT)
    offset: int = Field(0, ge=0, le=10_000)


class SpaceRefOut(Schema):
    id: int
    slug: str
    name: str
    kind: SpaceKind


class AuthorOut(Schema):
    """How the author is named to this caller: a pseudonym hides the person (only the person,
    the space's moderators and center staff get ``real_name`` and ``handle`` then)."""

    name: str
    handle: str
    pseudonymous: bool
    real_name: str
    verified_clinician: bool
    clinician_title: str

    @staticmethod
    def from_label(label: AuthorLabel) -> "AuthorOut":
        return AuthorOut(
            name=label.name,
            handle=label.handle,
            pseudonymous=label.pseudonymous,
            real_name=label.real_name,
            verified_clinician=label.verified_clinician,
            clinician_title=label.clinician_title,
        )


def _viewer(context: Any) -> Any:
    request = (context or {}).get("request")
    return getattr(request, "user", None)


class PostOut(Schema):
    """A post as a feed shows it (the text in full as Markdown, and a plain excerpt)."""

    id: int
    url: str
    space: SpaceRefOut
    kind: PostKind
    status: ContentStatus
    title: str
    excerpt: str
    body: str = Field(description="Markdown")
    author: AuthorOut
    published_at: datetime | None
    edited_at: datetime | None
    comment_count: int
    reaction_count: int
    is_answered: bool = Field(description="A question with an accepted answer.")

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return reverse("community:post_detail", args=[obj.pk])

    @staticmethod
    def resolve_excerpt(obj: Any) -> str:
        return post_excerpt(obj)

    @staticmethod
    def resolve_author(obj: Any, context: Any) -> AuthorOut:
        return AuthorOut.from_label(content_author_label(obj, _viewer(context)))

    @staticmethod
    def resolve_is_answered(obj: Any) -> bool:
        return obj.kind == PostKind.QUESTION and obj.accepted_comment_id is not None


JSON_CONTENT_TYPE = "application/json; charset=utf-8"


def _author(label: AuthorLabel) -> dict[str, Any]:
    return {
        "name": label.name,
        "handle": label.handle,
        "pseudonymous": label.pseudonymous,
        "real_name": label.real_name,
        "verified_clinician": label.verified_clinician,
        "clinician_title": label.clinician_title,
    }


def post_cards(viewer: Any, posts: Iterable[Any]) -> list[dict[str, Any]]:
    """``PostOut`` of each post as plain data, the same values the schema gives (load the posts
    with ``selectors.feeds.feed_queryset``; ``feed_cards_prime`` them for pseudonymous ones)."""
    url_of = post_url_pattern()
    cards = []
    for post in posts:
        space = post.space
        cards.append(
            {
                "id": post.pk,
                "url": url_of(post.pk),
                "space": {
                    "id": space.pk,
                    "slug": space.slug,
                    "name": space.name,
                    "kind": space.kind,
                },
                "kind": post.kind,
                "status": post.status,
                "title": post.title,
                "excerpt": post_excerpt(post),
                "body": post.body,
                "author": _author(content_author_label(post, viewer)),
                "published_at": post.published_at,
                "edited_at": post.edited_at,
                "comment_count": post.comment_count,
                "reaction_count": post.reaction_count,
                "is_answered": PostOut.resolve_is_answered(post),
            }
        )
    return cards


def post_url_pattern() -> Any:
    """A function of a post's id giving ``community:post_detail``'s URL, reversed once."""
    marker = 2_147_483_647
    before, _, after = reverse("community:post_detail", args=[marker]).partition(str(marker))
    return lambda pk: f"{before}{pk}{after}"


class FeedOut(Schema):
    items: list[PostOut]
    next_cursor: str = Field(description="Pass as `cursor` for the next page; empty at the end.")


class SearchHitOut(Schema):
    kind: Literal["post", "comment"]
    id: int = Field(description="The post's or comment's id.")
    post_id: int
    url: str
    title: str
    title_html: str = Field(description="The title, escaped, with matches in <mark>.")
    snippet_html: str = Field(description="A passage, escaped, with matches in <mark>.")
    space: SpaceRefOut
    author: AuthorOut
    created_at: datetime


class SearchOut(Schema):
    items: list[SearchHitOut]
    count: int
