"""Polls: one ballot per person (a second vote changes nothing), single or multiple choice,
closed polls, results that never say who chose what, and the vote race on PostgreSQL."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed

from ..models import Poll, PollBallot, PollOption, Post, PostKind
from ..selectors.posts import poll_view
from ..services.posts import poll_vote
from .factories import join, make_employee, make_post
from .support_posts import staff_cast

pytestmark = pytest.mark.django_db


def make_poll(author, space, *, multiple: bool = False, options=("Early", "Late", "Night")):
    return make_post(
        author,
        space,
        kind=PostKind.POLL,
        title="Which shift suits the huddle?",
        body="",
        poll_options=list(options),
        poll_allows_multiple=multiple,
    )


def option_ids(post: Post) -> list[int]:
    return list(
        PollOption.objects.filter(poll__post=post).order_by("position").values_list("pk", flat=True)
    )


def tally(post: Post) -> tuple[int, list[int]]:
    poll = Poll.objects.get(post=post)
    return poll.voter_count, list(
        poll.options.order_by("position").values_list("vote_count", flat=True)
    )


def test_a_member_votes_once_and_the_counts_move():
    cast = staff_cast()
    post = make_poll(cast.author, cast.space)
    early, late, _night = option_ids(post)
    ballot = poll_vote(actor=cast.colleague, post=post, option_ids=[late])
    assert list(ballot.options.values_list("pk", flat=True)) == [late]
    poll_vote(actor=cast.author, post=post, option_ids=[late])
    assert tally(post) == (2, [0, 2, 0])


def test_voting_twice_is_a_clear_error_and_changes_nothing():
    cast = staff_cast()
    post = make_poll(cast.author, cast.space)
    early, late, _night = option_ids(post)
    poll_vote(actor=cast.colleague, post=post, option_ids=[early])
    with pytest.raises(Conflict) as caught:
        poll_vote(actor=cast.colleague, post=post, option_ids=[late])
    assert caught.value.message == "You have already voted in this poll; a vote cannot be changed."
    assert tally(post) == (1, [1, 0, 0])
    assert PollBallot.objects.count() == 1


def test_a_single_choice_poll_takes_one_option():
    cast = staff_cast()
    post = make_poll(cast.author, cast.space)
    early, late, _night = option_ids(post)
    with pytest.raises(ValidationFailed) as caught:
        poll_vote(actor=cast.colleague, post=post, option_ids=[early, late])
    assert caught.value.message == "This poll takes one choice."
    assert tally(post) == (0, [0, 0, 0])


def test_a_multiple_choice_poll_counts_each_chosen_option_and_the_voter_once():
    cast = staff_cast()
    post = make_poll(cast.author, cast.space, multiple=True)
    early, late, night = option_ids(post)
    poll_vote(actor=cast.colleague, post=post, option_ids=[early, night, early])
    assert tally(post) == (1, [1, 0, 1])


@pytest.mark.parametrize("choice", ["none", "other poll", "unknown"])
def test_options_must_be_this_polls(choice):
    cast = staff_cast()
    post = make_poll(cast.author, cast.space)
    other = make_poll(cast.author, cast.space, options=("A", "B"))
    chosen = {"none": [], "other poll": option_ids(other)[:1], "unknown": [10**9]}[choice]
    with pytest.raises(ValidationFailed):
        poll_vote(actor=cast.colleague, post=post, option_ids=chosen)
    assert PollBallot.objects.count() == 0


def test_a_closed_poll_refuses_votes():
    cast = staff_cast()
    post = make_poll(cast.author, cast.space)
    Poll.objects.filter(post=post).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(Conflict) as caught:
        poll_vote(actor=cast.colleague, post=post, option_ids=option_ids(post)[:1])
    assert caught.value.message == "This poll is closed."
    assert tally(post) == (0, [0, 0, 0])


@pytest.mark.parametrize("who", ["outsider", "not a poll"])
def test_only_members_vote_and_only_in_polls(who):
    cast = staff_cast()
    post = make_poll(cast.author, cast.space)
    if who == "not a poll":
        discussion = make_post(cast.author, cast.space)
        with pytest.raises(PermissionRefused):
            poll_vote(actor=cast.colleague, post=discussion, option_ids=option_ids(post)[:1])
    else:
        with pytest.raises(PermissionRefused):
            poll_vote(actor=cast.outsider, post=post, option_ids=option_ids(post)[:1])
    assert PollBallot.objects.count() == 0


def test_a_muted_member_still_votes():
    cast = staff_cast()
    post = make_poll(cast.author, cast.space)
    membership = join(cast.colleague, cast.space)
    membership.muted_until = timezone.now() + datetime.timedelta(days=1)
    membership.save(update_fields=["muted_until"])
    cast.colleague.__dict__.pop("_community_memberships", None)
    poll_vote(actor=cast.colleague, post=post, option_ids=option_ids(post)[:1])
    assert tally(post)[0] == 1


def test_results_show_after_voting_and_to_those_who_cannot_vote():
    cast = staff_cast()
    post = make_poll(cast.author, cast.space)
    early = option_ids(post)[0]
    before = poll_view(cast.colleague, post)
    assert before is not None
    assert (before.can_vote, before.show_results, before.has_voted) == (True, False, False)
    poll_vote(actor=cast.colleague, post=post, option_ids=[early])
    post = Post.objects.select_related("poll").get(pk=post.pk)
    after = poll_view(cast.colleague, post)
    assert after is not None
    assert (after.can_vote, after.show_results, after.has_voted) == (False, True, True)
    assert [(r.votes, r.percent, r.chosen) for r in after.options] == [
        (1, 100, True),
        (0, 0, False),
        (0, 0, False),
    ]
    outsider_view = poll_view(cast.outsider, post)
    assert outsider_view is not None
    assert (outsider_view.can_vote, outsider_view.show_results) == (False, True)
    assert not any(result.chosen for result in outsider_view.options)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a database server")
@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_vote_and_a_crowd_are_counted_exactly():
    cast = staff_cast()
    post = make_poll(cast.author, cast.space)
    early = option_ids(post)[0]
    crowd = [make_employee() for _ in range(6)]
    for person in crowd:
        join(person, cast.space)
    outcomes: list[str] = []
    start = threading.Barrier(len(crowd) + 4)

    def vote(person):
        from django.db import connections

        try:
            start.wait()
            fresh = Post.objects.select_related("space").get(pk=post.pk)
            poll_vote(actor=person, post=fresh, option_ids=[early])
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=vote, args=(cast.colleague,)) for _ in range(4)]
    threads += [threading.Thread(target=vote, args=(person,)) for person in crowd]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["conflict"] * 3 + ["ok"] * 7
    assert tally(post) == (7, [7, 0, 0])
    assert PollBallot.objects.filter(user=cast.colleague).count() == 1
