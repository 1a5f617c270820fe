"""Academy background work: forwarding xAPI statements to the learning record store.

``statement_forward`` sends one statement (queued after commit by ``statement_record``) and retries
with exponential backoff while the LRS is unreachable or answers 5xx. ``statements_forward_pending``
re-queues whatever was never forwarded; run it periodically (Celery beat or cron), see
docs/academy.md, "Learning records (xAPI)".
"""

from __future__ import annotations

import random

from celery import shared_task

from .services import statements
from .services.statements import ForwardOutcome

MAX_RETRIES = 8
BACKOFF_SECONDS = 2.0  # the first retry after about 2 s, then 4, 8, ... up to BACKOFF_CAP_SECONDS
BACKOFF_CAP_SECONDS = 600.0
# Without a broker the task runs inline in the request that recorded the statement: there is no
# worker to wait out a backoff, so it tries a few times in a row and leaves the rest to the sweep.
INLINE_ATTEMPTS = 3


def backoff_seconds(retries: int) -> float:
    delay = min(BACKOFF_CAP_SECONDS, BACKOFF_SECONDS * 2**retries)
    return delay + random.uniform(0, delay / 4)  # noqa: S311 - jitter, not security


@shared_task(
    bind=True, name="academy.statement_forward", max_retries=MAX_RETRIES, ignore_result=True
)
def statement_forward(self, statement_id: str) -> str:  # type: ignore[no-untyped-def]
    """Forward one statement; a statement already forwarded is skipped (idempotent)."""
    is_inline = bool(self.request.is_eager)
    for _attempt in range(INLINE_ATTEMPTS if is_inline else 1):
        outcome = statements.statement_forward_once(statement_id=statement_id)
        if outcome != ForwardOutcome.RETRY:
            return outcome.value
    if is_inline or self.request.retries >= self.max_retries:
        return "gave_up"  # forward_attempts and last_error say why; the sweep sends it later
    raise self.retry(countdown=backoff_seconds(self.request.retries))


@shared_task(name="academy.statements_forward_pending", ignore_result=True)
def statements_forward_pending(limit: int = 1000, older_than_minutes: float = 15) -> int:
    """Re-queue statements never forwarded (beat- and cron-friendly; overlapping runs are safe)."""
    from datetime import timedelta

    return statements.statements_forward_pending(
        limit=limit, older_than=timedelta(minutes=older_than_minutes)
    )
