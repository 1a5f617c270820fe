"""Creating notifications (one, or many at once) and withdrawing them.

The caller has already decided that each recipient may see what the notification points to (a
private space's post is only announced to its members); this module decides whether the person
*wants* to hear about it:

- nobody is notified of their own action, and inactive or deleted accounts never are;
- a kind the person switched off is dropped (moderation decisions cannot be switched off);
- a muted scope only lets through moderation decisions (about the person's own content);
- a new post is only announced to people watching its scope.

What survives is written in one ``INSERT`` for all recipients; with a ``dedupe_key`` the database's
unique constraint (recipient, dedupe_key) quietly drops repeats, so the same event notifies a
person at most once however often or concurrently it is reported. Email is decided at the same
time (at once, a digest, or not at all) and queued after commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.errors import ValidationFailed

from .. import unread
from ..models import (
    ACTOR_LABEL_MAX_LENGTH,
    ALWAYS_SHOWN_KINDS,
    DEDUPE_KEY_MAX_LENGTH,
    SCOPE_LABEL_MAX_LENGTH,
    SCOPE_MAX_LENGTH,
    SUMMARY_MAX_LENGTH,
    URL_MAX_LENGTH,
    EmailMode,
    EmailState,
    Notification,
    NotificationKind,
    NotificationSettings,
    ScopeLevel,
    ScopeSetting,
)

# "community.space:12", "library.collection:policy-kits": an app, a dot-path, a colon, an id.
SCOPE_PATTERN = re.compile(r"[a-z][a-z0-9_.-]*:[A-Za-z0-9_.:-]+")
_UNSAFE_URL_CHARACTERS = re.compile(r"[\s\\\x00-\x1f\x7f]")


def claim_token() -> str:
    return secrets.token_hex(16)


def shortened(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def is_local_path(url: str) -> bool:
    """A path on this site ("/community/posts/5/"), never another site ("//evil.example")."""
    return (
        url.startswith("/")
        and not url.startswith("//")
        and not _UNSAFE_URL_CHARACTERS.search(url)
        and len(url) <= URL_MAX_LENGTH
    )


def scope_check(scope: str, *, field: str = "scope") -> str:
    """``scope`` if it is well formed (blank allowed), else a ValidationFailed."""
    if scope and (len(scope) > SCOPE_MAX_LENGTH or not SCOPE_PATTERN.fullmatch(scope)):
        message = (
            f"A scope is written app.thing:id, e.g. community.space:12 "
            f"(at most {SCOPE_MAX_LENGTH} characters)."
        )
        raise ValidationFailed(message, field_errors={field: [message]})
    return scope


@dataclass(frozen=True)
class _Fields:
    kind: str
    summary: str
    url: str
    actor_label: str
    scope: str
    scope_label: str
    dedupe_key: str


def _fields(
    *,
    kind: str,
    summary: str,
    url: str,
    actor_label: str,
    scope: str,
    scope_label: str,
    dedupe_key: str,
) -> _Fields:
    """Check what the caller passed. Labels too long are shortened (a long space name must not
    undo the caller's write); a bad kind, url or scope is a programming error and refused."""
    if kind not in NotificationKind.values:
        raise ValidationFailed(f"Unknown notification kind {kind!r}.", field_errors={"kind": []})
    if not is_local_path(url):
        message = "A notification links to a path on this site, e.g. /community/posts/5/."
        raise ValidationFailed(message, field_errors={"url": [message]})
    summary = shortened(summary, SUMMARY_MAX_LENGTH)
    if not summary:
        raise ValidationFailed("A notification needs a summary.", field_errors={"summary": []})
    if len(dedupe_key) > DEDUPE_KEY_MAX_LENGTH:
        dedupe_key = hashlib.sha256(dedupe_key.encode()).hexdigest()
    return _Fields(
        kind=kind,
        summary=summary,
        url=url,
        actor_label=shortened(actor_label, ACTOR_LABEL_MAX_LENGTH),
        scope=scope_check(scope),
        scope_label=shortened(scope_label, SCOPE_LABEL_MAX_LENGTH),
        dedupe_key=dedupe_key,
    )


@dataclass(frozen=True)
class _Preferences:
    email_mode: str = EmailMode.DAILY.value
    disabled_kinds: frozenset[str] = frozenset()
    email_disabled_kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class _Scope:
    level: str = ScopeLevel.NORMAL.value
    email_mode: str = ""


def _active_recipients(recipients: Iterable[Any], actor: Any) -> QuerySet[User]:
    """The recipients whose accounts are active, without the actor, as one query."""
    if isinstance(recipients, QuerySet):
        chosen: Any = recipients.values("pk")
    else:
        chosen = sorted({person.pk for person in recipients if person is not None})
    people = User.objects.filter(pk__in=chosen, is_active=True, deleted_at__isnull=True)
    if actor is not None and getattr(actor, "pk", None) is not None:
        people = people.exclude(pk=actor.pk)
    return people


def _preferences(people: QuerySet[User]) -> dict[int, _Preferences]:
    rows = NotificationSettings.objects.filter(user__in=people.values("pk")).values_list(
        "user_id", "email_mode", "disabled_kinds", "email_disabled_kinds"
    )
    return {
        user_id: _Preferences(mode, frozenset(disabled or []), frozenset(email_disabled or []))
        for user_id, mode, disabled, email_disabled in rows
    }


def _scopes(people: QuerySet[User], scope: str) -> dict[int, _Scope]:
    if not scope:
        return {}
    rows = ScopeSetting.objects.filter(scope=scope, user__in=people.values("pk")).values_list(
        "user_id", "level", "email_mode"
    )
    return {user_id: _Scope(level, email_mode) for user_id, level, email_mode in rows}


def delivery_of(kind: str, preferences: _Preferences, scope: _Scope) -> tuple[str, str] | None:
    """``(email_state, digest_mode)`` for a notification the person wants, ``None`` if not."""
    if kind in preferences.disabled_kinds and kind not in ALWAYS_SHOWN_KINDS:
        return None
    if scope.level == ScopeLevel.MUTED and kind != NotificationKind.MODERATION:
        return None
    if kind == NotificationKind.NEW_POST and scope.level != ScopeLevel.WATCHING:
        return None
    mode = scope.email_mode or preferences.email_mode
    if kind in preferences.email_disabled_kinds or mode == EmailMode.OFF:
        return EmailState.SKIPPED.value, ""
    if mode == EmailMode.IMMEDIATE:
        return EmailState.IMMEDIATE_QUEUED.value, ""
    return EmailState.DIGEST_PENDING.value, mode


def _build(
    recipients: Iterable[Any], fields: _Fields, actor: Any, claim: str
) -> list[Notification]:
    """The rows to write: one per recipient who wants it (three queries whatever the number)."""
    people = _active_recipients(recipients, actor)
    person_ids = list(people.order_by("pk").values_list("pk", flat=True))
    if not person_ids:
        return []
    preferences = _preferences(people)
    scopes = _scopes(people, fields.scope)
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    rows = []
    for person_id in person_ids:
        delivery = delivery_of(
            fields.kind,
            preferences.get(person_id, _Preferences()),
            scopes.get(person_id, _Scope()),
        )
        if delivery is None:
            continue
        email_state, digest_mode = delivery
        rows.append(
            Notification(
                recipient_id=person_id,
                kind=fields.kind,
                actor_id=actor_id,
                actor_label=fields.actor_label,
                summary=fields.summary,
                url=fields.url,
                scope=fields.scope,
                scope_label=fields.scope_label,
                dedupe_key=fields.dedupe_key,
                created_at=now,
                email_state=email_state,
                digest_mode=digest_mode,
                claim=claim,
            )
        )
    return rows


def _write(rows: list[Notification], fields: _Fields) -> None:
    """Insert ``rows``; with a dedupe key, rows the constraint refuses are silently dropped."""
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(fields.dedupe_key))
    unread.forget(row.recipient_id for row in rows)


