"""`townsquare demo --scale large`: synthetic people and organizations at scale, for benchmarks.

Everything is derived from a fixed seed and the row's position, so the same scale always describes
the same rows, and person *n* is the same whatever the number of people (for the same number of
organizations; organization *n* is the same whatever their number). A run looks up which of
those rows exist (organizations by slug, people by email address) and inserts only the missing
ones: a second run changes nothing, a run with more people tops up. Rows go in with
``bulk_create`` in batches, never one save per row, and one audit record sums up the whole load.

Other apps add their own data at scale with a generator in their own ``demo_large.py``::

    from townsquare.accounts.demo_large import LargeDemo, register

    @register("events.webinars")
    def webinars(demo: LargeDemo) -> dict[str, int]:
        rng = demo.rng("webinars")           # deterministic, like everything here
        ...                                  # demo.person_ids, demo.organization_ids, demo.scale
        return {"webinars": demo.bulk_create(Webinar, rows, description="webinars")}

``load_large`` imports every installed app's ``demo_large`` module (in ``INSTALLED_APPS`` order, so
accounts comes first) and runs the generators in the order they registered, all in one
transaction. A generator must itself skip what an earlier run already inserted.
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from itertools import accumulate, islice
from typing import Any, Protocol, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from .demo import DEMO_PASSWORD, ORGANIZATIONS, PEOPLE
from .demo_vocabulary import (
    CONSUMER_DOMAINS,
    CREDENTIALS,
    FIRST_NAMES,
    INDUSTRY_PROFESSIONS,
    INDUSTRY_TITLES,
    INTERESTS,
    KIND_PATTERN,
    KIND_WEIGHT,
    LAST_NAMES,
    LEADER_TITLES,
    NAME_PARTS,
    NATIONAL_ADJECTIVE,
    ORGANIZATION_NAMES,
    PLACES,
    PROVIDER_PROFESSIONS,
    TITLE_CREDENTIALS,
    TITLES,
)
from .models import (
    Organization,
    OrganizationMembership,
    OrganizationRole,
    Profession,
    Role,
    User,
    UserRole,
)

DEFAULT_PEOPLE = 10_000
DEFAULT_ORGANIZATIONS = 500
SEED = "townsquare-large-demo-1"
BATCH_SIZE = 1000
LOOKUP_CHUNK = 900  # SQLite allows 999 parameters in one query


class Writer(Protocol):
    def write(self, text: str, /) -> Any: ...


ModelT = TypeVar("ModelT", bound=models.Model)
Generator = Callable[["LargeDemo"], dict[str, int]]
_generators: dict[str, Generator] = {}


def register(name: str) -> Callable[[Generator], Generator]:
    """Add a generator to the large demo; registering a name again replaces the earlier one."""

    def decorator(generator: Generator) -> Generator:
        _generators[name] = generator
        return generator

    return decorator


def generators() -> dict[str, Generator]:
    """The registered generators, in the order they will run."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("demo_large")
    return dict(_generators)


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class LargeDemo:
    """What every generator gets: the scale, deterministic randomness, bulk inserts, progress."""

    people: int
    organizations: int
    stdout: Writer
    show_progress: bool | None = None
    actor: User | None = None
    #: The tables rows went into, to refresh the planner's statistics after the load.
    tables: set[str] = field(default_factory=set)
    #: Search kinds a generator indexed itself while loading: the rebuild afterwards skips them.
    indexed_kinds: set[str] = field(default_factory=set)
    #: Primary keys of every synthetic organization and person (existing or new), in spec order.
    organization_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)

    @property
    def scale(self) -> float:
        """1.0 at the default size; generators multiply their own counts by it."""
        return self.people / DEFAULT_PEOPLE

    @cached_property
    def password_hash(self) -> str:
        # Hashing is slow on purpose (PBKDF2), so every synthetic person shares one hash.
        return make_password(DEMO_PASSWORD)

    def rng(self, *key: object) -> random.Random:
        seed = ":".join([SEED, *map(str, key)])
        return random.Random(seed)  # noqa: S311 - synthetic data, not security

    def write(self, message: str) -> None:
        self.stdout.write(message + "\n")

    def progress(self, total: int, description: str) -> tqdm:
        # Bars go to stderr and only to a terminal unless asked for; stdout stays for results.
        disable = None if self.show_progress is None else not self.show_progress
        return tqdm(total=total, desc=description, unit=" rows", disable=disable, leave=False)

    def bulk_create(
        self,
        model: type[ModelT],
        rows: Sequence[ModelT],
        *,
        description: str = "",
        batch_size: int = BATCH_SIZE,
    ) -> int:
        """Insert ``rows`` in batches with a progress bar; returns how many were inserted."""
        if rows:
            self.tables.add(model._meta.db_table)
        label = description or str(model._meta.verbose_name_plural)
        with self.progress(len(rows), label) as bar:
            for batch in chunked(rows, batch_size):
                model._default_manager.bulk_create(batch, batch_size=batch_size)
                bar.update(len(batch))
        return len(rows)

    def ids_by(
        self, model: type[models.Model], field_name: str, values: Iterable[str]
    ) -> dict[str, int]:
        """``{value: pk}`` for the rows whose ``field_name`` is one of ``values``."""
        found: dict[str, int] = {}
        manager = model._default_manager
        for chunk in chunked(values, LOOKUP_CHUNK):
            found.update(
                manager.filter(**{f"{field_name}__in": chunk}).values_list(field_name, "pk")
            )
        return found


