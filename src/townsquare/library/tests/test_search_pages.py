"""The library search page: empty, no-result and result states, facets and filters as links,
the "request access" group, chapters, pagination, bounds and a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ..models import ResourceType
from ..selectors.search import PAGE_SIZE
from .factories import make_resource, make_topic
from .support_search import SHARED_WORD, searchable_library, secret

pytestmark = pytest.mark.django_db
URL = "/library/search/"


def _get(params=None, user=None, **headers):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(URL, params or {}, headers=headers)


def _groups(params, user=None):
    """The side groups as the page loads them (htmx), after its results."""
    response = _get({**params, "part": "groups"}, user, HX_Request="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    return html


def test_the_empty_page_explains_and_links_to_the_catalog():
    response = _get()
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Search the library</h1>" in html
    assert 'role="search"' in html
    assert 'href="/library/"' in html
    assert "Results for" not in html


def test_no_results_says_so():
    make_resource(title="Guide")
    html = _get({"q": "zyzzyva"}).content.decode()
    assert "0 results" in html
    assert "No resource you can open matches" in html
    inline = _get({"q": "zyzzyva", "groups": "1"}).content.decode()
    assert "Nothing in the library matches" in inline


def test_the_side_groups_load_after_the_results():
    book = make_resource(
        title="Handbook", kind=ResourceType.BOOK, chapters=(("Intro", "x"), ("Echidna", "y"))
    )
    html = _get({"q": "echidna"}).content.decode()
    assert "chapters-heading" not in html
    # htmx asks for them; without it, the link shows the whole page with them inline.
    assert 'hx-get="?q=echidna&amp;part=groups" hx-trigger="load"' in html
    assert 'href="?q=echidna&amp;groups=1"' in html
    fragment = _groups({"q": "echidna"})
    assert '<h2 id="chapters-heading">Chapters</h2>' in fragment
    assert f'href="/library/r/{book.slug}/chapters/2/"' in fragment
    inline = _get({"q": "echidna", "groups": "1"}).content.decode()
    assert f'href="/library/r/{book.slug}/chapters/2/"' in inline
    assert "hx-get=" not in inline.split('id="library-search-groups"')[1][:20]


def test_the_groups_fragment_without_htmx_leads_to_the_whole_page():
    response = _get({"q": "echidna", "type": "book", "part": "groups"})
    assert response.status_code == 302
    assert response["Location"] == "/library/search/?q=echidna&type=book&groups=1"


def test_later_pages_do_not_load_the_groups():
    for index in range(PAGE_SIZE + 1):
        make_resource(title=f"Numbat {index}")
    assert 'id="library-search-groups"' in _get({"q": "numbat"}).content.decode()
    assert 'id="library-search-groups"' not in _get({"q": "numbat", "page": "2"}).content.decode()


def test_results_are_highlighted_with_facets_as_links():
    topic = make_topic("Privacy")
    resource = make_resource(
        title="Patient privacy policy", kind=ResourceType.POLICY, topics=(topic,)
    )
    make_resource(title="Privacy video", kind=ResourceType.VIDEO)
    html = _get({"q": "privacy"}).content.decode()
    assert "2 results" in html
    assert f'<a href="/library/r/{resource.slug}/">Patient <mark>privacy</mark> policy</a>' in html
    assert '<h2 id="facets-heading">Narrow the results</h2>' in html
    assert 'href="?q=privacy&amp;type=policy">Policy</a> <span class="meta">(1)</span>' in html
    assert f'href="?q=privacy&amp;topic={topic.slug}">Privacy</a>' in html


def test_a_chosen_filter_narrows_and_can_be_removed():
    make_resource(title="Bilby policy", kind=ResourceType.POLICY)
    make_resource(title="Bilby video", kind=ResourceType.VIDEO)
    html = _get({"q": "bilby", "type": "video"}).content.decode()
    assert "1 result<" in html
    assert "<mark>Bilby</mark> video" in html
    assert "<mark>Bilby</mark> policy" not in html
    assert 'Type: video <a href="?q=bilby">Remove' in html
    assert 'aria-current="true"' in html


def test_restricted_hits_show_title_summary_and_request_access_never_a_snippet():
    world = searchable_library()
    html = _groups({"q": SHARED_WORD}, world.people["patient"])
    member = world.resources["member"]
    assert '<h2 id="restricted-heading">You may request access to</h2>' in html
    assert f'href="/library/r/{member.slug}/request-access/"' in html
    assert member.summary in html
    for name in ("member", "premium", "staff", "org", "org_unlisted", "member_unlisted"):
        assert secret(name) not in html
    assert world.resources["org_unlisted"].title not in html
    assert world.resources["draft"].title not in html


def test_anonymous_people_are_asked_to_sign_in_to_request_access():
    searchable_library()
    html = _groups({"q": SHARED_WORD})
    assert "Sign in to request access." in html


def test_chapter_hits_link_to_the_chapter_page():
    book = make_resource(
        title="Handbook", kind=ResourceType.BOOK, chapters=(("Intro", "x"), ("Echidna", "y"))
    )
    html = _get({"q": "echidna", "groups": "1"}).content.decode()
    assert '<h2 id="chapters-heading">Chapters</h2>' in html
    assert f'href="/library/r/{book.slug}/chapters/2/"' in html


def test_pages_link_to_each_other():
    for index in range(PAGE_SIZE + 3):
        make_resource(title=f"Numbat {index}")
    first = _get({"q": "numbat"}).content.decode()
    assert "page 1 of 2" in first
    assert 'href="?q=numbat&amp;page=2" rel="next"' in first
    second = _get({"q": "numbat", "page": "2"}).content.decode()
    assert 'href="?q=numbat" rel="prev"' in second
    assert len(re.findall(r'class="card search-result library-card"', second)) == 3
    assert '<ol class="search-results" start="21">' in second


@pytest.mark.parametrize(
    "params", [{"q": "x" * 201}, {"q": "a", "type": "novel"}, {"q": "a", "year": "1800"}]
)
def test_bad_parameters_show_the_form_with_errors(params):
    make_resource(title="A guide")
    response = _get(params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Results for" not in html
    assert 'class="field field-invalid"' in html


@pytest.mark.parametrize(("page", "shown"), [("0", 1), ("x", 1), ("999", 2), ("2", 2)])
def test_a_page_number_out_of_range_shows_the_nearest_page(page, shown):
    for index in range(PAGE_SIZE + 1):
        make_resource(title=f"Numbat {index}")
    html = _get({"q": "numbat", "page": page}).content.decode()
    assert f"page {shown} of 2" in html


@pytest.mark.parametrize("rows", [5, 50])
def test_the_page_runs_a_fixed_number_of_queries(rows, django_assert_num_queries):
    topic = make_topic("Privacy")
    for index in range(rows):
        make_resource(title=f"Numbat {index}", topics=(topic,))
    client = Client()
    client.get(URL, {"q": "numbat"})  # content types and the like are cached from here on
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(URL, {"q": "numbat"})
    assert response.status_code == 200
    with django_assert_num_queries(GROUPS_QUERIES):
        response = client.get(
            URL, {"q": "numbat", "part": "groups"}, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200


# the form's topics, then as the API's SEARCH_API_QUERIES: ranked ids (PostgreSQL: sample, then
# all), facets, highlights (SQLite: two statements; PostgreSQL: one), resources, topics
PAGE_QUERIES = 7
# the form's topics, restricted (ranked), chapters (ranked)
GROUPS_QUERIES = 3
