"""Calendar files: one event's ``.ics``, the public feed, and the personal subscription feed
behind a secret link that its owner creates, resets and revokes here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound

from ..selectors import events as selectors
from ..services import calendar_links, calendars


def calendar_response(content: bytes, filename: str, *, private: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    if private:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        response["Referrer-Policy"] = "no-referrer"
    else:
        response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_plain(viewer=request.user, slug=slug)
    registration = selectors.viewer_registration(user=request.user, event=event)
    # A confirmed attendee's own file carries the join link, so it must not be cached publicly.
    confirmed = selectors.is_confirmed_attendee(registration)
    return calendar_response(
        calendars.event_calendar(event, registration=registration if confirmed else None),
        f"{event.slug}.ics",
        private=confirmed,
    )


@require_GET
def public_feed(request: HttpRequest) -> HttpResponse:
    return calendar_response(
        calendars.public_feed(selectors.public_feed_events()), "townsquare-events.ics"
    )


@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar_links.calendar_link_user(token)
    if user is None:
        raise NotFound("No such calendar.")
    return calendar_response(
        calendar_links.personal_calendar(user=user), "my-events.ics", private=True
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_link(request: AuthenticatedHttpRequest) -> HttpResponse:
    new_link = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in {"create", "reset"}:
            new_link = calendar_links.calendar_link_create(user=request.user, request=request)
        elif action == "revoke":
            if calendar_links.calendar_link_revoke(user=request.user, request=request):
                messages.success(request, "Your calendar link is revoked; it no longer works.")
            return redirect("events:calendar_link")
        else:
            messages.error(request, "Choose to create, reset or revoke your calendar link.")
            return redirect("events:calendar_link")
    token = new_link.token if new_link else calendar_links.calendar_link_of(user=request.user)
    return render(
        request,
        "events/public/calendar_link.html",
        {
            "token": token,
            "new_url": new_link.url if new_link else "",
            "new_webcal_url": "webcal://" + new_link.url.split("://", 1)[-1] if new_link else "",
        },
    )
