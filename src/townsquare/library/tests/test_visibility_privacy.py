"""The library's privacy promise, proved across every surface: a restricted or unlisted resource
never reaches a person who may not see it, and what a person may see but not open shows its
title and summary only: never its body, chapters, older versions, files or text from them.

One library holds a resource of every access level and state, each with words of its own in its
title, current body, chapter, PDF file and first (older) version. Every kind of person then walks
every surface: the catalog, the resource page, versions, chapters, files by direct URL (also
through another resource's address), citations, the search page and API, a collection holding
them all, the resources API, and the submission file link. What each may see or open comes from
the gates (``permissions.py``, themselves tested in ``test_foundation.py``), and a few cases are
also written out by hand below so the gates cannot quietly agree with a leak.

Each person's walk collects every leak as "<request> as <role>: <what leaked>", so a failure names
the exact request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MATRIX_ROLES, make_matrix_people

from ..models import (
    Access,
    AccessGrant,
    Collection,
    CollectionItem,
    Resource,
    ResourceFile,
    ResourceStatus,
    ResourceType,
)
from ..permissions import can_open_resource, can_see_resource
from ..services import access as access_services
from ..services import resources as resource_services
from .factories import make_resource, pdf_bytes, upload

pytestmark = pytest.mark.django_db

# key -> (access, listed, status, submitted by the member)
LIBRARY = {
    "public": (Access.PUBLIC, True, ResourceStatus.PUBLISHED, False),
    "member": (Access.MEMBER, True, ResourceStatus.PUBLISHED, False),
    "premium": (Access.PREMIUM, True, ResourceStatus.PUBLISHED, False),
    "orglisted": (Access.ORGANIZATION, True, ResourceStatus.PUBLISHED, False),
    "orgunlisted": (Access.ORGANIZATION, False, ResourceStatus.PUBLISHED, False),
    "staffunlisted": (Access.STAFF, False, ResourceStatus.PUBLISHED, False),
    "draft": (Access.MEMBER, True, ResourceStatus.SUBMITTED, True),
    "withdrawn": (Access.PUBLIC, True, ResourceStatus.WITHDRAWN, False),
}
PARTS = ("title", "body", "chapter", "file", "old")


def token(key: str, part: str) -> str:
    """A word found nowhere else (no suffix a stemmer would take off)."""
    return f"zq{key}{part}x"


@dataclass
class Item:
    key: str
    resource: Resource
    file: ResourceFile

    def word(self, part: str) -> str:
        return token(self.key, part)

    @property
    def secrets(self) -> list[str]:
        """What only those who may open it may read."""
        return [self.word(part) for part in PARTS if part != "title"]


@dataclass
class Library:
    people: dict[str, User | None]
    items: list[Item]
    collection: Collection


def _build() -> Library:
    cast = make_matrix_people()
    staff, member = cast.people["staff"], cast.people["member"]
    assert staff is not None
    assert member is not None
    items = []
    for key, (access, listed, status, submitted) in LIBRARY.items():
        resource = make_resource(
            title=f"{token(key, 'title').capitalize()} handbook",
            kind=ResourceType.BOOK,
            access=access,
            organization=cast.organization if access == Access.ORGANIZATION else None,
            is_listed=listed,
            status=status,
            created_by=member if submitted else None,
            is_submission=submitted,
            body=f"The first edition said {token(key, 'old')}.",
            chapters=(("Getting started", f"Chapter text about {token(key, 'chapter')}."),),
            indexed=False,
        )
        validated = resource_services.file_validate(
            upload("guide.pdf", pdf_bytes(f"Inside the file {token(key, 'file')}"))
        )
        resource_services.version_create(
            actor=staff,
            resource=resource,
            change_note="Second edition",
            body=f"The current edition says {token(key, 'body')}.",
            files=[validated],
        )
        stored = ResourceFile.objects.get(version__resource=resource)
        items.append(Item(key, Resource.objects.get(pk=resource.pk), stored))
    collection = Collection.objects.create(
        slug="privacy-kit", title="Privacy kit", is_published=True
    )
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=collection, resource=item.resource, position=index)
        for index, item in enumerate(items)
    )
    by_key = {item.key: item.resource for item in items}
    # The patient asked for the members' resource and was given it.
    patient = cast.people["patient"]
    asked = access_services.access_request_create(actor=patient, resource=by_key["member"])
    access_services.access_decide(actor=staff, access_request=asked, decision="grant")
    # The outsider holds a grant on the unlisted resource (it was listed when granted).
    outsider = cast.people["outsider"]
    assert outsider is not None
    AccessGrant.objects.create(resource=by_key["orgunlisted"], person=outsider, granted_by=staff)
    return Library(cast.people, items, collection)


@pytest.fixture
def library(django_capture_on_commit_callbacks) -> Library:
    with django_capture_on_commit_callbacks(execute=True):  # extraction and search indexing
        return _build()


def _fresh(user: User | None) -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


def _client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _text(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


class Walk:
    """One person's walk: sends requests and writes down every leak."""

    def __init__(self, role: str, user: User | None) -> None:
        self.role = role
        self.client = _client(user)
        self.leaks: list[str] = []

    def get(self, path: str) -> tuple[int, str]:
        response = self.client.get(path)
        return response.status_code, _text(response)

    def leak(self, path: str, what: str) -> None:
        self.leaks.append(f"GET {path} as {self.role}: {what}")

    def expect_status(self, path: str, allowed: set[int], status: int) -> None:
        if status not in allowed:
            self.leak(path, f"status {status}, expected one of {sorted(allowed)}")

    def expect_absent(self, path: str, text: str, words: list[str]) -> None:
        for word in words:
            if word in text:
                self.leak(path, f"contains {word!r}")


