"""Organizer pages and the organizer API against every role: who gets in, who is refused, that
refusals change nothing and are audited, and that allowed writes change something.

Roles: ``instructor`` may create events but does not organize this one; ``organizer`` organizes
it. Drafts are invisible (404) to people who may not manage them. Write rows' ``data`` may be a
callable taking the world (for uploads and ids)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from townsquare.accounts.models import Role, User
from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.testing.matrix import (
    DENIED,
    MISSING,
    OK,
    REDIRECT_LOGIN,
    api_ids,
    assert_api_read,
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
)

from ..models import (
    DiscountCode,
    Event,
    EventMessage,
    EventSeries,
    Order,
    Registration,
    RegistrationQuestion,
    Room,
    Session,
    Speaker,
    TicketType,
    Track,
)
from ..services import agenda, events, ticketing
from ..services.agenda import SessionFields, SpeakerFields
from ..services.ticketing import DiscountCodeFields, QuestionFields
from .factories import make_attendee, make_event, make_organizer, make_ticket_type, register
from .support_organizer import event_form_data, local, png_upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "patient", "member", "instructor", "organizer", "staff"]


@dataclass
class World:
    people: dict[str, User | None]
    event: Event
    draft: Event
    spare: TicketType
    code: DiscountCode
    question: RegistrationQuestion
    track: Track
    room: Room
    speaker: Speaker
    session: Session
    series: EventSeries
    waiting: Registration
    order: Order


@pytest.fixture
def world() -> World:
    organizer = make_organizer(display_name="Olga Organizer")
    people: dict[str, User | None] = {
        "anonymous": None,
        "patient": make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver"),
        "member": make_user(display_name="Mia Member"),
        "instructor": make_organizer(display_name="Ian Instructor"),
        "organizer": organizer,
        "staff": make_staff(),
    }
    event = make_event(
        organizers=(organizer,),
        capacity=1,
        venue_name="Hall",
        duration=datetime.timedelta(hours=6),
        with_ticket=False,
    )
    paid = make_ticket_type(event, name="Paid", price="40")
    confirmed = register(make_attendee(), event, ticket_type=paid)
    waiting = register(make_attendee(), event, ticket_type=paid)
    draft = make_event(published=False, organizers=(organizer,), venue_name="Hall")
    spare = make_ticket_type(event, name="Spare")
    code = ticketing.discount_code_save(
        actor=organizer,
        event=event,
        discount_code=None,
        fields=DiscountCodeFields(code="SPRING", kind="percent", value=10),  # type: ignore[arg-type]
    )
    question = ticketing.question_save(
        actor=organizer, event=event, question=None, fields=QuestionFields(label="Diet")
    )
    track = agenda.track_save(actor=organizer, event=event, track=None, name="Clinical")
    room = agenda.room_save(actor=organizer, event=event, room=None, name="Hall A")
    speaker = agenda.speaker_save(
        actor=organizer, event=event, speaker=None, fields=SpeakerFields(name="Dr. Sam")
    )
    start = event.starts_at + datetime.timedelta(hours=1)
    session = agenda.session_save(
        actor=organizer,
        event=event,
        session=None,
        fields=SessionFields(
            title="Opening", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
        ),
    )
    series = events.series_save(actor=organizer, series=None, title="Webinar Wednesdays")
    return World(
        people,
        event,
        draft,
        spare,
        code,
        question,
        track,
        room,
        speaker,
        session,
        series,
        waiting,
        confirmed.order,
    )


SIGNED_IN = [role for role in ROLES if role != "anonymous"]
MANAGERS = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, DENIED),
    "organizer": OK,
    "staff": OK,
}
DRAFT_MANAGERS = {**MANAGERS, "patient": MISSING, "member": MISSING, "instructor": MISSING}
CREATORS = {**MANAGERS, "instructor": OK}
MANAGER_WRITE = {**MANAGERS, "organizer": 302, "staff": 302}
DRAFT_WRITE = {**DRAFT_MANAGERS, "organizer": 302, "staff": 302}
CREATOR_WRITE = {**CREATORS, "instructor": 302, "organizer": 302, "staff": 302}

E = "/events/{slug}/manage"

PAGES = [
    ("events:manage_list", "get", "/events/manage/", CREATORS),
    ("events:event_create", "get", "/events/manage/new/", CREATORS),
    ("events:series_manage", "get", "/events/manage/series/", CREATORS),
    ("events:series_edit", "get", "/events/manage/series/{series}/", CREATORS),
    ("events:event_edit", "get", f"{E}/", MANAGERS),
    ("events:event_edit (draft)", "get", "/events/{draft}/manage/", DRAFT_MANAGERS),
    ("events:tickets_manage", "get", f"{E}/tickets/", MANAGERS),
    ("events:ticket_type_create", "get", f"{E}/tickets/new/", MANAGERS),
    ("events:ticket_type_edit", "get", f"{E}/tickets/{{spare}}/", MANAGERS),
    ("events:discount_code_create", "get", f"{E}/codes/new/", MANAGERS),
    ("events:discount_code_edit", "get", f"{E}/codes/{{code}}/", MANAGERS),
    ("events:question_create", "get", f"{E}/questions/new/", MANAGERS),
    ("events:question_edit", "get", f"{E}/questions/{{question}}/", MANAGERS),
    ("events:agenda_manage", "get", f"{E}/agenda/", MANAGERS),
    ("events:track_create", "get", f"{E}/agenda/tracks/new/", MANAGERS),
    ("events:track_edit", "get", f"{E}/agenda/tracks/{{track}}/", MANAGERS),
    ("events:room_create", "get", f"{E}/agenda/rooms/new/", MANAGERS),
    ("events:room_edit", "get", f"{E}/agenda/rooms/{{room}}/", MANAGERS),
    ("events:speaker_create", "get", f"{E}/agenda/speakers/new/", MANAGERS),
    ("events:speaker_edit", "get", f"{E}/agenda/speakers/{{speaker}}/", MANAGERS),
    ("events:session_create", "get", f"{E}/agenda/sessions/new/", MANAGERS),
    ("events:session_edit", "get", f"{E}/agenda/sessions/{{session}}/", MANAGERS),
    ("events:registrations_manage", "get", f"{E}/registrations/", MANAGERS),
    ("events:registrations_export", "get", "/events/{slug}/manage/registrations.csv", MANAGERS),
    ("events:waitlist_manage", "get", f"{E}/waitlist/", MANAGERS),
    ("events:messages_manage", "get", f"{E}/messages/", MANAGERS),
]


def _event_data(world: World) -> dict[str, Any]:
    return event_form_data(
        title="Renamed event",
        capacity="5",
        starts_at=local(world.event.starts_at),
        ends_at=local(world.event.ends_at),
        venue_name="Hall",
        organizers="",
    )


def _session_data(world: World) -> dict[str, Any]:
    start = world.event.starts_at + datetime.timedelta(hours=3)
    return {
        "title": "Closing",
        "kind": "talk",
        "starts_at": local(start),
        "ends_at": local(start + datetime.timedelta(hours=1)),
        "room": world.room.pk,
        "speakers": [world.speaker.pk],
    }


TICKET = {"name": "Student", "price": "10", "is_active": "on", "position": "0"}
CODE = {"code": "SUMMER", "kind": "amount", "value": "5"}
QUESTION = {"label": "T-shirt", "kind": "text", "purpose": "general"}

WRITES = [
    ("events:event_create", "/events/manage/new/", lambda world: event_form_data(), CREATOR_WRITE),
    ("events:series_manage", "/events/manage/series/", {"title": "Boot camps"}, CREATOR_WRITE),
    ("events:series_edit", "/events/manage/series/{series}/", {"title": "Weds"}, CREATOR_WRITE),
    ("events:event_edit", f"{E}/", _event_data, MANAGER_WRITE),
    ("events:event_publish", "/events/{draft}/manage/publish", {}, DRAFT_WRITE),
    ("events:event_cancel", f"{E}/cancel", {"reason": "Ill."}, MANAGER_WRITE),
    ("events:ticket_type_create", f"{E}/tickets/new/", TICKET, MANAGER_WRITE),
    ("events:ticket_type_edit", f"{E}/tickets/{{spare}}/", TICKET, MANAGER_WRITE),
    ("events:ticket_type_delete", f"{E}/tickets/{{spare}}/delete", {}, MANAGER_WRITE),
    ("events:discount_code_create", f"{E}/codes/new/", CODE, MANAGER_WRITE),
    ("events:discount_code_edit", f"{E}/codes/{{code}}/", CODE, MANAGER_WRITE),
    ("events:discount_code_delete", f"{E}/codes/{{code}}/delete", {}, MANAGER_WRITE),
    ("events:question_create", f"{E}/questions/new/", QUESTION, MANAGER_WRITE),
    ("events:question_edit", f"{E}/questions/{{question}}/", QUESTION, MANAGER_WRITE),
    ("events:question_delete", f"{E}/questions/{{question}}/delete", {}, MANAGER_WRITE),
    (
        "events:track_create",
        f"{E}/agenda/tracks/new/",
        {"name": "Policy", "color": "#112233"},
        MANAGER_WRITE,
    ),
    (
        "events:track_edit",
        f"{E}/agenda/tracks/{{track}}/",
        {"name": "Ops", "color": "#112233"},
        MANAGER_WRITE,
    ),
    ("events:track_delete", f"{E}/agenda/tracks/{{track}}/delete", {}, MANAGER_WRITE),
    ("events:room_create", f"{E}/agenda/rooms/new/", {"name": "Hall B"}, MANAGER_WRITE),
    ("events:room_edit", f"{E}/agenda/rooms/{{room}}/", {"name": "Hall C"}, MANAGER_WRITE),
    ("events:room_delete", f"{E}/agenda/rooms/{{room}}/delete", {}, MANAGER_WRITE),
    (
        "events:speaker_create",
        f"{E}/agenda/speakers/new/",
        lambda world: {"name": "Dr. Kim", "photo": png_upload()},
        MANAGER_WRITE,
    ),
    ("events:speaker_edit", f"{E}/agenda/speakers/{{speaker}}/", {"name": "Dr. S"}, MANAGER_WRITE),
    ("events:speaker_delete", f"{E}/agenda/speakers/{{speaker}}/delete", {}, MANAGER_WRITE),
    ("events:session_create", f"{E}/agenda/sessions/new/", _session_data, MANAGER_WRITE),
    ("events:session_edit", f"{E}/agenda/sessions/{{session}}/", _session_data, MANAGER_WRITE),
    ("events:session_delete", f"{E}/agenda/sessions/{{session}}/delete", {}, MANAGER_WRITE),
    ("events:waitlist_cancel", f"{E}/waitlist/{{waiting}}/cancel", {}, MANAGER_WRITE),
    ("events:order_mark_paid", f"{E}/orders/{{order}}/paid", {}, MANAGER_WRITE),
    (
        "events:messages_manage",
        f"{E}/messages/",
        {"audience": "confirmed", "subject": "Parking", "body": "Lot B."},
        MANAGER_WRITE,
    ),
]

API_READERS = {
    "anonymous": 401,
    **dict.fromkeys(SIGNED_IN, DENIED),
    "organizer": OK,
    "staff": OK,
}
API = [("get", "/api/v1/events/{event_id}/registrations", None, API_READERS)]
API_WRITES: list[tuple[Any, ...]] = []


def fill(template: str, world: World) -> str:
    return template.format(
        slug=world.event.slug,
        draft=world.draft.slug,
        event_id=world.event.pk,
        spare=world.spare.pk,
        code=world.code.pk,
        question=world.question.pk,
        track=world.track.pk,
        room=world.room.pk,
        speaker=world.speaker.pk,
        session=world.session.pk,
        series=world.series.pk,
        waiting=world.waiting.pk,
        order=world.order.pk,
    )


def state() -> tuple:
    return (
        list(Event.objects.order_by("pk").values_list("pk", "title", "status", "capacity")),
        list(EventSeries.objects.order_by("pk").values_list("pk", "title")),
        list(TicketType.objects.order_by("pk").values_list("pk", "name", "price")),
        list(DiscountCode.objects.order_by("pk").values_list("pk", "code", "kind")),
        list(RegistrationQuestion.objects.order_by("pk").values_list("pk", "label")),
        list(Track.objects.order_by("pk").values_list("pk", "name")),
        list(Room.objects.order_by("pk").values_list("pk", "name")),
        list(Speaker.objects.order_by("pk").values_list("pk", "name", "photo")),
        list(Session.objects.order_by("pk").values_list("pk", "title")),
        list(Registration.objects.order_by("pk").values_list("pk", "status")),
        list(Order.objects.order_by("pk").values_list("pk", "status")),
        EventMessage.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_page(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    form = data(world) if callable(data) else data
    before = state()
    response = client_as(world, role).post(fill(path, world), form)
    assert_page_write(
        response, expected[role], before, state(), changed_otherwise=True, audited=True
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role])


def test_a_missing_event_is_404_for_managers_too(world):
    client = client_as(world, "staff")
    assert client.get("/events/no-such-event/manage/").status_code == 404
    assert client.get("/api/v1/events/987654321/registrations").status_code == 404
