"""Community search: posts and comments the viewer may read, highlighted, filtered by space and
kind, on the page and in the API."""

from __future__ import annotations

import re

import pytest

from townsquare.accounts.tests.factories import make_user

from ..models import SpaceKind, SpaceVisibility
from ..services.publishing import comment_unpublished, post_unpublished
from .factories import join, make_employee, make_patient, make_space
from .support_feeds import client_of, comment_indexed, committed, post_indexed

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/community/search"
PAGE = "/community/search/"


@pytest.fixture
def ward():
    viewer, colleague = make_employee(display_name="Vic Viewer"), make_employee()
    ward = make_space(name="Ward seven", members=(viewer, colleague))
    lounge = make_space(name="Lounge", members=(colleague,))
    return viewer, colleague, ward, lounge


def test_search_finds_posts_by_title_body_and_tag_best_first(ward):
    viewer, colleague, space, lounge = ward
    by_title = post_indexed(colleague, space, title="Sepsis bundle", body="Start early.")
    by_body = post_indexed(colleague, lounge, body="Our sepsis audit went well.")
    post_indexed(colleague, space, body="Nothing relevant here.")

    body = client_of(viewer).get(SEARCH, {"q": "sepsis"}).json()

    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [by_title.pk, by_body.pk]
    first = body["items"][0]
    assert first["title_html"] == "<mark>Sepsis</mark> bundle"
    assert first["url"] == f"/community/p/{by_title.pk}/"
    assert first["space"]["name"] == "Ward seven"
    assert first["post_id"] == by_title.pk
    assert "<mark>sepsis</mark>" in body["items"][1]["snippet_html"]


def test_search_comments_links_to_the_comment(ward):
    viewer, colleague, space, _lounge = ward
    post = post_indexed(colleague, space, body="Handover question.")
    comment = comment_indexed(viewer, post, body="Try the SBAR template.")

    body = client_of(colleague).get(SEARCH, {"q": "sbar", "kind": "comment"}).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["kind"] == "comment"
    assert item["id"] == comment.pk
    assert item["post_id"] == post.pk
    assert item["url"] == f"/community/p/{post.pk}/#comment-{comment.pk}"
    assert item["author"]["name"] == "Vic Viewer"
    assert "<mark>SBAR</mark>" in item["snippet_html"]


def test_search_filters_by_space_and_pages(ward):
    viewer, colleague, space, lounge = ward
    in_ward = [post_indexed(colleague, space, body=f"Rota change {n}.") for n in range(3)]
    post_indexed(colleague, lounge, body="Rota in the lounge.")
    client = client_of(viewer)

    only_ward = client.get(SEARCH, {"q": "rota", "space_id": str(space.pk)}).json()
    paged = client.get(SEARCH, {"q": "rota", "limit": "2", "offset": "2"}).json()

    assert only_ward["count"] == 3
    assert {item["id"] for item in only_ward["items"]} == {post.pk for post in in_ward}
    assert paged["count"] == 4
    assert len(paged["items"]) == 2


def test_search_never_reaches_private_or_taken_down_text(ward):
    viewer, colleague, space, _lounge = ward
    private = make_space(visibility=SpaceVisibility.PRIVATE)
    join(colleague, private)
    post_indexed(colleague, private, body="Quokka plans in private.")
    hidden = post_indexed(colleague, space, body="Quokka post hidden later.")
    visible = post_indexed(colleague, space, body="Quokka post that stays.")
    hidden_comment = comment_indexed(colleague, visible, body="Quokka comment hidden later.")
    with committed():
        post_unpublished(hidden, status="hidden", reason="Off topic")
        comment_unpublished(hidden_comment, status="removed", reason="Rude")
    client = client_of(viewer)

    posts = client.get(SEARCH, {"q": "quokka"}).json()
    comments = client.get(SEARCH, {"q": "quokka", "kind": "comment"}).json()

    assert [item["id"] for item in posts["items"]] == [visible.pk]
    assert posts["count"] == 1
    assert comments == {"items": [], "count": 0}


