"""The catalog API: list with filters, detail, versions, downloads and citations."""

from __future__ import annotations

import pytest
from django.test import Client

from townsquare.core.models import AuditRecord

from ..models import Access, ResourceUsage
from .factories import make_resource, make_topic
from .support_catalog import make_catalog_world

pytestmark = pytest.mark.django_db

BASE = "/api/v1/library"


def client_for(person) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def usage_of(resource) -> tuple[int, int]:
    row = ResourceUsage.objects.filter(resource=resource).first()
    return (row.views, row.downloads) if row else (0, 0)


def test_list_gives_what_the_caller_may_see_with_can_open():
    world = make_catalog_world()
    body = client_for(None).get(f"{BASE}/resources").json()
    assert body["count"] == 3
    assert [(item["title"], item["can_open"]) for item in body["items"]] == [
        ("Matrix Hospital policy", False),
        ("Members' guideline", False),
        ("Social media for clinicians", True),
    ]
    book = body["items"][2]
    assert book["authors"] == [
        {"name": "Ada Lovelace", "is_organization": False, "organization_id": None},
        {"name": "Grace Hopper", "is_organization": False, "organization_id": None},
    ]
    assert book["topics"] == [
        {"id": world.topic.pk, "slug": world.topic.slug, "name": "Patient privacy"}
    ]
    assert book["year"] == 2024
    assert book["url"] == f"http://testserver/library/r/{world.public.slug}/"
    leader = client_for(world.people["leader"]).get(f"{BASE}/resources").json()
    assert leader["count"] == 4


def test_list_filters_and_pagination():
    world = make_catalog_world()
    topic = make_topic("Crisis")
    make_resource(title="Spanish", language="es", topics=(topic,), access=Access.PREMIUM)
    client = client_for(world.people["staff"])

    def titles(query: str) -> list[str]:
        return [item["title"] for item in client.get(f"{BASE}/resources{query}").json()["items"]]

    assert titles("?type=book") == ["Social media for clinicians"]
    assert titles(f"?topic={topic.slug}") == ["Spanish"]
    assert titles("?language=es") == ["Spanish"]
    assert titles("?year=2024") == ["Social media for clinicians"]
    assert titles("?access=premium") == ["Spanish"]
    assert titles("?audience=patients") == []
    page = client.get(f"{BASE}/resources?limit=2&offset=1").json()
    assert page["count"] == 5
    assert len(page["items"]) == 2
    for bad in ("?type=nope", "?year=10", "?limit=0", "?topic=" + "x" * 91, "?language=%3Cb%3E"):
        response = client.get(f"{BASE}/resources{bad}")
        assert response.status_code == 422, bad


def test_detail_for_an_opener_has_the_current_version_and_counts_a_view():
    world = make_catalog_world()
    body = client_for(None).get(f"{BASE}/resources/{world.public.pk}").json()
    assert body["can_open"] is True
    assert body["status"] == "published"
    assert body["doi"] == "10.1000/xyz123"
    assert body["isbn"] == "9780306406157"
    assert body["version_count"] == 2
    current = body["current_version"]
    assert current["number"] == 2
    assert current["is_current"] is True
    assert current["body"] == "The **body** of the resource."
    assert [chapter["title"] for chapter in current["chapters"]] == [
        "Getting started",
        "Privacy",
        "End",
    ]
    [stored] = current["files"]
    assert stored["name"] == "guide.pdf"
    assert stored["kind"] == "pdf"
    assert stored["is_searchable"] is False
    assert stored["download_url"] == (
        f"http://testserver{BASE}/resources/{world.public.pk}/files/{world.file.pk}/download"
    )
    assert usage_of(world.public) == (1, 0)


def test_detail_for_someone_who_may_only_see_it_has_no_contents():
    world = make_catalog_world()
    body = client_for(world.people["patient"]).get(f"{BASE}/resources/{world.member.pk}").json()
    assert body["can_open"] is False
    assert body["title"] == "Members' guideline"
    assert body["current_version"] is None
    assert body["version_count"] is None
    assert body["license"] is None
    assert "members.pdf" not in str(body)


