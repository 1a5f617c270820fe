"""Forms of the organizer pages (tickets in ``organizer_tickets``, the agenda in
``organizer_agenda``). They check shapes; the services check the rules.

Dates and times are typed in the event's own time zone (``datetime-local`` inputs) and turned into
aware datetimes in that zone here, so an organizer in Chicago sets up a Berlin event in Berlin
time."""

from __future__ import annotations

import datetime
import functools
import re
import zoneinfo
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from townsquare.academy.models import AccessTier
from townsquare.academy.models.credit import CreditType
from townsquare.accounts.models import Organization

from ..models import (
    Event,
    EventFormat,
    EventSeries,
    MessageAudience,
    OnlineProvider,
    RegistrationStatus,
    TicketType,
    WaitlistMode,
)
from ..services.events import CreditFields, EventFields

ZONE_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_INT = 100_000
EMAIL_SPLIT = re.compile(r"[\s,;]+")


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(
        name for name in zoneinfo.available_timezones() if name.split("/")[0] in ZONE_AREAS
    )
    return [("UTC", "UTC"), *[(name, name.replace("_", " ")) for name in names]]


def local_input(value: datetime.datetime | None, zone: zoneinfo.ZoneInfo) -> str | None:
    """An aware datetime as the wall-clock text a ``datetime-local`` input shows, in ``zone``."""
    return value.astimezone(zone).strftime(DATETIME_FORMAT) if value else None


def in_zone(value: datetime.datetime | None, zone: zoneinfo.ZoneInfo) -> datetime.datetime | None:
    """Read a typed wall-clock time as a time in ``zone`` (Django read it in the server's)."""
    if value is None:
        return None
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return naive.replace(tzinfo=zone)


class LocalDateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


class ZonedForm(forms.Form):
    """A form whose ``datetime_fields`` are wall-clock times in ``self.zone``."""

    datetime_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, zone: zoneinfo.ZoneInfo | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone or zoneinfo.ZoneInfo("UTC")

    def _zone_for_clean(self) -> zoneinfo.ZoneInfo:
        return self.zone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone = self._zone_for_clean()
        for name in self.datetime_fields:
            if data.get(name) is not None:
                data[name] = in_zone(data[name], zone)
        return data


def int_field(label: str, *, required: bool = False, minimum: int = 0, **kwargs: Any) -> Any:
    return forms.IntegerField(
        label=label, required=required, min_value=minimum, max_value=MAX_INT, **kwargs
    )


# Events ------------------------------------------------------------------------------------------


