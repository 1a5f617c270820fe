"""Reads of the policy builder: whom a person may build for, their drafts, one draft, clauses."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from townsquare.accounts.models import Organization, OrganizationRole
from townsquare.core.errors import NotFound, PermissionRefused

from ..models import FileKind, PolicyClause, PolicyDraft, PolicyOption, ResourceFile
from ..permissions import can_edit_policy_draft, is_librarian, organization_ids_of


def organizations_for_builder(user: Any) -> QuerySet[Organization]:
    """The organizations the person may build a policy for: those they lead; all, for staff."""
    if is_librarian(user):
        return Organization.objects.order_by("name", "id")
    led = sorted(
        org for org, role in organization_ids_of(user).items() if role == OrganizationRole.LEADER
    )
    return Organization.objects.filter(pk__in=led).order_by("name", "id")


def draft_list(user: Any) -> QuerySet[PolicyDraft]:
    """Drafts of the organizations the person may build for, latest first, each with its
    organization and its resource (one query)."""
    drafts = PolicyDraft.objects.select_related(
        "organization", "resource", "resource__current_version"
    ).order_by("-updated_at", "-id")
    if is_librarian(user):
        return drafts
    return drafts.filter(organization__in=organizations_for_builder(user).values("pk"))


def draft_get(user: Any, draft_id: int) -> PolicyDraft:
    """One draft the person may edit: 404 when there is none, 403 when it is not theirs."""
    draft = (
        PolicyDraft.objects.select_related("organization", "resource", "resource__current_version")
        .filter(pk=draft_id)
        .first()
    )
    if draft is None:
        raise NotFound("No such policy draft.")
    if not can_edit_policy_draft(user, draft):
        raise PermissionRefused("Only the organization's leaders and center staff see its drafts.")
    return draft


def built_file(draft: PolicyDraft, kind: str) -> ResourceFile | None:
    """The DOCX or PDF of the draft's latest build, or None before the first build."""
    resource = draft.resource
    if resource is None or resource.current_version_id is None or kind not in FileKind.values:
        return None
    return (
        ResourceFile.objects.filter(version_id=resource.current_version_id, kind=kind)
        .order_by("position", "id")
        .first()
    )


def clause_list_all() -> list[PolicyClause]:
    """Every clause, active or not, with its options in order (two queries): for staff."""
    return list(
        PolicyClause.objects.order_by("position", "id").prefetch_related(
            Prefetch("options", queryset=PolicyOption.objects.order_by("position", "id"))
        )
    )


def clause_get(clause_id: int) -> PolicyClause:
    clause = (
        PolicyClause.objects.filter(pk=clause_id)
        .prefetch_related(
            Prefetch("options", queryset=PolicyOption.objects.order_by("position", "id"))
        )
        .first()
    )
    if clause is None:
        raise NotFound("No such clause.")
    return clause


def option_get(clause: PolicyClause, option_id: int) -> PolicyOption:
    option = PolicyOption.objects.filter(pk=option_id, clause=clause).first()
    if option is None:
        raise NotFound("No such option.")
    return option
