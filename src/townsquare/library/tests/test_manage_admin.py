"""The library back office: every model is there, what services write stays read-only, plain
data (topics, collections, policy clauses) is editable, and extracted text never shows."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from townsquare.accounts.tests.factories import make_staff, make_user

from ..models import (
    AccessGrant,
    AccessRequest,
    Chapter,
    PolicyDraft,
    Resource,
    ResourceAuthor,
    ResourceFile,
    ResourceUsage,
    ResourceVersion,
    ReviewEvent,
    Topic,
)
from ..services.resources import usage_record
from .factories import add_file, make_resource, pdf_bytes
from .support_manage import make_collection

pytestmark = pytest.mark.django_db

READ_ONLY = (
    Resource,
    ResourceVersion,
    ResourceFile,
    Chapter,
    ResourceAuthor,
    AccessRequest,
    AccessGrant,
    ResourceUsage,
    ReviewEvent,
    PolicyDraft,
)


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:library_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def superuser_client(client):
    staff = make_staff(email="backoffice@example.org")
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.fixture
def world(superuser_client, django_capture_on_commit_callbacks):
    resource = make_resource(title="Quokka policy", chapters=(("One", "Text"),))
    with django_capture_on_commit_callbacks(execute=True):
        add_file(
            resource, "secret.pdf", pdf_bytes("Zebra secret words"), actor=superuser_client.staff
        )
    make_collection(actor=superuser_client.staff, resources=(resource,))
    usage_record(resource_id=resource.pk)
    return resource


def test_every_library_model_is_in_the_back_office():
    registered = {model for model in admin.site._registry if model._meta.app_label == "library"}
    assert registered == set(apps.get_app_config("library").get_models())


@pytest.mark.parametrize("model", sorted(apps.get_app_config("library").get_models(), key=str))
def test_every_list_opens_and_searches(superuser_client, world, model):
    response = superuser_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    if admin.site._registry[model].search_fields:
        assert (
            superuser_client.get(_url(model, "changelist"), {"q": "x' OR 1=1"}).status_code == 200
        )


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model.__name__)
def test_rows_written_by_services_cannot_be_added_changed_or_deleted(model, superuser_client):
    model_admin = admin.site._registry[model]
    request = superuser_client.get("/").wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert superuser_client.get(_url(model, "add")).status_code == 403


def test_a_resource_links_to_its_staff_page_and_cannot_be_changed_here(superuser_client, world):
    response = superuser_client.get(_url(Resource, "changelist"))
    assert f'href="/library/manage/{world.pk}/edit/"' in response.content.decode()
    posted = superuser_client.post(_url(Resource, "change", world.pk), {"title": "Hacked"})
    assert posted.status_code == 403
    world.refresh_from_db()
    assert world.title == "Quokka policy"


def test_extracted_text_never_appears(superuser_client, world):
    stored = ResourceFile.objects.get(version__resource=world)
    assert "Zebra" in stored.extracted_text
    response = superuser_client.get(_url(ResourceFile, "change", stored.pk))
    assert response.status_code == 200
    assert "Zebra" not in response.content.decode()


def test_staff_edit_topics_and_collections(superuser_client, world):
    response = superuser_client.post(_url(Topic, "add"), {"name": "Video", "slug": "video"})
    assert response.status_code == 302
    assert Topic.objects.filter(slug="video").exists()


def test_people_without_staff_access_are_sent_to_sign_in(client, world):
    client.force_login(make_user())
    response = client.get(_url(Resource, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
