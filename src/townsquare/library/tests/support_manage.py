"""Test helpers of the manage section: form data for the staff pages, collections with items."""

from __future__ import annotations

from typing import Any

from townsquare.accounts.models import User

from ..models import Collection, Resource, ResourceVersion
from ..services import collections as collection_services
from ..services.collections import CollectionFields
from .factories import make_resource


def resource_form_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "white_paper",
        "title": "Listening before posting",
        "summary": "Why social listening comes before the first post.",
        "authors": "",
        "audience": "everyone",
        "language": "en",
        "published_on": "",
        "license": "cc-by-4.0",
        "doi": "",
        "isbn": "",
        "review_by": "",
        "access": "public",
        "organization": "",
        "is_listed": "on",
        "cover_alt": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def make_collection(
    *,
    actor: User | None,
    title: str = "Privacy reading list",
    resources: tuple[Resource, ...] = (),
    is_published: bool = True,
    is_toolkit: bool = False,
) -> Collection:
    if actor is None:
        raise AssertionError("collections are made by staff")
    collection = collection_services.collection_create(
        actor=actor, fields=CollectionFields(title=title, is_toolkit=is_toolkit)
    )
    for resource in resources:
        collection_services.collection_item_add(
            actor=actor, collection=collection, resource=resource, note=f"Read {resource.title}"
        )
    if is_published:
        collection_services.collection_publish(actor=actor, collection=collection)
    collection.refresh_from_db()
    return collection


def make_resources(count: int, **fields: Any) -> list[Resource]:
    return [make_resource(indexed=False, **fields) for _ in range(count)]


def current_version(resource: Resource) -> ResourceVersion:
    """The resource's current version (it must have one)."""
    resource.refresh_from_db(fields=["current_version"])
    version = resource.current_version
    if version is None:
        raise AssertionError(f"{resource} has no current version")
    return version
