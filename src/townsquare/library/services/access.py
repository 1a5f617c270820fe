"""Requests for access to restricted resources, the decisions on them, and the grants they leave.

A person who may know a resource exists but not open it (a listed resource above their tier, or
private to another organization) asks for access with an optional reason. Center staff decide
every request; the owning organization's leaders decide those for its resources. A decision is
written once: the request row is locked, its status checked, then written, so two deciders at
the same moment get one decision and one ``Conflict``. Granting leaves an ``AccessGrant`` (the
gates open the resource to that one person); revoking deletes it.

Who is told: the deciders when a request arrives (the organization's leaders for its resources,
otherwise center staff), the requester when it is decided or their grant is revoked. The
notifications go out after the commit and never quote the reason or the resource's text.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.models import OrganizationRole, Role, User
from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_rows
from townsquare.notifications.models import NotificationKind
from townsquare.notifications.services import notify, notify_many

from ..models import AccessGrant, AccessRequest, AccessRequestStatus, Resource
from ..permissions import (
    _signed_in,
    can_decide_access,
    can_open_resource,
    can_request_access,
    can_see_resource,
)

MAX_REASON = 1000
MAX_NOTE = 1000
GRANT, REFUSE = "grant", "refuse"
DECISIONS = {GRANT: AccessRequestStatus.GRANTED, REFUSE: AccessRequestStatus.REFUSED}


# --- Links ----------------------------------------------------------------------------------------


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


def resource_url(resource: Resource) -> str:
    return _url("library:resource_detail", resource.slug)


def _requests_url() -> str:
    return _url("library:access_requests")


def _my_requests_url() -> str:
    return _url("library:my_access_requests")


def _scope(resource: Resource) -> str:
    return f"library.resource:{resource.pk}"


def _checked_text(value: str, *, field: str, limit: int, label: str) -> str:
    text = value.strip()
    if len(text) > limit:
        message = f"{label} can be at most {limit} characters."
        raise ValidationFailed(message, field_errors={field: [message]})
    if "\x00" in text:
        message = "Remove the NUL character."
        raise ValidationFailed(message, field_errors={field: [message]})
    return text


# --- Who decides ----------------------------------------------------------------------------------


def deciders_of(resource: Resource) -> QuerySet[User]:
    """Who is told of a new request: the owning organization's leaders, or center staff when
    the resource has no organization (or the organization has no leader)."""
    active = User.objects.filter(is_active=True)
    if resource.organization_id is not None:
        leaders = active.filter(
            memberships__organization_id=resource.organization_id,
            memberships__role=OrganizationRole.LEADER,
        )
        if leaders.exists():
            return leaders.distinct()
    return active.filter(Q(is_superuser=True) | Q(roles__role=Role.STAFF)).distinct()


# --- Requests -------------------------------------------------------------------------------------


@transaction.atomic
def access_request_create(*, actor: Any, resource: Resource, reason: str = "") -> AccessRequest:
    """Ask for access to a resource one may see but not open. A second pending request is a
    ``Conflict`` naming the first (``request_id``)."""
    if not _signed_in(actor):
        raise PermissionRefused("Sign in to ask for access.")
    if not can_see_resource(actor, resource):
        raise NotFound("No such resource.")
    if can_open_resource(actor, resource):
        raise Conflict("You may already open this resource.", resource_slug=resource.slug)
    if not can_request_access(actor, resource):
        raise PermissionRefused("Access to this resource cannot be requested.")
    reason = _checked_text(reason, field="reason", limit=MAX_REASON, label="The reason")
    pending = AccessRequest.objects.filter(
        resource=resource, requester=actor, status=AccessRequestStatus.PENDING
    ).first()
    if pending is not None:
        raise Conflict(
            "You have already asked for access to this resource; the request is waiting for a "
            "decision.",
            request_id=pending.pk,
        )
    try:
        with transaction.atomic():
            access_request = AccessRequest.objects.create(
                resource=resource, requester=actor, reason=reason
            )
    except IntegrityError as error:  # the same person asking twice at once
        raise Conflict(
            "You have already asked for access to this resource; the request is waiting for a "
            "decision."
        ) from error
    audit_record(
        action="library.access_request_create",
        actor=actor,
        target=access_request,
        data={"resource": resource.pk, "has_reason": bool(reason)},
    )
    recipients = deciders_of(resource).exclude(pk=actor.pk)
    summary = f"asked for access to “{resource.title}”"
    transaction.on_commit(
        lambda: notify_many(
            recipients=recipients,
            kind=NotificationKind.ACCESS,
            summary=summary,
            url=_requests_url(),
            actor=actor,
            actor_label=actor.display_name or "A member",
            scope=_scope(resource),
            scope_label=resource.title,
            dedupe_key=f"library.access_request:{access_request.pk}",
        )
    )
    return access_request


def _lock_request(request_id: int) -> AccessRequest | None:
    """Lock the request row while it is pending; None when it is not (any more). On PostgreSQL a
    second decider waits here for the first to commit, then finds it decided."""
    rows = lock_rows(
        AccessRequest.objects.filter(
            pk=request_id, status=AccessRequestStatus.PENDING
        ).select_related("resource", "requester")
    )
    return rows[0] if rows else None


def _already_decided(request_id: int) -> Conflict:
    current = AccessRequest.objects.filter(pk=request_id).first()
    label = current.get_status_display().lower() if current is not None else "gone"
    return Conflict(
        f"This request has already been decided (it is {label}); nothing was changed.",
        status_now=current.status if current is not None else "",
    )


@transaction.atomic
def access_request_withdraw(*, actor: Any, access_request: AccessRequest) -> AccessRequest:
    """The requester takes back a request still waiting for a decision."""
    if not (_signed_in(actor) and access_request.requester_id == actor.pk):
        raise PermissionRefused("Only the person who asked may withdraw the request.")
    locked = _lock_request(access_request.pk)
    if locked is None:
        raise _already_decided(access_request.pk)
    locked.status = AccessRequestStatus.WITHDRAWN
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        action="library.access_request_withdraw",
        actor=actor,
        target=locked,
        data={"resource": locked.resource_id},
    )
    return locked


@transaction.atomic
def access_decide(
    *, actor: Any, access_request: AccessRequest, decision: str, note: str = ""
) -> AccessRequest:
    """Grant or refuse a pending request (staff, or the owning organization's leaders).

    Lock, check, write: the second of two simultaneous decisions is a ``Conflict`` and changes
    nothing. Granting creates the person's ``AccessGrant``; the requester is told either way."""
    if decision not in DECISIONS:
        message = "Choose grant or refuse."
        raise ValidationFailed(message, field_errors={"decision": [message]})
    note = _checked_text(note, field="note", limit=MAX_NOTE, label="The note")
    if not can_decide_access(actor, access_request.resource):
        raise PermissionRefused(
            "Only center staff and the owning organization's leaders decide access requests."
        )
    locked = _lock_request(access_request.pk)
    if locked is None:
        raise _already_decided(access_request.pk)
    resource = locked.resource
    locked.status = DECISIONS[decision]
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.decision_note = note
    locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])
    if decision == GRANT:
        AccessGrant.objects.get_or_create(
            resource=resource, person=locked.requester, defaults={"granted_by": actor}
        )
    audit_record(
        action="library.access_decide",
        actor=actor,
        target=locked,
        data={
            "resource": resource.pk,
            "requester": locked.requester_id,
            "decision": decision,
            "has_note": bool(note),
        },
    )
    granted = decision == GRANT
    summary = (
        f"granted your request to open “{resource.title}”"
        if granted
        else f"refused your request to open “{resource.title}”"
    )
    requester = locked.requester
    url = resource_url(resource) if granted else _my_requests_url()
    transaction.on_commit(
        lambda: notify(
            recipient=requester,
            kind=NotificationKind.ACCESS,
            summary=summary,
            url=url,
            actor=actor,
            actor_label=actor.display_name or "The library",
            scope=_scope(resource),
            scope_label=resource.title,
            dedupe_key=f"library.access_decision:{locked.pk}",
        )
    )
    return locked


# --- Grants ---------------------------------------------------------------------------------------


@transaction.atomic
def grant_revoke(*, actor: Any, grant: AccessGrant) -> None:
    """Take a grant back: the person no longer opens the resource (unless their tier or
    organization lets them). The person is told."""
    if not can_decide_access(actor, grant.resource):
        raise PermissionRefused(
            "Only center staff and the owning organization's leaders revoke access."
        )
    rows = lock_rows(AccessGrant.objects.filter(pk=grant.pk).select_related("resource", "person"))
    if not rows:
        raise Conflict("This access was already revoked; nothing was changed.")
    locked = rows[0]
    resource, person = locked.resource, locked.person
    audit_record(
        action="library.grant_revoke",
        actor=actor,
        target=resource,
        data={"grant": locked.pk, "person": person.pk},
    )
    locked.delete()
    person.__dict__.pop("_library_grants", None)
    transaction.on_commit(
        lambda: notify(
            recipient=person,
            kind=NotificationKind.ACCESS,
            summary=f"withdrew your access to “{resource.title}”",
            url=_my_requests_url(),
            actor=actor,
            actor_label=actor.display_name or "The library",
            scope=_scope(resource),
            scope_label=resource.title,
        )
    )
