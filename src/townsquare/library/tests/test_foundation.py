"""The lead's foundation: gates and their querysets agree, versions, files, extraction, search."""

from __future__ import annotations

import pytest

from townsquare.accounts.tests.factories import make_matrix_people
from townsquare.core.search import search_ids

from ..models import Access, Extraction, ResourceFile, ResourceStatus
from ..permissions import can_open_resource, can_see_resource
from ..search import LISTING_KIND, RESOURCE_KIND
from ..selectors.visibility import resources_openable_by, resources_seen_by
from .factories import add_file, docx_bytes, make_resource, pdf_bytes

pytestmark = pytest.mark.django_db


def _library(matrix):
    org = matrix.organization
    return [
        make_resource(access=Access.PUBLIC),
        make_resource(access=Access.MEMBER),
        make_resource(access=Access.PREMIUM),
        make_resource(access=Access.STAFF),
        make_resource(access=Access.ORGANIZATION, organization=org),
        make_resource(access=Access.ORGANIZATION, organization=org, is_listed=False),
        make_resource(access=Access.MEMBER, status=ResourceStatus.DRAFT),
        make_resource(access=Access.PUBLIC, status=ResourceStatus.WITHDRAWN),
    ]


def test_visibility_querysets_agree_with_the_gates_for_every_person():
    matrix = make_matrix_people()
    resources = _library(matrix)
    for role, person in matrix.people.items():
        from django.contrib.auth.models import AnonymousUser

        user = person or AnonymousUser()
        openable = set(resources_openable_by(user).values_list("pk", flat=True))
        seen = set(resources_seen_by(user).values_list("pk", flat=True))
        for resource in resources:
            assert (resource.pk in openable) == can_open_resource(user, resource), (role, resource)
            assert (resource.pk in seen) == can_see_resource(user, resource), (role, resource)


def test_who_opens_what():
    matrix = make_matrix_people()
    public, member, premium, staff, org, unlisted, draft, withdrawn = _library(matrix)
    people = matrix.people
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    assert can_open_resource(anonymous, public)
    assert not can_open_resource(anonymous, member)
    assert can_see_resource(anonymous, member)
    assert can_open_resource(people["member"], member)
    assert not can_open_resource(people["member"], premium)
    assert can_open_resource(people["org_member"], premium)
    assert can_open_resource(people["org_member"], org)
    assert not can_open_resource(people["outsider"], org)
    assert can_see_resource(people["outsider"], org)
    assert not can_see_resource(people["outsider"], unlisted)
    assert can_open_resource(people["leader"], unlisted)
    assert can_open_resource(people["staff"], draft)
    assert not can_see_resource(people["member"], draft)
    assert not can_see_resource(people["member"], withdrawn)
    assert not can_open_resource(people["patient"], staff)


def test_pdf_and_docx_text_is_extracted_and_searchable(django_capture_on_commit_callbacks):
    matrix = make_matrix_people()
    staff = matrix.people["staff"]
    resource = make_resource(title="Handbook")
    with django_capture_on_commit_callbacks(execute=True):
        add_file(resource, "guide.pdf", pdf_bytes("Quokka guidance for clinicians"), actor=staff)
    stored = ResourceFile.objects.get(version__resource=resource)
    assert stored.extraction == Extraction.DONE
    assert "Quokka guidance" in stored.extracted_text
    assert search_ids(RESOURCE_KIND, "quokka") == [resource.pk]
    assert search_ids(LISTING_KIND, "quokka") == []
    with django_capture_on_commit_callbacks(execute=True):
        add_file(resource, "reviews.docx", docx_bytes("Wombat replies"), actor=staff)
    assert search_ids(RESOURCE_KIND, "wombat") == [resource.pk]
    # The new version replaced the file: the old text is no longer the resource's.
    assert search_ids(RESOURCE_KIND, "quokka") == []


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (pdf_bytes("secret", password="pw"), Extraction.ENCRYPTED),
        (b"%PDF-1.4\n garbage that is not a PDF at all", Extraction.DAMAGED),
    ],
)
def test_unreadable_pdfs_are_kept_and_marked(content, status, django_capture_on_commit_callbacks):
    matrix = make_matrix_people()
    resource = make_resource()
    with django_capture_on_commit_callbacks(execute=True):
        add_file(resource, "bad.pdf", content, actor=matrix.people["staff"])
    stored = ResourceFile.objects.get(version__resource=resource)
    assert stored.extraction == status
    assert stored.extracted_text == ""
    assert stored.file.size == len(content)
