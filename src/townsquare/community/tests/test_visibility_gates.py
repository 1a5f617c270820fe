"""``selectors/visibility.py`` answers for many rows what the gates of ``permissions.py`` answer for
one: for every kind of person, every standing in a space, every kind and visibility of space and
every state of a post or comment, the querysets hold exactly what the gates allow.

The table: 8 kinds of person x 7 standings (none, member, moderator, muted, invited, asked to
join, banned) x 7 spaces (staff and patient; open, private, invite-only; and an archived open
one) x posts and comments published, waiting, hidden, removed and deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import make_staff, make_user

from ..models import (
    Comment,
    ContentStatus,
    MembershipRole,
    MembershipStatus,
    Post,
    Space,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from ..permissions import (
    can_moderate_space,
    can_read_space,
    can_see_comment,
    can_see_post,
    can_see_real_identity,
    can_see_space,
)
from ..selectors.visibility import (
    comments_read_by,
    posts_read_by,
    readable_space_ids,
    spaces_read_by,
    spaces_seen_by,
)
from ..services.publishing import comment_unpublished, post_unpublished
from .factories import join, make_comment, make_employee, make_moderator, make_patient, make_post
from .factories import make_space as make_space_row
from .support_feeds import clinician, fresh

pytestmark = pytest.mark.django_db


def _inactive() -> User:
    person = make_employee()
    User.objects.filter(pk=person.pk).update(is_active=False)
    return fresh(person)


PERSON_KINDS: dict[str, Callable[[], User]] = {
    "no_network": make_user,  # a professional of no member organization
    "staff_network": make_employee,
    "patient": make_patient,
    "clinician": clinician,  # verified: both networks
    "platform_moderator": make_moderator,
    "center_staff": make_staff,
    "inactive": _inactive,
}

# How the person stands in every space: (role, status, muted).
STANDINGS: dict[str, tuple[str, str, bool] | None] = {
    "none": None,
    "member": (MembershipRole.MEMBER, MembershipStatus.ACTIVE, False),
    "moderator": (MembershipRole.MODERATOR, MembershipStatus.ACTIVE, False),
    "muted": (MembershipRole.MEMBER, MembershipStatus.ACTIVE, True),
    "invited": (MembershipRole.MEMBER, MembershipStatus.INVITED, False),
    "requested": (MembershipRole.MEMBER, MembershipStatus.REQUESTED, False),
    "banned": (MembershipRole.MEMBER, MembershipStatus.BANNED, False),
}

SPACE_SHAPES = [
    (kind, visibility, False)
    for kind in (SpaceKind.STAFF, SpaceKind.PATIENT)
    for visibility in (SpaceVisibility.OPEN, SpaceVisibility.PRIVATE, SpaceVisibility.INVITE_ONLY)
] + [
    (SpaceKind.STAFF, SpaceVisibility.OPEN, True),
    (SpaceKind.PATIENT, SpaceVisibility.PRIVATE, True),
]

UNPUBLISHED = [
    ContentStatus.PENDING,
    ContentStatus.HIDDEN,
    ContentStatus.REMOVED,
    ContentStatus.DELETED,
]


@dataclass
class Table:
    spaces: list[Space]
    posts: list[Post]
    comments: list[Comment]
    people: dict[str, User | AnonymousUser]


def _build_table(kind: str) -> Table:
    author = clinician(display_name="Ada Author")
    spaces: list[Space] = []
    posts: list[Post] = []
    comments: list[Comment] = []
    for index, (space_kind, visibility, archived) in enumerate(SPACE_SHAPES):
        space = make_space_row(kind=space_kind, visibility=visibility, members=(author,))
        spaces.append(space)
        live = make_post(author, space)
        posts.append(live)
        comments.append(make_comment(author, live))
        taken_down = make_comment(author, live)
        comment_unpublished(taken_down, status=UNPUBLISHED[index % len(UNPUBLISHED)])
        comments.append(taken_down)
        held = make_post(author, space)
        comments.append(make_comment(author, held))  # published, on a post taken down below
        post_unpublished(held, status=UNPUBLISHED[index % len(UNPUBLISHED)])
        posts.append(held)
        if archived:
            Space.objects.filter(pk=space.pk).update(archived_at=timezone.now())
    people: dict[str, User | AnonymousUser] = {"anonymous": AnonymousUser()}
    if kind != "anonymous":
        for standing, shape in STANDINGS.items():
            person = PERSON_KINDS[kind]()
            if shape is not None:
                role, status, muted = shape
                for space in spaces:
                    join(person, space, role=role, status=status, follow=False)
                if muted:
                    SpaceMembership.objects.filter(user=person).update(
                        muted_until=timezone.now() + timedelta(days=3)
                    )
            people[standing] = person
    return Table(
        [Space.objects.get(pk=space.pk) for space in spaces],
        [Post.objects.select_related("space").get(pk=post.pk) for post in posts],
        [Comment.objects.select_related("post__space").get(pk=c.pk) for c in comments],
        people,
    )


def _as_new_request(person: User | AnonymousUser) -> Any:
    return person if isinstance(person, AnonymousUser) else fresh(person)


def _moderates_without_reading(gate: Any, space: Space) -> bool:
    return can_moderate_space(gate, space) and not can_read_space(gate, space)


def _disagreements(table: Table) -> list[str]:
    found: list[str] = []
    for standing, person in table.people.items():
        seen = set(spaces_seen_by(_as_new_request(person)).values_list("pk", flat=True))
        read = set(spaces_read_by(_as_new_request(person)).values_list("pk", flat=True))
        read_ids = set(readable_space_ids(_as_new_request(person)))
        posts = set(posts_read_by(_as_new_request(person)).values_list("pk", flat=True))
        comments = set(comments_read_by(_as_new_request(person)).values_list("pk", flat=True))
        gate = _as_new_request(person)
        for space in table.spaces:
            archived = "/archived" if space.archived_at else ""
            where = f"{standing} in {space.kind}/{space.visibility}{archived}"
            if (space.pk in seen) != can_see_space(gate, space):
                found.append(f"{where}: spaces_seen_by={space.pk in seen}")
            if (space.pk in read) != can_read_space(gate, space):
                found.append(f"{where}: spaces_read_by={space.pk in read}")
            if read_ids != read:
                found.append(f"{where}: readable_space_ids differs from spaces_read_by")
        for post in table.posts:
            allowed = post.status == ContentStatus.PUBLISHED and can_see_post(gate, post)
            if (post.pk in posts) != allowed:
                found.append(
                    f"{standing}: post {post.status} in {post.space.kind}/{post.space.visibility}"
                    f": posts_read_by={post.pk in posts}, gate={allowed}"
                )
        for comment in table.comments:
            if _moderates_without_reading(gate, comment.post.space):
                continue  # see test_whoever_moderates_a_space_may_read_it (a known gate bug)
            allowed = (
                comment.status == ContentStatus.PUBLISHED
                and comment.post.status == ContentStatus.PUBLISHED
                and can_see_comment(gate, comment)
            )
            if (comment.pk in comments) != allowed:
                found.append(
                    f"{standing}: comment {comment.status} on post {comment.post.status} in "
                    f"{comment.post.space.kind}/{comment.post.space.visibility}: "
                    f"comments_read_by={comment.pk in comments}, gate={allowed}"
                )
    return found


@pytest.mark.parametrize("kind", ["anonymous", *PERSON_KINDS])
def test_visibility_selectors_agree_with_the_gates(kind):
    table = _build_table(kind)

    assert _disagreements(table) == []


def test_the_table_covers_both_answers_of_every_gate():
    """The table is not vacuous: each gate says yes and no somewhere in it."""
    table = _build_table("clinician")
    member, stranger = (
        _as_new_request(table.people["member"]),
        _as_new_request(table.people["none"]),
    )
    banned = _as_new_request(table.people["banned"])
    private_patient = table.spaces[4]
    assert (private_patient.kind, private_patient.visibility) == (
        SpaceKind.PATIENT,
        SpaceVisibility.PRIVATE,
    )
    assert can_read_space(member, private_patient) is True
    assert can_read_space(stranger, private_patient) is False
    assert can_see_space(stranger, private_patient) is True
    assert can_see_space(stranger, table.spaces[5]) is False  # patient invite-only
    assert can_see_space(banned, table.spaces[5]) is False
    assert can_read_space(banned, table.spaces[3]) is False  # patient open, banned there
    readable_by_member = set(posts_read_by(member).values_list("pk", flat=True))
    assert readable_by_member == {
        post.pk for post in table.posts if post.status == ContentStatus.PUBLISHED
    }
    assert len(readable_by_member) == len(SPACE_SHAPES)


@pytest.mark.parametrize(
    ("kind", "standing", "space_kind"),
    [
        ("patient", "moderator", SpaceKind.STAFF),  # a moderator row outside the network
        ("staff_network", "moderator", SpaceKind.PATIENT),  # e.g. a clinician since unverified
        ("platform_moderator", "banned", SpaceKind.STAFF),
        ("center_staff", "banned", SpaceKind.PATIENT),
    ],
)
def test_whoever_moderates_a_space_may_read_it(kind, standing, space_kind):
    person = PERSON_KINDS[kind]()
    space = make_space_row(kind=space_kind, visibility=SpaceVisibility.PRIVATE)
    role, status, _muted = STANDINGS[standing] or ("", "", False)
    join(person, space, role=role, status=status, follow=False)
    writer = make_patient(pseudonym="HiddenOwl") if space_kind == SpaceKind.PATIENT else None
    gate = fresh(person)

    assert can_read_space(gate, space) is False
    # Whoever may not read the space may not moderate it, see its comments or who writes there.
    assert can_moderate_space(gate, space) is False
    if writer is not None:
        assert can_see_real_identity(gate, space, writer) is False
