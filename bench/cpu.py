"""Where the machine's CPU went during a phase: our server, our database, the generator, the rest.

Read from Linux's /proc: the whole machine from /proc/stat, each process from /proc/<pid>/stat.
The server is gunicorn's process group; the database is the PostgreSQL backends whose process
title names the benchmark database; the generator is this process. "Other" is everything else:
other people's test suites, builds, and PostgreSQL work for other databases. Where /proc is
missing (not Linux) every figure is None.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

GROUPS = ("server", "database", "generator")


@dataclass(frozen=True)
class Snapshot:
    at: float
    busy_seconds: float  # all CPUs, everything but idle and iowait
    group_seconds: dict[str, float]


class CpuMeter:
    def __init__(self, *, server_group: int | None = None, database: str = "") -> None:
        self.server_group = server_group
        self.database = database.encode()
        self.cpus = os.cpu_count() or 1
        self.ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def _machine_busy(self) -> float | None:
        try:
            with open("/proc/stat") as stat:
                values = [int(value) for value in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        return (sum(values) - values[3] - values[4]) / self.ticks

    def _group_of(self, pid: int, process_group: int) -> str | None:
        if pid == os.getpid():
            return "generator"
        if self.server_group is not None and process_group == self.server_group:
            return "server"
        if self.database:
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                return None
            # PostgreSQL backends retitle themselves "postgres: user database host activity".
            if title.startswith(b"postgres: ") and b" " + self.database + b" " in title:
                return "database"
        return None

    def snapshot(self) -> Snapshot | None:
        busy = self._machine_busy()
        if busy is None:
            return None
        groups = dict.fromkeys(GROUPS, 0.0)
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            group = self._group_of(int(entry.name), int(fields[2]))
            if group is not None:
                groups[group] += (int(fields[11]) + int(fields[12])) / self.ticks
        return Snapshot(time.monotonic(), busy, groups)

    def shares(self, before: Snapshot | None, after: Snapshot | None) -> dict[str, float | None]:
        """Each group's CPU time over the machine's capacity (CPUs x wall time) between two
        snapshots; ``busy`` is the whole machine, ``other`` what no group of ours used."""
        if before is None or after is None or after.at <= before.at:
            return {"busy": None, **dict.fromkeys(GROUPS), "other": None}
        capacity = self.cpus * (after.at - before.at)
        used = {
            group: max(0.0, after.group_seconds[group] - before.group_seconds[group])
            for group in GROUPS
        }
        busy = after.busy_seconds - before.busy_seconds
        result: dict[str, float | None] = {"busy": round(min(1.0, busy / capacity), 2)}
        result |= {group: round(seconds / capacity, 2) for group, seconds in used.items()}
        result["other"] = round(max(0.0, busy - sum(used.values())) / capacity, 2)
        return result

    def quiet(self, *, limit: float = 30.0, threshold: float = 0.2) -> dict[str, float | None]:
        """Wait (at most ``limit`` s) until the machine is quiet: one second in which the CPUs
        were less than ``threshold`` busy. Returns the last second's shares."""
        deadline = time.monotonic() + limit
        while True:
            before = self.snapshot()
            time.sleep(1.0)
            shares = self.shares(before, self.snapshot())
            busy = shares["busy"]
            if busy is None or busy < threshold or time.monotonic() > deadline:
                return shares
