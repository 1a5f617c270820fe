"""The agenda: tracks, rooms, speakers (photo, bio, financial disclosures) and sessions.

Sessions lie within the event's times and never overlap in one room: the check runs under the
event's row lock, so two organizers saving at once cannot double-book a room."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.errors import NotFound
from townsquare.core.uploads import generated_name, image_kind, upload_validate

from ..models import Event, Room, Session, SessionKind, Speaker, Track
from .events import field_error, locked_event, raise_field_errors, require_manager

PHOTO_MAX_BYTES = 3 * 1024 * 1024
COLOR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_ROOM_CAPACITY = 100_000
MAX_POSITION = 10_000
BIO_LIMIT = 4000
TEXT_LIMIT = 4000


def _locked(actor: User, event: Event) -> Event:
    require_manager(actor, event)
    return locked_event(event)


def _belongs(item: Track | Room | Speaker | Session | None, event: Event) -> None:
    if item is not None and item.event_id != event.pk:
        raise NotFound("No such item in this event's agenda.")


def _audit(actor: User, action: str, item: object, event: Event, **data: object) -> None:
    audit_record(action=action, actor=actor, target=item, data={"event_id": event.pk, **data})  # type: ignore[arg-type]


# Tracks ----------------------------------------------------------------------------------------


@transaction.atomic
def track_save(
    *,
    actor: User,
    event: Event,
    track: Track | None,
    name: str,
    color: str = "#3b5bdb",
    position: int = 0,
) -> Track:
    event = _locked(actor, event)
    _belongs(track, event)
    name = " ".join(name.split())[:100]
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Name the track."]
    elif (
        Track.objects.filter(event=event, name__iexact=name)
        .exclude(pk=getattr(track, "pk", 0) or 0)
        .exists()
    ):
        errors["name"] = [f"There is a “{name}” track already."]
    if not COLOR_PATTERN.match(color):
        errors["color"] = ["Enter a colour as #rrggbb, for example #3b5bdb."]
    if not 0 <= position <= MAX_POSITION:
        errors["position"] = [f"Enter a position from 0 to {MAX_POSITION}."]
    raise_field_errors(errors)
    is_new = track is None
    track = track or Track(event=event)
    track.name, track.color, track.position = name, color.lower(), position
    try:
        with transaction.atomic():
            track.save()
    except IntegrityError as error:
        raise field_error("name", f"There is a “{name}” track already.") from error
    _audit(actor, "events.track.created" if is_new else "events.track.updated", track, event)
    return track


@transaction.atomic
def track_delete(*, actor: User, track: Track) -> None:
    """Delete a track; its sessions stay, without a track."""
    event = _locked(actor, track.event)
    _audit(actor, "events.track.deleted", track, event, name=track.name)
    track.delete()


# Rooms -----------------------------------------------------------------------------------------


@transaction.atomic
def room_save(
    *,
    actor: User,
    event: Event,
    room: Room | None,
    name: str,
    capacity: int | None = None,
    accessibility_notes: str = "",
    position: int = 0,
) -> Room:
    event = _locked(actor, event)
    _belongs(room, event)
    name = " ".join(name.split())[:100]
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["Name the room."]
    elif (
        Room.objects.filter(event=event, name__iexact=name)
        .exclude(pk=getattr(room, "pk", 0) or 0)
        .exists()
    ):
        errors["name"] = [f"There is a room called “{name}” already."]
    if capacity is not None and not 1 <= capacity <= MAX_ROOM_CAPACITY:
        errors["capacity"] = [f"Enter seats from 1 to {MAX_ROOM_CAPACITY}, or leave it empty."]
    if len(accessibility_notes) > 300:
        errors["accessibility_notes"] = ["Keep the notes under 300 characters."]
    if not 0 <= position <= MAX_POSITION:
        errors["position"] = [f"Enter a position from 0 to {MAX_POSITION}."]
    raise_field_errors(errors)
    is_new = room is None
    room = room or Room(event=event)
    room.name = name
    room.capacity = capacity
    room.accessibility_notes = accessibility_notes.strip()
    room.position = position
    try:
        with transaction.atomic():
            room.save()
    except IntegrityError as error:
        raise field_error("name", f"There is a room called “{name}” already.") from error
    _audit(actor, "events.room.created" if is_new else "events.room.updated", room, event)
    return room


@transaction.atomic
def room_delete(*, actor: User, room: Room) -> None:
    """Delete a room; its sessions stay, without a room."""
    event = _locked(actor, room.event)
    _audit(actor, "events.room.deleted", room, event, name=room.name)
    room.delete()


# Speakers --------------------------------------------------------------------------------------


@dataclass
class SpeakerFields:
    name: str
    email: str = ""
    affiliation: str = ""
    bio: str = ""
    financial_relationships: str = ""
    disclosure_mitigation: str = ""
    photo: UploadedFile | None = None
    remove_photo: bool = False


@transaction.atomic
def speaker_save(
    *, actor: User, event: Event, speaker: Speaker | None, fields: SpeakerFields
) -> Speaker:
    """Create or change a speaker. Saving records the disclosure as made now (an empty list of
    financial relationships means the speaker declared none). A speaker's email that belongs to
    an account links the two."""
    event = _locked(actor, event)
    _belongs(speaker, event)
    errors: dict[str, list[str]] = {}
    name = " ".join(fields.name.split())[:200]
    email = fields.email.strip()[:254]
    if not name:
        errors["name"] = ["Enter the speaker's name."]
    if len(fields.bio) > BIO_LIMIT:
        errors["bio"] = [f"Keep the bio under {BIO_LIMIT} characters."]
    for name_of_field in ("financial_relationships", "disclosure_mitigation"):
        if len(getattr(fields, name_of_field)) > TEXT_LIMIT:
            errors[name_of_field] = [f"Keep this under {TEXT_LIMIT} characters."]
    account = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if (
        account is not None
        and Speaker.objects.filter(event=event, user=account)
        .exclude(pk=getattr(speaker, "pk", 0) or 0)
        .exists()
    ):
        errors["email"] = [f"{email} is a speaker at this event already."]
    raise_field_errors(errors)
    photo = (
        upload_validate(fields.photo, kind=image_kind(PHOTO_MAX_BYTES), field_name="photo")
        if fields.photo is not None
        else None
    )
    is_new = speaker is None
    speaker = speaker or Speaker(event=event)
    speaker.name = name
    speaker.email = email
    speaker.user = account
    speaker.affiliation = fields.affiliation.strip()[:200]
    speaker.bio = fields.bio.strip()
    speaker.financial_relationships = fields.financial_relationships.strip()
    speaker.disclosure_mitigation = fields.disclosure_mitigation.strip()
    speaker.disclosed_at = timezone.now()
    if photo is not None:
        stored = generated_name("", photo.extension).lstrip("/")
        speaker.photo.save(stored, photo.file, save=False)
    elif fields.remove_photo:
        speaker.photo = ""  # type: ignore[assignment]
    try:
        with transaction.atomic():
            speaker.save()
    except IntegrityError as error:
        raise field_error("email", f"{email} is a speaker at this event already.") from error
    _audit(
        actor,
        "events.speaker.created" if is_new else "events.speaker.updated",
        speaker,
        event,
        has_relationships=speaker.has_relationships,
    )
    return speaker


@transaction.atomic
def speaker_delete(*, actor: User, speaker: Speaker) -> None:
    event = _locked(actor, speaker.event)
    _audit(actor, "events.speaker.deleted", speaker, event, name=speaker.name)
    speaker.delete()


# Sessions --------------------------------------------------------------------------------------


@dataclass
class SessionFields:
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    kind: str = SessionKind.TALK
    abstract: str = ""
    track: Track | None = None
    room: Room | None = None
    speakers: Sequence[Speaker] = field(default_factory=list)


def _room_clash(event: Event, session: Session | None, fields: SessionFields) -> Session | None:
    if fields.room is None:
        return None
    return (
        Session.objects.filter(
            event=event,
            room=fields.room,
            starts_at__lt=fields.ends_at,
            ends_at__gt=fields.starts_at,
        )
        .exclude(pk=getattr(session, "pk", 0) or 0)
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def session_save(
    *, actor: User, event: Event, session: Session | None, fields: SessionFields
) -> Session:
    """Create or change a session: within the event's times, and never in a room that is taken."""
    event = _locked(actor, event)
    _belongs(session, event)
    errors: dict[str, list[str]] = {}
    title = " ".join(fields.title.split())[:200]
    if not title:
        errors["title"] = ["Give the session a title."]
    if fields.kind not in SessionKind.values:
        errors["kind"] = ["Choose a kind of session from the list."]
    zone = event.zone
    if fields.ends_at <= fields.starts_at:
        errors["ends_at"] = ["The session must end after it starts."]
    elif fields.starts_at < event.starts_at or fields.ends_at > event.ends_at:
        errors["starts_at"] = [
            "Sessions must lie within the event: "
            f"{timezone.localtime(event.starts_at, zone):%d %b %Y %H:%M} to "
            f"{timezone.localtime(event.ends_at, zone):%d %b %Y %H:%M %Z}."
        ]
    if fields.track is not None and fields.track.event_id != event.pk:
        errors["track"] = ["Choose one of this event's tracks."]
    if fields.room is not None and fields.room.event_id != event.pk:
        errors["room"] = ["Choose one of this event's rooms."]
    if any(speaker.event_id != event.pk for speaker in fields.speakers):
        errors["speakers"] = ["Choose this event's own speakers."]
    if not errors:
        clash = _room_clash(event, session, fields)
        if clash is not None:
            errors["room"] = [
                f"{fields.room} is taken then by “{clash.title}” "
                f"({timezone.localtime(clash.starts_at, zone):%H:%M}–"
                f"{timezone.localtime(clash.ends_at, zone):%H:%M})."
            ]
    raise_field_errors(errors)
    is_new = session is None
    session = session or Session(event=event)
    session.title = title
    session.abstract = fields.abstract
    session.kind = fields.kind
    session.track = fields.track
    session.room = fields.room
    session.starts_at = fields.starts_at
    session.ends_at = fields.ends_at
    session.save()
    session.speakers.set(fields.speakers)
    _audit(
        actor,
        "events.session.created" if is_new else "events.session.updated",
        session,
        event,
        room_id=session.room_id,
    )
    return session


@transaction.atomic
def session_delete(*, actor: User, session: Session) -> None:
    event = _locked(actor, session.event)
    _audit(actor, "events.session.deleted", session, event, title=session.title)
    session.delete()
