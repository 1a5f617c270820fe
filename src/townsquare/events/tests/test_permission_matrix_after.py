"""After the event and the call for proposals: every page and endpoint against every role;
refusals change nothing and are audited (same shape as academy's matrices). Two roles are added to
the shared cast: the event's ``organizer`` and the call's ``reviewer``."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from townsquare.academy.models import ActivityCompletion, Credential, CreditClaim
from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MATRIX_ROLES, make_matrix_people
from townsquare.core.testing.matrix import (
    DENIED,
    OK,
    REDIRECT_LOGIN,
    api_ids,
    assert_api_read,
    assert_api_write,
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
    send_json,
)

from ..models import (
    CallForProposals,
    Event,
    Feedback,
    Proposal,
    ProposalReview,
    Registration,
    Session,
)
from ..services import attendance, proposals
from .factories import make_event, make_organizer
from .support_after import CE_ANSWERS, make_call, make_past_event

pytestmark = pytest.mark.django_db

ROLES = [*MATRIX_ROLES, "organizer", "reviewer"]


@dataclass
class World:
    people: dict[str, User | None]
    event: Event
    upcoming: Event
    other_registration: Registration
    proposal: Proposal


@pytest.fixture
def world() -> World:
    cast = make_matrix_people()
    people: dict[str, User | None] = {
        **cast.people,
        "organizer": make_organizer(display_name="Olga Organizer"),
        "reviewer": make_organizer(display_name="Rita Reviewer"),
    }
    organizer, member = people["organizer"], cast.member
    assert organizer is not None
    event, (mine, other) = make_past_event(
        organizer=organizer,
        attendees=0,
        with_credit=True,
        people=(member, cast.people["org_member"]),  # type: ignore[arg-type]
    )
    attendance.attendance_mark(actor=organizer, event=event, registration=mine, attended=True)
    upcoming = make_event(organizers=(organizer,))
    call = make_call(upcoming, reviewers=(people["reviewer"],))  # type: ignore[arg-type]
    proposal = proposals.proposal_submit(
        actor=member, call=call, title="Patients online", abstract="Stories.", duration_minutes=30
    )
    return World(people, event, upcoming, other, proposal)


SIGNED_IN = [role for role in ROLES if role != "anonymous"]
ALL_SIGNED_IN = dict.fromkeys(SIGNED_IN, OK)
MANAGERS = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, DENIED),
    "staff": OK,
    "organizer": OK,
}
ATTENDEE = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "member": OK}
REVIEWERS = {**MANAGERS, "reviewer": OK}
PROPOSAL_READERS = {**REVIEWERS, "member": OK}

PAGES = [
    ("events:attendance_manage", "get", "/events/{slug}/manage/attendance/", MANAGERS),
    ("events:feedback_results", "get", "/events/{slug}/manage/feedback/", MANAGERS),
    ("events:feedback_results_csv", "get", "/events/{slug}/manage/feedback.csv", MANAGERS),
    ("events:feedback", "get", "/events/{slug}/feedback/", ATTENDEE),
    (
        "events:credit_claim",
        "get",
        "/events/{slug}/credit/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    ("events:call_manage", "get", "/events/{upcoming}/manage/call/", MANAGERS),
    ("events:call_detail", "get", "/events/{upcoming}/call/", {"anonymous": OK, **ALL_SIGNED_IN}),
    (
        "events:proposal_submit",
        "get",
        "/events/{upcoming}/call/submit/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    (
        "events:my_proposals",
        "get",
        "/events/proposals/",
        {"anonymous": REDIRECT_LOGIN, **ALL_SIGNED_IN},
    ),
    ("events:proposal_detail", "get", "/events/proposals/{proposal}/", PROPOSAL_READERS),
    ("events:proposals_review", "get", "/events/{upcoming}/manage/proposals/", REVIEWERS),
]

MANAGER_WRITE = {
    "anonymous": REDIRECT_LOGIN,
    **dict.fromkeys(SIGNED_IN, DENIED),
    "staff": 302,
    "organizer": 302,
}


def _report(world: World) -> dict[str, object]:
    email = world.other_registration.attendee.email
    content = f"User Email,Time in Session (minutes)\n{email},45\n".encode()
    return {
        "report": SimpleUploadedFile("report.csv", content, content_type="text/csv"),
        "minimum_minutes": "10",
    }


# ``data`` is a dict, or a callable taking the world (for uploads and ids).
WRITES = [
    (
        "events:attendance_mark",
        "/events/{slug}/manage/attendance/mark",
        lambda world: {"registration": world.other_registration.pk, "attended": "1"},
        MANAGER_WRITE,
    ),
    (
        "events:attendance_import",
        "/events/{slug}/manage/attendance/import",
        _report,
        {**MANAGER_WRITE, "staff": OK, "organizer": OK},
    ),
    ("events:certificates_issue", "/events/{slug}/manage/certificates/issue", {}, MANAGER_WRITE),
    (
        "events:feedback",
        "/events/{slug}/feedback/",
        CE_ANSWERS,
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "member": 302},
    ),
    (
        "events:credit_claim",
        "/events/{slug}/credit/",
        {"hours": "1", "attested": "on", "license_number": "RN1", "license_state": "OH"},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, 422)},
    ),
    (
        "events:call_manage",
        "/events/{upcoming}/manage/call/",
        lambda world: {
            "guidelines": "New guidelines",
            "opens_at": "2024-01-01T09:00",
            "closes_at": "2024-02-01T09:00",
            "reviewers": "",
        },
        MANAGER_WRITE,
    ),
    (
        "events:proposal_submit",
        "/events/{upcoming}/call/submit/",
        {"title": "A talk", "abstract": "About it.", "kind": "talk", "duration_minutes": "20"},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, 302)},
    ),
    (
        "events:proposal_withdraw",
        "/events/proposals/{proposal}/withdraw",
        {},
        {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "member": 302},
    ),
    (
        "events:proposal_review",
        "/events/proposals/{proposal}/review",
        {"score": "4", "comment": "Solid."},
        {**MANAGER_WRITE, "reviewer": 302},
    ),
    (
        "events:proposal_decide",
        "/events/proposals/{proposal}/decide",
        {"decision": "rejected", "note": "Not this year."},
        MANAGER_WRITE,
    ),
]

API_MANAGERS = {"anonymous": 401, **dict.fromkeys(SIGNED_IN, DENIED), "staff": OK, "organizer": OK}

API = [("get", "/api/v1/events/{event_id}/feedback/summary", None, API_MANAGERS)]

API_WRITES = [
    (
        "post",
        "/api/v1/events/{event_id}/attendance",
        {"registration_id": "{other_registration}", "attended": True},
        API_MANAGERS,
    )
]


def fill(template: str, world: World) -> str:
    return template.format(
        slug=world.event.slug,
        upcoming=world.upcoming.slug,
        proposal=world.proposal.pk,
        event_id=world.event.pk,
        other_registration=world.other_registration.pk,
    )


def _body(body: dict[str, object], world: World) -> dict[str, object]:
    return {
        key: int(fill(value, world)) if isinstance(value, str) and "{" in value else value
        for key, value in body.items()
    }


def state() -> tuple:
    return (
        list(
            Registration.objects.order_by("pk").values_list(
                "pk", "attended", "attendance_source", "attended_minutes"
            )
        ),
        list(Feedback.objects.order_by("pk").values_list("pk", "user_id")),
        list(Credential.objects.order_by("pk").values_list("pk", "user_id", "kind")),
        list(ActivityCompletion.objects.order_by("pk").values_list("pk", "user_id")),
        list(CreditClaim.objects.order_by("pk").values_list("pk", "user_id")),
        list(CallForProposals.objects.order_by("pk").values_list("pk", "guidelines", "opens_at")),
        list(Proposal.objects.order_by("pk").values_list("pk", "status")),
        list(ProposalReview.objects.order_by("pk").values_list("pk", "score")),
        Session.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_page(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path", "data", "expected"), WRITES, ids=page_ids(WRITES))
def test_page_writes(world, role, name, path, data, expected):
    before = state()
    form = data(world) if callable(data) else data
    response = client_as(world, role).post(fill(path, world), form)
    assert_page_write(
        response,
        expected[role],
        before,
        state(),
        unchanged=(DENIED, 404, REDIRECT_LOGIN, 422),
        changed_otherwise=True,
        audited=True,
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    response = getattr(client_as(world, role), method)(fill(path, world))
    assert_api_read(response, expected[role], json_body=True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), API_WRITES, ids=api_ids(API_WRITES)
)
def test_api_writes(world, role, method, path, body, expected):
    before = state()
    response = send_json(client_as(world, role), method, fill(path, world), _body(body, world))
    assert_api_write(response, expected[role], before, state(), problem_for=(DENIED, 401))
    if expected[role] == OK:
        assert response.json()["attended"] is True
