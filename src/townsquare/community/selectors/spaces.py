"""Reads for the spaces pages and API: the directory, one space with the viewer's standing in it,
its moderators, and its members (named as the viewer may see them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Value

from townsquare.core.errors import NotFound, PermissionRefused

from ..display import AuthorLabel, author_label
from ..models import (
    CommunityProfile,
    MembershipRole,
    MembershipStatus,
    Space,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from ..permissions import (
    can_join_space,
    can_leave_space,
    can_manage_space,
    can_post_in,
    can_read_space,
    can_see_space,
    membership_of,
)
from .visibility import spaces_seen_by

MINE_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.INVITED, MembershipStatus.REQUESTED)


@dataclass(frozen=True)
class SpaceFilters:
    kind: str = ""
    category: str = ""
    mine: bool = False
    query: str = ""
    archived: bool = False


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def space_list(*, viewer: Any, filters: SpaceFilters | None = None) -> QuerySet[Space]:
    """The directory: the spaces the viewer may know exist, with the viewer's own status and role
    in each (``viewer_status``, ``viewer_role``; blank where they have none). Archived spaces only
    with ``filters.archived``."""
    filters = filters or SpaceFilters()
    spaces = spaces_seen_by(viewer).filter(archived_at__isnull=not filters.archived)
    if filters.kind:
        spaces = spaces.filter(kind=filters.kind)
    if filters.category:
        spaces = spaces.filter(category=filters.category)
    if filters.query:
        spaces = spaces.filter(
            Q(name__icontains=filters.query) | Q(description__icontains=filters.query)
        )
    if _signed_in(viewer):
        mine = SpaceMembership.objects.filter(space=OuterRef("pk"), user=viewer)
        spaces = spaces.annotate(
            viewer_status=Subquery(mine.values("status")[:1]),
            viewer_role=Subquery(mine.values("role")[:1]),
        )
        if filters.mine:
            spaces = spaces.filter(
                pk__in=SpaceMembership.objects.filter(user=viewer, status__in=MINE_STATUSES).values(
                    "space_id"
                )
            )
    else:
        spaces = spaces.annotate(
            viewer_status=Value("", output_field=CharField()),
            viewer_role=Value("", output_field=CharField()),
        )
        if filters.mine:
            spaces = spaces.none()
    return spaces.order_by("name", "pk")


def _space_or_404(viewer: Any, space: Space | None) -> Space:
    if space is None or not can_see_space(viewer, space):
        raise NotFound("There is no such space, or you may not see it.")
    return space


def space_get(*, viewer: Any, slug: str) -> Space:
    """The space with this slug, if the viewer may know it exists (else NotFound)."""
    space = Space.objects.select_related("organization").filter(slug=slug).first()
    return _space_or_404(viewer, space)


def space_get_by_id(*, viewer: Any, space_id: int) -> Space:
    space = Space.objects.select_related("organization").filter(pk=space_id).first()
    return _space_or_404(viewer, space)


def space_for_managing(*, viewer: Any, space: Space) -> Space:
    if not can_manage_space(viewer, space):
        raise PermissionRefused("Only the space's moderators and center staff manage it.")
    return space


def space_for_members(*, viewer: Any, space: Space) -> Space:
    """Who belongs to a space is for those who may read it (and its managers)."""
    if not (can_read_space(viewer, space) or can_manage_space(viewer, space)):
        raise PermissionRefused("The member list is for the space's members.")
    return space


@dataclass(frozen=True)
class SpaceStanding:
    """The viewer's place in a space, and what the space page offers them."""

    membership: SpaceMembership | None
    status: str
    role: str
    can_read: bool
    can_join: bool
    can_leave: bool
    can_post: bool
    can_manage: bool
    is_invited: bool
    has_requested: bool
    is_banned: bool

    @property
    def is_member(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_moderator(self) -> bool:
        return self.is_member and self.role == MembershipRole.MODERATOR


def standing_of(viewer: Any, space: Space) -> SpaceStanding:
    membership = membership_of(viewer, space)
    status = membership.status if membership else ""
    return SpaceStanding(
        membership=membership,
        status=status,
        role=membership.role if membership else "",
        can_read=can_read_space(viewer, space),
        can_join=can_join_space(viewer, space),
        can_leave=can_leave_space(viewer, space),
        can_post=can_post_in(viewer, space),
        can_manage=can_manage_space(viewer, space),
        is_invited=status == MembershipStatus.INVITED,
        has_requested=status == MembershipStatus.REQUESTED,
        is_banned=status == MembershipStatus.BANNED,
    )


# --- Members ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    """One membership as the viewer may see it: the name (a pseudonym in the patient community,
    with the real identity only for those allowed) and, for managers, what they may do."""

    membership: SpaceMembership
    label: AuthorLabel
    is_you: bool

    @property
    def pk(self) -> int:
        return self.membership.pk

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def status(self) -> str:
        return self.membership.status

    @property
    def is_moderator(self) -> bool:
        return self.membership.role == MembershipRole.MODERATOR

    @property
    def user_id(self) -> int | None:
        """The person's account id, hidden behind a pseudonym from those who may not know it."""
        if self.label.pseudonymous and not self.label.real_name:
            return None
        return self.membership.user_id