# --- Organizations --------------------------------------------------------------------------------

DOMAIN_STOP_WORDS = {"of", "the", "and", "for", "s", "group"}
RESERVED_SLUGS = {slugify(str(organization["name"])) for organization in ORGANIZATIONS}
RESERVED_DOMAINS = {str(organization["email_domain"]) for organization in ORGANIZATIONS} | {
    person.email.rsplit("@", 1)[1] for person in PEOPLE
}


@dataclass(frozen=True)
class OrganizationSpec:
    name: str
    slug: str
    kind: str
    country: str
    city: str
    domain: str
    description: str

    @property
    def email_domain(self) -> str:
        # Care providers sign their staff in through their domain; associations and companies
        # have members from elsewhere, so they get no domain-based affiliation.
        is_provider = self.kind in {"health_system", "hospital", "clinic"}
        return self.domain if is_provider else ""


def _domain_for(name: str) -> str:
    slug = slugify(name).replace("st-", "st", 1) if name.startswith("St. ") else slugify(name)
    words = [word for word in slug.split("-") if word not in DOMAIN_STOP_WORDS]
    return "-".join(words[:3]) + ".example"


def _organization_description(kind: str, city: str, rng: random.Random) -> str:
    if kind == "health_system":
        return (
            f"An integrated health system serving {city} and the surrounding region, with "
            f"{rng.randint(2, 12)} hospitals and {rng.randint(10, 80)} clinics."
        )
    if kind == "hospital":
        teaching = rng.choice(["teaching", "community", "regional referral"])
        return f"A {rng.randrange(80, 900, 10)}-bed {teaching} hospital in {city}."
    if kind == "clinic":
        return f"An outpatient clinic in {city} with {rng.randint(3, 40)} clinicians."
    if kind == "association":
        return (
            f"A professional association with {rng.randrange(400, 25000, 100):,} members; "
            "conferences, courses and a members' network."
        )
    return f"A health-care company based in {city}, working with providers and patients."


