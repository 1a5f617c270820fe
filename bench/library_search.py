"""Library search at scale: p95 latency at a fixed arrival rate over 100,000 resources.

    python bench/library_search.py [--database-url postgres|sqlite|URL] [--resources 100000]
                                   [--rate 10] [--duration 40] [--skip-setup] [--explain-only]

Steps: pick the database (PostgreSQL ``ts_bench_library`` on 127.0.0.1, or SQLite
``var/bench/library.sqlite3``), migrate, load what the search needs once (the small demo's people,
the large demo's 500 organizations and the library's large demo: 100,000 resources with 1-5 KB of
extracted text each, indexed in bulk), then:

1. **plans**: run the library search of a common and a rare term in-process as the demo's nurse
   (a premium member of an organization) and print EXPLAIN of every query it sends (PostgreSQL:
   ``EXPLAIN (ANALYZE, BUFFERS)``; SQLite: ``EXPLAIN QUERY PLAN``), with each query's time, so one
   can see that the full-text index (GIN on ``search_vector``; the FTS5 table) answers the match;
2. **load**: start gunicorn (production settings, loopback) and drive, open loop at a fixed
   arrival rate (``loadgen.py``: latency from each request's due time), in turn: ``healthz``
   (the baseline), ``search_common`` (20 words found in most resources), ``search_rare`` (20
   words found in 0.05-1.5% of them) and ``search_mixed`` (all 44 terms, two-word ones included)
   against ``GET /api/v1/library/search?q=`` with the nurse's API token; ``search_groups``, the
   side groups alone (``include=restricted,chapters&results=false``), over the mixed rotation;
   the search page ``GET /library/search/?q=`` with their session and ``page_groups``, the
   groups' fragment it loads next (``part=groups``, as htmx asks), over the mixed rotation.

Each figure comes with the CPU shares of the phase (``cpu.py``): ``other`` is what processes other
than the server, its database and the generator used (other people's work on this shared
machine). The targets (docs/benchmarks.md, "Library"): p95 <= 50 ms on both engines, common-term
p95 <= 3 x rare-term p95. Results go to bench/results/<timestamp>-library-<engine>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/ts_bench_library"
BENCH_VAR = ROOT / "var" / "bench"
SQLITE_URL = f"sqlite:///{BENCH_VAR / 'library.sqlite3'}"
RESULTS = ROOT / "bench" / "results"
SEARCHER = "nurse@riverside-health.example"

COMMON_TERMS = (
    "patient",
    "policy",
    "social",
    "media",
    "health",
    "consent",
    "staff",
    "privacy",
    "online",
    "nurses",
    "clinicians",
    "hospital",
    "reviews",
    "accounts",
    "community",
    "crisis",
    "video",
    "leadership",
    "information",
    "compliance",
)
RARE_TERMS = (
    "podcast",
    "ransomware",
    "geofencing",
    "chatbot",
    "deepfake",
    "ombudsman",
    "wayfinding",
    "fundraising",
    "volunteers",
    "alumni",
    "influencer",
    "bilingual",
    "telepharmacy",
    "mentorship",
    "hackathon",
    "interpreters",
    "quilting",
    "marathon",
    "xylophone",
    "zoonotic",
)
PHRASES = ("patient privacy", "online reviews", "crisis communication", "podcast nurses")
MIXED_TERMS = (
    tuple(term for pair in zip(COMMON_TERMS, RARE_TERMS, strict=True) for term in pair) + PHRASES
)


def log(message: str) -> None:
    print(f"[library-bench] {message}", flush=True)


# --- Inside Django (a subprocess with the benchmark's environment) --------------------------------


def inside_load(resources: int) -> dict[str, Any]:
    """The people, organizations and library the search needs; inserts only what is missing."""
    import io

    from django.db import transaction

    from townsquare.accounts import demo as accounts_demo
    from townsquare.accounts.demo_large import (
        DEFAULT_ORGANIZATIONS,
        DEFAULT_PEOPLE,
        LargeDemo,
        _refresh_statistics,
        generators,
    )
    from townsquare.accounts.models import User
    from townsquare.library.demo_large import resources_override

    started = time.perf_counter()
    accounts_demo.load_small()
    output = io.StringIO()
    demo = LargeDemo(
        people=DEFAULT_PEOPLE,
        organizations=DEFAULT_ORGANIZATIONS,
        stdout=output,
        show_progress=False,
        actor=User.objects.filter(email=accounts_demo.PEOPLE[0].email).first(),
    )
    found = generators()
    created: dict[str, int] = {}
    with transaction.atomic(), resources_override(resources):
        for name in ("accounts.organizations", "library.resources"):
            created.update({f"{name}.{k}": v for k, v in found[name](demo).items()})
    _refresh_statistics(demo.tables)
    sys.stderr.write(output.getvalue())
    return {"created": created, "seconds": round(time.perf_counter() - started, 1)}


def _explain(sql: str, params: Any) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [" ".join(str(part) for part in row) for row in cursor.fetchall()]


def inside_explain(terms: list[str]) -> dict[str, Any]:
    """Each query one search sends, its time and its plan, for a few terms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from townsquare.accounts.models import User
    from townsquare.library.selectors.search import SearchFilters, library_search

    user = User.objects.get(email=SEARCHER)
    report: dict[str, Any] = {"engine": connection.vendor, "terms": {}}
    for term in terms:
        main = {"with_restricted": False, "with_chapters": False}  # as the API's default
        library_search(user, term, filters=SearchFilters(), **main)  # warm the caches once
        timings = []
        for _ in range(5):
            begun = time.perf_counter()
            results = library_search(user, term, filters=SearchFilters(), **main)
            timings.append((time.perf_counter() - begun) * 1000)
        with CaptureQueriesContext(connection) as captured:
            library_search(user, term, filters=SearchFilters(), **main)
        queries = []
        for query in captured.captured_queries:
            sql = query["sql"]
            entry: dict[str, Any] = {"ms": round(float(query["time"]) * 1000, 2), "sql": sql}
            queries.append(entry)
        report["terms"][term] = {
            "count": results.count,
            "count_is_capped": results.count_is_capped,
            "in_process_ms": sorted(round(t, 1) for t in timings),
            "queries": queries,
        }
    return report