def _queue_batch_delivery(claim: str) -> None:
    from ..tasks import deliver_batch

    transaction.on_commit(lambda: deliver_batch.delay(claim))


def _queue_delivery(notification_id: int) -> None:
    from ..tasks import deliver

    transaction.on_commit(lambda: deliver.delay(notification_id))


@transaction.atomic
def notify(
    *,
    recipient: User,
    kind: str,
    summary: str,
    url: str,
    actor: User | None = None,
    actor_label: str = "",
    scope: str = "",
    scope_label: str = "",
    dedupe_key: str = "",
) -> Notification | None:
    """Notify one person; ``None`` when they do not want it or already had this ``dedupe_key``.

    ``summary`` says what happened without quoting anyone ("replied to your post in Diabetes
    Support"): never put the text of a post or comment in it, it is emailed. ``actor_label`` is
    how the actor is shown (their pseudonym where they post under one); blank reads "Someone"."""
    fields = _fields(
        kind=kind,
        summary=summary,
        url=url,
        actor_label=actor_label,
        scope=scope,
        scope_label=scope_label,
        dedupe_key=dedupe_key,
    )
    claim = claim_token()
    rows = _build([recipient], fields, actor, claim)
    if not rows:
        return None
    _write(rows, fields)
    notification = rows[0]
    if notification.pk is None:  # inserted with ON CONFLICT DO NOTHING: no id comes back
        found = Notification.objects.filter(claim=claim).first()
        if found is None:
            return None
        notification = found
    if notification.email_state == EmailState.IMMEDIATE_QUEUED:
        _queue_delivery(notification.pk)
    return notification


