"""The permission gate: the one place that decides who may see or do what.

Every page, endpoint and selector asks these functions; none reads roles on its own. Each gate takes
the acting user first (which may be anonymous) and returns a bool.
"""

from __future__ import annotations

from typing import Any

from .models import Organization, OrganizationRole, Role, User

PROFESSIONAL_ROLES = frozenset(
    {Role.STAFF, Role.INSTRUCTOR, Role.COACH, Role.MODERATOR, Role.MEMBER}
)


def roles_of(user: Any) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return user.role_set


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_center_staff(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_superuser or Role.STAFF in roles_of(user))
    )


def is_professional(user: Any) -> bool:
    """Health-care professionals and center people: they may see the staff-facing directory."""
    return is_center_staff(user) or bool(roles_of(user) & PROFESSIONAL_ROLES)


def is_patient_only(person: User) -> bool:
    """A person whose only standing is patient or public: their identity is shown to few."""
    return not (person.role_set & PROFESSIONAL_ROLES) and not person.is_superuser


def can_view_directory(user: Any) -> bool:
    return is_professional(user)


def can_view_profile(user: Any, person: User) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == person.pk or is_center_staff(user):
        return True
    if not person.is_active:
        return False
    if is_patient_only(person):
        return has_role(user, Role.MODERATOR)
    return is_professional(user)


def can_edit_profile(user: Any, person: User) -> bool:
    return bool(
        getattr(user, "is_authenticated", False) and (user.pk == person.pk or is_center_staff(user))
    )


def can_manage_roles(user: Any) -> bool:
    return is_center_staff(user)


def can_create_organization(user: Any) -> bool:
    return is_center_staff(user)


def organization_roles_of(user: Any) -> dict[int, str]:
    """Every organization the person belongs to and their role in it, read once per request
    (cached on the user object): tiers, library access and the like all ask."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return {}
    if "_organization_memberships" not in user.__dict__:
        user.__dict__["_organization_memberships"] = dict(
            user.memberships.order_by().values_list("organization_id", "role")
        )
    return dict(user.__dict__["_organization_memberships"])


def organization_role_of(user: Any, organization: Organization) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    cache: dict[int, str | None] = user.__dict__.setdefault("_organization_roles", {})
    if organization.pk not in cache:
        cache[organization.pk] = (
            organization.memberships.filter(user=user).values_list("role", flat=True).first()
        )
    return cache[organization.pk]


def can_view_organization(user: Any, organization: Organization) -> bool:
    return True  # names, kinds and countries of organizations are public


def can_view_organization_members(user: Any, organization: Organization) -> bool:
    return is_professional(user) or organization_role_of(user, organization) is not None


def can_manage_organization(user: Any, organization: Organization) -> bool:
    return is_center_staff(user) or (
        organization_role_of(user, organization) == OrganizationRole.LEADER
    )


def can_use_api(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
