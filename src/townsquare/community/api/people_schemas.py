"""Schemas of the people API. No `from __future__ import annotations` here."""

from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from ..models import CommunityProfile, Follow
from ..services.people import PSEUDONYM_MAX


def _viewer(context: Any) -> Any:
    request = context.get("request") if context else None
    return getattr(request, "user", None)


class PersonOut(Schema):
    """A community profile as the viewer may see it. ``pseudonym`` is only given to the person
    and to those who may know who writes behind it (center staff, platform moderators)."""

    id: int
    handle: str
    name: str
    title: str
    verified_clinician: bool
    clinician_title: str
    pseudonym: str | None
    is_me: bool
    is_following: bool
    may_follow: bool
    follower_count: int
    following_people_count: int
    following_space_count: int
    url: str


class FollowedPersonOut(Schema):
    id: int
    handle: str
    name: str
    verified_clinician: bool
    clinician_title: str
    is_active: bool


class FollowedSpaceOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    is_readable: bool


class FollowOut(Schema):
    id: int
    kind: Literal["person", "space"]
    person: FollowedPersonOut | None
    space: FollowedSpaceOut | None
    created_at: datetime

    @staticmethod
    def resolve_kind(obj: Follow) -> str:
        return "person" if obj.followed_user_id else "space"

    @staticmethod
    def resolve_person(obj: Follow) -> dict[str, Any] | None:
        person = obj.followed_user
        if person is None:
            return None
        profile = getattr(person, "community_profile", None)
        verified = bool(profile and profile.is_verified_clinician)
        return {
            "id": person.pk,
            "handle": profile.handle if profile else "",
            "name": person.display_name,
            "verified_clinician": verified,
            "clinician_title": profile.clinician_title if profile and verified else "",
            "is_active": person.is_active,
        }

    @staticmethod
    def resolve_space(obj: Follow, context: dict[str, Any]) -> dict[str, Any] | None:
        from ..selectors.visibility import readable_space_ids

        space = obj.space
        if space is None:
            return None
        return {
            "id": space.pk,
            "slug": space.slug,
            "name": space.name,
            "kind": space.kind,
            "is_readable": space.pk in readable_space_ids(_viewer(context)),
        }


class FollowResultOut(Schema):
    following: bool
    created: bool
    follow: FollowOut


class ProfileOut(Schema):
    handle: str
    pseudonym: str
    use_pseudonym: bool
    may_use_pseudonym: bool
    verified_clinician: bool
    clinician_title: str
    url: str

    @staticmethod
    def resolve_may_use_pseudonym(obj: CommunityProfile) -> bool:
        from ..permissions import in_patient_community

        return in_patient_community(obj.user)

    @staticmethod
    def resolve_verified_clinician(obj: CommunityProfile) -> bool:
        return obj.is_verified_clinician

    @staticmethod
    def resolve_url(obj: CommunityProfile) -> str:
        return reverse("community:person_detail", args=[obj.handle])


class ProfileIn(Schema):
    handle: str = Field(..., max_length=31, description="1 to 30 letters, digits, . _ or -")
    pseudonym: str = Field(
        "",
        max_length=PSEUDONYM_MAX,
        description="Shown instead of your name in the patient community (blank: none).",
    )
    use_pseudonym: bool = False
