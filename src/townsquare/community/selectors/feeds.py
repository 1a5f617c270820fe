"""The feeds: home (followed people and spaces), a space, a hashtag, a person's posts.

Built when read ("fan-out on read"): one indexed query walks published posts newest first and keeps
those from followed sources the viewer may read; nothing is copied per follower when a post is
written. ``docs/community.md`` gives the measurements behind that choice. Pages are cut by a cursor
(the last post's publication time and id), so a page costs the same however deep it is and new
posts never shift the next page.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import Q, QuerySet

from townsquare.core.errors import ValidationFailed

from ..models import ContentStatus, Follow, Hashtag, Post
from ..permissions import is_global_moderator
from .visibility import readable_space_ids

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


@dataclass(frozen=True)
class FeedPage:
    items: list[Post]
    next_cursor: str  # empty on the last page


def cursor_encode(post: Post) -> str:
    moment = post.published_at or post.created_at
    raw = f"{moment.isoformat()}|{post.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[datetime, int] | None:
    """The (published_at, id) a cursor points after; a bad cursor is a clear 422, never a 500."""
    if not cursor:
        return None
    try:
        if len(cursor) > 200:
            raise ValueError
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, _, pk = raw.partition("|")
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            raise ValueError
        moment = moment.astimezone(UTC)
        number = int(pk)
        if not 0 < number < 2**63:
            raise ValueError
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as error:
        raise ValidationFailed(
            "The page cursor is not valid; start again from the first page.",
            field_errors={"cursor": ["Not a cursor this feed gave out."]},
        ) from error
    return moment, number


def feed_queryset() -> QuerySet[Post]:
    """Published posts with what a feed card shows, in feed order."""
    return (
        Post.objects.filter(status=ContentStatus.PUBLISHED)
        .select_related("space", "author__community_profile", "poll")
        .order_by("-published_at", "-pk")
    )


def page_of(posts: QuerySet[Post], *, cursor: str = "", limit: int = PAGE_SIZE) -> FeedPage:
    limit = max(1, min(int(limit), MAX_PAGE_SIZE))
    after = cursor_decode(cursor)
    if after is not None:
        moment, pk = after
        posts = posts.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
    items = list(posts[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return FeedPage(items, cursor_encode(items[-1]) if more and items else "")


def home_feed(viewer: Any, *, cursor: str = "", limit: int = PAGE_SIZE) -> FeedPage:
    """Posts from followed spaces and people, and the viewer's own, that the viewer may read.

    A followed person's posts written under a pseudonym are left out: following someone by name
    must not reveal who writes behind a pseudonym.
    """
    readable = readable_space_ids(viewer)
    if not readable:
        return FeedPage([], "")
    follows = list(
        Follow.objects.filter(follower=viewer).values_list("space_id", "followed_user_id")
    )
    spaces = [space_id for space_id, _ in follows if space_id is not None]
    people = [person_id for _, person_id in follows if person_id is not None]
    sources = Q(author_id=viewer.pk)
    if spaces:
        sources |= Q(space_id__in=spaces)
    if people:
        sources |= Q(author_id__in=people, as_pseudonym=False)
    return page_of(
        feed_queryset().filter(sources, space_id__in=readable), cursor=cursor, limit=limit
    )


def space_feed(viewer: Any, space: Any, *, cursor: str = "", limit: int = PAGE_SIZE) -> FeedPage:
    """A space's published posts (the caller has checked ``can_read_space``)."""
    return page_of(feed_queryset().filter(space=space), cursor=cursor, limit=limit)


def hashtag_feed(
    viewer: Any, hashtag: Hashtag, *, cursor: str = "", limit: int = PAGE_SIZE
) -> FeedPage:
    readable = readable_space_ids(viewer)
    posts = feed_queryset().filter(space_id__in=readable, post_hashtags__hashtag=hashtag)
    return page_of(posts, cursor=cursor, limit=limit)


def person_posts(viewer: Any, person: Any, *, cursor: str = "", limit: int = PAGE_SIZE) -> FeedPage:
    """A person's posts as the viewer may see them: readable spaces only, and pseudonymous posts
    only for those who may know who writes behind the pseudonym (the person, center staff and
    platform moderators)."""
    readable = readable_space_ids(viewer)
    posts = feed_queryset().filter(author=person, space_id__in=readable)
    if viewer.pk != person.pk and not is_global_moderator(viewer):
        posts = posts.filter(as_pseudonym=False)
    return page_of(posts, cursor=cursor, limit=limit)
