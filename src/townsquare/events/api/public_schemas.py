from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema
from pydantic import field_validator

from townsquare.academy.models import AccessTier

from ..forms.public import EARLIEST_YEAR, LATEST_YEAR
from ..models import EventFormat, EventStatus, SessionKind
from ..selectors.events import TicketAvailability


class EventFilterIn(Schema):
    q: str = Field("", max_length=200, description="Words to search for.")
    format: EventFormat | None = None
    mode: str = Field("", pattern="^(|online|in_person)$", description="online or in_person")
    tier: AccessTier | None = None
    series: str = Field("", max_length=120, description="A series slug.")
    starts_from: date | None = Field(None, description="Events starting on or after this day.")
    starts_until: date | None = Field(None, description="Events starting on or before this day.")
    past: bool = Field(False, description="Past events, newest first, instead of upcoming ones.")

    @field_validator("starts_from", "starts_until")
    @classmethod
    def year_in_range(cls, value: date | None) -> date | None:
        if value is not None and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValueError(f"Enter a date between {EARLIEST_YEAR} and {LATEST_YEAR}.")
        return value


class SeriesOut(Schema):
    id: int
    slug: str
    title: str


class OrganizationOut(Schema):
    id: int
    slug: str
    name: str


class EventOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    format: EventFormat
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    is_online: bool
    venue_name: str
    access_tier: AccessTier
    capacity: int
    seats_left: int
    series: SeriesOut | None
    host_organization: OrganizationOut | None
    url: str

    @staticmethod
    def resolve_seats_left(obj: object) -> int:
        taken = int(getattr(obj, "seats_taken_count", 0))
        return max(obj.capacity - taken, 0)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_url(obj: object) -> str:
        from ..services.calendars import event_url

        return event_url(obj)  # type: ignore[arg-type]


class TicketOut(Schema):
    id: int
    name: str
    description: str
    price: Decimal
    currency: str = "USD"
    capacity: int | None
    seats_left: int
    is_on_sale: bool
    members_only: bool
    minimum_tier: str

    @staticmethod
    def from_availability(item: TicketAvailability) -> "TicketOut":
        ticket = item.ticket_type
        return TicketOut(
            id=ticket.pk,
            name=ticket.name,
            description=ticket.description,
            price=ticket.price,
            capacity=ticket.capacity,
            seats_left=item.seats_left,
            is_on_sale=item.is_on_sale,
            members_only=ticket.members_only,
            minimum_tier=ticket.minimum_tier,
        )


class SpeakerOut(Schema):
    id: int
    name: str
    affiliation: str
    financial_relationships: str
    disclosure_mitigation: str


class EventDetailOut(EventOut):
    description: str
    venue_address: str
    accessibility_notes: str
    audience: str
    online_provider: str
    waitlist_mode: str
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    cancellation_deadline: datetime | None
    tickets: list[TicketOut]
    speakers: list[SpeakerOut]
    join_url: str | None = Field(None, description="Only for confirmed attendees.")
    recording_url: str | None = Field(None, description="After the event.")
    captions_url: str | None = Field(None, description="After the event.")
    my_registration_status: str | None = Field(None, description="The caller's registration.")

    @staticmethod
    def resolve_tickets(obj: object) -> list[TicketOut]:
        return list(getattr(obj, "api_tickets", []))

    @staticmethod
    def resolve_speakers(obj: object) -> list[object]:
        return list(getattr(obj, "speaker_list", []))

    @staticmethod
    def resolve_join_url(obj: object) -> str | None:
        return getattr(obj, "api_join_url", None)

    @staticmethod
    def resolve_recording_url(obj: object) -> str | None:
        return getattr(obj, "api_recording_url", None)

    @staticmethod
    def resolve_captions_url(obj: object) -> str | None:
        return getattr(obj, "api_captions_url", None)

    @staticmethod
    def resolve_my_registration_status(obj: object) -> str | None:
        return getattr(obj, "api_registration_status", None)


class SessionOut(Schema):
    id: int
    title: str
    abstract: str
    kind: SessionKind
    starts_at: datetime
    ends_at: datetime
    track: str | None
    room: str | None
    speakers: list[str]
    on_my_schedule: bool = False

    @staticmethod
    def resolve_track(obj: object) -> str | None:
        track = getattr(obj, "track", None)
        return track.name if track else None

    @staticmethod
    def resolve_room(obj: object) -> str | None:
        room = getattr(obj, "room", None)
        return room.name if room else None

    @staticmethod
    def resolve_speakers(obj: object) -> list[str]:
        return [speaker.name for speaker in obj.speakers.all()]  # type: ignore[attr-defined]
