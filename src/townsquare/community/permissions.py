"""Who may see or do what in the community. Every community page, endpoint and selector asks these.

Two networks share the machinery:

- The **staff network** (``kind=staff``) is for staff of member organizations: people with a
  professional role who belong to an organization, plus center staff and moderators.
- The **patient community** (``kind=patient``) welcomes patients and caregivers, clinicians the
  center has verified, and moderators.

Center staff and people with the platform moderator role moderate every space; a space's own
moderators moderate that space. Answers are cached on the user object for the request.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from townsquare.accounts.models import Role
from townsquare.accounts.permissions import (
    can_view_profile,
    has_role,
    is_center_staff,
    is_professional,
)

from .models import (
    Comment,
    CommunityProfile,
    ContentStatus,
    MembershipRole,
    MembershipStatus,
    Post,
    PostKind,
    Space,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _cached(user: Any, key: str, compute: Any) -> Any:
    if key not in user.__dict__:
        user.__dict__[key] = compute()
    return user.__dict__[key]


def is_global_moderator(user: Any) -> bool:
    """Center staff and platform moderators moderate every space."""
    return is_center_staff(user) or (_signed_in(user) and has_role(user, Role.MODERATOR))


def profile_of(user: Any) -> CommunityProfile | None:
    if not _signed_in(user):
        return None
    return _cached(
        user,
        "_community_profile",
        lambda: CommunityProfile.objects.filter(user=user).first(),
    )


def is_verified_clinician(user: Any) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.is_verified_clinician


def in_staff_network(user: Any) -> bool:
    if not _signed_in(user):
        return False
    if is_global_moderator(user):
        return True
    if not is_professional(user):
        return False
    return _cached(user, "_community_has_organization", lambda: user.memberships.exists())


def in_patient_community(user: Any) -> bool:
    if not _signed_in(user):
        return False
    return is_global_moderator(user) or has_role(user, Role.PATIENT) or is_verified_clinician(user)


def may_use_kind(user: Any, kind: str) -> bool:
    return in_staff_network(user) if kind == SpaceKind.STAFF else in_patient_community(user)


def membership_of(user: Any, space: Space) -> SpaceMembership | None:
    """The person's membership row in the space (any status), read once per request."""
    if not _signed_in(user):
        return None
    cache: dict[int, SpaceMembership | None] = user.__dict__.setdefault(
        "_community_memberships", {}
    )
    if space.pk not in cache:
        cache[space.pk] = SpaceMembership.objects.filter(space=space, user=user).first()
    return cache[space.pk]


def remember_membership(user: Any, space: Space, membership: SpaceMembership | None) -> None:
    """Prime or reset the per-request cache (selectors that load memberships in bulk use it)."""
    if _signed_in(user):
        user.__dict__.setdefault("_community_memberships", {})[space.pk] = membership
        user.__dict__.pop("_community_readable_space_ids", None)


def is_active_member(user: Any, space: Space) -> bool:
    membership = membership_of(user, space)
    return membership is not None and membership.status == MembershipStatus.ACTIVE


def is_banned(user: Any, space: Space) -> bool:
    membership = membership_of(user, space)
    return membership is not None and membership.status == MembershipStatus.BANNED


def is_muted(user: Any, space: Space) -> bool:
    membership = membership_of(user, space)
    return bool(
        membership is not None
        and membership.muted_until is not None
        and membership.muted_until > timezone.now()
    )


def is_space_moderator(user: Any, space: Space) -> bool:
    """Moderates the space: never someone who may not read it (unverified since, or banned)."""
    if not may_use_kind(user, space.kind) or is_banned(user, space):
        return False
    if is_global_moderator(user):
        return True
    membership = membership_of(user, space)
    return (
        membership is not None
        and membership.status == MembershipStatus.ACTIVE
        and membership.role == MembershipRole.MODERATOR
    )


# --- Spaces ----------------------------------------------------------------------------------


def can_see_space(user: Any, space: Space) -> bool:
    """May know the space exists: its name, description and guidelines."""
    if not may_use_kind(user, space.kind):
        return False
    if space.visibility != SpaceVisibility.INVITE_ONLY or is_global_moderator(user):
        return True
    membership = membership_of(user, space)
    return membership is not None and membership.status in (
        MembershipStatus.ACTIVE,
        MembershipStatus.INVITED,
    )


def can_read_space(user: Any, space: Space) -> bool:
    """May read its posts and comments."""
    if not may_use_kind(user, space.kind) or is_banned(user, space):
        return False
    if is_global_moderator(user) or space.visibility == SpaceVisibility.OPEN:
        return True
    return is_active_member(user, space)


def can_join_space(user: Any, space: Space) -> bool:
    """May join at once (open), ask to join (private) or accept an invitation (invite only)."""
    if space.archived_at is not None or not can_see_space(user, space):
        return False
    membership = membership_of(user, space)
    if membership is None:
        return space.visibility != SpaceVisibility.INVITE_ONLY
    return membership.status == MembershipStatus.INVITED


def can_leave_space(user: Any, space: Space) -> bool:
    return is_active_member(user, space)


def can_post_in(user: Any, space: Space) -> bool:
    return (
        space.archived_at is None
        and may_use_kind(user, space.kind)
        and is_active_member(user, space)
        and not is_muted(user, space)
    )


