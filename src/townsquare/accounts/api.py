"""The accounts API, mounted at /api/v1/accounts/.

No `from __future__ import annotations` here: django-ninja reads the annotations at import time.
"""

from typing import Any

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from townsquare.core.errors import NotFound
from townsquare.core.models import MAX_OBJECT_ID
from townsquare.core.pagination import Pagination

from . import selectors, services
from .http import AuthenticatedHttpRequest
from .models import Organization, OrganizationKind, Profession
from .schemas import (
    InvitationIn,
    InvitationOut,
    MemberIn,
    MemberOut,
    MemberRoleIn,
    MeOut,
    OrganizationIn,
    OrganizationOut,
    PersonDetailOut,
    PersonOut,
    ProfileIn,
)

router = Router(tags=["accounts"])


@router.get("/me", response=MeOut, summary="The signed-in person")
def me_get(request: AuthenticatedHttpRequest) -> Any:
    return request.user


@router.patch("/me", response=MeOut, summary="Update your profile")
def me_update(request: AuthenticatedHttpRequest, payload: ProfileIn) -> Any:
    changes = payload.dict(exclude_unset=True)
    if "primary_organization_id" in changes:
        organization_id = changes.pop("primary_organization_id")
        changes["primary_organization"] = (
            selectors.organization_get(organization_id=organization_id) if organization_id else None
        )
    services.profile_update(
        actor=request.user,
        person=request.user,
        changes=changes,
        request=request,
    )
    return request.user


class PeopleFilter(Schema):
    q: str = ""
    profession: Profession | None = None
    organization_id: int | None = Field(None, ge=1, le=MAX_OBJECT_ID)


@router.get("/people", response=list[PersonOut], summary="The people directory, with search")
@paginate(Pagination)
def people_list(request: AuthenticatedHttpRequest, filters: Query[PeopleFilter]) -> Any:
    return selectors.person_list(
        viewer=request.user,
        query=filters.q,
        profession=filters.profession or "",
        organization_id=filters.organization_id,
    )


@router.get("/people/{person_id}", response=PersonDetailOut)
def people_get(request: AuthenticatedHttpRequest, person_id: int) -> Any:
    return selectors.person_get(viewer=request.user, person_id=person_id)


class OrganizationFilter(Schema):
    q: str = ""
    kind: OrganizationKind | None = None
    country: str = ""


@router.get("/organizations", response=list[OrganizationOut], summary="Organizations")
@paginate(Pagination)
def organizations_list(
    request: AuthenticatedHttpRequest, filters: Query[OrganizationFilter]
) -> Any:
    return selectors.organization_list(
        query=filters.q, kind=filters.kind or "", country=filters.country
    )


@router.post("/organizations", response={201: OrganizationOut}, summary="Create (center staff)")
def organizations_create(request: AuthenticatedHttpRequest, payload: OrganizationIn) -> Status:
    organization = services.organization_create(
        actor=request.user,
        request=request,
        **payload.dict(),
    )
    return Status(201, organization)


def _organization(organization_id: int) -> Organization:
    return selectors.organization_get(organization_id=organization_id)


@router.get("/organizations/{organization_id}", response=OrganizationOut)
def organizations_get(request: AuthenticatedHttpRequest, organization_id: int) -> Any:
    return _organization(organization_id)


@router.get("/organizations/{organization_id}/members", response=list[MemberOut])
@paginate(Pagination)
def members_list(request: AuthenticatedHttpRequest, organization_id: int) -> Any:
    return selectors.membership_list(
        viewer=request.user, organization=_organization(organization_id)
    )


@router.post("/organizations/{organization_id}/members", response={201: MemberOut})
def members_add(
    request: AuthenticatedHttpRequest, organization_id: int, payload: MemberIn
) -> Status:
    membership = services.membership_add(
        actor=request.user,
        organization=_organization(organization_id),
        email=payload.email,
        role=payload.role,
        request=request,
    )
    return Status(201, membership)


def _membership(organization_id: int, membership_id: int) -> Any:
    organization = _organization(organization_id)
    membership = (
        organization.memberships.select_related("user", "organization")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound("No such membership in this organization.")
    return membership


@router.patch("/organizations/{organization_id}/members/{membership_id}", response=MemberOut)
def members_update(
    request: AuthenticatedHttpRequest,
    organization_id: int,
    membership_id: int,
    payload: MemberRoleIn,
) -> Any:
    return services.membership_change_role(
        actor=request.user,
        membership=_membership(organization_id, membership_id),
        role=payload.role,
        request=request,
    )


@router.delete("/organizations/{organization_id}/members/{membership_id}", response={204: None})
def members_remove(
    request: AuthenticatedHttpRequest, organization_id: int, membership_id: int
) -> Status:
    services.membership_remove(
        actor=request.user,
        membership=_membership(organization_id, membership_id),
        request=request,
    )
    return Status(204, None)


@router.get("/organizations/{organization_id}/invitations", response=list[InvitationOut])
@paginate(Pagination)
def invitations_list(request: AuthenticatedHttpRequest, organization_id: int) -> Any:
    return selectors.invitation_list(
        viewer=request.user, organization=_organization(organization_id)
    )


@router.post(
    "/organizations/{organization_id}/invitations",
    response={201: InvitationOut},
    summary="Invite someone by email (leaders, staff)",
)
def invitations_create(
    request: AuthenticatedHttpRequest, organization_id: int, payload: InvitationIn
) -> Status:
    invitation = services.invitation_create(
        actor=request.user,
        organization=_organization(organization_id),
        email=payload.email,
        role=payload.role,
        request=request,
    )
    return Status(201, invitation)


@router.delete("/organizations/{organization_id}/invitations/{invitation_id}", response={204: None})
def invitations_revoke(
    request: AuthenticatedHttpRequest, organization_id: int, invitation_id: int
) -> Status:
    organization = _organization(organization_id)
    services.invitation_revoke(
        actor=request.user,
        invitation=selectors.invitation_get(organization=organization, invitation_id=invitation_id),
        request=request,
    )
    return Status(204, None)
