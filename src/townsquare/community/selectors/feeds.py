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
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import F, Func, IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL

from townsquare.core.errors import ValidationFailed

from ..models import ContentStatus, Follow, Hashtag, Post, Space
from ..permissions import is_global_moderator
from .visibility import readable_space_ids, spaces_read_by

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


def _readable_spaces_with_posts(viewer: Any) -> dict[int, int]:
    """The spaces the viewer may read (``readable_space_ids``) with their post counts, in one
    query; the ids are remembered for the request as ``readable_space_ids`` remembers them."""
    if "_community_readable_space_ids" in viewer.__dict__:
        readable = readable_space_ids(viewer)
        if not readable:
            return {}
        return dict(Space.objects.filter(pk__in=readable).values_list("pk", "post_count"))
    if not getattr(viewer, "is_authenticated", False):
        return {}
    counts = dict(spaces_read_by(viewer).values_list("pk", "post_count"))
    viewer.__dict__["_community_readable_space_ids"] = list(counts)
    return counts


def _followed(viewer: Any) -> tuple[list[int], list[int]]:
    """The spaces and the people the viewer follows (one query)."""
    spaces: list[int] = []
    people: list[int] = []
    for space_id, person_id in (
        Follow.objects.filter(follower=viewer)
        .order_by()
        .values_list("space_id", "followed_user_id")
    ):
        if space_id is not None:
            spaces.append(space_id)
        elif person_id is not None:
            people.append(person_id)
    return spaces, people


def _unindexed(field: str) -> Any:
    """The column as an expression SQLite's planner cannot answer with an index.

    SQLite answers ``space_id IN (…) OR author_id IN (…)`` with a MULTI-INDEX OR: it reads every
    post of every followed source and sorts them (180,000 rows for a typical reader of the large
    demo). Written as ``+space_id`` (SQLite's documented way to disqualify a term from an index),
    the query walks ``community_post_feed`` newest first and stops after one page, as PostgreSQL
    does on its own.
    """
    return Func(F(field), template="+%(expressions)s", output_field=IntegerField())


@dataclass(frozen=True)
class FeedSources:
    """What a reader's home feed is made of, read once: the spaces they may read, the followed
    ones among them, the followed people, and which plan gives the page (``home_feed``)."""

    readable: tuple[int, ...]
    spaces: tuple[int, ...]
    authors: tuple[int, ...]
    walk: bool


def home_feed_sources(viewer: Any, *, limit: int = PAGE_SIZE) -> FeedSources | None:
    """The reader's sources (two queries), or None when they may read no space at all."""
    readable_posts = _readable_spaces_with_posts(viewer)
    if not readable_posts:
        return None
    followed_spaces, people = _followed(viewer)
    # Following is no permission: a followed space counts only while the viewer may read it.
    spaces = [space_id for space_id in followed_spaces if space_id in readable_posts]
    authors = [person_id for person_id in people if person_id != viewer.pk]
    return FeedSources(
        readable=tuple(readable_posts),
        spaces=tuple(spaces),
        authors=tuple(authors),
        walk=_walk_is_cheap(readable_posts, spaces, _limited(limit)),
    )


def _limited(limit: int) -> int:
    return max(1, min(int(limit), MAX_PAGE_SIZE))


