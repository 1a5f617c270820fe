"""After registration: messages to attendees and the post-event evaluation survey."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from townsquare.core.models import TimeStampedModel

from .events import Event


class MessageAudience(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed attendees"
    WAITLISTED = "waitlisted", "People on the waiting list"
    ATTENDED = "attended", "People who attended"
    NOT_ATTENDED = "not_attended", "Confirmed people who did not attend"


class EventMessage(TimeStampedModel):
    """A message an organizer sent to the event's attendees; kept as a record of what was said."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(max_length=15, choices=MessageAudience.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text or Markdown.")
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class Feedback(TimeStampedModel):
    """One attendee's answers to the post-event evaluation survey (questions in the service)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="feedback_once")]

    def __str__(self) -> str:
        return f"Feedback by {self.user_id} on {self.event_id}"
