"""An open-loop HTTP load generator: requests start on a fixed schedule, however slow the replies.

Closed-loop tools (wrk, ab, locust users) send the next request only after the previous answer, so a
slow server slows the load down and hides its own queueing ("coordinated omission"). Here request
*i* is due at ``start + i / rate`` and is started then whether or not earlier ones have finished;
its latency is measured from that due time, so time spent waiting for a free connection or behind
a lagging generator counts against the server, as it would for a real user.

Each request runs in a gevent greenlet over geventhttpclient (locust's own HTTP client, C parser).
Everything is bounded: the number of requests is ``rate * duration``, each request has a timeout,
and requests still unanswered ``timeout`` seconds after the last one was due are abandoned and
counted as errors.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import gevent
import gevent.pool
from geventhttpclient import HTTPClient

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    expected_status: int = 200
    method: str = "GET"
    body: bytes = b""


@dataclass
class Sample:
    due: float
    started: float
    finished: float
    outcome: str  # the HTTP status code as text, or the exception's class name


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list (no interpolation)."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass
class Result:
    target: Target
    rate: float
    duration: float
    scheduled: int
    samples: list[Sample]
    window: float  # seconds from the first due time to the last answer

    @property
    def errors(self) -> Counter[str]:
        expected = str(self.target.expected_status)
        failures = Counter(s.outcome for s in self.samples if s.outcome != expected)
        unanswered = self.scheduled - len(self.samples)
        if unanswered:
            failures["unanswered"] += unanswered
        return failures

    def summary(self) -> dict[str, Any]:
        expected = str(self.target.expected_status)
        ok = sorted((s.finished - s.due) * 1000 for s in self.samples if s.outcome == expected)
        service = sorted(
            (s.finished - s.started) * 1000 for s in self.samples if s.outcome == expected
        )
        lag = max(((s.started - s.due) * 1000 for s in self.samples), default=0.0)
        return {
            "name": self.target.name,
            "path": self.target.path,
            "offered_rate": self.rate,
            "duration_s": self.duration,
            "scheduled": self.scheduled,
            "answered": len(self.samples),
            "ok": len(ok),
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "achieved_rps": round(len(ok) / self.window, 1) if self.window > 0 else 0.0,
            "p50_ms": round(percentile(ok, 0.50), 2),
            "p95_ms": round(percentile(ok, 0.95), 2),
            "p99_ms": round(percentile(ok, 0.99), 2),
            "max_ms": round(ok[-1], 2) if ok else math.nan,
            "mean_ms": round(sum(ok) / len(ok), 2) if ok else math.nan,
            "service_p50_ms": round(percentile(service, 0.50), 2),
            "service_p99_ms": round(percentile(service, 0.99), 2),
            "max_start_lag_ms": round(lag, 2),
        }


class OpenLoop:
    """Drives one loopback server; ``run`` is one fixed-rate phase against one target."""

    def __init__(
        self, host: str, port: int, *, timeout: float = 10.0, max_connections: int = 512
    ) -> None:
        if host not in LOOPBACK_HOSTS:
            raise ValueError(f"Refusing to load {host}: benchmarks target loopback only.")
        self.timeout = timeout
        self.client = HTTPClient(
            host,
            port,
            concurrency=max_connections,
            connection_timeout=timeout,
            network_timeout=timeout,
            headers={"User-Agent": "townsquare-bench"},
        )

    def close(self) -> None:
        self.client.close()

    def fetch(self, target: Target) -> tuple[int, bytes]:
        """One request, for checks before the load starts."""
        response = self._send(target)
        try:
            return response.status_code, response.read()
        finally:
            response.release()

    def _send(self, target: Target) -> Any:
        if target.method == "GET":
            return self.client.get(target.path, headers=target.headers)
        return self.client.request(
            target.method, target.path, body=target.body, headers=target.headers
        )

    def _one(self, target: Target, due: float, samples: list[Sample]) -> None:
        started = time.perf_counter()
        try:
            response = self._send(target)
            try:
                response.read()
                outcome = str(response.status_code)
            finally:
                response.release()
        except Exception as error:  # noqa: BLE001 - every failure is a data point
            outcome = type(error).__name__
        samples.append(Sample(due, started, time.perf_counter(), outcome))

    def run(self, target: Target, *, rate: float, duration: float) -> Result:
        scheduled = max(1, round(rate * duration))
        samples: list[Sample] = []
        group = gevent.pool.Group()
        start = time.perf_counter() + 0.05
        for index in range(scheduled):
            due = start + index / rate
            delay = due - time.perf_counter()
            # Behind schedule, still yield now and then so running requests make progress.
            gevent.sleep(delay if delay > 0 else 0)
            group.spawn(self._one, target, due, samples)
        last_due = start + (scheduled - 1) / rate
        group.join(timeout=max(0.0, last_due + self.timeout + 1 - time.perf_counter()))
        group.kill(block=True, timeout=5)
        window = max((s.finished for s in samples), default=start) - start
        return Result(target, rate, duration, scheduled, samples, window)