def organization_specs(count: int) -> list[OrganizationSpec]:
    """The synthetic organizations; organization *n* is the same for every ``count`` above n."""
    specs: list[OrganizationSpec] = []
    seen_slugs, seen_domains = set(RESERVED_SLUGS), set(RESERVED_DOMAINS)
    for index in range(count):
        rng = random.Random(f"{SEED}:organization:{index}")  # noqa: S311
        kind = KIND_PATTERN[index % len(KIND_PATTERN)]
        city, country = rng.choice(PLACES)
        name = ""
        for attempt in range(8):
            parts = {part: rng.choice(choices) for part, choices in NAME_PARTS.items()}
            saint = parts["saint"]
            name = rng.choice(ORGANIZATION_NAMES[kind]).format(
                city=city,
                saints=saint if saint.endswith("s") else f"{saint}'s",
                surname=rng.choice(LAST_NAMES),
                adjective=NATIONAL_ADJECTIVE[country],
                **parts,
            )
            if attempt == 7:
                name = f"{name} {index}"
            if slugify(name) not in seen_slugs:
                break
        slug = slugify(name)
        domain = _domain_for(name)
        base, suffix = domain.removesuffix(".example"), 2
        while domain in seen_domains:
            domain, suffix = f"{base}{suffix}.example", suffix + 1
        seen_slugs.add(slug)
        seen_domains.add(domain)
        specs.append(
            OrganizationSpec(
                name=name,
                slug=slug,
                kind=kind,
                country=country,
                city=city,
                domain=domain,
                description=_organization_description(kind, city, rng),
            )
        )
    return specs


# --- People ---------------------------------------------------------------------------------------

PATIENT_SHARE = 0.08
SECOND_MEMBERSHIP_SHARE = 0.12
NO_ORGANIZATION_SHARE = 0.03
SECOND_LEADER_SHARE = 0.35
# Extra platform roles among professionals: (role, cumulative probability).
EXTRA_ROLES = ((Role.INSTRUCTOR, 0.015), (Role.COACH, 0.025), (Role.MODERATOR, 0.032))


@dataclass(frozen=True)
class PersonSpec:
    email: str
    display_name: str
    profession: str
    title: str
    credentials: str
    bio: str
    roles: tuple[str, ...]
    #: (index into the organization specs, organization role); the first is the primary one.
    memberships: tuple[tuple[int, str], ...]
    joined_days_ago: int


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(character for character in folded.lower() if character.isalnum())


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _PeoplePlanner:
    """Draws people one after another; what person *n* gets depends only on those before it."""

    def __init__(self, organizations: Sequence[OrganizationSpec]) -> None:
        self.organizations = organizations
        self.cumulative = list(accumulate(KIND_WEIGHT[spec.kind] for spec in organizations))
        self.associations = [
            index for index, spec in enumerate(organizations) if spec.kind == "association"
        ]
        self.taken_emails = {person.email for person in PEOPLE}
        self.wants_second_leader = {
            index
            for index in range(len(organizations))
            if random.Random(f"{SEED}:second-leader:{index}").random()  # noqa: S311
            < SECOND_LEADER_SHARE
        }

    def _email(
        self, rng: random.Random, first: str, last: str, domain: str, is_consumer: bool
    ) -> str:
        if is_consumer:
            local = rng.choice(
                [
                    f"{_ascii(first)}.{_ascii(last)}",
                    f"{_ascii(first)}{_ascii(last)}{rng.randint(1, 99)}",
                    f"{_ascii(first)[0]}{_ascii(last)}",
                ]
            )
        else:
            local = f"{_ascii(first)}.{_ascii(last)}"
        email, number = f"{local}@{domain}", 2
        while email in self.taken_emails:
            email, number = f"{local}{number}@{domain}", number + 1
        self.taken_emails.add(email)
        return email

    def _memberships(self, index: int, rng: random.Random) -> tuple[tuple[int, str], ...]:
        count = len(self.organizations)
        if index < count:  # the first people found one organization each, as its leader
            return ((index, OrganizationRole.LEADER),)
        if rng.random() < NO_ORGANIZATION_SHARE:
            return ()
        primary = rng.choices(range(count), cum_weights=self.cumulative)[0]
        role = OrganizationRole.MEMBER
        if primary in self.wants_second_leader:
            self.wants_second_leader.discard(primary)
            role = OrganizationRole.LEADER
        memberships = [(primary, role)]
        if count > 1 and rng.random() < SECOND_MEMBERSHIP_SHARE:
            choices = [i for i in self.associations if i != primary] or [
                i for i in range(count) if i != primary
            ]
            memberships.append((rng.choice(choices), OrganizationRole.MEMBER))
        return tuple(memberships)

    def person(self, index: int) -> PersonSpec:
        rng = random.Random(f"{SEED}:person:{index}")  # noqa: S311
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        is_patient = index >= len(self.organizations) and rng.random() < PATIENT_SHARE
        memberships = () if is_patient else self._memberships(index, rng)
        primary = self.organizations[memberships[0][0]] if memberships else None
        is_leader = any(role == OrganizationRole.LEADER for _, role in memberships)
        if is_patient:
            profession = Profession.PATIENT_OR_CAREGIVER.value
            title = rng.choice(TITLES[profession])
        elif is_leader and primary is not None:
            title, profession = rng.choice(LEADER_TITLES[primary.kind])
        elif primary is not None and primary.kind == "industry":
            profession = _weighted(rng, INDUSTRY_PROFESSIONS)
            title = rng.choice(INDUSTRY_TITLES[profession])
        else:
            profession = _weighted(rng, PROVIDER_PROFESSIONS)
            title = rng.choice(TITLES[profession])
        credentials = TITLE_CREDENTIALS.get(title) or rng.choice(CREDENTIALS[profession])
        has_doctorate = credentials.startswith(("MD", "DO", "MBBS", "PhD", "DNP", "PharmD"))
        display_name = f"{first} {last}"
        if has_doctorate and rng.random() < 0.5:
            display_name = f"Dr. {display_name}"
        roles: tuple[str, ...] = (Role.PATIENT,) if is_patient else (Role.MEMBER,)
        if not is_patient:
            draw = rng.random()
            extra = next((role for role, below in EXTRA_ROLES if draw < below), None)
            roles = (extra, Role.MEMBER) if extra else roles
        domain = primary.domain if primary is not None else rng.choice(CONSUMER_DOMAINS)
        email = self._email(rng, first, last, domain, is_consumer=primary is None)
        bio = ""
        if rng.random() < 0.4:
            where = f" at {primary.name}" if primary is not None else ""
            topics = " and ".join(rng.sample(INTERESTS, 2))
            bio = f"{title or 'Living with a chronic condition'}{where}. Interested in {topics}."
        return PersonSpec(
            email=email,
            display_name=display_name,
            profession=profession,
            title=title,
            credentials=credentials,
            bio=bio,
            roles=roles,
            memberships=memberships,
            joined_days_ago=rng.randint(1, 3 * 365),
        )


