"""`make bench`: load-test Townsquare at a fixed arrival rate against the large demo.

    python bench/run.py [--database-url URL|postgres|sqlite] [--rate 200] [--duration 20] [--quick]

Steps: pick a database (PostgreSQL `townsquare_bench` on 127.0.0.1 when it answers, else SQLite
under var/bench/), migrate, load the large demo once, start gunicorn on a free loopback port with
production settings, then drive each target at the same fixed rate, baseline first:

    healthz    GET /healthz                the cheapest JSON view: the stack's own cost
    api_me     GET /api/v1/accounts/me     with a personal API token (Authorization: Bearer)
    dashboard  GET /dashboard/             signed in with a session cookie
    lesson_page     GET /academy/learn/<slug>/lessons/<id>/   an enrolled large-demo learner
    progress_update POST /api/v1/academy/enrollments/<id>/lessons/<id>/complete  (their token)
    event_page GET /events/<slug>/         the page of the benchmark's event, anonymous

and then, closed loop with 50 clients in flight (bench/events_load.py): healthz again as that
phase's baseline, and `registrations`, POST /api/v1/events/<id>/registrations with each request
from a different person (their own API token), all for ONE event;

and the community (bench/community_load.py): `community_feed` (GET /api/v1/community/feed),
`community_home` (GET /community/) in the open-loop table; the feed's capacity next to healthz's
(closed loop); posting (POST /api/v1/community/spaces/<id>/posts, 50 authors in turn) and search
(GET /api/v1/community/search, 24 rotating terms) each at its own rate; and the feed against a
second database with 10,000 posts instead of 1,000,000 (--no-community leaves all this out);

and print achieved requests/s, p50/p95/p99 latency, errors and each figure as a ratio to the
baseline of the same run; the full results go to bench/results/<timestamp>-<engine>.json.
See docs/benchmarks.md for how to read them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import community_load
from community_load import Rotation, run_any
from cpu import CpuMeter
from events_load import Call, closed_loop, registration_calls, with_ratio
from loadgen import LOOPBACK_HOSTS, OpenLoop, Target

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/townsquare_bench"
REDIS_URL = "redis://127.0.0.1:6379/7"  # the cache at scale (docs/running-at-scale.md)
SQLITE_URL = f"sqlite:///{BENCH_VAR / 'townsquare.sqlite3'}"
SQLITE_SMALL_URL = f"sqlite:///{BENCH_VAR / 'townsquare-small.sqlite3'}"
BENCH_USER = "staff@townsquare.example"
STEP_TIMEOUT = 3600  # seconds for any one setup command (the large demo is the slow one: on
# SQLite, a busy machine and the library's 100,000 resources took it past 30 minutes)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- Database -------------------------------------------------------------------------------------


def _require_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host and host not in LOOPBACK_HOSTS and not host.startswith("127."):
        raise SystemExit(f"Refusing database host {host}: benchmarks stay on this machine.")


def _postgres_ensure(url: str) -> bool:
    """Create the database if needed; False when PostgreSQL does not answer."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(server, connect_timeout=3, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                log(f"Created PostgreSQL database {name}.")
    except psycopg.OperationalError as error:
        log(
            f"PostgreSQL at {parts.hostname}:{parts.port or 5432} is not reachable "
            f"({str(error).strip().splitlines()[0]})."
        )
        return False
    return True


def choose_database(requested: str | None) -> str:
    if requested in {None, "", "auto"}:
        if _postgres_ensure(POSTGRES_URL):
            return POSTGRES_URL
        log("Falling back to SQLite.")
        return SQLITE_URL
    if requested == "sqlite":
        return SQLITE_URL
    url = POSTGRES_URL if requested == "postgres" else str(requested)
    _require_loopback(url)
    if url.startswith(("postgres://", "postgresql://")) and not _postgres_ensure(url):
        raise SystemExit("PostgreSQL is not reachable; start it or pass --database-url sqlite.")
    return url


def choose_cache(requested: str | None) -> str:
    """Redis when it answers on loopback, as the app runs at scale; "db" for the database cache
    (the default of a single machine)."""
    if requested == "db":
        return ""
    url = requested or REDIS_URL
    _require_loopback(url)
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=2) as peer:
            peer.sendall(b"PING\r\n")
            answered = peer.recv(16).startswith(b"+PONG")
    except OSError:
        answered = False
    if answered:
        return url
    if requested:
        raise SystemExit(
            f"Redis does not answer at {redacted(url)}; start it or pass --cache-url db."
        )
    log("Redis does not answer on 127.0.0.1:6379: the cache is the database's table.")
    return ""


def redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


# --- Processes ------------------------------------------------------------------------------------


def django_environment(
    database_url: str, settings_module: str, cache_url: str = ""
) -> dict[str, str]:
    """Production settings on loopback: no debug, no TLS redirect, plain-HTTP cookies."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "CACHE_URL", "CELERY_BROKER_URL"}
    }
    secret = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "TOWNSQUARE_HOME": str(BENCH_VAR),  # no developer .env; var files under var/bench/var
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": secret,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "SECURE_HSTS_SECONDS": "0",
            "STATIC_ROOT": str(BENCH_VAR / "static"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if cache_url:
        environment["CACHE_URL"] = cache_url
    return environment


def townsquare(environment: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "townsquare.cli", *args]
    subprocess.run(command, env=environment, cwd=ROOT, timeout=STEP_TIMEOUT, check=True)


def prepare(
    environment: dict[str, str], action: str, email: str, *, timeout: float = 120
) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "prepare.py"), action, email],
        env=environment,
        cwd=ROOT,
        timeout=timeout,
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes], name: str) -> None:
    """End a process we started and everything it started (its own process group)."""
    try:
        # Even if the master is gone, its workers may not be: signal the whole group.
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        log(f"{name} did not stop in 15 s; killing it.")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass


@contextmanager
def gunicorn(
    environment: dict[str, str], port: int, workers: int
) -> Iterator[subprocess.Popen[bytes]]:
    """gunicorn in a process group of its own (its id is the master's pid), stopped on exit."""
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    log_path = BENCH_VAR / "gunicorn.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "townsquare.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "30",
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            env=environment,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until_ready(process, port, log_path)
            yield process
        finally:
            stop(process, "gunicorn")
            log("gunicorn stopped.")


def wait_until_ready(process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited ({process.returncode}); see {log_path}.")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(
                    b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                )
                if connection.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"gunicorn did not answer /healthz within 60 s; see {log_path}.")


# --- Measuring ------------------------------------------------------------------------------------

RATIO_KEYS = ("achieved_rps", "p50_ms", "p95_ms", "p99_ms")


def with_ratios(results: list[dict[str, Any]]) -> None:
    """Each target's figures over the baseline's (the first target) at the same offered rate."""
    baselines: dict[float, dict[str, Any]] = {}
    for result in results:
        baseline = baselines.setdefault(result["offered_rate"], result)
        result["ratio_to_baseline"] = {
            key: round(result[key] / baseline[key], 2) if baseline[key] else None
            for key in RATIO_KEYS
        }


def table(results: list[dict[str, Any]]) -> str:
    header = (
        f"{'rate':>6} {'target':<17} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6}   {'x req/s':>7} {'x p50':>6} {'x p95':>6} "
        f"{'x p99':>6}  {'cpu':>4} {'other':>5}"
    )
    lines = [header, "-" * len(header)]
    for r in results:
        ratio = {key: value or 0.0 for key, value in r["ratio_to_baseline"].items()}
        cpu = {key: "" if value is None else f"{value:.0%}" for key, value in r["cpu"].items()}
        lines.append(
            f"{r['offered_rate']:>6g} {r['name']:<17} {r['achieved_rps']:>7.1f} "
            f"{r['p50_ms']:>8.2f} {r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>6}   "
            f"{ratio['achieved_rps']:>7.2f} {ratio['p50_ms']:>6.2f} {ratio['p95_ms']:>6.2f} "
            f"{ratio['p99_ms']:>6.2f}  {cpu['busy']:>4} {cpu['other']:>5}"
        )
    return "\n".join(lines)


