"""The feeds API: the home feed, a space's feed and a hashtag's, cut by cursors."""

from __future__ import annotations

import pytest

from townsquare.accounts.tests.factories import make_user
from townsquare.core.models import MAX_OBJECT_ID

from ..models import SpaceKind, SpaceVisibility
from ..services.publishing import post_unpublished
from .factories import join, make_employee, make_patient, make_post, make_space
from .support_feeds import client_of, clinician, item_ids

pytestmark = pytest.mark.django_db

FEED = "/api/v1/community/feed"


def _walk(client, path: str, *, limit: int) -> tuple[list[int], int]:
    """Every id of a feed, page after page; and how many pages it took."""
    ids: list[int] = []
    cursor, pages = "", 0
    while True:
        body = client.get(path, {"cursor": cursor, "limit": limit}).json()
        ids += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            return ids, pages


def test_home_feed_walks_every_post_once_newest_first():
    viewer = make_employee()
    space = make_space(members=(viewer,))
    posts = [make_post(viewer, space, body=f"Post {n}.") for n in range(11)]

    ids, pages = _walk(client_of(viewer), FEED, limit=4)

    assert ids == [post.pk for post in reversed(posts)]
    assert pages == 3


def test_a_post_written_while_paging_does_not_shift_the_next_page():
    viewer = make_employee()
    space = make_space(members=(viewer,))
    posts = [make_post(viewer, space, body=f"Post {n}.") for n in range(6)]
    client = client_of(viewer)
    first = client.get(FEED, {"limit": 3}).json()

    make_post(viewer, space, body="Written meanwhile.")
    second = client.get(FEED, {"limit": 3, "cursor": first["next_cursor"]}).json()

    assert [item["id"] for item in second["items"]] == [post.pk for post in reversed(posts[:3])]


def test_a_post_taken_down_leaves_the_feeds():
    viewer = make_employee()
    space = make_space(members=(viewer,))
    kept = make_post(viewer, space, body="Stays. #ward")
    gone = make_post(viewer, space, body="Goes. #ward")

    post_unpublished(gone, status="hidden", reason="Off topic", moderator=make_user())

    client = client_of(viewer)
    assert item_ids(client.get(FEED)) == [kept.pk]
    assert item_ids(client.get(f"/api/v1/community/spaces/{space.pk}/posts")) == [kept.pk]
    assert item_ids(client.get("/api/v1/community/tags/ward/posts")) == [kept.pk]


def test_post_card_schema():
    viewer = clinician(display_name="Dora Doctor", title="Cardiologist")
    group = make_space(kind=SpaceKind.PATIENT, name="Heart group", members=(viewer,))
    post = make_post(
        viewer, group, kind="question", title="Beta blockers?", body="Any **tips**? #heart"
    )

    item = client_of(viewer).get(FEED).json()["items"][0]

    assert item == {
        "id": post.pk,
        "url": f"/community/p/{post.pk}/",
        "space": {"id": group.pk, "slug": group.slug, "name": "Heart group", "kind": "patient"},
        "kind": "question",
        "status": "published",
        "title": "Beta blockers?",
        "excerpt": "Any tips? #heart",
        "body": "Any **tips**? #heart",
        "author": {
            "name": "Dora Doctor",
            "handle": viewer.community_profile.handle,
            "pseudonymous": False,
            "real_name": "",
            "verified_clinician": True,
            "clinician_title": "Cardiologist",
        },
        "published_at": item["published_at"],
        "edited_at": None,
        "comment_count": 0,
        "reaction_count": 0,
        "is_answered": False,
    }
    assert item["published_at"].startswith(str(post.published_at.year))


