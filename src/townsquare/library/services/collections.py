"""Collections and toolkits (ordered, curated lists of resources) and the topics resources are
filed under. Staff curate both; every change is audited.

Positions inside a collection are kept dense (0, 1, 2, ...): adding appends, removing closes the
gap, moving swaps with the neighbour. The collection row is locked for every change to its items,
so two curators reordering at once never produce duplicate positions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.models import MAX_OBJECT_ID

from ..models import Collection, CollectionItem, Resource, Topic
from ..permissions import can_manage_collection, can_manage_library

MAX_ITEMS = 500
# Paths under /library/collections/ that are pages of their own, not collections.
RESERVED_COLLECTION_SLUGS = frozenset({"new"})
UP, DOWN = "up", "down"


@dataclass(frozen=True)
class CollectionFields:
    title: str
    summary: str = ""
    is_toolkit: bool = False
    slug: str = ""


def _check_curator(actor: Any) -> None:
    if not can_manage_collection(actor):
        raise PermissionRefused("Only center staff curate collections.")


def _locked(collection: Collection) -> Collection:
    locked = Collection.objects.select_for_update().filter(pk=collection.pk).first()
    if locked is None:
        raise NotFound("That collection no longer exists.")
    return locked


def collection_unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = (slugify(title)[:100] or "collection").strip("-") or "collection"
    if base in RESERVED_COLLECTION_SLUGS:
        base = f"{base}-collection"
    candidate, number = base, 2
    taken = Collection.objects.exclude(pk=exclude_pk) if exclude_pk else Collection.objects.all()
    while taken.filter(slug=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _check_fields(fields: CollectionFields) -> None:
    errors: dict[str, list[str]] = {}
    if not fields.title.strip():
        errors["title"] = ["Give the collection a title."]
    if len(fields.title) > 300:
        errors["title"] = ["At most 300 characters."]
    if len(fields.summary) > 5000:
        errors["summary"] = ["At most 5000 characters."]
    slug = fields.slug.strip()
    if slug and (slug != slugify(slug) or slug in RESERVED_COLLECTION_SLUGS or len(slug) > 120):
        errors["slug"] = ["Use lowercase letters, digits and hyphens (and not “new”)."]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(f"Please correct: {first}", field_errors=errors)


@transaction.atomic
def collection_create(*, actor: Any, fields: CollectionFields) -> Collection:
    """A new, unpublished collection (or toolkit)."""
    _check_curator(actor)
    _check_fields(fields)
    slug = fields.slug.strip() or collection_unique_slug(fields.title)
    collection = Collection(
        slug=slug,
        title=fields.title.strip(),
        summary=fields.summary.strip(),
        is_toolkit=fields.is_toolkit,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            collection.save()
    except IntegrityError as error:
        raise ValidationFailed(
            "Another collection already has that address.",
            field_errors={"slug": ["Already taken: choose another address."]},
        ) from error
    audit_record(
        action="library.collection_create",
        actor=actor,
        target=collection,
        data={"toolkit": collection.is_toolkit},
    )
    return collection


@transaction.atomic
def collection_update(
    *, actor: Any, collection: Collection, fields: CollectionFields
) -> Collection:
    _check_curator(actor)
    _check_fields(fields)
    collection = _locked(collection)
    slug = fields.slug.strip() or collection.slug
    if Collection.objects.filter(slug=slug).exclude(pk=collection.pk).exists():
        raise ValidationFailed(
            "Another collection already has that address.",
            field_errors={"slug": ["Already taken: choose another address."]},
        )
    collection.slug = slug
    collection.title = fields.title.strip()
    collection.summary = fields.summary.strip()
    collection.is_toolkit = fields.is_toolkit
    collection.save()
    audit_record(action="library.collection_update", actor=actor, target=collection, data={})
    return collection


@transaction.atomic
def collection_publish(*, actor: Any, collection: Collection, publish: bool = True) -> Collection:
    """Show the collection to everyone (``publish``) or take it back to staff only."""
    _check_curator(actor)
    collection = _locked(collection)
    if collection.is_published == publish:
        return collection
    collection.is_published = publish
    collection.save(update_fields=["is_published", "updated_at"])
    audit_record(
        action="library.collection_publish" if publish else "library.collection_unpublish",
        actor=actor,
        target=collection,
        data={},
    )
    return collection


@transaction.atomic
def collection_item_add(
    *, actor: Any, collection: Collection, resource: Resource, note: str = ""
) -> CollectionItem:
    """Append a resource at the end of the collection."""
    _check_curator(actor)
    collection = _locked(collection)
    if len(note) > 500:
        raise ValidationFailed(
            "Keep the note under 500 characters.", field_errors={"note": ["At most 500."]}
        )
    items = CollectionItem.objects.filter(collection=collection)
    if items.filter(resource=resource).exists():
        raise Conflict(
            f"“{resource.title}” is already in this collection.",
            field_errors={"resource": ["Already in the collection."]},
        )
    count = items.count()
    if count >= MAX_ITEMS:
        raise ValidationFailed(
            f"A collection holds at most {MAX_ITEMS} resources.",
            field_errors={"resource": [f"At most {MAX_ITEMS} resources."]},
        )
    item = CollectionItem.objects.create(
        collection=collection, resource=resource, position=count, note=note.strip()
    )
    collection.save(update_fields=["updated_at"])
    audit_record(
        action="library.collection_item_add",
        actor=actor,
        target=collection,
        data={"resource": resource.pk},
    )
    return item


def _item_of(collection: Collection, item_id: int) -> CollectionItem:
    item = (
        CollectionItem.objects.filter(collection=collection, pk=item_id).first()
        if 0 < item_id <= MAX_OBJECT_ID
        else None
    )
    if item is None:
        raise NotFound("That resource is not in this collection.")
    return item


def _renumber(collection: Collection) -> None:
    items = list(CollectionItem.objects.filter(collection=collection).order_by("position", "id"))
    changed = []
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            changed.append(item)
    CollectionItem.objects.bulk_update(changed, ["position"])


@transaction.atomic
def collection_item_remove(*, actor: Any, collection: Collection, item_id: int) -> None:
    _check_curator(actor)
    collection = _locked(collection)
    item = _item_of(collection, item_id)
    resource_id = item.resource_id
    item.delete()
    _renumber(collection)
    collection.save(update_fields=["updated_at"])
    audit_record(
        action="library.collection_item_remove",
        actor=actor,
        target=collection,
        data={"resource": resource_id},
    )


@transaction.atomic
def collection_item_move(
    *, actor: Any, collection: Collection, item_id: int, direction: str
) -> CollectionItem:
    """Swap an item with its neighbour above (``up``) or below (``down``); at an end, no change."""
    _check_curator(actor)
    if direction not in {UP, DOWN}:
        raise ValidationFailed("Move up or down.", field_errors={"direction": ["Up or down."]})
    collection = _locked(collection)
    _renumber(collection)
    item = _item_of(collection, item_id)
    target = item.position - 1 if direction == UP else item.position + 1
    neighbour = CollectionItem.objects.filter(collection=collection, position=target).first()
    if neighbour is None:
        return item
    neighbour.position, item.position = item.position, target
    CollectionItem.objects.bulk_update([neighbour, item], ["position"])
    collection.save(update_fields=["updated_at"])
    audit_record(
        action="library.collection_item_move",
        actor=actor,
        target=collection,
        data={"resource": item.resource_id, "position": item.position},
    )
    return item


@transaction.atomic
def collection_item_note_set(
    *, actor: Any, collection: Collection, item_id: int, note: str
) -> CollectionItem:
    _check_curator(actor)
    if len(note) > 500:
        raise ValidationFailed(
            "Keep the note under 500 characters.", field_errors={"note": ["At most 500."]}
        )
    collection = _locked(collection)
    item = _item_of(collection, item_id)
    item.note = note.strip()
    item.save(update_fields=["note"])
    return item


# --- Topics ---------------------------------------------------------------------------------------


def _topic_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:80] or "topic"
    candidate, number = base, 2
    taken = Topic.objects.exclude(pk=exclude_pk) if exclude_pk else Topic.objects.all()
    while taken.filter(slug=candidate).exists():
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def _topic_name(name: str, *, exclude_pk: int | None = None) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationFailed("Give the topic a name.", field_errors={"name": ["Required."]})
    if len(cleaned) > 80:
        raise ValidationFailed(
            "A topic name has at most 80 characters.", field_errors={"name": ["At most 80."]}
        )
    others = Topic.objects.exclude(pk=exclude_pk) if exclude_pk else Topic.objects.all()
    if others.filter(name__iexact=cleaned).exists():
        raise ValidationFailed(
            f"There is already a topic “{cleaned}”.",
            field_errors={"name": ["That topic exists already."]},
        )
    return cleaned


@transaction.atomic
def topic_create(*, actor: Any, name: str) -> Topic:
    if not can_manage_library(actor):
        raise PermissionRefused("Only center staff manage topics.")
    cleaned = _topic_name(name)
    try:
        with transaction.atomic():
            topic = Topic.objects.create(name=cleaned, slug=_topic_slug(cleaned))
    except IntegrityError as error:
        raise Conflict("That topic was just created by someone else.") from error
    audit_record(action="library.topic_create", actor=actor, target=topic, data={})
    return topic


@transaction.atomic
def topic_rename(*, actor: Any, topic: Topic, name: str) -> Topic:
    """A new name (and address) for a topic; its resources keep it."""
    if not can_manage_library(actor):
        raise PermissionRefused("Only center staff manage topics.")
    cleaned = _topic_name(name, exclude_pk=topic.pk)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    topic.name = cleaned
    topic.slug = _topic_slug(cleaned, exclude_pk=topic.pk)
    topic.save()
    audit_record(action="library.topic_rename", actor=actor, target=topic, data={})
    _resync_topic_resources(topic.pk)
    return topic


@transaction.atomic
def topic_delete(*, actor: Any, topic: Topic) -> None:
    """Remove a topic from the list and from every resource filed under it."""
    if not can_manage_library(actor):
        raise PermissionRefused("Only center staff manage topics.")
    resource_ids = list(topic.resources.values_list("pk", flat=True))
    audit_record(
        action="library.topic_delete",
        actor=actor,
        target=topic,
        data={"name": topic.name, "resources": len(resource_ids)},
    )
    topic.delete()
    _resync(resource_ids)


def _resync_topic_resources(topic_id: int) -> None:
    _resync(list(Resource.objects.filter(topics=topic_id).values_list("pk", flat=True)))


def _resync(resource_ids: list[int]) -> None:
    from .resources import resource_search_sync_on_commit

    for resource_id in resource_ids:
        resource_search_sync_on_commit(resource_id)
