"""Community API: people (mounted at /api/v1/community/): a profile by @handle, follows of people
and spaces, and my own community profile.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any, Literal

from django.urls import reverse
from ninja import Path, Query, Status
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.core.errors import PermissionRefused
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import Pagination

from ..models import CommunityProfile, Follow
from ..permissions import can_follow_person, can_see_real_identity
from ..permissions_people import can_edit_community_profile
from ..selectors import people as selectors
from ..services import people as services
from ..services.profiles import profile_ensure
from .people_schemas import FollowOut, FollowResultOut, PersonOut, ProfileIn, ProfileOut
from .router import router

Handle = Path(..., min_length=1, max_length=40, description="The @handle, with or without the @")
SpaceId = Path(..., ge=1, le=MAX_OBJECT_ID)


def _person_out(request: AuthenticatedHttpRequest, profile: CommunityProfile) -> dict[str, Any]:
    viewer = request.user
    person = profile.user
    stats = selectors.follow_stats(viewer=viewer, person=person)
    verified = profile.is_verified_clinician
    return {
        "id": person.pk,
        "handle": profile.handle,
        "name": person.display_name,
        "title": person.title,
        "verified_clinician": verified,
        "clinician_title": profile.clinician_title if verified else "",
        "pseudonym": (profile.pseudonym or None)
        if can_see_real_identity(viewer, None, person)
        else None,
        "is_me": viewer.pk == person.pk,
        "is_following": stats.is_followed_by_viewer,
        "may_follow": can_follow_person(viewer, person),
        "follower_count": stats.followers,
        "following_people_count": stats.following_people,
        "following_space_count": stats.following_spaces,
        "url": reverse("community:person_detail", args=[profile.handle]),
    }


def _follow_loaded(follow: Follow) -> Follow:
    return selectors.follow_list(user=follow.follower).get(pk=follow.pk)


@router.get(
    "/people/{handle}",
    response=PersonOut,
    summary="A person's community profile (404 for a handle you may not see)",
)
def people_get(request: AuthenticatedHttpRequest, handle: str = Handle) -> Any:
    profile = selectors.person_get(viewer=request.user, handle=handle)
    return _person_out(request, profile)


@router.post(
    "/people/{handle}/follow",
    response={200: FollowResultOut, 201: FollowResultOut},
    summary="Follow a person (201 new, 200 already followed); they are notified once",
)
def people_follow(request: AuthenticatedHttpRequest, handle: str = Handle) -> Status:
    profile = selectors.person_get(viewer=request.user, handle=handle)
    result = services.follow_person(actor=request.user, person=profile.user)
    body = {"following": True, "created": result.created, "follow": _follow_loaded(result.follow)}
    return Status(201 if result.created else 200, body)


@router.delete(
    "/people/{handle}/follow",
    response={204: None},
    summary="Stop following a person (also someone you may no longer see)",
)
def people_unfollow(request: AuthenticatedHttpRequest, handle: str = Handle) -> Status:
    profile = selectors.person_for_unfollow(viewer=request.user, handle=handle)
    services.unfollow_person(actor=request.user, person=profile.user)
    return Status(204, None)


@router.post(
    "/spaces/{space_id}/follow",
    response={200: FollowResultOut, 201: FollowResultOut},
    summary="Follow a space you may read: its posts reach your home feed (201 new, 200 already)",
)
def spaces_follow(request: AuthenticatedHttpRequest, space_id: int = SpaceId) -> Status:
    space = selectors.space_for_follow(viewer=request.user, space_id=space_id)
    result = services.follow_space(actor=request.user, space=space)
    body = {"following": True, "created": result.created, "follow": _follow_loaded(result.follow)}
    return Status(201 if result.created else 200, body)


@router.delete(
    "/spaces/{space_id}/follow",
    response={204: None},
    summary="Stop following a space (membership and notification settings stay)",
)
def spaces_unfollow(request: AuthenticatedHttpRequest, space_id: int = SpaceId) -> Status:
    space = selectors.space_for_unfollow(viewer=request.user, space_id=space_id)
    services.unfollow_space(actor=request.user, space=space)
    return Status(204, None)


@router.get(
    "/follows",
    response=list[FollowOut],
    summary="People and spaces I follow, newest first (kind=person|space narrows it)",
)
@paginate(Pagination)
def follows_list(
    request: AuthenticatedHttpRequest,
    kind: Literal["person", "space", ""] = Query("", description="person, space or blank"),
) -> Any:
    _check_takes_part(request)
    return selectors.follow_list(user=request.user, kind=kind)


def _check_takes_part(request: AuthenticatedHttpRequest) -> None:
    if not can_edit_community_profile(request.user):
        raise PermissionRefused(
            "The community is for staff of member organizations, patients and caregivers, and "
            "verified clinicians; your account does not take part in it."
        )


def _my_profile(request: AuthenticatedHttpRequest) -> CommunityProfile:
    _check_takes_part(request)
    profile = profile_ensure(request.user)
    profile.user = request.user
    return profile


@router.get("/profile", response=ProfileOut, summary="My community profile: handle, pseudonym")
def profile_get(request: AuthenticatedHttpRequest) -> Any:
    return _my_profile(request)


@router.put(
    "/profile",
    response=ProfileOut,
    summary="Change my handle and pseudonym (unique whatever the case; 422 with what to fix)",
)
def profile_put(request: AuthenticatedHttpRequest, payload: ProfileIn) -> Any:
    _check_takes_part(request)
    updated = services.profile_update(
        actor=request.user,
        handle=payload.handle,
        pseudonym=payload.pseudonym,
        use_pseudonym=payload.use_pseudonym,
    )
    updated.user = request.user
    return updated