def measure(
    port: int,
    targets: list[Target | Rotation],
    meter: CpuMeter,
    *,
    rates: list[float],
    duration: float,
    warmup: float,
    timeout: float,
) -> list[dict[str, Any]]:
    driver = OpenLoop("127.0.0.1", port, timeout=timeout)
    try:
        for target in targets:
            status, body = driver.fetch(target.first() if isinstance(target, Rotation) else target)
            if status != target.expected_status:
                raise SystemExit(
                    f"{target.name}: {target.method} {target.path} answered {status}, expected "
                    f"{target.expected_status}: {body[:200]!r}; see var/bench/gunicorn.log"
                )
        results = []
        for rate in rates:
            for target in targets:
                before_phase = meter.quiet()
                warning = ""
                if (before_phase["busy"] or 0) >= 0.2:
                    warning = (
                        f"the CPUs were still {before_phase['busy']:.0%} busy after waiting for "
                        "them to go quiet before this phase"
                    )
                    log(f"Warning: {warning}.")
                if warmup > 0:
                    run_any(driver, target, rate=rate, duration=warmup)
                log(
                    f"{target.name}: {target.method} {target.path} at {rate:g} req/s "
                    f"for {duration:g} s…"
                )
                start = meter.snapshot()
                summary = run_any(driver, target, rate=rate, duration=duration).summary()
                during = meter.shares(start, meter.snapshot())
                summary["cpu"] = {"before": before_phase["busy"], **during}
                if (during["other"] or 0) >= 0.1:
                    warning = (
                        f"other processes used {during['other']:.0%} of the CPUs during this phase"
                    )
                summary["warning"] = warning
                if summary["errors"]:
                    log(f"  errors: {summary['error_kinds']}")
                results.append(summary)
        return results
    finally:
        driver.close()


# --- Main -----------------------------------------------------------------------------------------


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="a loopback PostgreSQL URL, `postgres` (the townsquare_bench "
        "database), `sqlite` (var/bench/townsquare.sqlite3) or a sqlite:/// URL; "
        "default: PostgreSQL when it answers, else SQLite",
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL"),
        help="a loopback Redis URL for the cache, or `db` for the database table; default: "
        f"{REDIS_URL} when Redis answers (as at scale), else the database table",
    )
    parser.add_argument(
        "--rate",
        default="200",
        help="arrivals per second for every target (default 200); several, "
        "comma-separated (e.g. 50,200), run every target at each rate in turn",
    )
    parser.add_argument(
        "--duration", type=float, default=20.0, help="measured seconds per target (default 20)"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=3.0,
        help="unmeasured seconds at the same rate before each target (default 3)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) * 2 + 1,
        help="gunicorn sync workers (default 2 x cores + 1, as `townsquare serve`)",
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="per request, in seconds")
    parser.add_argument(
        "--user", default=BENCH_USER, help=f"whose token and session to use (default {BENCH_USER})"
    )
    parser.add_argument(
        "--settings",
        default="townsquare.config.settings",
        help="Django settings module (default: the production one)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 3 s per target, 1 s warm-up"
    )
    parser.add_argument(
        "--skip-setup",
        action="store_true",
        help="do not migrate or load the demo (the database is ready)",
    )
    parser.add_argument(
        "--event-clients",
        type=int,
        default=50,
        help="clients in flight at once registering for one event (default 50)",
    )
    parser.add_argument(
        "--event-people",
        type=int,
        default=2000,
        help="people (each a registration, each their own token) for that phase (default 2000)",
    )
    parser.add_argument(
        "--no-community",
        action="store_true",
        help="leave out the community's targets, phases and its 10,000-post database",
    )
    parser.add_argument(
        "--community-post-rate",
        type=float,
        default=20.0,
        help="posts started per second in the posting phase (default 20)",
    )
    parser.add_argument(
        "--community-search-rate",
        type=float,
        default=1.0,
        help="searches started per second in the search phase (default 1)",
    )
    parser.add_argument(
        "--community-compare-rate",
        type=float,
        default=50.0,
        help="rate of the feed's comparison between 1,000,000 and 10,000 posts (default 50)",
    )
    parser.add_argument(
        "--community-clients",
        type=int,
        default=50,
        help="clients in flight in the feed's capacity phase (default 50)",
    )
    parser.add_argument(
        "--community-small-database-url",
        default=os.environ.get("BENCH_COMMUNITY_SMALL_DATABASE_URL"),
        help="the 10,000-post database (default: the main PostgreSQL database's name + _small, "
        "or var/bench/townsquare-small.sqlite3)",
    )
    options = parser.parse_args(argv)
    if not 1 <= options.event_clients <= 500 or not 1 <= options.event_people <= 5000:
        parser.error("--event-clients takes 1 to 500 and --event-people 1 to 5000")
    if options.quick:
        options.duration, options.warmup = 3.0, 1.0
    try:
        options.rates = [float(rate) for rate in options.rate.split(",")]
    except ValueError:
        parser.error("--rate takes numbers, e.g. 200 or 50,200")
    if (
        min(options.rates) <= 0
        or options.duration <= 0
        or sum(options.rates) * options.duration > 1_000_000
    ):
        parser.error("--rate and --duration must be positive and give at most 1,000,000 requests")
    return options


