"""The community's measurements for `bench/run.py`: feeds, search and posting, and the feed at two
sizes of data.

The open loop of ``loadgen.py`` sends one fixed request. Search and posting need a different
request each time (a rotation of search terms; a rotation of authors, each with their own token,
each a member of the space they post to), so ``run_rotation`` starts request *i* on the same
schedule as ``OpenLoop.run`` and sends the *i*-th request of the rotation.

What run.py measures with these (``docs/benchmarks.md``, Community):

- ``community_feed``: ``GET /api/v1/community/feed`` as a typical large-demo person (about as many
  follows as the median), and ``community_home``: the home page ``/community/`` with their
  session, in the main open-loop table against the healthz baseline at every rate;
- capacity: healthz and the feed in a closed loop with 50 clients in flight, the most each can
  answer per second on this machine (the feed's throughput over the baseline's), interleaved
  (healthz, then three times the feed and healthz) because the machine's speed drifts;
- ``community_post``: ``POST /api/v1/community/spaces/{id}/posts`` at ``--community-post-rate``
  (default 20 per second) from 50 people in their own spaces, with healthz at the same rate;
- ``community_search``: ``GET /api/v1/community/search?q=`` over 24 rotating one-word terms at
  ``--community-search-rate`` (default 1 per second, for at least 24 seconds so every term is
  searched: a search over a million posts costs far more than a page), with healthz at the same
  rate; measured last;
- the feed at two sizes: the same feed request and healthz against a second database that holds
  the same people, spaces and follows but 10,000 posts instead of 1,000,000 (its own gunicorn,
  started after the main one stops), at ``--community-compare-rate``; the main database's feed at
  that rate is measured just before, so the two p95 are from the same run.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import gevent
import gevent.pool
from events_load import Call, closed_loop, with_ratio
from loadgen import OpenLoop, Result, Sample, Target

SMALL_POSTS = 10_000


@dataclass(frozen=True)
class Rotation:
    """Requests sent in turn, one per arrival; measured and reported under ``name``."""

    name: str
    targets: tuple[Target, ...]

    @property
    def method(self) -> str:
        return self.targets[0].method

    @property
    def path(self) -> str:
        return self.targets[0].path

    @property
    def expected_status(self) -> int:
        return self.targets[0].expected_status

    def first(self) -> Target:
        return self.targets[0]


def run_rotation(driver: OpenLoop, rotation: Rotation, *, rate: float, duration: float) -> Result:
    """``OpenLoop.run`` with request *i* taken from the rotation (same schedule, same bounds)."""
    scheduled = max(1, round(rate * duration))
    samples: list[Sample] = []
    group = gevent.pool.Group()
    start = time.perf_counter() + 0.05
    for index in range(scheduled):
        due = start + index / rate
        delay = due - time.perf_counter()
        gevent.sleep(delay if delay > 0 else 0)
        target = rotation.targets[index % len(rotation.targets)]
        group.spawn(driver._one, target, due, samples)
    last_due = start + (scheduled - 1) / rate
    group.join(timeout=max(0.0, last_due + driver.timeout + 1 - time.perf_counter()))
    group.kill(block=True, timeout=5)
    window = max((s.finished for s in samples), default=start) - start
    named = Target(rotation.name, rotation.path, expected_status=rotation.expected_status)
    return Result(named, rate, duration, scheduled, samples, window)


def run_any(driver: OpenLoop, target: Target | Rotation, *, rate: float, duration: float) -> Result:
    if isinstance(target, Rotation):
        return run_rotation(driver, target, rate=rate, duration=duration)
    return driver.run(target, rate=rate, duration=duration)


# --- Targets --------------------------------------------------------------------------------------


def _api_headers(token: str, *, body: bool = False) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if body:
        headers["Content-Type"] = "application/json"
    return headers


def feed_target(prepared: dict[str, Any]) -> Target:
    return Target("community_feed", "/api/v1/community/feed", _api_headers(prepared["token"]))


def read_targets(prepared: dict[str, Any]) -> list[Target | Rotation]:
    """The feed (API and page), for the main open-loop table."""
    cookie = f"{prepared['session_cookie_name']}={prepared['session_cookie']}"
    return [
        feed_target(prepared),
        Target("community_home", "/community/", {"Cookie": cookie, "Accept": "text/html"}),
    ]


def search_rotation(prepared: dict[str, Any]) -> Rotation:
    return Rotation(
        "community_search",
        tuple(
            Target(
                "community_search",
                f"/api/v1/community/search?q={quote(term)}&kind=post",
                _api_headers(prepared["token"]),
            )
            for term in prepared["search_terms"]
        ),
    )


POST_BODY = (
    "Load test: notes from our handover huddle. Bedside handover keeps improving on the ward. "
    "#benchmark"
)


def post_rotation(prepared: dict[str, Any]) -> Rotation:
    body = json.dumps({"kind": "discussion", "title": "Benchmark post", "body": POST_BODY}).encode()
    return Rotation(
        "community_post",
        tuple(
            Target(
                "community_post",
                f"/api/v1/community/spaces/{author['space_id']}/posts",
                _api_headers(author["token"], body=True),
                expected_status=201,
                method="POST",
                body=body,
            )
            for author in prepared["authors"]
        ),
    )


# --- Phases ---------------------------------------------------------------------------------------


def _phase(
    driver: OpenLoop, target: Target | Rotation, rate: float, duration: float, warmup: float
) -> dict[str, Any]:
    if warmup > 0:
        run_any(driver, target, rate=rate, duration=warmup)
    return run_any(driver, target, rate=rate, duration=duration).summary()


def _ratio(result: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    return with_ratio(result, baseline)


# The speed of this shared machine drifts by 10-25 % within a minute (healthz went from 1,566 to
# 2,179 requests a second over five interleaved runs, 24 November 2026), so the feed is measured
# between baselines and each side is the mean of its runs.
CAPACITY_ROUNDS = 3


def measure_capacity(
    port: int,
    prepared: dict[str, Any],
    *,
    clients: int,
    requests: int,
    rounds: int = CAPACITY_ROUNDS,
) -> list[dict[str, Any]]:
    """Closed loop, ``clients`` in flight: the most healthz and the feed answer per second,
    interleaved: healthz, then ``rounds`` times the feed and healthz again."""
    feed = feed_target(prepared)
    baseline_calls = [Call("GET", "/healthz", {})] * requests
    feed_calls = [Call("GET", feed.path, feed.headers)] * requests
    baselines = [closed_loop(port, "healthz", baseline_calls, clients=clients)]
    feeds = []
    for _ in range(rounds):
        feeds.append(closed_loop(port, "community_feed", feed_calls, clients=clients))
        baselines.append(closed_loop(port, "healthz", baseline_calls, clients=clients))
    baseline, result = _pooled(baselines), _pooled(feeds)
    return [_ratio(baseline, baseline), _ratio(result, baseline)]


def _pooled(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several closed-loop runs of one target as one: rates and percentiles averaged, counts
    summed, each run's rate kept (``runs_rps``)."""
    pooled = dict(runs[0])
    for key in ("achieved_rps", "p50_ms", "p95_ms", "p99_ms"):
        pooled[key] = round(sum(run[key] for run in runs) / len(runs), 2)
    for key in ("requests", "ok", "errors"):
        pooled[key] = sum(run[key] for run in runs)
    pooled["seconds"] = round(sum(run["seconds"] for run in runs), 2)
    outcomes: Counter[str] = Counter()
    for run in runs:
        outcomes.update(run["outcomes"])
    pooled["outcomes"] = dict(outcomes)
    pooled["runs_rps"] = [run["achieved_rps"] for run in runs]
    return pooled