def _link(item: Item) -> str:
    return f"/library/r/{item.resource.slug}/"


def _walk_pages(walk: Walk, item: Item, *, sees: bool, opens: bool, decoy: Item) -> None:
    slug, resource = item.resource.slug, item.resource
    hidden_words = [item.word("title"), *item.secrets] if not sees else item.secrets
    refused = {404} if not sees else {403}

    # The resource's stable link.
    path = _link(item)
    status, text = walk.get(path)
    if not sees:
        walk.expect_status(path, {404}, status)
        walk.expect_absent(path, text, hidden_words)
    elif not opens:
        walk.expect_status(path, {200}, status)
        if item.word("title") not in text.lower():
            walk.leak(path, "the title is missing for someone who may see it")
        walk.expect_absent(path, text, item.secrets)
        if "request-access/" not in text and resource.status == ResourceStatus.PUBLISHED:
            walk.leak(path, "no request-access link")
    else:
        walk.expect_status(path, {200}, status)
        if item.word("body") not in text:
            walk.leak(path, "the body is missing for someone who may open it")

    # Versions, chapters, files, citations: by direct URL.
    for path in (
        f"/library/r/{slug}/v/1/",
        f"/library/r/{slug}/v/2/",
        f"/library/r/{slug}/chapters/1/",
        f"/library/r/{slug}/v/1/chapters/1/",
        f"/library/r/{slug}/files/{item.file.pk}/download",
        f"/library/r/{slug}/cite.bib?version=1",
        f"/library/r/{slug}/cite.ris?version=2",
    ):
        status, text = walk.get(path)
        if opens:
            walk.expect_status(path, {200}, status)
        else:
            walk.expect_status(path, refused, status)
            walk.expect_absent(path, text, hidden_words)
    for fmt in ("bib", "ris"):
        path = f"/library/r/{slug}/cite.{fmt}"
        status, text = walk.get(path)
        walk.expect_status(path, {200} if sees else {404}, status)
        walk.expect_absent(path, text, hidden_words)
    # A file asked for through another resource's address is never served.
    if item is not decoy:
        path = f"/library/r/{decoy.resource.slug}/files/{item.file.pk}/download"
        status, text = walk.get(path)
        walk.expect_status(path, {403, 404}, status)
        walk.expect_absent(path, text, hidden_words)
    # The submission's file link is for the submitter and reviewers only.
    path = f"/library/submissions/{resource.pk}/files/{item.file.pk}/download"
    status, _ = walk.get(path)
    may_follow = resource.is_submission and walk.role in {"member", "staff"}
    walk.expect_status(path, {200} if may_follow else {302, 404}, status)
    # The submission's page and its review page: the submitter and reviewers only.
    for path, followers in (
        (f"/library/submissions/{resource.pk}/", {"member", "staff"}),
        (f"/library/review/{resource.pk}/", {"staff"}),
    ):
        status, text = walk.get(path)
        if walk.role == "staff":  # reviewers open everything
            continue
        if resource.is_submission and walk.role in followers:
            walk.expect_status(path, {200}, status)
        else:
            walk.expect_status(path, {302, 403, 404}, status)
            walk.expect_absent(path, text, hidden_words)
    # The access section's own pages.
    for path in (f"/library/r/{slug}/request-access/", f"/library/r/{slug}/usage/"):
        status, text = walk.get(path)
        if not sees:
            walk.expect_status(path, {302, 404}, status)
        walk.expect_absent(path, text, hidden_words if not sees else item.secrets)


