"""xAPI statements for every learning event (launched, completed, passed, failed, earned).

Each statement is stored here, then, when ``XAPI_LRS_ENDPOINT`` is set, forwarded to that learning
record store by a background task queued after commit (see ``academy.tasks``). Forwarding uses the
idempotent form of the xAPI statements resource, ``PUT {endpoint}?statementId={id}``, so sending
the same statement twice (a retry after a lost answer, a re-send after an outage) stores it once.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from townsquare.accounts.models import User

from ..models import VERB_IRIS, LearningStatement, Verb


def activity_iri(object_type: str, object_id: int) -> str:
    """A stable IRI for an academy object (course, lesson, quiz, program, credential)."""
    return f"{settings.SITE_URL.rstrip('/')}/xapi/activities/{object_type}/{object_id}"


def _actor(user: User) -> dict[str, Any]:
    # The account (home page + opaque id), not the email: statements may leave for an outside LRS.
    return {
        "objectType": "Agent",
        "account": {"homePage": settings.SITE_URL.rstrip("/"), "name": str(user.pk)},
    }


def statement_record(
    *,
    user: User,
    verb: str,
    object_type: str,
    object_id: int,
    name: str,
    score: Decimal | None = None,
    success: bool | None = None,
    completion: bool | None = None,
    parent: tuple[str, int] | None = None,
) -> LearningStatement:
    """Store one xAPI statement in the current transaction and queue it for the LRS."""
    statement_id = uuid.uuid4()
    now = timezone.now()
    statement: dict[str, Any] = {
        "id": str(statement_id),
        "actor": _actor(user),
        "verb": {"id": VERB_IRIS[Verb(verb)], "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": activity_iri(object_type, object_id),
            "definition": {
                "name": {"en-US": name},
                "type": f"http://adlnet.gov/expapi/activities/{_ACTIVITY_TYPES[object_type]}",
            },
        },
        "timestamp": now.isoformat(),
    }
    result: dict[str, Any] = {}
    if score is not None:
        result["score"] = {"scaled": float(score / 100), "raw": float(score), "min": 0, "max": 100}
    if success is not None:
        result["success"] = success
    if completion is not None:
        result["completion"] = completion
    if result:
        statement["result"] = result
    if parent is not None:
        statement["context"] = {
            "contextActivities": {"parent": [{"id": activity_iri(*parent)}]},
        }
    record = LearningStatement.objects.create(
        id=statement_id,
        user=user,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        statement=statement,
        timestamp=now,
    )
    if settings.XAPI_LRS_ENDPOINT:
        # robust: without a broker the task runs inline, and an LRS outage must never turn the
        # learner's request into an error; the statement stays unforwarded for the next re-send.
        transaction.on_commit(lambda: _queue_forward(str(statement_id)), robust=True)
    return record


def _queue_forward(statement_id: str) -> None:
    from ..tasks import statement_forward

    statement_forward.delay(statement_id)


_ACTIVITY_TYPES = {
    "course": "course",
    "lesson": "lesson",
    "quiz": "assessment",
    "program": "course",
    "credential": "badge",
    "cohort": "meeting",
}


# --- Forwarding to the learning record store ------------------------------------------------------

XAPI_VERSION = "1.0.3"
logger = logging.getLogger(__name__)


class ForwardOutcome(StrEnum):
    SENT = "sent"  # the LRS stored it (204), or already had it (409)
    ALREADY_FORWARDED = "already_forwarded"  # forwarded_at was set: nothing sent
    MISSING = "missing"  # no such statement
    NOT_CONFIGURED = "not_configured"  # XAPI_LRS_ENDPOINT is empty
    RETRY = "retry"  # network error, 429 or 5xx: worth trying again later
    REFUSED = "refused"  # any other 4xx: retrying the same request cannot help


def _record_attempt(statement_id: str, *, error: str, forwarded: bool) -> None:
    changes: dict[str, Any] = {
        "forward_attempts": F("forward_attempts") + 1,
        "last_error": error[:500],
    }
    if forwarded:
        changes["forwarded_at"] = timezone.now()
    LearningStatement.objects.filter(pk=statement_id).update(**changes)


def statement_forward_once(*, statement_id: str) -> ForwardOutcome:
    """Send one stored statement to the LRS once and record the attempt; never raises for HTTP.

    The request is made outside any transaction: no row stays locked while the LRS answers.
    """
    if not settings.XAPI_LRS_ENDPOINT:
        return ForwardOutcome.NOT_CONFIGURED
    record = LearningStatement.objects.filter(pk=statement_id).only("statement", "forwarded_at")
    statement = record.first()
    if statement is None:
        return ForwardOutcome.MISSING
    if statement.forwarded_at is not None:
        return ForwardOutcome.ALREADY_FORWARDED
    try:
        response = requests.put(
            settings.XAPI_LRS_ENDPOINT,
            params={"statementId": str(statement.pk)},
            json=statement.statement,
            headers={"X-Experience-API-Version": XAPI_VERSION},
            auth=(settings.XAPI_LRS_USERNAME, settings.XAPI_LRS_PASSWORD),
            timeout=settings.XAPI_LRS_TIMEOUT,
        )
    except requests.RequestException as error:
        _record_attempt(
            str(statement.pk), error=f"{type(error).__name__}: {error}", forwarded=False
        )
        return ForwardOutcome.RETRY
    status = response.status_code
    if status < 300 or status == 409:  # 409: the LRS already holds a statement with this id
        _record_attempt(str(statement.pk), error="", forwarded=True)
        return ForwardOutcome.SENT
    answer = f"HTTP {status}: {response.text[:200].strip()}"
    _record_attempt(str(statement.pk), error=answer, forwarded=False)
    if status >= 500 or status in {408, 429}:
        return ForwardOutcome.RETRY
    logger.warning("The LRS refused statement %s: %s", statement.pk, answer)
    return ForwardOutcome.REFUSED


def statements_pending(*, older_than: timedelta = timedelta(0)) -> Any:
    """Statements never forwarded, oldest first (those newer than ``older_than`` left out)."""
    return LearningStatement.objects.filter(
        forwarded_at__isnull=True, timestamp__lte=timezone.now() - older_than
    ).order_by("timestamp", "pk")


def statements_forward_pending(
    *, limit: int = 1000, older_than: timedelta = timedelta(minutes=15)
) -> int:
    """Queue a forward for up to ``limit`` statements never forwarded; returns how many.

    For after an LRS outage, a wrong password since fixed, or a worker that was down. Statements
    younger than ``older_than`` are left to the retries already under way. Sending one twice is
    harmless (the PUT is idempotent), so overlapping runs do no damage.
    """
    if not settings.XAPI_LRS_ENDPOINT:
        return 0
    from ..tasks import statement_forward

    ids = list(statements_pending(older_than=older_than).values_list("pk", flat=True)[:limit])
    for statement_id in ids:
        statement_forward.delay(str(statement_id))
    return len(ids)