def home_feed(
    viewer: Any,
    *,
    cursor: str = "",
    limit: int = PAGE_SIZE,
    sources: FeedSources | None = None,
) -> FeedPage:
    """Posts from followed spaces and people, and the viewer's own, that the viewer may read.

    A followed person's posts written under a pseudonym are left out: following someone by name
    must not reveal who writes behind a pseudonym.

    Two plans give the same page. Usually one walk down the newest published posts
    (``community_post_feed``) keeps those of the followed sources: it stops after a page, however
    many posts there are. When the followed spaces hold only a sliver of the community's posts (a
    reader of a few quiet spaces), that walk would pass most of the table before it found a page,
    so the page is merged instead from each source's own newest posts
    (``community_post_space_feed`` and ``community_post_author_feed``), one short index read per
    source.
    """
    if sources is None:
        sources = home_feed_sources(viewer, limit=limit)
    if sources is None:
        return FeedPage([], "")
    limit = _limited(limit)
    items = list(_home_posts(viewer, sources, cursor_decode(cursor), limit)[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return FeedPage(items, cursor_encode(items[-1]) if more and items else "")


# What a feed card shows that can change after a post is published: its edits (``edited_at``,
# ``updated_at``), its counters and its accepted answer. Whether it is still published, and what
# comes before it, the ids say.
HEAD_FIELDS = (
    "pk",
    "updated_at",
    "edited_at",
    "comment_count",
    "reaction_count",
    "accepted_comment",
)


def home_feed_head(viewer: Any, sources: FeedSources, *, limit: int = PAGE_SIZE) -> tuple[Any, ...]:
    """The first page's posts as ``HEAD_FIELDS`` rows (one query, no models): equal for two
    reads exactly when the page's cards, for the same sources and authors, are equal. What
    ``feed_cache`` checks a kept page against."""
    limit = _limited(limit)
    if sources.walk and connection.vendor == "postgresql":
        # The walk's filter as ``_walked`` writes it, with each list as one array parameter: the
        # ORM's IN lists (about 350 ids for a typical reader) cost more to build and send than
        # the query takes to run. ``test_feed_cache`` holds the two to the same rows.
        with connection.cursor() as cursor:
            cursor.execute(
                _WALK_HEAD_SQL,
                [
                    _array_literal(sources.readable),
                    viewer.pk,
                    _array_literal(sources.spaces),
                    _array_literal(sources.authors),
                    limit + 1,
                ],
            )
            return tuple(cursor.fetchall())
    rows = _home_posts(viewer, sources, None, limit).values_list(*HEAD_FIELDS)[: limit + 1]
    return tuple(rows)


def _home_posts(
    viewer: Any, sources: FeedSources, after: tuple[datetime, int] | None, limit: int
) -> QuerySet[Post]:
    """The home feed's posts after the cursor, newest first, by the plan the sources chose."""
    readable, spaces, authors = list(sources.readable), list(sources.spaces), list(sources.authors)
    if sources.walk:
        posts = _walked(viewer, readable, spaces, authors)
        if after is not None:
            moment, pk = after
            posts = posts.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))
        return posts
    ids = _merged_ids(viewer.pk, readable, spaces, authors, after=after, count=limit + 1)
    return feed_queryset().filter(pk__in=ids)


# A walk down the newest posts is expected to read (page size) / (share of posts in the followed
# spaces) rows; past this many, merging the sources' own newest posts is cheaper.
WALK_ROWS_LIMIT = 2_000


def _walk_is_cheap(readable_posts: dict[int, int], spaces: list[int], limit: int) -> bool:
    total = sum(readable_posts.values())
    followed = sum(readable_posts[space_id] for space_id in spaces)
    if total == 0:
        return True
    return followed * WALK_ROWS_LIMIT >= (limit + 1) * total


def _walked(
    viewer: Any, readable: list[int], spaces: list[int], authors: list[int]
) -> QuerySet[Post]:
    posts = feed_queryset()
    space_column: Any = "space_id"
    author_column: Any = "author_id"
    if connection.vendor == "sqlite":
        posts = posts.alias(feed_space=_unindexed("space_id"), feed_author=_unindexed("author_id"))
        space_column, author_column = "feed_space", "feed_author"
    sources = Q(**{author_column: viewer.pk})
    if spaces:
        sources |= Q(**{f"{space_column}__in": spaces})
    if authors:
        sources |= Q(**{f"{author_column}__in": authors}, as_pseudonym=False)
    return posts.filter(sources, **{f"{space_column}__in": readable})


def _merged_ids(
    viewer_id: int,
    readable: list[int],
    spaces: list[int],
    authors: list[int],
    *,
    after: tuple[datetime, int] | None,
    count: int,
) -> RawSQL | list[int]:
    """The ids of the newest ``count`` posts of the followed sources (and the viewer's own) in
    readable spaces, after the cursor: the newest ``count`` of each source, merged. A subquery
    where one statement can say it (the page is then one query), else the ids."""
    if connection.vendor == "postgresql":
        return _merged_ids_postgresql(viewer_id, readable, spaces, authors, after, count)
    return _merged_ids_sqlite(viewer_id, readable, spaces, authors, after, count)


_PUBLISHED = "p.status = 'published'"


