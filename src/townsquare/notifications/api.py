"""The notifications API, mounted at /api/v1/notifications/: the caller's own notifications,
unread count, marking read, and settings. Someone else's notification id is "not found".

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from ninja import Path, Query, Router
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import Pagination

from . import selectors, services
from .schemas import (
    CountOut,
    NotificationOut,
    ReadAllIn,
    ScopeSettingIn,
    ScopeSettingOut,
    SettingsIn,
    SettingsOut,
    UnreadOnlyFilter,
)

router = Router(tags=["notifications"])

NotificationId = Path(..., ge=1, le=MAX_OBJECT_ID)


@router.get("/", response=list[NotificationOut], summary="My notifications, newest first")
@paginate(Pagination)
def notifications_list(request: AuthenticatedHttpRequest, filters: Query[UnreadOnlyFilter]) -> Any:
    return selectors.notification_list(request.user, unread_only=filters.unread)


@router.get("/unread-count", response=CountOut, summary="How many of my notifications are unread")
def notifications_unread_count(request: AuthenticatedHttpRequest) -> Any:
    return {"count": selectors.unread_count(request.user)}


@router.post(
    "/{notification_id}/read", response=NotificationOut, summary="Mark one notification read"
)
def notifications_read(
    request: AuthenticatedHttpRequest, notification_id: int = NotificationId
) -> Any:
    notification = selectors.notification_get(request.user, notification_id=notification_id)
    return services.notification_read(user=request.user, notification=notification)


@router.post(
    "/read-all",
    response=CountOut,
    summary="Mark all my notifications read (or one scope's); how many changed",
)
def notifications_read_all(
    request: AuthenticatedHttpRequest, payload: ReadAllIn | None = None
) -> Any:
    scope = payload.scope if payload is not None and payload.scope else None
    return {"count": services.notifications_read_all(user=request.user, scope=scope)}


@router.get("/settings", response=SettingsOut, summary="My notification settings")
def settings_get(request: AuthenticatedHttpRequest) -> Any:
    return selectors.settings_of(request.user)


@router.put("/settings", response=SettingsOut, summary="Change my notification settings")
def settings_put(request: AuthenticatedHttpRequest, payload: SettingsIn) -> Any:
    return services.settings_update(
        user=request.user,
        email_mode=payload.email_mode,
        disabled_kinds=[str(kind) for kind in payload.disabled_kinds],
        email_disabled_kinds=[str(kind) for kind in payload.email_disabled_kinds],
    )


@router.get(
    "/scopes",
    response=list[ScopeSettingOut],
    summary="My per-scope choices (scopes not listed are at the normal level)",
)
@paginate(Pagination)
def scopes_list(request: AuthenticatedHttpRequest) -> Any:
    return selectors.scope_settings_of(request.user)


@router.put(
    "/scopes",
    response=ScopeSettingOut,
    summary="Watch, mute or reset one scope, optionally with its own email mode",
)
def scopes_put(request: AuthenticatedHttpRequest, payload: ScopeSettingIn) -> Any:
    return services.scope_level_set(
        user=request.user,
        scope=payload.scope,
        level=payload.level,
        email_mode=payload.email_mode,
        scope_label=payload.scope_label,
    )
