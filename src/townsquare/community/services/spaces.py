"""Spaces and who belongs to them: creating and editing spaces, joining (with the guidelines
accepted), asking to join a private space, invitations to invite-only spaces, leaving, the
moderators' decisions on requests, appointing and dismissing moderators, and removing members.

Losing access to a space that is not open (leaving it, being removed, a request declined) takes
back the notifications that came from it, so no summary of a private space stays behind. Every
role change and removal is in the audit log; no text anyone wrote goes into it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from townsquare.accounts.models import Organization, User
from townsquare.accounts.permissions import is_center_staff
from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.notifications.models import Notification, NotificationKind
from townsquare.notifications.services import notifications_withdraw, notify, notify_many

from .. import feed_cache
from ..models import (
    PATIENT_CATEGORIES,
    STAFF_CATEGORIES,
    CommunityProfile,
    Follow,
    MembershipRole,
    MembershipStatus,
    Space,
    SpaceCategory,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from ..permissions import (
    can_create_space,
    can_manage_space,
    can_see_space,
    is_global_moderator,
    may_use_kind,
    remember_membership,
)
from .profiles import profile_ensure
from .publishing import actor_label, uses_pseudonym

MAX_NAME = 120
MAX_DESCRIPTION = 4000
MAX_GUIDELINES = 8000
MAX_REASON = 1000
MAX_WHO = 254
SLUG_BASE_LENGTH = 120
UPDATABLE_FIELDS = frozenset(
    {
        "name",
        "description",
        "guidelines",
        "visibility",
        "category",
        "requires_approval",
        "organization",
    }
)


# --- Helpers ---------------------------------------------------------------------------------


def space_url(space: Space) -> str:
    return reverse("community:space_detail", args=[space.slug])


def members_url(space: Space) -> str:
    return reverse("community:space_members", args=[space.slug])


def join_url(space: Space) -> str:
    return reverse("community:space_join", args=[space.slug])


def categories_of(kind: str) -> tuple[str, ...]:
    return tuple(
        category.value
        for category in (STAFF_CATEGORIES if kind == SpaceKind.STAFF else PATIENT_CATEGORIES)
    )


def _text(value: Any, *, field: str, label: str, limit: int, required: bool = False) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        raise ValidationFailed(
            f"{label} may not contain the NUL character.", field_errors={field: ["Remove it."]}
        )
    if required and not text:
        raise ValidationFailed(f"{label} is required.", field_errors={field: [f"Give a {label}."]})
    if len(text) > limit:
        raise ValidationFailed(
            f"{label} is {len(text):,} characters; the limit is {limit:,}.",
            field_errors={field: [f"Shorten it to {limit:,} characters."]},
        )
    return text


def _visibility(value: Any) -> str:
    if value not in SpaceVisibility.values:
        message = "Choose open, private or invite only."
        raise ValidationFailed(message, field_errors={"visibility": [message]})
    return str(value)


def _category(value: Any, kind: str) -> str:
    allowed = categories_of(kind)
    if value not in allowed:
        network = "staff network" if kind == SpaceKind.STAFF else "patient community"
        labels = ", ".join(str(SpaceCategory(value).label).lower() for value in allowed)
        message = f"In the {network} a space is about one of: {labels}."
        raise ValidationFailed(message, field_errors={"category": [message]})
    return str(value)


def _organization(actor: Any, organization: Organization | None, current_id: int | None) -> Any:
    """A space may say which organization runs it: one the actor belongs to (center staff: any).
    Keeping the organization a space already has is always allowed."""
    if organization is None or organization.pk == current_id or is_center_staff(actor):
        return organization
    if not organization.memberships.filter(user=actor).exists():
        message = "Choose an organization you belong to."
        raise ValidationFailed(message, field_errors={"organization": [message]})
    return organization


def unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    """A slug made from the name, with -2, -3... added when it is taken."""
    base = slugify(name)[:SLUG_BASE_LENGTH].strip("-") or "space"
    taken_rows = Space.objects.filter(slug__startswith=base)
    if exclude_pk is not None:
        taken_rows = taken_rows.exclude(pk=exclude_pk)
    taken = set(taken_rows.values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _forget(person: Any, space: Space, membership: SpaceMembership | None) -> None:
    """Reset the per-request caches of the person's access after their membership changed."""
    remember_membership(person, space, membership)
    person.__dict__.pop("_community_readable_space_ids", None)
    feed_cache.reader_changed(person.pk)


