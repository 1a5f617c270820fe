"""Community API: spaces and memberships, mounted at /api/v1/community/.

The directory lists only the spaces the caller may know exist; an invite-only space the caller is
not invited to is a 404 everywhere. Joining takes the guidelines accepted in the body; leaving,
withdrawing a request and declining an invitation are all ``DELETE .../membership``.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from ninja import Path, Query, Status
from ninja.pagination import paginate

from townsquare.accounts.http import AuthenticatedHttpRequest
from townsquare.accounts.models import Organization
from townsquare.core.errors import ValidationFailed
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import Pagination
from townsquare.notifications.services import scope_level_of

from ..models import Space, SpaceMembership
from ..selectors import spaces as selectors
from ..services import spaces as services
from .router import router
from .spaces_schemas import (
    DecisionIn,
    DecisionOut,
    InvitationIn,
    MemberFilterIn,
    MemberOut,
    MembershipIn,
    MembershipOut,
    PersonOut,
    RemovalQueryIn,
    RoleIn,
    SpaceDetailOut,
    SpaceFilterIn,
    SpaceIn,
    SpaceOut,
    SpacePatchIn,
)

SpaceId = Path(..., ge=1, le=MAX_OBJECT_ID)
MembershipId = Path(..., ge=1, le=MAX_OBJECT_ID)


def _organization(organization_id: int | None) -> Organization | None:
    if organization_id is None:
        return None
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None:
        message = "No organization with this id."
        raise ValidationFailed(message, field_errors={"organization_id": [message]})
    return organization


def _detail(request: AuthenticatedHttpRequest, space: Space) -> Space:
    """The space with the caller's standing in it and its moderators (set on the instance, never
    saved, for ``SpaceDetailOut`` to read)."""
    viewer = request.user
    standing = selectors.standing_of(viewer, space)
    moderators = selectors.member_rows(
        viewer=viewer, space=space, memberships=selectors.space_moderators(space)
    )
    extra = {
        "viewer_status": standing.status,
        "viewer_role": standing.role,
        "moderators": [PersonOut.from_label(row.label) for row in moderators],
        "can_read": standing.can_read,
        "can_join": standing.can_join,
        "can_leave": standing.can_leave,
        "can_post": standing.can_post,
        "can_manage": standing.can_manage,
        "notification_level": scope_level_of(viewer, space.scope) if standing.can_read else "",
    }
    for name, value in extra.items():
        setattr(space, name, value)
    return space


def _space(request: AuthenticatedHttpRequest, space_id: int) -> Space:
    return selectors.space_get_by_id(viewer=request.user, space_id=space_id)


def _managed(request: AuthenticatedHttpRequest, space_id: int) -> Space:
    return selectors.space_for_managing(viewer=request.user, space=_space(request, space_id))


def _membership(space: Space, membership_id: int) -> SpaceMembership:
    return selectors.membership_for_managing(space=space, membership_id=membership_id)


# --- Spaces ----------------------------------------------------------------------------------


@router.get(
    "/spaces",
    response=list[SpaceOut],
    summary="The spaces I may know exist (both networks as permitted), with my status in each",
)
@paginate(Pagination)
def spaces_list(request: AuthenticatedHttpRequest, filters: Query[SpaceFilterIn]) -> Any:
    return selectors.space_list(
        viewer=request.user,
        filters=selectors.SpaceFilters(
            kind=filters.kind or "",
            category=filters.category or "",
            mine=filters.mine,
            query=filters.q.strip(),
            archived=filters.archived,
        ),
    )


@router.post(
    "/spaces",
    response={201: SpaceDetailOut},
    summary="Open a space (I become its moderator); the slug is made from the name",
)
def spaces_create(request: AuthenticatedHttpRequest, payload: SpaceIn) -> Status:
    space = services.space_create(
        actor=request.user,
        kind=payload.kind,
        name=payload.name,
        category=payload.category,
        visibility=payload.visibility,
        description=payload.description,
        guidelines=payload.guidelines,
        requires_approval=payload.requires_approval,
        organization=_organization(payload.organization_id),
        request=request,
    )
    space = selectors.space_get_by_id(viewer=request.user, space_id=space.pk)
    return Status(201, _detail(request, space))


@router.get(
    "/spaces/{space_id}",
    response=SpaceDetailOut,
    summary="One space: its guidelines, moderators, and what I may do there",
)
def spaces_get(request: AuthenticatedHttpRequest, space_id: int = SpaceId) -> Any:
    return _detail(request, _space(request, space_id))


@router.patch(
    "/spaces/{space_id}",
    response=SpaceDetailOut,
    summary="Change a space (its moderators and center staff); archived=true makes it read only",
)
def spaces_update(
    request: AuthenticatedHttpRequest, payload: SpacePatchIn, space_id: int = SpaceId
) -> Any:
    space = _managed(request, space_id)
    sent = payload.model_dump(exclude_unset=True)
    archived = sent.pop("archived", None)
    fields = {name: value for name, value in sent.items() if name != "organization_id"}
    if "organization_id" in sent:
        fields["organization"] = _organization(sent["organization_id"])
    for name in ("name", "category", "visibility", "requires_approval"):
        if name in fields and fields[name] is None:
            message = "Send a value, or leave the field out to keep it."
            raise ValidationFailed(message, field_errors={name: [message]})
    fields = {
        name: ("" if value is None else value) if name in {"description", "guidelines"} else value
        for name, value in fields.items()
    }
    if fields:
        services.space_update(actor=request.user, space=space, fields=fields, request=request)
    if archived is not None and (space.archived_at is not None) != archived:
        services.space_archive(actor=request.user, space=space, archived=archived, request=request)
    return _detail(request, _space(request, space_id))


# --- Members ---------------------------------------------------------------------------------


@router.get(
    "/spaces/{space_id}/members",
    response=list[MemberOut],
    summary="A space's members, moderators first (moderators also list requests, invitations "
    "and bans with status=); pseudonymous members by their pseudonym",
)
@paginate(Pagination)
def spaces_members(
    request: AuthenticatedHttpRequest,
    filters: Query[MemberFilterIn],
    space_id: int = SpaceId,
) -> Any:
    space = _space(request, space_id)
    status = filters.status.value if filters.status else ""
    return selectors.space_members(viewer=request.user, space=space, status=status).select_related(
        "space"
    )


@router.post(
    "/spaces/{space_id}/membership",
    response={201: MembershipOut},
    summary="Join (open), ask to join (private) or accept an invitation, accepting the "
    "guidelines; status says active or requested",
)
def spaces_join(
    request: AuthenticatedHttpRequest, payload: MembershipIn, space_id: int = SpaceId
) -> Status:
    space = _space(request, space_id)
    membership = services.membership_join(
        actor=request.user,
        space=space,
        accept_guidelines=payload.accept_guidelines,
        request=request,
    )
    return Status(
        201,
        {
            "id": membership.pk,
            "space_id": space.pk,
            "status": membership.status,
            "role": membership.role,
        },
    )


@router.delete(
    "/spaces/{space_id}/membership",
    response={204: None},
    summary="Leave the space, withdraw my request to join, or decline my invitation",
)
def spaces_leave(request: AuthenticatedHttpRequest, space_id: int = SpaceId) -> Status:
    space = _space(request, space_id)
    services.membership_leave(actor=request.user, space=space, request=request)
    return Status(204, None)


@router.post(
    "/spaces/{space_id}/invitations",
    response={201: MemberOut},
    summary="Invite someone by email or @handle (moderators; only people of the space's network)",
)
def spaces_invite(
    request: AuthenticatedHttpRequest, payload: InvitationIn, space_id: int = SpaceId
) -> Status:
    space = _managed(request, space_id)
    membership = services.membership_invite(
        actor=request.user, space=space, who=payload.who, request=request
    )
    membership = (
        selectors.memberships_of(space, membership.status)
        .select_related("space")
        .get(pk=membership.pk)
    )
    return Status(201, membership)


@router.post(
    "/spaces/{space_id}/members/{membership_id}/decision",
    response=DecisionOut,
    summary="Approve or decline a request to join (moderators)",
)
def spaces_decide(
    request: AuthenticatedHttpRequest,
    payload: DecisionIn,
    space_id: int = SpaceId,
    membership_id: int = MembershipId,
) -> Any:
    space = _managed(request, space_id)
    membership = _membership(space, membership_id)
    approve = payload.decision == "approve"
    services.membership_decide(
        actor=request.user, membership=membership, approve=approve, request=request
    )
    return {
        "membership_id": membership_id,
        "decision": payload.decision,
        "status": "active" if approve else "declined",
    }


@router.put(
    "/spaces/{space_id}/members/{membership_id}/role",
    response=MemberOut,
    summary="Appoint a member as moderator, or dismiss one (moderators)",
)
def spaces_member_role(
    request: AuthenticatedHttpRequest,
    payload: RoleIn,
    space_id: int = SpaceId,
    membership_id: int = MembershipId,
) -> Any:
    space = _managed(request, space_id)
    membership = _membership(space, membership_id)
    services.moderator_set(
        actor=request.user,
        membership=membership,
        is_moderator=payload.role == "moderator",
        request=request,
    )
    return (
        selectors.memberships_of(space, membership.status)
        .select_related("space")
        .get(pk=membership.pk)
    )


@router.delete(
    "/spaces/{space_id}/members/{membership_id}",
    response={204: None},
    summary="Remove a member or take back an invitation (moderators); the person is told why",
)
def spaces_member_remove(
    request: AuthenticatedHttpRequest,
    removal: Query[RemovalQueryIn],
    space_id: int = SpaceId,
    membership_id: int = MembershipId,
) -> Status:
    space = _managed(request, space_id)
    membership = _membership(space, membership_id)
    services.member_remove(
        actor=request.user, membership=membership, reason=removal.reason, request=request
    )
    return Status(204, None)