def setup(environment: dict[str, str]) -> dict[str, float]:
    timings = {}
    for name, args in (
        ("migrate", ("migrate", "--no-input", "-v", "0")),
        ("createcachetable", ("createcachetable",)),
        ("collectstatic", ("collectstatic", "--no-input", "-v", "0")),
        ("demo_large", ("demo", "--scale", "large", "--quiet")),
    ):
        log(f"{' '.join(args)}…")
        started = time.perf_counter()
        townsquare(environment, *args)
        timings[name] = round(time.perf_counter() - started, 1)
    return timings


def small_database(main_url: str, requested: str | None) -> str:
    """Where the 10,000-post copy of the community lives: beside the main database."""
    if requested:
        url = SQLITE_SMALL_URL if requested == "sqlite" else requested
    elif main_url.startswith("postgres"):
        parts = urlsplit(main_url)
        url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_small"))
    else:
        url = SQLITE_SMALL_URL
    _require_loopback(url)
    if url.startswith(("postgres://", "postgresql://")) and not _postgres_ensure(url):
        raise SystemExit("PostgreSQL is not reachable for the 10,000-post database.")
    return url


def setup_small(environment: dict[str, str]) -> dict[str, float]:
    """The comparison database: the same large demo with 10,000 community posts."""
    timings = {}
    for name, args in (
        ("small_migrate", ("migrate", "--no-input", "-v", "0")),
        ("small_createcachetable", ("createcachetable",)),
    ):
        log(f"(10,000-post database) {' '.join(args)}…")
        started = time.perf_counter()
        townsquare(environment, *args)
        timings[name] = round(time.perf_counter() - started, 1)
    log("(10,000-post database) demo --scale large with 10,000 community posts…")
    started = time.perf_counter()
    prepare(
        environment,
        "community-demo",
        str(community_load.SMALL_POSTS),
        timeout=STEP_TIMEOUT,
    )
    timings["small_demo_large"] = round(time.perf_counter() - started, 1)
    return timings


