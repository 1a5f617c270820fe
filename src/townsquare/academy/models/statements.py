"""xAPI statements: one per learning event, kept here and forwarded to an external LRS if set."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Verb(models.TextChoices):
    LAUNCHED = "launched", "launched"
    COMPLETED = "completed", "completed"
    PASSED = "passed", "passed"
    FAILED = "failed", "failed"
    EARNED = "earned", "earned"


VERB_IRIS = {
    Verb.LAUNCHED: "http://adlnet.gov/expapi/verbs/launched",
    Verb.COMPLETED: "http://adlnet.gov/expapi/verbs/completed",
    Verb.PASSED: "http://adlnet.gov/expapi/verbs/passed",
    Verb.FAILED: "http://adlnet.gov/expapi/verbs/failed",
    Verb.EARNED: "http://id.tincanapi.com/verb/earned",
}


class LearningStatement(models.Model):
    """An xAPI statement as sent; ``statement`` is the full JSON, ``id`` its statement id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=12, choices=Verb.choices)
    object_type = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    statement = models.JSONField()
    timestamp = models.DateTimeField(db_index=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forward_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["timestamp"]
        indexes = [
            models.Index(fields=["user", "timestamp"]),
            models.Index(fields=["object_type", "object_id", "verb"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.verb} {self.object_type}:{self.object_id}"
