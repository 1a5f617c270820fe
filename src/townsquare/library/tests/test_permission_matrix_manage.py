"""The manage section's pages against every role: staff authoring, the review-by list, topics,
collections (public pages and curation). Staff only, except the public collection pages;
refusals are audited and change nothing, allowed writes change something. An unpublished
collection is invisible (404) to everyone but staff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import make_matrix_people
from townsquare.core.testing.matrix import (
    DENIED,
    MISSING,
    OK,
    REDIRECT_LOGIN,
    assert_page,
    assert_page_write,
    client_as,
    page_ids,
)

from ..models import (
    Collection,
    CollectionItem,
    Resource,
    ResourceStatus,
    ResourceVersion,
    Topic,
)
from .factories import make_resource, make_topic, pdf_bytes, upload
from .support_manage import make_collection, resource_form_data

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "patient", "member", "outsider", "org_member", "leader", "moderator", "staff"]


@dataclass
class World:
    people: dict[str, User | None]
    resource: Resource
    draft: Resource
    topic: Topic
    collection: Collection
    hidden: Collection
    first_item: CollectionItem


@pytest.fixture
def world() -> World:
    matrix = make_matrix_people()
    staff = matrix.people["staff"]
    assert staff is not None
    resource = make_resource(title="Published paper")
    draft = make_resource(title="Draft paper", status=ResourceStatus.DRAFT)
    collection = make_collection(actor=staff, title="Reading list", resources=(resource,))
    hidden = make_collection(
        actor=staff,
        title="Hidden list",
        resources=(resource, make_resource()),
        is_published=False,
    )
    return World(
        people=dict(matrix.people),
        resource=resource,
        draft=draft,
        topic=make_topic("Video"),
        collection=collection,
        hidden=hidden,
        first_item=hidden.items.order_by("position").first(),  # type: ignore[arg-type]
    )


SIGNED_IN = [role for role in ROLES if role != "anonymous"]
STAFF_ONLY = {"anonymous": REDIRECT_LOGIN, **dict.fromkeys(SIGNED_IN, DENIED), "staff": OK}
STAFF_WRITE = {**STAFF_ONLY, "staff": 302}
EVERYONE = dict.fromkeys(ROLES, OK)
STAFF_SEE = {**dict.fromkeys(ROLES, MISSING), "staff": OK}

PAGES = [
    ("library:manage_list", "get", "/library/manage/", STAFF_ONLY),
    ("library:manage_list (filtered)", "get", "/library/manage/?status=draft&q=x", STAFF_ONLY),
    ("library:resource_create", "get", "/library/manage/new/", STAFF_ONLY),
    ("library:resource_edit", "get", "/library/manage/{resource}/edit/", STAFF_ONLY),
    ("library:resource_edit (draft)", "get", "/library/manage/{draft}/edit/", STAFF_ONLY),
    ("library:version_create", "get", "/library/manage/{resource}/versions/new/", STAFF_ONLY),
    ("library:review_due", "get", "/library/manage/review-due/", STAFF_ONLY),
    ("library:topic_manage", "get", "/library/manage/topics/", STAFF_ONLY),
    ("library:collection_list", "get", "/library/collections/", EVERYONE),
    ("library:collection_detail", "get", "/library/collections/{collection}/", EVERYONE),
    ("library:collection_detail (hidden)", "get", "/library/collections/{hidden}/", STAFF_SEE),
    ("library:collection_create", "get", "/library/collections/new/", STAFF_ONLY),
    ("library:collection_edit", "get", "/library/collections/{collection}/edit/", STAFF_ONLY),
]


def _version(world: World) -> dict[str, Any]:
    return {
        "change_note": "Second",
        "body": "New text",
        "uploads": [upload("new.pdf", pdf_bytes("New text"))],
    }


WRITES = [
    (
        "library:resource_create",
        "/library/manage/new/",
        lambda world: resource_form_data(title="A new one"),
        STAFF_WRITE,
    ),
    (
        "library:resource_edit",
        "/library/manage/{resource}/edit/",
        lambda world: resource_form_data(title="Renamed paper"),
        STAFF_WRITE,
    ),
    ("library:version_create", "/library/manage/{resource}/versions/new/", _version, STAFF_WRITE),
    ("library:resource_publish", "/library/manage/{draft}/publish", {}, STAFF_WRITE),
    ("library:resource_withdraw", "/library/manage/{resource}/withdraw", {}, STAFF_WRITE),
    ("library:topic_manage", "/library/manage/topics/", {"name": "Crisis"}, STAFF_WRITE),
    (
        "library:topic_manage (rename)",
        "/library/manage/topics/",
        lambda world: {"topic": world.topic.pk, "name": "Short video"},
        STAFF_WRITE,
    ),
    (
        "library:topic_manage (delete)",
        "/library/manage/topics/",
        lambda world: {"topic": world.topic.pk, "delete": "1"},
        STAFF_WRITE,
    ),
    ("library:collection_create", "/library/collections/new/", {"title": "Kit"}, STAFF_WRITE),
    (
        "library:collection_edit",
        "/library/collections/{collection}/edit/",
        {"title": "Renamed list"},
        STAFF_WRITE,
    ),
    (
        "library:collection_item_add",
        "/library/collections/{collection}/items/add",
        lambda world: {"resource": world.draft.slug, "note": "Soon"},
        STAFF_WRITE,
    ),
    (
        "library:collection_item_remove",
        "/library/collections/{hidden}/items/{item}/remove",
        {},
        STAFF_WRITE,
    ),
    (
        "library:collection_item_move",
        "/library/collections/{hidden}/items/{item}/move",
        {"direction": "down"},
        STAFF_WRITE,
    ),
    ("library:collection_publish", "/library/collections/{hidden}/publish", {}, STAFF_WRITE),
]

# The manage section has no API operations (the contract asks for none).
API: list[tuple[Any, ...]] = []
API_WRITES: list[tuple[Any, ...]] = []


def fill(template: str, world: World) -> str:
    return template.format(
        resource=world.resource.pk,
        draft=world.draft.pk,
        collection=world.collection.slug,
        hidden=world.hidden.slug,
        item=world.first_item.pk,
    )


def state() -> tuple:
    return (
        list(
            Resource.objects.order_by("pk").values_list(
                "pk", "title", "status", "access", "current_version_id"
            )
        ),
        ResourceVersion.objects.count(),
        list(Topic.objects.order_by("pk").values_list("pk", "name")),
        list(Collection.objects.order_by("pk").values_list("pk", "title", "is_published")),
        list(CollectionItem.objects.order_by("pk").values_list("pk", "collection_id", "position")),
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


def test_gets_on_post_only_pages_are_refused(world):
    client = client_as(world, "staff")
    for path in (
        f"/library/manage/{world.draft.pk}/publish",
        f"/library/manage/{world.resource.pk}/withdraw",
        f"/library/collections/{world.hidden.slug}/publish",
    ):
        assert client.get(path).status_code == 405
    assert Resource.objects.get(pk=world.draft.pk).status == ResourceStatus.DRAFT
