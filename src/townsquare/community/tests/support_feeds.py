"""Test helpers of the feeds area: posts that reach search (their indexing runs after commit),
a world of every kind of person around a private space, and page/API shortcuts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.test import Client, TestCase

from townsquare.accounts.models import User
from townsquare.accounts.tests.factories import make_staff, make_user

from ..models import (
    Comment,
    Follow,
    MembershipRole,
    MembershipStatus,
    Post,
    Space,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from .factories import (
    join,
    make_clinician,
    make_comment,
    make_employee,
    make_moderator,
    make_patient,
    make_post,
    make_space,
)


@contextmanager
def committed() -> Iterator[None]:
    """Run what the code under test leaves for after the commit (search indexing) at the end."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def post_indexed(author: User, space: Space, **fields: Any) -> Post:
    """A post through the real publishing service, indexed for search."""
    with committed():
        return make_post(author, space, **fields)


def comment_indexed(author: User, post: Post, **fields: Any) -> Comment:
    with committed():
        return make_comment(author, post, **fields)


def client_of(person: User | None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def fresh(person: User) -> User:
    """The person as a new request sees them (no answers cached on the object)."""
    return User.objects.get(pk=person.pk)


def item_ids(response: Any) -> list[int]:
    return [item["id"] for item in response.json()["items"]]


# Who looks at a private space from outside it, and who looks from inside.
OUTSIDERS = (
    "staff_network",
    "patient",
    "clinician",
    "invited",
    "requested",
    "banned",
    "left",
    "moderator_elsewhere",
    "no_network",
)
INSIDERS = ("member", "space_moderator", "platform_moderator", "center_staff")


@dataclass
class PrivateWorld:
    """A private space of each network with published posts, comments, a pseudonymous post (in
    the patient group), a tag and a rare word; people of every kind outside and inside; and an
    open space of each network with posts of the same author, to show the feeds work for all."""

    staff_space: Space
    patient_space: Space
    open_staff: Space
    open_patient: Space
    author: User  # an employee and verified clinician: writes in both private spaces
    patient_author: User  # writes under a pseudonym in the private patient group
    private_posts: list[Post]
    private_comments: list[Comment]
    open_posts: list[Post]
    people: dict[str, User] = field(default_factory=dict)

    SECRET = "zebrafishsecret"
    TAG = "secrettag"

    def private_ids(self) -> set[int]:
        return {post.pk for post in self.private_posts}


def clinician(**fields: Any) -> User:
    """A verified clinician, loaded afresh: ``factories.make_clinician`` returns the user with the
    profile cached from before the verification (``permissions.profile_of``), so the object it
    returns is not yet welcome in the patient community."""
    return fresh(make_clinician(**fields))


def make_private_world() -> PrivateWorld:
    author = clinician(display_name="Ada Author")
    patient_author = make_patient(display_name="Paula Private", pseudonym="QuietHeron")
    staff_space = make_space(visibility=SpaceVisibility.PRIVATE, name="Oncology nurses")
    patient_space = make_space(
        kind=SpaceKind.PATIENT, visibility=SpaceVisibility.PRIVATE, name="Rare condition circle"
    )
    open_staff = make_space(name="Open staff lounge")
    open_patient = make_space(kind=SpaceKind.PATIENT, name="Open patient lounge")
    for space in (staff_space, patient_space, open_staff, open_patient):
        join(author, space)
    join(patient_author, patient_space)
    join(patient_author, open_patient)

    # Clinicians take part in both networks, so only the space's own rule keeps them out.
    people: dict[str, User] = {
        "staff_network": make_employee(display_name="Sam Staffnet"),
        "patient": make_patient(display_name="Pia Patient"),
        "clinician": clinician(display_name="Cal Clinician"),
        "invited": clinician(display_name="Ivy Invited"),
        "requested": clinician(display_name="Rex Requested"),
        "banned": clinician(display_name="Bo Banned"),
        "left": clinician(display_name="Lee Left"),
        "moderator_elsewhere": clinician(display_name="Mia Modelsewhere"),
        "no_network": make_user(display_name="Nico Nonetwork"),
        "member": clinician(display_name="Mel Member"),
        "space_moderator": clinician(display_name="Moe Spacemod"),
        "platform_moderator": make_moderator(display_name="Pam Platformmod"),
        "center_staff": make_staff(display_name="Cy Centerstaff"),
    }
    for space in (open_staff, open_patient):
        join(people["moderator_elsewhere"], space, role=MembershipRole.MODERATOR)
    for space in (staff_space, patient_space):
        join(people["invited"], space, status=MembershipStatus.INVITED)
        join(people["requested"], space, status=MembershipStatus.REQUESTED)
        join(people["banned"], space, status=MembershipStatus.BANNED)
        join(people["left"], space)
        join(people["member"], space)
        join(people["space_moderator"], space, role=MembershipRole.MODERATOR)
    # Everyone follows all four spaces and both authors (a follow is no permission to read).
    for person in people.values():
        for space in (open_staff, open_patient, staff_space, patient_space):
            Follow.objects.get_or_create(follower=person, space=space)
        Follow.objects.get_or_create(follower=person, followed_user=author)
        Follow.objects.get_or_create(follower=person, followed_user=patient_author)

    tag, secret = PrivateWorld.TAG, PrivateWorld.SECRET
    private_posts = [
        post_indexed(
            author, staff_space, title="Handover notes", body=f"The {secret} plan #{tag} here."
        ),
        post_indexed(author, patient_space, body=f"Clinician view on {secret} #{tag}."),
        post_indexed(patient_author, patient_space, body=f"My own {secret} story #{tag}."),
    ]
    private_comments = [
        comment_indexed(author, private_posts[0], body=f"Comment about {secret} too."),
        comment_indexed(patient_author, private_posts[1], body=f"Thanks, {secret} helps."),
    ]
    open_posts = [
        post_indexed(author, open_staff, body="Open news for the staff network #opentag."),
        post_indexed(author, open_patient, body="Open news for the patient lounge #opentag."),
    ]
    # "left" was a member when the posts were written, and has left since.
    SpaceMembership.objects.filter(user=people["left"]).delete()
    return PrivateWorld(
        staff_space,
        patient_space,
        open_staff,
        open_patient,
        author,
        patient_author,
        private_posts,
        private_comments,
        open_posts,
        people,
    )
