"""Notification pages: the list (all or unread), opening one, marking read, and the settings.

Each view validates, calls one service or selector, and renders. Only the recipient ever sees a
notification: anyone else's id is "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError
from townsquare.core.forms import form_errors_from

from . import selectors, services
from .forms import ReadAllForm, ScopeSettingForm, SettingsForm
from .models import EmailMode, ScopeLevel, ScopeSetting
from .templatetags.notifications_tags import bell_context

PAGE_SIZE = 25
TRUE_VALUES = frozenset({"1", "true", "yes", "on"})


def _safe_local(request: HttpRequest, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _back(request: HttpRequest, target: str, default: str) -> HttpResponse:
    return redirect(_safe_local(request, target) or reverse(default))


@login_required
@require_GET
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread", "").lower() in TRUE_VALUES
    rows = selectors.notification_list(request.user, unread_only=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
        },
    )


@never_cache
@require_GET
def bell(request: HttpRequest) -> HttpResponse:
    """The header's link with the unread count, for HTMX to swap in where the count was not
    cached yet. No content for a visitor who is not signed in (the header keeps its link)."""
    if not request.user.is_authenticated:
        return HttpResponse(status=204)
    context = bell_context(request, request.user, count=selectors.unread_count(request.user))
    context["is_current"] = False
    return render(request, "notifications/_bell.html", context)


@login_required
@require_GET
def notification_open(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark the notification read and go to what it is about (the links in emails come here)."""
    notification = selectors.notification_get(request.user, notification_id=pk)
    services.notification_read(user=request.user, notification=notification)
    return redirect(_safe_local(request, notification.url) or reverse("notifications:list"))


@login_required
@require_POST
def notification_mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get(request.user, notification_id=pk)
    services.notification_read(user=request.user, notification=notification)
    if request.headers.get("HX-Request"):
        return render(request, "notifications/_item.html", {"notification": notification})
    messages.success(request, "Marked as read.")
    return _back(request, request.POST.get("next", "")[:2000], "notifications:list")


@login_required
@require_POST
def notifications_mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ReadAllForm(request.POST)
    scope = form.cleaned_data["scope"] if form.is_valid() else ""
    count = services.notifications_read_all(user=request.user, scope=scope or None)
    if count:
        messages.success(
            request, f"Marked {count} notification{'s' if count != 1 else ''} as read."
        )
    else:
        messages.info(request, "There was nothing unread.")
    target = form.cleaned_data.get("next", "") if form.is_valid() else ""
    return _back(request, target, "notifications:list")


def _settings_page(
    request: AuthenticatedHttpRequest,
    form: SettingsForm,
    *,
    scope_form: ScopeSettingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    scopes = list(selectors.scope_settings_of(request.user)[:500])
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "scopes": scopes,
            "scope_form": scope_form,
            "levels": ScopeLevel.choices,
            "email_modes": EmailMode.choices,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = selectors.settings_of(request.user)
    if request.method != "POST":
        return _settings_page(request, SettingsForm(current=current))
    form = SettingsForm(request.POST, current=current)
    if form.is_valid():
        try:
            chosen = services.settings_update(
                user=request.user,
                email_mode=form.cleaned_data["email_mode"],
                disabled_kinds=form.disabled_kinds(),
                email_disabled_kinds=form.email_disabled_kinds(),
            )
        except DomainError as error:
            form_errors_from(error, form, {"disabled_kinds": "__all__"})
        else:
            messages.success(
                request,
                "Saved your notification settings. Email: "
                f"{EmailMode(chosen.email_mode).label.lower()}.",
            )
            return redirect("notifications:settings")
    return _settings_page(request, form, status=422)


def _scope_message(setting: ScopeSetting) -> str:
    name = setting.scope_label or "this space"
    message = {
        ScopeLevel.WATCHING: f"You are watching {name}: you hear about every new post.",
        ScopeLevel.NORMAL: f"{name} is back to normal: replies, mentions, reactions and "
        "moderation decisions.",
        ScopeLevel.MUTED: f"You muted {name}: you only hear about moderation decisions on "
        "your own posts.",
    }[ScopeLevel(setting.level)]
    if setting.email_mode:
        message += f" Email from it: {EmailMode(setting.email_mode).label.lower()}."
    return message[0].upper() + message[1:]


@login_required
@require_POST
def scope_setting(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Watch, mute or un-mute one scope; community's space pages post here with a ``next``."""
    form = ScopeSettingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            setting = services.scope_level_set(
                user=request.user,
                scope=data["scope"],
                level=data["level"],
                email_mode=data["email_mode"],
                scope_label=data["scope_label"],
            )
        except DomainError as error:
            form_errors_from(error, form, {"scope": "__all__"})
        else:
            messages.success(request, _scope_message(setting))
            return _back(request, data["next"], "notifications:settings")
    current = selectors.settings_of(request.user)
    return _settings_page(request, SettingsForm(current=current), scope_form=form, status=422)
