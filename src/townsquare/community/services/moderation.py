"""Moderation: flags, decisions about posts and comments, and sanctions on people.

Every decision is lock, check, write. The row is locked in the state the decision expects (a
held post to approve, a live one to hide, a member to mute), so when two moderators decide at
once the second finds the state changed and gets a Conflict: nothing is applied twice. The
publishing helpers (``post_published`` and the others) keep counters, hashtags, search and
notifications in step. Each decision writes a ``ModerationAction`` (the space's log) and an audit
record (``community.moderation.<kind>``) in the same transaction, resolves the open flags on the
content, and tells the author (or the person sanctioned) what happened and why.

What people wrote never goes into audit data or notifications: the audit says which decision,
about what, by whom; the reason is kept in the log and shown to the author.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_rows
from townsquare.notifications.models import NotificationKind
from townsquare.notifications.services import notifications_withdraw, notify, notify_many

from .. import feed_cache
from ..models import (
    Comment,
    ContentStatus,
    Flag,
    FlagReason,
    FlagStatus,
    Follow,
    HoldReason,
    MembershipRole,
    MembershipStatus,
    ModerationAction,
    ModerationActionKind,
    Post,
    Space,
    SpaceMembership,
)
from ..permissions import (
    can_moderate_space,
    can_read_space,
    can_see_comment,
    can_see_post,
    can_see_space,
    is_global_moderator,
    remember_membership,
)
from ..selectors.moderation import (
    COMMENT,
    POST,
    flag_refusal,
    has_flagged,
    moderation_target,
    person_in_space,
    space_of,
    target_type_of,
)
from .publishing import (
    comment_published,
    comment_unpublished,
    comment_url,
    post_published,
    post_unpublished,
    post_url,
)

MAX_REASON = 1000
MAX_NOTE = 1000
MAX_MUTE_DAYS = 365
# Discourse's idea: enough members flagging the same thing hides it until a moderator looks.
FLAGS_TO_HIDE = 3
AUTO_HIDE_REASON = (
    "Hidden until a moderator reviews it: several members flagged it. "
    "A moderator will restore it or tell you what to change."
)
MODERATOR_LABEL = "A moderator"

Target = Post | Comment


# --- Shared checks and records ---------------------------------------------------------------


def _require_moderator(actor: Any, space: Space) -> None:
    if not can_see_space(actor, space):
        raise NotFound("There is no such space.")
    if not can_moderate_space(actor, space):
        raise PermissionRefused("Only the moderators of this space may do this.")


def clean_reason(value: str | None, *, required: bool, what: str = "the decision") -> str:
    reason = (value or "").strip()
    if "\x00" in reason:
        raise ValidationFailed(
            "The reason may not contain the NUL character.", field_errors={"reason": ["Remove it."]}
        )
    if required and not reason:
        message = f"Give a reason for {what}: the person concerned reads it."
        raise ValidationFailed(message, field_errors={"reason": [message]})
    if len(reason) > MAX_REASON:
        message = f"Shorten the reason to {MAX_REASON:,} characters."
        raise ValidationFailed(message, field_errors={"reason": [message]})
    return reason


def _record(
    *,
    actor: Any,
    space: Space,
    kind: str,
    reason: str,
    target: Target | None = None,
    subject: Any = None,
    until: datetime.datetime | None = None,
    data: dict[str, Any] | None = None,
    request: Any = None,
) -> ModerationAction:
    """The log entry and its audit record, in the caller's transaction (no text of the post;
    the reason stays in the log, whose entry the audit names)."""
    action = ModerationAction.objects.create(
        space=space,
        moderator=actor,
        action=kind,
        post=target if isinstance(target, Post) else None,
        comment=target if isinstance(target, Comment) else None,
        subject=subject,
        reason=reason,
        until=until,
    )
    audit_data: dict[str, Any] = {
        "space_id": space.pk,
        "moderation_action_id": action.pk,
        "has_reason": bool(reason),
    }
    if target is not None:
        audit_data[f"{target_type_of(target)}_id"] = target.pk
    if subject is not None:
        audit_data["subject_id"] = subject.pk
    if until is not None:
        audit_data["until"] = until.isoformat()
    audit_data.update(data or {})
    audit_record(
        action=f"community.moderation.{kind}",
        actor=actor,
        target=target if target is not None else subject,
        data=audit_data,
        request=request,
    )
    return action


def _noun(target: Target) -> str:
    return "comment" if isinstance(target, Comment) else "post"


def _url_of(target: Target) -> str:
    return comment_url(target) if isinstance(target, Comment) else post_url(target)


def _with_reason(text: str, reason: str) -> str:
    return f"{text}: {reason}" if reason else text


def space_url(space: Space, person: Any = None) -> str:
    """The space's page; for someone who may not know the space, the community's home."""
    if person is not None and not can_see_space(person, space):
        return reverse("community:home")
    return reverse("community:space_detail", args=[space.slug])


def _moderators_of(space: Space) -> list[Any]:
    return [
        membership.user
        for membership in space.memberships.filter(
            role=MembershipRole.MODERATOR, status=MembershipStatus.ACTIVE
        ).select_related("user")
    ]


# --- Flags -----------------------------------------------------------------------------------


@transaction.atomic
def flag_create(
    *, actor: Any, target: Target, reason: str, note: str = "", request: Any = None
) -> Flag:
    """Flag a post or comment for the space's moderators, with a reason and an optional note.

    Flagging something one may not see is "not found"; one's own content, or what is not live, is
    refused; a second flag of the same thing by the same person is a Conflict and changes
    nothing. When ``FLAGS_TO_HIDE`` people have flagged it, it is hidden until a moderator
    reviews it (the flags stay open in the queue).
    """
    visible = (
        can_see_comment(actor, target)
        if isinstance(target, Comment)
        else can_see_post(actor, target)
    )
    if not visible:
        raise NotFound(f"There is no such {_noun(target)}.")
    refusal = flag_refusal(actor, target)
    if refusal:
        raise PermissionRefused(refusal)
    if reason not in FlagReason.values:
        message = "Choose why you are flagging it."
        raise ValidationFailed(message, field_errors={"reason": [message]})
    note = (note or "").strip()
    if "\x00" in note:
        raise ValidationFailed(
            "The note may not contain the NUL character.", field_errors={"note": ["Remove it."]}
        )
    if len(note) > MAX_NOTE:
        message = f"Shorten the note to {MAX_NOTE:,} characters."
        raise ValidationFailed(message, field_errors={"note": [message]})
    space = space_of(target)
    noun = _noun(target)
    if has_flagged(actor, target):  # the constraint below catches a flag that slips in between
        raise Conflict(f"You have already flagged this {noun}; the moderators have it.")
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                space=space, reporter=actor, reason=reason, note=note, **{noun: target}
            )
    except IntegrityError as error:
        raise Conflict(f"You have already flagged this {noun}; the moderators have it.") from error
    audit_record(
        action="community.moderation.flag",
        actor=actor,
        target=target,
        data={"space_id": space.pk, "flag_id": flag.pk, "reason": reason, "has_note": bool(note)},
        request=request,
    )
    # One notice per round of flags: once they are resolved, the next flag tells them again.
    first_open = (
        Flag.objects.filter(status=FlagStatus.OPEN, **{noun: target})
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    notify_many(
        recipients=_moderators_of(space),
        kind=NotificationKind.MODERATION,
        summary=f"flagged a {noun} in {space.name} for review",
        url=reverse("community:moderation_queue", args=[space.slug]),
        actor=actor,
        actor_label="A member",
        scope=space.scope,
        scope_label=space.name,
        dedupe_key=f"community.flag:{noun}:{target.pk}:{first_open}",
    )
    _hide_when_flagged_enough(target, space)
    return flag


def _hide_when_flagged_enough(target: Target, space: Space) -> None:
    noun = _noun(target)
    open_flags = Flag.objects.filter(status=FlagStatus.OPEN, **{noun: target}).count()
    if open_flags < FLAGS_TO_HIDE:
        return
    rows = _lock_in_state(target, (ContentStatus.PUBLISHED,))
    if not rows:
        return  # a moderator got there first
    locked = rows[0]
    _unpublish(locked, status=ContentStatus.HIDDEN, reason=AUTO_HIDE_REASON, moderator=None)
    _record(
        actor=None,
        space=space,
        kind=ModerationActionKind.HIDE,
        reason=AUTO_HIDE_REASON,
        target=locked,
        subject=locked.author,
        data={"automatic": True, "open_flags": open_flags},
    )
    notify(
        recipient=locked.author,
        kind=NotificationKind.MODERATION,
        summary=f"hid your {noun} in {space.name} until a moderator reviews it "
        "(several members flagged it)",
        url=_url_of(locked),
        actor_label="The community",
        scope=space.scope,
        scope_label=space.name,
        dedupe_key=f"community.autohide:{noun}:{locked.pk}",
    )
    target.status = locked.status


# --- Decisions about content -----------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    kind: str
    from_statuses: tuple[str, ...]
    to_status: str
    reason_required: bool
    flags_become: str
    verb: str  # how the author is told: "<verb> your post in <space>"


RULES: dict[str, _Rule] = {
    "approve": _Rule(
        ModerationActionKind.APPROVE,
        (ContentStatus.PENDING,),
        ContentStatus.PUBLISHED,
        False,
        FlagStatus.DISMISSED,
        "approved",
    ),
    "reject": _Rule(
        ModerationActionKind.REJECT,
        (ContentStatus.PENDING,),
        ContentStatus.REMOVED,
        True,
        FlagStatus.UPHELD,
        "declined",
    ),
    "hide": _Rule(
        ModerationActionKind.HIDE,
        (ContentStatus.PUBLISHED,),
        ContentStatus.HIDDEN,
        True,
        FlagStatus.UPHELD,
        "hid",
    ),
    "restore": _Rule(
        ModerationActionKind.RESTORE,
        (ContentStatus.HIDDEN, ContentStatus.REMOVED),
        ContentStatus.PUBLISHED,
        False,
        FlagStatus.DISMISSED,
        "restored",
    ),
    "remove": _Rule(
        ModerationActionKind.REMOVE,
        (ContentStatus.PUBLISHED, ContentStatus.PENDING, ContentStatus.HIDDEN),
        ContentStatus.REMOVED,
        True,
        FlagStatus.UPHELD,
        "removed",
    ),
}
CONTENT_ACTIONS = (*RULES, "dismiss")


def _lock_in_state(target: Target, statuses: Sequence[str]) -> list[Any]:
    """Lock the row if it is (still) in one of ``statuses``: empty when it is not.

    On PostgreSQL a second moderator waits here for the first to commit, then reads the row again
    and finds it changed; on SQLite the IMMEDIATE transaction already lets one writer in at a time.
    """
    if isinstance(target, Comment):
        return lock_rows(
            Comment.objects.filter(pk=target.pk, status__in=statuses).select_related(
                "post__space", "author", "parent__author"
            )
        )
    return lock_rows(
        Post.objects.filter(pk=target.pk, status__in=statuses).select_related("space", "author")
    )


def _publish(locked: Target) -> bool:
    if isinstance(locked, Comment):
        return comment_published(locked)
    return post_published(locked)


def _unpublish(locked: Target, *, status: str, reason: str, moderator: Any) -> None:
    if isinstance(locked, Comment):
        comment_unpublished(locked, status=status, reason=reason, moderator=moderator)
    else:
        post_unpublished(locked, status=status, reason=reason, moderator=moderator)


def _changed_under_us(target: Target) -> Conflict:
    model = type(target)
    current = model.objects.filter(pk=target.pk).values_list("status", flat=True).first()
    label = dict(ContentStatus.choices).get(current or "", "gone").lower()
    return Conflict(
        f"This {_noun(target)} is {label} now: another moderator (or its author) may have "
        "decided already. Reload the queue to see where it stands."
    )


def _resolve_flags(target: Target, *, status: str, actor: Any) -> list[Flag]:
    """Close the open flags on ``target`` (locked, so each is closed once); the closed flags."""
    noun = _noun(target)
    flags = lock_rows(
        Flag.objects.filter(status=FlagStatus.OPEN, **{noun: target}).select_related("reporter")
    )
    if flags:
        Flag.objects.filter(pk__in=[flag.pk for flag in flags], status=FlagStatus.OPEN).update(
            status=status, resolved_by=actor, resolved_at=timezone.now()
        )
    return flags


def _tell_reporters(
    flags: Sequence[Flag],
    *,
    target: Target,
    space: Space,
    upheld: bool,
    actor: Any,
    record: ModerationAction,
) -> None:
    """The people who flagged it hear that it was looked at (not what was decided in detail)."""
    readers = [flag.reporter for flag in flags if can_read_space(flag.reporter, space)]
    if not readers:
        return
    noun = _noun(target)
    notify_many(
        recipients=readers,
        kind=NotificationKind.MODERATION,
        summary=(
            f"acted on the {noun} you flagged in {space.name}"
            if upheld
            else f"reviewed the {noun} you flagged in {space.name} and left it up"
        ),
        url=space_url(space) if upheld else _url_of(target),
        actor=actor,
        actor_label=MODERATOR_LABEL,
        scope=space.scope,
        scope_label=space.name,
        dedupe_key=f"community.flag-outcome:{record.pk}",
    )


def _decide(
    *, actor: Any, target: Target, action: str, reason: str, request: Any
) -> ModerationAction:
    rule = RULES[action]
    space = space_of(target)
    _require_moderator(actor, space)
    reason = clean_reason(reason, required=rule.reason_required, what=f"this {_noun(target)}")
    rows = _lock_in_state(target, rule.from_statuses)
    if not rows:
        raise _changed_under_us(target)
    locked = rows[0]
    before = locked.status
    held_for = locked.hold_reason
    if (
        action == "approve"
        and held_for == HoldReason.PHI
        and locked.author_id == actor.pk
        and not is_global_moderator(actor)
    ):
        raise PermissionRefused(
            "The privacy guard held your own post: another moderator must review it."
        )
    if (
        rule.to_status == ContentStatus.PUBLISHED
        and isinstance(locked, Comment)
        and locked.post.status in (ContentStatus.DELETED, ContentStatus.REMOVED)
    ):
        raise Conflict("Its post is no longer there, so the comment cannot be published.")
    if rule.to_status == ContentStatus.PUBLISHED:
        if not _publish(locked):
            raise _changed_under_us(target)
        type(locked).objects.filter(pk=locked.pk).update(
            moderation_reason=reason, moderated_by=actor, moderated_at=timezone.now()
        )
        locked.moderation_reason = reason
    else:
        _unpublish(locked, status=rule.to_status, reason=reason, moderator=actor)
    flags = _resolve_flags(locked, status=rule.flags_become, actor=actor)
    record = _record(
        actor=actor,
        space=space,
        kind=rule.kind,
        reason=reason,
        target=locked,
        subject=locked.author,
        data={
            "from_status": before,
            "to_status": rule.to_status,
            "hold_reason": held_for,
            "phi_kinds": list(locked.phi_kinds or []),
            "flags_resolved": len(flags),
        },
        request=request,
    )
    notify(
        recipient=locked.author,
        kind=NotificationKind.MODERATION,
        summary=_with_reason(f"{rule.verb} your {_noun(locked)} in {space.name}", reason),
        url=_url_of(locked),
        actor=actor,
        actor_label=MODERATOR_LABEL,
        scope=space.scope,
        scope_label=space.name,
        dedupe_key=f"community.moderation:{record.pk}",
    )
    if flags:
        _tell_reporters(
            flags,
            target=locked,
            space=space,
            upheld=rule.flags_become == FlagStatus.UPHELD,
            actor=actor,
            record=record,
        )
    target.status = rule.to_status
    target.moderation_reason = reason
    return record


@transaction.atomic
def content_approve(
    *, actor: Any, target: Target, reason: str = "", request: Any = None
) -> ModerationAction:
    """Publish a held post or comment (pre-approval or the privacy guard's hold)."""
    return _decide(actor=actor, target=target, action="approve", reason=reason, request=request)


@transaction.atomic
def content_reject(
    *, actor: Any, target: Target, reason: str, request: Any = None
) -> ModerationAction:
    """Decline a held post or comment: it is never published; the author reads why."""
    return _decide(actor=actor, target=target, action="reject", reason=reason, request=request)


@transaction.atomic
def content_hide(
    *, actor: Any, target: Target, reason: str, request: Any = None
) -> ModerationAction:
    """Take live content down for now; the author still sees it, with the reason, and may edit."""
    return _decide(actor=actor, target=target, action="hide", reason=reason, request=request)


@transaction.atomic
def content_restore(
    *, actor: Any, target: Target, reason: str = "", request: Any = None
) -> ModerationAction:
    """Put hidden or removed content back up (open flags on it are dismissed)."""
    return _decide(actor=actor, target=target, action="restore", reason=reason, request=request)


@transaction.atomic
def content_remove(
    *, actor: Any, target: Target, reason: str, request: Any = None
) -> ModerationAction:
    """Remove content for good (a moderator can still restore a mistake)."""
    return _decide(actor=actor, target=target, action="remove", reason=reason, request=request)


@transaction.atomic
def flags_dismiss(
    *, actor: Any, target: Target, reason: str = "", request: Any = None
) -> ModerationAction:
    """Close the open flags on a post or comment without acting on it."""
    space = space_of(target)
    _require_moderator(actor, space)
    reason = clean_reason(reason, required=False)
    flags = _resolve_flags(target, status=FlagStatus.DISMISSED, actor=actor)
    if not flags:
        raise Conflict(
            f"There are no open flags on this {_noun(target)}: another moderator may have "
            "dealt with them. Reload the queue."
        )
    record = _record(
        actor=actor,
        space=space,
        kind=ModerationActionKind.DISMISS,
        reason=reason,
        target=target,
        subject=target.author,
        data={"flags_resolved": len(flags)},
        request=request,
    )
    _tell_reporters(flags, target=target, space=space, upheld=False, actor=actor, record=record)
    return record


CONTENT_SERVICES: dict[str, Callable[..., ModerationAction]] = {
    "approve": content_approve,
    "reject": content_reject,
    "hide": content_hide,
    "restore": content_restore,
    "remove": content_remove,
    "dismiss": flags_dismiss,
}


@transaction.atomic
def content_decide(
    *,
    actor: Any,
    space: Space,
    target_type: str,
    target_id: int,
    action: str,
    reason: str = "",
    request: Any = None,
) -> ModerationAction:
    """One decision from the queue (or the API): find the post or comment in ``space``, then the
    service for ``action``."""
    _require_moderator(actor, space)
    if action not in CONTENT_SERVICES:
        message = "Choose approve, reject, hide, restore, remove or dismiss."
        raise ValidationFailed(message, field_errors={"action": [message]})
    if target_type not in (POST, COMMENT):
        message = "Say whether it is a post or a comment."
        raise ValidationFailed(message, field_errors={"target_type": [message]})
    target = moderation_target(space, target_type=target_type, target_id=target_id)
    return CONTENT_SERVICES[action](actor=actor, target=target, reason=reason, request=request)


# --- Sanctions on people ---------------------------------------------------------------------


SANCTIONS = ("warn", "mute", "unmute", "ban", "unban")


def _check_sanction(actor: Any, space: Space, person: Any) -> None:
    _require_moderator(actor, space)
    if person.pk == actor.pk:
        raise PermissionRefused("You cannot sanction yourself.")
    if is_global_moderator(person):
        raise PermissionRefused(
            "Center staff and platform moderators cannot be sanctioned in a space."
        )
    membership = SpaceMembership.objects.filter(space=space, user=person).first()
    if (
        membership is not None
        and membership.role == MembershipRole.MODERATOR
        and membership.status == MembershipStatus.ACTIVE
        and not is_global_moderator(actor)
    ):
        raise PermissionRefused(
            "A moderator of the space can only be sanctioned by center staff or a platform "
            "moderator."
        )


def _locked_membership(space: Space, person: Any) -> SpaceMembership | None:
    rows = lock_rows(SpaceMembership.objects.filter(space=space, user=person))
    return rows[0] if rows else None


def _forget(person: Any, space: Space, membership: SpaceMembership | None) -> None:
    """After a membership changed (bans and mutes write with ``update``, which sends no signal):
    the per-request caches and the person's kept first page."""
    remember_membership(person, space, membership)
    person.__dict__.pop("_community_readable_space_ids", None)
    feed_cache.reader_changed(person.pk)


def _tell_person(
    person: Any, space: Space, *, actor: Any, summary: str, record: ModerationAction, scope: str
) -> None:
    notify(
        recipient=person,
        kind=NotificationKind.MODERATION,
        summary=summary,
        url=space_url(space, person),
        actor=actor,
        actor_label=MODERATOR_LABEL,
        scope=scope,
        scope_label=space.name,
        dedupe_key=f"community.moderation:{record.pk}",
    )


@transaction.atomic
def person_warn(
    *, actor: Any, space: Space, person: Any, reason: str, request: Any = None
) -> ModerationAction:
    """A warning on the record, with the reason, sent to the person."""
    _check_sanction(actor, space, person)
    reason = clean_reason(reason, required=True, what="the warning")
    membership = _locked_membership(space, person)
    if membership is not None and membership.status == MembershipStatus.BANNED:
        raise Conflict("This person is banned from the space already.")
    record = _record(
        actor=actor,
        space=space,
        kind=ModerationActionKind.WARN,
        reason=reason,
        subject=person,
        request=request,
    )
    _tell_person(
        person,
        space,
        actor=actor,
        summary=_with_reason(f"warned you in {space.name}", reason),
        record=record,
        scope=space.scope,
    )
    return record


@transaction.atomic
def person_mute(
    *, actor: Any, space: Space, person: Any, days: int, reason: str, request: Any = None
) -> ModerationAction:
    """For ``days`` days the member may read and react but not post or comment."""
    _check_sanction(actor, space, person)
    reason = clean_reason(reason, required=True, what="the mute")
    if not isinstance(days, int) or not 1 <= days <= MAX_MUTE_DAYS:
        message = f"Mute for 1 to {MAX_MUTE_DAYS} days."
        raise ValidationFailed(message, field_errors={"days": [message]})
    now = timezone.now()
    membership = _locked_membership(space, person)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise Conflict("Only members of the space can be muted.")
    if membership.muted_until is not None and membership.muted_until > now:
        raise Conflict(
            "This member is muted already; lift the mute first to set a different length."
        )
    until = now + datetime.timedelta(days=days)
    changed = (
        SpaceMembership.objects.filter(pk=membership.pk, status=MembershipStatus.ACTIVE)
        .filter(Q(muted_until__isnull=True) | Q(muted_until__lte=now))
        .update(muted_until=until, sanction_reason=reason)
    )
    if not changed:
        raise Conflict("This member's standing changed meanwhile; reload the page.")
    membership.muted_until, membership.sanction_reason = until, reason
    _forget(person, space, membership)
    record = _record(
        actor=actor,
        space=space,
        kind=ModerationActionKind.MUTE,
        reason=reason,
        subject=person,
        until=until,
        data={"days": days},
        request=request,
    )
    _tell_person(
        person,
        space,
        actor=actor,
        summary=_with_reason(
            f"muted you in {space.name} until {timezone.localtime(until):%d %b %Y %H:%M}", reason
        ),
        record=record,
        scope=space.scope,
    )
    return record


@transaction.atomic
def person_unmute(
    *, actor: Any, space: Space, person: Any, reason: str = "", request: Any = None
) -> ModerationAction:
    _check_sanction(actor, space, person)
    reason = clean_reason(reason, required=False)
    now = timezone.now()
    membership = _locked_membership(space, person)
    changed = (
        SpaceMembership.objects.filter(pk=membership.pk, muted_until__gt=now).update(
            muted_until=None, sanction_reason=""
        )
        if membership is not None
        else 0
    )
    if not changed or membership is None:
        raise Conflict("This person is not muted in the space.")
    membership.muted_until, membership.sanction_reason = None, ""
    _forget(person, space, membership)
    record = _record(
        actor=actor,
        space=space,
        kind=ModerationActionKind.UNMUTE,
        reason=reason,
        subject=person,
        request=request,
    )
    _tell_person(
        person,
        space,
        actor=actor,
        summary=_with_reason(f"lifted your mute in {space.name}; you may post again", reason),
        record=record,
        scope=space.scope,
    )
    return record


@transaction.atomic
def person_ban(
    *, actor: Any, space: Space, person: Any, reason: str, request: Any = None
) -> ModerationAction:
    """The person may no longer read the space or join it again (a moderator is demoted); their
    follow of the space and their notifications from it are taken away."""
    _check_sanction(actor, space, person)
    reason = clean_reason(reason, required=True, what="the ban")
    membership = _locked_membership(space, person)
    before = membership.status if membership is not None else ""
    if membership is None:
        try:
            with transaction.atomic():
                membership = SpaceMembership.objects.create(
                    space=space,
                    user=person,
                    status=MembershipStatus.BANNED,
                    sanction_reason=reason,
                )
        except IntegrityError as error:  # they joined in the same moment: decide again
            raise Conflict("This person's membership changed meanwhile; try again.") from error
    else:
        if before == MembershipStatus.BANNED:
            raise Conflict("This person is banned from the space already.")
        changed = (
            SpaceMembership.objects.filter(pk=membership.pk)
            .exclude(status=MembershipStatus.BANNED)
            .update(
                status=MembershipStatus.BANNED,
                role=MembershipRole.MEMBER,
                muted_until=None,
                sanction_reason=reason,
            )
        )
        if not changed:
            raise Conflict("This person is banned from the space already.")
        membership.status, membership.role = MembershipStatus.BANNED, MembershipRole.MEMBER
        membership.muted_until, membership.sanction_reason = None, reason
        if before == MembershipStatus.ACTIVE:
            Space.objects.filter(pk=space.pk, member_count__gt=0).update(
                member_count=F("member_count") - 1
            )
    _forget(person, space, membership)
    Follow.objects.filter(follower=person, space=space).delete()
    notifications_withdraw(scope=space.scope, recipient=person)
    record = _record(
        actor=actor,
        space=space,
        kind=ModerationActionKind.BAN,
        reason=reason,
        subject=person,
        data={"previous_status": before},
        request=request,
    )
    # Outside the space's scope, so that what withdraws the space's notifications leaves it.
    _tell_person(
        person,
        space,
        actor=actor,
        summary=_with_reason(f"banned you from {space.name}", reason),
        record=record,
        scope="",
    )
    return record


@transaction.atomic
def person_unban(
    *, actor: Any, space: Space, person: Any, reason: str = "", request: Any = None
) -> ModerationAction:
    """Lift a ban: the person may join again as anyone else may (they are not made a member)."""
    _check_sanction(actor, space, person)
    reason = clean_reason(reason, required=False)
    membership = _locked_membership(space, person)
    deleted = (
        SpaceMembership.objects.filter(pk=membership.pk, status=MembershipStatus.BANNED).delete()[0]
        if membership is not None
        else 0
    )
    if not deleted:
        raise Conflict("This person is not banned from the space.")
    _forget(person, space, None)
    record = _record(
        actor=actor,
        space=space,
        kind=ModerationActionKind.UNBAN,
        reason=reason,
        subject=person,
        request=request,
    )
    _tell_person(
        person,
        space,
        actor=actor,
        summary=_with_reason(f"lifted your ban from {space.name}; you may join again", reason),
        record=record,
        scope="",
    )
    return record


@transaction.atomic
def person_sanction(
    *,
    actor: Any,
    space: Space,
    user_id: int,
    action: str,
    reason: str = "",
    days: int | None = None,
    request: Any = None,
) -> ModerationAction:
    """One sanction from a page or the API: find the person in the space, then the service."""
    _require_moderator(actor, space)
    if action not in SANCTIONS:
        message = "Choose warn, mute, unmute, ban or unban."
        raise ValidationFailed(message, field_errors={"action": [message]})
    person = person_in_space(space, user_id=user_id)
    if action == "warn":
        return person_warn(actor=actor, space=space, person=person, reason=reason, request=request)
    if action == "mute":
        if days is None:
            message = "Say for how many days."
            raise ValidationFailed(message, field_errors={"days": [message]})
        return person_mute(
            actor=actor, space=space, person=person, days=days, reason=reason, request=request
        )
    if action == "unmute":
        return person_unmute(
            actor=actor, space=space, person=person, reason=reason, request=request
        )
    if action == "ban":
        return person_ban(actor=actor, space=space, person=person, reason=reason, request=request)
    return person_unban(actor=actor, space=space, person=person, reason=reason, request=request)