@transaction.atomic
def notify_many(
    *,
    recipients: Iterable[User],
    kind: str,
    summary: str,
    url: str,
    actor: User | None = None,
    actor_label: str = "",
    scope: str = "",
    scope_label: str = "",
    dedupe_key: str = "",
) -> int:
    """Notify many people at once (same rules as ``notify``); how many were notified.

    The number of queries does not grow with the recipients: pass a QuerySet (e.g.
    ``watchers_of(scope)`` narrowed to those allowed to see the post) or a list of people."""
    fields = _fields(
        kind=kind,
        summary=summary,
        url=url,
        actor_label=actor_label,
        scope=scope,
        scope_label=scope_label,
        dedupe_key=dedupe_key,
    )
    claim = claim_token()
    rows = _build(recipients, fields, actor, claim)
    if not rows:
        return 0
    _write(rows, fields)
    created = Notification.objects.filter(claim=claim).count() if fields.dedupe_key else len(rows)
    if any(row.email_state == EmailState.IMMEDIATE_QUEUED for row in rows):
        _queue_batch_delivery(claim)
    return created


@transaction.atomic
def notifications_withdraw(
    *, scope: str, recipient: User | None = None, url_prefix: str = ""
) -> int:
    """Delete notifications (and any email still waiting for them); how many were deleted.

    For someone who lost access to a space: ``scope`` and ``recipient``. For a removed post:
    ``scope`` and the post's ``url_prefix`` (everyone's notifications about it). ``scope`` may
    be blank only with a ``url_prefix``: withdrawing everything at once is refused."""
    scope_check(scope)
    if url_prefix and (not is_local_path(url_prefix) or url_prefix == "/"):
        message = "A url prefix is a path on this site longer than /, e.g. /community/posts/5/."
        raise ValidationFailed(message, field_errors={"url_prefix": [message]})
    if not scope and not url_prefix:
        message = "Say which scope (or which url prefix) to withdraw notifications from."
        raise ValidationFailed(message, field_errors={"scope": [message]})
    rows = Notification.objects.all()
    if scope:
        rows = rows.filter(scope=scope)
    if recipient is not None:
        rows = rows.filter(recipient_id=recipient.pk)
    if url_prefix:
        rows = rows.filter(url__startswith=url_prefix)
    recipient_ids = list(rows.values_list("recipient_id", flat=True).distinct())
    if not recipient_ids:
        return 0
    deleted, _by_model = rows.delete()
    unread.forget(recipient_ids)
    audit_record(
        action="notifications.withdraw",
        target=("notifications.scope", scope or url_prefix),
        data={
            "scope": scope,
            "url_prefix": url_prefix,
            "recipient_id": recipient.pk if recipient is not None else None,
            "count": deleted,
        },
    )
    return deleted
