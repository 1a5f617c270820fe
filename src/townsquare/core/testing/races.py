"""Races in tests: several calls started at the same moment, each in its own thread and
database connection (PostgreSQL; on SQLite every writer queues for the whole database)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

TIMEOUT = 60


def run_at_once(*calls: Callable[[], Any], timeout: float = TIMEOUT) -> list[Any]:
    """Run the calls at once; each one's result, or the error it met, in the calls' order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test reads what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results
