"""Real OS processes racing for the seats of one event; run by ``test_registration_race.py``.

    DATABASE_URL=sqlite:////tmp/race.sqlite3 python -m townsquare.events.tests.race_runner migrate
    DATABASE_URL=... python -m townsquare.events.tests.race_runner register --workers 6 --people 150
    DATABASE_URL=... python -m townsquare.events.tests.race_runner register --no-lock ...
    DATABASE_URL=... python -m townsquare.events.tests.race_runner cancel --workers 10
    DATABASE_URL=... python -m townsquare.events.tests.race_runner repeat --workers 6

``DATABASE_URL`` names a scratch database (a SQLite file, or a PostgreSQL database the test
created); the test settings are used with it (fast password hashing, e-mail kept in memory,
tasks inline). Each scenario seeds its own event and people straight through the models, closes
the database connections, forks the workers (each opens its own connection), lines them up on a
barrier and lets them call the real service at once. When they are done the parent reads what
the database holds and prints one JSON document on the last line of stdout.

``--no-lock`` replaces ``registrations._seat_lock`` in the workers with a context manager that
reads the event without locking it: on PostgreSQL inside a plain transaction, on SQLite with no
surrounding transaction at all (SQLite's ``BEGIN IMMEDIATE`` is itself the lock there), so counting
the free seats and writing the registration are separate steps that other processes can come
between. ``--pause`` widens that window in both modes by sleeping after every seat count, so the
only difference between the two runs is the lock.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

CAPACITY = 100
BARRIER_TIMEOUT = 60


def _setup_django() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("Set DATABASE_URL to a scratch database.")
    os.environ["DJANGO_SETTINGS_MODULE"] = "townsquare.config.test_settings"
    # The test settings read their database from this variable.
    os.environ["TOWNSQUARE_TEST_DATABASE_URL"] = url
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per e-mail sent
    import django

    django.setup()


# --- Seeding --------------------------------------------------------------------------------------


def _people(label: str, count: int) -> list[int]:
    """``count`` members, inserted in bulk (the account service hashes, audits and indexes each)."""
    from townsquare.accounts.models import Role, User, UserRole

    stamp = f"{label}-{os.getpid()}-{time.monotonic_ns()}"
    users = User.objects.bulk_create(
        [
            User(email=f"racer{index}-{stamp}@example.org", display_name=f"Racer {index}")
            for index in range(count)
        ]
    )
    emails = [user.email for user in users]
    ids = dict(User.objects.filter(email__in=emails).values_list("email", "pk"))
    UserRole.objects.bulk_create(
        [UserRole(user_id=ids[email], role=Role.MEMBER) for email in emails]
    )
    return [ids[email] for email in emails]


def _event(capacity: int, waitlist_mode: str) -> tuple[int, int]:
    """A published members' event two weeks ahead with one free ticket type."""
    from django.utils import timezone

    from townsquare.academy.models import AccessTier

    from ..models import Event, EventFormat, EventStatus
    from .factories import make_ticket_type

    now = timezone.now()
    starts_at = (now + timedelta(days=14)).replace(microsecond=0)
    event = Event.objects.create(
        slug=f"race-{os.getpid()}-{time.monotonic_ns()}",
        title="The race",
        summary="Many people register at once.",
        format=EventFormat.WORKSHOP,
        status=EventStatus.PUBLISHED,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        capacity=capacity,
        access_tier=AccessTier.MEMBER,
        waitlist_mode=waitlist_mode,
        published_at=now,
    )
    ticket_type = make_ticket_type(event, name="General admission")
    return event.pk, ticket_type.pk


def _seed_registrations(
    event_id: int, ticket_type_id: int, people: list[int], confirmed: int
) -> list[int]:
    """The first ``confirmed`` people hold seats, the rest wait in order; returns the ids."""
    from django.utils import timezone

    from ..models import Order, OrderStatus, Registration, RegistrationStatus
    from ..services.registrations import ticket_code_new

    now = timezone.now() - timedelta(hours=1)
    Order.objects.bulk_create(
        [
            Order(
                event_id=event_id,
                buyer_id=person,
                reference=f"R{event_id:05d}{index:05d}"[:16],
                status=OrderStatus.FREE,
            )
            for index, person in enumerate(people)
        ]
    )
    order_ids = dict(Order.objects.filter(event_id=event_id).values_list("buyer_id", "pk"))
    rows = []
    for index, person in enumerate(people):
        is_confirmed = index < confirmed
        rows.append(
            Registration(
                event_id=event_id,
                ticket_type_id=ticket_type_id,
                order_id=order_ids[person],
                attendee_id=person,
                status=RegistrationStatus.CONFIRMED
                if is_confirmed
                else RegistrationStatus.WAITLISTED,
                confirmed_at=now if is_confirmed else None,
                waitlisted_at=None if is_confirmed else now + timedelta(milliseconds=index),
                ticket_code=ticket_code_new(),
            )
        )
    Registration.objects.bulk_create(rows)
    return list(
        Registration.objects.filter(event_id=event_id).order_by("pk").values_list("pk", flat=True)
    )