def _follow(person: Any, space: Space) -> None:
    # ``bulk_create`` sends no signal: the kept first page is dropped by ``_forget`` beside it.
    Follow.objects.bulk_create([Follow(follower=person, space=space)], ignore_conflicts=True)
    feed_cache.reader_changed(person.pk)


def _unfollow(person: Any, space: Space) -> None:
    Follow.objects.filter(follower=person, space=space).delete()


def _withdraw_if_closed(space: Space, person: Any) -> None:
    """Someone lost access: take back what the space told them unless anyone may read it."""
    if space.visibility != SpaceVisibility.OPEN:
        notifications_withdraw(scope=space.scope, recipient=person)


def _count_joined(space: Space) -> None:
    Space.objects.filter(pk=space.pk).update(member_count=F("member_count") + 1)


def _count_left(space: Space) -> None:
    Space.objects.filter(pk=space.pk, member_count__gt=0).update(member_count=F("member_count") - 1)


def _locked_membership(space: Space, person: Any) -> SpaceMembership | None:
    membership = (
        SpaceMembership.objects.select_for_update().filter(space=space, user=person).first()
    )
    if membership is not None:
        membership.user = person  # the caller's object, whose cached answers are reset
    return membership


def _locked(membership: SpaceMembership) -> SpaceMembership:
    locked = SpaceMembership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        raise NotFound("That membership no longer exists.")
    return locked


def _check_manager(actor: Any, space: Space) -> None:
    if not can_see_space(actor, space):
        raise NotFound("There is no such space, or you may not see it.")
    if not can_manage_space(actor, space):
        raise PermissionRefused("Only the space's moderators and center staff manage its members.")


def _is_last_moderator(membership: SpaceMembership) -> bool:
    return (
        membership.role == MembershipRole.MODERATOR
        and not SpaceMembership.objects.filter(
            space_id=membership.space_id,
            role=MembershipRole.MODERATOR,
            status=MembershipStatus.ACTIVE,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


def _label(person: Any, space: Space) -> str:
    return actor_label(person, space, as_pseudonym=uses_pseudonym(person, space))


def _space_moderators(space: Space, *, besides: Any = None) -> list[Any]:
    rows = SpaceMembership.objects.filter(
        space=space, role=MembershipRole.MODERATOR, status=MembershipStatus.ACTIVE
    ).select_related("user")
    if besides is not None:
        rows = rows.exclude(user=besides)
    return [row.user for row in rows]


def _tell(person: Any, space: Space, *, kind: str, summary: str, url: str, actor: Any) -> None:
    notify(
        recipient=person,
        kind=kind,
        summary=summary,
        url=url,
        actor=actor,
        actor_label=_label(actor, space) if actor is not None else "",
        scope=space.scope,
        scope_label=space.name,
    )


def _audit(action: str, *, actor: Any, space: Space, request: Any, **data: Any) -> None:
    audit_record(
        action=f"community.{action}",
        actor=actor,
        target=space,
        data={"space_id": space.pk, **data},
        request=request,
    )


# --- Spaces ----------------------------------------------------------------------------------


@transaction.atomic
def space_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    category: str,
    visibility: str = SpaceVisibility.OPEN,
    description: str = "",
    guidelines: str = "",
    requires_approval: bool = False,
    organization: Organization | None = None,
    request: Any = None,
) -> Space:
    """Open a space; its creator becomes its first moderator (and a member who follows it)."""
    if kind not in SpaceKind.values:
        message = "Choose the staff network or the patient community."
        raise ValidationFailed(message, field_errors={"kind": [message]})
    if not can_create_space(actor, kind):
        raise PermissionRefused(
            "Staff-network members open staff spaces; center staff and moderators open "
            "patient groups."
        )
    name = _text(name, field="name", label="Name", limit=MAX_NAME, required=True)
    space = Space(
        kind=kind,
        name=name,
        category=_category(category, kind),
        visibility=_visibility(visibility),
        description=_text(
            description, field="description", label="Description", limit=MAX_DESCRIPTION
        ),
        guidelines=_text(guidelines, field="guidelines", label="Guidelines", limit=MAX_GUIDELINES),
        requires_approval=bool(requires_approval),
        organization=_organization(actor, organization, None),
        created_by=actor,
        member_count=1,
    )
    for _attempt in range(5):
        space.slug = unique_slug(name)
        try:
            with transaction.atomic():
                space.save()
            break
        except IntegrityError:
            continue  # someone took the slug a moment ago: pick the next one
    else:  # pragma: no cover - five races in a row
        raise Conflict("Could not find a free address for the space; try again.")
    profile_ensure(actor)
    membership = SpaceMembership.objects.create(
        space=space,
        user=actor,
        role=MembershipRole.MODERATOR,
        status=MembershipStatus.ACTIVE,
        guidelines_accepted_at=timezone.now(),
    )
    _follow(actor, space)
    _forget(actor, space, membership)
    _audit(
        "space.create",
        actor=actor,
        space=space,
        request=request,
        kind=kind,
        visibility=space.visibility,
    )
    return space


@transaction.atomic
def space_update(
    *, actor: Any, space: Space, fields: Mapping[str, Any], request: Any = None
) -> Space:
    """Change a space's name, texts, category, visibility, pre-approval or organization.

    The network (kind) never changes: moving a space would show its posts to other people.
    Making a space open lets in everyone who asked to join; making it private or invite only
    takes the space's notifications back from everyone who is not a member.
    """
    _check_manager(actor, space)
    unknown = set(fields) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"space_update cannot change {sorted(unknown)}")
    locked = Space.objects.select_for_update().get(pk=space.pk)
    changes: dict[str, Any] = {}
    if "name" in fields:
        changes["name"] = _text(
            fields["name"], field="name", label="Name", limit=MAX_NAME, required=True
        )
    if "description" in fields:
        changes["description"] = _text(
            fields["description"], field="description", label="Description", limit=MAX_DESCRIPTION
        )
    if "guidelines" in fields:
        changes["guidelines"] = _text(
            fields["guidelines"], field="guidelines", label="Guidelines", limit=MAX_GUIDELINES
        )
    if "category" in fields:
        changes["category"] = _category(fields["category"], locked.kind)
    if "visibility" in fields:
        changes["visibility"] = _visibility(fields["visibility"])
    if "requires_approval" in fields:
        changes["requires_approval"] = bool(fields["requires_approval"])
    if "organization" in fields:
        changes["organization"] = _organization(
            actor, fields["organization"], locked.organization_id
        )
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    before_visibility = locked.visibility
    for name in changed:
        setattr(locked, name, changes[name])
    locked.save(update_fields=[*changed, "updated_at"])
    if "visibility" in changed:
        _visibility_changed(actor, locked, before_visibility)
    _audit(
        "space.update",
        actor=actor,
        space=locked,
        request=request,
        fields=sorted(changed),
        visibility_from=before_visibility,
        visibility_to=locked.visibility,
    )
    for name in changed:
        setattr(space, name, getattr(locked, name))
    return locked


