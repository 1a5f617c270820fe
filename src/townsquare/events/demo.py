"""The hand-written Events demo: the conference week, the webinar series, workshops, a boot camp.

Called by ``townsquare demo`` after the accounts and academy demos (whose people it uses).
Idempotent like them: when the summit exists the whole events demo is there and nothing changes.
Dates are relative to the day the demo is loaded, so there is always something upcoming and
something past. Events, tickets, questions and the agenda are built from the models (published
events get ``published_at`` and a search entry, as ``event_publish`` would); registrations go
through the registration service, so seats, the waiting list, orders and invoices follow the
rules. The past webinar's attendance is written directly, because the service refuses to register
anyone once an event has started.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from townsquare.academy.models import AccessTier
from townsquare.accounts.models import Organization, User

from .models import (
    AttendanceSource,
    CallForProposals,
    DiscountCode,
    DiscountKind,
    Event,
    EventFormat,
    EventSeries,
    EventStatus,
    OnlineProvider,
    Order,
    OrderStatus,
    Proposal,
    ProposalReview,
    ProposalStatus,
    QuestionKind,
    QuestionPurpose,
    Registration,
    RegistrationQuestion,
    RegistrationStatus,
    Room,
    Session,
    SessionKind,
    Speaker,
    TicketType,
    Track,
    WaitlistMode,
)
from .services import registrations
from .services.events import event_search_sync

STAFF = "staff@townsquare.example"
INSTRUCTOR = "instructor@townsquare.example"
COACH = "coach@townsquare.example"
MODERATOR = "moderator@townsquare.example"
NURSE = "nurse@riverside-health.example"
PHYSICIAN = "physician@riverside-health.example"
LEADER = "leader@riverside-health.example"
PATIENT = "patient@townsquare.example"
HOST_ORGANIZATION = "Riverside Health System"

WEEK_SLUG = "conference-week"
WEBINAR_SERIES_SLUG = "monthly-webinars"
SUMMIT_SLUG = "health-care-social-media-summit"
RESIDENCY_SLUG = "social-media-residency-intensive"
WORKSHOPS_SLUG = "pre-conference-workshops"
MEETING_SLUG = "members-annual-meeting"
PAST_WEBINAR_SLUG = "webinar-answering-patients-online"
NEXT_WEBINAR_SLUG = "webinar-short-video-for-clinicians"
ONSITE_SLUG = "riverside-onsite-workshop"
BOOT_CAMP_SLUG = "social-media-boot-camp"
FULL_SLUG = "video-storytelling-lab"
CONFERENCE_ZONE = "America/Chicago"
WEBINAR_ZONE = "America/New_York"
DISCOUNT_CODE = "EARLYBIRD"


def _at(days: int, hour: int, zone: str, minute: int = 0) -> datetime.datetime:
    """``hour``:``minute`` local time in ``zone``, ``days`` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), zoneinfo.ZoneInfo(zone))


@dataclass(frozen=True)
class EventSpec:
    slug: str
    title: str
    summary: str
    format: str
    starts: tuple[int, int]  # (days from today, local hour)
    hours: int
    capacity: int
    zone: str = CONFERENCE_ZONE
    tier: str = AccessTier.MEMBER
    venue: str = "Townsquare Center, 200 Lake Street, Chicago"
    audience: str = "Health-care communicators, clinicians and their leaders"
    waitlist_mode: str = WaitlistMode.OFFER
    days_long: int = 0


DESCRIPTION = (
    "{summary}\n\n"
    "## What you will take home\n\n"
    "- a plan you can start on Monday\n"
    "- examples from hospitals and clinics like yours\n"
    "- colleagues to call when you are stuck\n\n"
    "Questions? Write to events@townsquare.example."
)
ACCESSIBILITY = (
    "Step-free access from Lake Street; a hearing loop in the main hall; live captions for every "
    "plenary session; a quiet room on the second floor."
)

