"""The library search selector: ranking, highlighting, visibility for every kind of person,
facets, filters, chapters, the cap on the ranked match."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from townsquare.accounts.tests.factories import MATRIX_ROLES

from ..models import Access, Audience, ResourceStatus, ResourceType
from ..permissions import can_open_resource, can_see_resource
from ..selectors import search as selectors
from ..selectors.search import SearchFilters, library_search
from .factories import add_file, make_resource, make_topic, pdf_bytes
from .support_search import KINDS, SHARED_WORD, searchable_library, secret

pytestmark = pytest.mark.django_db
NO_FILTERS = SearchFilters()


def _user(world, role):
    return world.people[role] or AnonymousUser()


def _titles(results):
    return sorted(hit.resource.title for hit in results.hits)


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_results_are_what_the_person_may_open_and_the_rest_is_listed_only(role):
    world = searchable_library()
    user = _user(world, role)
    results = library_search(user, SHARED_WORD, filters=NO_FILTERS)
    opened = {hit.resource.pk for hit in results.hits}
    restricted = {hit.resource.pk for hit in results.restricted}
    for name, resource in world.resources.items():
        resource.refresh_from_db()
        published = resource.status == ResourceStatus.PUBLISHED
        may_open = published and can_open_resource(user, resource)
        assert (resource.pk in opened) == may_open, (role, name)
        listed_closed = published and resource.is_listed and not can_open_resource(user, resource)
        assert (resource.pk in restricted) == listed_closed, (role, name)
        if resource.pk in restricted:
            assert can_see_resource(user, resource)
    assert results.count == len(opened)
    assert results.restricted_count == len(restricted)


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_the_body_of_a_resource_is_found_only_by_who_may_open_it(role):
    world = searchable_library()
    user = _user(world, role)
    for name in KINDS:
        resource = world.resources[name]
        results = library_search(user, secret(name), filters=NO_FILTERS)
        may_open = resource.status == ResourceStatus.PUBLISHED and can_open_resource(user, resource)
        assert [hit.resource.pk for hit in results.hits] == ([resource.pk] if may_open else []), (
            name
        )
        # The "request access" group matches titles and summaries only, never the body.
        assert (results.restricted, results.chapters) == ([], []), name
        if may_open:
            assert f"<mark>{secret(name)}</mark>" in results.hits[0].snippet_html


def test_titles_and_snippets_are_highlighted_and_escaped():
    make_resource(
        title="<script>alert(1)</script> Patient privacy",
        body="Never post a patient photo. <b>bold</b> privacy matters.",
    )
    results = library_search(AnonymousUser(), "privacy", filters=NO_FILTERS)
    [hit] = results.hits
    assert hit.title_html == "&lt;script&gt;alert(1)&lt;/script&gt; Patient <mark>privacy</mark>"
    assert "<mark>privacy</mark>" in hit.snippet_html
    assert "<b>" not in hit.snippet_html


def test_title_matches_rank_above_body_matches():
    in_body = make_resource(title="A guide", body="The wombat appears in the body only.")
    in_title = make_resource(title="Wombat guide", body="Nothing here.")
    results = library_search(AnonymousUser(), "wombat", filters=NO_FILTERS)
    assert [hit.resource.pk for hit in results.hits] == [in_title.pk, in_body.pk]


def test_text_extracted_from_files_is_searched_and_shown_only_to_who_may_open_it(
    django_capture_on_commit_callbacks,
):
    world = searchable_library()
    staff = world.people["staff"]
    assert staff is not None
    member_only = world.resources["member"]
    with django_capture_on_commit_callbacks(execute=True):
        add_file(member_only, "plan.pdf", pdf_bytes("Platypus escalation plan"), actor=staff)
    member = library_search(world.people["member"], "platypus", filters=NO_FILTERS)
    assert [hit.resource.pk for hit in member.hits] == [member_only.pk]
    assert "<mark>Platypus</mark>" in member.hits[0].snippet_html
    patient = library_search(world.people["patient"], "platypus", filters=NO_FILTERS)
    assert patient.hits == []
    assert patient.restricted == []
    assert patient.count == 0


def test_chapter_hits_link_to_chapters_of_books_the_person_may_open():
    public_book = make_resource(
        title="Handbook",
        kind=ResourceType.BOOK,
        chapters=(("Getting started", "Intro."), ("Echidna etiquette", "Echidna rules here.")),
    )
    make_resource(
        title="Closed handbook",
        kind=ResourceType.BOOK,
        access=Access.STAFF,
        chapters=(("Echidna secrets", "Staff-only echidna text."),),
    )
    results = library_search(AnonymousUser(), "echidna", filters=NO_FILTERS)
    assert [(hit.resource.pk, hit.chapter.number) for hit in results.chapters] == [
        (public_book.pk, 2)
    ]
    assert results.chapter_count == 1
    assert "<mark>Echidna</mark>" in results.chapters[0].title_html
    assert "<mark>Echidna</mark>" in results.chapters[0].snippet_html


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_chapter_hits_agree_with_the_visibility_selector(role):
    world = searchable_library()
    user = _user(world, role)
    for access in (Access.PUBLIC, Access.MEMBER, Access.STAFF):
        make_resource(
            title=f"{access} book",
            kind=ResourceType.BOOK,
            access=access,
            chapters=(("Echidna one", "Echidna."), ("Echidna two", "Echidna.")),
        )
    make_resource(
        title="Org book",
        kind=ResourceType.BOOK,
        access=Access.ORGANIZATION,
        organization=world.matrix.organization,
        chapters=(("Echidna org", "Echidna."),),
    )
    from ..selectors.visibility import chapters_openable_by

    expected = set(chapters_openable_by(user).values_list("pk", flat=True))
    results = library_search(user, "echidna", filters=NO_FILTERS)
    assert {hit.chapter.pk for hit in results.chapters} == expected


def test_facets_count_the_matches_by_type_topic_audience_and_year():
    privacy, video = make_topic("Privacy"), make_topic("Video")
    make_resource(
        title="Bilby one",
        kind=ResourceType.POLICY,
        topics=(privacy,),
        audience=Audience.NURSES,
        published_on=date(2021, 3, 1),
    )
    make_resource(
        title="Bilby two",
        kind=ResourceType.POLICY,
        topics=(privacy, video),
        audience=Audience.NURSES,
        published_on=date(2022, 3, 1),
    )
    make_resource(
        title="Bilby three",
        kind=ResourceType.VIDEO,
        topics=(video,),
        audience=Audience.PATIENTS,
        published_on=date(2022, 5, 1),
    )
    make_resource(title="Unrelated", kind=ResourceType.VIDEO, topics=(video,))
    results = library_search(AnonymousUser(), "bilby", filters=NO_FILTERS)
    facets = {
        name: [(value.value, value.count) for value in values]
        for name, values in results.facets.items()
    }
    assert facets == {
        "type": [("policy", 2), ("video", 1)],
        "topic": [(video.slug, 2), (privacy.slug, 2)]
        if video.slug < privacy.slug
        else [(privacy.slug, 2), (video.slug, 2)],
        "audience": [("nurses", 2), ("patients", 1)],
        "year": [("2022", 2), ("2021", 1)],
    }
    assert results.facets["type"][0].label == "Policy"
    assert results.facets["audience"][0].label == "Nurses"
    assert {value.label for value in results.facets["topic"]} == {"Privacy", "Video"}


def test_filters_narrow_results_facets_and_the_other_groups():
    privacy = make_topic("Privacy")
    policy = make_resource(
        title="Bilby policy",
        kind=ResourceType.POLICY,
        topics=(privacy,),
        published_on=date(2020, 1, 1),
        audience=Audience.NURSES,
    )
    make_resource(title="Bilby video", kind=ResourceType.VIDEO, published_on=date(2021, 1, 1))
    make_resource(title="Bilby staff policy", kind=ResourceType.VIDEO, access=Access.STAFF)
    for filters in (
        SearchFilters(type="policy"),
        SearchFilters(topic=privacy.slug),
        SearchFilters(audience="nurses"),
        SearchFilters(year=2020),
        SearchFilters(type="policy", topic=privacy.slug, audience="nurses", year=2020),
    ):
        results = library_search(AnonymousUser(), "bilby", filters=filters)
        assert [hit.resource.pk for hit in results.hits] == [policy.pk], filters
        assert results.restricted == [], filters
        selected = [v.value for values in results.facets.values() for v in values if v.selected]
        assert sorted(selected) == sorted(filters.as_dict().values())
    nothing = library_search(AnonymousUser(), "bilby", filters=SearchFilters(topic="no-such"))
    assert nothing.hits == []
    assert nothing.count == 0


def test_year_falls_back_to_the_publication_in_the_library():
    resource = make_resource(title="Bilby undated", published_on=None)
    assert resource.published_at is not None
    year = resource.published_at.year
    results = library_search(AnonymousUser(), "bilby", filters=SearchFilters(year=year))
    assert [hit.resource.pk for hit in results.hits] == [resource.pk]
    assert [(v.value, v.count) for v in results.facets["year"]] == [(str(year), 1)]


def test_pages_follow_the_ranking_and_stop_at_the_end():
    for index in range(7):
        make_resource(title=f"Numbat {index}", body="numbat " * (index + 1))
    first = library_search(AnonymousUser(), "numbat", filters=NO_FILTERS, limit=3)
    second = library_search(AnonymousUser(), "numbat", filters=NO_FILTERS, limit=3, offset=3)
    last = library_search(AnonymousUser(), "numbat", filters=NO_FILTERS, limit=3, offset=6)
    seen = [h.resource.pk for h in first.hits + second.hits + last.hits]
    assert len(seen) == len(set(seen)) == 7
    assert (first.count, len(last.hits)) == (7, 1)
    whole = library_search(AnonymousUser(), "numbat", filters=NO_FILTERS, limit=10)
    assert [h.resource.pk for h in whole.hits] == seen


def test_the_ranked_match_is_capped_and_says_so(monkeypatch):
    monkeypatch.setattr(selectors, "MATCH_LIMIT", 4)
    for index in range(6):
        make_resource(title=f"Dingo {index}", kind=ResourceType.POLICY)
    results = library_search(AnonymousUser(), "dingo", filters=NO_FILTERS, limit=10)
    assert (results.count, results.count_is_capped, len(results.hits)) == (4, True, 4)
    assert [(v.value, v.count) for v in results.facets["type"]] == [("policy", 4)]


@pytest.mark.parametrize("query", ["", "   ", "-- ..", "!!!", "*"])
def test_nothing_to_search_for_gives_empty_results(query, django_assert_num_queries):
    make_resource(title="The guide")
    with django_assert_num_queries(0):
        results = library_search(AnonymousUser(), query, filters=NO_FILTERS)
    assert (results.hits, results.count, results.is_searchable) == ([], 0, False)


def test_a_long_query_is_cut_to_the_bound():
    make_resource(title="Kookaburra guide")
    results = library_search(AnonymousUser(), "kookaburra " + "x" * 5000, filters=NO_FILTERS)
    assert len(results.query) == selectors.MAX_QUERY_LENGTH
    assert results.hits == []
