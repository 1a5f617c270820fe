"""Two moderators deciding at the same moment, in two threads with their own connections.

The race runs on PostgreSQL, where a second transaction really runs beside the first (on SQLite
every write transaction is ``BEGIN IMMEDIATE``, so writers queue for the whole database; the
stale-object tests in ``test_moderation_services.py`` cover the same rules there).

As pretix proves its quotas, the race is also run with the row lock switched off: both threads
then read the held post as held and both decisions apply (an approval and a rejection of the same
post), so we know the race is real and the locked run could fail.
"""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from townsquare.core.errors import Conflict
from townsquare.core.testing.races import run_at_once

from ..models import ContentStatus, Flag, ModerationAction, Post, SpaceMembership
from ..services import moderation as services
from .factories import join, make_employee
from .support_moderation import held_post, live_post, staff_scene

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("TOWNSQUARE_TEST_DATABASE_URL"),
        reason="the race runs on PostgreSQL (SQLite serializes every writer)",
    ),
]

PAUSE = 0.3  # seconds between reading the row and writing, in both runs


def _with_pause(monkeypatch: pytest.MonkeyPatch, *, locked: bool) -> None:
    """Widen the window between reading the row and writing; without ``locked``, read it the way
    a service without the lock would (a plain read of the state it saw)."""
    real = services._lock_in_state

    def read_then_pause(target: Any, statuses: Any) -> list[Any]:
        if locked:
            rows = real(target, statuses)
        else:
            model = type(target)
            related = ("space", "author") if model is Post else ("post__space", "author")
            rows = list(
                model.objects.filter(pk=target.pk, status__in=statuses).select_related(*related)
            )
        time.sleep(PAUSE)
        return rows

    monkeypatch.setattr(services, "_lock_in_state", read_then_pause)


def _approve_and_reject_at_once(monkeypatch: pytest.MonkeyPatch, *, locked: bool):
    scene = staff_scene(requires_approval=True)
    second = make_employee()
    join(second, scene.space, role="moderator")
    post = held_post(scene)
    _with_pause(monkeypatch, locked=locked)
    results = run_at_once(
        lambda: services.content_approve(
            actor=scene.moderator, target=Post.objects.get(pk=post.pk)
        ),
        lambda: services.content_reject(
            actor=second, target=Post.objects.get(pk=post.pk), reason="Off topic."
        ),
    )
    return scene, post, results


def test_an_approval_and_a_rejection_at_once_apply_exactly_one(monkeypatch):
    scene, post, results = _approve_and_reject_at_once(monkeypatch, locked=True)

    conflicts = [result for result in results if isinstance(result, Conflict)]
    decided = [result for result in results if isinstance(result, ModerationAction)]
    assert (len(conflicts), len(decided)) == (1, 1), results
    [action] = ModerationAction.objects.all()
    post = Post.objects.get(pk=post.pk)
    expected = ContentStatus.PUBLISHED if action.action == "approve" else ContentStatus.REMOVED
    assert post.status == expected
    space_posts = type(scene.space).objects.get(pk=scene.space.pk).post_count
    assert space_posts == (1 if action.action == "approve" else 0)


def test_without_the_lock_both_decisions_apply(monkeypatch):
    _scene, _post, results = _approve_and_reject_at_once(monkeypatch, locked=False)

    assert all(isinstance(result, ModerationAction) for result in results), results
    assert sorted(ModerationAction.objects.values_list("action", flat=True)) == [
        "approve",
        "reject",
    ]


def test_the_same_person_flagging_twice_at_once_keeps_one_flag():
    scene = staff_scene()
    post = live_post(scene)

    results = run_at_once(
        lambda: services.flag_create(
            actor=scene.reader, target=Post.objects.get(pk=post.pk), reason="harassment"
        ),
        lambda: services.flag_create(
            actor=scene.reader, target=Post.objects.get(pk=post.pk), reason="off_topic"
        ),
    )

    assert sorted(type(result).__name__ for result in results) == ["Conflict", "Flag"], results
    assert Flag.objects.count() == 1


def test_two_moderators_muting_at_once_mute_once():
    scene = staff_scene()
    second = make_employee()
    join(second, scene.space, role="moderator")

    results = run_at_once(
        lambda: services.person_mute(
            actor=scene.moderator, space=scene.space, person=scene.author, days=3, reason="A."
        ),
        lambda: services.person_mute(
            actor=second, space=scene.space, person=scene.author, days=9, reason="B."
        ),
    )

    assert sorted(type(result).__name__ for result in results) == [
        "Conflict",
        "ModerationAction",
    ], results
    assert ModerationAction.objects.filter(action="mute").count() == 1
    membership = SpaceMembership.objects.get(space=scene.space, user=scene.author)
    [winner] = [result for result in results if isinstance(result, ModerationAction)]
    assert membership.muted_until == winner.until