def academy_targets(learner: dict[str, Any], credentials: dict[str, Any]) -> list[Target]:
    """The learner's lesson page, and marking that lesson complete through the API (after the
    first request the lesson is already complete: the idempotent path a double click takes)."""
    cookie = f"{credentials['session_cookie_name']}={credentials['session_cookie']}"
    enrollment, lesson = learner["enrollment_id"], learner["lesson_id"]
    return [
        Target(
            "lesson_page",
            f"/academy/learn/{learner['course_slug']}/lessons/{lesson}/",
            {"Cookie": cookie, "Accept": "text/html"},
        ),
        Target(
            "progress_update",
            f"/api/v1/academy/enrollments/{enrollment}/lessons/{lesson}/complete",
            {
                "Authorization": f"Bearer {credentials['token']}",
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
            method="POST",
        ),
    ]


def measure_registrations(
    port: int, bench_event: dict[str, Any], clients: int
) -> list[dict[str, Any]]:
    """Closed loop, ``clients`` in flight: healthz as the baseline, then one registration per
    person for the one event (each 201 is a new confirmed registration)."""
    tokens = bench_event["tokens"]
    log(f"registrations: {len(tokens)} people, {clients} at once, one event…")
    baseline = closed_loop(
        port, "healthz", [Call("GET", "/healthz", {})] * len(tokens), clients=clients
    )
    calls = registration_calls(bench_event["event_id"], bench_event["ticket_type_id"], tokens)
    registrations = closed_loop(port, "registrations", calls, clients=clients)
    if registrations["errors"]:
        log(f"  registrations errors: {registrations['outcomes']}")
    return [with_ratio(baseline, baseline), with_ratio(registrations, baseline)]


def concurrent_table(results: list[dict[str, Any]]) -> str:
    if not results:
        return ""
    header = (
        f"{'clients':>7} {'target':<17} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6}   {'x req/s':>7} {'x p50':>6} {'x p95':>6}"
    )
    lines = ["", "Closed loop, one event (x: ratio to healthz with as many clients):", header]
    lines.append("-" * len(header))
    for r in results:
        ratio = {key: value or 0.0 for key, value in r["ratio_to_baseline"].items()}
        lines.append(
            f"{r['clients']:>7} {r['name']:<17} {r['achieved_rps']:>7.1f} {r['p50_ms']:>8.2f} "
            f"{r['p95_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['errors']:>6}   "
            f"{ratio['achieved_rps']:>7.2f} {ratio['p50_ms']:>6.2f} {ratio['p95_ms']:>6.2f}"
        )
    return "\n".join(lines)


def measure_community(
    port: int, community: dict[str, Any], options: argparse.Namespace
) -> dict[str, Any]:
    """The community's phases on the main server (see bench/community_load.py), search last: a
    search over a million posts is the slowest request, and the server is given time to drain
    after each phase. A phase that fails is recorded as an error; the others still run."""
    requests = max(1000, options.community_clients * 40)
    timing = {"duration": options.duration, "warmup": options.warmup, "timeout": options.timeout}
    terms = len(community["search_terms"])
    phases: list[tuple[str, str, Any]] = [
        (
            "capacity",
            f"feed capacity, {options.community_clients} clients",
            lambda: community_load.measure_capacity(
                port, community, clients=options.community_clients, requests=requests
            ),
        ),
        (
            "posting",
            f"posting at {options.community_post_rate:g} req/s",
            lambda: community_load.measure_rotation(
                port,
                community_load.post_rotation(community),
                rate=options.community_post_rate,
                **timing,
            ),
        ),
        (
            "sizes",
            f"feed at {options.community_compare_rate:g} req/s, 1,000,000 posts",
            lambda: community_load.measure_feed(
                port,
                community,
                label="1,000,000 posts",
                rate=options.community_compare_rate,
                **timing,
            ),
        ),
        (
            "searching",
            f"search at {options.community_search_rate:g} req/s, {terms} terms",
            lambda: community_load.measure_rotation(
                port,
                community_load.search_rotation(community),
                rate=options.community_search_rate,
                # Long enough for every term to be searched at least once.
                duration=max(options.duration, terms / options.community_search_rate),
                warmup=options.warmup,
                timeout=options.timeout,
            ),
        ),
    ]
    results: dict[str, Any] = {"reader_follows": community["follows"], "errors": {}}
    for key, label, phase in phases:
        log(f"community: {label}…")
        try:
            results[key] = phase()
        except (SystemExit, OSError) as error:
            log(f"  community {key} failed: {error}")
            results["errors"][key] = str(error)
            results[key] = []
        community_load.drain(port)
    return results


def measure_small(
    environment: dict[str, str], community: dict[str, Any], options: argparse.Namespace
) -> list[dict[str, Any]]:
    """The same reader's feed against the 10,000-post database, on a gunicorn of its own."""
    reader = prepare(environment, "community-viewer", community["email"])
    port = free_port()
    with gunicorn(environment, port, options.workers):
        log(f"community: feed at {options.community_compare_rate:g} req/s, 10,000 posts…")
        try:
            return community_load.measure_feed(
                port,
                reader,
                label="10,000 posts",
                rate=options.community_compare_rate,
                duration=options.duration,
                warmup=options.warmup,
                timeout=options.timeout,
            )
        except (SystemExit, OSError) as error:
            log(f"  community feed on 10,000 posts failed: {error}")
            return []


def git_commit() -> str:
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            timeout=10,
            check=True,
            text=True,
            capture_output=True,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return completed.stdout.strip()


def _terminate(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    options = arguments(argv)
    started = datetime.now(UTC)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C even when started with `&`
    database_url = choose_database(options.database_url)
    engine = "postgresql" if database_url.startswith("postgres") else "sqlite"
    log(f"Database: {redacted(database_url)}")
    if engine == "sqlite":
        BENCH_VAR.mkdir(parents=True, exist_ok=True)
    cache_url = choose_cache(options.cache_url)
    log(f"Cache: {redacted(cache_url) if cache_url else 'the database table'}")
    environment = django_environment(database_url, options.settings, cache_url)
    timings = {} if options.skip_setup else setup(environment)
    small_environment: dict[str, str] = {}
    if not options.no_community:
        small_url = small_database(database_url, options.community_small_database_url)
        log(f"10,000-post database: {redacted(small_url)}")
        # Its own Redis database: the two demos share user ids and API token holders.
        small_cache = urlunsplit(urlsplit(cache_url)._replace(path="/8")) if cache_url else ""
        small_environment = django_environment(small_url, options.settings, small_cache)
        if not options.skip_setup:
            timings.update(setup_small(small_environment))
    credentials = prepare(environment, "issue", options.user)
    cookie = f"{credentials['session_cookie_name']}={credentials['session_cookie']}"
    targets = [
        Target("healthz", "/healthz"),
        Target(
            "api_me",
            "/api/v1/accounts/me",
            {"Authorization": f"Bearer {credentials['token']}", "Accept": "application/json"},
        ),
        Target("dashboard", "/dashboard/", {"Cookie": cookie, "Accept": "text/html"}),
    ]
    learner = prepare(environment, "academy", "-")
    learner_credentials = prepare(environment, "issue", learner["email"])
    targets += academy_targets(learner, learner_credentials)
    bench_event = prepare(environment, "events", str(options.event_people))
    targets.append(
        Target("event_page", f"/events/{bench_event['event_slug']}/", {"Accept": "text/html"})
    )
    community: dict[str, Any] = {}
    if not options.no_community:
        community = prepare(environment, "community", "50", timeout=600)
        log(f"community reader: {community['follows']} follows; 50 authors")
        targets += community_load.read_targets(community)
    concurrent: list[dict[str, Any]] = []
    community_results: dict[str, Any] = {}
    port = free_port()
    try:
        with gunicorn(environment, port, options.workers) as server:
            log(f"gunicorn: {options.workers} sync workers on 127.0.0.1:{port}")
            database = urlsplit(database_url).path.lstrip("/") if engine == "postgresql" else ""
            results = measure(
                port,
                targets,
                CpuMeter(server_group=server.pid, database=database),
                rates=options.rates,
                duration=options.duration,
                warmup=options.warmup,
                timeout=options.timeout,
            )
            # A target the server could not keep up with may leave requests running after the
            # generator gave up on them: let them finish before the closed loop starts.
            if not community_load.drain(port):
                log("Warning: the server was still busy before the registrations phase.")
            concurrent = measure_registrations(port, bench_event, options.event_clients)
            if community:
                community_results = measure_community(port, community, options)
        if community:
            small = measure_small(small_environment, community, options)
            if community_results["sizes"] and small:
                community_results["size_ratio"] = community_load.compare_sizes(
                    community_results["sizes"], small
                )
            community_results["sizes"] += small
    finally:
        try:
            prepare(environment, "revoke", options.user)
            prepare(environment, "revoke", learner["email"])
            prepare(environment, "events-revoke", "-")
            if small_environment:
                prepare(small_environment, "community-revoke", "-")
        except (subprocess.SubprocessError, OSError) as error:
            log(f"Could not revoke the benchmark token: {error}")
    with_ratios(results)
    report = {
        "timestamp": started.isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": engine,
        "database_url": redacted(database_url),
        "cache": redacted(cache_url) if cache_url else "database",
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "server": {
            "gunicorn_workers": options.workers,
            "worker_class": "sync",
            "settings": options.settings,
        },
        "load": {
            "rates": options.rates,
            "duration_s": options.duration,
            "warmup_s": options.warmup,
            "timeout_s": options.timeout,
            "model": "open loop, fixed arrival rate",
        },
        "user": options.user,
        "setup_seconds": timings,
        "targets": results,
        "concurrent": concurrent,
        "community": community_results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}-{engine}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print()
    print(
        f"Townsquare benchmark: {engine}, {options.workers} gunicorn workers, "
        f"{options.rate} req/s offered, {options.duration:g} s per target"
    )
    print(
        "x: ratio to the healthz baseline at the same rate. cpu: how busy the machine's CPUs were "
        "during the phase;\nother: the part of that used by processes other than the server, its "
        "database and the generator."
    )
    print(table(results))
    for result in results:
        if result["warning"]:
            print(
                f"Note ({result['name']} at {result['offered_rate']:g} req/s): {result['warning']}."
            )
    if any(result["errors"] for result in results):
        print(
            "Errors are failed or unanswered requests (see error_kinds in the JSON); above a "
            "target's capacity they are timeouts of requests that queued too long."
        )
    print(concurrent_table(concurrent))
    if community_results:
        print(
            community_load.community_table(
                community_results["capacity"],
                community_results["posting"],
                community_results["searching"],
                community_results["sizes"],
                community_results.get("size_ratio"),
            )
        )
    print(f"\nResults: {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        log("Interrupted; gunicorn is stopped.")
        raise SystemExit(130) from None
