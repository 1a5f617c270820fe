"""Forms of the organizer pages for the agenda: tracks, rooms, speakers and sessions."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms

from ..models import (
    Event,
    Room,
    Session,
    SessionKind,
    Speaker,
    Track,
)
from ..services.agenda import SessionFields, SpeakerFields
from .organizer import (
    LocalDateTimeField,
    ZonedForm,
    int_field,
    local_input,
)


class TrackForm(forms.Form):
    name = forms.CharField(label="Track name", max_length=100)
    color = forms.CharField(
        label="Track colour",
        max_length=7,
        initial="#3b5bdb",
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    position = int_field("Track position", initial=0)


class RoomForm(forms.Form):
    name = forms.CharField(label="Room name", max_length=100)
    capacity = int_field("Room seats", minimum=1)
    accessibility_notes = forms.CharField(
        label="Room accessibility", max_length=300, required=False
    )
    position = int_field("Room position", initial=0)


class SpeakerForm(forms.Form):
    name = forms.CharField(label="Speaker name", max_length=200)
    email = forms.EmailField(
        label="Speaker email",
        required=False,
        help_text="If they have an account with this address, it is linked.",
    )
    affiliation = forms.CharField(max_length=200, required=False)
    bio = forms.CharField(
        label="Bio",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown.",
    )
    photo = forms.FileField(
        label="Photo", required=False, help_text="PNG, JPEG, GIF or WebP, at most 3 MB."
    )
    remove_photo = forms.BooleanField(label="Remove the photo", required=False)
    financial_relationships = forms.CharField(
        label="Financial relationships",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Relevant financial relationships with ineligible companies, in the last 24 "
        "months. Empty: the speaker declared none.",
    )
    disclosure_mitigation = forms.CharField(
        label="How they were mitigated",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @staticmethod
    def initial_for(speaker: Speaker) -> dict[str, Any]:
        return {
            "name": speaker.name,
            "email": speaker.email,
            "affiliation": speaker.affiliation,
            "bio": speaker.bio,
            "financial_relationships": speaker.financial_relationships,
            "disclosure_mitigation": speaker.disclosure_mitigation,
        }

    def fields_for_service(self) -> SpeakerFields:
        data = self.cleaned_data
        return SpeakerFields(
            name=data["name"],
            email=data["email"],
            affiliation=data["affiliation"],
            bio=data["bio"],
            financial_relationships=data["financial_relationships"],
            disclosure_mitigation=data["disclosure_mitigation"],
            photo=data.get("photo"),
            remove_photo=bool(data.get("remove_photo")),
        )


class SessionForm(ZonedForm):
    datetime_fields = ("starts_at", "ends_at")

    title = forms.CharField(label="Session title", max_length=200)
    kind = forms.ChoiceField(label="Session kind", choices=SessionKind.choices)
    starts_at = LocalDateTimeField(label="Session starts")
    ends_at = LocalDateTimeField(label="Session ends")
    track = forms.ModelChoiceField(
        queryset=Track.objects.none(), required=False, empty_label="No track"
    )
    room = forms.ModelChoiceField(
        queryset=Room.objects.none(), required=False, empty_label="No room"
    )
    speakers = forms.ModelMultipleChoiceField(
        queryset=Speaker.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    abstract = forms.CharField(
        max_length=20_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown.",
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, zone=event.zone, **kwargs)
        self.fields["track"].queryset = Track.objects.filter(event=event)  # type: ignore[attr-defined]
        self.fields["room"].queryset = Room.objects.filter(event=event)  # type: ignore[attr-defined]
        self.fields["speakers"].queryset = Speaker.objects.filter(event=event)  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(session: Session, zone: zoneinfo.ZoneInfo) -> dict[str, Any]:
        return {
            "title": session.title,
            "kind": session.kind,
            "starts_at": local_input(session.starts_at, zone),
            "ends_at": local_input(session.ends_at, zone),
            "track": session.track_id,
            "room": session.room_id,
            "speakers": list(session.speakers.all()),
            "abstract": session.abstract,
        }

    def fields_for_service(self) -> SessionFields:
        data = self.cleaned_data
        return SessionFields(
            title=data["title"],
            kind=data["kind"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            track=data["track"],
            room=data["room"],
            speakers=list(data["speakers"]),
            abstract=data["abstract"],
        )
