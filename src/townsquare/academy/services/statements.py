"""xAPI statements for every learning event (launched, completed, passed, failed, earned).

Each statement is stored here, then, when ``XAPI_LRS_ENDPOINT`` is set, forwarded to that learning
record store by a background task queued after commit (see ``academy.tasks``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
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
        from ..tasks import statement_forward

        transaction.on_commit(lambda: statement_forward.delay(str(statement_id)))
    return record


_ACTIVITY_TYPES = {
    "course": "course",
    "lesson": "lesson",
    "quiz": "assessment",
    "program": "course",
    "credential": "badge",
    "cohort": "meeting",
}