WEEK = (
    EventSpec(
        RESIDENCY_SLUG,
        "Social Media Residency intensive",
        "Two days of hands-on coaching for the residency cohort before the summit.",
        EventFormat.BOOT_CAMP,
        (60, 9),
        8,
        40,
        tier=AccessTier.PREMIUM,
        days_long=1,
    ),
    EventSpec(
        WORKSHOPS_SLUG,
        "Pre-conference workshops",
        "Half-day workshops on policy, video and analytics, the day before the summit.",
        EventFormat.WORKSHOP,
        (62, 13),
        4,
        120,
    ),
    EventSpec(
        SUMMIT_SLUG,
        "Health Care Social Media Summit",
        "The yearly summit: two days of talks, panels and posters on social media in health care.",
        EventFormat.CONFERENCE,
        (63, 8),
        9,
        300,
        tier=AccessTier.PUBLIC,
        days_long=1,
    ),
    EventSpec(
        MEETING_SLUG,
        "Members' annual meeting",
        "The member organizations' yearly meeting: the year's report, elections and next steps.",
        EventFormat.WORKSHOP,
        (64, 17),
        2,
        150,
    ),
)
WEBINARS = (
    EventSpec(
        PAST_WEBINAR_SLUG,
        "Webinar: Answering patients online",
        "How to reply to patients' questions and reviews without sharing health information.",
        EventFormat.WEBINAR,
        (-20, 12),
        1,
        500,
        zone=WEBINAR_ZONE,
        tier=AccessTier.PUBLIC,
        venue="",
    ),
    EventSpec(
        NEXT_WEBINAR_SLUG,
        "Webinar: Short video for clinicians",
        "Film, caption and post a one-minute explainer with a phone, safely.",
        EventFormat.WEBINAR,
        (10, 12),
        1,
        500,
        zone=WEBINAR_ZONE,
        tier=AccessTier.PUBLIC,
        venue="",
    ),
)
OTHERS = (
    EventSpec(
        ONSITE_SLUG,
        "On-site workshop: A social media policy for Riverside",
        "A day at Riverside Health System to write the policy with its own teams.",
        EventFormat.ONSITE_WORKSHOP,
        (21, 9),
        6,
        30,
        venue="Riverside Health System, Education Center, 1 River Road",
    ),
    EventSpec(
        BOOT_CAMP_SLUG,
        "Social media boot camp",
        "Three days from the first post to a measured campaign, for new social media teams.",
        EventFormat.BOOT_CAMP,
        (30, 9),
        7,
        24,
        days_long=2,
    ),
    EventSpec(
        FULL_SLUG,
        "Video storytelling lab",
        "A small hands-on lab: plan, shoot and edit a patient-safe story. Three seats only.",
        EventFormat.WORKSHOP,
        (14, 13),
        3,
        3,
    ),
)

SPEAKERS = (
    # (name, affiliation, financial relationships, mitigation, demo account)
    ("Dr. Priya Raman", "Townsquare", "", "", INSTRUCTOR),
    (
        "Dr. Lena Fischer",
        "Northfield Community Clinic",
        "Advisory board, MedVid Inc. (video software)",
        "Her talk was peer reviewed; it names no product.",
        "",
    ),
    ("Marcus Bell", "Association of Health Communicators", "", "", ""),
    ("Chris Patel", "Patient advocate", "", "", PATIENT),
)
SESSIONS = (
    # (title, kind, day, hour, minutes, track, room, speakers)
    ("Opening keynote: Trust is earned in public", SessionKind.KEYNOTE, 0, 9, 60, 0, 0, (0,)),
    ("Patients as partners online", SessionKind.PANEL, 0, 10, 60, 2, 0, (3, 2)),
    ("Short video that respects privacy", SessionKind.TALK, 0, 13, 45, 1, 1, (1,)),
    ("Measuring what matters", SessionKind.TALK, 0, 13, 45, 0, 2, (2,)),
    ("Lunch", SessionKind.BREAK, 0, 12, 60, None, None, ()),
    ("Posters and coffee", SessionKind.POSTER, 1, 10, 60, None, 0, ()),
    ("Crisis communication drill", SessionKind.WORKSHOP, 1, 11, 90, 0, 1, (0, 2)),
)
PROPOSALS = (
    # (title, submitter, status, reviews as (reviewer, score))
    ("Nurses on TikTok: a year of lessons", NURSE, ProposalStatus.ACCEPTED, ((INSTRUCTOR, 5),)),
    ("Our chatbot pilot", PHYSICIAN, ProposalStatus.SUBMITTED, ((INSTRUCTOR, 3), (STAFF, 4))),
    ("Buying followers works", LEADER, ProposalStatus.REJECTED, ((STAFF, 1),)),
)