def person_specs(count: int, organizations: Sequence[OrganizationSpec]) -> list[PersonSpec]:
    """The synthetic people; with the same organizations, person *n* is the same for any count."""
    planner = _PeoplePlanner(organizations)
    return [planner.person(index) for index in range(count)]


# --- The accounts generators ----------------------------------------------------------------------


@register("accounts.organizations")
def generate_organizations(demo: LargeDemo) -> dict[str, int]:
    specs = organization_specs(demo.organizations)
    existing = demo.ids_by(Organization, "slug", [spec.slug for spec in specs])
    new = [
        Organization(
            name=spec.name,
            slug=spec.slug,
            kind=spec.kind,
            country=spec.country,
            website=f"https://www.{spec.domain}",
            description=spec.description,
            email_domain=spec.email_domain,
        )
        for spec in specs
        if spec.slug not in existing
    ]
    created = demo.bulk_create(Organization, new, description="organizations")
    ids = {**existing, **demo.ids_by(Organization, "slug", [row.slug for row in new])}
    demo.organization_ids = [ids[spec.slug] for spec in specs]
    return {"organizations": created}


@register("accounts.people")
def generate_people(demo: LargeDemo) -> dict[str, int]:
    from allauth.account.models import EmailAddress

    specs = person_specs(demo.people, organization_specs(demo.organizations))
    existing = demo.ids_by(User, "email", [spec.email for spec in specs])
    new = [spec for spec in specs if spec.email not in existing]
    organization_ids = demo.organization_ids
    now = timezone.now()
    users = [
        User(
            email=spec.email,
            display_name=spec.display_name,
            profession=spec.profession,
            title=spec.title,
            credentials=spec.credentials,
            bio=spec.bio,
            password=demo.password_hash,
            date_joined=now - timedelta(days=spec.joined_days_ago),
            primary_organization_id=organization_ids[spec.memberships[0][0]]
            if spec.memberships
            else None,
        )
        for spec in new
    ]
    demo.bulk_create(User, users, description="people")
    ids = {**existing, **demo.ids_by(User, "email", [spec.email for spec in new])}
    demo.person_ids = [ids[spec.email] for spec in specs]
    roles = [UserRole(user_id=ids[spec.email], role=role) for spec in new for role in spec.roles]
    addresses = [
        EmailAddress(user_id=ids[spec.email], email=spec.email, primary=True, verified=True)
        for spec in new
    ]
    memberships = [
        OrganizationMembership(
            user_id=ids[spec.email], organization_id=organization_ids[index], role=role
        )
        for spec in new
        for index, role in spec.memberships
    ]
    return {
        "people": len(users),
        "roles": demo.bulk_create(UserRole, roles, description="roles"),
        "email_addresses": demo.bulk_create(EmailAddress, addresses, description="email addresses"),
        "memberships": demo.bulk_create(
            OrganizationMembership, memberships, description="memberships"
        ),
    }


