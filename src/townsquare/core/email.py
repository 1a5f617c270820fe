"""Outgoing email always goes through a background task queued after the transaction commits."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db import transaction

from .tasks import send_email


class Attachment(TypedDict):
    filename: str
    content: str
    mimetype: str


def email_queue(
    *,
    to: list[str],
    subject: str,
    body: str,
    html_body: str = "",
    from_email: str | None = None,
    attachments: list[Attachment] | None = None,
) -> None:
    """Queue a message; nothing is sent if the surrounding transaction rolls back.

    Attachments are text (an ``.ics`` calendar, a CSV), so the task's arguments stay JSON."""
    kwargs: dict[str, Any] = {
        "to": list(to),
        "subject": subject,
        "body": body,
        "html_body": html_body,
        "from_email": from_email,
    }
    if attachments:
        kwargs["attachments"] = [dict(attachment) for attachment in attachments]
    transaction.on_commit(lambda: send_email.delay(**kwargs))
