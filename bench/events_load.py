"""Many clients at once against one event: how many registrations a second the server confirms.

The open loop of ``loadgen.py`` sends one fixed request at a fixed rate. Registering is different:
every request must come from a different person (one registration per person and event), and the
question is how many the server completes while ``clients`` of them are in flight at every moment,
all for the same event, so all of them queue on that event's lock. So here each of ``clients``
greenlets takes the next person's request from a shared list as soon as its previous one is
answered (a closed loop, on purpose: the figure is throughput under a fixed concurrency, not the
latency users would see at a given arrival rate). The baseline (``/healthz``) is driven the same
way, with the same number of clients and requests, in the same run, for the ratio.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import gevent
import gevent.pool
from geventhttpclient import HTTPClient
from loadgen import percentile


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes = b""
    expected: frozenset[int] = frozenset({200})


def registration_calls(event_id: int, ticket_type_id: int, tokens: list[str]) -> list[Call]:
    body = json.dumps({"ticket_type_id": ticket_type_id, "answers": {}}).encode()
    return [
        Call(
            "POST",
            f"/api/v1/events/{event_id}/registrations",
            {
                "Authorization": f"Bearer {token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
                "Idempotency-Key": f"bench-{index}",
            },
            body,
            frozenset({201}),
        )
        for index, token in enumerate(tokens)
    ]


def closed_loop(
    port: int, name: str, calls: list[Call], *, clients: int, timeout: float = 30.0
) -> dict[str, Any]:
    """Send every call with ``clients`` in flight at once; requests/s, latency, errors."""
    client = HTTPClient(
        "127.0.0.1",
        port,
        concurrency=clients,
        connection_timeout=timeout,
        network_timeout=timeout,
        headers={"User-Agent": "townsquare-bench"},
    )
    queue = iter(calls)
    latencies: list[float] = []
    outcomes: Counter[str] = Counter()

    def worker() -> None:
        for call in queue:
            started = time.perf_counter()
            try:
                response = client.request(
                    call.method, call.path, body=call.body, headers=call.headers
                )
                try:
                    response.read()
                    status = response.status_code
                finally:
                    response.release()
            except Exception as error:  # noqa: BLE001 - every failure is a data point
                outcomes[type(error).__name__] += 1
                continue
            outcomes[str(status)] += 1
            if status in call.expected:
                latencies.append((time.perf_counter() - started) * 1000)

    group = gevent.pool.Group()
    began = time.perf_counter()
    for _ in range(clients):
        group.spawn(worker)
    group.join()
    elapsed = time.perf_counter() - began
    client.close()
    latencies.sort()
    return {
        "name": name,
        "clients": clients,
        "requests": len(calls),
        "ok": len(latencies),
        "errors": len(calls) - len(latencies),
        "outcomes": dict(outcomes),
        "seconds": round(elapsed, 2),
        "achieved_rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(latencies, 0.50), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
    }


def with_ratio(result: dict[str, Any], baseline: dict[str, Any]) -> dict[str, Any]:
    result["ratio_to_baseline"] = {
        key: round(result[key] / baseline[key], 2) if baseline[key] else None
        for key in ("achieved_rps", "p50_ms", "p95_ms", "p99_ms")
    }
    return result
