"""The call for proposals: organizers open a call, speakers submit within its dates, reviewers
score (never their own), organizers decide; accepting puts a session with its speaker on the
agenda. The submitter hears the decision by email either way.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.core.audit import audit_record
from townsquare.core.email import email_queue
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row

from ..models import (
    CallForProposals,
    Event,
    EventStatus,
    Proposal,
    ProposalReview,
    ProposalStatus,
    Room,
    SessionKind,
    Speaker,
    Track,
)
from ..permissions import (
    can_decide_proposal,
    can_manage_event,
    can_review_proposal,
    can_submit_proposal,
)
from . import agenda

MAX_REVIEWERS = 50
PROPOSAL_KINDS = tuple(kind for kind in SessionKind.values if kind != SessionKind.BREAK)
TEXT_LIMITS = {
    "title": 200,
    "abstract": 10_000,
    "speaker_bio": 4000,
    "financial_relationships": 4000,
}


def _fail(field_errors: dict[str, list[str]]) -> ValidationFailed:
    summary = "; ".join(messages[0] for messages in field_errors.values())
    return ValidationFailed(f"Please correct: {summary}", field_errors=field_errors)


def _link(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


# The call --------------------------------------------------------------------------------------


def _reviewers_from(emails: list[str]) -> list[User]:
    wanted = {email.strip().lower() for email in emails if email.strip()}
    if len(wanted) > MAX_REVIEWERS:
        raise _fail({"reviewers": [f"Name at most {MAX_REVIEWERS} reviewers."]})
    found = list(User.objects.filter(email__in=wanted, is_active=True))
    found_emails = {user.email.lower() for user in found}
    # Emails are stored as typed; fall back to a case-insensitive match for the rest.
    for email in sorted(wanted - found_emails):
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is not None:
            found.append(user)
            found_emails.add(email)
    missing = sorted(wanted - found_emails)
    if missing:
        raise _fail({"reviewers": [f"No active account has the email {', '.join(missing)}."]})
    return found


@transaction.atomic
def call_save(
    *,
    actor: User,
    event: Event,
    guidelines: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    reviewer_emails: list[str],
) -> CallForProposals:
    """Open the event's call for proposals or change it (dates, guidelines, reviewers)."""
    if not can_manage_event(actor, event):
        raise PermissionRefused("Only the event's organizers may run its call for proposals.")
    if event.status == EventStatus.CANCELLED:
        raise ValidationFailed("The event was cancelled; it takes no proposals.")
    errors: dict[str, list[str]] = {}
    if len(guidelines) > 20_000:
        errors["guidelines"] = ["Keep the guidelines under 20,000 characters."]
    if closes_at <= opens_at:
        errors["closes_at"] = ["The call must close after it opens."]
    elif closes_at > event.starts_at:
        errors["closes_at"] = ["The call must close before the event starts."]
    if errors:
        raise _fail(errors)
    reviewers = _reviewers_from(reviewer_emails)
    call = CallForProposals.objects.filter(event=event).first()
    is_new = call is None
    if call is None:
        call = CallForProposals(event=event)
    call.guidelines = guidelines.strip()
    call.opens_at = opens_at
    call.closes_at = closes_at
    call.save()
    call.reviewers.set(reviewers)
    audit_record(
        action="events.call.opened" if is_new else "events.call.updated",
        actor=actor,
        target=call,
        data={"event_id": event.pk, "reviewers": len(reviewers)},
    )
    return call


