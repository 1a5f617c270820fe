"""Access tiers, shared by every module that restricts content by them (academy courses,
events, library resources) until the membership module exists.

Tiers come from roles: ``public`` is everyone signed in (patients included), ``member`` is
health-care professionals and center people, ``premium`` is professionals who belong to a member
organization, and ``staff`` is center staff, who pass every tier."""

from __future__ import annotations

from typing import Any

from .permissions import is_center_staff, is_professional, organization_roles_of

PUBLIC = "public"
MEMBER = "member"
PREMIUM = "premium"
STAFF = "staff"
TIER_ORDER = (PUBLIC, MEMBER, PREMIUM, STAFF)


def has_member_organization(user: Any) -> bool:
    """Whether the person belongs to any organization (read once per request)."""
    return bool(organization_roles_of(user))


def tier_of(user: Any) -> str | None:
    """The highest tier the person holds, or None for the anonymous."""
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return None
    if is_center_staff(user):
        return STAFF
    if is_professional(user):
        return PREMIUM if has_member_organization(user) else MEMBER
    return PUBLIC


def has_tier(user: Any, tier: str) -> bool:
    held = tier_of(user)
    return held is not None and TIER_ORDER.index(held) >= TIER_ORDER.index(tier)


def tiers_held(user: Any) -> tuple[str, ...]:
    """Every tier the person passes, lowest first (empty for the anonymous)."""
    held = tier_of(user)
    return () if held is None else TIER_ORDER[: TIER_ORDER.index(held) + 1]
