"""Organizer agenda pages: tracks, rooms, speakers and sessions of one event."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import models
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import NotFound

from ..forms.organizer_agenda import RoomForm, SessionForm, SpeakerForm, TrackForm
from ..models import Event, Room, Session, Speaker, Track
from ..services import agenda as services
from .organizer_support import delete_with_message, managed_event, render_item_form, save_or_errors

ItemT = TypeVar("ItemT", bound=models.Model)


def _item(model: type[ItemT], event: Event, pk: int) -> ItemT:
    item = model._default_manager.filter(event=event, pk=pk).first()
    if item is None:
        raise NotFound("No such item in this event's agenda.")
    return item


def _agenda(event: Event) -> HttpResponse:
    return redirect("events:agenda_manage", slug=event.slug)


@login_required
def agenda_manage(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    event = managed_event(request, slug)
    sessions = (
        Session.objects.filter(event=event)
        .select_related("track", "room")
        .prefetch_related(Prefetch("speakers", queryset=Speaker.objects.order_by("name")))
        .order_by("starts_at", "room__position", "pk")
    )
    return render(
        request,
        "events/organizer/agenda_manage.html",
        {
            "event": event,
            "sessions": sessions,
            "tracks": Track.objects.filter(event=event),
            "rooms": Room.objects.filter(event=event),
            "speakers": Speaker.objects.filter(event=event).order_by("name"),
        },
    )


def _item_page(
    request: AuthenticatedHttpRequest,
    event: Event,
    form: Any,
    save: Callable[[], Any],
    *,
    title: str,
    submit: str,
    done: str,
    multipart: bool = False,
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        if save_or_errors(form, save):
            messages.success(request, done)
            return _agenda(event)
        status = 422
    return render_item_form(
        request,
        form,
        title=title,
        event=event,
        back="events:agenda_manage",
        submit=submit,
        status=status,
        multipart=multipart,
    )


@login_required
def track_form(request: AuthenticatedHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    event = managed_event(request, slug)
    track = _item(Track, event, pk) if pk is not None else None
    initial = (
        {"name": track.name, "color": track.color, "position": track.position} if track else None
    )
    form = TrackForm(request.POST or None, initial=initial)
    return _item_page(
        request,
        event,
        form,
        lambda: services.track_save(
            actor=request.user,
            event=event,
            track=track,
            name=form.cleaned_data["name"],
            color=form.cleaned_data["color"],
            position=form.cleaned_data["position"] or 0,
        ),
        title=f"Edit the track “{track.name}”" if track else "New track",
        submit="Save track",
        done="Saved the track.",
    )


@login_required
@require_POST
def track_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    event = managed_event(request, slug)
    track = _item(Track, event, pk)
    delete_with_message(
        request,
        lambda: services.track_delete(actor=request.user, track=track),
        f"Deleted the track “{track.name}”; its sessions have no track now.",
    )
    return _agenda(event)


@login_required
def room_form(request: AuthenticatedHttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    event = managed_event(request, slug)
    room = _item(Room, event, pk) if pk is not None else None
    initial = (
        {
            "name": room.name,
            "capacity": room.capacity,
            "accessibility_notes": room.accessibility_notes,
            "position": room.position,
        }
        if room
        else None
    )
    form = RoomForm(request.POST or None, initial=initial)
    return _item_page(
        request,
        event,
        form,
        lambda: services.room_save(
            actor=request.user,
            event=event,
            room=room,
            name=form.cleaned_data["name"],
            capacity=form.cleaned_data["capacity"],
            accessibility_notes=form.cleaned_data["accessibility_notes"],
            position=form.cleaned_data["position"] or 0,
        ),
        title=f"Edit the room “{room.name}”" if room else "New room",
        submit="Save room",
        done="Saved the room.",
    )


@login_required
@require_POST
def room_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    event = managed_event(request, slug)
    room = _item(Room, event, pk)
    delete_with_message(
        request,
        lambda: services.room_delete(actor=request.user, room=room),
        f"Deleted the room “{room.name}”; its sessions have no room now.",
    )
    return _agenda(event)


@login_required
def speaker_form(
    request: AuthenticatedHttpRequest, slug: str, pk: int | None = None
) -> HttpResponse:
    event = managed_event(request, slug)
    speaker = _item(Speaker, event, pk) if pk is not None else None
    form = SpeakerForm(
        request.POST or None,
        request.FILES or None,
        initial=SpeakerForm.initial_for(speaker) if speaker else None,
    )
    if speaker is None or not speaker.photo:
        del form.fields["remove_photo"]
    return _item_page(
        request,
        event,
        form,
        lambda: services.speaker_save(
            actor=request.user, event=event, speaker=speaker, fields=form.fields_for_service()
        ),
        title=f"Edit the speaker {speaker.name}" if speaker else "New speaker",
        submit="Save speaker",
        done="Saved the speaker and their disclosure.",
        multipart=True,
    )


@login_required
@require_POST
def speaker_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    event = managed_event(request, slug)
    speaker = _item(Speaker, event, pk)
    delete_with_message(
        request,
        lambda: services.speaker_delete(actor=request.user, speaker=speaker),
        f"Deleted the speaker {speaker.name}.",
    )
    return _agenda(event)


@login_required
def session_form(
    request: AuthenticatedHttpRequest, slug: str, pk: int | None = None
) -> HttpResponse:
    event = managed_event(request, slug)
    session = _item(Session, event, pk) if pk is not None else None
    form = SessionForm(
        request.POST or None,
        event=event,
        initial=SessionForm.initial_for(session, event.zone) if session else None,
    )
    return _item_page(
        request,
        event,
        form,
        lambda: services.session_save(
            actor=request.user, event=event, session=session, fields=form.fields_for_service()
        ),
        title=f"Edit the session “{session.title}”" if session else "New session",
        submit="Save session",
        done="Saved the session.",
    )


@login_required
@require_POST
def session_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    event = managed_event(request, slug)
    session = _item(Session, event, pk)
    delete_with_message(
        request,
        lambda: services.session_delete(actor=request.user, session=session),
        f"Deleted the session “{session.title}”.",
    )
    return _agenda(event)