def _walk_api(walk: Walk, item: Item, *, sees: bool, opens: bool, decoy: Item) -> None:
    base = f"/api/v1/library/resources/{item.resource.pk}"
    hidden_words = [item.word("title"), *item.secrets] if not sees else item.secrets
    refused = {404} if not sees else {403}
    if walk.role == "anonymous":
        refused = refused | {401}
    status, text = walk.get(base)
    if not sees:
        walk.expect_status(base, {404}, status)
        walk.expect_absent(base, text, hidden_words)
    elif not opens:
        walk.expect_status(base, {200}, status)
        walk.expect_absent(base, text, item.secrets)
    else:
        walk.expect_status(base, {200}, status)
        if item.word("body") not in text:
            walk.leak(base, "the body is missing for someone who may open it")
    for path in (
        f"{base}/versions",
        f"{base}/versions/1",
        f"{base}/files/{item.file.pk}/download",
        f"{base}/citation?format=bibtex&version=1",
    ):
        status, text = walk.get(path)
        if opens:
            walk.expect_status(path, {200}, status)
        else:
            walk.expect_status(path, refused, status)
            walk.expect_absent(path, text, hidden_words)
    path = f"{base}/citation?format=ris"
    status, text = walk.get(path)
    walk.expect_status(path, {200} if sees else refused, status)
    walk.expect_absent(path, text, hidden_words)
    if item is not decoy:
        path = f"/api/v1/library/resources/{decoy.resource.pk}/files/{item.file.pk}/download"
        status, text = walk.get(path)
        walk.expect_status(path, {403, 404}, status)
        walk.expect_absent(path, text, hidden_words)


def _walk_search(walk: Walk, item: Item, *, sees: bool, opens: bool) -> None:
    link = _link(item)
    for part in PARTS:
        word = item.word(part)
        path = f"/library/search/?q={word}&groups=1"
        status, text = walk.get(path)
        walk.expect_status(path, {200}, status)
        found = link in text
        # The title finds what one may see; the text finds only what one may open.
        may_find = sees if part == "title" else opens
        if found and not may_find:
            walk.leak(path, f"links to {item.key} ({link})")
        others = [] if opens else item.secrets if sees else [item.word("title"), *item.secrets]
        walk.expect_absent(path, text, [w for w in others if w != word])
        findable = opens and item.resource.status == ResourceStatus.PUBLISHED
        if part in {"body", "file", "chapter"} and findable and not found:
            walk.leak(path, f"does not find {item.key}, which the person may open")

        path = f"/api/v1/library/search?q={word}&include=restricted,chapters"
        status, text = walk.get(path)
        walk.expect_status(path, {200}, status)
        if status != 200:
            continue
        body = json.loads(text)
        pk = item.resource.pk
        readable = {hit["id"] for hit in body["items"]}
        chapters = {hit["resource_id"] for hit in body["chapters"]}
        restricted = {hit["id"] for hit in body["restricted"]}
        if (pk in readable or pk in chapters) and not opens:
            walk.leak(path, f"gives {item.key} (or its chapter) as readable")
        if pk in restricted and (not sees or part != "title"):
            walk.leak(path, f"offers {item.key} to request access from its {part}")
        walk.expect_absent(path, text, [w for w in others if w != word])


