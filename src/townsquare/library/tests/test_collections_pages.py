"""Collection pages: the public list and page (each item as the person may see it, a fixed number
of queries) and the staff curation pages (create, edit, add, move, remove, publish)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from townsquare.accounts.tests.factories import make_matrix_people, make_staff, make_user

from ..models import Access, Collection, CollectionItem, ResourceStatus
from .factories import make_resource
from .support_manage import make_collection, make_resources

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = make_staff()
    client.force_login(staff)
    client.staff = staff
    return client


def test_the_list_shows_published_collections_to_everyone_and_drafts_to_staff(client):
    staff = make_staff()
    make_collection(actor=staff, title="Published list", resources=(make_resource(),))
    make_collection(actor=staff, title="Draft list", is_published=False)
    text = client.get("/library/collections/").content.decode()
    assert "Published list" in text
    assert "Draft list" not in text
    assert "1 resource" in text
    client.force_login(staff)
    text = client.get("/library/collections/").content.decode()
    assert "Draft list" in text
    assert "Not published" in text


def test_an_unpublished_collection_is_not_found_for_readers(client):
    staff = make_staff()
    draft = make_collection(actor=staff, title="Draft list", is_published=False)
    assert client.get(f"/library/collections/{draft.slug}/").status_code == 404
    client.force_login(make_user())
    assert client.get(f"/library/collections/{draft.slug}/").status_code == 404
    client.force_login(staff)
    assert client.get(f"/library/collections/{draft.slug}/").status_code == 200


def test_each_item_is_shown_as_the_person_may_see_it(client):
    matrix = make_matrix_people()
    staff = matrix.people["staff"]
    public = make_resource(title="Open paper")
    member_only = make_resource(title="Members paper", access=Access.MEMBER)
    private = make_resource(
        title="Secret org plan",
        access=Access.ORGANIZATION,
        organization=matrix.organization,
        is_listed=False,
    )
    draft = make_resource(title="Unfinished draft", status=ResourceStatus.DRAFT)
    collection = make_collection(actor=staff, resources=(public, member_only, private, draft))
    path = f"/library/collections/{collection.slug}/"

    response = client.get(path)
    text = response.content.decode()
    assert [shown.resource.title for shown in response.context["items"]] == [
        "Open paper",
        "Members paper",
    ]
    assert [shown.can_open for shown in response.context["items"]] == [True, False]
    assert "Restricted" in text
    assert "Secret org plan" not in text
    assert "Unfinished draft" not in text

    client.force_login(matrix.people["org_member"])
    response = client.get(path)
    assert [shown.resource.title for shown in response.context["items"]] == [
        "Open paper",
        "Members paper",
        "Secret org plan",
    ]
    assert all(shown.can_open for shown in response.context["items"])

    client.force_login(staff)
    assert len(client.get(path).context["items"]) == 4


def test_a_toolkit_is_numbered_and_its_summary_is_markdown(client):
    staff = make_staff()
    toolkit = make_collection(actor=staff, title="Starter kit", is_toolkit=True)
    toolkit.summary = "Use **in order**."
    toolkit.save()
    text = client.get(f"/library/collections/{toolkit.slug}/").content.decode()
    assert "collection-toolkit" in text
    assert "<strong>in order</strong>" in text
    assert "Use these in order" in text


@pytest.mark.parametrize("count", [5, 50])
def test_the_collection_page_query_count_is_fixed(client, django_assert_num_queries, count):
    matrix = make_matrix_people()
    member = matrix.people["org_member"]
    resources = make_resources(count // 2) + make_resources(
        count - count // 2, access=Access.PREMIUM
    )
    collection = make_collection(actor=matrix.people["staff"], resources=tuple(resources))
    client.force_login(member)
    client.get("/library/collections/")  # warm the session
    # session, user, roles, memberships, grants, collection, items, authors, openable ids
    with django_assert_num_queries(9):
        response = client.get(f"/library/collections/{collection.slug}/")
    assert len(response.context["items"]) == count


@pytest.mark.parametrize("count", [5, 50])
def test_the_collection_list_query_count_is_fixed(client, django_assert_num_queries, count):
    staff = make_staff()
    resource = make_resource()
    for index in range(count):
        make_collection(actor=staff, title=f"List {index}", resources=(resource,))
    # count, page (with the item counts)
    with django_assert_num_queries(2):
        response = client.get("/library/collections/")
    assert len(response.context["page"]) == count


# --- Staff pages ----------------------------------------------------------------------------------


def test_staff_create_a_collection_then_edit_it(staff_client):
    response = staff_client.post(
        "/library/collections/new/", {"title": "Crisis kit", "summary": "Hold on.", "slug": ""}
    )
    assert response.status_code == 302
    collection = Collection.objects.get()
    assert response["Location"] == f"/library/collections/{collection.slug}/edit/"
    response = staff_client.post(
        f"/library/collections/{collection.slug}/edit/",
        {"title": "Crisis toolkit", "slug": "crisis-toolkit", "is_toolkit": "on"},
    )
    assert response["Location"] == "/library/collections/crisis-toolkit/edit/"
    collection.refresh_from_db()
    assert (collection.title, collection.is_toolkit) == ("Crisis toolkit", True)


def test_a_collection_without_a_title_is_refused_and_nothing_is_saved(staff_client):
    response = staff_client.post("/library/collections/new/", {"title": ""})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Collection.objects.exists()


def test_staff_add_by_address_or_link_move_remove_and_publish(staff_client):
    collection = make_collection(actor=staff_client.staff, is_published=False)
    first, second = make_resource(title="First"), make_resource(title="Second")
    base = f"/library/collections/{collection.slug}"
    response = staff_client.post(f"{base}/items/add", {"resource": first.slug, "note": "Begin"})
    assert response.status_code == 302
    staff_client.post(
        f"{base}/items/add", {"resource": f"https://example.org/library/r/{second.slug}/"}
    )
    assert [item.resource_id for item in collection.items.order_by("position")] == [
        first.pk,
        second.pk,
    ]
    second_item = collection.items.get(resource=second)
    staff_client.post(f"{base}/items/{second_item.pk}/move", {"direction": "up"})
    assert [item.resource_id for item in collection.items.order_by("position")] == [
        second.pk,
        first.pk,
    ]
    staff_client.post(f"{base}/items/{second_item.pk}/remove")
    assert [item.resource_id for item in collection.items.all()] == [first.pk]
    staff_client.post(f"{base}/publish", {"publish": "yes"})
    collection.refresh_from_db()
    assert collection.is_published
    staff_client.post(f"{base}/publish", {"publish": "no"})
    collection.refresh_from_db()
    assert not collection.is_published


def test_adding_an_unknown_or_duplicate_resource_says_why(staff_client):
    resource = make_resource()
    collection = make_collection(actor=staff_client.staff, resources=(resource,))
    base = f"/library/collections/{collection.slug}"
    response = staff_client.post(f"{base}/items/add", {"resource": "no-such-thing"})
    assert response.status_code == 422
    assert "No resource has that address or number." in response.content.decode()
    response = staff_client.post(f"{base}/items/add", {"resource": str(resource.pk)})
    assert response.status_code == 302
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        f"“{resource.title}” is already in this collection."
    ]
    assert CollectionItem.objects.filter(collection=collection).count() == 1


def test_a_missing_collection_or_item_is_404_for_staff(staff_client):
    assert staff_client.get("/library/collections/nope/edit/").status_code == 404
    collection = make_collection(actor=staff_client.staff)
    response = staff_client.post(
        f"/library/collections/{collection.slug}/items/999999/move", {"direction": "up"}
    )
    assert response.status_code == 404


def test_the_edit_page_lists_items_with_move_buttons_for_keyboard_use(staff_client):
    resources = (make_resource(title="Alpha"), make_resource(title="Beta"))
    collection = make_collection(actor=staff_client.staff, resources=resources)
    text = staff_client.get(f"/library/collections/{collection.slug}/edit/").content.decode()
    assert 'aria-label="Move Alpha down"' in text
    assert 'aria-label="Move Beta up"' in text
    assert 'aria-label="Move Alpha up"' not in text
    assert 'aria-label="Remove Beta"' in text


def test_item_ids_beyond_the_database_range_are_not_found(staff_client):
    collection = make_collection(actor=staff_client.staff)
    base = f"/library/collections/{collection.slug}"
    response = staff_client.post(f"{base}/items/{'9' * 30}/move", {"direction": "up"})
    assert response.status_code == 404
    response = staff_client.post(f"{base}/items/add", {"resource": "9" * 30})
    assert response.status_code == 422
