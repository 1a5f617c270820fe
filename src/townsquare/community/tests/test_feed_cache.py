"""The kept first page of the home feed (``feed_cache``): served while it is exactly what would be
built, and never once anything it shows, or may show, has changed.

Each test reads the feed once (so the page is kept), changes one thing through the real service,
and reads again: the second read must be what a fresh build gives.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import TestCase

from townsquare.accounts import services as accounts
from townsquare.accounts.models import Role
from townsquare.accounts.tests.factories import make_staff

from .. import feed_cache
from ..api import feeds as feeds_api
from ..models import CommunityProfile, Follow, SpaceVisibility
from ..selectors.feeds import FeedSources, home_feed, home_feed_head, home_feed_sources
from ..services.moderation import person_ban
from ..services.people import follow_person, follow_space, unfollow_space
from ..services.posts import post_edit, reaction_add
from ..services.publishing import post_unpublished
from ..services.spaces import membership_leave, space_update
from .factories import join, make_comment, make_employee, make_patient, make_post, make_space
from .support_feeds import client_of, fresh, item_ids

pytestmark = pytest.mark.django_db

FEED = "/api/v1/community/feed"


def _reader_and_space(**space_fields):
    reader = make_employee(display_name="Rae Reader")
    writer = make_employee(display_name="Wyn Writer")
    space = make_space(members=(reader, writer), **space_fields)
    return fresh(reader), fresh(writer), space


def _read(client, **params):
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response


def _kept(reader, limit: int = 20) -> bool:
    return cache.get(f"community:feed:page:v1:{reader.pk}:{limit}") is not None


def test_the_first_page_is_kept_and_served_again_unchanged(django_assert_num_queries):
    reader, writer, space = _reader_and_space()
    make_post(writer, space, body="Handover checklists, again.")
    client = client_of(reader)

    first = _read(client)
    assert _kept(reader)
    with django_assert_num_queries(3):  # the session, the user, the page's head
        again = _read(client)

    assert again.content == first.content


def test_later_pages_are_not_kept():
    reader, writer, space = _reader_and_space()
    for number in range(3):
        make_post(writer, space, body=f"Note {number}.")
    client = client_of(reader)

    cursor = _read(client, limit=1).json()["next_cursor"]
    cache.clear()
    _read(client, limit=1, cursor=cursor)

    assert not _kept(reader, limit=1)


def test_a_new_post_shows_at_once():
    reader, writer, space = _reader_and_space()
    make_post(writer, space, body="First.")
    client = client_of(reader)
    _read(client)

    new = make_post(writer, space, body="Second.")

    assert item_ids(_read(client))[0] == new.pk


def test_a_hidden_post_is_gone_at_once():
    reader, writer, space = _reader_and_space()
    post = make_post(writer, space, body="It names a patient by mistake.")
    client = client_of(reader)
    assert item_ids(_read(client)) == [post.pk]

    post_unpublished(post, status="hidden", reason="A patient's name.")

    assert item_ids(_read(client)) == []


def test_an_edit_shows_at_once():
    reader, writer, space = _reader_and_space()
    post = make_post(writer, space, body="Room 12 had a fall.")
    client = client_of(reader)
    _read(client)

    post_edit(actor=writer, post=post, title="", body="A fall on the ward; lessons learned.")

    assert _read(client).json()["items"][0]["body"] == "A fall on the ward; lessons learned."


def test_comments_and_reactions_change_the_counts_at_once():
    reader, writer, space = _reader_and_space()
    post = make_post(writer, space, body="What helps at handover?")
    client = client_of(reader)
    _read(client)

    make_comment(reader, post, body="A written checklist.")
    reaction_add(actor=reader, target=post, kind="like")

    card = _read(client).json()["items"][0]
    assert (card["comment_count"], card["reaction_count"]) == (1, 1)


def test_unfollowing_and_following_a_space_change_the_page_at_once():
    reader, writer, space = _reader_and_space()
    post = make_post(writer, space, body="Shift notes.")
    client = client_of(reader)
    assert item_ids(_read(client)) == [post.pk]

    unfollow_space(actor=reader, space=space)
    assert item_ids(_read(client)) == []

    follow_space(actor=fresh(reader), space=space)
    assert item_ids(_read(client)) == [post.pk]


def test_leaving_a_private_space_takes_its_posts_away_at_once():
    reader, writer, space = _reader_and_space(visibility=SpaceVisibility.PRIVATE)
    make_post(writer, space, body="Inside the private space.")
    client = client_of(reader)
    assert len(item_ids(_read(client))) == 1

    membership_leave(actor=reader, space=space)

    assert item_ids(_read(client)) == []


def test_a_ban_takes_the_space_away_at_once():
    # The reader follows the writer, not the space: only the ban itself (a membership written
    # with ``update``, no signal) can tell the kept page that the space is no longer readable.
    reader, writer, space = _reader_and_space(visibility=SpaceVisibility.PRIVATE)
    unfollow_space(actor=reader, space=space)
    follow_person(actor=fresh(reader), person=writer)
    make_post(writer, space, body="Inside the private space.")
    moderator = make_staff()
    client = client_of(fresh(reader))
    assert len(item_ids(_read(client))) == 1

    person_ban(actor=moderator, space=space, person=reader, reason="Shared a patient's photo.")

    assert item_ids(_read(client)) == []


def test_a_space_made_private_leaves_the_feeds_of_those_outside_it():
    outsider = make_employee(display_name="Otto Outside")
    writer = make_employee(display_name="Wyn Writer")
    space = make_space(members=(writer,))
    join(outsider, space)
    post = make_post(writer, space, body="Open to all, for now.")
    membership_leave(actor=fresh(outsider), space=space)  # still follows? no: leaving unfollows
    follow_space(actor=fresh(outsider), space=space)  # an open space can be followed from outside
    client = client_of(fresh(outsider))
    assert item_ids(_read(client)) == [post.pk]

    space_update(actor=make_staff(), space=space, fields={"visibility": SpaceVisibility.PRIVATE})

    assert item_ids(_read(client)) == []


def test_a_renamed_author_shows_the_new_name_at_once():
    reader, writer, space = _reader_and_space()
    make_post(writer, space, body="Shift notes.")
    client = client_of(reader)
    assert _read(client).json()["items"][0]["author"]["name"] == "Wyn Writer"

    accounts.profile_update(actor=writer, person=writer, changes={"display_name": "Wyn Wright"})

    assert _read(client).json()["items"][0]["author"]["name"] == "Wyn Wright"


def test_a_reader_who_loses_the_community_is_refused_not_served_the_kept_page():
    reader, writer, space = _reader_and_space()
    make_post(writer, space, body="Shift notes.")
    client = client_of(reader)
    _read(client)

    reader.memberships.all().delete()  # no member organization any more: not in the staff network

    assert client.get(FEED).status_code == 403


def test_a_role_change_drops_the_kept_page():
    reader, writer, space = _reader_and_space()
    make_post(writer, space, body="Shift notes.")
    client = client_of(reader)
    _read(client)
    token = cache.get(f"community:feed:reader:{reader.pk}")

    accounts.role_grant(actor=make_staff(), person=reader, role=Role.STAFF)

    assert cache.get(f"community:feed:reader:{reader.pk}") != token


def test_a_lost_token_means_a_fresh_build_never_a_stale_page():
    reader, writer, space = _reader_and_space()
    post = make_post(writer, space, body="First.")
    client = client_of(reader)
    _read(client)
    cache.delete(f"community:feed:reader:{reader.pk}")
    cache.delete("community:feed:structure")

    assert item_ids(_read(client)) == [post.pk]
    assert _kept(reader)


def test_a_token_is_bumped_again_when_the_change_commits():
    reader, _, _ = _reader_and_space()
    key = f"community:feed:reader:{reader.pk}"

    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        feed_cache.reader_changed(reader.pk)
        during = cache.get(key)
    assert during is not None
    for callback in callbacks:
        callback()

    # A page built from the uncommitted change would carry ``during``: it is not served after.
    assert cache.get(key) not in {None, during}


def test_signing_in_does_not_drop_kept_pages():
    reader, writer, space = _reader_and_space()
    make_post(writer, space, body="Shift notes.")
    _read(client_of(reader))
    structure = cache.get("community:feed:structure")

    writer.save(update_fields=["last_login"])

    assert cache.get("community:feed:structure") == structure


@pytest.mark.parametrize("walk", [True, False])
def test_the_head_is_the_page_the_reader_would_get(walk):
    """``home_feed_head`` (plain SQL for the walk on PostgreSQL) reads the same posts as
    ``home_feed``: followed spaces and people, the reader's own, nothing from a space the reader
    may not read."""
    reader, writer, space = _reader_and_space()
    private = make_space(visibility=SpaceVisibility.PRIVATE, members=(writer,))
    quiet = make_space(members=(reader,))
    follow_person(actor=reader, person=writer)
    make_post(writer, space, body="In a followed space.")
    make_post(writer, private, body="Where the reader may not read.")
    make_post(reader, quiet, body="The reader's own.")
    elsewhere = make_space(members=(writer,))
    make_post(writer, elsewhere, body="By a followed person, in an open space.")
    for number in range(4):
        make_post(writer, space, body=f"More {number}.")
    reader = fresh(reader)
    sources = home_feed_sources(reader, limit=3)
    assert sources is not None
    sources = FeedSources(sources.readable, sources.spaces, sources.authors, walk)

    head = home_feed_head(reader, sources, limit=3)
    page = home_feed(reader, limit=3, sources=sources)
    every = home_feed(reader, limit=50, sources=sources).items

    assert len(head) == 4  # one more than the page: whether there is a next page
    assert [row[0] for row in head] == [post.pk for post in every[:4]]
    assert [row[0] for row in head[:3]] == [post.pk for post in page.items]
    assert head[0][1:] == (
        page.items[0].updated_at,
        page.items[0].edited_at,
        page.items[0].comment_count,
        page.items[0].reaction_count,
        page.items[0].accepted_comment_id,
    )
    bodies = {post.body for post in every}
    assert "Where the reader may not read." not in bodies
    assert {"The reader's own.", "By a followed person, in an open space."} <= bodies


@pytest.mark.parametrize("walk", [True, False])
def test_the_head_leaves_out_what_a_followed_person_wrote_under_a_pseudonym(walk):
    reader = make_patient(pseudonym="Wren")
    writer = make_patient(pseudonym="Heron")
    group = make_space(kind="patient", members=(reader, writer))
    unfollow_space(actor=reader, space=group)
    # A follow of the person by name, from before (patients cannot find each other by name now).
    Follow.objects.create(follower=reader, followed_user=writer)
    CommunityProfile.objects.filter(user=writer).update(use_pseudonym=True)
    make_post(writer, group, body="Under my pseudonym.")
    CommunityProfile.objects.filter(user=writer).update(use_pseudonym=False)
    named = make_post(writer, group, body="Under my name.")
    reader = fresh(reader)
    found = home_feed_sources(reader)
    assert found is not None
    sources = FeedSources(found.readable, found.spaces, found.authors, walk)

    assert [row[0] for row in home_feed_head(reader, sources)] == [named.pk]
    assert [post.pk for post in home_feed(reader, sources=sources).items] == [named.pk]


def test_a_change_committed_while_the_page_is_built_is_not_hidden_by_it(monkeypatch):
    """No stamp yet (a first read, or the cache lost it); a follow commits while the page is being
    built from what was read before it. The page must not be kept under the follow's own stamp."""
    reader, writer, space = _reader_and_space()
    make_post(writer, space, body="Shift notes.")
    client = client_of(reader)
    real_sources = feeds_api.home_feed_sources

    def sources_then_a_change(viewer, **kwargs):
        found = real_sources(viewer, **kwargs)
        feed_cache.reader_changed(viewer.pk)  # what a concurrent follow's commit does
        return found

    cache.delete_many([f"community:feed:reader:{reader.pk}", "community:feed:structure"])
    monkeypatch.setattr(feeds_api, "home_feed_sources", sources_then_a_change)
    _read(client)
    monkeypatch.undo()

    lookup = feed_cache.first_page(reader, 20, feeds_api._head_of(reader, 20))
    assert lookup.body is None
