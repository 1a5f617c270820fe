"""Community test data: people of each network, spaces with members, posts through the service."""

from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from townsquare.accounts.models import Role, User
from townsquare.accounts.tests.factories import make_organization, make_user

from ..models import (
    CommunityProfile,
    Follow,
    MembershipRole,
    MembershipStatus,
    Space,
    SpaceCategory,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from ..services.profiles import profile_ensure

_sequence = itertools.count(1)


def make_employee(**fields: Any) -> User:
    """A health-care professional of a member organization: in the staff network."""
    person = make_user(roles=(Role.MEMBER,), **fields)
    organization = make_organization()
    organization.memberships.create(user=person, role="member")
    profile_ensure(person)
    return person


def make_patient(*, pseudonym: str = "", **fields: Any) -> User:
    person = make_user(roles=(Role.PATIENT,), profession="patient_or_caregiver", **fields)
    profile = profile_ensure(person)
    if pseudonym:
        profile.pseudonym = pseudonym
        profile.use_pseudonym = True
        profile.save(update_fields=["pseudonym", "use_pseudonym"])
    return person


def make_clinician(*, title: str = "Endocrinologist", **fields: Any) -> User:
    """A professional the center verified as a clinician: welcome in the patient community too."""
    person = make_employee(profession="physician", **fields)
    CommunityProfile.objects.filter(user=person).update(
        clinician_verified_at=timezone.now(), clinician_title=title
    )
    person.__dict__.pop("_community_profile", None)
    return person


def make_moderator(**fields: Any) -> User:
    person = make_user(roles=(Role.MODERATOR, Role.MEMBER), **fields)
    profile_ensure(person)
    return person


def make_space(
    *,
    kind: str = SpaceKind.STAFF,
    visibility: str = SpaceVisibility.OPEN,
    name: str | None = None,
    members: tuple[User, ...] = (),
    moderators: tuple[User, ...] = (),
    **fields: Any,
) -> Space:
    number = next(_sequence)
    name = name or f"Space {number}"
    fields.setdefault(
        "category",
        SpaceCategory.PATIENT_CARE if kind == SpaceKind.STAFF else SpaceCategory.CONDITION,
    )
    fields.setdefault("guidelines", "Be kind. Share your story, not medical advice.")
    space = Space.objects.create(
        kind=kind, visibility=visibility, name=name, slug=f"space-{number}", **fields
    )
    for person in moderators:
        join(person, space, role=MembershipRole.MODERATOR)
    for person in members:
        join(person, space)
    return space


def join(
    person: User,
    space: Space,
    *,
    role: str = MembershipRole.MEMBER,
    status: str = MembershipStatus.ACTIVE,
    follow: bool = True,
) -> SpaceMembership:
    """Put someone in a space directly (tests of other rules start from here)."""
    profile_ensure(person)
    membership, _ = SpaceMembership.objects.update_or_create(
        space=space,
        user=person,
        defaults={"role": role, "status": status, "guidelines_accepted_at": timezone.now()},
    )
    if status == MembershipStatus.ACTIVE:
        Space.objects.filter(pk=space.pk).update(
            member_count=SpaceMembership.objects.filter(
                space=space, status=MembershipStatus.ACTIVE
            ).count()
        )
        if follow:
            Follow.objects.get_or_create(follower=person, space=space)
    person.__dict__.pop("_community_memberships", None)
    person.__dict__.pop("_community_readable_space_ids", None)
    return membership


def make_post(author: User, space: Space, *, body: str = "", **fields: Any) -> Any:
    """A post written through the real service (the guard, counters, search and all)."""
    from ..services.publishing import post_create

    number = next(_sequence)
    return post_create(
        actor=author,
        space=space,
        body=body or f"Thoughts on shift handovers, part {number}.",
        **fields,
    ).obj


def make_comment(author: User, post: Any, *, body: str = "", **fields: Any) -> Any:
    from ..services.publishing import comment_create

    number = next(_sequence)
    return comment_create(
        actor=author, post=post, body=body or f"Agreed, and one more idea ({number}).", **fields
    ).obj
