"""Reads for accounts and organizations. Lists take the viewer and show only what they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from townsquare.core.errors import NotFound, PermissionRefused

from . import permissions
from .models import Organization, OrganizationInvitation, OrganizationMembership, Role, User
from .search import listed_people, organization_search_ids, person_search_ids


def person_list(
    *, viewer: Any, query: str = "", profession: str = "", organization_id: int | None = None
) -> QuerySet[User]:
    """People the viewer may see in the directory: active professionals, best match first."""
    if not permissions.can_view_directory(viewer):
        raise PermissionRefused(
            "The directory is open to health-care professionals and center staff."
        )
    people = listed_people().select_related("primary_organization")
    if profession:
        people = people.filter(profession=profession)
    if organization_id:
        people = people.filter(memberships__organization_id=organization_id)
    if query.strip():
        ranked_ids = person_search_ids(query)
        people = people.filter(pk__in=ranked_ids)
        order = {pk: position for position, pk in enumerate(ranked_ids)}
        return _in_order(people, order)
    return people.order_by("display_name", "id")


def _in_order(queryset: QuerySet, order: dict[int, int]) -> QuerySet:
    from django.db.models import Case, IntegerField, Value, When

    if not order:
        return queryset.none()
    return queryset.order_by(
        Case(
            *[When(pk=pk, then=Value(position)) for pk, position in order.items()],
            output_field=IntegerField(),
        ),
        "id",
    )


def person_get(*, viewer: Any, person_id: int) -> User:
    person = (
        User.objects.select_related("primary_organization")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=OrganizationMembership.objects.select_related("organization"),
            )
        )
        .filter(pk=person_id)
        .first()
    )
    if person is None or not permissions.can_view_profile(viewer, person):
        # The same answer for "missing" and "hidden", so profiles cannot be probed.
        raise NotFound("No such person, or their profile is not visible to you.")
    return person


def organization_list(
    *, query: str = "", kind: str = "", country: str = ""
) -> QuerySet[Organization]:
    organizations = Organization.objects.annotate(member_count=Count("memberships"))
    if kind:
        organizations = organizations.filter(kind=kind)
    if country:
        organizations = organizations.filter(country=country.upper())
    if query.strip():
        ranked_ids = organization_search_ids(query)
        order = {pk: position for position, pk in enumerate(ranked_ids)}
        return _in_order(organizations.filter(pk__in=ranked_ids), order)
    return organizations.order_by("name", "id")


def organization_get(
    *, slug: str | None = None, organization_id: int | None = None
) -> Organization:
    lookup = Q(slug=slug) if slug is not None else Q(pk=organization_id)
    organization = Organization.objects.filter(lookup).first()
    if organization is None:
        raise NotFound("No such organization.")
    return organization


def membership_list(*, viewer: Any, organization: Organization) -> QuerySet[OrganizationMembership]:
    if not permissions.can_view_organization_members(viewer, organization):
        raise PermissionRefused(
            "Only health-care professionals and the organization's own "
            "members see who belongs to it."
        )
    return (
        organization.memberships.filter(user__is_active=True)
        .select_related("user")
        .order_by("-role", "user__display_name", "id")
    )


def membership_get(*, organization: Organization, membership_id: int) -> OrganizationMembership:
    return get_object_or_404(
        OrganizationMembership.objects.select_related("user", "organization"),
        pk=membership_id,
        organization=organization,
    )


def account_export(*, user: User) -> dict[str, Any]:
    """Everything Townsquare holds about a person, as a JSON-ready dict (the data download)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    from townsquare.core.models import AuditRecord

    return {
        "format": "townsquare-account-export/1",
        "profile": {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "title": user.title,
            "profession": user.profession,
            "credentials": user.credentials,
            "bio": user.bio,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "has_avatar": bool(user.avatar),
            "primary_organization": user.primary_organization.name
            if user.primary_organization
            else None,
        },
        "roles": sorted(user.role_set),
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "organizations": [
            {"organization": m.organization.name, "role": m.role, "since": m.created_at.isoformat()}
            for m in user.memberships.select_related("organization")
        ],
        "single_sign_on": list(SocialAccount.objects.filter(user=user).values("provider", "uid")),
        "two_factor_methods": list(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": t.created_at.isoformat(),
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in user.api_tokens.all()
        ],
        "activity": [
            {"when": r.created_at.isoformat(), "action": r.action, "ip_address": r.ip_address}
            for r in AuditRecord.objects.filter(actor_id=user.pk).order_by("-id")[:1000]
        ],
    }


def staff_role_choices() -> list[tuple[str, str]]:
    return list(Role.choices)


def invitation_list(*, viewer: Any, organization: Organization) -> QuerySet[OrganizationInvitation]:
    """The invitations still waiting for an answer (leaders and staff only)."""
    if not permissions.can_manage_organization(viewer, organization):
        raise PermissionRefused("Only the organization's leaders and center staff see invitations.")
    return organization.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def invitation_get(*, organization: Organization, invitation_id: int) -> OrganizationInvitation:
    invitation = organization.invitations.filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound("No such invitation in this organization.")
    return invitation


def invitation_for_token(*, raw_token: str) -> OrganizationInvitation:
    from .services import hash_token

    invitation = (
        OrganizationInvitation.objects.select_related("organization", "invited_by")
        .filter(token_hash=hash_token(raw_token))
        .first()
    )
    if invitation is None:
        raise NotFound("This invitation link is not valid. Check that you copied all of it.")
    return invitation