def _people() -> dict[str, User]:
    emails = [STAFF, INSTRUCTOR, COACH, MODERATOR, NURSE, PHYSICIAN, LEADER, PATIENT]
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def _event(
    spec: EventSpec, *, series: EventSeries | None, people: dict[str, User], now: datetime.datetime
) -> Event:
    starts_at = _at(spec.starts[0], spec.starts[1], spec.zone)
    ends_at = _at(spec.starts[0] + spec.days_long, spec.starts[1] + spec.hours, spec.zone)
    is_online = spec.format == EventFormat.WEBINAR
    host = None
    if spec.format == EventFormat.ONSITE_WORKSHOP:
        host = Organization.objects.filter(name=HOST_ORGANIZATION).first()
    event = Event.objects.create(
        slug=spec.slug,
        title=spec.title,
        summary=spec.summary,
        description=DESCRIPTION.format(summary=spec.summary),
        format=spec.format,
        status=EventStatus.PUBLISHED,
        series=series,
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=spec.zone,
        venue_name="" if is_online else spec.venue.split(",")[0],
        venue_address="" if is_online else spec.venue,
        accessibility_notes="Live captions and a transcript." if is_online else ACCESSIBILITY,
        online_provider=OnlineProvider.ZOOM if is_online else OnlineProvider.NONE,
        join_url="https://zoom.example/j/5550100" if is_online else "",
        join_details="Passcode 2718. Dial in: +1 555 0100." if is_online else "",
        host_organization=host,
        capacity=spec.capacity,
        registration_opens_at=now - datetime.timedelta(days=60),
        cancellation_deadline=starts_at - datetime.timedelta(days=2),
        audience=spec.audience,
        access_tier=spec.tier,
        waitlist_mode=spec.waitlist_mode,
        offer_hours=48,
        certificate_hours=Decimal(spec.hours),
        published_at=now - datetime.timedelta(days=30),
        created_by=people.get(STAFF),
    )
    event.organizers.set([people[email] for email in (STAFF, INSTRUCTOR) if email in people])
    return event


def _tickets(event: Event, *, paid: str = "", members_only: bool = False) -> list[TicketType]:
    """A free ticket, and with ``paid`` a paid one (and a members-only one when asked)."""
    tickets = [TicketType.objects.create(event=event, name="General admission", position=0)]
    if paid:
        tickets[0].name = "Member organizations' staff"
        tickets[0].members_only = True
        tickets[0].save(update_fields=["name", "members_only"])
        tickets.append(
            TicketType.objects.create(
                event=event,
                name="Standard",
                description="For everyone else; an invoice is sent.",
                price=Decimal(paid),
                position=1,
            )
        )
        tickets.append(
            TicketType.objects.create(
                event=event,
                name="Student",
                description="Full-time students in a health profession.",
                price=Decimal(paid) / 5,
                capacity=20,
                position=2,
            )
        )
    elif members_only:
        tickets[0].members_only = True
        tickets[0].save(update_fields=["members_only"])
    return tickets


def _questions(event: Event) -> None:
    for position, (label, kind, purpose, options, required) in enumerate(
        (
            (
                "Dietary needs",
                QuestionKind.CHOICE,
                QuestionPurpose.DIETARY,
                "None\nVegetarian\nVegan\nGluten-free\nHalal\nKosher",
                False,
            ),
            ("Accessibility needs", QuestionKind.TEXT, QuestionPurpose.ACCESSIBILITY, "", False),
            (
                "Nursing or medical licence id",
                QuestionKind.TEXT,
                QuestionPurpose.LICENSE,
                "",
                False,
            ),
            ("First time at the summit?", QuestionKind.YES_NO, QuestionPurpose.GENERAL, "", True),
        )
    ):
        RegistrationQuestion.objects.create(
            event=event,
            label=label,
            kind=kind,
            purpose=purpose,
            options=options,
            is_required=required,
            position=position,
            help_text="Used for CE credit only." if purpose == QuestionPurpose.LICENSE else "",
        )


