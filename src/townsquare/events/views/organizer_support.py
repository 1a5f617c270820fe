"""What the organizer pages share: the managed event, the one-form page, saving through a service
with its errors on the form, and deleting with a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import DomainError, NotFound, PermissionRefused
from townsquare.core.forms import form_errors_from

from ..models import Event
from ..selectors import organizer as selectors


def managed_event(request: AuthenticatedHttpRequest, slug: str) -> Event:
    return selectors.event_for_managing(viewer=request.user, slug=slug)


def redirect_to(name: str, event: Event) -> HttpResponse:
    return redirect(f"events:{name}", slug=event.slug)


def render_item_form(
    request: AuthenticatedHttpRequest,
    form: Any,
    *,
    title: str,
    event: Event | None,
    back: str,
    submit: str,
    status: int = 200,
    multipart: bool = False,
) -> HttpResponse:
    return render(
        request,
        "events/organizer/item_form.html",
        {
            "form": form,
            "title": title,
            "event": event,
            "back": back,
            "submit": submit,
            "multipart": multipart,
        },
        status=status,
    )


def save_or_errors(form: Any, save: Callable[[], Any]) -> bool:
    """Validate and call the service; service errors land on the form. True when saved."""
    if not form.is_valid():
        return False
    try:
        save()
    except DomainError as error:
        if isinstance(error, PermissionRefused | NotFound):
            raise
        form_errors_from(error, form)
        return False
    return True


def delete_with_message(
    request: AuthenticatedHttpRequest, action: Callable[[], None], done: str
) -> None:
    try:
        action()
    except DomainError as error:
        if isinstance(error, PermissionRefused | NotFound):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, done)
