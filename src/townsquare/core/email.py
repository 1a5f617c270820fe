"""Outgoing email always goes through a background task queued after the transaction commits."""

from __future__ import annotations

from django.db import transaction

from .tasks import send_email


def email_queue(
    *, to: list[str], subject: str, body: str, html_body: str = "", from_email: str | None = None
) -> None:
    """Queue a message; nothing is sent if the surrounding transaction rolls back."""
    kwargs = {
        "to": list(to),
        "subject": subject,
        "body": body,
        "html_body": html_body,
        "from_email": from_email,
    }
    transaction.on_commit(lambda: send_email.delay(**kwargs))
