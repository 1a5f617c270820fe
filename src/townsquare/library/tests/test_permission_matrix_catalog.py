"""The catalog pages and API against every role: published, listed resources are known to all
(title and summary), their contents open by access level; unlisted or unpublished ones do not
exist for whoever may not open them; a see-but-not-open person gets 403 on versions, chapters,
files and version citations, audited, and nothing is counted."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import MATRIX_ROLES
from townsquare.core.testing.matrix import (
    DENIED,
    MISSING,
    OK,
    api_ids,
    assert_api_read,
    assert_page,
    client_as,
    page_ids,
)

from ..models import Resource, ResourceFile, ResourceUsage
from .support_catalog import add_pdf, make_catalog_world

pytestmark = pytest.mark.django_db

ROLES = MATRIX_ROLES


@dataclass
class World:
    people: dict[str, User | None]
    public: Resource
    member: Resource
    private: Resource
    unlisted: Resource
    draft: Resource
    public_file: ResourceFile
    member_file: ResourceFile
    unlisted_file: ResourceFile


@pytest.fixture
def world() -> World:
    catalog = make_catalog_world()
    staff = catalog.people["staff"]
    unlisted_file = add_pdf(catalog.unlisted, actor=staff, name="secret.pdf")
    return World(
        catalog.people,
        catalog.public,
        catalog.member,
        catalog.private,
        catalog.unlisted,
        catalog.draft,
        catalog.file,
        catalog.old_file,
        unlisted_file,
    )


EVERYONE = dict.fromkeys(ROLES, OK)
# Members' resources open to every professional (and staff); patients and the anonymous see
# the title only.
MEMBERS_OPEN = {**EVERYONE, "anonymous": DENIED, "patient": DENIED}
# Private to the matrix organization: its member and leader (and staff) open it; everyone else
# sees the title only (listed) or nothing (unlisted).
ORGANIZATION_OPEN = {
    **dict.fromkeys(ROLES, DENIED),
    "org_member": OK,
    "leader": OK,
    "staff": OK,
}
UNLISTED = {**dict.fromkeys(ROLES, MISSING), "org_member": OK, "leader": OK, "staff": OK}
STAFF_ONLY = {**dict.fromkeys(ROLES, MISSING), "staff": OK}


PAGES = [
    ("library:catalog", "get", "/library/", EVERYONE),
    ("library:catalog (filtered)", "get", "/library/?type=book&year=2024&access=public", EVERYONE),
    ("library:topic_list", "get", "/library/topics/", EVERYONE),
    ("library:resource_detail", "get", "/library/r/{public}/", EVERYONE),
    ("library:resource_detail (members)", "get", "/library/r/{member}/", EVERYONE),
    ("library:resource_detail (private, listed)", "get", "/library/r/{private}/", EVERYONE),
    ("library:resource_detail (unlisted)", "get", "/library/r/{unlisted}/", UNLISTED),
    ("library:resource_detail (draft)", "get", "/library/r/{draft}/", STAFF_ONLY),
    ("library:version_detail", "get", "/library/r/{public}/v/1/", EVERYONE),
    ("library:version_detail (members)", "get", "/library/r/{member}/v/2/", MEMBERS_OPEN),
    ("library:version_detail (private)", "get", "/library/r/{private}/v/1/", ORGANIZATION_OPEN),
    ("library:version_detail (unlisted)", "get", "/library/r/{unlisted}/v/1/", UNLISTED),
    ("library:version_detail (draft)", "get", "/library/r/{draft}/v/1/", STAFF_ONLY),
    ("library:chapter_detail", "get", "/library/r/{public}/chapters/1/", EVERYONE),
    ("library:chapter_detail (members)", "get", "/library/r/{member}/chapters/1/", MEMBERS_OPEN),
    (
        "library:version_chapter_detail",
        "get",
        "/library/r/{public}/v/1/chapters/2/",
        EVERYONE,
    ),
    (
        "library:version_chapter_detail (members)",
        "get",
        "/library/r/{member}/v/1/chapters/1/",
        MEMBERS_OPEN,
    ),
    ("library:file_download", "get", "/library/r/{public}/files/{public_file}/download", EVERYONE),
    (
        "library:file_download (members)",
        "get",
        "/library/r/{member}/files/{member_file}/download",
        MEMBERS_OPEN,
    ),
    (
        "library:file_download (unlisted)",
        "get",
        "/library/r/{unlisted}/files/{unlisted_file}/download",
        UNLISTED,
    ),
    ("library:citation", "get", "/library/r/{public}/cite.bib", EVERYONE),
    ("library:citation (members, ris)", "get", "/library/r/{member}/cite.ris", EVERYONE),
    (
        "library:citation (members, a version)",
        "get",
        "/library/r/{member}/cite.bib?version=1",
        MEMBERS_OPEN,
    ),
    ("library:citation (unlisted)", "get", "/library/r/{unlisted}/cite.bib", UNLISTED),
]
WRITES: list[tuple] = []

API = [
    ("get", "/api/v1/library/resources", None, EVERYONE),
    ("get", "/api/v1/library/resources?type=book&year=2024", None, EVERYONE),
    ("get", "/api/v1/library/resources/{public_id}", None, EVERYONE),
    ("get", "/api/v1/library/resources/{member_id}", None, EVERYONE),
    ("get", "/api/v1/library/resources/{unlisted_id}", None, UNLISTED),
    ("get", "/api/v1/library/resources/{draft_id}", None, STAFF_ONLY),
    ("get", "/api/v1/library/resources/{public_id}/versions", None, EVERYONE),
    ("get", "/api/v1/library/resources/{member_id}/versions", None, MEMBERS_OPEN),
    ("get", "/api/v1/library/resources/{private_id}/versions", None, ORGANIZATION_OPEN),
    ("get", "/api/v1/library/resources/{unlisted_id}/versions", None, UNLISTED),
    ("get", "/api/v1/library/resources/{public_id}/versions/2", None, EVERYONE),
    ("get", "/api/v1/library/resources/{member_id}/versions/1", None, MEMBERS_OPEN),
    ("get", "/api/v1/library/resources/{draft_id}/versions/1", None, STAFF_ONLY),
    (
        "get",
        "/api/v1/library/resources/{public_id}/files/{public_file}/download",
        None,
        EVERYONE,
    ),
    (
        "get",
        "/api/v1/library/resources/{member_id}/files/{member_file}/download",
        None,
        MEMBERS_OPEN,
    ),
    (
        "get",
        "/api/v1/library/resources/{unlisted_id}/files/{unlisted_file}/download",
        None,
        UNLISTED,
    ),
    ("get", "/api/v1/library/resources/{public_id}/citation?format=ris", None, EVERYONE),
    ("get", "/api/v1/library/resources/{member_id}/citation", None, EVERYONE),
    ("get", "/api/v1/library/resources/{member_id}/citation?version=1", None, MEMBERS_OPEN),
    ("get", "/api/v1/library/resources/{unlisted_id}/citation", None, UNLISTED),
]
API_WRITES: list[tuple] = []


def fill(template: str, world: World) -> str:
    return template.format(
        public=world.public.slug,
        member=world.member.slug,
        private=world.private.slug,
        unlisted=world.unlisted.slug,
        draft=world.draft.slug,
        public_id=world.public.pk,
        member_id=world.member.pk,
        private_id=world.private.pk,
        unlisted_id=world.unlisted.pk,
        draft_id=world.draft.pk,
        public_file=world.public_file.pk,
        member_file=world.member_file.pk,
        unlisted_file=world.unlisted_file.pk,
    )


def downloads() -> int:
    return sum(ResourceUsage.objects.values_list("downloads", flat=True))


def finish(response) -> None:
    """Read a file response to its end, which closes the file."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "expected"), PAGES, ids=page_ids(PAGES))
def test_pages(world, role, name, method, path, expected):
    before = downloads()
    response = getattr(client_as(world, role), method)(fill(path, world))
    finish(response)
    assert_page(response, expected[role])
    counted = "file_download" in name and expected[role] == OK
    assert downloads() == before + (1 if counted else 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "path", "body", "expected"), API, ids=api_ids(API))
def test_api_reads(world, role, method, path, body, expected):
    before = downloads()
    response = getattr(client_as(world, role), method)(fill(path, world))
    finish(response)
    plain = "/download" in path or "/citation" in path
    assert_api_read(response, expected[role], json_body=not plain)
    counted = "/download" in path and expected[role] == OK
    assert downloads() == before + (1 if counted else 0)
