"""Many OS processes register for, and cancel at, one 100-seat event at the same moment.

The race runs in real processes (``race_runner.py``, started here as a subprocess) against a
scratch database of the engine under test: a SQLite file in a temporary directory, or a fresh
PostgreSQL database created next to ``TOWNSQUARE_TEST_DATABASE_URL`` and dropped afterwards. Each
engine's run of the suite covers its own engine: the SQLite race is skipped when the suite runs on
PostgreSQL and the other way round.

As pretix proves its quotas, the same race is run with the event lock switched off and must then
overbook, so we know the race is real and these tests can fail.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

CAPACITY = 100
PEOPLE = 150
WORKERS = 6  # two cores: a few processes, each registering 25 people one after another
PAUSE = "0.02"  # seconds between counting the free seats and writing, in every run
CANCELLERS = 10
WAITING = 30
RUNNER_TIMEOUT = 120

POSTGRES_URL = os.environ.get("TOWNSQUARE_TEST_DATABASE_URL", "")
ROOT = Path(__file__).resolve().parents[4]


def _run(database_url: str, *args: str) -> dict[str, Any]:
    environment = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "WARNING"}
    completed = subprocess.run(
        [sys.executable, "-m", "townsquare.events.tests.race_runner", *args],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=RUNNER_TIMEOUT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _postgres_server(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def race_database(request, tmp_path_factory) -> Iterator[str]:
    """A migrated scratch database of the engine this run of the suite is for."""
    if request.param == "sqlite":
        if POSTGRES_URL:
            pytest.skip("this run is on PostgreSQL; the SQLite race runs without it")
        url = f"sqlite:///{tmp_path_factory.mktemp('race') / 'race.sqlite3'}"
        _run(url, "migrate")
        yield url
        return
    if not POSTGRES_URL:
        pytest.skip("set TOWNSQUARE_TEST_DATABASE_URL to race on PostgreSQL")
    import psycopg
    from psycopg import sql

    name = f"ts_race_{secrets.token_hex(4)}"
    server = _postgres_server(POSTGRES_URL)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = urlunsplit(urlsplit(POSTGRES_URL)._replace(path=f"/{name}"))
    try:
        _run(url, "migrate")
        yield url
    finally:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture(scope="module")
def locked_race(race_database) -> dict[str, Any]:
    """150 people in 6 processes register at once for 100 seats, with the event lock."""
    return _run(
        race_database,
        "register",
        f"--workers={WORKERS}",
        f"--people={PEOPLE}",
        f"--capacity={CAPACITY}",
        f"--pause={PAUSE}",
    )


def _problems(report: dict[str, Any]) -> list[str]:
    return [
        outcome.get("error") or outcome["refused"]
        for outcome in report["outcomes"]
        if "error" in outcome or "refused" in outcome
    ]


def _statuses(report: dict[str, Any]) -> Counter[str]:
    return Counter(row["status"] for row in report["registrations"])


def test_exactly_the_capacity_is_confirmed_and_the_rest_wait_in_order(locked_race):
    report = locked_race
    assert _problems(report) == []
    assert len(report["outcomes"]) == PEOPLE
    assert _statuses(report) == {"confirmed": CAPACITY, "waitlisted": PEOPLE - CAPACITY}
    assert report["seats_taken"] == CAPACITY
    assert Counter(outcome["status"] for outcome in report["outcomes"]) == _statuses(report)
    # First come, first served: the 100 registrations written first hold the seats.
    written = [row["status"] for row in report["registrations"]]  # in id order
    assert written == ["confirmed"] * CAPACITY + ["waitlisted"] * (PEOPLE - CAPACITY)
    # The waiting list, in waitlisted_at order, is numbered 1 to 50 without gaps.
    assert [entry["position"] for entry in report["waitlist"]] == list(
        range(1, PEOPLE - CAPACITY + 1)
    )
    positions = [o["position"] for o in report["outcomes"] if o["status"] == "waitlisted"]
    assert all(1 <= position <= PEOPLE - CAPACITY for position in positions)
    assert not [o for o in report["outcomes"] if o["status"] == "confirmed" and o["position"]]


def test_the_waiting_list_keeps_the_order_people_were_placed_in(locked_race):
    waiting = [o for o in locked_race["outcomes"] if o["status"] == "waitlisted"]
    # Each person was told a different place, and the list keeps the order of placing.
    assert sorted(o["position"] for o in waiting) == list(range(1, PEOPLE - CAPACITY + 1))
    in_list_order = [entry["id"] for entry in locked_race["waitlist"]]
    assert in_list_order == sorted(in_list_order)


def test_without_the_lock_the_same_race_overbooks(race_database):
    report = _run(
        race_database,
        "register",
        "--no-lock",
        f"--workers={WORKERS}",
        f"--people={PEOPLE}",
        f"--capacity={CAPACITY}",
        f"--pause={PAUSE}",
    )
    assert len(report["outcomes"]) == PEOPLE
    assert _statuses(report)["confirmed"] > CAPACITY
    assert report["seats_taken"] > CAPACITY


def test_concurrent_cancellations_each_offer_one_seat_to_the_next_in_line(race_database):
    report = _run(
        race_database,
        "cancel",
        f"--workers={CANCELLERS}",
        f"--capacity={CAPACITY}",
        f"--waiting={WAITING}",
    )
    assert _problems(report) == []
    assert sorted(o["registration"] for o in report["outcomes"]) == sorted(report["cancelled_ids"])
    assert {o["status"] for o in report["outcomes"]} == {"cancelled"}
    by_id = {row["id"]: row for row in report["registrations"]}
    line = report["waitlist_before"]
    offered = sorted(row["id"] for row in report["registrations"] if row["status"] == "offered")
    # Exactly one offer per freed seat, to the first ten in line, each made once.
    assert offered == line[:CANCELLERS]
    assert report["offer_audit_targets"] == offered
    assert all(by_id[pk]["offer_expires_at"] for pk in offered)
    assert _statuses(report) == {
        "confirmed": CAPACITY - CANCELLERS,
        "offered": CANCELLERS,
        "cancelled": CANCELLERS,
        "waitlisted": WAITING - CANCELLERS,
    }
    assert report["seats_taken"] == CAPACITY
    assert [entry["id"] for entry in report["waitlist"]] == line[CANCELLERS:]
    assert [entry["position"] for entry in report["waitlist"]] == list(
        range(1, WAITING - CANCELLERS + 1)
    )


def test_a_request_repeated_by_several_processes_makes_one_registration(race_database):
    report = _run(race_database, "repeat", f"--workers={WORKERS}", f"--capacity={CAPACITY}")
    assert _problems(report) == []
    assert len(report["registrations"]) == 1
    registration = report["registrations"][0]
    assert registration["status"] == "confirmed"
    assert registration["request_key"] == "race-repeat-0001"
    assert {o["registration"] for o in report["outcomes"]} == {registration["id"]}
    assert sorted(o["created"] for o in report["outcomes"]) == [False] * (WORKERS - 1) + [True]