def _agenda(event: Event, people: dict[str, User]) -> None:
    tracks = [
        Track.objects.create(event=event, name=name, color=color, position=index)
        for index, (name, color) in enumerate(
            (("Strategy", "#3b5bdb"), ("Clinical voices", "#2b8a3e"), ("Patients", "#c2255c"))
        )
    ]
    rooms = [
        Room.objects.create(
            event=event, name=name, capacity=capacity, position=index, accessibility_notes=notes
        )
        for index, (name, capacity, notes) in enumerate(
            (
                ("Main hall", 300, "Hearing loop; captions on screen"),
                ("Room A", 80, "Step-free"),
                ("Room B", 60, "Step-free"),
            )
        )
    ]
    speakers = [
        Speaker.objects.create(
            event=event,
            user=people.get(email) if email else None,
            name=name,
            affiliation=affiliation,
            bio=f"{name} works at {affiliation} on social media in health care.",
            financial_relationships=relationships,
            disclosure_mitigation=mitigation,
            disclosed_at=event.published_at,
        )
        for name, affiliation, relationships, mitigation, email in SPEAKERS
    ]
    for title, kind, day, hour, minutes, track, room, speaker_indexes in SESSIONS:
        days_ahead = (event.local_starts_at.date() - timezone.localdate()).days + day
        starts_at = _at(days_ahead, hour, event.time_zone)
        session = Session.objects.create(
            event=event,
            title=title,
            abstract="" if kind == SessionKind.BREAK else f"{title}: what worked, what did not.",
            kind=kind,
            track=None if track is None else tracks[track],
            room=None if room is None else rooms[room],
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(minutes=minutes),
        )
        session.speakers.set([speakers[index] for index in speaker_indexes])


def _call(event: Event, people: dict[str, User], now: datetime.datetime) -> None:
    call = CallForProposals.objects.create(
        event=event,
        guidelines="We welcome talks, panels and posters on **social media in health care**.",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=20),
    )
    call.reviewers.set([people[email] for email in (INSTRUCTOR, STAFF) if email in people])
    for title, submitter, status, reviews in PROPOSALS:
        if submitter not in people:
            continue
        proposal = Proposal.objects.create(
            call=call,
            submitter=people[submitter],
            title=title,
            abstract=f"{title}. What we tried, what we measured and what we would do again.",
            status=status,
            decided_by=people.get(STAFF) if status != ProposalStatus.SUBMITTED else None,
            decided_at=now if status != ProposalStatus.SUBMITTED else None,
            decision_note="Thank you for submitting." if status != ProposalStatus.SUBMITTED else "",
        )
        for reviewer, score in reviews:
            if reviewer in people:
                ProposalReview.objects.create(
                    proposal=proposal, reviewer=people[reviewer], score=score, comment="Clear."
                )


def _register(person: User | None, event: Event, ticket: TicketType, **kwargs: object) -> None:
    if person is not None:
        registrations.registration_create(
            actor=person,
            event=event,
            ticket_type=ticket,
            **kwargs,  # type: ignore[arg-type]
        )


def _past_attendance(event: Event, ticket: TicketType, people: dict[str, User]) -> None:
    """Who came to the past webinar, as the provider's attendee report would have recorded it."""
    for index, email in enumerate((NURSE, PHYSICIAN, PATIENT)):
        person = people.get(email)
        if person is None:
            continue
        order = Order.objects.create(
            event=event,
            buyer=person,
            reference=f"DEMO{event.pk:04d}{index:02d}",
            status=OrderStatus.FREE,
        )
        Registration.objects.create(
            event=event,
            ticket_type=ticket,
            order=order,
            attendee=person,
            status=RegistrationStatus.CONFIRMED,
            confirmed_at=event.starts_at - datetime.timedelta(days=7),
            ticket_code=registrations.ticket_code_new(),
            attended=email != PHYSICIAN,
            attendance_source=AttendanceSource.IMPORT if email != PHYSICIAN else "",
            attended_minutes=55 if email != PHYSICIAN else None,
        )


