"""Directory search end to end: services write, search indexes after commit, pages and API find.

pytest-django's ``db`` tests never commit, so search updates (queued with ``on_commit``) run only
inside ``django_capture_on_commit_callbacks(execute=True)``; ``committed`` below is that block.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from townsquare.accounts import services
from townsquare.accounts.models import Role
from townsquare.accounts.search import (
    ORGANIZATION,
    PERSON,
    organization_search_ids,
    person_document_update,
    person_search_ids,
)
from townsquare.accounts.tests.factories import OrganizationFactory, make_organization, make_user
from townsquare.core.models import SearchDocument
from townsquare.core.search import search_hits, search_rebuild

pytestmark = pytest.mark.django_db

PEOPLE_URL = "/people/"
PEOPLE_API = "/api/v1/accounts/people"
ORGANIZATIONS_URL = "/organizations/"
ORGANIZATIONS_API = "/api/v1/accounts/organizations"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Use as ``with committed():`` around writes whose search updates should run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def amara(committed):
    with committed():
        return make_user(
            display_name="Amara Okafor",
            profession="nurse",
            title="Charge nurse",
            credentials="RN, BSN",
        )


@pytest.fixture
def bruno(committed):
    with committed():
        return make_user(
            display_name="Bruno Díaz", profession="pharmacist", title="Clinical pharmacist"
        )


def api_names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["display_name"] for item in response.json()["items"]]


def api_organization_names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


# --- People --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "okaf",
        "Amara",
        "amara okafor",
        "charge nurse",
        "RN",
        "bsn",
        "nurses",
        "OKAFOR, amara!",
    ],
)
def test_the_directory_page_finds_a_person_by_any_of_their_words(
    query, amara, bruno, member, client_for
):
    response = client_for(member).get(PEOPLE_URL, {"q": query})
    assert response.status_code == 200
    assert "Amara Okafor" in response.content.decode()
    assert "Bruno Díaz" not in response.content.decode()


def test_the_api_finds_people_best_match_first(amara, bruno, member, client_for, committed):
    with committed():
        make_user(display_name="Nurse Ratched", profession="other")
    client = client_for(member)
    # The name (the title of the document) weighs more than a job title or a profession.
    assert api_names(client.get(PEOPLE_API, {"q": "nurse"})) == ["Nurse Ratched", "Amara Okafor"]
    assert api_names(client.get(PEOPLE_API, {"q": "diaz"})) == ["Bruno Díaz"]
    assert api_names(client.get(PEOPLE_API, {"q": "pharmacist nurse"})) == []
    assert api_names(client.get(PEOPLE_API, {"q": '" OR 1=1 --'})) == []


def test_search_combines_with_the_profession_filter(amara, bruno, member, client_for):
    client = client_for(member)
    assert api_names(client.get(PEOPLE_API, {"q": "clinical", "profession": "pharmacist"})) == [
        "Bruno Díaz"
    ]
    assert api_names(client.get(PEOPLE_API, {"q": "clinical", "profession": "nurse"})) == []


def test_a_patient_never_appears_in_the_directory(member, client_for, committed):
    with committed():
        patient = make_user(
            roles=(Role.PATIENT,),
            display_name="Patricia Patient",
            profession="patient_or_caregiver",
            title="Charge nurse",
        )
    client = client_for(member)
    for query in ("", "patricia", "patient", "charge nurse"):
        page = client.get(PEOPLE_URL, {"q": query})
        assert "Patricia" not in page.content.decode()
        assert patient.pk not in {
            item["id"] for item in client.get(PEOPLE_API, {"q": query}).json()["items"]
        }
    assert not SearchDocument.objects.filter(kind=PERSON, object_id=patient.pk).exists()


def test_a_patient_who_becomes_a_professional_is_indexed(committed):
    with committed():
        patient = make_user(roles=(Role.PATIENT,), display_name="Patricia Patient")
    assert person_search_ids("patricia") == []
    services.role_grant(actor=make_user(roles=(Role.STAFF,)), person=patient, role=Role.MEMBER)
    with committed():
        person_document_update(patient.pk)
    assert person_search_ids("patricia") == [patient.pk]


def test_a_profile_change_is_searchable_after_commit(amara, client_for, committed):
    with committed():
        services.profile_update(
            actor=amara,
            person=amara,
            changes={
                "display_name": "Amara Eze",
                "bio": "I run **wound** care rounds at [Riverside](https://example.org).",
            },
        )
    assert person_search_ids("okafor") == []
    assert person_search_ids("eze") == [amara.pk]
    assert person_search_ids("wound rounds") == [amara.pk]
    assert person_search_ids("example") == []  # links are indexed by their text, not their URL


def test_a_change_that_rolls_back_changes_nothing(amara, committed):
    def update_then_fail() -> None:
        with transaction.atomic():
            services.profile_update(actor=amara, person=amara, changes={"display_name": "Gone"})
            raise RuntimeError("rolled back")

    with committed(), pytest.raises(RuntimeError):
        update_then_fail()
    assert person_search_ids("gone") == []
    assert person_search_ids("amara") == [amara.pk]


def test_a_deleted_account_leaves_the_index(amara, committed):
    with committed():
        services.account_delete(user=amara)
    assert person_search_ids("amara") == []
    assert person_search_ids("deleted account") == []
    assert not SearchDocument.objects.filter(kind=PERSON, object_id=amara.pk).exists()


def test_people_are_found_by_their_organizations(amara, committed):
    with committed():
        organization = make_organization(name="Riverside Health")
        services.membership_add(
            actor=make_user(roles=(Role.STAFF,)), organization=organization, email=amara.email
        )
    with committed():
        person_document_update(amara.pk)
    assert person_search_ids("riverside") == [amara.pk]


def test_renaming_an_organization_reindexes_its_members(committed, staff):
    with committed():
        leader = make_user(display_name="Lee Leader")
        organization = make_organization(name="Riverside Health", leader=leader)
    assert person_search_ids("riverside") == [leader.pk]
    with committed():
        services.organization_update(
            actor=staff, organization=organization, changes={"name": "Lakeside Care"}
        )
    assert person_search_ids("riverside") == []
    assert person_search_ids("lakeside") == [leader.pk]
    assert organization_search_ids("lakeside care") == [organization.pk]


def test_the_directory_page_refuses_a_patient(patient, client_for):
    assert client_for(patient).get(PEOPLE_URL, {"q": "nurse"}).status_code == 403
    assert client_for(patient).get(PEOPLE_API, {"q": "nurse"}).status_code == 403


def many_people(count: int, committed) -> None:
    with committed():
        for number in range(count):
            make_user(
                display_name=f"Nurse {number:02d}",
                profession="nurse",
                title="Ward nurse",
                credentials="RN",
            )


@pytest.mark.parametrize("size", [5, 50])
def test_directory_page_query_count_is_fixed(
    size, member, client_for, committed, django_assert_num_queries
):
    many_people(size, committed)
    client = client_for(member)
    client.get(PEOPLE_URL)  # the session and the person's roles, as on every page
    # session, user, roles, search, count, people of the page
    with django_assert_num_queries(6):
        response = client.get(PEOPLE_URL, {"q": "ward nur"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == size


@pytest.mark.parametrize("size", [5, 50])
def test_directory_api_query_count_is_fixed(
    size, member, client_for, committed, django_assert_num_queries
):
    many_people(size, committed)
    client = client_for(member)
    # session, user, roles, search, count, people of the page
    with django_assert_num_queries(6):
        response = client.get(PEOPLE_API, {"q": "ward nur", "limit": 100})
    assert response.json()["count"] == size
    assert len(response.json()["items"]) == size


# --- Organizations -------------------------------------------------------------------------------


@pytest.fixture
def organizations(committed):
    with committed():
        return {
            "riverside": make_organization(
                name="Riverside Health",
                kind="hospital",
                country="US",
                description="A *teaching* hospital on the river.",
            ),
            "north": make_organization(
                name="Northern Clinic",
                kind="clinic",
                country="CA",
                description="Primary care for the north shore.",
            ),
        }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("river", ["Riverside Health"]),
        ("riverside health", ["Riverside Health"]),
        ("teaching hospitals", ["Riverside Health"]),
        ("clinic", ["Northern Clinic"]),
        ("canada", ["Northern Clinic"]),
        ("united states", ["Riverside Health"]),
        ("primary care", ["Northern Clinic"]),
        ("health clinic", []),
    ],
)
def test_organizations_are_found_by_name_kind_country_and_description(
    query, expected, organizations, member, client_for
):
    client = client_for(member)
    assert api_organization_names(client.get(ORGANIZATIONS_API, {"q": query})) == expected
    page = client.get(ORGANIZATIONS_URL, {"q": query}).content.decode()
    for name in ("Riverside Health", "Northern Clinic"):
        assert (name in page) == (name in expected)


def test_organization_search_is_open_to_anyone(organizations, client):
    page = client.get(ORGANIZATIONS_URL, {"q": "northern"})
    assert page.status_code == 200
    assert "Northern Clinic" in page.content.decode()


def test_organization_hits_highlight_the_description(organizations):
    [hit] = search_hits(ORGANIZATION, "teaching")
    assert hit.title == "Riverside Health"
    assert "<mark>teaching</mark> hospital" in hit.snippet_html


@pytest.mark.parametrize("size", [5, 50])
def test_organization_search_query_count_is_fixed(
    size, member, client_for, django_assert_num_queries
):
    OrganizationFactory.create_batch(size, description="Rural outreach")
    search_rebuild(ORGANIZATION)
    client = client_for(member)
    with django_assert_num_queries(5):  # session, user, search, count, organizations
        response = client.get(ORGANIZATIONS_API, {"q": "rural outreach", "limit": 100})
    assert response.json()["count"] == size


# --- Rebuild -------------------------------------------------------------------------------------


def test_rebuild_indexes_people_and_organizations_from_the_tables(capsys):
    professional = make_user(display_name="Ngozi Adeyemi", credentials="PharmD")
    patient = make_user(roles=(Role.PATIENT,), display_name="Ngozi Patient")
    clinic = OrganizationFactory.create(name="Harbor Clinic")
    assert person_search_ids("ngozi") == []  # the on_commit updates never ran

    call_command("search_rebuild")

    output = capsys.readouterr().out
    assert "person: " in output
    assert "organization: " in output
    assert person_search_ids("ngozi") == [professional.pk]
    assert person_search_ids("pharmd") == [professional.pk]
    assert patient.pk not in person_search_ids("patient")
    assert organization_search_ids("harbor") == [clinic.pk]


def test_rebuild_removes_people_the_directory_no_longer_lists(amara, bruno, staff, capsys):
    services.role_revoke(actor=staff, person=bruno, role=Role.MEMBER)
    call_command("search_rebuild", "--kind", "person")
    assert "person: 2 indexed, 1 removed" in capsys.readouterr().out  # Amara and the staff
    assert person_search_ids("bruno") == []
    assert person_search_ids("amara") == [amara.pk]


def test_rebuild_does_the_same_number_of_queries_for_10_and_40_people():
    def rebuild_queries(more_people: int) -> int:
        for number in range(more_people):
            make_user(display_name=f"Person {number}")
        SearchDocument.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            search_rebuild(PERSON)
        return len(queries)

    with_10 = rebuild_queries(10)
    with_40 = rebuild_queries(30)
    assert len(person_search_ids("person")) == 40
    assert with_40 == with_10