class _Recorder:
    """An execute wrapper that keeps each statement's SQL and parameters apart, for EXPLAIN."""

    def __init__(self, recorded: list[tuple[str, Any]]) -> None:
        self.recorded = recorded

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.recorded.append((sql, params))
        return execute(sql, params, many, context)


def inside_explain_plans(terms: list[str]) -> dict[str, Any]:
    """EXPLAIN of the search's queries (re-run with their parameters through the selector's
    recorder, which keeps SQL and parameters apart)."""
    from django.db import connection

    from townsquare.accounts.models import User
    from townsquare.library.selectors.search import SearchFilters, library_search

    user = User.objects.get(email=SEARCHER)
    library_search(user, "warm", filters=SearchFilters())
    plans: dict[str, Any] = {"engine": connection.vendor, "terms": {}}
    for term in terms:
        recorded: list[tuple[str, Any]] = []
        with connection.execute_wrapper(_Recorder(recorded)):
            library_search(user, term, filters=SearchFilters())
        plans["terms"][term] = [
            {"sql": sql, "plan": _explain(sql, params)} for sql, params in recorded
        ]
    return plans


def inside(argv: list[str]) -> int:
    import django

    django.setup()
    action = argv[0]
    if action == "load":
        result = inside_load(int(argv[1]))
    elif action == "explain":
        result = inside_explain(argv[1:])
        result["plans"] = inside_explain_plans(argv[1:])["terms"]
    else:
        sys.stderr.write(f"Unknown inside action {action!r}.\n")
        return 2
    print(json.dumps(result, default=str))
    return 0


# --- Outside: setup, server, load --------------------------------------------------------------


def run_inside(environment: dict[str, str], *args: str, timeout: float = 7200) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--inside", *args],
        env=environment,
        cwd=ROOT,
        timeout=timeout,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def choose_database(requested: str) -> str:
    from run import _postgres_ensure, _require_loopback

    if requested == "sqlite":
        BENCH_VAR.mkdir(parents=True, exist_ok=True)
        return SQLITE_URL
    url = POSTGRES_URL if requested in {"", "postgres"} else requested
    _require_loopback(url)
    if url.startswith(("postgres://", "postgresql://")) and not _postgres_ensure(url):
        raise SystemExit("PostgreSQL is not reachable; start it or pass --database-url sqlite.")
    return url