def _walk_lists(walk: Walk, library: Library, sees: dict[str, bool], opens: dict[str, bool]):
    # The catalog (every page of it), the collection, the resources API.
    for path in (
        "/library/",
        "/library/?page=2",
        f"/library/collections/{library.collection.slug}/",
    ):
        status, text = walk.get(path)
        if path.endswith("page=2") and status == 404:
            continue
        walk.expect_status(path, {200}, status)
        for item in library.items:
            if not sees[item.key]:
                walk.expect_absent(path, text, [item.word("title"), _link(item)])
            walk.expect_absent(path, text, item.secrets)
            shown = sees[item.key] and item.resource.status == ResourceStatus.PUBLISHED
            if path == "/library/" and shown and _link(item) not in text:
                walk.leak(path, f"misses {item.key}, which the person may see")
    path = "/api/v1/library/resources?limit=100"
    status, text = walk.get(path)
    walk.expect_status(path, {200}, status)
    if status == 200:
        listed = {row["id"]: row for row in json.loads(text)["items"]}
        for item in library.items:
            row = listed.get(item.resource.pk)
            if row is not None and not sees[item.key]:
                walk.leak(path, f"lists {item.key}")
            if row is not None and row.get("can_open") != opens[item.key]:
                walk.leak(path, f"says can_open={row.get('can_open')} for {item.key}")
            walk.expect_absent(path, text, item.secrets)


# Written out by hand: who may see (S), open (O) or neither (-) each resource.
EXPECTED = {
    #              public member premium orglisted orgunlisted staffunlisted draft withdrawn
    "anonymous": "O S S S - - - -",
    "patient": "O O S S - - - -",
    "member": "O O S S - - O -",
    "outsider": "O O O S O - - -",
    "org_member": "O O O O O - - -",
    "leader": "O O O O O - - -",
    "moderator": "O O S S - - - -",
    "staff": "O O O O O O O O",
}


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_no_surface_shows_a_person_what_they_may_not_see(library, role):
    person = library.people[role]
    user = _fresh(person)
    sees = {item.key: can_see_resource(user, item.resource) for item in library.items}
    opens = {item.key: can_open_resource(_fresh(person), item.resource) for item in library.items}
    written = dict(zip(LIBRARY, EXPECTED[role].split(), strict=True))
    gates = {key: "O" if opens[key] else "S" if sees[key] else "-" for key in LIBRARY}
    assert gates == written

    walk = Walk(role, person)
    decoy = library.items[0]  # the public resource, open to everyone
    for item in library.items:
        _walk_pages(walk, item, sees=sees[item.key], opens=opens[item.key], decoy=decoy)
        _walk_api(walk, item, sees=sees[item.key], opens=opens[item.key], decoy=decoy)
        _walk_search(walk, item, sees=sees[item.key], opens=opens[item.key])
    _walk_lists(walk, library, sees, opens)
    assert walk.leaks == [], "\n".join(walk.leaks)


def test_revoking_a_grant_closes_every_surface_again(library):
    staff = library.people["staff"]
    patient = library.people["patient"]
    member_item = next(item for item in library.items if item.key == "member")
    grant = AccessGrant.objects.get(resource=member_item.resource, person=patient)
    access_services.grant_revoke(actor=staff, grant=grant)
    walk = Walk("patient", patient)
    _walk_pages(walk, member_item, sees=True, opens=False, decoy=library.items[0])
    _walk_api(walk, member_item, sees=True, opens=False, decoy=library.items[0])
    _walk_search(walk, member_item, sees=True, opens=False)
    assert walk.leaks == [], "\n".join(walk.leaks)