# --- Loading --------------------------------------------------------------------------------------


def _refresh_statistics(tables: set[str]) -> None:
    """Bulk loads outrun autovacuum: give the query planner fresh statistics straight away."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in sorted(tables):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


def _rebuild_search_index(stdout: Writer, *, skip: set[str] | frozenset[str] = frozenset()) -> None:
    from django.core.management import call_command, get_commands

    if "search_rebuild" in get_commands():
        from townsquare.core.search import search_kinds

        kinds = [kind for kind in search_kinds() if kind not in skip]
        if skip:
            stdout.write(f"Indexed while loading, not rebuilt: {', '.join(sorted(skip))}.\n")
        if not kinds:
            return
        stdout.write("Rebuilding the search index…\n")
        call_command("search_rebuild", *[f"--kind={kind}" for kind in kinds], stdout=stdout)
    else:
        stdout.write(
            "The search index must be rebuilt (`townsquare search_rebuild`) before the "
            "new people and organizations can be found.\n"
        )


def load_large(
    stdout: Writer,
    *,
    people: int | None = None,
    organizations: int | None = None,
    progress: bool | None = None,
) -> None:
    """Insert what is missing of the large demo, then rebuild the search index if anything was.

    ``progress=None`` shows progress bars only when stderr is a terminal.
    """
    from townsquare.core.audit import audit_record

    started = time.perf_counter()
    demo = LargeDemo(
        people=DEFAULT_PEOPLE if people is None else people,
        organizations=DEFAULT_ORGANIZATIONS if organizations is None else organizations,
        stdout=stdout,
        show_progress=progress,
        actor=User.objects.filter(email=PEOPLE[0].email).first(),
    )
    demo.write(f"Large demo: {demo.people:,} people in {demo.organizations:,} organizations…")
    created: dict[str, int] = {}
    with transaction.atomic():
        for name, generator in generators().items():
            for key, count in generator(demo).items():
                created[f"{name.split('.', 1)[0]}.{key}"] = count
        if any(created.values()):
            audit_record(
                action="demo.large_loaded",
                actor=demo.actor,
                data={
                    "people": demo.people,
                    "organizations": demo.organizations,
                    "created": created,
                    "seconds": round(time.perf_counter() - started, 1),
                },
            )
    inserted = {key: count for key, count in created.items() if count}
    if inserted:
        demo.write(
            "Inserted " + ", ".join(f"{count:,} {key}" for key, count in inserted.items()) + "."
        )
        _refresh_statistics(demo.tables)
        _rebuild_search_index(stdout, skip=demo.indexed_kinds)
    else:
        demo.write("The large demo is already loaded; nothing inserted.")
    demo.write(f"Large demo done in {time.perf_counter() - started:.1f} s.")
