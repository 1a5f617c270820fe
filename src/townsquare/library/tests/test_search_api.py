"""GET /api/v1/library/search: the payload, filters, bounds, and what each caller gets."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from townsquare.accounts import services as account_services

from ..models import Audience, ResourceType
from .factories import make_resource, make_topic
from .support_search import SHARED_WORD, searchable_library, secret

pytestmark = pytest.mark.django_db
URL = "/api/v1/library/search"


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_search_answers_items_count_and_facets():
    topic = make_topic("Privacy")
    resource = make_resource(
        title="Patient privacy policy",
        kind=ResourceType.POLICY,
        topics=(topic,),
        audience=Audience.NURSES,
        published_on=date(2023, 4, 1),
        body="Never share a patient photo.",
    )
    response = _client().get(URL, {"q": "privacy"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["count_is_capped"] is False
    [item] = body["items"]
    assert item == {
        "id": resource.pk,
        "slug": resource.slug,
        "url": f"/library/r/{resource.slug}/",
        "type": "policy",
        "title": "Patient privacy policy",
        "title_html": "Patient <mark>privacy</mark> policy",
        "snippet_html": item["snippet_html"],
        "summary": resource.summary,
        "audience": "nurses",
        "access": "public",
        "published_on": "2023-04-01",
        "topics": [{"slug": topic.slug, "name": "Privacy"}],
    }
    assert body["facets"] == {
        "type": [{"value": "policy", "label": "Policy", "count": 1, "selected": False}],
        "topic": [{"value": topic.slug, "label": "Privacy", "count": 1, "selected": False}],
        "audience": [{"value": "nurses", "label": "Nurses", "count": 1, "selected": False}],
        "year": [{"value": "2023", "label": "2023", "count": 1, "selected": False}],
    }
    # The side groups are searches of their own, only when asked for.
    assert (body["restricted"], body["chapters"]) == (None, None)
    assert (body["restricted_count"], body["chapter_count"]) == (None, None)
    grouped = _client().get(URL, {"q": "privacy", "include": "restricted,chapters"}).json()
    assert (grouped["restricted"], grouped["chapters"]) == ([], [])
    assert (grouped["restricted_count"], grouped["chapter_count"]) == (0, 0)
    assert grouped["items"] == body["items"]


def test_the_answer_is_what_the_schema_gives():
    """The search writes its answer as plain data; ``SearchOut`` must render exactly the same."""
    from ninja.responses import NinjaJSONEncoder

    from ..api.search import _payload
    from ..api.search_schemas import SearchOut
    from ..selectors.search import SearchFilters, library_search

    world = searchable_library()
    make_resource(
        title="Quokka privacy policy",
        kind=ResourceType.POLICY,
        topics=(make_topic("Privacy"),),
        published_on=date(2024, 2, 3),
        chapters=(("Quokka intro", "x"),),
    )
    patient = world.people["patient"]
    for params in ({"q": SHARED_WORD}, {"q": SHARED_WORD, "include": "restricted,chapters"}):
        response = _client(patient).get(URL, params)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json; charset=utf-8"
        groups = set(filter(None, params.get("include", "").split(",")))
        results = library_search(
            patient,
            SHARED_WORD,
            filters=SearchFilters(),
            with_restricted="restricted" in groups,
            with_chapters="chapters" in groups,
        )
        schema = SearchOut.model_validate(_payload(results, groups))
        expected = json.loads(json.dumps(schema.model_dump(), cls=NinjaJSONEncoder))
        assert response.json() == expected
        assert response.json()["items"]


def test_the_groups_alone_leave_out_the_results():
    world = searchable_library()
    body = (
        _client(world.people["patient"])
        .get(URL, {"q": SHARED_WORD, "include": "restricted", "results": "false"})
        .json()
    )
    assert (body["items"], body["count"]) == ([], 0)
    assert world.resources["member"].pk in {item["id"] for item in body["restricted"]}
    assert body["chapters"] is None


def test_an_unknown_group_is_refused_with_what_include_takes():
    response = _client().get(URL, {"q": "privacy", "include": "restricted,everything"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "Unknown group everything: include takes restricted and chapters" in response.text


def test_filters_narrow_and_mark_the_facet_selected():
    make_resource(title="Bilby policy", kind=ResourceType.POLICY)
    video = make_resource(title="Bilby video", kind=ResourceType.VIDEO)
    body = _client().get(URL, {"q": "bilby", "type": "video"}).json()
    assert [item["id"] for item in body["items"]] == [video.pk]
    assert body["facets"]["type"] == [
        {"value": "video", "label": "Video", "count": 1, "selected": True}
    ]


def test_restricted_hits_carry_title_summary_and_the_request_link_only():
    world = searchable_library()
    body = (
        _client(world.people["patient"])
        .get(URL, {"q": SHARED_WORD, "include": "restricted"})
        .json()
    )
    member = world.resources["member"]
    by_id = {item["id"]: item for item in body["restricted"]}
    assert by_id[member.pk] == {
        "id": member.pk,
        "slug": member.slug,
        "url": f"/library/r/{member.slug}/",
        "request_access_url": f"/library/r/{member.slug}/request-access/",
        "type": "guideline",
        "title": member.title,
        "title_html": "<mark>Quokka</mark> member guide",
        "summary": member.summary,
        "access": "member",
    }
    assert "snippet_html" not in by_id[member.pk]
    assert body["restricted_count"] == len(body["restricted"])
    assert secret("member") not in response_text(body)


def response_text(body):
    import json

    return json.dumps(body)


def test_an_api_token_searches_as_its_person():
    world = searchable_library()
    member = world.people["member"]
    assert member is not None
    issued = account_services.api_token_create(user=member, name="test")
    response = Client().get(URL, {"q": secret("member")}, HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    assert [item["id"] for item in response.json()["items"]] == [world.resources["member"].pk]
    anonymous = Client().get(URL, {"q": secret("member"), "include": "restricted"}).json()
    assert (anonymous["items"], anonymous["restricted"]) == ([], [])


def test_limit_and_offset_page_through_the_results():
    for index in range(5):
        make_resource(title=f"Numbat {index}")
    first = _client().get(URL, {"q": "numbat", "limit": 2}).json()
    rest = (
        _client()
        .get(URL, {"q": "numbat", "limit": 2, "offset": 2, "include": "restricted,chapters"})
        .json()
    )
    assert (first["count"], len(first["items"]), len(rest["items"])) == (5, 2, 2)
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in rest["items"]}
    assert rest["restricted"] == []
    assert rest["chapters"] == []


def test_an_empty_query_finds_nothing():
    make_resource(title="Guide")
    body = _client().get(URL).json()
    assert (body["items"], body["count"]) == ([], 0)
    assert body["facets"] == {"type": [], "topic": [], "audience": [], "year": []}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x" * 201},
        {"q": "a", "type": "novel"},
        {"q": "a", "audience": "everyone-else"},
        {"q": "a", "year": 1800},
        {"q": "a", "year": "soon"},
        {"q": "a", "limit": 0},
        {"q": "a", "limit": 51},
        {"q": "a", "offset": -1},
        {"q": "a", "offset": 1001},
        {"q": "a", "topic": "t" * 91},
    ],
)
def test_out_of_bounds_parameters_are_refused(params):
    response = _client().get(URL, params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_the_query_count_does_not_grow_with_the_results(django_assert_num_queries):
    for index in range(5):
        make_resource(title=f"Numbat {index}", topics=(make_topic(f"Topic {index}"),))
    client = _client()
    grouped = {"q": "numbat", "include": "restricted,chapters"}
    with django_assert_num_queries(SEARCH_API_QUERIES):
        client.get(URL, {"q": "numbat"})
    with django_assert_num_queries(SEARCH_API_QUERIES + GROUP_QUERIES):
        client.get(URL, grouped)
    for index in range(5, 50):
        make_resource(title=f"Numbat {index}", topics=(make_topic(f"Topic {index}"),))
    with django_assert_num_queries(SEARCH_API_QUERIES):
        body = client.get(URL, {"q": "numbat", "limit": 50}).json()
    assert len(body["items"]) == 50
    with django_assert_num_queries(SEARCH_API_QUERIES + GROUP_QUERIES):
        client.get(URL, {**grouped, "limit": 50})


# Anonymous: no session queries. The ranked ids (PostgreSQL: in the sample of the resources, then
# in all of them, as the sample holds too few here), facets with topic names, highlights (SQLite:
# the page's documents, then their snippets; PostgreSQL: one statement), resources, topics.
SEARCH_API_QUERIES = 6
# restricted (ranked, highlights), chapters (ranked)
GROUP_QUERIES = 2
