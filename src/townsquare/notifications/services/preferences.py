"""A person's notification settings and their level in each scope.

Changing them also settles the emails still waiting: a kind no longer wanted by email, a mode
switched off or a scope muted is not emailed later from the queue, and a switch between the
daily and the weekly digest moves what waits to the new digest.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.errors import ValidationFailed

from ..models import (
    ALWAYS_SHOWN_KINDS,
    SCOPE_LABEL_MAX_LENGTH,
    DigestMode,
    EmailMode,
    EmailState,
    Notification,
    NotificationKind,
    NotificationSettings,
    ScopeLevel,
    ScopeSetting,
)
from .creation import scope_check, shortened

WAITING = (EmailState.DIGEST_PENDING, EmailState.IMMEDIATE_QUEUED)


def _kinds(values: Iterable[str], *, field: str) -> list[str]:
    chosen = set(values)
    unknown = sorted(chosen - set(NotificationKind.values))
    if unknown:
        message = f"Unknown notification kinds: {', '.join(unknown)}."
        raise ValidationFailed(message, field_errors={field: [message]})
    return [kind for kind in NotificationKind.values if kind in chosen]


def _email_mode(value: str, *, allow_blank: bool = False) -> str:
    if (allow_blank and value == "") or value in EmailMode.values:
        return value
    message = "Choose how to be emailed: immediate, daily, weekly or off."
    raise ValidationFailed(message, field_errors={"email_mode": [message]})


@transaction.atomic
def settings_update(
    *,
    user: User,
    email_mode: str,
    disabled_kinds: Iterable[str],
    email_disabled_kinds: Iterable[str],
) -> NotificationSettings:
    """Save ``user``'s email mode and the kinds they do not want (at all, or by email)."""
    email_mode = _email_mode(email_mode)
    disabled = _kinds(disabled_kinds, field="disabled_kinds")
    email_disabled = _kinds(email_disabled_kinds, field="email_disabled_kinds")
    always = sorted(ALWAYS_SHOWN_KINDS & set(disabled))
    if always:
        message = (
            "Moderation decisions about your own posts are always shown in the app; "
            "you may still choose not to get them by email."
        )
        raise ValidationFailed(message, field_errors={"disabled_kinds": [message]})
    chosen, _created = NotificationSettings.objects.update_or_create(
        user=user,
        defaults={
            "email_mode": email_mode,
            "disabled_kinds": disabled,
            "email_disabled_kinds": email_disabled,
        },
    )
    _settle_waiting_emails(user, chosen)
    audit_record(
        action="notifications.settings_update",
        actor=user,
        target=chosen,
        data={
            "email_mode": email_mode,
            "disabled_kinds": disabled,
            "email_disabled_kinds": email_disabled,
        },
    )
    return chosen


def _settle_waiting_emails(user: User, chosen: NotificationSettings) -> None:
    waiting = Notification.objects.filter(recipient_id=user.pk, email_state__in=WAITING)
    unwanted = set(chosen.disabled_kinds) | set(chosen.email_disabled_kinds)
    if unwanted:
        waiting.filter(kind__in=unwanted).update(email_state=EmailState.SKIPPED, digest_mode="")
    # Rows from scopes with their own email mode keep it; the rest follow the person's mode.
    overridden = ScopeSetting.objects.filter(user_id=user.pk).exclude(email_mode="")
    following = waiting.filter(email_state=EmailState.DIGEST_PENDING).exclude(
        scope__in=overridden.values("scope")
    )
    if chosen.email_mode == EmailMode.OFF:
        following.update(email_state=EmailState.SKIPPED, digest_mode="")
    elif chosen.email_mode in DigestMode.values:
        following.exclude(digest_mode=chosen.email_mode).update(digest_mode=chosen.email_mode)


@transaction.atomic
def scope_level_set(
    *, user: User, scope: str, level: str, email_mode: str = "", scope_label: str = ""
) -> ScopeSetting:
    """Set how much ``user`` hears from ``scope`` and, optionally, how that scope emails them.

    The normal level without an email override is the default, so it is stored as no row at all
    (the returned setting is then unsaved). ``scope_label`` names the scope on the settings page;
    left blank, the one already known is kept (or taken from the latest notification)."""
    if not scope:
        raise ValidationFailed("Say which scope.", field_errors={"scope": ["Say which scope."]})
    scope_check(scope)
    if level not in ScopeLevel.values:
        message = "Choose watching, normal or muted."
        raise ValidationFailed(message, field_errors={"level": [message]})
    email_mode = _email_mode(email_mode, allow_blank=True)
    label = shortened(scope_label, SCOPE_LABEL_MAX_LENGTH) or _known_label(user, scope)
    if level == ScopeLevel.NORMAL and not email_mode:
        ScopeSetting.objects.filter(user_id=user.pk, scope=scope).delete()
        setting = ScopeSetting(user=user, scope=scope, scope_label=label, level=level)
    else:
        setting, _created = ScopeSetting.objects.update_or_create(
            user=user,
            scope=scope,
            defaults={"level": level, "email_mode": email_mode, "scope_label": label},
        )
    _settle_scope_emails(user, setting)
    return setting


def _known_label(user: User, scope: str) -> str:
    known = (
        ScopeSetting.objects.filter(user_id=user.pk, scope=scope)
        .exclude(scope_label="")
        .values_list("scope_label", flat=True)
        .first()
    )
    if known:
        return known
    latest = (
        Notification.objects.filter(recipient_id=user.pk, scope=scope)
        .exclude(scope_label="")
        .order_by("-created_at", "-id")
        .values_list("scope_label", flat=True)
        .first()
    )
    return latest or ""


def _settle_scope_emails(user: User, setting: ScopeSetting) -> None:
    waiting = Notification.objects.filter(
        recipient_id=user.pk, scope=setting.scope, email_state__in=WAITING
    )
    if setting.level == ScopeLevel.MUTED:
        waiting.exclude(kind=NotificationKind.MODERATION).update(
            email_state=EmailState.SKIPPED, digest_mode=""
        )
    mode = setting.email_mode
    if not mode:
        chosen = NotificationSettings.objects.filter(user_id=user.pk).first()
        mode = chosen.email_mode if chosen is not None else EmailMode.DAILY.value
    digest = waiting.filter(email_state=EmailState.DIGEST_PENDING)
    if mode == EmailMode.OFF:
        digest.update(email_state=EmailState.SKIPPED, digest_mode="")
    elif mode in DigestMode.values:
        digest.filter(~Q(digest_mode=mode)).update(digest_mode=mode)
