"""Emailing notifications: at once, or in a daily or weekly digest; each at most once.

Every send starts with a claim: one conditional ``UPDATE`` that moves the rows from waiting
(``immediate_queued`` or ``digest_pending``) to ``sent`` and stamps them with a fresh token, and
only the run whose update changed them reads them back (by that token) and queues the email, in
the same transaction (it leaves after commit). A task run twice, two workers, a beat run and the
``notifications_tick`` command overlapping: the second claim finds nothing left and sends nothing.
A worker dying between the commit and the hand-off to the mail server loses that email rather than
sending it twice; the notification stays in the app either way.

Emails carry only the actor's label, the summary and a link, never the text of a post or
comment: this is health care, and email leaves our hands. The subject line names nothing at all
(not even the space), since it shows on lock screens.

Digests: a person gets at most one daily digest per day and one weekly digest per week. Each
period starts at ``DIGEST_HOUR`` o'clock (the site's ``TIME_ZONE``), on Mondays for the weekly one;
a digest lists what was waiting from before that moment, and ``NotificationSettings`` records
when the person's last digest of each kind went out. So running ``send_digests`` every few
minutes is safe: it sends each person's digest once, soon after the period begins.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.email import email_queue

from ..models import (
    DigestMode,
    EmailMode,
    EmailState,
    Notification,
    NotificationSettings,
)
from .creation import claim_token

DIGEST_HOUR = 7
DIGEST_BATCH_SIZE = 1000  # people per run; the next run takes the rest
STALE_AFTER = datetime.timedelta(minutes=5)
STALE_BATCH_SIZE = 500
CLAIM_CHUNK_SIZE = 500
DIGEST_MAX_ITEMS = 100  # listed in one digest; the rest stay in the app (the digest says so)
PRIVACY_NOTE = (
    "For your privacy, Townsquare never puts the words of posts or comments in email. "
    "Sign in to read them."
)
IMMEDIATE_SUBJECT = "You have a new notification on Townsquare"
_LAST_SENT_FIELD = {
    DigestMode.DAILY.value: "last_daily_digest_at",
    DigestMode.WEEKLY.value: "last_weekly_digest_at",
}


def _site() -> str:
    return str(settings.SITE_URL).rstrip("/")


def open_link(notification: Notification) -> str:
    """The email's link: opening it marks the notification read, then shows what it is about."""
    return _site() + reverse("notifications:open", args=[notification.pk])


def _settings_link() -> str:
    return _site() + reverse("notifications:settings")