@transaction.atomic
def load_small() -> bool:
    """Create the events demo once. Returns False (and changes nothing) when it is there."""
    if Event.objects.filter(slug=SUMMIT_SLUG).exists():
        return False
    now = timezone.now()
    people = _people()
    week = EventSeries.objects.create(
        title="Conference week",
        slug=WEEK_SLUG,
        summary="The residency, workshops, the summit and the members' meeting, in one week.",
        is_bundle=True,
    )
    webinars = EventSeries.objects.create(
        title="Monthly webinars",
        slug=WEBINAR_SERIES_SLUG,
        summary="One hour, the second Tuesday of the month, free for everyone.",
    )
    events = {spec.slug: _event(spec, series=week, people=people, now=now) for spec in WEEK}
    events |= {
        spec.slug: _event(spec, series=webinars, people=people, now=now) for spec in WEBINARS
    }
    events |= {spec.slug: _event(spec, series=None, people=people, now=now) for spec in OTHERS}
    past = events[PAST_WEBINAR_SLUG]
    past.recording_url = "https://video.example/townsquare/answering-patients-online"
    past.captions_url = "https://video.example/townsquare/answering-patients-online.vtt"
    past.join_url = ""
    past.registration_opens_at = past.starts_at - datetime.timedelta(days=30)
    past.save(update_fields=["recording_url", "captions_url", "join_url", "registration_opens_at"])

    tickets = {slug: _tickets(event) for slug, event in events.items() if slug != SUMMIT_SLUG}
    summit = events[SUMMIT_SLUG]
    tickets[SUMMIT_SLUG] = _tickets(summit, paid="495.00")
    meeting_ticket = tickets[MEETING_SLUG][0]
    meeting_ticket.members_only = True
    meeting_ticket.save(update_fields=["members_only"])
    boot_camp_ticket = tickets[BOOT_CAMP_SLUG][0]
    boot_camp_ticket.price = Decimal("1200.00")
    boot_camp_ticket.save(update_fields=["price"])
    code = DiscountCode.objects.create(
        event=summit,
        code=DISCOUNT_CODE,
        kind=DiscountKind.PERCENT,
        value=Decimal(20),
        max_uses=50,
        valid_until=summit.starts_at - datetime.timedelta(days=30),
    )
    code.ticket_types.set([tickets[SUMMIT_SLUG][1]])
    _questions(summit)
    _agenda(summit, people)
    _call(summit, people, now)
    _past_attendance(past, tickets[PAST_WEBINAR_SLUG][0], people)

    summit_answers = {
        str(question.pk): answer
        for question, answer in zip(
            summit.questions.order_by("position"),
            ("Vegetarian", "", "RN-448812", "yes"),
            strict=True,
        )
    }
    member_ticket, standard, _student = tickets[SUMMIT_SLUG]
    _register(people.get(NURSE), summit, member_ticket, answers=summit_answers)
    _register(
        people.get(PHYSICIAN),
        summit,
        standard,
        answers={**summit_answers, str(summit.questions.get(position=3).pk): "no"},
        discount_code=DISCOUNT_CODE.lower(),
    )
    _register(
        people.get(PATIENT),
        summit,
        standard,
        answers={str(summit.questions.get(position=3).pk): "yes"},
    )
    for email in (NURSE, PATIENT, PHYSICIAN):
        _register(people.get(email), events[NEXT_WEBINAR_SLUG], tickets[NEXT_WEBINAR_SLUG][0])
    _register(people.get(LEADER), events[MEETING_SLUG], meeting_ticket)
    _register(people.get(NURSE), events[ONSITE_SLUG], tickets[ONSITE_SLUG][0])
    _register(people.get(COACH), events[BOOT_CAMP_SLUG], boot_camp_ticket)
    # The lab is full: three seats taken, then three people on the waiting list, in order.
    lab, lab_ticket = events[FULL_SLUG], tickets[FULL_SLUG][0]
    for email in (PHYSICIAN, LEADER, COACH, NURSE, MODERATOR, INSTRUCTOR):
        _register(people.get(email), lab, lab_ticket)
    for event in events.values():
        event_search_sync(event=event)
    return True