def test_search_in_a_space_one_cannot_read_is_the_same_error_as_no_space(ward):
    viewer, _colleague, _space, _lounge = ward
    private = make_space(visibility=SpaceVisibility.PRIVATE)
    client = client_of(viewer)

    refused = client.get(SEARCH, {"q": "x", "space_id": str(private.pk)})
    missing = client.get(SEARCH, {"q": "x", "space_id": "987654"})

    assert refused.status_code == missing.status_code == 422
    assert (
        refused.json()["errors"]
        == missing.json()["errors"]
        == {"space": ["Choose a space you can read."]}
    )


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"q": "x" * 201}, "q"),
        ({"q": "x", "kind": "space"}, "kind"),
        ({"q": "x", "limit": 51}, "limit"),
        ({"q": "x", "offset": -1}, "offset"),
        ({"q": "x", "space_id": 0}, "space_id"),
    ],
)
def test_bad_search_input_is_a_422(ward, query, field):
    response = client_of(ward[0]).get(SEARCH, query)

    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_an_empty_query_finds_nothing(ward):
    assert client_of(ward[0]).get(SEARCH, {"q": "  "}).json() == {"items": [], "count": 0}


def test_search_needs_the_community():
    assert client_of(None).get(SEARCH, {"q": "x"}).status_code == 401
    assert client_of(make_user()).get(SEARCH, {"q": "x"}).status_code == 403


def test_patients_search_only_their_network():
    patient, employee = make_patient(), make_employee()
    group = make_space(kind=SpaceKind.PATIENT, members=(patient,))
    staff = make_space(members=(employee,))
    in_group = post_indexed(patient, group, body="Walrus walks help.")
    post_indexed(employee, staff, body="Walrus staff rota.")

    body = client_of(patient).get(SEARCH, {"q": "walrus"}).json()

    assert [item["id"] for item in body["items"]] == [in_group.pk]


def test_search_page_shows_highlighted_results_with_counts_per_kind(ward):
    viewer, colleague, space, _lounge = ward
    post = post_indexed(colleague, space, title="Falls prevention", body="Bed alarms <b>work</b>.")
    comment_indexed(viewer, post, body="Falls dropped on our ward too.")

    html = client_of(viewer).get(PAGE, {"q": "falls"}).content.decode()

    assert "<mark>Falls</mark> prevention</a>" in html
    assert "&lt;b&gt;work&lt;/b&gt;" in html or "work" in html
    assert "<b>work</b>" not in html  # the text is escaped, only the marks are HTML
    assert re.search(r'aria-current="page">Posts \(1\)</a>', html)
    assert ">Comments (1)</a>" in html
    assert '<p role="status">1 result</p>' in html
    comments = client_of(viewer).get(PAGE, {"q": "falls", "kind": "comment"}).content.decode()
    assert "Comment by" in comments
    assert "#comment-" in comments


def test_search_page_filters_by_a_space_chosen_from_mine(ward):
    viewer, colleague, space, lounge = ward
    post_indexed(colleague, space, body="Linen in the ward.")
    post_indexed(colleague, lounge, body="Linen in the lounge.")
    client = client_of(viewer)

    html = client.get(PAGE, {"q": "linen", "space": space.slug}).content.decode()
    lounge_html = client.get(PAGE, {"q": "linen", "space": lounge.slug}).content.decode()

    assert '<p role="status">1 result</p>' in html
    assert "in Ward seven" in html
    assert f'<option value="{space.slug}" selected>Ward seven</option>' in html
    assert '<p role="status">1 result</p>' in lounge_html  # readable, though not joined
    assert f'<option value="{lounge.slug}" selected>Lounge</option>' in lounge_html


def test_search_page_refuses_a_space_it_cannot_offer(ward):
    viewer = ward[0]
    private = make_space(visibility=SpaceVisibility.PRIVATE, name="Board room")

    html = client_of(viewer).get(PAGE, {"q": "x", "space": private.slug}).content.decode()

    assert "Select a valid choice" in html
    assert "Board room" not in html
    assert "result" not in html.split("</form>")[1]


def test_search_page_pages_through_results(ward):
    viewer, colleague, space, _lounge = ward
    for n in range(23):
        post_indexed(colleague, space, body=f"Glove stock note {n}.")

    first = client_of(viewer).get(PAGE, {"q": "glove"}).content.decode()
    second = client_of(viewer).get(PAGE, {"q": "glove", "page": "2"}).content.decode()

    assert first.count('class="card search-result"') == 20
    assert second.count('class="card search-result"') == 3
    assert "Page 2 of 2" in second
    assert '<ol class="search-results" start="21">' in second


def test_empty_search_page_offers_popular_tags(ward):
    viewer, colleague, space, _lounge = ward
    post_indexed(colleague, space, body="#infection control matters.")

    html = client_of(viewer).get(PAGE).content.decode()

    assert '<a href="/community/tags/infection/">#infection</a>' in html