def setup(environment: dict[str, str], resources: int) -> dict[str, Any]:
    from run import townsquare

    timings: dict[str, Any] = {}
    for name, args in (
        ("migrate", ("migrate", "--no-input", "-v", "0")),
        ("createcachetable", ("createcachetable",)),
        ("collectstatic", ("collectstatic", "--no-input", "-v", "0")),
    ):
        log(" ".join(args) + "…")
        began = time.perf_counter()
        townsquare(environment, *args)
        timings[name] = round(time.perf_counter() - began, 1)
    log(f"loading the library's large demo ({resources:,} resources) if missing…")
    timings["load"] = run_inside(environment, "load", str(resources))
    return timings


def rotation(name: str, prefix: str, terms: tuple[str, ...], headers: dict[str, str]) -> Any:
    from community_load import Rotation
    from loadgen import Target

    return Rotation(name, tuple(Target(name, f"{prefix}{quote(term)}", headers) for term in terms))


def measure(port: int, targets: list[Any], meter: Any, options: argparse.Namespace) -> list[Any]:
    from community_load import run_any
    from loadgen import OpenLoop

    driver = OpenLoop("127.0.0.1", port, timeout=options.timeout)
    results = []
    try:
        for target in targets:
            first = target.first() if hasattr(target, "first") else target
            status, body = driver.fetch(first)
            if status != 200:
                raise SystemExit(f"{target.name} answered {status}: {body[:300]!r}")
        for target in targets:
            before = meter.quiet()
            if options.warmup > 0:
                run_any(driver, target, rate=options.rate, duration=options.warmup)
            log(f"{target.name} at {options.rate:g} req/s for {options.duration:g} s…")
            start = meter.snapshot()
            summary = run_any(
                driver, target, rate=options.rate, duration=options.duration
            ).summary()
            summary["cpu"] = {"before": before["busy"], **meter.shares(start, meter.snapshot())}
            results.append(summary)
    finally:
        driver.close()
    return results


def table(results: list[dict[str, Any]]) -> str:
    header = (
        f"{'target':<15} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} "
        f"{'errors':>6} {'x p95':>6}  {'cpu':>4} {'server':>6} {'db':>4} {'other':>5}"
    )
    baseline = results[0]["p95_ms"] if results else 0
    lines = [header, "-" * len(header)]
    for r in results:
        cpu = {k: "" if v is None else f"{v:.0%}" for k, v in r["cpu"].items()}
        ratio = r["p95_ms"] / baseline if baseline else 0
        lines.append(
            f"{r['name']:<15} {r['achieved_rps']:>6.1f} {r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} "
            f"{r['p99_ms']:>8.2f} {r['max_ms']:>8.2f} {r['errors']:>6} {ratio:>6.2f}  "
            f"{cpu['busy']:>4} {cpu['server']:>6} {cpu['database']:>4} {cpu['other']:>5}"
        )
    return "\n".join(lines)


def print_plans(report: dict[str, Any]) -> None:
    for term, found in report["terms"].items():
        print(
            f"\n== {term!r}: {found['count']:,}{'+' if found['count_is_capped'] else ''} "
            f"results; in-process ms (5 runs): {found['in_process_ms']}"
        )
        for query in found["queries"]:
            print(f"  {query['ms']:>8.2f} ms  {query['sql'][:160]}")
    for term, plans in report.get("plans", {}).items():
        for entry in plans:
            print(f"\n-- EXPLAIN for {term!r}: {entry['sql'][:200]}")
            print("\n".join("   " + line for line in entry["plan"]))


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres", help="postgres, sqlite or a URL")
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=10.0, help="arrivals per second")
    parser.add_argument("--duration", type=float, default=40.0, help="measured seconds per target")
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--timeout", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--setup-only", action="store_true")
    parser.add_argument("--explain-only", action="store_true")
    parser.add_argument("--no-page", action="store_true", help="leave out the search page")
    parser.add_argument("--no-explain", action="store_true", help="leave out plans and timings")
    options = parser.parse_args(argv)
    if not 1 <= options.resources <= 1_000_000 or not 0 < options.rate <= 500:
        parser.error("--resources takes 1 to 1,000,000 and --rate 0 to 500")
    if options.rate * options.duration > 100_000:
        parser.error("at most 100,000 requests per target")
    return options