def call_is_open(call: CallForProposals, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return call.opens_at <= now < call.closes_at and call.event.status == EventStatus.PUBLISHED


# Submitting ------------------------------------------------------------------------------------


def _check_proposal(
    *,
    event: Event,
    title: str,
    abstract: str,
    kind: str,
    duration_minutes: int,
    track: Track | None,
    speaker_bio: str,
    financial_relationships: str,
) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    texts = {
        "title": title.strip(),
        "abstract": abstract.strip(),
        "speaker_bio": speaker_bio.strip(),
        "financial_relationships": financial_relationships.strip(),
    }
    for name, value in texts.items():
        if len(value) > TEXT_LIMITS[name]:
            errors[name] = [f"Keep this under {TEXT_LIMITS[name]} characters."]
    if not texts["title"]:
        errors["title"] = ["Give your proposal a title."]
    if not texts["abstract"]:
        errors["abstract"] = ["Describe what you will present."]
    if kind not in PROPOSAL_KINDS:
        errors["kind"] = ["Choose a talk, keynote, panel, workshop or poster."]
    if not 5 <= duration_minutes <= 480:
        errors["duration_minutes"] = ["Propose from 5 to 480 minutes."]
    if track is not None and track.event_id != event.pk:
        errors["track"] = ["Choose one of this event's tracks."]
    if errors:
        raise _fail(errors)
    return texts


@transaction.atomic
def proposal_submit(
    *,
    actor: User,
    call: CallForProposals,
    title: str,
    abstract: str,
    kind: str = SessionKind.TALK,
    duration_minutes: int = 45,
    track: Track | None = None,
    speaker_bio: str = "",
    financial_relationships: str = "",
) -> Proposal:
    """Submit a proposal while the call is open."""
    if not can_submit_proposal(actor, call):
        raise PermissionRefused("Sign in to submit a proposal.")
    if not call_is_open(call):
        if timezone.now() < call.opens_at:
            raise ValidationFailed(f"The call opens on {call.opens_at:%Y-%m-%d %H:%M} UTC.")
        raise ValidationFailed("The call for proposals is closed.")
    texts = _check_proposal(
        event=call.event,
        title=title,
        abstract=abstract,
        kind=kind,
        duration_minutes=duration_minutes,
        track=track,
        speaker_bio=speaker_bio,
        financial_relationships=financial_relationships,
    )
    proposal = Proposal.objects.create(
        call=call,
        submitter=actor,
        kind=kind,
        duration_minutes=duration_minutes,
        track=track,
        **texts,
    )
    audit_record(
        action="events.proposal.submitted",
        actor=actor,
        target=proposal,
        data={"event_id": call.event_id},
    )
    email_queue(
        to=[actor.email],
        subject=f"We received your proposal: {proposal.title}",
        body=(
            f"Hello {actor.display_name},\n\n"
            f"Thank you for proposing “{proposal.title}” for {call.event.title}. "
            f"The reviewers will read it after the call closes on "
            f"{call.closes_at:%Y-%m-%d}. You can follow it, or withdraw it, here:\n"
            f"{_link('events:proposal_detail', pk=proposal.pk)}\n"
        ),
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal) -> Proposal:
    """The submitter withdraws a proposal that has not been decided."""
    if actor.pk != proposal.submitter_id:
        raise PermissionRefused("Only the person who submitted a proposal may withdraw it.")
    proposal = lock_row(Proposal.objects.filter(pk=proposal.pk))
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(
            f"This proposal is {proposal.get_status_display().lower()}; "
            "ask the organizers to change it."
        )
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    audit_record(action="events.proposal.withdrawn", actor=actor, target=proposal)
    return proposal


# Reviewing -------------------------------------------------------------------------------------


@transaction.atomic
def proposal_review_save(
    *, actor: User, proposal: Proposal, score: int, comment: str = ""
) -> ProposalReview:
    """Score a proposal 1-5 with a comment; a second review by the same reviewer replaces it."""
    if not can_review_proposal(actor, proposal):
        raise PermissionRefused("Only the call's reviewers may review, and never their own.")
    if proposal.status not in (ProposalStatus.SUBMITTED,):
        raise Conflict("This proposal has been decided or withdrawn; it takes no more reviews.")
    errors: dict[str, list[str]] = {}
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = ["Score from 1 (weak) to 5 (excellent)."]
    comment = comment.strip()
    if len(comment) > 4000:
        errors["comment"] = ["Keep the comment under 4,000 characters."]
    if errors:
        raise _fail(errors)
    try:
        with transaction.atomic():
            review, created = ProposalReview.objects.update_or_create(
                proposal=proposal, reviewer=actor, defaults={"score": score, "comment": comment}
            )
    except IntegrityError as error:
        raise Conflict("Your review was saved at the same moment; reload the page.") from error
    audit_record(
        action="events.proposal.reviewed" if created else "events.proposal.review_changed",
        actor=actor,
        target=proposal,
        data={"score": score},
    )
    return review


# Deciding --------------------------------------------------------------------------------------


def _placement(
    *, event: Event, starts_at: datetime.datetime | None, minutes: int
) -> tuple[datetime.datetime, datetime.datetime]:
    """The accepted session's times; the agenda's ``session_save`` checks the rest (room, track)."""
    if starts_at is None:
        raise _fail({"starts_at": ["Choose when the session starts."]})
    ends_at = starts_at + datetime.timedelta(minutes=minutes)
    if starts_at < event.starts_at or ends_at > event.ends_at:
        raise _fail(
            {
                "starts_at": [
                    f"The {minutes}-minute session must fit within the event "
                    f"({event.local_starts_at:%Y-%m-%d %H:%M} to "
                    f"{event.local_ends_at:%Y-%m-%d %H:%M} {event.time_zone})."
                ]
            }
        )
    return starts_at, ends_at


def _speaker_for(event: Event, proposal: Proposal) -> Speaker:
    submitter = proposal.submitter
    speaker = Speaker.objects.filter(event=event, user=submitter).first()
    if speaker is None:
        speaker = Speaker(event=event, user=submitter, name=submitter.display_name[:200])
        speaker.email = submitter.email
    if proposal.speaker_bio:
        speaker.bio = proposal.speaker_bio
    speaker.financial_relationships = proposal.financial_relationships
    speaker.disclosed_at = timezone.now()
    speaker.save()
    return speaker


def _decision_email(proposal: Proposal) -> None:
    event = proposal.call.event
    submitter = proposal.submitter
    if proposal.status == ProposalStatus.ACCEPTED:
        assert proposal.session is not None  # noqa: S101 - set by the caller
        start = proposal.session.starts_at.astimezone(event.zone)
        outcome = (
            f"Good news: “{proposal.title}” is accepted for {event.title}. It is scheduled "
            f"on {start:%A %d %B %Y at %H:%M} ({event.time_zone}) for "
            f"{proposal.duration_minutes} minutes."
        )
    else:
        outcome = (
            f"Thank you for proposing “{proposal.title}” for {event.title}. We are sorry: "
            "the reviewers could not include it this time."
        )
    note = (
        f"\n\nA note from the organizers:\n{proposal.decision_note}"
        if proposal.decision_note
        else ""
    )
    email_queue(
        to=[submitter.email],
        subject=f"Your proposal for {event.title}: {proposal.get_status_display().lower()}",
        body=(
            f"Hello {submitter.display_name},\n\n{outcome}{note}\n\n"
            f"Your proposal: {_link('events:proposal_detail', pk=proposal.pk)}\n"
        ),
    )


@transaction.atomic
def proposal_decide(
    *,
    actor: User,
    proposal: Proposal,
    accept: bool,
    note: str = "",
    starts_at: datetime.datetime | None = None,
    room: Room | None = None,
    track: Track | None = None,
) -> Proposal:
    """Accept (placing a session with the submitter as speaker at ``starts_at``) or reject."""
    if not can_decide_proposal(actor, proposal):
        raise PermissionRefused("Only the event's organizers decide, and never on their own.")
    proposal = lock_row(
        Proposal.objects.filter(pk=proposal.pk).select_related("call__event", "submitter")
    )
    if proposal.status != ProposalStatus.SUBMITTED:
        raise Conflict(f"This proposal is already {proposal.get_status_display().lower()}.")
    note = note.strip()
    if len(note) > 4000:
        raise _fail({"note": ["Keep the note under 4,000 characters."]})
    event = proposal.call.event
    if accept:
        session_start, session_end = _placement(
            event=event, starts_at=starts_at, minutes=proposal.duration_minutes
        )
        session = agenda.session_save(
            actor=actor,
            event=event,
            session=None,
            fields=agenda.SessionFields(
                title=proposal.title,
                abstract=proposal.abstract,
                kind=proposal.kind,
                track=track or proposal.track,
                room=room,
                starts_at=session_start,
                ends_at=session_end,
                speakers=[_speaker_for(event, proposal)],
            ),
        )
        proposal.session = session
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_note",
            "session",
            "updated_at",
        ]
    )
    audit_record(
        action="events.proposal.accepted" if accept else "events.proposal.rejected",
        actor=actor,
        target=proposal,
        data={"event_id": event.pk, "session_id": proposal.session_id},
    )
    _decision_email(proposal)
    return proposal