class EventForm(ZonedForm):
    datetime_fields = (
        "starts_at",
        "ends_at",
        "registration_opens_at",
        "registration_closes_at",
        "cancellation_deadline",
    )

    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences for lists.",
    )
    description = forms.CharField(
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown.",
    )
    format = forms.ChoiceField(choices=EventFormat.choices)
    series = forms.ModelChoiceField(
        queryset=EventSeries.objects.none(), required=False, empty_label="No series"
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        initial="America/Chicago",
        help_text="Where the event happens; every date and time on this form is in this zone.",
    )
    starts_at = LocalDateTimeField(label="Starts")
    ends_at = LocalDateTimeField(label="Ends")
    venue_name = forms.CharField(label="Venue", max_length=200, required=False)
    venue_address = forms.CharField(
        label="Venue address",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    accessibility_notes = forms.CharField(
        label="Accessibility",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Step-free access, hearing loops, captions, quiet room…",
    )
    online_provider = forms.ChoiceField(
        label="Online provider", choices=OnlineProvider.choices, required=False
    )
    join_url = forms.URLField(
        label="Join link",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Shown to confirmed attendees only.",
    )
    join_details = forms.CharField(
        label="Joining details",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Dial-in numbers, passcode. Markdown. Confirmed attendees only.",
    )
    recording_url = forms.URLField(
        label="Recording link", max_length=500, required=False, assume_scheme="https"
    )
    captions_url = forms.URLField(
        label="Captions link", max_length=500, required=False, assume_scheme="https"
    )
    host_organization = forms.ModelChoiceField(
        label="Host organization",
        queryset=Organization.objects.none(),
        required=False,
        empty_label="The center",
    )
    audience = forms.CharField(
        max_length=200, required=False, help_text="Who it is for, e.g. Nurses and nurse leaders."
    )
    access_tier = forms.ChoiceField(
        label="Who may register", choices=AccessTier.choices, initial=AccessTier.MEMBER
    )
    capacity = int_field("Capacity", required=True, minimum=1, help_text="Seats for all tickets.")
    registration_opens_at = LocalDateTimeField(
        label="Registration opens", required=False, help_text="Empty: as soon as published."
    )
    registration_closes_at = LocalDateTimeField(
        label="Registration closes", required=False, help_text="Empty: when the event starts."
    )
    cancellation_deadline = LocalDateTimeField(
        label="Cancellation deadline",
        required=False,
        help_text="Attendees may cancel until then. Empty: the start.",
    )
    waitlist_mode = forms.ChoiceField(
        label="When full", choices=WaitlistMode.choices, initial=WaitlistMode.OFFER
    )
    offer_hours = forms.IntegerField(
        label="Offer hours",
        min_value=1,
        max_value=24 * 14,
        initial=24,
        help_text="How long a freed seat is held for the person it is offered to.",
    )
    organizers = forms.CharField(
        label="Other organizers",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Email addresses of people with accounts, one per line.",
    )
    cover_image = forms.FileField(
        label="Cover image", required=False, help_text="PNG, JPEG, GIF or WebP, at most 5 MB."
    )
    remove_cover = forms.BooleanField(label="Remove the cover image", required=False)
    certificate_hours = forms.DecimalField(
        label="Certificate hours",
        required=False,
        min_value=Decimal("0.25"),
        max_value=Decimal("999.75"),
        decimal_places=2,
        help_text="Hours on the certificate of attendance. Empty: no certificate.",
    )
    offers_credit = forms.BooleanField(label="Offers CE credit", required=False)
    credit_type = forms.ChoiceField(
        label="Credit type", choices=[("", "—"), *CreditType.choices], required=False
    )
    credit_max_hours = forms.DecimalField(
        label="Credit hours",
        required=False,
        min_value=Decimal("0.25"),
        max_value=Decimal("999.75"),
        decimal_places=2,
    )
    credit_objectives = forms.CharField(
        label="Learning objectives",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line.",
    )
    credit_accreditation_statement = forms.CharField(
        label="Accreditation statement",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    credit_activity_number = forms.CharField(
        label="ACPE activity number", required=False, max_length=40
    )

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        super().__init__(*args, zone=event.zone if event else None, **kwargs)
        self.event = event
        self.fields["series"].queryset = EventSeries.objects.order_by("title")  # type: ignore[attr-defined]
        self.fields["host_organization"].queryset = Organization.objects.order_by("name")  # type: ignore[attr-defined]
        if event is None:
            del self.fields["remove_cover"]

    def _zone_for_clean(self) -> zoneinfo.ZoneInfo:
        name = self.cleaned_data.get("time_zone") or "UTC"
        return zoneinfo.ZoneInfo(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("offers_credit"):
            if not data.get("credit_type"):
                self.add_error("credit_type", "Choose the type of credit.")
            if data.get("credit_max_hours") is None:
                self.add_error("credit_max_hours", "Enter the credit hours.")
        return data

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        zone = event.zone
        activity = event.credit_activity
        return {
            "title": event.title,
            "summary": event.summary,
            "description": event.description,
            "format": event.format,
            "series": event.series_id,
            "time_zone": event.time_zone,
            "starts_at": local_input(event.starts_at, zone),
            "ends_at": local_input(event.ends_at, zone),
            "venue_name": event.venue_name,
            "venue_address": event.venue_address,
            "accessibility_notes": event.accessibility_notes,
            "online_provider": event.online_provider,
            "join_url": event.join_url,
            "join_details": event.join_details,
            "recording_url": event.recording_url,
            "captions_url": event.captions_url,
            "host_organization": event.host_organization_id,
            "audience": event.audience,
            "access_tier": event.access_tier,
            "capacity": event.capacity,
            "registration_opens_at": local_input(event.registration_opens_at, zone),
            "registration_closes_at": local_input(event.registration_closes_at, zone),
            "cancellation_deadline": local_input(event.cancellation_deadline, zone),
            "waitlist_mode": event.waitlist_mode,
            "offer_hours": event.offer_hours,
            "organizers": "\n".join(
                event.organizers.order_by("email").values_list("email", flat=True)
            ),
            "certificate_hours": event.certificate_hours,
            "offers_credit": activity is not None,
            "credit_type": activity.credit_type if activity else "",
            "credit_max_hours": activity.max_hours if activity else None,
            "credit_objectives": activity.objectives if activity else "",
            "credit_accreditation_statement": activity.accreditation_statement if activity else "",
            "credit_activity_number": activity.activity_number if activity else "",
        }

    def fields_for_service(self) -> EventFields:
        data = self.cleaned_data
        credit = None
        if data.get("offers_credit"):
            credit = CreditFields(
                credit_type=data["credit_type"],
                max_hours=data["credit_max_hours"],
                objectives=data["credit_objectives"],
                accreditation_statement=data["credit_accreditation_statement"],
                activity_number=data["credit_activity_number"],
            )
        return EventFields(
            title=data["title"],
            summary=data["summary"],
            description=data["description"],
            format=data["format"],
            series=data["series"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            venue_name=data["venue_name"],
            venue_address=data["venue_address"],
            accessibility_notes=data["accessibility_notes"],
            online_provider=data["online_provider"] or "",
            join_url=data["join_url"],
            join_details=data["join_details"],
            recording_url=data["recording_url"],
            captions_url=data["captions_url"],
            host_organization=data["host_organization"],
            capacity=data["capacity"],
            registration_opens_at=data["registration_opens_at"],
            registration_closes_at=data["registration_closes_at"],
            cancellation_deadline=data["cancellation_deadline"],
            audience=data["audience"],
            access_tier=data["access_tier"],
            waitlist_mode=data["waitlist_mode"],
            offer_hours=data["offer_hours"],
            organizer_emails=[part for part in EMAIL_SPLIT.split(data["organizers"]) if part],
            certificate_hours=data["certificate_hours"],
            credit=credit,
            cover_image=data.get("cover_image"),
            remove_cover=bool(data.get("remove_cover")),
        )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Message to everyone registered",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why, and what happens next (a new date, refunds).",
    )


class SeriesForm(forms.Form):
    title = forms.CharField(label="Series title", max_length=200)
    summary = forms.CharField(
        label="Series summary",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown.",
    )
    is_bundle = forms.BooleanField(
        label="A bundle (one occasion made of several events, such as a conference week)",
        required=False,
    )

    @staticmethod
    def initial_for(series: EventSeries) -> dict[str, Any]:
        return {"title": series.title, "summary": series.summary, "is_bundle": series.is_bundle}


# Registrations and messages ----------------------------------------------------------------------


class RegistrationFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *RegistrationStatus.choices], required=False
    )
    ticket_type = forms.TypedChoiceField(
        label="Ticket", coerce=int, required=False, empty_value=None, choices=[]
    )
    checked_in = forms.ChoiceField(
        label="Checked in",
        choices=[("", "Either"), ("yes", "Checked in"), ("no", "Not checked in")],
        required=False,
    )
    q = forms.CharField(label="Name or email", max_length=200, required=False)

    def __init__(self, *args: Any, ticket_types: list[TicketType], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].choices = [  # type: ignore[attr-defined]
            ("", "Any ticket"),
            *[(ticket.pk, ticket.name) for ticket in ticket_types],
        ]


class MessageForm(forms.Form):
    audience = forms.ChoiceField(label="Send to", choices=MessageAudience.choices)
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        label="Message",
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Plain text; each person gets their own copy.",
    )