def _array_literal(ids: tuple[int, ...]) -> str:
    """``{1,2,3}``: PostgreSQL's text form of an array of ids, which the driver sends as one string
    (it quotes a list of 300 ints one by one, 0.2 ms). Ids are ints, so nothing needs escaping."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


# The walk's head (``home_feed_head``): what ``_walked`` selects, as plain SQL. Each list is passed
# through a sub-select, so the planner does not look up statistics for each of its 300 or so ids
# (0.54 ms of planning for a 0.08 ms walk; 0.16 + 0.19 ms so, the same index walk).
_WALK_HEAD_SQL = (
    "SELECT p.id, p.updated_at, p.edited_at, "  # noqa: S608 - constants and placeholders only
    "p.comment_count, p.reaction_count, p.accepted_comment_id FROM community_post p "
    f"WHERE {_PUBLISHED} AND p.space_id = ANY((SELECT %s::bigint[])::bigint[]) "
    "AND (p.author_id = %s OR p.space_id = ANY((SELECT %s::bigint[])::bigint[]) "
    "OR (p.author_id = ANY((SELECT %s::bigint[])::bigint[]) AND NOT p.as_pseudonym)) "
    "ORDER BY p.published_at DESC, p.id DESC LIMIT %s"
)


def _merged_ids_postgresql(
    viewer_id: int,
    readable: list[int],
    spaces: list[int],
    authors: list[int],
    after: tuple[datetime, int] | None,
    count: int,
) -> RawSQL | list[int]:
    before = " AND (p.published_at, p.id) < (%s, %s)" if after else ""
    before_params: list[Any] = list(after) if after else []
    # One LATERAL read per source, each down its own feed index; UNION drops a post that came
    # both through its space and through its author.
    sql = (
        "SELECT u.id FROM ("  # noqa: S608 - constants and placeholders only
        "SELECT x.id, x.published_at FROM unnest(%s::bigint[]) AS s(space_id) "
        "CROSS JOIN LATERAL (SELECT p.id, p.published_at FROM community_post p "
        f"WHERE {_PUBLISHED} AND p.space_id = s.space_id{before} "
        "ORDER BY p.published_at DESC, p.id DESC LIMIT %s) x "
        "UNION "
        "SELECT x.id, x.published_at FROM unnest(%s::bigint[]) AS a(author_id) "
        "CROSS JOIN LATERAL (SELECT p.id, p.published_at FROM community_post p "
        f"WHERE {_PUBLISHED} AND p.author_id = a.author_id{before} "
        "AND (p.author_id = %s OR NOT p.as_pseudonym) AND p.space_id = ANY(%s::bigint[]) "
        "ORDER BY p.published_at DESC, p.id DESC LIMIT %s) x"
        ") u ORDER BY u.published_at DESC, u.id DESC LIMIT %s"
    )
    params = [
        spaces,
        *before_params,
        count,
        [viewer_id, *authors],
        *before_params,
        viewer_id,
        readable,
        count,
        count,
    ]
    return RawSQL(sql, params)  # noqa: S611 - constants and placeholders only


def _merged_ids_sqlite(
    viewer_id: int,
    readable: list[int],
    spaces: list[int],
    authors: list[int],
    after: tuple[datetime, int] | None,
    count: int,
) -> RawSQL | list[int]:
    before = ""
    before_params: list[Any] = []
    if after:
        moment = connection.ops.adapt_datetimefield_value(after[0])
        before = " AND (p.published_at < %s OR (p.published_at = %s AND p.id < %s))"
        before_params = [moment, moment, after[1]]
    readable_json = json.dumps(readable)
    # SQLite allows no LIMIT in the members of a compound SELECT, but in a subquery of each.
    members: list[tuple[str, list[Any]]] = [
        (
            "SELECT * FROM (SELECT p.id, p.published_at FROM community_post p "  # noqa: S608 - constants and placeholders only
            f"WHERE {_PUBLISHED} AND p.space_id = %s{before} "
            "ORDER BY p.published_at DESC, p.id DESC LIMIT %s)",
            [space_id, *before_params, count],
        )
        for space_id in spaces
    ]
    members += [
        (
            "SELECT * FROM (SELECT p.id, p.published_at FROM community_post p "  # noqa: S608 - constants and placeholders only
            f"WHERE {_PUBLISHED} AND p.author_id = %s{before} "
            "AND (p.author_id = %s OR NOT p.as_pseudonym) "
            "AND p.space_id IN (SELECT value FROM json_each(%s)) "
            "ORDER BY p.published_at DESC, p.id DESC LIMIT %s)",
            [author_id, *before_params, viewer_id, readable_json, count],
        )
        for author_id in [viewer_id, *authors]
    ]
    if len(members) <= COMPOUND_LIMIT:
        params = [param for _, values in members for param in values]
        return RawSQL(_compound(members), [*params, count])  # noqa: S611 - placeholders only
    # SQLite joins at most 500 SELECTs in one compound statement: merge in rounds.
    rows: list[tuple[int, Any]] = []
    for start in range(0, len(members), COMPOUND_LIMIT):
        chunk = members[start : start + COMPOUND_LIMIT]
        params = [param for _, values in chunk for param in values]
        with connection.cursor() as cursor:
            cursor.execute(_compound(chunk, with_time=True), [*params, count])
            rows += cursor.fetchall()
    rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
    return list(dict.fromkeys(pk for pk, _ in rows))[:count]


COMPOUND_LIMIT = 400


def _compound(members: list[tuple[str, list[Any]]], *, with_time: bool = False) -> str:
    """The members' rows as one compound SELECT, newest first, cut at the last parameter."""
    columns = "id, published_at" if with_time else "id"
    return (
        f"SELECT {columns} FROM ("  # noqa: S608 - constants and placeholders only
        + " UNION ".join(member for member, _ in members)
        + ") ORDER BY published_at DESC, id DESC LIMIT %s"
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
