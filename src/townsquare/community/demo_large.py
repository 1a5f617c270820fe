"""The community at scale for `townsquare demo --scale large`: spaces, follows, a million posts.

Registered with the accounts large demo (``accounts/demo_large.py``), which discovers this module
and runs it after the people exist. At the default scale (10,000 people):

- 200 spaces: 170 in the staff network (three quarters open, the rest private or invite only, a
  few with pre-approval) and 30 patient groups; each person joins a handful, weighted so that
  some spaces are big and most are small; two moderators each;
- community profiles for everyone: patients under a pseudonym (most of them), 5% of the
  physicians, nurses and pharmacists verified as clinicians;
- 150 follows per person on average: the spaces they joined, and people of the staff network,
  some much more followed than others (patients follow groups, not people);
- 1,000,000 posts over two years (3% polls, 12% questions), 45% with hashtags, a few held, hidden,
  removed or deleted; comments on 12% of the published ones (about 2.5 each, some replies,
  accepted answers on questions), reactions on 30%, a few open flags;
- the search index for every published post and comment (``core.search.search_index_many``,
  the same text as ``documents.post_document`` / ``comment_document``);
- every counter (members, posts, comments, reactions, hashtag uses, poll votes) consistent with
  the rows.

Rows go in batches, never one save or one service call per row: ``COPY`` on PostgreSQL,
``executemany`` on SQLite, with primary keys chosen here (the tables are locked for the load on
PostgreSQL, and the sequences set after), so posts, comments, polls and ballots link up without
reading anything back. The text is synthetic, written from templates in this module: no person is
named, so the privacy guard finds nothing in it.

The community part is loaded whole or not at all (one transaction with the rest of the large
demo): when its spaces exist, a second run inserts nothing and says so. The counts follow the
number of people (``CommunityCounts.at_scale``); ``community_load(demo, counts)`` takes them
explicitly, and ``counts_override`` sets them for ``townsquare demo --scale large`` run from
Python (the benchmark's 10,000-post database uses it).
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import F
from django.utils import timezone

from townsquare.accounts.demo_large import LOOKUP_CHUNK, LargeDemo, chunked, register
from townsquare.accounts.models import OrganizationMembership, Profession, Role, User, UserRole
from townsquare.core.models import SearchDocument
from townsquare.core.search import Document, search_index_many

from .demo import PATIENT_GUIDELINES, STAFF_GUIDELINES
from .documents import COMMENT_KIND, POST_KIND
from .models import (
    Comment,
    CommunityProfile,
    ContentStatus,
    Flag,
    FlagReason,
    Follow,
    Hashtag,
    HoldReason,
    MembershipRole,
    MembershipStatus,
    ModerationAction,
    ModerationActionKind,
    Poll,
    PollBallot,
    PollOption,
    Post,
    PostHashtag,
    PostKind,
    Reaction,
    ReactionKind,
    Space,
    SpaceCategory,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)

DEFAULT_SPACES = 200
DEFAULT_POSTS = 1_000_000
DEFAULT_FOLLOWS = 150
PEOPLE_AT_DEFAULT_SCALE = 10_000
SLUG_PREFIX = "large-space-"
HISTORY_DAYS = 730
PATIENT_SPACE_SHARE = 0.15
VERIFIED_SHARE = 0.05
PSEUDONYM_SHARE = 0.7
WRITE_BATCH = 5000
SEED_KEY = "community"


@dataclass(frozen=True)
class CommunityCounts:
    """How much to make. ``at_scale(1.0)`` is the default large demo."""

    spaces: int = DEFAULT_SPACES
    posts: int = DEFAULT_POSTS
    follows_per_person: int = DEFAULT_FOLLOWS
    comment_share: float = 0.12  # of published posts, with about 2.5 comments each
    reaction_share: float = 0.30  # of published posts, with 1 to 8 reactions each
    chunk: int = 20_000  # posts generated, written and indexed at a time

    @classmethod
    def at_scale(cls, scale: float) -> CommunityCounts:
        """Spaces grow with the number of people; posts with its square (each person writes for
        followers whose number grows with the network too), which also keeps the small loads of
        the test suites (200 to 300 people: a few hundred posts) quick."""
        return cls(
            spaces=max(4, round(DEFAULT_SPACES * scale)),
            posts=max(200, round(DEFAULT_POSTS * scale * scale)),
        )


_overrides: list[CommunityCounts] = []


@contextmanager
def counts_override(counts: CommunityCounts) -> Iterator[CommunityCounts]:
    """Within the block, the registered generator makes ``counts`` whatever the scale."""
    _overrides.append(counts)
    try:
        yield counts
    finally:
        _overrides.pop()


@register("community.large")
def generate_community(demo: LargeDemo) -> dict[str, int]:
    # The scale from the people actually there (``demo.scale`` follows a default that tests
    # change), so 30 people never get a million posts.
    scale = len(demo.person_ids) / PEOPLE_AT_DEFAULT_SCALE
    counts = _overrides[-1] if _overrides else CommunityCounts.at_scale(scale)
    return community_load(demo, counts)


# --- Vocabulary ----------------------------------------------------------------------------------

# (what people talk about, its hashtag, the staff category of a space about it)
STAFF_TOPICS = (
    ("shift handover", "handover", SpaceCategory.PATIENT_CARE),
    ("sepsis screening", "sepsis", SpaceCategory.PATIENT_CARE),
    ("hand hygiene", "handhygiene", SpaceCategory.PATIENT_CARE),
    ("discharge teaching", "discharge", SpaceCategory.PATIENT_CARE),
    ("telehealth visits", "telehealth", SpaceCategory.PATIENT_CARE),
    ("night shift staffing", "staffing", SpaceCategory.ADMINISTRATION),
    ("burnout and wellbeing", "burnout", SpaceCategory.INTEREST),
    ("fall prevention", "fallprevention", SpaceCategory.PATIENT_CARE),
    ("pressure injury prevention", "pressureinjury", SpaceCategory.PATIENT_CARE),
    ("medication reconciliation", "medrec", SpaceCategory.PATIENT_CARE),
    ("patient portal messages", "patientportal", SpaceCategory.ADMINISTRATION),
    ("vaccine questions", "vaccines", SpaceCategory.EDUCATION),
    ("short video for clinicians", "shortvideo", SpaceCategory.INTEREST),
    ("crisis communication", "crisiscomms", SpaceCategory.ADMINISTRATION),
    ("health literacy", "healthliteracy", SpaceCategory.EDUCATION),
    ("antimicrobial stewardship", "stewardship", SpaceCategory.PATIENT_CARE),
    ("delirium screening", "delirium", SpaceCategory.PATIENT_CARE),
    ("pain reassessment", "painmanagement", SpaceCategory.PATIENT_CARE),
    ("early mobility", "mobility", SpaceCategory.PATIENT_CARE),
    ("interpreter services", "interpreters", SpaceCategory.PATIENT_CARE),
    ("social media policy", "socialmediapolicy", SpaceCategory.ADMINISTRATION),
    ("study recruitment", "research", SpaceCategory.RESEARCH),
    ("quality improvement", "qualityimprovement", SpaceCategory.RESEARCH),
    ("simulation training", "simulation", SpaceCategory.EDUCATION),
    ("onboarding new graduates", "newgrads", SpaceCategory.EDUCATION),
    ("code debriefs", "debrief", SpaceCategory.EDUCATION),
    ("infection prevention", "infectionprevention", SpaceCategory.PATIENT_CARE),
    ("wound care", "woundcare", SpaceCategory.PATIENT_CARE),
    ("palliative care conversations", "palliativecare", SpaceCategory.PATIENT_CARE),
    ("readmission reduction", "readmissions", SpaceCategory.ADMINISTRATION),
    ("podcasting", "podcasting", SpaceCategory.INTEREST),
    ("misinformation", "misinformation", SpaceCategory.INTEREST),
    ("accessible posts", "accessibility", SpaceCategory.INTEREST),
    ("nurse recruitment", "recruitment", SpaceCategory.DEPARTMENT),
    ("emergency department flow", "edflow", SpaceCategory.DEPARTMENT),
    ("pharmacy workflow", "pharmacy", SpaceCategory.DEPARTMENT),
)
STAFF_SUFFIXES = (
    "Forum",
    "Network",
    "Council",
    "Circle",
    "Working Group",
    "Community of Practice",
    "Huddle",
    "Exchange",
)
# (name, category) of the patient groups, and what their members talk about
PATIENT_GROUPS = (
    ("Type 2 Diabetes", SpaceCategory.CONDITION),
    ("Type 1 Diabetes", SpaceCategory.CONDITION),
    ("Heart Failure", SpaceCategory.CONDITION),
    ("Long COVID", SpaceCategory.CONDITION),
    ("Breast Cancer", SpaceCategory.CONDITION),
    ("Prostate Cancer", SpaceCategory.CONDITION),
    ("Multiple Sclerosis", SpaceCategory.CONDITION),
    ("Crohn's and Colitis", SpaceCategory.CONDITION),
    ("Chronic Pain", SpaceCategory.CONDITION),
    ("Asthma", SpaceCategory.CONDITION),
    ("COPD", SpaceCategory.CONDITION),
    ("Kidney Disease", SpaceCategory.CONDITION),
    ("Parkinson's", SpaceCategory.CONDITION),
    ("Migraine", SpaceCategory.CONDITION),
    ("Lupus", SpaceCategory.CONDITION),
    ("Rheumatoid Arthritis", SpaceCategory.CONDITION),
    ("Epilepsy", SpaceCategory.CONDITION),
    ("Stroke Recovery", SpaceCategory.CONDITION),
    ("Dialysis", SpaceCategory.TREATMENT),
    ("Chemotherapy", SpaceCategory.TREATMENT),
    ("Insulin Pump", SpaceCategory.TREATMENT),
    ("Cardiac Rehab", SpaceCategory.TREATMENT),
    ("Transplant", SpaceCategory.TREATMENT),
    ("Caregivers", SpaceCategory.EXPERIENCE),
    ("Grief and Loss", SpaceCategory.EXPERIENCE),
    ("Young Adults with Chronic Illness", SpaceCategory.EXPERIENCE),
    ("Parents in the NICU", SpaceCategory.EXPERIENCE),
)
PATIENT_SUFFIXES = ("Support", "Community", "Circle", "Connect")
PATIENT_TOPICS = (
    ("blood sugar readings", "bloodsugar"),
    ("insulin pens", "insulin"),
    ("meal planning", "mealplanning"),
    ("fatigue", "fatigue"),
    ("pacing", "pacing"),
    ("brain fog", "brainfog"),
    ("going back to work", "backtowork"),
    ("sleep", "sleep"),
    ("waiting for scan results", "scanxiety"),
    ("side effects", "sideeffects"),
    ("caregiver burnout", "caregiving"),
    ("respite care", "respite"),
    ("physical therapy", "physio"),
    ("bringing someone to appointments", "appointments"),
    ("talking to family", "family"),
    ("gentle exercise", "exercise"),
    ("medication routines", "medications"),
    ("diet changes", "nutrition"),
    ("low mood", "mentalhealth"),
    ("small wins", "smallwins"),
)

STAFF_OPENINGS = (
    "How does your unit handle {topic}? We are rewriting our approach and would love examples "
    "that worked.",
    "We piloted a new approach to {topic} on two units this quarter. Early results look good: "
    "fewer delays and a calmer team.",
    "Reading list on {topic}: three recent papers and a webinar recording. Which one would you "
    "start with?",
    "Quick question about {topic}: who owns it on your team, nursing, pharmacy or the physicians?",
    "Lessons from our last project on {topic}: involve the night shift early, measure one thing, "
    "and celebrate small gains.",
    "Our audit on {topic} is due next month. Any tips for making the data collection less painful?",
    "We are updating the policy on {topic} and want frontline voices in the draft. What should "
    "it say?",
    "Short summary of the grand rounds talk on {topic}, for those who could not make it.",
)
PATIENT_OPENINGS = (
    "Anyone else finding {topic} hard lately? Some days are fine and some are really tough.",
    "What helped me most with {topic} was writing things down and taking it one week at a time.",
    "A small win with {topic} today. Sharing because this group keeps me going.",
    "Question for the group about {topic}: how do you explain it to friends who have not been "
    "through it?",
    "A few months in and {topic} is finally getting easier. Thank you all for the tips.",
    "I would love to hear how others manage {topic} on busy days.",
)
STAFF_FOLLOW_UPS = (
    "Thanks in advance for any ideas.",
    "Would love to hear from other sites.",
    "Happy to share our checklist if it helps.",
    "The biggest barrier so far has been time.",
    "Our educators are keen to hear what works elsewhere.",
    "We will report back on what we learn.",
)
PATIENT_FOLLOW_UPS = (
    "Thanks for reading.",
    "Sending good wishes to everyone here.",
    "Some days are better than others.",
    "I am still learning what works for me.",
    "This group has helped me more than I can say.",
)
STAFF_COMMENTS = (
    "We tried something similar; the key for us was getting the night shift involved early.",
    "Great point, thanks for sharing.",
    "Could you share the checklist?",
    "Same experience here.",
    "Our educator has slides on this; I will ask for them to be posted.",
    "We measured this for six months and saw a steady improvement.",
    "Interesting. How did you get buy-in from the physicians?",
)
PATIENT_COMMENTS = (
    "Sending you strength.",
    "Same here, you are not alone.",
    "This really helped me, thank you.",
    "Have you asked your care team about it? Mine had good ideas.",
    "Thank you for being so open about this.",
    "One day at a time. We are here.",
)
CLINICIAN_COMMENTS = (
    "In general this is common and often improves with time. Please talk to your own care team "
    "before changing anything.",
    "Good question. Many people find it helps to keep a simple diary to bring to appointments.",
    "Thank you for sharing. Your care team can tailor advice to you; bring this question to them.",
)
POLL_OPTIONS = (
    ("A written protocol", "An informal habit", "Still working it out"),
    ("Every shift", "Once a day", "Only when something changes", "Not at all yet"),
    ("A phone app", "Paper notes", "Someone helps me", "I don't track it"),
)
REACTION_WEIGHTS = (
    (ReactionKind.LIKE, 50),
    (ReactionKind.SUPPORT, 15),
    (ReactionKind.INSIGHTFUL, 15),
    (ReactionKind.THANKS, 12),
    (ReactionKind.CELEBRATE, 8),
)
PSEUDONYM_WORDS = (
    (
        "Quiet",
        "Blue",
        "Steady",
        "Morning",
        "Gentle",
        "Brave",
        "Calm",
        "Bright",
        "Patient",
        "Hopeful",
    ),
    ("Heron", "River", "Walker", "Oak", "Harbor", "Lark", "Meadow", "Runner", "Maple", "Sparrow"),
)
FLAG_REASONS = (FlagReason.MEDICAL_ADVICE, FlagReason.MISINFORMATION, FlagReason.OFF_TOPIC)

# Words the benchmark searches for, in rotation: each is in many documents.
SEARCH_TERMS = (
    "handover",
    "sepsis",
    "hygiene",
    "discharge",
    "telehealth",
    "staffing",
    "burnout",
    "falls",
    "medication",
    "portal",
    "vaccine",
    "video",
    "crisis",
    "literacy",
    "delirium",
    "mobility",
    "interpreter",
    "policy",
    "fatigue",
    "pacing",
    "insulin",
    "sleep",
    "caregiver",
    "exercise",
)


# --- Writing rows --------------------------------------------------------------------------------


class _Table:
    """Rows for one table, written in batches: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, demo: LargeDemo, model: type[models.Model], fields: Sequence[str]) -> None:
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        chosen = [by_attname[name] for name in fields]
        self.demo = demo
        self.table = str(model._meta.db_table)
        self.columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in chosen)
        self.datetimes = [
            index for index, field in enumerate(chosen) if isinstance(field, models.DateTimeField)
        ]
        self.rows: list[tuple[Any, ...]] = []
        self.written = 0

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= WRITE_BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        self.demo.tables.add(self.table)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({self.columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(rows[0]))
                cursor.executemany(
                    f"INSERT INTO {table} ({self.columns}) VALUES ({placeholders})",  # noqa: S608
                    [self._for_sqlite(row) for row in rows],
                )
        self.written += len(rows)

    def _for_sqlite(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        if not self.datetimes:
            return row
        values = list(row)
        for index in self.datetimes:
            if values[index] is not None:
                values[index] = _sqlite_datetime(values[index])
        return tuple(values)


def _sqlite_datetime(value: datetime) -> str:
    """What Django stores on SQLite (naive UTC as text), without its per-value lookups: every
    time here is derived from ``timezone.now()``, which is in UTC."""
    if value.utcoffset():
        raise ValueError("The community large demo writes times in UTC only.")
    return value.replace(tzinfo=None).isoformat(" ")


def _next_id(model: type[models.Model]) -> int:
    latest = model._default_manager.aggregate(latest=models.Max("pk"))["latest"]
    return (latest or 0) + 1


def _lock_tables(tables: Sequence[type[models.Model]]) -> None:
    """PostgreSQL: nobody else inserts into these tables while the load picks their ids."""
    if connection.vendor != "postgresql":
        return  # SQLite: the load's write transaction already excludes other writers
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")


def _reset_sequences(tables: Sequence[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(tables))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _weighted_distinct(
    rng: random.Random, population: Sequence[int], cum_weights: Sequence[float], k: int
) -> list[int]:
    """Up to ``k`` distinct items drawn by weight (uniformly among the rest after a few rounds)."""
    k = min(k, len(population))
    chosen: dict[int, None] = {}
    for _round in range(4):
        if len(chosen) >= k:
            break
        for item in rng.choices(population, cum_weights=cum_weights, k=2 * (k - len(chosen))):
            chosen.setdefault(item)
            if len(chosen) >= k:
                break
    if len(chosen) < k:
        rest = [item for item in population if item not in chosen]
        for item in rng.sample(rest, k - len(chosen)):
            chosen.setdefault(item)
    return list(chosen)


def _zipf_cumulative(count: int, exponent: float, offset: float) -> list[float]:
    return list(accumulate(1.0 / (rank + offset) ** exponent for rank in range(count)))


# --- The people ----------------------------------------------------------------------------------


@dataclass
class _Person:
    pk: int
    name: str
    profession: str
    title: str
    staff_network: bool = False
    patient: bool = False
    global_moderator: bool = False
    verified: bool = False
    pseudonymous: bool = False


def _people(demo: LargeDemo, rng: random.Random) -> dict[int, _Person]:
    """The large demo's people with what the community needs to know about them."""
    people: dict[int, _Person] = {}
    roles: dict[int, set[str]] = defaultdict(set)
    with_organization: set[int] = set()
    profiles: dict[int, tuple[bool, bool]] = {}
    for ids in chunked(demo.person_ids, LOOKUP_CHUNK):
        for pk, name, profession, title in User.objects.filter(
            pk__in=ids, is_active=True
        ).values_list("pk", "display_name", "profession", "title"):
            people[pk] = _Person(pk, name, profession, title)
        for user_id, role in UserRole.objects.filter(user_id__in=ids).values_list(
            "user_id", "role"
        ):
            roles[user_id].add(role)
        with_organization.update(
            OrganizationMembership.objects.filter(user_id__in=ids).values_list("user_id", flat=True)
        )
        for user_id, verified_at, use_pseudonym in CommunityProfile.objects.filter(
            user_id__in=ids
        ).values_list("user_id", "clinician_verified_at", "use_pseudonym"):
            profiles[user_id] = (verified_at is not None, use_pseudonym)
    professional = {Role.STAFF, Role.INSTRUCTOR, Role.COACH, Role.MODERATOR, Role.MEMBER}
    clinical = {Profession.PHYSICIAN, Profession.NURSE, Profession.PHARMACIST}
    for pk in sorted(people):
        person = people[pk]
        held = roles[pk]
        person.global_moderator = bool(held & {Role.MODERATOR, Role.STAFF})
        person.staff_network = person.global_moderator or bool(
            held & professional and pk in with_organization
        )
        person.patient = Role.PATIENT in held and not person.staff_network
        if pk in profiles:
            person.verified, person.pseudonymous = profiles[pk]
        elif person.staff_network and person.profession in clinical:
            person.verified = rng.random() < VERIFIED_SHARE
        elif person.patient:
            person.pseudonymous = rng.random() < PSEUDONYM_SHARE
    return people


def _handle(person: _Person) -> str:
    """A handle like the ones people pick: their name (never for patients) and a number."""
    if not person.staff_network:
        return f"member.{person.pk}"
    folded = unicodedata.normalize("NFKD", person.name.lower().removeprefix("dr. "))
    letters = "".join(c if c.isascii() and c.isalnum() else "." for c in folded)
    base = ".".join(part for part in letters.split(".") if part)[:20].strip(".")
    return f"{base or 'member'}.{person.pk}"


# --- The load ------------------------------------------------------------------------------------


@dataclass
class _SpacePlan:
    index: int
    kind: str
    name: str
    category: str
    visibility: str
    requires_approval: bool
    topic: int  # index into the network's topics
    activity: float = 1.0  # how much its members write, relative to other spaces
    pk: int = 0
    members: list[int] = field(default_factory=list)  # active, the first two moderate
    author_weights: list[float] = field(default_factory=list)
    posts: int = 0
    last_post_at: datetime | None = None

    @property
    def slug(self) -> str:
        return f"{SLUG_PREFIX}{self.index}"


class _Loader:
    def __init__(self, demo: LargeDemo, counts: CommunityCounts) -> None:
        self.demo = demo
        self.counts = counts
        self.rng = demo.rng(SEED_KEY)
        self.now = timezone.now()
        self.people = _people(demo, self.rng)
        self.staff = [pk for pk, person in sorted(self.people.items()) if person.staff_network]
        self.patients = [pk for pk, person in sorted(self.people.items()) if person.patient]
        self.spaces: list[_SpacePlan] = []
        self.result: Counter[str] = Counter()
        self.started = time.perf_counter()

    def say(self, message: str) -> None:
        self.demo.write(f"  community: {message} ({time.perf_counter() - self.started:.0f} s)")

    def at(self, seconds_ago: float) -> datetime:
        return self.now - timedelta(seconds=seconds_ago)

    # --- Profiles, spaces, memberships, follows ----------------------------------------------

    def load_profiles(self) -> None:
        existing: set[int] = set()
        for ids in chunked(list(self.people), LOOKUP_CHUNK):
            existing.update(
                CommunityProfile.objects.filter(user_id__in=ids).values_list("user_id", flat=True)
            )
        table = _Table(
            self.demo,
            CommunityProfile,
            (
                "user_id",
                "handle",
                "pseudonym",
                "use_pseudonym",
                "clinician_verified_at",
                "clinician_title",
                "created_at",
                "updated_at",
            ),
        )
        first, second = PSEUDONYM_WORDS
        for pk, person in sorted(self.people.items()):
            if pk in existing:
                continue
            pseudonym = ""
            if person.pseudonymous:
                pseudonym = f"{self.rng.choice(first)}{self.rng.choice(second)}{pk}"
            verified_at = self.at(self.rng.uniform(30, HISTORY_DAYS) * 86400)
            table.add(
                (
                    pk,
                    _handle(person),
                    pseudonym,
                    bool(pseudonym),
                    verified_at if person.verified else None,
                    (person.title or "Clinician")[:120] if person.verified else "",
                    self.now,
                    self.now,
                )
            )
        table.flush()
        self.result["profiles"] = table.written

    def plan_spaces(self) -> None:
        count = self.counts.spaces
        patient_count = max(1, round(count * PATIENT_SPACE_SHARE)) if self.patients else 0
        # Patient groups spread evenly among the staff spaces (index 1, then every few).
        patient_indexes = {1 + round(i * count / patient_count) for i in range(patient_count)}
        names: set[str] = set()
        patient_ordinal = 0
        for index in range(count):
            rng = self.demo.rng(SEED_KEY, "space", index)
            if index in patient_indexes:
                group, category = PATIENT_GROUPS[patient_ordinal % len(PATIENT_GROUPS)]
                patient_ordinal += 1
                name = f"{group} {rng.choice(PATIENT_SUFFIXES)}"
                kind, topic = SpaceKind.PATIENT, rng.randrange(len(PATIENT_TOPICS))
                visibility = SpaceVisibility.PRIVATE if rng.random() < 0.2 else SpaceVisibility.OPEN
            else:
                topic = index % len(STAFF_TOPICS)
                phrase, _tag, category = STAFF_TOPICS[topic]
                name = f"{phrase[0].upper()}{phrase[1:]} {rng.choice(STAFF_SUFFIXES)}"
                kind = SpaceKind.STAFF
                draw = rng.random()
                visibility = (
                    SpaceVisibility.OPEN
                    if draw < 0.75
                    else SpaceVisibility.PRIVATE
                    if draw < 0.9
                    else SpaceVisibility.INVITE_ONLY
                )
            base, number = name, 2
            while name in names:
                name, number = f"{base} {number}", number + 1
            names.add(name)
            self.spaces.append(
                _SpacePlan(
                    index=index,
                    kind=kind,
                    name=name,
                    category=category,
                    visibility=visibility,
                    requires_approval=rng.random() < 0.05,
                    topic=topic,
                    activity=rng.uniform(0.5, 1.5),
                )
            )

    def load_spaces(self) -> None:
        rows = [
            Space(
                kind=plan.kind,
                visibility=plan.visibility,
                category=plan.category,
                name=plan.name,
                slug=plan.slug,
                description=(
                    f"A place to talk about {self._topic_phrase(plan, plan.topic)}: questions, "
                    "ideas and what worked."
                ),
                guidelines=PATIENT_GUIDELINES
                if plan.kind == SpaceKind.PATIENT
                else STAFF_GUIDELINES,
                requires_approval=plan.requires_approval,
                created_at=self.now - timedelta(days=HISTORY_DAYS + 30),
                updated_at=self.now,
            )
            for plan in self.spaces
        ]
        self.result["spaces"] = self.demo.bulk_create(Space, rows, description="community spaces")
        ids = self.demo.ids_by(Space, "slug", [plan.slug for plan in self.spaces])
        for plan in self.spaces:
            plan.pk = ids[plan.slug]

    def _topic_phrase(self, plan: _SpacePlan, topic: int) -> str:
        return (PATIENT_TOPICS if plan.kind == SpaceKind.PATIENT else STAFF_TOPICS)[topic][0]

    def load_memberships(self) -> dict[int, list[int]]:
        """Who belongs where; returns the spaces each person follows (their active ones)."""
        staff_spaces = [plan for plan in self.spaces if plan.kind == SpaceKind.STAFF]
        patient_spaces = [plan for plan in self.spaces if plan.kind == SpaceKind.PATIENT]
        memberships = _Table(
            self.demo,
            SpaceMembership,
            (
                "space_id",
                "user_id",
                "role",
                "status",
                "guidelines_accepted_at",
                "sanction_reason",
                "created_at",
                "updated_at",
            ),
        )
        pending: list[tuple[_SpacePlan, int, str]] = []
        followed: dict[int, list[int]] = defaultdict(list)
        joined_at: dict[tuple[int, int], datetime] = {}

        def join_some(person: int, plans: list[_SpacePlan], weights: list[float], k: int) -> None:
            for position in _weighted_distinct(self.rng, range(len(plans)), weights, k):
                plan = plans[position]
                if plan.visibility != SpaceVisibility.OPEN and self.rng.random() < 0.03:
                    status = (
                        MembershipStatus.REQUESTED
                        if plan.visibility == SpaceVisibility.PRIVATE
                        else MembershipStatus.INVITED
                    )
                    pending.append((plan, person, status))
                    continue
                plan.members.append(person)
                joined_at[(plan.pk, person)] = self.at(self.rng.uniform(1, HISTORY_DAYS) * 86400)

        staff_weights = _zipf_cumulative(len(staff_spaces), 0.9, 3)
        patient_weights = _zipf_cumulative(len(patient_spaces), 0.7, 2)
        for pk, info in sorted(self.people.items()):
            if info.staff_network and staff_spaces:
                join_some(pk, staff_spaces, staff_weights, self.rng.randint(4, 20))
            if patient_spaces and (info.patient or info.verified or info.global_moderator):
                join_some(pk, patient_spaces, patient_weights, self.rng.randint(1, 4))
        for plan in self.spaces:
            if not plan.members:  # every space has someone to moderate it
                pool = self.staff if plan.kind == SpaceKind.STAFF else self.patients or self.staff
                person = self.rng.choice(pool)
                plan.members.append(person)
                joined_at[(plan.pk, person)] = self.at(HISTORY_DAYS * 86400)
            self.rng.shuffle(plan.members)  # the first two moderate
            for position, person in enumerate(plan.members):
                at = joined_at[(plan.pk, person)]
                role = MembershipRole.MODERATOR if position < 2 else MembershipRole.MEMBER
                memberships.add((plan.pk, person, role, MembershipStatus.ACTIVE, at, "", at, at))
                followed[person].append(plan.pk)
            plan.author_weights = list(
                accumulate(self.rng.paretovariate(1.2) for _ in plan.members)
            )
        for plan, person, status in pending:
            if person in plan.members:
                continue
            memberships.add(
                (plan.pk, person, MembershipRole.MEMBER, status, None, "", self.now, self.now)
            )
            self.result["membership_requests_and_invitations"] += 1
        memberships.flush()
        self.result["memberships"] = memberships.written
        Space.objects.bulk_update(
            [Space(pk=plan.pk, created_by_id=plan.members[0]) for plan in self.spaces],
            ["created_by"],
            batch_size=500,
        )
        self.say(f"{memberships.written:,} memberships")
        return followed

    def load_follows(self, followed_spaces: dict[int, list[int]]) -> None:
        follows = _Table(
            self.demo, Follow, ("follower_id", "followed_user_id", "space_id", "created_at")
        )
        space_follows = sum(len(spaces) for spaces in followed_spaces.values())
        people_count = len(self.people)
        wanted = self.counts.follows_per_person * people_count - space_follows
        per_staff = max(0.0, wanted / len(self.staff)) if self.staff else 0.0
        popularity = self.staff[:]
        self.rng.shuffle(popularity)
        weights = _zipf_cumulative(len(popularity), 0.8, 10)
        for pk in sorted(self.people):
            for space_pk in followed_spaces.get(pk, ()):
                follows.add(
                    (pk, None, space_pk, self.at(self.rng.uniform(0, HISTORY_DAYS) * 86400))
                )
            if not self.people[pk].staff_network or len(self.staff) < 2:
                continue
            k = min(len(self.staff) - 1, round(per_staff * self.rng.uniform(0.5, 1.5)))
            for other in _weighted_distinct(self.rng, popularity, weights, k + 1):
                if other == pk or k <= 0:
                    continue
                k -= 1
                follows.add((pk, other, None, self.at(self.rng.uniform(0, HISTORY_DAYS) * 86400)))
        follows.flush()
        self.result["follows"] = follows.written
        self.say(
            f"{follows.written:,} follows, {follows.written / max(1, people_count):.0f} per person "
            "on average"
        )

    # --- Hashtags ----------------------------------------------------------------------------

    def load_hashtags(self) -> None:
        names = sorted({tag for _, tag, _ in STAFF_TOPICS} | {tag for _, tag in PATIENT_TOPICS})
        existing = self.demo.ids_by(Hashtag, "name", names)
        new = [Hashtag(name=name) for name in names if name not in existing]
        self.result["hashtags"] = self.demo.bulk_create(Hashtag, new, description="hashtags")
        self.hashtag_ids = {**existing, **self.demo.ids_by(Hashtag, "name", [h.name for h in new])}
        self.hashtag_uses: Counter[int] = Counter()
        self.hashtag_last: dict[int, datetime] = {}

    # --- Posts and everything on them --------------------------------------------------------

    def load_posts(self) -> None:
        _lock_tables((Post, Comment, Poll, PollOption, PollBallot))
        self.next_post = _next_id(Post)
        self.next_comment = _next_id(Comment)
        self.next_poll = _next_id(Poll)
        self.next_option = _next_id(PollOption)
        self.next_ballot = _next_id(PollBallot)
        content = (
            "created_at",
            "updated_at",
            "author_id",
            "body",
            "status",
            "hold_reason",
            "phi_kinds",
            "phi_confirmed",
            "as_pseudonym",
            "reaction_count",
            "moderation_reason",
            "moderated_by_id",
            "moderated_at",
        )
        self.post_table = _Table(
            self.demo,
            Post,
            (
                "id",
                *content,
                "space_id",
                "kind",
                "title",
                "published_at",
                "accepted_comment_id",
                "comment_count",
                "last_activity_at",
            ),
        )
        self.comment_table = _Table(
            self.demo,
            Comment,
            ("id", *content, "post_id", "parent_id", "depth", "by_verified_clinician"),
        )
        self.poll_table = _Table(
            self.demo, Poll, ("id", "post_id", "allows_multiple", "closes_at", "voter_count")
        )
        self.option_table = _Table(
            self.demo, PollOption, ("id", "poll_id", "label", "position", "vote_count")
        )
        self.ballot_table = _Table(
            self.demo, PollBallot, ("id", "poll_id", "user_id", "created_at")
        )
        self.ballot_option_table = _Table(
            self.demo, PollBallot.options.through, ("pollballot_id", "polloption_id")
        )
        self.tag_table = _Table(self.demo, PostHashtag, ("post_id", "hashtag_id"))
        self.reaction_table = _Table(
            self.demo, Reaction, ("user_id", "post_id", "comment_id", "kind", "created_at")
        )
        self.flag_table = _Table(
            self.demo,
            Flag,
            (
                "created_at",
                "updated_at",
                "space_id",
                "reporter_id",
                "post_id",
                "reason",
                "note",
                "status",
            ),
        )
        self.action_table = _Table(
            self.demo,
            ModerationAction,
            ("space_id", "moderator_id", "action", "post_id", "subject_id", "reason", "created_at"),
        )
        self.post_documents: list[Document] = []
        self.comment_documents: list[Document] = []
        total = self.counts.posts
        space_weights = list(accumulate(plan.activity * len(plan.members) for plan in self.spaces))
        # Oldest first, so that ids grow with time as they do in real use.
        ages = sorted(
            (self.rng.random() ** 1.3 * HISTORY_DAYS * 86400 for _ in range(total)), reverse=True
        )
        report_every = max(1, total // 10)
        with self.demo.progress(total, "community posts") as bar:
            for start in range(0, total, self.counts.chunk):
                batch = ages[start : start + self.counts.chunk]
                plans = self.rng.choices(self.spaces, cum_weights=space_weights, k=len(batch))
                for age, plan in zip(batch, plans, strict=True):
                    self._post(plan, age)
                self._flush_chunk()
                bar.update(len(batch))
                done = start + len(batch)
                if done // report_every != start // report_every or done == total:
                    self.say(f"{done:,} of {total:,} posts written and indexed")
        del ages
        for table in (
            self.post_table,
            self.comment_table,
            self.poll_table,
            self.option_table,
            self.ballot_table,
            self.ballot_option_table,
            self.tag_table,
            self.reaction_table,
            self.flag_table,
            self.action_table,
        ):
            table.flush()
        _reset_sequences((Post, Comment, Poll, PollOption, PollBallot))
        self.result["posts"] = self.post_table.written
        self.result["comments"] = self.comment_table.written
        self.result["polls"] = self.poll_table.written
        self.result["poll_votes"] = self.ballot_table.written
        self.result["post_hashtags"] = self.tag_table.written
        self.result["reactions"] = self.reaction_table.written
        self.result["flags"] = self.flag_table.written
        self.result["moderation_actions"] = self.action_table.written

    def _flush_chunk(self) -> None:
        # Posts before what points at them (the foreign keys are checked at commit anyway).
        for table in (self.post_table, self.comment_table, self.poll_table, self.option_table):
            table.flush()
        self.result["search_documents"] += search_index_many(POST_KIND, self.post_documents)
        self.result["search_documents"] += search_index_many(COMMENT_KIND, self.comment_documents)
        self.post_documents, self.comment_documents = [], []

    def _text(self, plan: _SpacePlan, kind: str) -> tuple[str, str, list[str], str]:
        """(title, body, hashtags, plain text) of a new post in the space."""
        rng = self.rng
        is_patient = plan.kind == SpaceKind.PATIENT
        topics: Sequence[tuple[Any, ...]] = PATIENT_TOPICS if is_patient else STAFF_TOPICS
        topic = plan.topic if rng.random() < 0.6 else rng.randrange(len(topics))
        phrase, tag = topics[topic][0], topics[topic][1]
        openings = PATIENT_OPENINGS if is_patient else STAFF_OPENINGS
        follow_ups = PATIENT_FOLLOW_UPS if is_patient else STAFF_FOLLOW_UPS
        paragraphs = [rng.choice(openings).format(topic=phrase)]
        if rng.random() < 0.6:
            paragraphs.append(" ".join(rng.sample(follow_ups, rng.randint(1, 2))))
        tags: list[str] = []
        if rng.random() < 0.45:
            tags = [tag]
            for _ in range(rng.randint(0, 2)):
                other = topics[rng.randrange(len(topics))][1]
                if other not in tags:
                    tags.append(other)
            paragraphs[-1] += " " + " ".join(f"#{name}" for name in tags)
        title = ""
        if kind == PostKind.QUESTION:
            title = f"Question about {phrase}"
        elif kind == PostKind.POLL:
            title = f"Poll: how do you approach {phrase}?"
        elif rng.random() < 0.5:
            title = f"Notes on {phrase}"
        # Plain paragraphs: the Markdown's text is the paragraphs, one per line.
        return title, "\n\n".join(paragraphs), tags, "\n".join(paragraphs)

    def _post(self, plan: _SpacePlan, age: float) -> None:
        rng = self.rng
        post_id = self.next_post
        self.next_post += 1
        author = rng.choices(plan.members, cum_weights=plan.author_weights, k=1)[0]
        person = self.people[author]
        as_pseudonym = plan.kind == SpaceKind.PATIENT and person.pseudonymous
        draw = rng.random()
        kind = (
            PostKind.POLL
            if draw < 0.03
            else PostKind.QUESTION
            if draw < 0.15
            else PostKind.DISCUSSION
        )
        title, body, tags, plain = self._text(plan, kind)
        written_at = self.at(age)
        status, hold = ContentStatus.PUBLISHED, ""
        published_at: datetime | None = written_at
        moderator: int | None = None
        reason = ""
        draw = rng.random()
        if plan.requires_approval and draw < 0.05 and age < 14 * 86400:
            status, hold, published_at = ContentStatus.PENDING, HoldReason.APPROVAL, None
        elif draw < 0.002:
            status, moderator, reason = ContentStatus.HIDDEN, plan.members[0], "Off topic here."
        elif draw < 0.003:
            status, moderator, reason = ContentStatus.REMOVED, plan.members[0], "Advertising."
        elif draw < 0.004:
            status = ContentStatus.DELETED
        is_published = status == ContentStatus.PUBLISHED
        accepted: int | None = None
        comment_count, last_activity = 0, written_at
        if is_published and rng.random() < self.counts.comment_share:
            comment_count, last_activity, accepted = self._comments(
                plan, post_id, author, kind, written_at, title or plain[:120]
            )
        reactions = 0
        if is_published and rng.random() < self.counts.reaction_share:
            reactions = self._reactions(plan, author, written_at, post_id=post_id)
        self.post_table.add(
            (
                post_id,
                written_at,
                written_at,
                author,
                body,
                status,
                hold,
                "[]",
                False,
                as_pseudonym,
                reactions,
                reason,
                moderator,
                written_at if moderator else None,
                plan.pk,
                kind,
                title,
                published_at,
                accepted,
                comment_count,
                last_activity,
            )
        )
        if kind == PostKind.POLL:
            self._poll(plan, post_id, author, written_at, is_published)
        if moderator is not None:
            action = (
                ModerationActionKind.HIDE
                if status == ContentStatus.HIDDEN
                else ModerationActionKind.REMOVE
            )
            self.action_table.add((plan.pk, moderator, action, post_id, author, reason, written_at))
        if not is_published:
            return
        plan.posts += 1
        plan.last_post_at = written_at
        for name in tags:
            hashtag = self.hashtag_ids[name]
            self.tag_table.add((post_id, hashtag))
            self.hashtag_uses[hashtag] += 1
            self.hashtag_last[hashtag] = written_at
        if rng.random() < 0.0005 and len(plan.members) > 1:
            reporter = rng.choice(plan.members)
            if reporter != author:
                self.flag_table.add(
                    (
                        written_at,
                        written_at,
                        plan.pk,
                        reporter,
                        post_id,
                        rng.choice(FLAG_REASONS),
                        "",
                        "open",
                    )
                )
        self.post_documents.append(
            Document(
                object_id=post_id,
                title=title or plain[:120],
                body=plain,
                keywords=" ".join([plan.name, *tags]),
            )
        )

    def _comments(
        self,
        plan: _SpacePlan,
        post_id: int,
        author: int,
        kind: str,
        written_at: datetime,
        post_title: str,
    ) -> tuple[int, datetime, int | None]:
        """Write a post's comments; (published comments, last activity, accepted answer)."""
        rng = self.rng
        is_patient = plan.kind == SpaceKind.PATIENT
        count = min(8, 1 + int(rng.expovariate(1 / 1.6)))
        moment = written_at
        written: list[tuple[int, int, int, bool]] = []  # (id, author, depth, published)
        published = 0
        for _ in range(count):
            moment = min(self.now, moment + timedelta(seconds=rng.expovariate(1 / 14400)))
            commenter = rng.choice(plan.members)
            person = self.people[commenter]
            comment_id = self.next_comment
            self.next_comment += 1
            parent, depth = None, 0
            if written and rng.random() < 0.25:
                parent_id, _, parent_depth, parent_published = rng.choice(written)
                if parent_published:
                    parent, depth = parent_id, min(3, parent_depth + 1)
            if is_patient and person.verified:
                body = rng.choice(CLINICIAN_COMMENTS)
            else:
                body = rng.choice(PATIENT_COMMENTS if is_patient else STAFF_COMMENTS)
            is_published = rng.random() > 0.005
            status = ContentStatus.PUBLISHED if is_published else ContentStatus.HIDDEN
            reactions = 0
            if is_published and rng.random() < 0.05:
                reactions = self._reactions(plan, commenter, moment, comment_id=comment_id, most=3)
            self.comment_table.add(
                (
                    comment_id,
                    moment,
                    moment,
                    commenter,
                    body,
                    status,
                    "",
                    "[]",
                    False,
                    is_patient and person.pseudonymous,
                    reactions,
                    "" if is_published else "Off topic here.",
                    None if is_published else plan.members[0],
                    None if is_published else moment,
                    post_id,
                    parent,
                    depth,
                    person.verified,
                )
            )
            written.append((comment_id, commenter, depth, is_published))
            if is_published:
                published += 1
                self.comment_documents.append(
                    Document(object_id=comment_id, title=post_title, body=body)
                )
        accepted = None
        if kind == PostKind.QUESTION and rng.random() < 0.4:
            answers = [row for row in written if row[3] and row[1] != author]
            by_clinician = [row for row in answers if self.people[row[1]].verified]
            if by_clinician or answers:
                accepted = rng.choice(by_clinician or answers)[0]
        return published, moment, accepted

    def _reactions(
        self,
        plan: _SpacePlan,
        author: int,
        written_at: datetime,
        *,
        post_id: int | None = None,
        comment_id: int | None = None,
        most: int = 8,
    ) -> int:
        rng = self.rng
        wanted = rng.randint(1, most)
        people = {rng.choice(plan.members) for _ in range(wanted)} - {author}
        kinds = [kind for kind, _ in REACTION_WEIGHTS]
        weights = [weight for _, weight in REACTION_WEIGHTS]
        at = min(self.now, written_at + timedelta(hours=2))
        for person in people:
            kind = rng.choices(kinds, weights=weights, k=1)[0]
            self.reaction_table.add((person, post_id, comment_id, kind, at))
        return len(people)

    def _poll(
        self, plan: _SpacePlan, post_id: int, author: int, written_at: datetime, is_open: bool
    ) -> None:
        rng = self.rng
        poll_id = self.next_poll
        self.next_poll += 1
        labels = rng.choice(POLL_OPTIONS)
        options = list(range(self.next_option, self.next_option + len(labels)))
        self.next_option += len(labels)
        votes: Counter[int] = Counter()
        voters: set[int] = set()
        if is_open and rng.random() < 0.3:
            voters = {rng.choice(plan.members) for _ in range(rng.randint(2, 15))}
        for voter in sorted(voters):
            ballot = self.next_ballot
            self.next_ballot += 1
            option = rng.choice(options)
            votes[option] += 1
            self.ballot_table.add(
                (ballot, poll_id, voter, min(self.now, written_at + timedelta(hours=1)))
            )
            self.ballot_option_table.add((ballot, option))
        self.poll_table.add((poll_id, post_id, False, None, len(voters)))
        for position, (option, label) in enumerate(zip(options, labels, strict=True)):
            self.option_table.add((option, poll_id, label, position, votes[option]))

    # --- Counters ----------------------------------------------------------------------------

    def update_counters(self) -> None:
        for plan in self.spaces:
            Space.objects.filter(pk=plan.pk).update(
                member_count=len(plan.members),
                post_count=plan.posts,
                last_post_at=plan.last_post_at,
            )
        for hashtag in Hashtag.objects.filter(pk__in=list(self.hashtag_uses)):
            latest = self.hashtag_last[hashtag.pk]
            if hashtag.last_used_at and hashtag.last_used_at > latest:
                latest = hashtag.last_used_at
            Hashtag.objects.filter(pk=hashtag.pk).update(
                post_count=F("post_count") + self.hashtag_uses[hashtag.pk], last_used_at=latest
            )


def community_load(demo: LargeDemo, counts: CommunityCounts) -> dict[str, int]:
    """Insert the community of the large demo, or nothing when it is there already."""
    already = Space.objects.filter(slug__startswith=SLUG_PREFIX)
    if already.exists():
        posts = Post.objects.filter(space__slug__startswith=SLUG_PREFIX).count()
        demo.write(
            f"  community: the large demo's community is loaded already ({already.count():,} "
            f"spaces, {posts:,} posts); it is loaded whole, once, so nothing was inserted."
        )
        return {"posts": 0}
    loader = _Loader(demo, counts)
    if not loader.staff:
        demo.write("  community: no one of the large demo is in the staff network; skipped.")
        return {"posts": 0}
    demo.write(
        f"  community: {counts.posts:,} posts in {counts.spaces:,} spaces for "
        f"{len(loader.people):,} people, about {counts.follows_per_person} follows each…"
    )
    loader.load_profiles()
    loader.plan_spaces()
    loader.load_spaces()
    followed = loader.load_memberships()
    loader.load_follows(followed)
    loader.load_hashtags()
    loader.load_posts()
    loader.update_counters()
    demo.tables.add(SearchDocument._meta.db_table)  # statistics refreshed after the load
    indexed = getattr(demo, "indexed_kinds", None)
    if isinstance(indexed, set):  # the search rebuild after the load may leave these out
        indexed.update({POST_KIND, COMMENT_KIND})
    loader.say("done")
    return dict(loader.result)