def _deliverable_ids(rows: QuerySet[Notification]) -> list[int]:
    """Ids among ``rows`` still worth emailing: unread, to an active account."""
    return list(
        rows.filter(
            read_at__isnull=True, recipient__is_active=True, recipient__deleted_at__isnull=True
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )


def _claim(ids: list[int], *, waiting: str, now: datetime.datetime) -> str:
    """Claim the rows ``ids`` still in the ``waiting`` state; the token that marks them.

    Each ``UPDATE`` names the table's own rows and state only (no join), so on PostgreSQL a
    concurrent claimer blocked on the same rows re-checks the state once the first commits and
    claims nothing."""
    token = claim_token()
    for start in range(0, len(ids), CLAIM_CHUNK_SIZE):
        Notification.objects.filter(
            pk__in=ids[start : start + CLAIM_CHUNK_SIZE], email_state=waiting
        ).update(email_state=EmailState.SENT, emailed_at=now, claim=token)
    return token


def _claim_immediate(rows: QuerySet[Notification]) -> list[Notification]:
    """Claim the queued rows among ``rows`` (those no longer worth it become ``skipped``)."""
    queued = rows.filter(email_state=EmailState.IMMEDIATE_QUEUED)
    token = _claim(
        _deliverable_ids(queued), waiting=EmailState.IMMEDIATE_QUEUED, now=timezone.now()
    )
    queued.update(email_state=EmailState.SKIPPED)
    return list(Notification.objects.filter(claim=token).select_related("recipient").order_by("pk"))


def _email_one(notification: Notification) -> None:
    person = notification.recipient
    body = "\n".join(
        [
            f"Hello {person.display_name},",
            "",
            notification.line,
            "",
            f"Open it on Townsquare: {open_link(notification)}",
            "",
            PRIVACY_NOTE,
            "",
            "You get one email per notification because you chose to be emailed at once.",
            f"Change how and when we email you: {_settings_link()}",
        ]
    )
    email_queue(to=[person.email], subject=IMMEDIATE_SUBJECT, body=body)


@transaction.atomic
def deliver_once(*, notification_id: int) -> bool:
    """Email one notification queued for immediate delivery; False if it was not (any more)."""
    sent = _claim_immediate(Notification.objects.filter(pk=notification_id))
    for notification in sent:
        _email_one(notification)
    return bool(sent)


@transaction.atomic
def deliver_batch_once(*, claim: str) -> int:
    """Email the immediate notifications created together by one ``notify_many``."""
    sent = _claim_immediate(Notification.objects.filter(claim=claim))
    for notification in sent:
        _email_one(notification)
    return len(sent)


def deliver_stale(*, now: datetime.datetime | None = None) -> int:
    """Email immediate notifications whose task never ran (e.g. the broker was down)."""
    now = now or timezone.now()
    stale = list(
        Notification.objects.filter(
            email_state=EmailState.IMMEDIATE_QUEUED, created_at__lt=now - STALE_AFTER
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:STALE_BATCH_SIZE]
    )
    if not stale:
        return 0
    with transaction.atomic():
        sent = _claim_immediate(Notification.objects.filter(pk__in=stale))
        for notification in sent:
            _email_one(notification)
    return len(sent)


# Digests ----------------------------------------------------------------------------------------


def digest_period_start(mode: str, now: datetime.datetime) -> datetime.datetime:
    """When the current daily (or weekly, Monday) period began: ``DIGEST_HOUR`` local time."""
    local = timezone.localtime(now)
    start = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if mode == DigestMode.WEEKLY:
        start -= datetime.timedelta(days=local.weekday())
        step = datetime.timedelta(days=7)
    else:
        step = datetime.timedelta(days=1)
    if start > local:
        start -= step
    return start


@dataclass(frozen=True)
class Digest:
    person: User
    mode: str
    notifications: list[Notification]
    more: int = 0  # unread ones not listed (beyond DIGEST_MAX_ITEMS)

    @property
    def total(self) -> int:
        return len(self.notifications) + self.more


def _due_people(mode: str, period_start: datetime.datetime) -> list[int]:
    """People with rows waiting for this digest from before the period began, and no digest of
    this period yet (a row committed after their digest left waits for the next period)."""
    stamped = f"recipient__notification_settings__{_LAST_SENT_FIELD[mode]}__gte"
    return list(
        Notification.objects.filter(
            email_state=EmailState.DIGEST_PENDING, digest_mode=mode, created_at__lt=period_start
        )
        .exclude(**{stamped: period_start})
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()[:DIGEST_BATCH_SIZE]
    )


def digests_send(*, mode: str, now: datetime.datetime | None = None) -> int:
    """Send the due ``mode`` ("daily" or "weekly") digests; how many emails were queued."""
    if mode not in DigestMode.values:
        raise ValueError(f"Unknown digest {mode!r}: daily or weekly.")
    now = now or timezone.now()
    period_start = digest_period_start(mode, now)
    people = _due_people(mode, period_start)
    if not people:
        return 0
    NotificationSettings.objects.bulk_create(
        [NotificationSettings(user_id=person_id) for person_id in people], ignore_conflicts=True
    )
    return sum(
        digest_send_one(user_id=person_id, mode=mode, period_start=period_start, now=now)
        for person_id in people
    )


def _stamp_period(
    *, user_id: int, mode: str, period_start: datetime.datetime, now: datetime.datetime
) -> bool:
    """Claim the person's digest for the period: True for the one run that stamps it."""
    last_sent = _LAST_SENT_FIELD[mode]
    stamped = (
        NotificationSettings.objects.filter(user_id=user_id)
        .filter(Q(**{f"{last_sent}__isnull": True}) | Q(**{f"{last_sent}__lt": period_start}))
        .update(**{last_sent: now})
    )
    return stamped == 1


@transaction.atomic
def digest_send_one(
    *, user_id: int, mode: str, period_start: datetime.datetime, now: datetime.datetime
) -> int:
    """One person's digest for the period that began at ``period_start``: 1 if queued, else 0.

    Two claims: the person's "last digest" stamp for the period (so one digest per period),
    then the rows themselves (so each row in at most one email)."""
    if not _stamp_period(user_id=user_id, mode=mode, period_start=period_start, now=now):
        return 0
    waiting = Notification.objects.filter(
        recipient_id=user_id,
        email_state=EmailState.DIGEST_PENDING,
        digest_mode=mode,
        created_at__lt=period_start,
    )
    wanted = _deliverable_ids(waiting)
    token = _claim(wanted[:DIGEST_MAX_ITEMS], waiting=EmailState.DIGEST_PENDING, now=now)
    waiting.update(email_state=EmailState.SKIPPED)  # read already, gone, or beyond the list
    rows = list(
        Notification.objects.filter(claim=token)
        .select_related("recipient")
        .order_by("scope_label", "created_at", "pk")
    )
    if not rows:
        return 0
    digest = Digest(
        person=rows[0].recipient,
        mode=mode,
        notifications=rows,
        more=max(0, len(wanted) - len(rows)),
    )
    email_queue(to=[digest.person.email], subject=digest_subject(digest), body=digest_body(digest))
    return 1


def digest_subject(digest: Digest) -> str:
    count = digest.total
    noun = "notification" if count == 1 else "notifications"
    return f"Your {digest.mode} Townsquare digest: {count} {noun}"


def digest_groups(notifications: list[Notification]) -> list[tuple[str, list[Notification]]]:
    """The notifications grouped by scope label (alphabetically; those without one last),
    oldest first within each group."""
    ordered = sorted(
        notifications, key=lambda row: (row.scope_label == "", row.scope_label, row.created_at)
    )
    return [
        (label or "Other notifications", list(rows))
        for label, rows in groupby(ordered, key=lambda row: row.scope_label)
    ]


def digest_body(digest: Digest) -> str:
    count = digest.total
    period = "day" if digest.mode == DigestMode.DAILY else "week"
    lines = [
        f"Hello {digest.person.display_name},",
        "",
        f"Here is what happened on Townsquare this {period}: "
        f"{count} notification{'s' if count != 1 else ''} you have not read yet.",
    ]
    for label, rows in digest_groups(digest.notifications):
        lines += ["", label, "-" * len(label)]
        for row in rows:
            when = timezone.localtime(row.created_at).strftime("%a %d %b, %H:%M")
            lines.append(f"- {row.line} ({when})")
            lines.append(f"  {open_link(row)}")
    if digest.more:
        lines += [
            "",
            f"…and {digest.more} more. See them all: {_site()}{reverse('notifications:list')}",
        ]
    lines += [
        "",
        PRIVACY_NOTE,
        "",
        f"You get this {digest.mode} digest because of your notification settings "
        f"({EmailMode(digest.mode).label.lower()}).",
        f"Change how and when we email you: {_settings_link()}",
    ]
    return "\n".join(lines)