def can_react_in(user: Any, space: Space) -> bool:
    """Reactions and poll votes: members, even muted ones (muting stops posting, not reading)."""
    return (
        space.archived_at is None
        and may_use_kind(user, space.kind)
        and is_active_member(user, space)
    )


def can_create_space(user: Any, kind: str) -> bool:
    """Staff-network members open staff spaces; staff and moderators open patient groups."""
    if kind == SpaceKind.STAFF:
        return in_staff_network(user)
    return is_global_moderator(user)


def can_manage_space(user: Any, space: Space) -> bool:
    """Edit the space, its guidelines, invitations, join requests and moderators."""
    return is_space_moderator(user, space)


def can_moderate_space(user: Any, space: Space) -> bool:
    return is_space_moderator(user, space)


def can_see_real_identity(user: Any, space: Space | None, person: Any) -> bool:
    """Behind a pseudonym: the person themselves, moderators of the space, center staff."""
    if not _signed_in(user):
        return False
    if user.pk == getattr(person, "pk", person):
        return True
    if space is not None:
        return is_space_moderator(user, space)
    return is_global_moderator(user)


def can_verify_clinicians(user: Any) -> bool:
    return is_center_staff(user)


# --- Posts and comments ----------------------------------------------------------------------


def can_see_post(user: Any, post: Post) -> bool:
    if not can_read_space(user, post.space):
        return False
    if post.status == ContentStatus.PUBLISHED:
        return True
    if post.status == ContentStatus.DELETED:
        return False
    # Waiting, hidden or removed: its author (who sees why) and the moderators.
    return (_signed_in(user) and post.author_id == user.pk) or can_moderate_space(user, post.space)


def can_edit_post(user: Any, post: Post) -> bool:
    return (
        _signed_in(user)
        and post.author_id == user.pk
        and post.status in (ContentStatus.PUBLISHED, ContentStatus.PENDING, ContentStatus.HIDDEN)
        and can_post_in(user, post.space)
    )


def can_delete_post(user: Any, post: Post) -> bool:
    return (
        _signed_in(user)
        and post.author_id == user.pk
        and post.status not in (ContentStatus.DELETED, ContentStatus.REMOVED)
    )


def can_comment_on(user: Any, post: Post) -> bool:
    return post.status == ContentStatus.PUBLISHED and can_post_in(user, post.space)


def can_react_to_post(user: Any, post: Post) -> bool:
    return post.status == ContentStatus.PUBLISHED and can_react_in(user, post.space)


def can_vote_in(user: Any, post: Post) -> bool:
    return post.kind == PostKind.POLL and can_react_to_post(user, post)


def can_accept_answer(user: Any, post: Post) -> bool:
    return (
        post.kind == PostKind.QUESTION
        and post.status == ContentStatus.PUBLISHED
        and _signed_in(user)
        and (post.author_id == user.pk or can_moderate_space(user, post.space))
    )


def can_flag_post(user: Any, post: Post) -> bool:
    return (
        post.status == ContentStatus.PUBLISHED
        and _signed_in(user)
        and post.author_id != user.pk
        and can_read_space(user, post.space)
    )


def can_see_comment(user: Any, comment: Comment) -> bool:
    post = comment.post
    if not can_read_space(user, post.space):
        return False
    if post.status != ContentStatus.PUBLISHED:
        return comment.status != ContentStatus.DELETED and can_moderate_space(user, post.space)
    if comment.status == ContentStatus.PUBLISHED:
        return True
    if comment.status == ContentStatus.DELETED:
        return False
    return (_signed_in(user) and comment.author_id == user.pk) or can_moderate_space(
        user, post.space
    )


def can_edit_comment(user: Any, comment: Comment) -> bool:
    return (
        _signed_in(user)
        and comment.author_id == user.pk
        and comment.status in (ContentStatus.PUBLISHED, ContentStatus.PENDING, ContentStatus.HIDDEN)
        and can_post_in(user, comment.post.space)
    )


def can_delete_comment(user: Any, comment: Comment) -> bool:
    return (
        _signed_in(user)
        and comment.author_id == user.pk
        and comment.status not in (ContentStatus.DELETED, ContentStatus.REMOVED)
    )


def can_react_to_comment(user: Any, comment: Comment) -> bool:
    return (
        comment.status == ContentStatus.PUBLISHED
        and comment.post.status == ContentStatus.PUBLISHED
        and can_react_in(user, comment.post.space)
    )


def can_flag_comment(user: Any, comment: Comment) -> bool:
    return (
        comment.status == ContentStatus.PUBLISHED
        and comment.post.status == ContentStatus.PUBLISHED
        and _signed_in(user)
        and comment.author_id != user.pk
        and can_read_space(user, comment.post.space)
    )


# --- People ----------------------------------------------------------------------------------


def can_use_community(user: Any) -> bool:
    return in_staff_network(user) or in_patient_community(user)


def can_follow_space(user: Any, space: Space) -> bool:
    return can_read_space(user, space)


def can_follow_person(user: Any, person: Any) -> bool:
    return (
        _signed_in(user)
        and user.pk != person.pk
        and can_use_community(user)
        and can_view_profile(user, person)
    )