def measure_rotation(
    port: int,
    rotation: Rotation,
    *,
    rate: float,
    duration: float,
    warmup: float,
    timeout: float,
) -> list[dict[str, Any]]:
    """healthz, then the rotation, open loop at the rotation's own rate."""
    driver = OpenLoop("127.0.0.1", port, timeout=timeout)
    try:
        status, body = driver.fetch(rotation.first())
        if status != rotation.expected_status:
            raise SystemExit(f"{rotation.name} answered {status}: {body[:200]!r}")
        baseline = _phase(driver, Target("healthz", "/healthz"), rate, duration, warmup)
        result = _phase(driver, rotation, rate, duration, warmup)
    finally:
        driver.close()
    return [_ratio(baseline, baseline), _ratio(result, baseline)]


def measure_feed(
    port: int,
    prepared: dict[str, Any],
    *,
    label: str,
    rate: float,
    duration: float,
    warmup: float,
    timeout: float,
) -> list[dict[str, Any]]:
    """healthz and the feed at one rate, labelled with the size of the data behind them."""
    driver = OpenLoop("127.0.0.1", port, timeout=timeout)
    try:
        feed = feed_target(prepared)
        status, body = driver.fetch(feed)
        if status != 200:
            raise SystemExit(f"community_feed ({label}) answered {status}: {body[:200]!r}")
        baseline = _phase(driver, Target("healthz", "/healthz"), rate, duration, warmup)
        result = _phase(driver, feed, rate, duration, warmup)
    finally:
        driver.close()
    baseline["data"] = result["data"] = label
    return [_ratio(baseline, baseline), _ratio(result, baseline)]