# --- Workers --------------------------------------------------------------------------------------


@contextmanager
def _read_without_locking(event_id: int) -> Iterator[Any]:
    from django.db import connection, transaction

    from ..models import Event

    if connection.vendor == "sqlite":
        yield Event.objects.get(pk=event_id)
    else:
        with transaction.atomic():
            yield Event.objects.get(pk=event_id)


def _patch(*, lock: bool, pause: float) -> None:
    from ..services import registrations

    if not lock:
        registrations._seat_lock = _read_without_locking  # type: ignore[assignment]
    if pause > 0:
        counted = registrations.seats_free

        def seats_free_then_pause(*args: Any, **kwargs: Any) -> int:
            free = counted(*args, **kwargs)
            time.sleep(pause)  # another process may act between this count and the write
            return free

        registrations.seats_free = seats_free_then_pause  # type: ignore[assignment]


Steps = list[Callable[[], dict[str, Any]]]


def _worker(
    job: Callable[[Any], Steps],
    payload: Any,
    barrier: Any,
    results: Any,
    lock: bool,
    pause: float,
) -> None:
    from django.db import connections

    try:
        _patch(lock=lock, pause=pause)
        prepared = job(payload)  # loads its rows before the start; each step is one call
        barrier.wait(timeout=BARRIER_TIMEOUT)
        outcomes = [step() for step in prepared]
    except Exception:  # noqa: BLE001 - a crash is a result the test must see
        outcomes = [{"error": traceback.format_exc(limit=5)}]
    finally:
        connections.close_all()
    results.put(outcomes)


def _run_workers(
    job: Callable[[Any], Steps], payloads: list[Any], *, lock: bool, pause: float
) -> tuple[list[dict[str, Any]], float]:
    import multiprocessing

    from django.db import connections

    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(payloads))
    results = context.Queue()
    connections.close_all()  # every child opens its own connection
    processes = [
        context.Process(target=_worker, args=(job, payload, barrier, results, lock, pause))
        for payload in payloads
    ]
    started = time.perf_counter()
    for process in processes:
        process.start()
    outcomes: list[dict[str, Any]] = []
    for _ in processes:
        outcomes += results.get(timeout=BARRIER_TIMEOUT * 2)
    for process in processes:
        process.join(timeout=BARRIER_TIMEOUT)
    elapsed = time.perf_counter() - started
    exit_codes = [process.exitcode for process in processes]
    if any(code != 0 for code in exit_codes):
        outcomes.append({"error": f"worker exit codes {exit_codes}"})
    return outcomes, elapsed


def _outcome(call: Callable[[], Any], person_id: int) -> dict[str, Any]:
    from townsquare.core.errors import DomainError

    try:
        result = call()
    except DomainError as error:
        return {"person": person_id, "refused": f"{type(error).__name__}: {error}"}
    except Exception:  # noqa: BLE001 - an unexpected error is what the test looks for
        return {"person": person_id, "error": traceback.format_exc(limit=5)}
    registration = getattr(result, "registration", result)
    return {
        "person": person_id,
        "registration": registration.pk,
        "status": registration.status,
        "created": getattr(result, "created", None),
        "position": getattr(result, "position", None),
    }


def _registering(payload: dict[str, Any]) -> list[Callable[[], dict[str, Any]]]:
    """Load the worker's people, event and ticket; each step registers one of them."""
    from functools import partial

    from townsquare.accounts.models import User

    from ..models import Event, TicketType
    from ..services import registrations

    event = Event.objects.get(pk=payload["event"])
    ticket_type = TicketType.objects.get(pk=payload["ticket_type"])
    people = list(User.objects.filter(pk__in=payload["people"]).order_by("pk"))
    key = payload.get("request_key", "")

    def register(person: User) -> dict[str, Any]:
        return _outcome(
            partial(
                registrations.registration_create,
                actor=person,
                event=event,
                ticket_type=ticket_type,
                request_key=key,
            ),
            person.pk,
        )

    return [partial(register, person) for person in people]


def _cancelling(payload: dict[str, Any]) -> list[Callable[[], dict[str, Any]]]:
    from functools import partial

    from ..models import Registration
    from ..services import registrations

    registration = Registration.objects.select_related("attendee", "event").get(
        pk=payload["registration"]
    )
    call = partial(
        registrations.registration_cancel,
        actor=registration.attendee,
        registration=registration,
        reason="Race test",
    )
    return [partial(_outcome, call, registration.attendee_id)]


# --- What the database holds afterwards -----------------------------------------------------------


