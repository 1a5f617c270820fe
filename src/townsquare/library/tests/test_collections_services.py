"""Collections and topics: the curation services, their rules and their audit trail."""

from __future__ import annotations

import pytest

from townsquare.accounts.tests.factories import make_staff, make_user
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

from ..models import Access, CollectionItem, ResourceStatus, Topic
from ..services import collections as services
from ..services.collections import CollectionFields
from .factories import make_resource, make_topic
from .support_manage import make_collection

pytestmark = pytest.mark.django_db


def _order(collection) -> list[int]:
    return list(
        CollectionItem.objects.filter(collection=collection)
        .order_by("position")
        .values_list("resource_id", flat=True)
    )


def _positions(collection) -> list[int]:
    return list(
        CollectionItem.objects.filter(collection=collection)
        .order_by("position")
        .values_list("position", flat=True)
    )


def test_staff_create_a_collection_unpublished_with_a_slug_from_its_title():
    staff = make_staff()
    collection = services.collection_create(
        actor=staff, fields=CollectionFields(title="Crisis kit", is_toolkit=True)
    )
    assert (collection.slug, collection.is_published, collection.is_toolkit) == (
        "crisis-kit",
        False,
        True,
    )
    second = services.collection_create(actor=staff, fields=CollectionFields(title="Crisis kit"))
    assert second.slug == "crisis-kit-2"
    assert AuditRecord.objects.filter(action="library.collection_create").count() == 2


def test_the_reserved_slug_new_is_never_taken():
    staff = make_staff()
    collection = services.collection_create(actor=staff, fields=CollectionFields(title="New"))
    assert collection.slug == "new-collection"
    with pytest.raises(ValidationFailed) as error:
        services.collection_create(actor=staff, fields=CollectionFields(title="X", slug="new"))
    assert "slug" in error.value.field_errors


def test_a_taken_slug_is_a_clear_error_and_changes_nothing():
    staff = make_staff()
    first = make_collection(actor=staff, title="One")
    other = make_collection(actor=staff, title="Two")
    with pytest.raises(ValidationFailed) as error:
        services.collection_update(
            actor=staff, collection=other, fields=CollectionFields(title="Two", slug=first.slug)
        )
    assert error.value.field_errors == {"slug": ["Already taken: choose another address."]}
    other.refresh_from_db()
    assert other.slug == "two"


def test_members_may_not_curate():
    member = make_user()
    with pytest.raises(PermissionRefused):
        services.collection_create(actor=member, fields=CollectionFields(title="Mine"))
    collection = make_collection(actor=make_staff())
    with pytest.raises(PermissionRefused):
        services.collection_item_add(actor=member, collection=collection, resource=make_resource())
    with pytest.raises(PermissionRefused):
        services.collection_publish(actor=member, collection=collection, publish=False)
    collection.refresh_from_db()
    assert collection.is_published


def test_a_title_is_required():
    with pytest.raises(ValidationFailed) as error:
        services.collection_create(actor=make_staff(), fields=CollectionFields(title="  "))
    assert error.value.field_errors == {"title": ["Give the collection a title."]}


def test_items_append_in_order_and_a_resource_appears_once():
    staff = make_staff()
    first, second, third = make_resource(), make_resource(), make_resource()
    collection = make_collection(actor=staff, resources=(first, second, third))
    assert _order(collection) == [first.pk, second.pk, third.pk]
    assert _positions(collection) == [0, 1, 2]
    with pytest.raises(Conflict):
        services.collection_item_add(actor=staff, collection=collection, resource=second)
    assert _order(collection) == [first.pk, second.pk, third.pk]


def test_moving_swaps_with_the_neighbour_and_stops_at_the_ends():
    staff = make_staff()
    first, second, third = make_resource(), make_resource(), make_resource()
    collection = make_collection(actor=staff, resources=(first, second, third))
    item = CollectionItem.objects.get(collection=collection, resource=third)
    services.collection_item_move(
        actor=staff, collection=collection, item_id=item.pk, direction="up"
    )
    assert _order(collection) == [first.pk, third.pk, second.pk]
    services.collection_item_move(
        actor=staff, collection=collection, item_id=item.pk, direction="up"
    )
    assert _order(collection) == [third.pk, first.pk, second.pk]
    services.collection_item_move(
        actor=staff, collection=collection, item_id=item.pk, direction="up"
    )
    assert _order(collection) == [third.pk, first.pk, second.pk]
    services.collection_item_move(
        actor=staff, collection=collection, item_id=item.pk, direction="down"
    )
    assert _order(collection) == [first.pk, third.pk, second.pk]
    assert _positions(collection) == [0, 1, 2]
    with pytest.raises(ValidationFailed):
        services.collection_item_move(
            actor=staff, collection=collection, item_id=item.pk, direction="sideways"
        )