def test_pseudonymous_authors_are_named_by_pseudonym_except_to_those_who_may_know():
    writer = make_patient(display_name="Rita Real", pseudonym="CalmLake")
    reader = make_patient()
    group = make_space(kind=SpaceKind.PATIENT, members=(writer, reader))
    moderator = clinician()
    join(moderator, group, role="moderator")
    make_post(writer, group, body="My week.")

    as_reader = client_of(reader).get(FEED).json()["items"][0]["author"]
    as_moderator = client_of(moderator).get(FEED).json()["items"][0]["author"]

    assert as_reader["name"] == "CalmLake"
    assert as_reader["real_name"] == ""
    assert as_reader["handle"] == ""
    assert as_moderator["name"] == "CalmLake"
    assert as_moderator["real_name"] == "Rita Real"


def test_space_feed_refusals():
    insider, outsider, patient = make_employee(), make_employee(), make_patient()
    private = make_space(visibility=SpaceVisibility.PRIVATE, members=(insider,))
    hidden = make_space(visibility=SpaceVisibility.INVITE_ONLY, members=(insider,))
    post = make_post(insider, private, body="Members only.")

    def status(person, space_id):
        return client_of(person).get(f"/api/v1/community/spaces/{space_id}/posts").status_code

    assert item_ids(client_of(insider).get(f"/api/v1/community/spaces/{private.pk}/posts")) == [
        post.pk
    ]
    assert status(outsider, private.pk) == 403  # listed, but not for reading
    assert status(outsider, hidden.pk) == 404  # may not know it exists
    assert status(patient, private.pk) == 404  # another network's space
    assert status(outsider, 999999) == 404
    assert status(outsider, MAX_OBJECT_ID + 1) == 422
    assert status(None, private.pk) == 401


def test_outside_both_networks_the_feeds_say_who_the_community_is_for():
    response = client_of(make_user()).get(FEED)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "The community is for staff of member organizations" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 51}, "limit"),
        ({"cursor": "x" * 201}, "cursor"),
        ({"cursor": "not-a-cursor"}, "cursor"),
    ],
)
def test_bad_paging_is_a_422_naming_the_field(query, field):
    viewer = make_employee()
    make_space(members=(viewer,))

    response = client_of(viewer).get(FEED, query)

    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_hashtag_feed_api():
    viewer = make_employee()
    space = make_space(members=(viewer,))
    tagged = make_post(viewer, space, body="On #Rounds today.")
    client = client_of(viewer)

    assert item_ids(client.get("/api/v1/community/tags/rounds/posts")) == [tagged.pk]
    assert item_ids(client.get("/api/v1/community/tags/ROUNDS/posts")) == [tagged.pk]
    assert item_ids(client.get("/api/v1/community/tags/unused/posts")) == []
    assert client.get("/api/v1/community/tags/9lives/posts").status_code == 404


# --- The two plans of the home feed, and the cards as plain data -----------------------------


def _home_world():
    """A reader who follows busy and quiet spaces, people (one writes under a pseudonym too),
    a private space they left, and who writes themselves: every rule of the home feed."""
    from ..models import Follow, Post

    def written(post, *, as_pseudonym):
        Post.objects.filter(pk=post.pk).update(as_pseudonym=as_pseudonym)
        return post

    reader = clinician(display_name="Rae Reader")
    writer = make_employee(display_name="Wyn Writer")
    patient = make_patient(pseudonym="QuietHeron")
    stranger = make_employee(display_name="Sid Stranger")
    busy = make_space(members=(reader, writer, stranger))
    quiet = make_space(members=(reader, writer))
    group = make_space(kind=SpaceKind.PATIENT, members=(reader, patient))
    private = make_space(visibility=SpaceVisibility.PRIVATE, members=(writer, stranger))
    unfollowed = make_space(members=(reader, stranger))
    expected = []
    for number in range(6):
        expected.append(make_post(writer, busy, body=f"Busy {number}"))
        make_post(stranger, unfollowed, body=f"Not followed {number}")
        make_post(writer, private, body=f"Private {number}")  # followed author, unreadable
        # Mine, even under a pseudonym.
        mine = make_post(reader, group, body=f"Mine {number}")
        expected.append(written(mine, as_pseudonym=True))
        if number % 2:
            expected.append(make_post(writer, quiet, body=f"Quiet {number}"))
            # A followed person's pseudonymous posts never come through following them.
            hidden = make_post(patient, group, body=f"Pseudonym {number}")
            written(hidden, as_pseudonym=True)
            named = make_post(patient, group, body=f"Named {number}")
            expected.append(written(named, as_pseudonym=False))
    Follow.objects.filter(follower=reader).delete()
    Follow.objects.bulk_create(
        [
            Follow(follower=reader, space=busy),
            Follow(follower=reader, space=quiet),
            Follow(follower=reader, space=private),  # followed, but no longer readable
            Follow(follower=reader, followed_user=writer),
            Follow(follower=reader, followed_user=patient),
        ]
    )
    expected.sort(key=lambda post: (post.published_at, post.pk), reverse=True)
    return reader, [post.pk for post in expected]