def _state(event_id: int) -> dict[str, Any]:
    from townsquare.core.models import AuditRecord

    from ..models import Event, Registration, RegistrationStatus
    from ..services import registrations

    event = Event.objects.get(pk=event_id)
    rows = list(Registration.objects.filter(event_id=event_id).order_by("pk"))
    waiting = sorted(
        (row for row in rows if row.status == RegistrationStatus.WAITLISTED),
        key=lambda row: (row.waitlisted_at, row.pk),
    )
    ids = [str(row.pk) for row in rows]
    offers = AuditRecord.objects.filter(
        action="events.registration.offered", target_id__in=ids
    ).values_list("target_id", flat=True)
    return {
        "capacity": event.capacity,
        "seats_taken": registrations.seats_taken(event),
        "registrations": [
            {
                "id": row.pk,
                "person": row.attendee_id,
                "status": row.status,
                "request_key": row.request_key,
                "waitlisted_at": row.waitlisted_at.isoformat() if row.waitlisted_at else None,
                "offer_expires_at": (
                    row.offer_expires_at.isoformat() if row.offer_expires_at else None
                ),
            }
            for row in rows
        ],
        "waitlist": [
            {"id": row.pk, "position": registrations.waitlist_position(row)} for row in waiting
        ],
        "offer_audit_targets": sorted(int(target) for target in offers),
    }


# --- Scenarios ------------------------------------------------------------------------------------


def _split(items: list[int], parts: int) -> list[list[int]]:
    """Deal the items out like cards, so every worker has early and late arrivals."""
    return [items[index::parts] for index in range(parts)]


def scenario_register(options: argparse.Namespace) -> dict[str, Any]:
    from ..models import WaitlistMode

    event_id, ticket_type_id = _event(options.capacity, WaitlistMode.OFFER)
    people = _people("register", options.people)
    payloads = [
        {"event": event_id, "ticket_type": ticket_type_id, "people": share}
        for share in _split(people, options.workers)
    ]
    outcomes, elapsed = _run_workers(
        _registering, payloads, lock=not options.no_lock, pause=options.pause
    )
    return {"outcomes": outcomes, "seconds": round(elapsed, 2), **_state(event_id)}


def scenario_cancel(options: argparse.Namespace) -> dict[str, Any]:
    from ..models import WaitlistMode

    event_id, ticket_type_id = _event(options.capacity, WaitlistMode.OFFER)
    people = _people("cancel", options.capacity + options.waiting)
    registration_ids = _seed_registrations(event_id, ticket_type_id, people, options.capacity)
    # The cancelling people are spread over the confirmed ones, not the first K.
    step = options.capacity // options.workers
    payloads = [
        {"registration": registration_ids[index * step]} for index in range(options.workers)
    ]
    outcomes, elapsed = _run_workers(
        _cancelling, payloads, lock=not options.no_lock, pause=options.pause
    )
    return {
        "outcomes": outcomes,
        "seconds": round(elapsed, 2),
        "cancelled_ids": [payload["registration"] for payload in payloads],
        "waitlist_before": registration_ids[options.capacity :],
        **_state(event_id),
    }


def scenario_repeat(options: argparse.Namespace) -> dict[str, Any]:
    """One person's request sent by several processes at once with the same request key."""
    from ..models import WaitlistMode

    event_id, ticket_type_id = _event(options.capacity, WaitlistMode.OFFER)
    person = _people("repeat", 1)
    payloads = [
        {
            "event": event_id,
            "ticket_type": ticket_type_id,
            "people": person,
            "request_key": "race-repeat-0001",
        }
        for _ in range(options.workers)
    ]
    outcomes, elapsed = _run_workers(
        _registering, payloads, lock=not options.no_lock, pause=options.pause
    )
    return {"outcomes": outcomes, "seconds": round(elapsed, 2), **_state(event_id)}


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="race_runner", description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=["migrate", "register", "cancel", "repeat"])
    parser.add_argument("--workers", type=int, default=6, help="worker processes")
    parser.add_argument("--people", type=int, default=150, help="people registering (register)")
    parser.add_argument("--capacity", type=int, default=CAPACITY)
    parser.add_argument("--waiting", type=int, default=30, help="people waiting (cancel)")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds after each seat count")
    parser.add_argument("--no-lock", action="store_true", help="switch the event lock off")
    options = parser.parse_args(argv)
    if options.workers < 1 or options.workers > 64:
        parser.error("--workers takes 1 to 64")
    return options


def main(argv: list[str]) -> int:
    options = arguments(argv)
    _setup_django()
    if options.scenario == "migrate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        print(json.dumps({"migrated": True}))
        return 0
    scenarios = {
        "register": scenario_register,
        "cancel": scenario_cancel,
        "repeat": scenario_repeat,
    }
    report = scenarios[options.scenario](options)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
