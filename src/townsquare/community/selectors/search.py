"""Finding things in the community: full-text search, hashtags, spaces to join, and what feed
cards need beside the feed selectors.

Every read here is narrowed to what the viewer may read before anything is counted or shown:
search passes ``within=`` the viewer's readable posts or comments to ``core.search`` (so a private
space's text never reaches anyone outside it, not even as a count), and hashtags are counted over
readable posts only (``Hashtag.post_count`` counts every space and is never shown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse

from townsquare.core.errors import ValidationFailed
from townsquare.core.search import Hit, search_count, search_hits

from ..documents import COMMENT_KIND, POST_KIND
from ..models import (
    Comment,
    ContentStatus,
    Hashtag,
    MembershipStatus,
    Post,
    PostHashtag,
    Space,
    SpaceMembership,
    SpaceVisibility,
)
from ..permissions import can_read_space, remember_membership
from .feeds import FeedPage, cursor_decode, hashtag_feed
from .visibility import posts_read_by, readable_space_ids, spaces_read_by, spaces_seen_by

# What a search may ask for: the word in the query string and the document kind behind it.
SEARCH_KINDS = {"post": POST_KIND, "comment": COMMENT_KIND}
SEARCH_PAGE_SIZE = 20
MAX_SEARCH_LIMIT = 50
MAX_QUERY_LENGTH = 200
HASHTAG_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{1,63}$")
HASHTAGS_SHOWN = 100
SUGGESTED_SPACES = 6


# --- Cursors and author labels ------------------------------------------------------------------


def cursor_checked(cursor: str) -> str:
    """The cursor if the feed selectors can use it; a clear 422 otherwise.

    ``selectors.feeds.cursor_decode`` accepts any time with a zone, but one whose UTC value falls
    outside the years 1-9999 (``0001-01-01T00:00:00+01:00``) overflows when the database adapts
    it; this refuses such a cursor before it gets there.
    """
    decoded = cursor_decode(cursor)
    if decoded is not None:
        try:
            decoded[0].astimezone(UTC)
        except OverflowError as error:
            raise ValidationFailed(
                "The page cursor is not valid; start again from the first page.",
                field_errors={"cursor": ["Not a cursor this feed gave out."]},
            ) from error
    return cursor


def memberships_prime(viewer: Any, spaces: Iterable[Space]) -> None:
    """Load the viewer's memberships of these spaces in one query and remember them for the
    request, so naming the authors of many posts (``display.author_label`` asks whether the
    viewer moderates each post's space) costs no query per space."""
    if not getattr(viewer, "is_authenticated", False):
        return
    known: dict[int, SpaceMembership | None] = viewer.__dict__.get("_community_memberships", {})
    by_id = {space.pk: space for space in spaces if space.pk not in known}
    if not by_id:
        return
    found = {
        membership.space_id: membership
        for membership in SpaceMembership.objects.filter(user=viewer, space_id__in=list(by_id))
    }
    for space_id, space in by_id.items():
        remember_membership(viewer, space, found.get(space_id))


def feed_cards_prime(viewer: Any, posts: Sequence[Post]) -> None:
    """What ``feeds/post_card.html`` needs beyond ``selectors.feeds.feed_queryset``: the viewer's
    memberships of the posts' spaces (one query, and only when a post is pseudonymous)."""
    spaces = [post.space for post in posts if post.as_pseudonym]
    memberships_prime(viewer, spaces)


# --- Hashtags -----------------------------------------------------------------------------------


def hashtag_name_cleaned(name: str) -> str:
    """A hashtag as typed in an address (``Diabetes``, ``#diabetes``) in its stored form, or ""
    when it cannot be a hashtag."""
    name = (name or "").strip().removeprefix("#")
    return name.lower() if HASHTAG_NAME_RE.match(name) else ""


def hashtag_page(viewer: Any, name: str, *, cursor: str = "", limit: int = 20) -> FeedPage:
    """The posts tagged ``#name`` that the viewer may read.

    A tag nobody used and a tag used only where the viewer cannot read look the same (an empty
    page), so the page never tells that a private space talks about something.
    """
    cursor_checked(cursor)
    hashtag = Hashtag.objects.filter(name=name).first()
    if hashtag is None:
        return FeedPage([], "")
    return hashtag_feed(viewer, hashtag, cursor=cursor, limit=limit)


@dataclass(frozen=True)
class HashtagUse:
    name: str
    uses: int  # posts the viewer may read


def hashtags_read_by(
    viewer: Any, *, prefix: str = "", limit: int = HASHTAGS_SHOWN
) -> list[HashtagUse]:
    """Hashtags of the posts the viewer may read, most used first (counted over those posts)."""
    uses = PostHashtag.objects.filter(post_id__in=posts_read_by(viewer).values("pk"))
    prefix = (prefix or "").strip().removeprefix("#").lower()
    if prefix:
        uses = uses.filter(hashtag__name__startswith=prefix)
    rows = (
        uses.values("hashtag__name")
        .annotate(uses=Count("pk"), latest=Max("post__published_at"))
        .order_by("-uses", "-latest", "hashtag__name")[:limit]
    )
    return [HashtagUse(row["hashtag__name"], row["uses"]) for row in rows]


# --- Spaces to join -----------------------------------------------------------------------------


def spaces_to_suggest(viewer: Any, *, limit: int = SUGGESTED_SPACES) -> list[Space]:
    """For an empty home feed: spaces the viewer may join and has not, invitations first, then the
    busiest open and private ones."""
    joined = SpaceMembership.objects.filter(
        user=viewer,
        status__in=[MembershipStatus.ACTIVE, MembershipStatus.BANNED, MembershipStatus.REQUESTED],
    ).values("space_id")
    invited = SpaceMembership.objects.filter(user=viewer, status=MembershipStatus.INVITED)
    spaces = (
        spaces_seen_by(viewer)
        .filter(archived_at__isnull=True)
        .exclude(pk__in=joined)
        .filter(~Q(visibility=SpaceVisibility.INVITE_ONLY) | Q(pk__in=invited.values("space_id")))
        .annotate(is_invited=Exists(invited.filter(space_id=OuterRef("pk"))))
        .order_by("-is_invited", "-member_count", "name", "pk")
    )
    return list(spaces[:limit])


# --- Search -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    """One search hit with what a result shows: the post (and the comment, for a comment hit)."""

    kind: str  # "post" or "comment"
    hit: Hit
    post: Post
    comment: Comment | None
    url: str

    @property
    def content(self) -> Post | Comment:
        """What was written (for naming its author)."""
        return self.comment if self.comment is not None else self.post


def search_space(viewer: Any, space_id: int | None) -> Space | None:
    """The space a search is narrowed to: only one the viewer may read (any other id, existing
    or not, is the same clear error)."""
    if space_id is None:
        return None
    space = Space.objects.filter(pk=space_id).first()
    if space is None or not can_read_space(viewer, space):
        raise ValidationFailed(
            "There is no space you can read with this id.",
            field_errors={"space": ["Choose a space you can read."]},
        )
    return space


def _within(viewer: Any, kind: str, space: Space | None) -> QuerySet[Any]:
    """``posts_read_by`` / ``comments_read_by`` with the readable spaces as a list of ids (read
    once per request): the engine then checks a candidate with one index look-up instead of
    building the set of every readable post first."""
    readable = [space.pk] if space is not None else readable_space_ids(viewer)
    if kind == "comment":
        return Comment.objects.filter(
            status=ContentStatus.PUBLISHED,
            post__status=ContentStatus.PUBLISHED,
            post__space_id__in=readable,
        )
    return Post.objects.filter(status=ContentStatus.PUBLISHED, space_id__in=readable)


def _kind_checked(kind: str) -> str:
    if kind not in SEARCH_KINDS:
        raise ValidationFailed(
            "Search posts or comments.", field_errors={"kind": ["Choose post or comment."]}
        )
    return kind


def community_search_count(
    viewer: Any, query: str, *, kind: str, space: Space | None = None
) -> int:
    """How many posts (or comments) the viewer may read match ``query``."""
    kind = _kind_checked(kind)
    return search_count(
        SEARCH_KINDS[kind], query[:MAX_QUERY_LENGTH], within=_within(viewer, kind, space)
    )


def community_search(
    viewer: Any,
    query: str,
    *,
    kind: str,
    space: Space | None = None,
    limit: int = SEARCH_PAGE_SIZE,
    offset: int = 0,
) -> list[SearchResult]:
    """One page of matching posts (or comments) the viewer may read, best match first, with
    highlighted titles and snippets. A fixed number of queries, however many results."""
    kind = _kind_checked(kind)
    limit = max(1, min(int(limit), MAX_SEARCH_LIMIT))
    hits = search_hits(
        SEARCH_KINDS[kind],
        query[:MAX_QUERY_LENGTH],
        limit=limit,
        offset=max(0, int(offset)),
        within=_within(viewer, kind, space),
    )
    if not hits:
        return []
    ids = [hit.object_id for hit in hits]
    results: list[SearchResult] = []
    if kind == "comment":
        comments = Comment.objects.select_related(
            "author__community_profile", "post__space", "post__author__community_profile"
        ).in_bulk(ids)
        for hit in hits:
            comment = comments.get(hit.object_id)
            if comment is not None:
                url = reverse("community:post_detail", args=[comment.post_id])
                results.append(
                    SearchResult(
                        "comment", hit, comment.post, comment, f"{url}#comment-{comment.pk}"
                    )
                )
    else:
        posts = Post.objects.select_related("space", "author__community_profile").in_bulk(ids)
        for hit in hits:
            post = posts.get(hit.object_id)
            if post is not None:
                url = reverse("community:post_detail", args=[post.pk])
                results.append(SearchResult("post", hit, post, None, url))
    memberships_prime(
        viewer, [result.post.space for result in results if result.content.as_pseudonym]
    )
    return results


class SearchResults:
    """The results of one search as a sequence Django's ``Paginator`` can page through: counted
    once, and each page fetched with ``community_search``."""

    def __init__(self, viewer: Any, query: str, *, kind: str, space: Space | None) -> None:
        self.viewer, self.query, self.kind, self.space = viewer, query, kind, space
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = community_search_count(
                self.viewer, self.query, kind=self.kind, space=self.space
            )
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[SearchResult]:
        if not isinstance(index, slice):
            raise TypeError("Search results are read a page at a time.")
        start = index.start or 0
        stop = index.stop if index.stop is not None else start + SEARCH_PAGE_SIZE
        return community_search(
            self.viewer,
            self.query,
            kind=self.kind,
            space=self.space,
            limit=stop - start,
            offset=start,
        )


def spaces_to_search(viewer: Any, *, chosen: Space | None = None) -> list[Space]:
    """The spaces offered in the search form's filter: those the viewer belongs to (and the one
    chosen, if it is another readable space)."""
    spaces = list(
        spaces_read_by(viewer)
        .filter(memberships__user=viewer, memberships__status=MembershipStatus.ACTIVE)
        .order_by("name", "pk")
    )
    if chosen is not None and chosen.pk not in {space.pk for space in spaces}:
        spaces.append(chosen)
    return spaces