@pytest.mark.parametrize("walk_rows_limit", [0, 10**9], ids=["merged", "walked"])
@pytest.mark.parametrize("limit", [1, 4, 50])
def test_both_plans_of_the_home_feed_give_the_same_pages(monkeypatch, walk_rows_limit, limit):
    from ..selectors import feeds

    reader, expected = _home_world()
    monkeypatch.setattr(feeds, "WALK_ROWS_LIMIT", walk_rows_limit)

    ids, pages = _walk(client_of(reader), FEED, limit=limit)

    assert ids == expected
    assert pages == max(1, -(-len(expected) // limit))


def test_the_plan_follows_the_share_of_posts_in_followed_spaces():
    from ..selectors.feeds import WALK_ROWS_LIMIT, _walk_is_cheap

    readable = {1: 1_000_000, 2: 50_000, 3: 10}
    assert _walk_is_cheap(readable, [1], 20)
    assert _walk_is_cheap(readable, [2], 20)  # 1 post in 21: about 440 rows walked
    assert not _walk_is_cheap(readable, [3], 20)  # the quiet space: merged
    assert not _walk_is_cheap(readable, [], 20)  # people only: merged
    assert _walk_is_cheap({1: 0}, [], 20)  # nothing written anywhere yet
    assert WALK_ROWS_LIMIT >= 1_000


def test_feed_cards_are_what_the_schema_gives():
    """The feeds write their cards as plain data; ``FeedOut`` must render exactly the same."""
    import json

    from django.test import RequestFactory
    from ninja.responses import NinjaJSONEncoder

    from ..api.feeds_schemas import FeedOut
    from ..selectors.feeds import home_feed
    from ..selectors.search import feed_cards_prime

    reader, expected = _home_world()
    quiz = make_space(members=(reader,))
    make_post(reader, quiz, kind="question", title="Pump or pens?", body="What **worked**?")
    make_post(reader, quiz, kind="poll", title="Which?", poll_options=["A", "B"])
    response = client_of(reader).get(FEED, {"limit": 50})
    assert response["Content-Type"] == "application/json; charset=utf-8"

    page = home_feed(reader, limit=50)
    feed_cards_prime(reader, page.items)
    request = RequestFactory().get(FEED)
    request.user = reader
    schema = FeedOut.model_validate(
        {"items": page.items, "next_cursor": page.next_cursor}, context={"request": request}
    )
    assert response.content.decode() == json.dumps(schema.model_dump(), cls=NinjaJSONEncoder)
    assert len(response.json()["items"]) == len(expected) + 2


def test_on_sqlite_the_walk_goes_down_the_feed_index():
    """SQLite would answer ``space_id IN (…) OR author_id IN (…)`` with a MULTI-INDEX OR and sort
    every post of every source; the walk must go down ``community_post_feed`` instead."""
    from django.db import connection

    from ..selectors import feeds

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner only")
    reader, _ = _home_world()
    posts = feeds._walked(reader, [1, 2, 3], [1, 2], [reader.pk + 1, reader.pk + 2])
    sql, params = posts[:21].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())

    assert "community_post_feed" in plan
    assert "MULTI-INDEX OR" not in plan
    assert "TEMP B-TREE" not in plan