def drain(port: int, *, limit: float = 180.0) -> bool:
    """Wait until the server answers healthz at once again (requests abandoned by the generator
    may still be running in the workers); False if it did not within ``limit`` seconds."""
    driver = OpenLoop("127.0.0.1", port, timeout=5.0)
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _ = driver.fetch(Target("healthz", "/healthz"))
            except OSError:
                status = 0
            if status == 200 and time.perf_counter() - started < 0.5:
                return True
            gevent.sleep(1.0)
    finally:
        driver.close()
    return False


def compare_sizes(large: list[dict[str, Any]], small: list[dict[str, Any]]) -> dict[str, Any]:
    """The feed's latency with 1,000,000 posts over the same with 10,000 (target: within 1.5x)."""
    big, little = large[-1], small[-1]
    return {
        key: round(big[key] / little[key], 2) if little[key] else None
        for key in ("p50_ms", "p95_ms", "p99_ms")
    }


def community_table(
    capacity: list[dict[str, Any]],
    posting: list[dict[str, Any]],
    searching: list[dict[str, Any]],
    sizes: list[dict[str, Any]],
    size_ratio: dict[str, Any] | None,
) -> str:
    lines = ["", "Community (x: ratio to healthz in the same phase):"]
    header = (
        f"{'phase':<22} {'target':<15} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6}   {'x req/s':>7} {'x p50':>6} {'x p95':>6}"
    )
    lines += [header, "-" * len(header)]
    phases = [(f"capacity, {r['clients']} clients", r) for r in capacity]
    phases += [(f"posting, {r['offered_rate']:g} req/s", r) for r in posting]
    phases += [(f"search, {r['offered_rate']:g} req/s", r) for r in searching]
    phases += [(f"{r['data']}, {r['offered_rate']:g} req/s", r) for r in sizes]
    for phase, r in phases:
        ratio = {key: value or 0.0 for key, value in r["ratio_to_baseline"].items()}
        lines.append(
            f"{phase:<22} {r['name']:<15} {r['achieved_rps']:>7.1f} {r['p50_ms']:>8.2f} "
            f"{r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>6}   "
            f"{ratio['achieved_rps']:>7.2f} {ratio['p50_ms']:>6.2f} {ratio['p95_ms']:>6.2f}"
        )
    if len(capacity) == 2:
        share = capacity[1]["achieved_rps"] / capacity[0]["achieved_rps"]
        lines.append(f"Feed capacity: {share:.2f} of the baseline's (target: at least 0.25).")
    if size_ratio:
        lines.append(
            f"Feed with 1,000,000 posts over 10,000: p50 x{size_ratio['p50_ms']}, "
            f"p95 x{size_ratio['p95_ms']} (target: p95 within 1.5)."
        )
    return "\n".join(lines)
