"""Policy builder pages: starting, the guided form and its preview, building, downloads, deleting,
clause management; bad input re-shows the form with nothing changed; fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from townsquare.accounts.tests.factories import make_matrix_people

from ..models import (
    PolicyClause,
    PolicyDraft,
    PolicyOption,
    Resource,
    ResourceFile,
    ResourceUsage,
)
from ..services import policies as services
from .support_policies import docx_text, load_clauses, make_draft, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    load_clauses()
    return make_matrix_people()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def form_data(draft: PolicyDraft, **overrides: str) -> dict[str, str]:
    data = {
        "title": draft.title,
        "contact_name": draft.contact_name,
        "contact_email": draft.contact_email,
        "contact_phone": draft.contact_phone,
        "effective_on": "2027-01-15",
    }
    data.update({f"clause_{key}": value for key, value in draft.choices.items()})
    data.update(overrides)
    return data


def test_the_start_page_offers_the_organizations_a_leader_leads(cast):
    response = client_for(cast.people["leader"]).get("/library/policies/")
    assert response.status_code == 200
    content = response.content.decode()
    assert f'<option value="{cast.organization.pk}">Matrix Hospital</option>' in content
    assert "Other Clinic" not in content
    assert "Manage the clauses" not in content


def test_a_member_who_leads_nothing_is_told_who_builds_policies(cast):
    response = client_for(cast.people["org_member"]).get("/library/policies/")
    assert response.status_code == 200
    assert "The policy builder is for an organization's leaders." in response.content.decode()
    response = client_for(cast.people["org_member"]).post(
        "/library/policies/new", {"organization": cast.organization.pk}
    )
    assert response.status_code == 403
    assert PolicyDraft.objects.count() == 0


def test_starting_a_policy_opens_the_guided_form(cast):
    leader = cast.people["leader"]
    client = client_for(leader)
    response = client.post("/library/policies/new", {"organization": cast.organization.pk})
    draft = PolicyDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/library/policies/{draft.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "The social-media policy of <strong>Matrix Hospital</strong>." in page
    assert "HIPAA protects any information that could identify a patient" in page
    assert (
        page.count('type="radio"')
        == sum(PolicyClause.objects.get(key=key).options.count() for key in draft.choices) + 1
    )  # the optional clause's "leave this clause out"
    assert (
        'name="clause_reviews" value="standard-reply" id="id_clause_reviews_0" required checked'
        in page
    )
    assert "Only people authorized by Lena Leader reply to reviews of Matrix Hospital." in page
    assert "Leave this clause out" in page
    assert "Not built yet." in page


def test_a_leader_starting_for_another_organization_is_refused(cast):
    other = cast.people["outsider"].memberships.get().organization
    response = client_for(cast.people["leader"]).post(
        "/library/policies/new", {"organization": other.pk}
    )
    assert response.status_code == 422
    assert "Select a valid choice." in response.content.decode()
    assert PolicyDraft.objects.count() == 0


def test_saving_the_guided_form(cast):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    data = form_data(draft, **{"clause_reviews": "no-public-reply", "clause_branded-accounts": ""})
    response = client_for(leader).post(f"/library/policies/{draft.pk}/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/library/policies/{draft.pk}/#preview"
    draft.refresh_from_db()
    assert draft.choices["reviews"] == "no-public-reply"
    assert "branded-accounts" not in draft.choices
    assert str(draft.effective_on) == "2027-01-15"
    page = client_for(leader).get(f"/library/policies/{draft.pk}/").content.decode()
    assert "does not reply publicly to online reviews" in page
    assert "Effective January 15, 2027" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"clause_patient-privacy": ""},
            "Choose an option for “Protecting patient privacy and PHI”.",
        ),
        ({"clause_reviews": "invented"}, "Select a valid choice. invented is not one of"),
        ({"contact_email": "nobody"}, "Enter a valid email address."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_bad_answers_are_shown_beside_the_form_and_nothing_changes(cast, overrides, message):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    before = (dict(draft.choices), draft.title, draft.contact_email)
    response = client_for(leader).post(
        f"/library/policies/{draft.pk}/", form_data(draft, **overrides)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert (draft.choices, draft.title, draft.contact_email) == before


def test_the_preview_follows_unsaved_answers_without_saving(cast):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    client = client_for(leader)
    page = client.get(f"/library/policies/{draft.pk}/preview/").content.decode()
    assert "<h1>Preview of “Social media policy”</h1>" in page
    assert "Thank you for your feedback" in page
    response = client.post(
        f"/library/policies/{draft.pk}/preview/",
        form_data(draft, clause_reviews="no-public-reply", contact_name="Dana Doe"),
        HTTP_HX_REQUEST="true",
    )
    partial = response.content.decode()
    assert response.status_code == 200
    assert partial.startswith('<div id="policy-preview"')
    assert "does not reply publicly" in partial
    assert "Questions about this policy: Dana Doe" in partial
    draft.refresh_from_db()
    assert draft.choices["reviews"] == "standard-reply"
    assert draft.contact_name == "Priya Privacy"


def test_building_saves_a_version_and_the_downloads_are_attachments(cast):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    client = client_for(leader)
    assert client.get(f"/library/policies/{draft.pk}/download.pdf").status_code == 404
    response = client.post(f"/library/policies/{draft.pk}/build", {"change_note": ""})
    assert response.status_code == 302
    resource = Resource.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert (
        "Version 1 of “Social media policy” is saved in the library, private to Matrix Hospital."
        in page
    )
    assert f'<a href="/library/r/{resource.slug}/">Social media policy</a>' in page
    word = client.get(f"/library/policies/{draft.pk}/download.docx")
    assert word.status_code == 200
    assert word["X-Content-Type-Options"] == "nosniff"
    assert word["Content-Disposition"] == (
        'attachment; filename="matrix-hospital-social-media-policy.docx"'
    )
    assert "Matrix Hospital" in docx_text(streamed(word))
    pdf = client.get(f"/library/policies/{draft.pk}/download.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "1. Protecting patient privacy and PHI" in pdf_text(streamed(pdf))
    assert client.get(f"/library/policies/{draft.pk}/download.txt").status_code == 404
    assert ResourceUsage.objects.get(resource=resource).downloads == 2
    client.post(f"/library/policies/{draft.pk}/build", {"change_note": "Second look."})
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]


def test_the_saved_policy_opens_for_the_organization_and_stays_hidden_from_others(cast):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    services.policy_build(actor=leader, draft=draft)
    resource = Resource.objects.get()
    assert (
        client_for(cast.people["org_member"]).get(f"/library/r/{resource.slug}/").status_code == 200
    )
    assert (
        client_for(cast.people["outsider"]).get(f"/library/r/{resource.slug}/").status_code == 404
    )
    stored = ResourceFile.objects.filter(version=resource.current_version).order_by("pk")[0]
    assert client_for(cast.people["outsider"]).get(
        f"/library/r/{resource.slug}/files/{stored.pk}/download"
    ).status_code in {403, 404}


def test_deleting_a_draft(cast):
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    response = client_for(leader).post(f"/library/policies/{draft.pk}/delete")
    assert response.status_code == 302
    assert response["Location"] == "/library/policies/"
    assert PolicyDraft.objects.count() == 0


def test_another_organizations_leader_cannot_open_a_draft(cast):
    draft = make_draft(actor=cast.people["leader"], organization=cast.organization)
    for role in ["outsider", "org_member", "member"]:
        assert (
            client_for(cast.people[role]).get(f"/library/policies/{draft.pk}/").status_code == 403
        )
    assert client_for(cast.people["staff"]).get(f"/library/policies/{draft.pk}/").status_code == 200
    assert client_for(cast.people["staff"]).get("/library/policies/999999/").status_code == 404


# --- Clause management ---------------------------------------------------------------------------


def test_staff_manage_clauses_and_options_through_the_pages(cast):
    client = client_for(cast.people["staff"])
    page = client.get("/library/policies/clauses/").content.decode()
    assert "Protecting patient privacy and PHI" in page
    response = client.post(
        "/library/policies/clauses/",
        {
            "new-title": "Live streaming",
            "new-key": "live-streaming",
            "new-explanation": "Cameras see more than you think.",
            "new-is_required": "on",
            "new-is_active": "on",
        },
    )
    clause = PolicyClause.objects.get(key="live-streaming")
    assert response["Location"] == f"/library/policies/clauses/{clause.pk}/"
    response = client.post(
        f"/library/policies/clauses/{clause.pk}/options/new",
        {
            "option-label": "No streams",
            "option-key": "none",
            "option-text": "{organization} never streams.",
        },
    )
    assert response.status_code == 302
    option = PolicyOption.objects.get(clause=clause)
    response = client.post(
        f"/library/policies/clauses/{clause.pk}/options/{option.pk}/",
        {"label": "No live streams", "key": "none", "text": "Ask {boss}."},
    )
    assert response.status_code == 422
    assert "Unknown placeholder {boss}" in response.content.decode()
    client.post(
        f"/library/policies/clauses/{clause.pk}/options/{option.pk}/",
        {"label": "No live streams", "key": "none", "text": "{organization} does not stream."},
    )
    option.refresh_from_db()
    assert option.label == "No live streams"
    response = client.post(f"/library/policies/clauses/{clause.pk}/options/{option.pk}/delete")
    assert response.status_code == 422
    assert "A clause needs at least one option" in response.content.decode()
    client.post(f"/library/policies/clauses/{clause.pk}/move", {"direction": "up"})
    assert list(PolicyClause.objects.values_list("key", flat=True))[-2] == "live-streaming"
    client.post(
        f"/library/policies/clauses/{clause.pk}/",
        {
            "title": "Live streaming",
            "key": "live-streaming",
            "explanation": "E.",
            "is_required": "",
        },
    )
    clause.refresh_from_db()
    assert (clause.is_active, clause.is_required) == (False, False)


def test_leaders_may_not_manage_clauses(cast):
    client = client_for(cast.people["leader"])
    assert client.get("/library/policies/clauses/").status_code == 403
    clause = PolicyClause.objects.get(key="patient-privacy")
    assert (
        client.post(
            f"/library/policies/clauses/{clause.pk}/move", {"direction": "down"}
        ).status_code
        == 403
    )
    assert PolicyClause.objects.first() == clause


# --- Query counts ---------------------------------------------------------------------------------
# The session, the person, their organizations, the notification bell, then the page's own reads:
# the same number at 5 rows as at 50.
START_QUERIES = 9
BUILD_QUERIES = 7
CLAUSE_LIST_QUERIES = 6


def _drafts(organization, count: int) -> None:
    PolicyDraft.objects.bulk_create(
        PolicyDraft(
            organization=organization,
            title=f"Policy {number}",
            contact_name="C",
            contact_email="c@example.org",
            choices={},
        )
        for number in range(count)
    )


def _clauses(count: int) -> None:
    PolicyClause.objects.all().delete()
    for number in range(count):
        clause = PolicyClause.objects.create(
            key=f"clause-{number}", title=f"Clause {number}", explanation="Why.", position=number
        )
        PolicyOption.objects.bulk_create(
            PolicyOption(
                clause=clause, key=f"o{n}", label=f"O{n}", text="{organization}", position=n
            )
            for n in range(3)
        )


@pytest.mark.parametrize("rows", [5, 50])
def test_the_start_page_has_a_fixed_query_count(cast, rows, django_assert_num_queries):
    _drafts(cast.organization, rows)
    client = client_for(cast.people["leader"])
    client.get("/library/policies/")
    with django_assert_num_queries(START_QUERIES):
        client.get("/library/policies/")


@pytest.mark.parametrize("rows", [5, 50])
def test_the_guided_form_has_a_fixed_query_count(cast, rows, django_assert_num_queries):
    _clauses(rows)
    leader = cast.people["leader"]
    draft = make_draft(actor=leader, organization=cast.organization)
    client = client_for(leader)
    client.get(f"/library/policies/{draft.pk}/")
    with django_assert_num_queries(BUILD_QUERIES):
        client.get(f"/library/policies/{draft.pk}/")


@pytest.mark.parametrize("rows", [5, 50])
def test_the_clause_list_has_a_fixed_query_count(cast, rows, django_assert_num_queries):
    _clauses(rows)
    client = client_for(cast.people["staff"])
    client.get("/library/policies/clauses/")
    with django_assert_num_queries(CLAUSE_LIST_QUERIES):
        client.get("/library/policies/clauses/")
