"""Forms of the call for proposals: the call, a proposal, a review, a decision."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from ..models import Event, ProposalStatus, Room, SessionKind, Track
from ..services.proposals import MAX_REVIEWERS, PROPOSAL_KINDS

LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventTimeField(forms.DateTimeField):
    """A date and time typed in the event's own time zone."""

    widget = LOCAL

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        super().__init__(*args, **kwargs)


def _in_zone(form: forms.Form, event: Event, *names: str) -> None:
    """Show and read the form's datetimes in the event's time zone."""
    for name in names:
        value = form.initial.get(name)
        if isinstance(value, datetime.datetime):
            form.initial[name] = value.astimezone(event.zone).replace(tzinfo=None)


def _aware(value: datetime.datetime | None, event: Event) -> datetime.datetime | None:
    if value is None:
        return None
    naive = value.replace(tzinfo=None)
    return timezone.make_aware(naive, event.zone)


class CallForm(forms.Form):
    guidelines = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20_000,
        help_text="Markdown: topics, formats, what reviewers look for.",
    )
    opens_at = EventTimeField(label="Opens")
    closes_at = EventTimeField(label="Closes", help_text="Before the event starts.")
    reviewers = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=10_000,
        help_text="Reviewers' account emails, one per line.",
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        _in_zone(self, event, "opens_at", "closes_at")
        for name in ("opens_at", "closes_at"):
            self.fields[name].help_text = (
                f"{self.fields[name].help_text} In the event's time zone ({event.time_zone})."
            ).strip()

    def clean_reviewers(self) -> list[str]:
        emails = [line.strip() for line in self.cleaned_data["reviewers"].splitlines()]
        emails = [email for email in emails if email]
        if len(emails) > MAX_REVIEWERS:
            raise ValidationError(f"Name at most {MAX_REVIEWERS} reviewers.")
        for email in emails:
            try:
                validate_email(email)
            except ValidationError as error:
                raise ValidationError(f"“{email[:80]}” is not an email address.") from error
        return emails

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "guidelines": data["guidelines"],
            "opens_at": _aware(data["opens_at"], self.event),
            "closes_at": _aware(data["closes_at"], self.event),
            "reviewer_emails": data["reviewers"],
        }


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200)
    abstract = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), max_length=10_000, help_text="Markdown."
    )
    kind = forms.ChoiceField(
        choices=[(kind, SessionKind(kind).label) for kind in PROPOSAL_KINDS], label="Format"
    )
    duration_minutes = forms.IntegerField(
        min_value=5, max_value=480, initial=45, label="Length in minutes"
    )
    track = forms.ModelChoiceField(queryset=Track.objects.none(), required=False)
    speaker_bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        label="Your biography",
        help_text="Shown with the session if it is accepted. Markdown.",
    )
    financial_relationships = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        label="Relevant financial relationships",
        help_text="Disclose any in the last 24 months (company and nature). Leave empty for none.",
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track = self.fields["track"]
        assert isinstance(track, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        track.queryset = Track.objects.filter(event=event)
        if not track.queryset.exists():
            del self.fields["track"]


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        choices=[
            (str(n), label)
            for n, label in [(1, "1 (weak)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (excellent)")]
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=4000
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(ProposalStatus.ACCEPTED, "Accept"), (ProposalStatus.REJECTED, "Reject")],
        widget=forms.RadioSelect,
    )
    starts_at = EventTimeField(
        required=False, label="Session starts", help_text="Required to accept."
    )
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False)
    track = forms.ModelChoiceField(queryset=Track.objects.none(), required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text="Sent to the submitter with the decision.",
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event
        room = self.fields["room"]
        track = self.fields["track"]
        assert isinstance(room, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        assert isinstance(track, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        room.queryset = Room.objects.filter(event=event)
        track.queryset = Track.objects.filter(event=event)
        self.fields[
            "starts_at"
        ].help_text = f"Required to accept; in the event's time zone ({event.time_zone})."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == ProposalStatus.ACCEPTED and not data.get("starts_at"):
            self.add_error("starts_at", "Choose when the session starts.")
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "accept": data["decision"] == ProposalStatus.ACCEPTED,
            "note": data["note"],
            "starts_at": _aware(data.get("starts_at"), self.event),
            "room": data.get("room"),
            "track": data.get("track"),
        }
