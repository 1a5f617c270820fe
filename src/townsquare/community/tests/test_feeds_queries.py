"""Query counts of the feeds, pinned at 5 and at 50 posts: no page costs a query per post, per
author or per space.

The posts come from many spaces of both networks, by verified clinicians and by patients writing
under pseudonyms (whose names need the viewer's standing in each space), with questions and polls.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from townsquare.accounts.models import User

from ..models import Space, SpaceKind
from ..selectors.feeds import space_feed
from ..selectors.search import feed_cards_prime
from .factories import join, make_patient, make_post, make_space
from .support_feeds import client_of, clinician, fresh

pytestmark = pytest.mark.django_db

TAG = "pinned"


@dataclass
class Crowd:
    viewer: User
    spaces: list[Space]
    busiest: Space
    patients: list[User]


def _crowd(count: int) -> Crowd:
    """``count`` posts tagged #pinned, in ``count // 2 + 1`` spaces the viewer follows."""
    viewer = clinician(display_name="Vi Viewer")
    writer = clinician(display_name="Wes Writer")
    patients = [make_patient(pseudonym=f"Heron{n}") for n in range(3)]
    spaces = []
    for number in range(count // 2 + 1):
        kind = SpaceKind.PATIENT if number % 2 else SpaceKind.STAFF
        space = make_space(kind=kind, members=(viewer, writer))
        if kind == SpaceKind.PATIENT:
            for patient in patients:
                join(patient, space)
        spaces.append(space)
    for number in range(count):
        space = spaces[number % len(spaces)] if number % 3 else spaces[0]
        if space.kind == SpaceKind.PATIENT and number % 2:
            make_post(patients[number % 3], space, body=f"My story {number} #{TAG}")
        elif number % 5 == 0:
            make_post(
                writer,
                space,
                kind="poll",
                title=f"Poll {number} #{TAG}",
                poll_options=["Yes", "No"],
            )
        elif number % 4 == 0:
            make_post(writer, space, kind="question", title=f"Question {number}?", body=f"#{TAG}")
        else:
            make_post(writer, space, body=f"Note **{number}** #{TAG}")
    return Crowd(fresh(viewer), spaces, spaces[0], patients)


# Every count is the same at 5 and at 50 posts. Signed-in requests read the session and the user
# (2); the gates read the viewer's roles, organization membership and community profile once (3).
# Then: the readable spaces' ids, the follows, the page of posts, and the viewer's memberships of
# the pseudonymous posts' spaces (feed_cards_prime), plus each page's own extras.
HOME_PAGE = 11  # navigation + 2 + 3 + ids, follows, posts, memberships, "your spaces"
HASHTAG_PAGE = 10  # navigation + 2 + 3 + ids, the hashtag, posts, memberships
FEED_API = 10  # 2 + 3 + ids, follows, the page's head (feed_cache), posts, memberships
FEED_API_KEPT = 3  # 2 + the page's head: the first page again, served from feed_cache
HASHTAG_API = 9  # 2 + 3 + ids, the hashtag, posts, memberships
SPACE_FEED_API = 7  # 2 + the space + roles, organization, memberships, posts
SPACE_FEED_INCLUDE = 4  # moderator check, posts, roles, the viewer's membership (once)


@pytest.mark.parametrize("count", [5, 50])
def test_home_page_queries(django_assert_num_queries, count):
    crowd = _crowd(count)
    client = client_of(crowd.viewer)

    with django_assert_num_queries(HOME_PAGE):
        response = client.get("/community/", {"cursor": ""})

    assert response.status_code == 200
    assert response.content.decode().count('class="card feed-card"') == min(count, 20)


@pytest.mark.parametrize("count", [5, 50])
def test_hashtag_page_queries(django_assert_num_queries, count):
    crowd = _crowd(count)
    client = client_of(crowd.viewer)

    with django_assert_num_queries(HASHTAG_PAGE):
        response = client.get(f"/community/tags/{TAG}/")

    assert response.status_code == 200
    assert response.content.decode().count('class="card feed-card"') == min(count, 20)


@pytest.mark.parametrize("count", [5, 50])
def test_feed_api_queries(django_assert_num_queries, count):
    crowd = _crowd(count)
    client = client_of(crowd.viewer)

    with django_assert_num_queries(FEED_API):
        response = client.get("/api/v1/community/feed", {"limit": 50})

    assert len(response.json()["items"]) == count
    with django_assert_num_queries(FEED_API_KEPT):
        again = client.get("/api/v1/community/feed", {"limit": 50})
    assert again.content == response.content


@pytest.mark.parametrize("count", [5, 50])
def test_hashtag_api_queries(django_assert_num_queries, count):
    crowd = _crowd(count)
    client = client_of(crowd.viewer)

    with django_assert_num_queries(HASHTAG_API):
        response = client.get(f"/api/v1/community/tags/{TAG}/posts", {"limit": 50})

    assert len(response.json()["items"]) == count


@pytest.mark.parametrize("count", [5, 50])
def test_space_feed_api_queries(django_assert_num_queries, count):
    crowd = _crowd(count)
    client = client_of(crowd.viewer)
    in_space = crowd.busiest.posts.count()

    with django_assert_num_queries(SPACE_FEED_API):
        response = client.get(f"/api/v1/community/spaces/{crowd.busiest.pk}/posts", {"limit": 50})

    assert len(response.json()["items"]) == in_space


@pytest.mark.parametrize("count", [5, 50])
def test_space_feed_include_queries(django_assert_num_queries, count):
    """The include as the spaces area renders it: the space's page, a patient group with
    pseudonymous posts, for a member who is no moderator (one query for their standing)."""
    crowd = _crowd(count)
    group = crowd.spaces[1]
    for number in range(count):
        make_post(crowd.patients[number % 3], group, body=f"Group post {number}")
    request = RequestFactory().get(f"/community/s/{group.slug}/")
    request.user = crowd.viewer

    with django_assert_num_queries(SPACE_FEED_INCLUDE):
        page = space_feed(request.user, group, limit=50)
        html = render_to_string(
            "community/feeds/feed_list.html", {"page": page, "request": request}
        )

    assert html.count('class="card feed-card"') == min(group.posts.count(), 50)


def test_cards_prime_loads_standings_once():
    crowd = _crowd(6)
    page = space_feed(crowd.viewer, crowd.spaces[1])
    feed_cards_prime(crowd.viewer, page.items)

    assert set(crowd.viewer.__dict__["_community_memberships"]) == {crowd.spaces[1].pk}
