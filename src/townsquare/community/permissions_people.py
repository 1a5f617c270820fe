"""Gates of the people area that ``permissions.py`` does not have yet (for the lead to merge).

Seeing someone's community profile follows the accounts rule (``can_view_profile``: professionals
see professionals, a patient-only person is seen by the person, center staff and platform
moderators) narrowed to people who take part in the community, so a profile never tells someone
outside it who is inside.
"""

from __future__ import annotations

from typing import Any

from townsquare.accounts.permissions import can_view_profile

from .permissions import can_use_community


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_see_person(user: Any, person: Any) -> bool:
    """May open the person's community profile (and list their posts as ``person_posts`` allows)."""
    if not _signed_in(user):
        return False
    if user.pk == person.pk:
        return True
    return can_use_community(user) and can_view_profile(user, person)


def can_edit_community_profile(user: Any) -> bool:
    """May choose a handle and pseudonym: people who take part in the community."""
    return _signed_in(user) and can_use_community(user)
