"""Agenda services: tracks, rooms, speakers with photos and disclosures, sessions inside the event
and never two at once in one room."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townsquare.core.errors import PermissionRefused, ValidationFailed

from ..models import Room, Session, Speaker, Track
from ..services import agenda as services
from ..services.agenda import SessionFields, SpeakerFields
from .factories import make_attendee, make_event, make_organizer
from .support_organizer import png_upload

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture
def organizer():
    return make_organizer()


@pytest.fixture
def event(organizer):
    return make_event(organizers=(organizer,), duration=datetime.timedelta(hours=8))


def test_tracks_and_rooms_have_unique_names(organizer, event):
    services.track_save(actor=organizer, event=event, track=None, name="Clinical", color="#AA0000")
    with pytest.raises(ValidationFailed) as caught:
        services.track_save(actor=organizer, event=event, track=None, name="clinical", color="red")
    assert set(caught.value.field_errors) == {"name", "color"}
    services.room_save(actor=organizer, event=event, room=None, name="Hall A", capacity=100)
    with pytest.raises(ValidationFailed):
        services.room_save(actor=organizer, event=event, room=None, name="Hall  A")
    with pytest.raises(ValidationFailed):
        services.room_save(actor=organizer, event=event, room=None, name="Hall B", capacity=0)
    assert Track.objects.get().color == "#aa0000"
    assert Room.objects.count() == 1


def test_speakers_keep_photo_bio_and_disclosure(organizer, event):
    speaker_account = make_attendee(email="dr.lee@example.org")
    speaker = services.speaker_save(
        actor=organizer,
        event=event,
        speaker=None,
        fields=SpeakerFields(
            name="Dr. Lee",
            email="DR.LEE@example.org",
            bio="Pediatrician.",
            financial_relationships="Advisory board, Acme Devices",
            disclosure_mitigation="Peer-reviewed slides.",
            photo=png_upload(),
        ),
    )
    assert speaker.user == speaker_account
    assert str(speaker.photo.name).startswith("events/speakers/")
    assert speaker.has_relationships is True
    assert speaker.disclosed_at is not None
    with pytest.raises(ValidationFailed) as caught:
        services.speaker_save(
            actor=organizer,
            event=event,
            speaker=None,
            fields=SpeakerFields(name="Lee again", email="dr.lee@example.org"),
        )
    assert list(caught.value.field_errors) == ["email"]


def test_a_photo_that_is_not_an_image_is_refused(organizer, event):
    with pytest.raises(ValidationFailed) as caught:
        services.speaker_save(
            actor=organizer,
            event=event,
            speaker=None,
            fields=SpeakerFields(name="X", photo=SimpleUploadedFile("x.png", b"GIF89a nope")),
        )
    assert list(caught.value.field_errors) == ["photo"]
    assert Speaker.objects.count() == 0


def _session(event, room=None, *, start_hours=1, hours=1, title="Talk", speakers=()):
    starts_at = event.starts_at + start_hours * HOUR
    return SessionFields(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + hours * HOUR,
        room=room,
        speakers=list(speakers),
    )


def test_sessions_lie_within_the_event(organizer, event):
    with pytest.raises(ValidationFailed) as caught:
        services.session_save(
            actor=organizer, event=event, session=None, fields=_session(event, start_hours=-1)
        )
    assert list(caught.value.field_errors) == ["starts_at"]
    with pytest.raises(ValidationFailed) as caught:
        services.session_save(
            actor=organizer, event=event, session=None, fields=_session(event, hours=0)
        )
    assert list(caught.value.field_errors) == ["ends_at"]
    assert Session.objects.count() == 0


def test_two_sessions_never_share_a_room_at_once(organizer, event):
    room = services.room_save(actor=organizer, event=event, room=None, name="Hall A")
    other_room = services.room_save(actor=organizer, event=event, room=None, name="Hall B")
    first = services.session_save(
        actor=organizer, event=event, session=None, fields=_session(event, room, hours=2)
    )
    with pytest.raises(ValidationFailed) as caught:
        services.session_save(
            actor=organizer,
            event=event,
            session=None,
            fields=_session(event, room, start_hours=2, title="Overlap"),
        )
    assert caught.value.field_errors["room"][0].startswith("Hall A is taken then by “Talk”")
    # Back to back is fine, and so is another room at the same time.
    services.session_save(
        actor=organizer, event=event, session=None, fields=_session(event, room, start_hours=3)
    )
    services.session_save(
        actor=organizer, event=event, session=None, fields=_session(event, other_room)
    )
    # Editing a session does not clash with itself.
    services.session_save(
        actor=organizer, event=event, session=first, fields=_session(event, room, hours=2)
    )
    assert Session.objects.filter(event=event).count() == 3


def test_sessions_take_only_this_events_items(organizer, event):
    elsewhere = make_event(organizers=(organizer,))
    foreign_room = services.room_save(actor=organizer, event=elsewhere, room=None, name="Far")
    foreign_speaker = services.speaker_save(
        actor=organizer, event=elsewhere, speaker=None, fields=SpeakerFields(name="Far")
    )
    with pytest.raises(ValidationFailed) as caught:
        services.session_save(
            actor=organizer,
            event=event,
            session=None,
            fields=_session(event, foreign_room, speakers=[foreign_speaker]),
        )
    assert set(caught.value.field_errors) == {"room", "speakers"}


def test_speakers_and_rooms_link_to_sessions_and_deletes_keep_sessions(organizer, event):
    room = services.room_save(actor=organizer, event=event, room=None, name="Hall A")
    track = services.track_save(actor=organizer, event=event, track=None, name="Policy")
    speaker = services.speaker_save(
        actor=organizer, event=event, speaker=None, fields=SpeakerFields(name="Ana")
    )
    fields = _session(event, room, speakers=[speaker])
    fields.track = track
    session = services.session_save(actor=organizer, event=event, session=None, fields=fields)
    assert list(session.speakers.all()) == [speaker]
    services.room_delete(actor=organizer, room=room)
    services.track_delete(actor=organizer, track=track)
    session.refresh_from_db()
    assert (session.room_id, session.track_id) == (None, None)
    services.speaker_delete(actor=organizer, speaker=speaker)
    services.session_delete(actor=organizer, session=session)
    assert Session.objects.count() == 0


def test_only_managers_edit_the_agenda(event):
    outsider = make_organizer()
    with pytest.raises(PermissionRefused):
        services.track_save(actor=outsider, event=event, track=None, name="Mine")
    with pytest.raises(PermissionRefused):
        services.session_save(actor=outsider, event=event, session=None, fields=_session(event))
    assert Track.objects.count() == 0