def test_removing_closes_the_gap():
    staff = make_staff()
    first, second, third = make_resource(), make_resource(), make_resource()
    collection = make_collection(actor=staff, resources=(first, second, third))
    item = CollectionItem.objects.get(collection=collection, resource=second)
    services.collection_item_remove(actor=staff, collection=collection, item_id=item.pk)
    assert _order(collection) == [first.pk, third.pk]
    assert _positions(collection) == [0, 1]
    with pytest.raises(NotFound):
        services.collection_item_remove(actor=staff, collection=collection, item_id=item.pk)


def test_an_item_of_another_collection_is_not_found():
    staff = make_staff()
    one = make_collection(actor=staff, title="One", resources=(make_resource(),))
    two = make_collection(actor=staff, title="Two", resources=(make_resource(),))
    foreign = CollectionItem.objects.get(collection=two)
    with pytest.raises(NotFound):
        services.collection_item_move(
            actor=staff, collection=one, item_id=foreign.pk, direction="up"
        )
    with pytest.raises(NotFound):
        services.collection_item_remove(actor=staff, collection=one, item_id=foreign.pk)
    assert CollectionItem.objects.filter(pk=foreign.pk).exists()


def test_a_long_note_is_refused():
    staff = make_staff()
    collection = make_collection(actor=staff)
    with pytest.raises(ValidationFailed):
        services.collection_item_add(
            actor=staff, collection=collection, resource=make_resource(), note="x" * 501
        )
    assert not collection.items.exists()


def test_publishing_and_unpublishing_are_audited_once():
    staff = make_staff()
    collection = make_collection(actor=staff, is_published=False)
    services.collection_publish(actor=staff, collection=collection)
    services.collection_publish(actor=staff, collection=collection)
    services.collection_publish(actor=staff, collection=collection, publish=False)
    collection.refresh_from_db()
    assert not collection.is_published
    assert AuditRecord.objects.filter(action="library.collection_publish").count() == 1
    assert AuditRecord.objects.filter(action="library.collection_unpublish").count() == 1


def test_a_note_can_be_changed():
    staff = make_staff()
    collection = make_collection(actor=staff, resources=(make_resource(),))
    item = collection.items.get()
    services.collection_item_note_set(
        actor=staff, collection=collection, item_id=item.pk, note=" Start here. "
    )
    item.refresh_from_db()
    assert item.note == "Start here."


# --- Topics ---------------------------------------------------------------------------------------


def test_topics_are_created_with_unique_names_and_slugs():
    staff = make_staff()
    topic = services.topic_create(actor=staff, name="  Patient   privacy ")
    assert (topic.name, topic.slug) == ("Patient privacy", "patient-privacy")
    with pytest.raises(ValidationFailed) as error:
        services.topic_create(actor=staff, name="patient privacy")
    assert error.value.field_errors == {"name": ["That topic exists already."]}
    with pytest.raises(ValidationFailed):
        services.topic_create(actor=staff, name=" ")
    with pytest.raises(ValidationFailed):
        services.topic_create(actor=staff, name="x" * 81)
    assert Topic.objects.count() == 1


def test_only_staff_manage_topics():
    with pytest.raises(PermissionRefused):
        services.topic_create(actor=make_user(), name="Video")
    topic = make_topic("Video")
    with pytest.raises(PermissionRefused):
        services.topic_delete(actor=make_user(), topic=topic)
    assert Topic.objects.filter(pk=topic.pk).exists()


def test_renaming_a_topic_keeps_its_resources_and_deleting_unfiles_them(
    django_capture_on_commit_callbacks,
):
    staff = make_staff()
    topic = services.topic_create(actor=staff, name="Video")
    resource = make_resource(topics=(topic,))
    with django_capture_on_commit_callbacks(execute=True):
        renamed = services.topic_rename(actor=staff, topic=topic, name="Short video")
    assert (renamed.name, renamed.slug) == ("Short video", "short-video")
    assert list(resource.topics.values_list("name", flat=True)) == ["Short video"]
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_delete(actor=staff, topic=renamed)
    assert not resource.topics.exists()
    assert AuditRecord.objects.filter(action="library.topic_delete").count() == 1


def test_withdrawn_resources_are_not_offered_for_adding():
    from ..selectors.manage import resources_addable_to

    staff = make_staff()
    kept = make_resource()
    withdrawn = make_resource(status=ResourceStatus.WITHDRAWN)
    draft = make_resource(status=ResourceStatus.DRAFT, access=Access.MEMBER)
    inside = make_resource()
    collection = make_collection(actor=staff, resources=(inside,))
    addable = set(resources_addable_to(collection).values_list("pk", flat=True))
    assert kept.pk in addable
    assert draft.pk in addable
    assert withdrawn.pk not in addable
    assert inside.pk not in addable
