"""Shared pieces of the permission matrices: every page and endpoint against every role.

Each app keeps its matrix in ``townsquare.<app>.tests.test_permission_matrix*.py`` (an app may
split it by area, e.g. ``test_permission_matrix_catalog.py``). A matrix module owns its ``ROLES``,
a ``world`` fixture (with a ``people`` mapping from role to user, ``None`` for anonymous), its
rows, a ``fill(template, world)`` that puts the world's ids into ``{placeholders}`` of paths and
values, and a ``state()`` snapshot of whatever a refused write must not change. The rows are
module-level lists of tuples; ``expected`` maps every role to one of the statuses below:

``PAGES``       ``(name, method, path, expected)``  page reads; ``name`` is the URL name,
                optionally followed by a space and a note (``"accounts:person_detail (patient)"``)
``WRITES``      ``(name, path, data, expected)``  form posts; ``data`` is the form (or, where
                the module says so, a callable returning it, e.g. for uploads)
``API``         ``(method, path, body, expected)``  API reads
``API_WRITES``  ``(method, path, body, expected)``  JSON writes; ``body`` may be ``None``

Test ids are ``"<name>"`` for pages and writes (``page_ids``) and ``"<method> <path>"`` for the
API (``api_ids``), each followed by pytest's ``-<role>``. Expected statuses are HTTP status codes,
plus ``REDIRECT_LOGIN`` for a 302 to the sign-in page.

``core/tests/test_matrix_coverage.py`` imports every ``test_permission_matrix*`` module of every
app and reads these four lists: every named URL (the part of a ``PAGES`` or ``WRITES`` name
before the first space) must appear in some module, and there must be at least as many
``API``/``API_WRITES`` rows as API operations, so a new page or endpoint cannot ship without its
row. Keep all four lists, even empty (``API_WRITES: list[tuple] = []``).

The tests stay in the modules (``test_pages``, ``test_page_writes``, ``test_api_reads``,
``test_api_writes``): they send the request and hand the response to ``assert_page``,
``assert_page_write``, ``assert_api_read`` or ``assert_api_write``. Which expected statuses count
as "nothing changed", whether an allowed write must change something, whether a 403 must be
audited (an ``access.refused`` record), and what an API refusal's body must say differ between
modules, so those are keyword arguments; the defaults are those of the accounts matrix.

The helpers raise ``AssertionError`` themselves, with the response body in the message, because
pytest rewrites ``assert`` only in test modules.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from django.test import Client

from townsquare.core.models import AuditRecord

if TYPE_CHECKING:
    from townsquare.accounts.models import User

OK, REDIRECT_LOGIN, DENIED, MISSING = 200, "login", 403, 404
NOT_AUTHENTICATED = 401
PROBLEM_JSON = "application/problem+json"
REFUSAL_CODES = frozenset({"permission-denied", "not-authenticated"})

# Expected statuses after which a write must have left ``state()`` as it was (the defaults).
PAGE_WRITE_REFUSALS: tuple[Any, ...] = (DENIED, MISSING, REDIRECT_LOGIN, 422)
API_WRITE_REFUSALS: tuple[Any, ...] = (DENIED, NOT_AUTHENTICATED)


class World(Protocol):
    @property
    def people(self) -> Mapping[str, User | None]: ...


def client_as(world: World, role: str) -> Client:
    """A test client signed in as the world's person for ``role`` (anonymous when ``None``)."""
    client = Client()
    person = world.people[role]
    if person is not None:
        client.force_login(person)
    return client


def page_ids(rows: Sequence[Sequence[Any]]) -> list[str]:
    """Test ids for ``PAGES`` and ``WRITES``: the row's name."""
    return [row[0] for row in rows]


def api_ids(rows: Sequence[Sequence[Any]]) -> list[str]:
    """Test ids for ``API`` and ``API_WRITES``: ``"<method> <path>"``."""
    return [f"{row[0]} {row[1]}" for row in rows]


def send_json(client: Client, method: str, path: str, body: Any) -> Any:
    """``method`` on ``path`` with ``body`` as JSON (no body at all when ``body`` is ``None``)."""
    return getattr(client, method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
    )


