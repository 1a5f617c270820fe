"""The access pages: asking, my requests, the deciders' page, deciding, withdrawing, revoking."""

from __future__ import annotations

import pytest
from django.test import Client

from townsquare.accounts.tests.factories import make_user
from townsquare.core.models import AuditRecord

from ..models import Access, AccessGrant, AccessRequest, AccessRequestStatus
from ..services import access as services
from .factories import make_resource
from .support_access import access_scene

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_request_page_shows_title_and_summary_and_a_form():
    scene = access_scene()
    response = _client(scene.person("outsider")).get(
        f"/library/r/{scene.org_private.slug}/request-access/"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert scene.org_private.title in html
    assert "Private to Matrix Hospital" in html
    assert 'name="reason"' in html
    assert "The leaders of Matrix Hospital and center staff" in html


def test_asking_from_the_page_creates_the_request_and_goes_to_my_requests():
    scene = access_scene()
    outsider = scene.person("outsider")
    client = _client(outsider)
    response = client.post(
        f"/library/r/{scene.org_private.slug}/request-access/", {"reason": "Ward training."}
    )
    assert response.status_code == 302
    assert response["Location"] == "/library/requests/mine/"
    made = AccessRequest.objects.get(requester=outsider)
    assert (made.resource, made.reason, made.status) == (
        scene.org_private,
        "Ward training.",
        AccessRequestStatus.PENDING,
    )
    page = client.get("/library/requests/mine/")
    assert "is sent" in page.content.decode()
    assert scene.org_private.title in page.content.decode()


def test_an_already_pending_request_is_shown_not_repeated():
    scene = access_scene()
    client = _client(scene.person("member"))
    page = client.get(f"/library/r/{scene.org_private.slug}/request-access/")
    assert "waiting for a decision" in page.content.decode()
    assert 'name="reason"' not in page.content.decode()
    again = client.post(f"/library/r/{scene.org_private.slug}/request-access/", {"reason": "x"})
    assert again.status_code == 409
    assert AccessRequest.objects.filter(requester=scene.person("member")).count() == 1


def test_a_reason_too_long_is_a_clear_error_and_nothing_is_saved():
    scene = access_scene()
    response = _client(scene.person("outsider")).post(
        f"/library/r/{scene.org_private.slug}/request-access/", {"reason": "x" * 1001}
    )
    assert response.status_code == 422
    assert "at most 1000 characters" in response.content.decode()
    assert not AccessRequest.objects.filter(requester=scene.person("outsider")).exists()


def test_who_may_open_it_is_sent_to_the_resource():
    scene = access_scene()
    response = _client(scene.person("org_member")).get(
        f"/library/r/{scene.org_private.slug}/request-access/"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/library/r/{scene.org_private.slug}/"


def test_anonymous_visitors_sign_in_first_and_unlisted_is_not_found():
    scene = access_scene()
    response = Client().get(f"/library/r/{scene.org_private.slug}/request-access/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    hidden = _client(scene.person("outsider")).get(
        f"/library/r/{scene.unlisted.slug}/request-access/"
    )
    assert hidden.status_code == 404
    assert scene.unlisted.title not in hidden.content.decode()
    missing = _client(scene.person("outsider")).get("/library/r/no-such-thing/request-access/")
    assert missing.status_code == 404


def test_the_deciders_page_lists_pending_requests_with_reasons():
    scene = access_scene()
    page = _client(scene.person("leader")).get("/library/requests/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Waiting for a decision (1)" in html
    assert "I train our nurses." in html
    assert f"/library/requests/{scene.pending.pk}/decide" in html
    # The leader decides for the organization only: the staff resource's grant is not here.
    assert scene.staff_only.title not in html
    staff_page = _client(scene.person("staff")).get("/library/requests/").content.decode()
    assert scene.staff_only.title in staff_page
    assert f"/library/requests/grants/{scene.grant.pk}/revoke" in staff_page


def test_deciding_on_the_page_grants_and_redirects():
    scene = access_scene()
    response = _client(scene.person("leader")).post(
        f"/library/requests/{scene.pending.pk}/decide", {"decision": "grant", "note": "Yes."}
    )
    assert response.status_code == 302
    assert response["Location"] == "/library/requests/"
    assert AccessGrant.objects.filter(
        resource=scene.org_private, person=scene.person("member")
    ).exists()


def test_deciding_twice_says_it_was_already_decided():
    scene = access_scene()
    client = _client(scene.person("staff"))
    client.post(f"/library/requests/{scene.pending.pk}/decide", {"decision": "refuse"})
    again = client.post(f"/library/requests/{scene.pending.pk}/decide", {"decision": "grant"})
    assert again.status_code == 409
    assert "already been decided (it is refused)" in again.content.decode()
    assert not AccessGrant.objects.filter(resource=scene.org_private).exists()


def test_a_decision_without_a_choice_is_a_clear_error():
    scene = access_scene()
    response = _client(scene.person("staff")).post(
        f"/library/requests/{scene.pending.pk}/decide", {"decision": "perhaps"}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert AccessRequest.objects.get(pk=scene.pending.pk).status == AccessRequestStatus.PENDING


def test_the_requester_may_not_decide_their_own_request_and_it_is_audited():
    scene = access_scene()
    response = _client(scene.person("member")).post(
        f"/library/requests/{scene.pending.pk}/decide", {"decision": "grant"}
    )
    assert response.status_code == 403
    assert AuditRecord.objects.filter(action="access.refused").exists()


def test_withdrawing_and_revoking_from_the_pages():
    scene = access_scene()
    withdrawn = _client(scene.person("member")).post(
        f"/library/requests/{scene.pending.pk}/withdraw"
    )
    assert withdrawn.status_code == 302
    assert AccessRequest.objects.get(pk=scene.pending.pk).status == "withdrawn"
    revoked = _client(scene.person("staff")).post(
        f"/library/requests/grants/{scene.grant.pk}/revoke"
    )
    assert revoked.status_code == 302
    assert not AccessGrant.objects.filter(pk=scene.grant.pk).exists()


def test_my_requests_shows_statuses_notes_and_what_was_shared():
    scene = access_scene()
    services.access_decide(
        actor=scene.person("leader"),
        access_request=scene.pending,
        decision="refuse",
        note="Ask your manager.",
    )
    html = _client(scene.person("member")).get("/library/requests/mine/").content.decode()
    assert "Refused" in html
    assert "Ask your manager." in html
    patient_page = _client(scene.person("patient")).get("/library/requests/mine/")
    assert scene.staff_only.title in patient_page.content.decode()  # shared with the patient


# --- Query counts ---------------------------------------------------------------------------------

# Session, user, the page's own reads, then roles and organizations (gates and navigation).
QUERIES_DECIDERS_PAGE = 8
QUERIES_MY_REQUESTS = 6
QUERIES_REQUEST_PAGE = 7


def _many_requests(count: int) -> tuple:
    staff = make_user(display_name="Sam Staff", roles=("staff", "member"), is_staff=True)
    requester = make_user(display_name="Rae Requester", roles=("patient",))
    for number in range(count):
        resource = make_resource(title=f"Restricted {number}", access=Access.STAFF, indexed=False)
        made = services.access_request_create(actor=requester, resource=resource)
        if number % 2:
            services.access_decide(actor=staff, access_request=made, decision="grant")
            services.access_request_create(actor=make_user(roles=("patient",)), resource=resource)
    return staff, requester


@pytest.mark.parametrize("count", [5, 50])
def test_the_deciders_page_has_a_fixed_number_of_queries(count, django_assert_num_queries):
    staff, _ = _many_requests(count)
    client = _client(staff)
    with django_assert_num_queries(QUERIES_DECIDERS_PAGE):
        response = client.get("/library/requests/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_my_requests_page_has_a_fixed_number_of_queries(count, django_assert_num_queries):
    _, requester = _many_requests(count)
    client = _client(requester)
    with django_assert_num_queries(QUERIES_MY_REQUESTS):
        response = client.get("/library/requests/mine/")
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == count + 1


@pytest.mark.parametrize("count", [5, 50])
def test_the_request_page_has_a_fixed_number_of_queries(count, django_assert_num_queries):
    _many_requests(count)
    resource = make_resource(access=Access.MEMBER)
    patient = make_user(roles=("patient",))
    client = _client(patient)
    with django_assert_num_queries(QUERIES_REQUEST_PAGE):
        response = client.get(f"/library/r/{resource.slug}/request-access/")
    assert response.status_code == 200
