"""A small, real learning record store for tests: an HTTP server on 127.0.0.1 in a thread.

It implements the part of the xAPI statements resource Townsquare uses, ``PUT ?statementId=``:
it checks the ``X-Experience-API-Version`` header and HTTP Basic credentials, stores statements by
id (the same id again: 204 if identical, 409 if different, as the specification says), and can be
told to fail the next requests with a given status to play an outage.
"""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

USERNAME = "townsquare"
PASSWORD = "lrs-test-password"  # noqa: S105 - a test server's password


@dataclass
class LrsState:
    username: str = USERNAME
    password: str = PASSWORD
    statements: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Every request as (method, status answered, statement id or "").
    requests: list[tuple[str, int, str]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, count: int, status: int = 503) -> None:
        with self.lock:
            self.failures.extend([status] * count)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
        pass  # keep the test output clean

    def _answer(self, status: int, body: bytes = b"", statement_id: str = "") -> None:
        self.server.state.requests.append((self.command, status, statement_id))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Experience-API-Version", "1.0.3")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def _authorized(self) -> bool:
        state = self.server.state
        expected = base64.b64encode(f"{state.username}:{state.password}".encode()).decode()
        return self.headers.get("Authorization", "") == f"Basic {expected}"

    def do_PUT(self) -> None:  # noqa: N802 - http.server's naming
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        parts = urlsplit(self.path)
        statement_id = parse_qs(parts.query).get("statementId", [""])[0]
        with state.lock:
            failure = state.failures.pop(0) if state.failures else None
        if failure is not None:
            self._answer(failure, b"unavailable", statement_id)
        elif not self._authorized():
            self._answer(401, b"bad credentials", statement_id)
        elif not self.headers.get("X-Experience-API-Version", "").startswith("1.0."):
            self._answer(400, b"missing or unsupported X-Experience-API-Version", statement_id)
        elif self.headers.get("Content-Type", "").split(";")[0] != "application/json":
            self._answer(400, b"statements are JSON", statement_id)
        elif not statement_id:
            self._answer(400, b"statementId is required", statement_id)
        else:
            try:
                statement = json.loads(body)
            except ValueError:
                self._answer(400, b"invalid JSON", statement_id)
                return
            if statement.get("id", statement_id) != statement_id:
                self._answer(400, b"id and statementId differ", statement_id)
                return
            with state.lock:
                stored = state.statements.setdefault(statement_id, statement)
            self._answer(204 if stored == statement else 409, b"", statement_id)

    def do_POST(self) -> None:  # noqa: N802
        self._answer(405, b"this test LRS takes PUT only")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: LrsState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@dataclass
class RunningLrs:
    state: LrsState
    endpoint: str

    @property
    def statements(self) -> dict[str, dict[str, Any]]:
        return self.state.statements

    @property
    def requests(self) -> list[tuple[str, int, str]]:
        return self.state.requests

    def fail_next(self, count: int, status: int = 503) -> None:
        self.state.fail_next(count, status)


@contextmanager
def running_lrs() -> Iterator[RunningLrs]:
    """Start the LRS on a free loopback port; its statements endpoint is ``.endpoint``."""
    server = _Server(LrsState())
    thread = threading.Thread(target=server.serve_forever, name="test-lrs", daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield RunningLrs(server.state, f"http://127.0.0.1:{port}/xapi/statements")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
