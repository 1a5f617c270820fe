"""The gates of ``permissions.py`` as querysets: which resources a person may open, and which
they may know exist. Lists, search, collections and the API read through these; the tests check
that they agree with the gates for every kind of person."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from ..models import Access, Chapter, Resource, ResourceFile, ResourceStatus
from ..permissions import (
    _signed_in,
    access_levels_of,
    granted_resource_ids,
    is_librarian,
    organization_ids_of,
)


def _open_condition(user: Any) -> Q | None:
    """The condition for "may open", or None when everything opens (center staff)."""
    if is_librarian(user):
        return None
    published = Q(status=ResourceStatus.PUBLISHED)
    by_access = Q(access__in=sorted(access_levels_of(user)))
    organizations = organization_ids_of(user)
    if organizations:
        by_access |= Q(access=Access.ORGANIZATION, organization_id__in=sorted(organizations))
    grants = granted_resource_ids(user)
    if grants:
        by_access |= Q(pk__in=sorted(grants))
    condition = published & by_access
    if _signed_in(user):
        condition |= Q(created_by_id=user.pk)
        leads = sorted(org for org, role in organizations.items() if role == "leader")
        if leads:
            condition |= Q(organization_id__in=leads)
    return condition


def resources_openable_by(user: Any) -> QuerySet[Resource]:
    condition = _open_condition(user)
    resources = Resource.objects.all()
    return resources if condition is None else resources.filter(condition)


def resources_seen_by(user: Any) -> QuerySet[Resource]:
    """Resources whose title and summary the person may see."""
    condition = _open_condition(user)
    if condition is None:
        return Resource.objects.all()
    return Resource.objects.filter(condition | Q(status=ResourceStatus.PUBLISHED, is_listed=True))


def published_openable_by(user: Any) -> QuerySet[Resource]:
    """What the catalog and search list as readable: published and openable."""
    return resources_openable_by(user).filter(status=ResourceStatus.PUBLISHED)


def published_listed_closed_to(user: Any) -> QuerySet[Resource]:
    """Published, listed resources the person may NOT open (title and summary only)."""
    condition = _open_condition(user)
    listed = Resource.objects.filter(status=ResourceStatus.PUBLISHED, is_listed=True)
    if condition is None:
        return listed.none()
    return listed.exclude(condition)


def _through(prefix: str, condition: Q) -> Q:
    """``condition`` on Resource, rewritten to hold for the resource at ``prefix``."""

    def rewrite(child: Any) -> Any:
        if isinstance(child, Q):
            return _through(prefix, child)
        field, value = child
        return (f"{prefix}{field}", value)

    rewritten = Q(*[rewrite(child) for child in condition.children])
    rewritten.connector, rewritten.negated = condition.connector, condition.negated
    return rewritten


def chapters_openable_by(user: Any) -> QuerySet[Chapter]:
    """Chapters of the current version of published resources the person may open. The
    condition is joined through the chapter's version, not a list of resource ids, so search
    checks it per matching chapter instead of building the whole list first."""
    chapters = Chapter.objects.filter(
        version__resource__status=ResourceStatus.PUBLISHED,
        version__resource__current_version_id=F("version_id"),
    )
    condition = _open_condition(user)
    if condition is None:
        return chapters
    return chapters.filter(_through("version__resource__", condition))


def files_openable_by(user: Any) -> QuerySet[ResourceFile]:
    return ResourceFile.objects.filter(
        version__resource__in=resources_openable_by(user).values("pk")
    )