def _visibility_changed(actor: Any, space: Space, before: str) -> None:
    if space.visibility == SpaceVisibility.OPEN:
        _approve_all_requests(space)
        return
    if before != SpaceVisibility.OPEN:
        return
    members = SpaceMembership.objects.filter(space=space, status=MembershipStatus.ACTIVE)
    Follow.objects.filter(space=space).exclude(follower_id__in=members.values("user_id")).delete()
    # Everyone the space told something while it was open, who now may not read it.
    outsiders = (
        Notification.objects.filter(scope=space.scope)
        .exclude(recipient_id__in=members.values("user_id"))
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for person in User.objects.filter(pk__in=list(outsiders)).order_by("pk"):
        if not is_global_moderator(person):
            notifications_withdraw(scope=space.scope, recipient=person)


def _approve_all_requests(space: Space) -> None:
    waiting = list(
        SpaceMembership.objects.select_for_update()
        .filter(space=space, status=MembershipStatus.REQUESTED)
        .select_related("user")
        .order_by("pk")
    )
    for membership in waiting:
        _activate(membership, space)
        _tell(
            membership.user,
            space,
            kind=NotificationKind.ACCESS,
            summary=f"You are now a member of {space.name}: it became open to everyone",
            url=space_url(space),
            actor=None,
        )


@transaction.atomic
def space_archive(*, actor: Any, space: Space, archived: bool = True, request: Any = None) -> Space:
    """Archive a space (read only: no joining, posting or reacting) or bring it back."""
    _check_manager(actor, space)
    locked = Space.objects.select_for_update().get(pk=space.pk)
    if (locked.archived_at is not None) == archived:
        raise Conflict(
            "The space is archived already." if archived else "The space is not archived."
        )
    locked.archived_at = timezone.now() if archived else None
    locked.save(update_fields=["archived_at", "updated_at"])
    space.archived_at = locked.archived_at
    _audit(
        "space.archive" if archived else "space.unarchive",
        actor=actor,
        space=locked,
        request=request,
    )
    return locked


# --- Joining and leaving ---------------------------------------------------------------------


def _activate(membership: SpaceMembership, space: Space) -> None:
    membership.status = MembershipStatus.ACTIVE
    if membership.guidelines_accepted_at is None:
        membership.guidelines_accepted_at = timezone.now()
    membership.save(update_fields=["status", "guidelines_accepted_at", "updated_at"])
    _count_joined(space)
    _follow(membership.user, space)
    _forget(membership.user, space, membership)


@transaction.atomic
def membership_join(
    *, actor: Any, space: Space, accept_guidelines: bool, request: Any = None
) -> SpaceMembership:
    """Join an open space, ask to join a private one, or accept an invitation.

    The space's guidelines must be accepted first (when it has any). Joining follows the space;
    a request waits for a moderator (who is told) and is a member only once approved.
    """
    if not can_see_space(actor, space):
        raise NotFound("There is no such space, or you may not see it.")
    membership = _locked_membership(space, actor)
    _forget(actor, space, membership)
    if membership is not None:
        if membership.status == MembershipStatus.ACTIVE:
            raise Conflict("You are a member of this space already.")
        if membership.status == MembershipStatus.REQUESTED:
            raise Conflict("You asked to join already; a moderator will decide.")
        if membership.status == MembershipStatus.BANNED:
            raise PermissionRefused("You were banned from this space and cannot join it again.")
    if space.archived_at is not None:
        raise PermissionRefused("This space is archived: no one can join it.")
    if membership is None and space.visibility == SpaceVisibility.INVITE_ONLY:
        raise PermissionRefused("This space is by invitation only.")
    if space.guidelines.strip() and not accept_guidelines:
        message = "Read the space's guidelines and accept them to join."
        raise ValidationFailed(message, field_errors={"accept_guidelines": [message]})
    profile_ensure(actor)
    now = timezone.now()
    if membership is not None:  # an invitation, accepted
        membership.guidelines_accepted_at = now
        _activate(membership, space)
        _audit(
            "membership.accept_invitation",
            actor=actor,
            space=space,
            request=request,
            user_id=actor.pk,
        )
        return membership
    # The center's moderators look after every space: they need no one's approval.
    asks = space.visibility == SpaceVisibility.PRIVATE and not is_global_moderator(actor)
    try:
        with transaction.atomic():
            membership = SpaceMembership.objects.create(
                space=space,
                user=actor,
                status=MembershipStatus.REQUESTED if asks else MembershipStatus.ACTIVE,
                guidelines_accepted_at=now,
            )
    except IntegrityError as error:
        raise Conflict("You joined or asked to join this space a moment ago.") from error
    _forget(actor, space, membership)
    if asks:
        notify_many(
            recipients=_space_moderators(space, besides=actor),
            kind=NotificationKind.ACCESS,
            summary=f"asked to join {space.name}",
            url=members_url(space),
            actor=actor,
            actor_label=_label(actor, space),
            scope=space.scope,
            scope_label=space.name,
            dedupe_key=f"community.join_request:{membership.pk}",
        )
    else:
        _count_joined(space)
        _follow(actor, space)
    return membership


@transaction.atomic
def membership_leave(*, actor: Any, space: Space, request: Any = None) -> str:
    """Leave a space, withdraw a request to join, or decline an invitation. Returns what ended:
    ``"left"``, ``"withdrawn"`` or ``"declined"``.

    A member who is muted stays until the mute ends (leaving and coming back must not lift it);
    a space's last moderator appoints another before leaving, while other members remain.
    """
    if not can_see_space(actor, space):
        raise NotFound("There is no such space, or you may not see it.")
    membership = _locked_membership(space, actor)
    if membership is None:
        raise Conflict("You are not a member of this space.")
    if membership.status == MembershipStatus.BANNED:
        raise PermissionRefused("You were banned from this space; a ban stays until lifted.")
    if membership.status == MembershipStatus.INVITED:
        _end_invitation(actor, space, membership, request=request, by_invitee=True)
        return "declined"
    if membership.status == MembershipStatus.REQUESTED:
        membership.delete()
        _forget(actor, space, None)
        return "withdrawn"
    if membership.muted_until is not None and membership.muted_until > timezone.now():
        raise Conflict(
            "You are muted in this space until "
            f"{timezone.localtime(membership.muted_until):%d %B %Y %H:%M}; you can leave after "
            "that."
        )
    if (
        not is_global_moderator(actor)
        and _is_last_moderator(membership)
        and SpaceMembership.objects.filter(space=space, status=MembershipStatus.ACTIVE)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise Conflict(
            "You are this space's only moderator: appoint another moderator before you leave."
        )
    membership.delete()
    _count_left(space)
    _unfollow(actor, space)
    _withdraw_if_closed(space, actor)
    _forget(actor, space, None)
    if membership.role == MembershipRole.MODERATOR:
        _audit(
            "membership.moderator_left", actor=actor, space=space, request=request, user_id=actor.pk
        )
    return "left"


def _end_invitation(
    actor: Any, space: Space, membership: SpaceMembership, *, request: Any, by_invitee: bool
) -> None:
    person = membership.user
    membership.delete()
    _forget(person, space, None)
    # The invitation's notification names the space: take it back.
    notifications_withdraw(scope=space.scope, recipient=person)
    _audit(
        "membership.decline_invitation" if by_invitee else "membership.revoke_invitation",
        actor=actor,
        space=space,
        request=request,
        user_id=person.pk,
    )


@transaction.atomic
def invitation_decline(*, actor: Any, space: Space, request: Any = None) -> None:
    """Say no to an invitation (an invite-only space disappears from view again)."""
    if not can_see_space(actor, space):
        raise NotFound("There is no such space, or you may not see it.")
    membership = _locked_membership(space, actor)
    if membership is None or membership.status != MembershipStatus.INVITED:
        raise Conflict("You have no invitation to this space.")
    _end_invitation(actor, space, membership, request=request, by_invitee=True)


# --- Managing members ------------------------------------------------------------------------


def person_for_invite(who: str) -> Any:
    """The active person named by an email address or an @handle, or None."""
    value = (who or "").strip()
    if not value:
        return None
    if value.startswith("@"):
        value = value[1:]
    elif "@" in value:
        return User.objects.filter(
            email__iexact=value, is_active=True, deleted_at__isnull=True
        ).first()
    profile = (
        CommunityProfile.objects.filter(
            handle__iexact=value, user__is_active=True, user__deleted_at__isnull=True
        )
        .select_related("user")
        .first()
    )
    return profile.user if profile is not None else None


@transaction.atomic
def membership_invite(
    *, actor: Any, space: Space, who: str, request: Any = None
) -> SpaceMembership:
    """Invite someone by email or @handle. Only people who may use the space's network can be
    invited; the same answer is given whether or not such a person exists, so inviting cannot be
    used to find out who has an account."""
    _check_manager(actor, space)
    if space.archived_at is not None:
        raise PermissionRefused("This space is archived: no one can join it.")
    who = _text(who, field="who", label="Email or @handle", limit=MAX_WHO, required=True)
    person = person_for_invite(who)
    if person is None or not may_use_kind(person, space.kind):
        network = "staff network" if space.kind == SpaceKind.STAFF else "patient community"
        message = f"No one with that email or @handle can be invited to the {network}."
        raise ValidationFailed(message, field_errors={"who": [message]})
    membership = _locked_membership(space, person)
    if membership is not None:
        message = {
            MembershipStatus.ACTIVE: "They are a member already.",
            MembershipStatus.INVITED: "They are invited already.",
            MembershipStatus.REQUESTED: "They asked to join already: approve their request.",
            MembershipStatus.BANNED: "They are banned from this space; lift the ban first.",
        }[MembershipStatus(membership.status)]
        raise Conflict(message, field_errors={"who": [message]})
    try:
        with transaction.atomic():
            membership = SpaceMembership.objects.create(
                space=space, user=person, status=MembershipStatus.INVITED, invited_by=actor
            )
    except IntegrityError as error:
        raise Conflict("They joined or were invited a moment ago.") from error
    _forget(person, space, membership)
    _tell(
        person,
        space,
        kind=NotificationKind.ACCESS,
        summary=f"invited you to join {space.name}",
        url=join_url(space),
        actor=actor,
    )
    _audit("membership.invite", actor=actor, space=space, request=request, user_id=person.pk)
    return membership


@transaction.atomic
def membership_decide(
    *, actor: Any, membership: SpaceMembership, approve: bool, request: Any = None
) -> SpaceMembership | None:
    """Approve a request to join (the person becomes a member and follows the space) or decline
    it (the request is gone; they may ask again). Returns the membership, or None if declined."""
    space = membership.space
    _check_manager(actor, space)
    locked = _locked(membership)
    if locked.status != MembershipStatus.REQUESTED:
        raise Conflict("That request was decided already.")
    person = membership.user
    locked.user = person
    if approve:
        _activate(locked, space)
        _tell(
            person,
            space,
            kind=NotificationKind.ACCESS,
            summary=f"approved your request to join {space.name}",
            url=space_url(space),
            actor=actor,
        )
    else:
        locked.delete()
        _forget(person, space, None)
        _withdraw_if_closed(space, person)
        _tell(
            person,
            space,
            kind=NotificationKind.ACCESS,
            summary=f"declined your request to join {space.name}",
            url=reverse("community:space_list"),
            actor=actor,
        )
    _audit(
        "membership.approve" if approve else "membership.decline",
        actor=actor,
        space=space,
        request=request,
        user_id=person.pk,
    )
    if not approve:
        return None
    membership.status = locked.status
    return locked


@transaction.atomic
def moderator_set(
    *, actor: Any, membership: SpaceMembership, is_moderator: bool, request: Any = None
) -> SpaceMembership:
    """Appoint a member as a moderator of the space, or dismiss one. A moderator of a patient
    group sees who writes behind pseudonyms there. The last moderator stays until another is
    appointed (center staff may dismiss anyone: they moderate every space)."""
    space = membership.space
    _check_manager(actor, space)
    locked = _locked(membership)
    person = membership.user
    locked.user = person
    if locked.status != MembershipStatus.ACTIVE:
        raise Conflict("Only members can be moderators; they have not joined.")
    role = MembershipRole.MODERATOR if is_moderator else MembershipRole.MEMBER
    if locked.role == role:
        raise Conflict(
            "They are a moderator already." if is_moderator else "They are not a moderator."
        )
    if is_moderator and not may_use_kind(person, space.kind):
        raise Conflict("They may no longer use this network, so they cannot moderate here.")
    if not is_moderator and not is_global_moderator(actor) and _is_last_moderator(locked):
        raise Conflict("This is the space's only moderator: appoint another one first.")
    before = locked.role
    locked.role = role
    locked.save(update_fields=["role", "updated_at"])
    _forget(person, space, locked)
    membership.role = role
    _tell(
        person,
        space,
        kind=NotificationKind.ACCESS,
        summary=(
            f"made you a moderator of {space.name}"
            if is_moderator
            else f"ended your role as a moderator of {space.name}"
        ),
        url=space_url(space),
        actor=actor,
    )
    _audit(
        "membership.role",
        actor=actor,
        space=space,
        request=request,
        user_id=person.pk,
        role_from=before,
        role_to=role,
    )
    return locked


@transaction.atomic
def member_remove(
    *, actor: Any, membership: SpaceMembership, reason: str = "", request: Any = None
) -> None:
    """Remove a member (they may join an open space again; a ban is the moderators' sanction) or
    take back an invitation. The person is told, with the reason when one is given."""
    space = membership.space
    _check_manager(actor, space)
    reason = _text(reason, field="reason", label="Reason", limit=MAX_REASON)
    locked = _locked(membership)
    person = membership.user
    locked.user = person
    if person.pk == getattr(actor, "pk", None):
        raise Conflict("To leave the space yourself, use Leave.")
    if locked.status == MembershipStatus.INVITED:
        _end_invitation(actor, space, locked, request=request, by_invitee=False)
        return
    if locked.status != MembershipStatus.ACTIVE:
        raise Conflict(
            "Only members and invitations can be removed; decide requests, and lift bans "
            "on the moderation page."
        )
    was_role = locked.role
    locked.delete()
    _count_left(space)
    _unfollow(person, space)
    _withdraw_if_closed(space, person)
    _forget(person, space, None)
    summary = f"removed you from {space.name}"
    if reason:
        summary = f"{summary}: {reason}"
    notify(
        recipient=person,
        kind=NotificationKind.MODERATION,
        summary=summary[:300],
        url=reverse("community:space_list"),
        actor=actor,
        actor_label=_label(actor, space),
        # No scope: this notice must stay when the space's notifications are taken back.
    )
    _audit(
        "membership.remove",
        actor=actor,
        space=space,
        request=request,
        user_id=person.pk,
        role=was_role,
        has_reason=bool(reason),
    )
