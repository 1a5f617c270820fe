"""Two designs of the community's home feed, measured on the same data.

    python bench/community_feed_design.py [--database-url URL|postgres|sqlite] [--readers 20]
                                          [--reads 50] [--writes 200] [--keep]

- **Built when read** (fan-out on read, what ``selectors/feeds.py`` does): the first page of
  ``home_feed(reader)``, one indexed query over the published posts of the followed spaces and
  people that the reader may read. Writing a post writes the post and nothing else.
- **Delivered when written** (fan-out on write, the inbox design of Twitter's timelines or a
  Mastodon home feed): each new post is copied to every follower as a (follower, published_at,
  post) row of an inbox table; a read takes the reader's newest inbox rows and loads those posts.

The inbox is a scratch table made here, in the benchmark database only (never a model): it is
filled for ``--readers`` typical readers with every post their feed would hold (what deliveries
would have left there), read ``--reads`` times each, then ``--writes`` posts of the large demo are
delivered again into a second scratch table, one transaction each, to measure what a delivery
costs (rows and milliseconds). The post itself is the same in both designs; its cost is measured
with ``publishing.post_create`` in transactions rolled back. Both tables are dropped at the end
(``--keep`` keeps them to look at).

Both reads load the same cards (``feeds.feed_queryset``) and keep only spaces the reader may read
now (``readable_space_ids``), so the comparison is of the two ways to find the page, nothing else.
Results go to bench/results/<timestamp>-feed-design-<engine>.json; docs/benchmarks.md (Community)
reads them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
INBOX = "bench_feed_inbox"
DELIVERIES = "bench_feed_deliveries"
SEED = "townsquare-feed-design-1"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "count": len(values),
        "p50": round(percentile(values, 0.50), 2),
        "p95": round(percentile(values, 0.95), 2),
        "mean": round(statistics.fmean(values), 2) if values else float("nan"),
        "max": round(max(values), 2) if values else float("nan"),
    }


def log(message: str) -> None:
    print(f"[feed-design] {message}", flush=True)


# --- Django --------------------------------------------------------------------------------------


def setup_django(database_url: str, settings: str) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from run import django_environment

    os.environ.update(django_environment(database_url, settings))
    import django

    django.setup()


def execute(sql: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def drop_scratch() -> None:
    for table in (INBOX, DELIVERIES):
        execute(f"DROP TABLE IF EXISTS {table}")


def create_scratch() -> None:
    from django.db import connection

    stamp = "timestamp with time zone" if connection.vendor == "postgresql" else "datetime"
    for table in (INBOX, DELIVERIES):
        execute(
            f"CREATE TABLE {table} (follower_id bigint NOT NULL, published_at {stamp} NOT NULL, "
            f"post_id bigint NOT NULL, PRIMARY KEY (follower_id, published_at, post_id))"
        )


def table_bytes(table: str) -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        return int(cursor.fetchone()[0])


# --- The readers ---------------------------------------------------------------------------------


def readers(count: int) -> list[Any]:
    """People of the staff network spread over the range of follow counts (every k-th, by the
    number of people and spaces they follow), so the sample has light and heavy followers."""
    from django.db.models import Count

    from townsquare.accounts.models import User
    from townsquare.community.models import Follow

    followers = list(
        Follow.objects.filter(followed_user__isnull=False)
        .values("follower")
        .annotate(follows=Count("follower"))
        .order_by("follows", "follower")
        .values_list("follower", flat=True)
    )
    if len(followers) < count:
        raise SystemExit("Too few readers: load the large demo (`townsquare demo --scale large`).")
    step = len(followers) / count
    chosen = [followers[int(step * index + step / 2)] for index in range(count)]
    people = User.objects.in_bulk(chosen)
    return [people[pk] for pk in chosen]


def fresh(user: Any) -> Any:
    """The reader as a new request sees them: no permission caches from the previous read."""
    for key in [key for key in user.__dict__ if key.startswith("_community")]:
        del user.__dict__[key]
    return user


def feed_sources(reader: Any) -> Any:
    """Every post of the reader's home feed, unbounded: what deliveries would have put in their
    inbox (the same filter as ``home_feed``)."""
    from django.db.models import Q

    from townsquare.community.models import Follow
    from townsquare.community.selectors.feeds import feed_queryset
    from townsquare.community.selectors.visibility import readable_space_ids

    follows = list(
        Follow.objects.filter(follower=reader).values_list("space_id", "followed_user_id")
    )
    spaces = [space for space, _ in follows if space is not None]
    people = [person for _, person in follows if person is not None]
    sources = Q(author_id=reader.pk)
    if spaces:
        sources |= Q(space_id__in=spaces)
    if people:
        sources |= Q(author_id__in=people, as_pseudonym=False)
    return feed_queryset().filter(sources, space_id__in=readable_space_ids(reader))


def fill_inbox(people: list[Any]) -> dict[str, Any]:
    from django.db import transaction

    rows, started = 0, time.perf_counter()
    for reader in people:
        query, params = (
            feed_sources(fresh(reader))
            .order_by()
            .values_list("published_at", "pk")
            .query.sql_with_params()
        )
        with transaction.atomic():
            rows += execute(
                f"INSERT INTO {INBOX} (follower_id, published_at, post_id) "  # noqa: S608
                f"SELECT {int(reader.pk)}, sub.* FROM ({query}) sub",
                params,
            )
    execute(f"ANALYZE {INBOX}")
    size = table_bytes(INBOX)
    return {
        "rows": rows,
        "rows_per_reader": round(rows / len(people)),
        "seconds": round(time.perf_counter() - started, 1),
        "bytes": size,
        "bytes_per_row": round(size / rows, 1) if size and rows else None,
    }


# --- Reads ---------------------------------------------------------------------------------------


def read_built(reader: Any) -> list[Any]:
    from townsquare.community.selectors.feeds import home_feed

    return home_feed(fresh(reader)).items


def read_delivered(reader: Any) -> list[Any]:
    from django.db import connection

    from townsquare.community.selectors.feeds import PAGE_SIZE, feed_queryset
    from townsquare.community.selectors.visibility import readable_space_ids

    reader = fresh(reader)
    readable = set(readable_space_ids(reader))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT post_id FROM {INBOX} WHERE follower_id = %s "  # noqa: S608
            "ORDER BY published_at DESC, post_id DESC LIMIT %s",
            [reader.pk, PAGE_SIZE + 1],
        )
        ids = [row[0] for row in cursor.fetchall()]
    posts = [post for post in feed_queryset().filter(pk__in=ids) if post.space_id in readable]
    return posts[:PAGE_SIZE]


def measure_reads(people: list[Any], reads: int) -> dict[str, Any]:
    timings: dict[str, list[float]] = {"built_when_read": [], "delivered_when_written": []}
    functions = {"built_when_read": read_built, "delivered_when_written": read_delivered}
    agree = 0
    for reader in people:
        built, delivered = read_built(reader), read_delivered(reader)  # warm, and compare
        agree += [post.pk for post in built] == [post.pk for post in delivered]
        for _ in range(reads):
            for name, read in functions.items():  # interleaved: both see the same moment
                started = time.perf_counter()
                read(reader)
                timings[name].append((time.perf_counter() - started) * 1000)
    return {
        "same_first_page": f"{agree} of {len(people)} readers",
        **{name: summary(values) for name, values in timings.items()},
    }


# --- Writes --------------------------------------------------------------------------------------


def sample_posts(count: int) -> list[Any]:
    from townsquare.community.models import ContentStatus, Post

    newest = Post.objects.filter(status=ContentStatus.PUBLISHED).order_by("-pk").first()
    if newest is None:
        raise SystemExit("No posts: load the large demo.")
    rng = random.Random(SEED)  # noqa: S311 - a sample, not a secret
    ids = sorted(rng.sample(range(1, newest.pk + 1), min(count * 3, newest.pk)))
    posts = list(
        Post.objects.filter(pk__in=ids, status=ContentStatus.PUBLISHED).select_related("space")
    )
    rng.shuffle(posts)
    return posts[:count]


def deliver(post: Any) -> int:
    """Fan-out on write for one post: the author and every follower of its space or (unless it
    was written under a pseudonym) of its author, each one row, in one transaction."""
    from django.db import transaction

    by_author = "" if post.as_pseudonym else " OR followed_user_id = %s"
    params: list[Any] = [post.published_at, post.pk, post.space_id]
    if not post.as_pseudonym:
        params.append(post.author_id)
    with transaction.atomic():
        rows = execute(
            f"INSERT INTO {DELIVERIES} (follower_id, published_at, post_id) "  # noqa: S608
            "SELECT DISTINCT follower_id, %s, %s FROM community_follow "
            f"WHERE space_id = %s{by_author}",
            params,
        )
        rows += execute(
            f"INSERT INTO {DELIVERIES} (follower_id, published_at, post_id) "  # noqa: S608
            "SELECT %s, %s, %s WHERE NOT EXISTS (SELECT 1 FROM "
            f"{DELIVERIES} WHERE follower_id = %s AND post_id = %s)",
            [post.author_id, post.published_at, post.pk, post.author_id, post.pk],
        )
    return rows


def measure_writes(count: int) -> dict[str, Any]:
    """What each design adds to writing a post, and what writing the post itself costs."""
    from django.db import transaction

    from townsquare.community.services.publishing import post_create

    class RolledBack(Exception):
        pass

    posts = sample_posts(count)
    rows: list[float] = []
    delivery_ms: list[float] = []
    for post in posts:
        started = time.perf_counter()
        rows.append(deliver(post))
        delivery_ms.append((time.perf_counter() - started) * 1000)
    create_ms: list[float] = []
    for post in posts[: min(len(posts), 50)]:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                post_create(
                    actor=post.author,
                    space=post.space,
                    title="Design benchmark",
                    body="Notes from our handover huddle on the ward. #benchmark",
                )
                raise RolledBack
        except RolledBack:
            pass
        except Exception as error:  # noqa: BLE001 - e.g. a muted author: not part of the figure
            log(f"post_create refused for post {post.pk}: {error}")
            continue
        create_ms.append((time.perf_counter() - started) * 1000)
    return {
        "posts": len(posts),
        "rows_per_post": summary(rows),
        "delivery_ms": summary(delivery_ms),
        "post_create_ms": summary(create_ms),
    }


def network_estimate(rows_per_post: float, bytes_per_row: float | None) -> dict[str, Any]:
    """Inbox rows if every published post had been delivered to everyone who follows it."""
    from townsquare.community.models import ContentStatus, Post

    published = Post.objects.filter(status=ContentStatus.PUBLISHED).count()
    total = round(published * rows_per_post)
    estimate: dict[str, Any] = {"published_posts": published, "inbox_rows": total}
    if bytes_per_row:
        estimate["inbox_gigabytes"] = round(total * bytes_per_row / 1e9, 1)
    return estimate


# --- Main ----------------------------------------------------------------------------------------


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="as bench/run.py: a loopback PostgreSQL URL, `postgres`, `sqlite` or a sqlite:/// "
        "URL; the database must hold the large demo",
    )
    parser.add_argument("--readers", type=int, default=20, help="readers sampled (default 20)")
    parser.add_argument("--reads", type=int, default=50, help="reads per reader (default 50)")
    parser.add_argument("--writes", type=int, default=200, help="posts delivered (default 200)")
    parser.add_argument("--settings", default="townsquare.config.settings")
    parser.add_argument("--keep", action="store_true", help="keep the scratch tables")
    options = parser.parse_args(argv)
    if not (1 <= options.readers <= 500 and 1 <= options.reads <= 1000):
        parser.error("--readers takes 1 to 500 and --reads 1 to 1000")
    if not 1 <= options.writes <= 5000:
        parser.error("--writes takes 1 to 5000")
    return options


def main(argv: list[str] | None = None) -> int:
    options = arguments(argv)
    sys.path.insert(0, str(ROOT / "bench"))
    from run import choose_database, redacted

    database_url = choose_database(options.database_url)
    setup_django(database_url, options.settings)
    from django.db import connection

    engine = connection.vendor
    log(f"Database: {redacted(database_url)}")
    started = datetime.now(UTC)
    drop_scratch()
    create_scratch()
    try:
        people = readers(options.readers)
        log(f"Filling the inbox of {len(people)} readers…")
        inbox = fill_inbox(people)
        log(f"  {inbox['rows']:,} rows, {inbox['rows_per_reader']:,} per reader")
        log(f"Reading each feed {options.reads} times in both designs…")
        reads = measure_reads(people, options.reads)
        log(f"Delivering {options.writes} posts…")
        writes = measure_writes(options.writes)
        estimate = network_estimate(writes["rows_per_post"]["mean"], inbox["bytes_per_row"])
    finally:
        if not options.keep:
            drop_scratch()
    report = {
        "timestamp": started.isoformat(timespec="seconds"),
        "database": engine,
        "database_url": redacted(database_url),
        "cpus": os.cpu_count(),
        "readers": options.readers,
        "reads_per_reader": options.reads,
        "inbox": inbox,
        "reads_ms": reads,
        "writes": writes,
        "whole_network": estimate,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}-feed-design-{engine}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    built, delivered = reads["built_when_read"], reads["delivered_when_written"]
    print()
    print(f"Home feed, two designs, {engine}, {options.readers} readers x {options.reads} reads")
    print(f"{'':<26} {'read p50 ms':>12} {'read p95 ms':>12} {'rows per post':>14} {'write ms':>9}")
    print(f"{'built when read':<26} {built['p50']:>12.2f} {built['p95']:>12.2f} {0:>14} {0:>9.2f}")
    print(
        f"{'delivered when written':<26} {delivered['p50']:>12.2f} {delivered['p95']:>12.2f} "
        f"{writes['rows_per_post']['mean']:>14.0f} {writes['delivery_ms']['mean']:>9.2f}"
    )
    print(
        f"Writing the post itself (both designs): p50 {writes['post_create_ms']['p50']} ms; "
        f"same first page in {reads['same_first_page']}."
    )
    print(
        f"Delivering every published post: {estimate['inbox_rows']:,} inbox rows"
        + (f", about {estimate['inbox_gigabytes']} GB" if "inbox_gigabytes" in estimate else "")
    )
    print(f"\nResults: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