def main(argv: list[str] | None = None) -> int:
    from cpu import CpuMeter
    from loadgen import Target
    from run import django_environment, free_port, gunicorn, prepare, redacted

    options = arguments(argv)
    started = datetime.now(UTC)
    url = choose_database(options.database_url)
    engine = "postgresql" if url.startswith("postgres") else "sqlite"
    log(f"Database: {redacted(url)}")
    environment = django_environment(url, "townsquare.config.settings")
    timings = {} if options.skip_setup else setup(environment, options.resources)
    if options.setup_only:
        log(f"setup done: {timings}")
        return 0
    plans: dict[str, Any] = {}
    if not options.no_explain:
        log("plans and in-process timings…")
        plans = run_inside(environment, "explain", "patient", "policy", "podcast", "zoonotic")
        print_plans(plans)
    if options.explain_only:
        return 0
    credentials = prepare(environment, "issue", SEARCHER)
    api_headers = {"Authorization": f"Bearer {credentials['token']}", "Accept": "application/json"}
    cookie = f"{credentials['session_cookie_name']}={credentials['session_cookie']}"
    page_headers = {"Cookie": cookie, "Accept": "text/html"}
    api = "/api/v1/library/search?q="
    targets: list[Any] = [
        Target("healthz", "/healthz"),
        rotation("search_common", api, COMMON_TERMS, api_headers),
        rotation("search_rare", api, RARE_TERMS, api_headers),
        rotation("search_mixed", api, MIXED_TERMS, api_headers),
    ]
    # The side groups (chapters; resources one may request access to): a request of their own,
    # after the results, as the page and the API ask for them.
    groups = "/api/v1/library/search?include=restricted,chapters&results=false&q="
    targets.append(rotation("search_groups", groups, MIXED_TERMS, api_headers))
    if not options.no_page:
        targets.append(rotation("search_page", "/library/search/?q=", MIXED_TERMS, page_headers))
        fragment_headers = {**page_headers, "HX-Request": "true"}
        targets.append(
            rotation(
                "page_groups", "/library/search/?part=groups&q=", MIXED_TERMS, fragment_headers
            )
        )
    port = free_port()
    try:
        with gunicorn(environment, port, options.workers) as server:
            database = urlsplit(url).path.lstrip("/") if engine == "postgresql" else ""
            meter = CpuMeter(server_group=server.pid, database=database)
            results = measure(port, targets, meter, options)
    finally:
        prepare(environment, "revoke", SEARCHER)
    by_name = {r["name"]: r for r in results}
    ratio = by_name["search_common"]["p95_ms"] / max(by_name["search_rare"]["p95_ms"], 0.001)
    report = {
        "timestamp": started.isoformat(timespec="seconds"),
        "database": engine,
        "database_url": redacted(url),
        "resources": options.resources,
        "cpus": os.cpu_count(),
        "gunicorn_workers": options.workers,
        "load": {"rate": options.rate, "duration_s": options.duration, "model": "open loop"},
        "terms": {"common": COMMON_TERMS, "rare": RARE_TERMS, "mixed": MIXED_TERMS},
        "setup": timings,
        "plans": plans,
        "targets": results,
        "common_over_rare_p95": round(ratio, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}-library-{engine}.json"
    path.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(
        f"\nLibrary search: {engine}, {options.resources:,} resources, {options.workers} "
        f"workers, {options.rate:g} req/s offered, {options.duration:g} s per target"
    )
    print("x p95: over healthz's p95. other: CPU used by processes other than ours.")
    print(table(results))
    print(f"common-term p95 / rare-term p95: {ratio:.2f} (target <= 3)")
    print(f"\nResults: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--inside":
        raise SystemExit(inside(sys.argv[2:]))
    raise SystemExit(main())