def _body(response: Any) -> bytes | str:
    if getattr(response, "streaming", False):
        return "<streaming response>"
    return bytes(response.content[:300])


def check_status(response: Any, expected: Any) -> None:
    """The response has the ``expected`` status; ``REDIRECT_LOGIN`` means a 302 to sign in."""
    if expected == REDIRECT_LOGIN:
        if response.status_code != 302:
            raise AssertionError(
                f"expected a redirect to sign in, got {response.status_code}: {_body(response)!r}"
            )
        location = response["Location"]
        if "/accounts/login/" not in location:
            raise AssertionError(f"expected a redirect to sign in, got one to {location!r}")
    elif response.status_code != expected:
        raise AssertionError(
            f"expected {expected}, got {response.status_code}: {_body(response)!r}"
        )


def assert_refusal_audited(expected: Any) -> None:
    """When ``expected`` is ``DENIED``, an ``access.refused`` audit record exists."""
    if expected == DENIED and not AuditRecord.objects.filter(action="access.refused").exists():
        raise AssertionError("a 403 was not audited: no 'access.refused' record")


def _assert_unchanged(expected: Any, before: Any, after: Any) -> None:
    if after != before:
        raise AssertionError(
            f"a write answered {expected!r} but changed the state:\n"
            f"before: {before!r}\nafter:  {after!r}"
        )


def assert_page(response: Any, expected: Any) -> None:
    """A page read: the status, and a 403 is audited."""
    check_status(response, expected)
    assert_refusal_audited(expected)


def assert_page_write(
    response: Any,
    expected: Any,
    before: Any,
    after: Any,
    *,
    unchanged: Collection[Any] = PAGE_WRITE_REFUSALS,
    changed_otherwise: bool = False,
    audited: bool = False,
) -> None:
    """A form post: the status; for an ``expected`` in ``unchanged``, ``state()`` ``before`` and
    ``after`` are equal; with ``changed_otherwise``, any other ``expected`` must have changed it;
    with ``audited``, a 403 is audited."""
    check_status(response, expected)
    if expected in unchanged:
        _assert_unchanged(expected, before, after)
    elif changed_otherwise and after == before:
        raise AssertionError(f"a write answered {expected!r} but changed nothing: {after!r}")
    if audited:
        assert_refusal_audited(expected)


def assert_api_read(response: Any, expected: Any, *, json_body: bool = False) -> None:
    """An API read: the status, and an error is ``application/problem+json``; with
    ``json_body``, a success's body parses as JSON."""
    check_status(response, expected)
    if response.status_code >= 400:
        _assert_problem_json(response)
    elif json_body:
        try:
            json.loads(response.content)
        except ValueError as error:
            raise AssertionError(f"the body is not JSON ({error}): {_body(response)!r}") from None


def _assert_problem_json(response: Any) -> None:
    if response["Content-Type"] != PROBLEM_JSON:
        raise AssertionError(
            f"expected {PROBLEM_JSON}, got {response['Content-Type']!r}: {_body(response)!r}"
        )


def assert_api_write(
    response: Any,
    expected: Any,
    before: Any,
    after: Any,
    *,
    unchanged: Collection[Any] = API_WRITE_REFUSALS,
    problem_for: Collection[Any] = (),
    code_for: Collection[Any] = API_WRITE_REFUSALS,
    codes: Collection[str] = REFUSAL_CODES,
    audited: bool = True,
) -> None:
    """An API write: the status; for an ``expected`` in ``unchanged``, ``state()`` ``before`` and
    ``after`` are equal; in ``problem_for``, the body is ``application/problem+json``; in
    ``code_for``, its ``code`` is one of ``codes``; with ``audited``, a 403 is audited."""
    check_status(response, expected)
    if expected in unchanged:
        _assert_unchanged(expected, before, after)
    if expected in problem_for:
        _assert_problem_json(response)
    if expected in code_for:
        code = response.json()["code"]
        if code not in codes:
            raise AssertionError(f"expected a code in {sorted(codes)}, got {code!r}")
    if audited:
        assert_refusal_audited(expected)
