"""Notification emails in the background. Each task takes ids (or a claim token), loads, and calls
a service that claims before it sends, so running a task twice sends nothing twice.

Periodic (Celery beat, or the ``notifications_tick`` command where there is no worker):
``notifications.send_digests`` with ``"daily"`` and with ``"weekly"``, and
``notifications.deliver_queued`` for immediate emails whose task was lost; every few minutes.
"""

from __future__ import annotations

from celery import shared_task

from .services import delivery


@shared_task(name="notifications.deliver", ignore_result=True)
def deliver(notification_id: int) -> bool:
    """Email one notification queued for immediate delivery (at most once)."""
    return delivery.deliver_once(notification_id=notification_id)


@shared_task(name="notifications.deliver_batch", ignore_result=True)
def deliver_batch(claim: str) -> int:
    """Email the immediate notifications one ``notify_many`` created (each at most once)."""
    return delivery.deliver_batch_once(claim=claim)


@shared_task(name="notifications.deliver_queued", ignore_result=True)
def deliver_queued() -> int:
    """Email immediate notifications left queued for over five minutes (a lost task)."""
    return delivery.deliver_stale()


@shared_task(name="notifications.send_digests", ignore_result=True)
def send_digests(mode: str) -> int:
    """Send the due ``"daily"`` or ``"weekly"`` digests; each person's at most once a period."""
    return delivery.digests_send(mode=mode)
