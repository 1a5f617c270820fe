"""The library at scale for `townsquare demo --scale large`: 100,000 resources with extracted text.

Registered with the accounts large demo (``accounts/demo_large.py``), which discovers this module
and runs it after the people and organizations exist. At the default scale (10,000 people):

- 100,000 published resources of every type (a few drafts and withdrawn ones too), over ten years
  of publication dates, one to three topics each, one or two authors, every access level
  (about half public; some private to one of the large demo's organizations, most of those
  unlisted);
- one version each, with a short Markdown body and a PDF or DOCX file whose *extracted text* is
  1 to 5 KB of prose written here from a vocabulary of health-care social-media words (the files
  themselves are not written to storage: downloading one answers "missing file");
- a chapter-by-chapter book now and then (five chapters each);
- the search index for all of it, written here in bulk with ``core.search.search_index_many``
  (the same text as ``library.search``'s documents), so the rebuild after the load skips the
  library's kinds (``demo.indexed_kinds``).

Some words are in most documents ("patient", "policy", "social", "media", ...) and some in very
few ("podcast", "ransomware", ...): the benchmark (``bench/library_search.py``) searches both
kinds. Resource *n* depends only on the seed and *n*; a run inserts only the resources whose slug
is missing, so a second run changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.utils import timezone

from townsquare.accounts.demo_large import LargeDemo, chunked, register
from townsquare.accounts.models import Organization
from townsquare.core.models import SearchDocument
from townsquare.core.search import Document, markdown_text, search_index_many

from .models import (
    Access,
    Audience,
    Chapter,
    Extraction,
    FileKind,
    License,
    Resource,
    ResourceAuthor,
    ResourceFile,
    ResourceStatus,
    ResourceType,
    ResourceVersion,
    Topic,
)
from .search import CHAPTER_KIND, LISTING_KIND, RESOURCE_KIND

DEFAULT_RESOURCES = 100_000
SLUG_PREFIX = "large-resource-"
SEED = "townsquare-large-demo-1:library"
CHUNK = 1000
TEXT_BYTES = (1_000, 5_000)
CHAPTERS_PER_BOOK = 5

# The count at the default scale, replaced inside ``resources_override`` (tests, the benchmark).
_override: list[int] = []


@contextmanager
def resources_override(count: int) -> Iterator[int]:
    """Within the block the registered generator makes ``count`` resources whatever the scale."""
    _override.append(count)
    try:
        yield count
    finally:
        _override.pop()


# --- Vocabulary ----------------------------------------------------------------------------------

TOPICS = (
    ("Patient privacy", "patient-privacy"),
    ("Crisis communication", "crisis-communication"),
    ("Employee advocacy", "employee-advocacy"),
    ("Online reviews", "online-reviews"),
    ("Health literacy", "health-literacy"),
    ("Misinformation", "misinformation"),
    ("Accessibility", "accessibility-topic"),
    ("Recruitment", "recruitment-topic"),
    ("Video and live streams", "video-and-live-streams"),
    ("Measurement", "measurement"),
    ("Governance", "governance"),
    ("Patient communities", "patient-communities"),
)
KINDS = (
    (ResourceType.POLICY, 18),
    (ResourceType.GUIDELINE, 14),
    (ResourceType.TOOLKIT, 12),
    (ResourceType.TEMPLATE, 12),
    (ResourceType.WHITE_PAPER, 12),
    (ResourceType.CASE_STUDY, 12),
    (ResourceType.MANUAL, 8),
    (ResourceType.VIDEO, 8),
    (ResourceType.BOOK, 4),
)
ACCESS = (
    (Access.PUBLIC, 50),
    (Access.MEMBER, 28),
    (Access.PREMIUM, 10),
    (Access.STAFF, 4),
    (Access.ORGANIZATION, 8),
)
TITLE_PATTERNS = (
    "{Subject}: a {adjective} {noun} for {audience}",
    "{Subject} on social media",
    "{adjective_cap} {noun}: {subject}",
    "When {subject} meets the feed: {noun} for {audience}",
    "{Subject} in {setting}: what works",
    "A {noun} for {subject}",
)
SUBJECTS = (
    "patient privacy",
    "responding to online reviews",
    "employee advocacy",
    "crisis communication",
    "answering misinformation",
    "branded accounts",
    "personal and official accounts",
    "short video",
    "live streams from the ward",
    "physician voices",
    "nurse recruitment",
    "patient stories",
    "community management",
    "health literacy",
    "accessible posts",
    "campaign measurement",
)
NOUNS = ("policy", "guide", "toolkit", "checklist", "playbook", "framework", "handbook", "primer")
ADJECTIVES = ("practical", "plain-language", "field-tested", "short", "complete", "revised")
AUDIENCES = ("clinicians", "nurses", "pharmacists", "communicators", "leaders", "patients")
SETTINGS = (
    "a rural clinic",
    "a children's hospital",
    "an academic medical center",
    "a pharmacy chain",
    "a health system",
)
# Sentences of the extracted text. Every document draws many of them, so their words are
# common; the benchmark's "common" terms are among them.
SENTENCES = (
    "Every post about a patient needs the patient's written consent before it is published.",
    "Staff who use social media in a personal capacity should say that the views are their own.",
    "The policy applies to every employee, contractor, volunteer and student on placement.",
    "Never share images taken in clinical areas where a patient could be recognized.",
    "Protected health information includes names, dates, photographs and any detail that "
    "could identify a patient.",
    "Respond to online reviews with empathy, without confirming that the reviewer is a patient.",
    "Branded accounts are approved by the communications team and listed in a central register.",
    "Clinicians should not give individual medical advice in public comments or direct messages.",
    "Moderation of the community follows published house rules that are reviewed every year.",
    "A crisis communication plan names who speaks for the hospital and how quickly.",
    "Measure reach, engagement and referrals, and report them to leadership every quarter.",
    "Accessible posts use alt text for images, captions for video and plain language.",
    "Health literacy matters: write for a reader of average reading level.",
    "Misinformation is answered with evidence, links to trusted sources and a calm tone.",
    "Nurses and physicians who share their work online strengthen trust in the health system.",
    "Escalate threats, harassment and privacy breaches to the compliance office at once.",
    "Keep passwords in the approved manager and turn on two-factor authentication.",
    "The social media team keeps a calendar of campaigns, awareness days and events.",
    "Interacting with patients online stays professional: no friend requests from clinicians.",
    "Consequences of a breach of this policy range from retraining to dismissal.",
    "Review this guideline at least every two years or when the law changes.",
    "Case study: the clinic answered a negative review publicly and invited a private call.",
    "Templates help staff write posts that are accurate, kind and on brand.",
    "Video shot on a ward needs consent from everyone in the frame, staff included.",
    "Leaders model good behaviour on social media and support staff who are targeted online.",
    "Pharmacists can share medication safety tips that are general, never individual.",
    "The hospital's official accounts post in English and Spanish during public health alerts.",
    "Keep records of posts and replies as the retention schedule requires.",
    "Ask the patient advisory council to review campaigns about their conditions.",
    "Confidentiality continues after a patient is discharged and after employment ends.",
)
# Words found in few documents: each appears in about 0.05% to 0.5% of them.
RARE_SENTENCES = (
    "The podcast series interviews nurses about night shifts.",
    "A ransomware drill tested how the team would post during an outage.",
    "Geofencing adverts near the emergency department were stopped.",
    "The chatbot answers visiting-hours questions and hands over to a person.",
    "A deepfake video of a surgeon was reported and removed within hours.",
    "The ombudsman's office monitors complaints that start on social media.",
    "Wayfinding videos help visitors find the maternity unit.",
    "The fundraising livestream raised money for the neonatal unit.",
    "Volunteers moderate the bereavement forum with a chaplain.",
    "The alumni network of residents shares job openings.",
    "Influencer partnerships are disclosed with a clear label.",
    "Bilingual captions doubled the reach of the vaccination campaign.",
    "The telepharmacy service announced its hours on the clinic's page.",
    "A mentorship scheme pairs new communicators with senior editors.",
    "The hackathon produced a triage guide for the inbox.",
    "Sign-language interpreters joined the press conference stream.",
    "The quilting circle of the oncology ward shares photos with consent.",
    "A marathon team of physicians raised awareness of heart health.",
    "The xylophone therapy session was filmed with the families' consent.",
    "Zoonotic disease myths were answered by the infectious disease team.",
)
FIRST_NAMES = ("Ana", "Kwame", "Priya", "Morgan", "Helen", "Sam", "Jordan", "Chris", "Lena", "Omar")
LAST_NAMES = (
    "Ruiz",
    "Mensah",
    "Raman",
    "Lee",
    "Park",
    "Okafor",
    "Ellis",
    "Patel",
    "Novak",
    "Haddad",
)
CORPORATE_AUTHORS = (
    "Townsquare Center",
    "Council on Digital Health",
    "Association of Health Communicators",
)


@dataclass(frozen=True)
class ResourceSpec:
    index: int
    kind: str
    title: str
    summary: str
    body: str
    text: str
    file_kind: str
    topics: tuple[int, ...]  # indexes into TOPICS
    authors: tuple[tuple[str, bool], ...]
    audience: str
    access: str
    organization: int | None  # index into the organizations, for private ones
    is_listed: bool
    status: str
    published_on: date
    license: str
    chapters: tuple[tuple[str, str], ...]

    @property
    def slug(self) -> str:
        return f"{SLUG_PREFIX}{self.index}"


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _prose(rng: random.Random, size: int) -> str:
    """About ``size`` characters of sentences; now and then a rare one."""
    parts: list[str] = []
    length = 0
    while length < size:
        if rng.random() < 0.0015:
            # Rare sentences get rarer along the list (a Zipf-like spread).
            sentence = RARE_SENTENCES[min(int(rng.paretovariate(1.2)) - 1, len(RARE_SENTENCES) - 1)]
        else:
            sentence = rng.choice(SENTENCES)
        parts.append(sentence)
        length += len(sentence) + 1
    return " ".join(parts)


def _title(rng: random.Random, noun: str) -> str:
    subject = rng.choice(SUBJECTS)
    adjective = rng.choice(ADJECTIVES)
    return rng.choice(TITLE_PATTERNS).format(
        Subject=subject[0].upper() + subject[1:],
        subject=subject,
        adjective=adjective,
        adjective_cap=adjective[0].upper() + adjective[1:],
        noun=noun,
        audience=rng.choice(AUDIENCES),
        setting=rng.choice(SETTINGS),
    )


def resource_spec(index: int, organizations: int) -> ResourceSpec:
    """Resource *n* of the large demo; the same for every count above n."""
    rng = random.Random(f"{SEED}:{index}")  # noqa: S311 - synthetic data
    kind = _weighted(rng, KINDS)
    noun = {"policy": "policy", "guideline": "guide", "toolkit": "toolkit"}.get(kind, "")
    title = f"{_title(rng, noun or rng.choice(NOUNS))} ({index})"
    access = _weighted(rng, ACCESS)
    organization = rng.randrange(organizations) if organizations else None
    if access == Access.ORGANIZATION and organization is None:
        access = Access.MEMBER
    # Sizes lean towards the short end: most extracted texts are one or two pages.
    size = int(TEXT_BYTES[0] + (TEXT_BYTES[1] - TEXT_BYTES[0]) * rng.random() ** 2)
    chapters: tuple[tuple[str, str], ...] = ()
    if kind == ResourceType.BOOK:
        chapters = tuple(
            (f"Chapter {number}: {rng.choice(SUBJECTS).capitalize()}", _prose(rng, 600))
            for number in range(1, CHAPTERS_PER_BOOK + 1)
        )
    authors: list[tuple[str, bool]] = []
    if rng.random() < 0.3:
        authors.append((rng.choice(CORPORATE_AUTHORS), True))
    authors.extend(
        (f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", False)
        for _ in range(rng.choice((1, 1, 2)))
    )
    draw = rng.random()
    status = (
        ResourceStatus.DRAFT
        if draw < 0.01
        else ResourceStatus.WITHDRAWN
        if draw < 0.015
        else ResourceStatus.PUBLISHED
    )
    return ResourceSpec(
        index=index,
        kind=kind,
        title=title,
        summary=_prose(rng, 160),
        body=f"## About this {noun or 'resource'}\n\n{_prose(rng, 200)}",
        text=_prose(rng, size),
        file_kind=rng.choice((FileKind.PDF, FileKind.PDF, FileKind.DOCX)),
        topics=tuple(sorted(rng.sample(range(len(TOPICS)), rng.choice((1, 2, 2, 3))))),
        authors=tuple(authors),
        audience=rng.choice(Audience.values),
        access=access,
        organization=organization if access == Access.ORGANIZATION else None,
        is_listed=access != Access.ORGANIZATION or rng.random() < 0.3,
        status=status,
        published_on=date(2016, 1, 1) + timedelta(days=rng.randrange(3650)),
        license=rng.choice(License.values),
        chapters=chapters,
    )


# --- Loading -------------------------------------------------------------------------------------


def _topic_ids() -> list[int]:
    ids = []
    for name, slug in TOPICS:
        topic = Topic.objects.filter(name=name).first() or Topic.objects.filter(slug=slug).first()
        if topic is None:
            topic = Topic.objects.create(name=name, slug=slug)
        ids.append(topic.pk)
    return ids


def _keywords(spec: ResourceSpec, kind_label: str) -> str:
    authors = " ".join(name for name, _ in spec.authors)
    topics = " ".join(TOPICS[index][0] for index in spec.topics)
    return f"{authors} {topics} {kind_label}".strip()


def _documents(
    spec: ResourceSpec, resource_id: int, chapter_ids: list[int]
) -> tuple[Document, Document | None, list[Document]]:
    """What ``library.search`` indexes for this resource (the same composition of text)."""
    keywords = _keywords(spec, ResourceType(spec.kind).label)
    parts = [spec.summary, markdown_text(spec.body)]
    parts.extend(f"{title}\n{markdown_text(body)}" for title, body in spec.chapters)
    parts.append(spec.text)
    resource = Document(resource_id, spec.title, "\n\n".join(parts), keywords)
    listing = Document(resource_id, spec.title, spec.summary, keywords) if spec.is_listed else None
    chapters = [
        Document(chapter_id, f"{title} ({spec.title})", markdown_text(body), keywords)
        for chapter_id, (title, body) in zip(chapter_ids, spec.chapters, strict=True)
    ]
    return resource, listing, chapters


def _published_at(spec: ResourceSpec) -> datetime:
    return datetime(spec.published_on.year, spec.published_on.month, 1, tzinfo=UTC)


class _Loader:
    def __init__(self, demo: LargeDemo, organization_ids: list[int]) -> None:
        self.demo = demo
        self.organization_ids = organization_ids
        self.topic_ids = _topic_ids()
        self.now = timezone.now()
        self.result = {"resources": 0, "files": 0, "chapters": 0, "search_documents": 0}

    def load(self, specs: list[ResourceSpec]) -> None:
        for chunk in chunked(specs, CHUNK):
            self._chunk(chunk)

    def _chunk(self, specs: list[ResourceSpec]) -> None:
        resources = Resource.objects.bulk_create(
            [
                Resource(
                    slug=spec.slug,
                    kind=spec.kind,
                    title=spec.title,
                    summary=spec.summary,
                    audience=spec.audience,
                    language="en",
                    published_on=spec.published_on,
                    license=spec.license,
                    access=spec.access,
                    organization_id=(
                        self.organization_ids[spec.organization]
                        if spec.organization is not None
                        else None
                    ),
                    is_listed=spec.is_listed,
                    status=spec.status,
                    published_at=_published_at(spec)
                    if spec.status == ResourceStatus.PUBLISHED
                    else None,
                    created_by=self.demo.actor,
                    created_at=self.now,
                    updated_at=self.now,
                )
                for spec in specs
            ],
            batch_size=CHUNK,
        )
        ids = [resource.pk for resource in resources]
        versions = ResourceVersion.objects.bulk_create(
            [
                ResourceVersion(
                    resource_id=resource_id, number=1, body=spec.body, change_note="First edition"
                )
                for resource_id, spec in zip(ids, specs, strict=True)
            ],
            batch_size=CHUNK,
        )
        version_ids = [version.pk for version in versions]
        ResourceAuthor.objects.bulk_create(
            [
                ResourceAuthor(
                    resource_id=resource_id, position=position, name=name, is_organization=is_org
                )
                for resource_id, spec in zip(ids, specs, strict=True)
                for position, (name, is_org) in enumerate(spec.authors)
            ],
            batch_size=CHUNK,
        )
        through = Resource.topics.through
        through.objects.bulk_create(
            [
                through(resource_id=resource_id, topic_id=self.topic_ids[topic])
                for resource_id, spec in zip(ids, specs, strict=True)
                for topic in spec.topics
            ],
            batch_size=CHUNK,
        )
        ResourceFile.objects.bulk_create(
            [
                ResourceFile(
                    version_id=version_id,
                    position=0,
                    file=f"library/files/large-demo-{spec.index}.{spec.file_kind}",
                    original_name=f"{spec.slug}.{spec.file_kind}",
                    kind=spec.file_kind,
                    content_type="application/pdf"
                    if spec.file_kind == FileKind.PDF
                    else "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    size=len(spec.text) * 3,
                    sha256="0" * 64,
                    extraction=Extraction.DONE,
                    extracted_text=spec.text,
                    extracted_at=self.now,
                    page_count=max(1, len(spec.text) // 2500),
                )
                for version_id, spec in zip(version_ids, specs, strict=True)
            ],
            batch_size=CHUNK,
        )
        chapters = Chapter.objects.bulk_create(
            [
                Chapter(version_id=version_id, number=number, title=title, body=body)
                for version_id, spec in zip(version_ids, specs, strict=True)
                for number, (title, body) in enumerate(spec.chapters, start=1)
            ],
            batch_size=CHUNK,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE library_resource SET current_version_id = ("
                "SELECT v.id FROM library_resourceversion v "
                "WHERE v.resource_id = library_resource.id AND v.number = 1) "
                "WHERE id >= %s AND id <= %s AND current_version_id IS NULL",
                [min(ids), max(ids)],
            )
        self._index(specs, ids, [chapter.pk for chapter in chapters])
        self.result["resources"] += len(ids)
        self.result["files"] += len(ids)
        self.result["chapters"] += len(chapters)

    def _index(self, specs: list[ResourceSpec], ids: list[int], chapter_ids: list[int]) -> None:
        resource_documents: list[Document] = []
        listing_documents: list[Document] = []
        chapter_documents: list[Document] = []
        position = 0
        for resource_id, spec in zip(ids, specs, strict=True):
            mine = chapter_ids[position : position + len(spec.chapters)]
            position += len(spec.chapters)
            if spec.status != ResourceStatus.PUBLISHED:
                continue
            resource, listing, chapters = _documents(spec, resource_id, mine)
            resource_documents.append(resource)
            if listing is not None:
                listing_documents.append(listing)
            chapter_documents.extend(chapters)
        indexed = search_index_many(RESOURCE_KIND, resource_documents)
        indexed += search_index_many(LISTING_KIND, listing_documents)
        indexed += search_index_many(CHAPTER_KIND, chapter_documents)
        self.result["search_documents"] += indexed


def library_load(demo: LargeDemo, count: int) -> dict[str, int]:
    """Insert the resources of the large demo that are missing (by slug)."""
    existing = set(
        Resource.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", flat=True)
    )
    organization_ids = demo.organization_ids or list(
        Organization.objects.order_by("pk").values_list("pk", flat=True)
    )
    indexed = getattr(demo, "indexed_kinds", None)
    if isinstance(indexed, set):  # the search rebuild after the load may leave these out
        indexed.update({RESOURCE_KIND, LISTING_KIND, CHAPTER_KIND})
    missing = [index for index in range(count) if f"{SLUG_PREFIX}{index}" not in existing]
    if not missing:
        return {"resources": 0}
    demo.write(f"  library: {len(missing):,} resources with extracted text…")
    loader = _Loader(demo, organization_ids)
    # Specs are made a chunk at a time: the whole text of 100,000 resources would not fit.
    with demo.progress(len(missing), "library resources") as bar:
        for indexes in chunked(missing, CHUNK):
            loader.load([resource_spec(index, len(organization_ids)) for index in indexes])
            bar.update(len(indexes))
    for model in (Resource, ResourceVersion, ResourceAuthor, ResourceFile, Chapter, SearchDocument):
        demo.tables.add(model._meta.db_table)
    demo.tables.add(Resource.topics.through._meta.db_table)
    return loader.result


@register("library.resources")
def generate_library(demo: LargeDemo) -> dict[str, int]:
    count = _override[-1] if _override else max(1, round(DEFAULT_RESOURCES * demo.scale))
    return library_load(demo, count)
