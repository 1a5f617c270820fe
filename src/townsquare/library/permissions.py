"""Who may see or do what in the library. Every library page, endpoint, selector and search asks
these gates (or the querysets in ``selectors.visibility``, which say the same in SQL and are
tested against them).

Two levels of seeing a resource:

- **open** it: read its body, chapters and versions, download its files, see search snippets
  from its text. Published resources open by access level: ``public`` for everyone, anonymous
  visitors included; ``member``/``premium``/``staff`` by tier (``accounts.tiers``);
  ``organization`` for the owning organization's members. A grant (a request for access that was
  granted) opens one resource to one person. Center staff open everything; a submitter opens
  their own submission at every step; the owning organization's leaders open its resources.
- **know it exists**: its title, summary and a "request access" button. Everyone who may open it,
  and, for a published resource that is *listed*, everyone. An unlisted restricted resource is
  invisible (404) to whoever may not open it.
"""

from __future__ import annotations

from typing import Any

from townsquare.accounts import tiers
from townsquare.accounts.models import OrganizationRole
from townsquare.accounts.permissions import (
    is_center_staff,
    is_professional,
    organization_roles_of,
)

from .models import Access, Collection, PolicyDraft, Resource, ResourceStatus

TIER_ACCESS = {
    tiers.PUBLIC: Access.PUBLIC,
    tiers.MEMBER: Access.MEMBER,
    tiers.PREMIUM: Access.PREMIUM,
    tiers.STAFF: Access.STAFF,
}
# The submitter may change their submission while it is theirs to change.
EDITABLE_BY_SUBMITTER = frozenset({ResourceStatus.DRAFT, ResourceStatus.CHANGES_REQUESTED})


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def organization_ids_of(user: Any) -> dict[int, str]:
    """The person's organizations and their role in each (cached on the user object)."""
    return organization_roles_of(user)


def leads_organization(user: Any, organization_id: int | None) -> bool:
    return (
        organization_id is not None
        and organization_ids_of(user).get(organization_id) == OrganizationRole.LEADER
    )


def access_levels_of(user: Any) -> frozenset[str]:
    """The access levels (other than ``organization``) the person passes."""
    if not _signed_in(user):
        return frozenset({Access.PUBLIC})
    return frozenset(TIER_ACCESS[tier] for tier in tiers.tiers_held(user))


def granted_resource_ids(user: Any) -> frozenset[int]:
    if not _signed_in(user):
        return frozenset()
    if "_library_grants" not in user.__dict__:
        user.__dict__["_library_grants"] = frozenset(
            user.library_grants.order_by().values_list("resource_id", flat=True)
        )
    return user.__dict__["_library_grants"]


def is_librarian(user: Any) -> bool:
    """Center staff run the library: they create, edit, review and curate."""
    return is_center_staff(user)


def passes_access(user: Any, resource: Resource) -> bool:
    """Whether the access level alone (no status, no grants) lets the person open it."""
    if resource.access == Access.ORGANIZATION:
        return resource.organization_id in organization_ids_of(user)
    return resource.access in access_levels_of(user)


def can_open_resource(user: Any, resource: Resource) -> bool:
    if is_librarian(user):
        return True
    if _signed_in(user) and resource.created_by_id == user.pk:
        return True
    if resource.organization_id is not None and leads_organization(user, resource.organization_id):
        return True
    if resource.status != ResourceStatus.PUBLISHED:
        return False
    return passes_access(user, resource) or resource.pk in granted_resource_ids(user)


def can_see_resource(user: Any, resource: Resource) -> bool:
    """Whether the person may know the resource exists (title and summary)."""
    if can_open_resource(user, resource):
        return True
    return resource.status == ResourceStatus.PUBLISHED and resource.is_listed


def can_request_access(user: Any, resource: Resource) -> bool:
    return (
        _signed_in(user)
        and resource.status == ResourceStatus.PUBLISHED
        and resource.is_listed
        and not can_open_resource(user, resource)
    )


def can_decide_access(user: Any, resource: Resource) -> bool:
    """Center staff decide every request; an organization's leaders decide for its resources."""
    return is_librarian(user) or leads_organization(user, resource.organization_id)


def can_view_usage(user: Any, resource: Resource) -> bool:
    return can_decide_access(user, resource)


def can_submit_resource(user: Any) -> bool:
    """Members (health-care professionals and center people) share resources for review."""
    return _signed_in(user) and is_professional(user)


def can_share_as_organization(user: Any, organization_id: int) -> bool:
    """Submit a resource owned by (or private to) an organization: its members may."""
    return is_librarian(user) or organization_id in organization_ids_of(user)


def can_edit_resource(user: Any, resource: Resource) -> bool:
    if is_librarian(user):
        return True
    return (
        _signed_in(user)
        and resource.is_submission
        and resource.created_by_id == user.pk
        and resource.status in EDITABLE_BY_SUBMITTER
    )


def can_withdraw_submission(user: Any, resource: Resource) -> bool:
    return (
        _signed_in(user)
        and resource.is_submission
        and resource.created_by_id == user.pk
        and resource.status
        in {ResourceStatus.DRAFT, ResourceStatus.SUBMITTED, ResourceStatus.CHANGES_REQUESTED}
    )


def can_follow_submission(user: Any, resource: Resource) -> bool:
    """See the review trail: the submitter and the reviewers."""
    return is_librarian(user) or (_signed_in(user) and resource.created_by_id == user.pk)


def can_review(user: Any) -> bool:
    return is_librarian(user)


def can_manage_library(user: Any) -> bool:
    """Create resources directly, curate collections, see the review-by list."""
    return is_librarian(user)


def can_see_collection(user: Any, collection: Collection) -> bool:
    return collection.is_published or is_librarian(user)


def can_manage_collection(user: Any, collection: Collection | None = None) -> bool:
    return is_librarian(user)


def can_build_policy(user: Any, organization_id: int) -> bool:
    """An organization's leaders (and center staff) build its social-media policy."""
    return is_librarian(user) or leads_organization(user, organization_id)


def can_edit_policy_draft(user: Any, draft: PolicyDraft) -> bool:
    return can_build_policy(user, draft.organization_id)


def can_manage_policy_clauses(user: Any) -> bool:
    return is_librarian(user)
