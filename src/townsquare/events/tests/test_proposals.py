"""The call for proposals: opening it, submitting, reviewing, deciding, withdrawing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed

from ..models import Proposal, ProposalReview, Room, Session, Speaker
from ..services import proposals as services
from .factories import make_attendee, make_event, make_organizer
from .support_after import make_call

pytestmark = pytest.mark.django_db


def _proposal(call, submitter=None, **fields):
    return services.proposal_submit(
        actor=submitter or make_attendee(),
        call=call,
        title=fields.pop("title", "Patients on TikTok"),
        abstract="What we learned.",
        kind=fields.pop("kind", "talk"),
        duration_minutes=fields.pop("duration_minutes", 30),
        speaker_bio="Nurse educator.",
        financial_relationships=fields.pop("financial_relationships", ""),
        **fields,
    )


def test_call_save_sets_dates_and_reviewers():
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    reviewer = make_attendee()
    now = timezone.now()
    call = services.call_save(
        actor=organizer,
        event=event,
        guidelines="Topics",
        opens_at=now,
        closes_at=now + datetime.timedelta(days=3),
        reviewer_emails=[reviewer.email.upper()],
    )
    assert list(call.reviewers.all()) == [reviewer]
    with pytest.raises(ValidationFailed) as caught:
        services.call_save(
            actor=organizer,
            event=event,
            guidelines="",
            opens_at=now,
            closes_at=event.starts_at + datetime.timedelta(hours=1),
            reviewer_emails=["ghost@example.org"],
        )
    assert caught.value.field_errors == {
        "closes_at": ["The call must close before the event starts."]
    }
    with pytest.raises(ValidationFailed, match="ghost@example.org"):
        services.call_save(
            actor=organizer,
            event=event,
            guidelines="",
            opens_at=now,
            closes_at=now + datetime.timedelta(days=1),
            reviewer_emails=["ghost@example.org"],
        )
    with pytest.raises(PermissionRefused):
        services.call_save(
            actor=reviewer,
            event=event,
            guidelines="",
            opens_at=now,
            closes_at=now + datetime.timedelta(days=1),
            reviewer_emails=[],
        )


def test_submit_only_while_open_and_with_valid_fields(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(organizers=(make_organizer(),))
    call = make_call(event)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _proposal(call)
    assert proposal.status == "submitted"
    assert mailoutbox[0].subject == "We received your proposal: Patients on TikTok"
    with pytest.raises(ValidationFailed) as caught:
        _proposal(call, title=" ", kind="break", duration_minutes=600)
    assert set(caught.value.field_errors) == {"title", "kind", "duration_minutes"}
    closed = make_call(make_event(), is_open=False)
    with pytest.raises(ValidationFailed, match="opens on"):
        _proposal(closed)


def test_reviews_are_one_per_reviewer_editable_and_never_own():
    organizer = make_organizer()
    reviewer = make_attendee()
    event = make_event(organizers=(organizer,))
    call = make_call(event, reviewers=(reviewer,))
    proposal = _proposal(call)
    services.proposal_review_save(actor=reviewer, proposal=proposal, score=2, comment="Thin.")
    services.proposal_review_save(actor=reviewer, proposal=proposal, score=4, comment="Better.")
    assert list(ProposalReview.objects.values_list("score", "comment")) == [(4, "Better.")]
    with pytest.raises(ValidationFailed):
        services.proposal_review_save(actor=reviewer, proposal=proposal, score=6)
    own = _proposal(call, submitter=reviewer)
    with pytest.raises(PermissionRefused):
        services.proposal_review_save(actor=reviewer, proposal=own, score=5)
    with pytest.raises(PermissionRefused):
        services.proposal_review_save(actor=make_attendee(), proposal=proposal, score=5)


def test_accepting_places_a_session_with_the_speaker(
    mailoutbox, django_capture_on_commit_callbacks
):
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    room = Room.objects.create(event=event, name="Hall A")
    call = make_call(event)
    proposal = _proposal(call, kind="panel", duration_minutes=60, financial_relationships="Acme")
    with pytest.raises(ValidationFailed) as caught:
        services.proposal_decide(
            actor=organizer,
            proposal=proposal,
            accept=True,
            starts_at=event.ends_at - datetime.timedelta(minutes=30),
            room=room,
        )
    assert list(caught.value.field_errors) == ["starts_at"]
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.proposal_decide(
            actor=organizer,
            proposal=proposal,
            accept=True,
            note="Welcome!",
            starts_at=event.starts_at,
            room=room,
        )
    session = Session.objects.get()
    assert (session.kind, session.ends_at - session.starts_at, session.room) == (
        "panel",
        datetime.timedelta(minutes=60),
        room,
    )
    speaker = Speaker.objects.get()
    assert (speaker.user, speaker.bio, speaker.financial_relationships) == (
        proposal.submitter,
        "Nurse educator.",
        "Acme",
    )
    assert list(session.speakers.all()) == [speaker]
    assert proposal.session == session
    assert "accepted" in mailoutbox[-1].subject
    assert "Welcome!" in mailoutbox[-1].body
    with pytest.raises(Conflict):
        services.proposal_decide(actor=organizer, proposal=proposal, accept=False)
    second = _proposal(call)
    with pytest.raises(ValidationFailed, match="Hall A is taken then by"):
        services.proposal_decide(
            actor=organizer, proposal=second, accept=True, starts_at=event.starts_at, room=room
        )


def test_rejecting_emails_and_withdrawing(mailoutbox, django_capture_on_commit_callbacks):
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    call = make_call(event)
    proposal = _proposal(call)
    with pytest.raises(PermissionRefused):
        services.proposal_decide(actor=proposal.submitter, proposal=proposal, accept=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(actor=organizer, proposal=proposal, accept=False, note="Full.")
    assert "rejected" in mailoutbox[-1].subject
    with pytest.raises(Conflict):
        services.proposal_withdraw(actor=proposal.submitter, proposal=proposal)
    other = _proposal(call)
    with pytest.raises(PermissionRefused):
        services.proposal_withdraw(actor=organizer, proposal=other)
    services.proposal_withdraw(actor=other.submitter, proposal=other)
    assert Proposal.objects.get(pk=other.pk).status == "withdrawn"


def test_pages_submit_review_decide(client):
    organizer = make_organizer()
    reviewer = make_attendee()
    event = make_event(organizers=(organizer,))
    make_call(event, reviewers=(reviewer,))
    speaker = make_attendee()
    client.force_login(speaker)
    assert "Submit a proposal" in client.get(f"/events/{event.slug}/call/").content.decode()
    response = client.post(
        f"/events/{event.slug}/call/submit/",
        {
            "title": "Live tweeting rounds",
            "abstract": "How.",
            "kind": "talk",
            "duration_minutes": "20",
        },
    )
    proposal = Proposal.objects.get()
    assert response["Location"] == f"/events/proposals/{proposal.pk}/"
    assert "Live tweeting rounds" in client.get("/events/proposals/").content.decode()

    client.force_login(reviewer)
    response = client.post(f"/events/proposals/{proposal.pk}/review", {"score": "9"})
    assert response.status_code == 422
    client.post(f"/events/proposals/{proposal.pk}/review", {"score": "4", "comment": "Good"})
    assert ProposalReview.objects.get().score == 4

    client.force_login(organizer)
    response = client.post(f"/events/proposals/{proposal.pk}/decide", {"decision": "accepted"})
    assert response.status_code == 422
    assert "Choose when the session starts." in response.content.decode()
    start = event.starts_at.replace(second=0) + datetime.timedelta(minutes=1)
    response = client.post(
        f"/events/proposals/{proposal.pk}/decide",
        {
            "decision": "accepted",
            "starts_at": start.astimezone(event.zone).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert Session.objects.get().starts_at == start
    page = client.get(f"/events/{event.slug}/manage/proposals/").content.decode()
    assert "4.00" in page


def test_call_manage_page(client):
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    client.force_login(organizer)
    start = timezone.now().astimezone(event.zone)
    response = client.post(
        f"/events/{event.slug}/manage/call/",
        {
            "guidelines": "Topics",
            "opens_at": start.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (start + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
            "reviewers": "not an email",
        },
    )
    assert response.status_code == 422
    assert "is not an email address" in response.content.decode()


@pytest.mark.parametrize("rows", [5, 50])
def test_review_list_queries_do_not_grow(client, django_assert_num_queries, rows):
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    call = make_call(event)
    reviewer = make_attendee()
    call.reviewers.add(reviewer)
    for _ in range(rows):
        proposal = _proposal(call)
        services.proposal_review_save(actor=reviewer, proposal=proposal, score=3)
    client.force_login(organizer)
    client.get(f"/events/{event.slug}/manage/proposals/")
    with django_assert_num_queries(8):
        response = client.get(f"/events/{event.slug}/manage/proposals/")
    assert response.status_code == 200


def test_proposals_page_without_a_call_leads_organizers_to_open_one(client):
    organizer = make_organizer()
    event = make_event(organizers=(organizer,))
    client.force_login(organizer)
    response = client.get(f"/events/{event.slug}/manage/proposals/")
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.slug}/manage/call/"
    client.force_login(make_attendee())
    assert client.get(f"/events/{event.slug}/manage/proposals/").status_code == 404