def _uses_pseudonym(space: Space, user: Any) -> bool:
    if space.kind != SpaceKind.PATIENT:
        return False
    try:
        profile = user.community_profile
    except CommunityProfile.DoesNotExist:
        return False
    return bool(profile.use_pseudonym and profile.pseudonym)


def member_row(*, viewer: Any, space: Space, membership: SpaceMembership) -> MemberRow:
    label = author_label(
        author=membership.user,
        as_pseudonym=_uses_pseudonym(space, membership.user),
        space=space,
        viewer=viewer,
    )
    return MemberRow(membership, label, membership.user_id == getattr(viewer, "pk", None))


def member_rows(*, viewer: Any, space: Space, memberships: Any) -> list[MemberRow]:
    return [member_row(viewer=viewer, space=space, membership=item) for item in memberships]


def memberships_of(space: Space, *statuses: str) -> QuerySet[SpaceMembership]:
    """Memberships with what naming them needs (no query per row): moderators first."""
    return (
        SpaceMembership.objects.filter(space=space, status__in=statuses)
        .select_related("user__community_profile", "invited_by")
        .order_by("-role", "user__display_name", "pk")
    )


def visible_statuses(viewer: Any, space: Space, status: str = "") -> tuple[str, ...]:
    """Members for everyone who may see the list; requests, invitations and bans for managers."""
    allowed: tuple[str, ...] = (MembershipStatus.ACTIVE.value,)
    if can_manage_space(viewer, space):
        allowed = tuple(MembershipStatus.values)
    if status:
        if status not in allowed:
            raise PermissionRefused("Only the space's moderators see requests and invitations.")
        return (status,)
    return (MembershipStatus.ACTIVE.value,)


def space_members(*, viewer: Any, space: Space, status: str = "") -> QuerySet[SpaceMembership]:
    """A space's memberships of one status (members by default) for the viewer (checked)."""
    space_for_members(viewer=viewer, space=space)
    return memberships_of(space, *visible_statuses(viewer, space, status))


def membership_for_managing(*, space: Space, membership_id: int) -> SpaceMembership:
    membership = (
        SpaceMembership.objects.filter(pk=membership_id, space=space)
        .select_related("user", "space")
        .first()
    )
    if membership is None:
        raise NotFound("No such member of this space.")
    return membership


def space_moderators(space: Space) -> list[SpaceMembership]:
    return list(
        memberships_of(space, MembershipStatus.ACTIVE).filter(role=MembershipRole.MODERATOR)
    )


def describe_visibility(space: Space) -> str:
    return {
        SpaceVisibility.OPEN: "Open",
        SpaceVisibility.PRIVATE: "Private",
        SpaceVisibility.INVITE_ONLY: "Invite only",
    }[SpaceVisibility(space.visibility)]