def test_unlisted_and_unknown_resources_are_404_problems():
    world = make_catalog_world()
    client = client_for(world.people["outsider"])
    for path in (
        f"{BASE}/resources/{world.unlisted.pk}",
        f"{BASE}/resources/{world.draft.pk}",
        f"{BASE}/resources/999999",
        f"{BASE}/resources/99999999999999999999",
        f"{BASE}/resources/{world.public.pk}/versions/99",
        f"{BASE}/resources/{world.public.pk}/files/999999/download",
        f"{BASE}/resources/{world.public.pk}/files/{world.old_file.pk}/download",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "not-found"


def test_versions_list_and_one_version():
    world = make_catalog_world()
    client = client_for(None)
    versions = client.get(f"{BASE}/resources/{world.public.pk}/versions").json()
    assert [(v["number"], v["is_current"]) for v in versions] == [(2, True), (1, False)]
    first = client.get(f"{BASE}/resources/{world.public.pk}/versions/1").json()
    assert first["files"] == []
    assert first["url"] == f"http://testserver/library/r/{world.public.slug}/v/1/"


def test_restricted_contents_are_403_audited_and_not_counted():
    world = make_catalog_world()
    client = client_for(world.people["patient"])
    for path in (
        f"{BASE}/resources/{world.member.pk}/versions",
        f"{BASE}/resources/{world.member.pk}/versions/1",
        f"{BASE}/resources/{world.member.pk}/files/{world.old_file.pk}/download",
        f"{BASE}/resources/{world.member.pk}/citation?version=1",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "permission-denied"
    assert AuditRecord.objects.filter(action="access.refused").count() == 4
    assert usage_of(world.member) == (0, 0)


def test_download_is_counted_attachment():
    world = make_catalog_world()
    response = client_for(world.people["member"]).get(
        f"{BASE}/resources/{world.member.pk}/files/{world.old_file.pk}/download"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="members.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert usage_of(world.member) == (0, 1)


def test_citation_formats():
    world = make_catalog_world()
    client = client_for(None)
    bib = client.get(f"{BASE}/resources/{world.public.pk}/citation")
    assert bib.status_code == 200
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bib.content.decode().startswith("@book{")
    ris = client.get(f"{BASE}/resources/{world.public.pk}/citation?format=ris&version=2")
    assert ris["Content-Disposition"] == f'attachment; filename="{world.public.slug}-v2.ris"'
    assert "ET  - Version 2\r\n" in ris.content.decode()
    assert client.get(f"{BASE}/resources/{world.public.pk}/citation?format=txt").status_code == 422
    missing = client.get(f"{BASE}/resources/{world.public.pk}/citation?version=7")
    assert missing.status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_list_makes_a_fixed_number_of_queries(rows, django_assert_num_queries):
    topic = make_topic("Social media")
    for number in range(rows):
        make_resource(
            title=f"R{number}",
            topics=(topic,),
            authors=("A One", "B Two"),
            access=Access.MEMBER if number % 2 else Access.PUBLIC,
            indexed=False,
        )
    world = make_catalog_world()
    client = client_for(world.people["org_member"])
    client.get(f"{BASE}/resources?limit=100")
    with django_assert_num_queries(LIST_QUERIES):
        body = client.get(f"{BASE}/resources?limit=100").json()
    assert body["count"] == rows + 4


@pytest.mark.parametrize("rows", [5, 50])
def test_detail_makes_a_fixed_number_of_queries(rows, django_assert_num_queries):
    world = make_catalog_world()
    resource = make_resource(
        title="Many parts",
        authors=tuple(f"Author {n}" for n in range(rows)),
        chapters=tuple((f"Chapter {n}", "Text") for n in range(rows)),
        topics=(world.topic,),
    )
    client = client_for(world.people["member"])
    client.get(f"{BASE}/resources/{resource.pk}")
    with django_assert_num_queries(DETAIL_QUERIES):
        body = client.get(f"{BASE}/resources/{resource.pk}").json()
    assert len(body["current_version"]["chapters"]) == rows
    assert len(body["authors"]) == rows


# Session, user, roles, memberships (read once for the tier and the gates), grants; then the
# operation's own: list = count, page, authors, topics; detail = resource (with authors and
# topics), history, version (with files and chapters), the usage upsert.
LIST_QUERIES = 9
DETAIL_QUERIES = 12
