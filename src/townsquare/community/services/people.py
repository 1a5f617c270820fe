"""Follows of people and spaces, community profiles (@handle, pseudonym) and clinician checks.

Following a person brings their posts written under their own name to the follower's home feed;
it is for people whose profile the follower may see (``can_follow_person``), so patients follow
groups, not people, and a pseudonym never leads back to a name. Following a space brings its posts
to the home feed; watching it (notifications) is a separate, per-space setting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from townsquare.accounts.permissions import is_patient_only
from townsquare.core.audit import audit_record
from townsquare.core.errors import NotFound, PermissionRefused, ValidationFailed
from townsquare.notifications.models import NotificationKind
from townsquare.notifications.services import notifications_withdraw, notify

from ..models import Comment, CommunityProfile, Follow, Post, Space, SpaceKind, SpaceMembership
from ..permissions import (
    can_follow_person,
    can_follow_space,
    can_see_space,
    can_verify_clinicians,
    in_patient_community,
)
from ..permissions_people import can_edit_community_profile, can_see_person
from ..text import HANDLE_RE
from .profiles import profile_ensure

PSEUDONYM_MIN = 3
PSEUDONYM_MAX = 40
# Letters (any alphabet), digits, spaces and a little punctuation; never markup or look-alikes of
# the verified label.
PSEUDONYM_RE = re.compile(r"^[^\W_](?:[\w .'-]*[^\W_])?$")
CLINICIAN_TITLE_MAX = 120
# Handles that would pass for the center or address everyone.
RESERVED_HANDLES = frozenset(
    {
        "admin",
        "administrator",
        "all",
        "center",
        "channel",
        "everyone",
        "here",
        "moderator",
        "moderators",
        "staff",
        "support",
        "system",
        "townsquare",
    }
)


@dataclass(frozen=True)
class FollowResult:
    follow: Follow
    created: bool


def _forget_follow_caches(user: Any) -> None:
    user.__dict__.pop("_community_readable_space_ids", None)


# --- People ----------------------------------------------------------------------------------


def person_url(person: Any) -> str:
    profile = profile_ensure(person)
    return reverse("community:person_detail", args=[profile.handle])


@transaction.atomic
def follow_person(*, actor: Any, person: Any) -> FollowResult:
    """Follow someone (following again changes nothing). They are told once: following,
    unfollowing and following again does not notify them a second time."""
    if getattr(actor, "pk", None) == person.pk:
        raise ValidationFailed(
            "You cannot follow yourself.", field_errors={"person": ["Choose someone else."]}
        )
    if not can_see_person(actor, person):
        raise NotFound("There is nobody with this handle that you can see.")
    if not can_follow_person(actor, person):
        raise PermissionRefused("You may not follow this person.")
    follow, created = Follow.objects.get_or_create(follower=actor, followed_user=person)
    if created:
        profile_ensure(actor)
        url = person_url(actor) if can_see_person(person, actor) else reverse("community:following")
        notify(
            recipient=person,
            kind=NotificationKind.FOLLOW,
            summary="started following you",
            url=url,
            actor=actor,
            actor_label=actor.display_name,
            dedupe_key=f"community.follow:{actor.pk}:{person.pk}",
        )
    return FollowResult(follow, created)


@transaction.atomic
def unfollow_person(*, actor: Any, person: Any) -> bool:
    """Stop following someone; False when the actor did not follow them."""
    deleted, _ = Follow.objects.filter(follower=actor, followed_user=person).delete()
    return bool(deleted)


# --- Spaces ----------------------------------------------------------------------------------


@transaction.atomic
def follow_space(*, actor: Any, space: Space) -> FollowResult:
    """Bring a space's posts to the actor's home feed (for spaces they may read)."""
    if not can_see_space(actor, space):
        raise NotFound("There is no such space, or you may not see it.")
    if not can_follow_space(actor, space):
        raise PermissionRefused(
            "Only people who may read this space can follow it. Join it first, if you may."
        )
    follow, created = Follow.objects.get_or_create(follower=actor, space=space)
    _forget_follow_caches(actor)
    return FollowResult(follow, created)


@transaction.atomic
def unfollow_space(*, actor: Any, space: Space) -> bool:
    """Stop following a space (membership and notification settings stay as they are)."""
    deleted, _ = Follow.objects.filter(follower=actor, space=space).delete()
    _forget_follow_caches(actor)
    return bool(deleted)


# --- Profile ---------------------------------------------------------------------------------


def _handle_checked(raw: str, *, profile: CommunityProfile) -> str:
    handle = (raw or "").strip()
    if handle.startswith("@"):
        handle = handle[1:]
    if not handle:
        raise ValidationFailed(
            "Choose a handle.", field_errors={"handle": ["Choose a handle people can @mention."]}
        )
    if len(handle) > 30 or not HANDLE_RE.match(handle):
        message = (
            "A handle has 1 to 30 letters (a to z), digits, dots, dashes or underscores, "
            "and starts and ends with a letter or digit."
        )
        raise ValidationFailed(message, field_errors={"handle": [message]})
    # Stored in lower case: mentions are matched in lower case, and two handles that differ
    # only in case would pass for each other.
    handle = handle.lower()
    if handle in RESERVED_HANDLES and handle != profile.handle.lower():
        message = f"@{handle} is kept for the center; choose another handle."
        raise ValidationFailed(message, field_errors={"handle": [message]})
    taken = (
        CommunityProfile.objects.alias(handle_lower=Lower("handle"))
        .filter(handle_lower=handle)
        .exclude(pk=profile.pk)
        .exists()
    )
    if taken:
        message = f"@{handle} is taken; choose another handle."
        raise ValidationFailed(message, field_errors={"handle": [message]})
    return handle


def _has_written_under_pseudonym(user: Any) -> bool:
    return (
        Post.objects.filter(author=user, as_pseudonym=True).exists()
        or Comment.objects.filter(author=user, as_pseudonym=True).exists()
    )


def _pseudonym_checked(
    raw: str, *, profile: CommunityProfile, actor: Any, use_pseudonym: bool
) -> str:
    pseudonym = " ".join((raw or "").split())
    if not pseudonym:
        if use_pseudonym:
            message = "Choose a pseudonym to write under it."
            raise ValidationFailed(message, field_errors={"pseudonym": [message]})
        if profile.pseudonym and _has_written_under_pseudonym(actor):
            # Without it, what was written under the pseudonym would show the real name.
            message = (
                "You have written under this pseudonym, so it stays with those posts. You may "
                "change it, or stop using it for what you write next."
            )
            raise ValidationFailed(message, field_errors={"pseudonym": [message]})
        return ""
    if not PSEUDONYM_MIN <= len(pseudonym) <= PSEUDONYM_MAX or not PSEUDONYM_RE.match(pseudonym):
        message = (
            f"A pseudonym has {PSEUDONYM_MIN} to {PSEUDONYM_MAX} letters, digits, spaces, dots, "
            "apostrophes or dashes, and starts and ends with a letter or digit."
        )
        raise ValidationFailed(message, field_errors={"pseudonym": [message]})
    if pseudonym.casefold() == (actor.display_name or "").strip().casefold():
        message = "A pseudonym that is your name would not hide it; choose another."
        raise ValidationFailed(message, field_errors={"pseudonym": [message]})
    if not in_patient_community(actor) and pseudonym != profile.pseudonym:
        message = "Pseudonyms are for the patient community, which your account does not use."
        raise ValidationFailed(message, field_errors={"pseudonym": [message]})
    taken = (
        CommunityProfile.objects.alias(pseudonym_lower=Lower("pseudonym"))
        .filter(pseudonym_lower=pseudonym.lower())
        .exclude(pk=profile.pk)
        .exists()
    )
    if taken:
        message = "Someone else writes under this pseudonym; choose another."
        raise ValidationFailed(message, field_errors={"pseudonym": [message]})
    return pseudonym


@transaction.atomic
def profile_update(
    *, actor: Any, handle: str, pseudonym: str, use_pseudonym: bool
) -> CommunityProfile:
    """Change one's @handle and pseudonym. Both are unique whatever their case; a clash (also one
    that slips in at the same moment) is a clear ValidationFailed, never a server error."""
    if not can_edit_community_profile(actor):
        raise PermissionRefused(
            "The community is for staff of member organizations, patients and caregivers, "
            "and verified clinicians; your account does not take part in it."
        )
    # A first profile is only written with the change, so a refused change leaves nothing behind.
    profile = CommunityProfile.objects.select_for_update().filter(user=actor).first()
    if profile is None:
        profile = CommunityProfile(user=actor, handle="")
    handle = _handle_checked(handle, profile=profile)
    use_pseudonym = bool(use_pseudonym)
    pseudonym = _pseudonym_checked(
        pseudonym, profile=profile, actor=actor, use_pseudonym=use_pseudonym
    )
    if use_pseudonym and not in_patient_community(actor):
        message = "Pseudonyms are for the patient community, which your account does not use."
        raise ValidationFailed(message, field_errors={"use_pseudonym": [message]})
    changes = {
        "handle_changed": handle != profile.handle,
        "pseudonym_changed": pseudonym != profile.pseudonym,
        "use_pseudonym_changed": use_pseudonym != profile.use_pseudonym,
    }
    is_new = profile._state.adding
    if not is_new and not any(changes.values()):
        return profile
    profile.handle, profile.pseudonym, profile.use_pseudonym = handle, pseudonym, use_pseudonym
    try:
        with transaction.atomic():
            if is_new:
                profile.save()
            else:
                profile.save(update_fields=["handle", "pseudonym", "use_pseudonym", "updated_at"])
    except IntegrityError as error:
        # Someone took the handle or pseudonym between the check and the write.
        message = "That handle or pseudonym was just taken; choose another."
        raise ValidationFailed(
            message, field_errors={"handle": [message], "pseudonym": [message]}
        ) from error
    actor.__dict__["_community_profile"] = profile
    # Which parts changed, never the values: the pseudonym must not be tied to a name in the log.
    audit_record(
        action="community.profile.update",
        actor=actor,
        target=profile,
        data={**changes, "use_pseudonym": use_pseudonym},
    )
    return profile


# --- Clinicians ------------------------------------------------------------------------------


def _title_checked(raw: str) -> str:
    title = " ".join((raw or "").split())
    if not title:
        message = "Give the clinician's title, e.g. Endocrinologist or Diabetes nurse educator."
        raise ValidationFailed(message, field_errors={"title": [message]})
    if len(title) > CLINICIAN_TITLE_MAX:
        message = f"A title has at most {CLINICIAN_TITLE_MAX} characters."
        raise ValidationFailed(message, field_errors={"title": [message]})
    return title


def _locked_profile(person: Any) -> CommunityProfile:
    profile_ensure(person)
    return CommunityProfile.objects.select_for_update().get(user=person)


@transaction.atomic
def clinician_verify(
    *, actor: Any, person: Any, title: str, request: Any = None
) -> CommunityProfile:
    """Center staff mark a health-care professional as a verified clinician, with a title shown
    beside their name. Verified clinicians may take part in the patient community."""
    if not can_verify_clinicians(actor):
        raise PermissionRefused("Only center staff verify clinicians.")
    if not person.is_active or person.deleted_at is not None:
        raise ValidationFailed(
            "This account is not active.", field_errors={"person": ["Not an active account."]}
        )
    if is_patient_only(person):
        message = "Only health-care professionals can be verified as clinicians."
        raise ValidationFailed(message, field_errors={"person": [message]})
    title = _title_checked(title)
    profile = _locked_profile(person)
    was_verified = profile.is_verified_clinician
    if was_verified and profile.clinician_title == title:
        return profile
    if not was_verified:
        profile.clinician_verified_at = timezone.now()
    profile.clinician_verified_by = actor
    profile.clinician_title = title
    profile.save(
        update_fields=[
            "clinician_verified_at",
            "clinician_verified_by",
            "clinician_title",
            "updated_at",
        ]
    )
    person.__dict__.pop("_community_profile", None)
    audit_record(
        action="community.clinician.verify",
        actor=actor,
        target=person,
        data={"title": title, "was_verified": was_verified},
        request=request,
    )
    if not was_verified:
        notify(
            recipient=person,
            kind=NotificationKind.ACCESS,
            summary="verified you as a clinician; the patient community is open to you",
            url=reverse("community:profile_settings"),
            actor=actor,
            actor_label="Center staff",
        )
    return profile


@transaction.atomic
def clinician_unverify(*, actor: Any, person: Any, request: Any = None) -> CommunityProfile:
    """Take the verified-clinician label away. Someone whose only way into the patient community
    was the label loses it, and with it their notifications from the patient groups."""
    if not can_verify_clinicians(actor):
        raise PermissionRefused("Only center staff verify clinicians.")
    profile = _locked_profile(person)
    if not profile.is_verified_clinician:
        return profile
    profile.clinician_verified_at = None
    profile.clinician_verified_by = None
    profile.clinician_title = ""
    profile.save(
        update_fields=[
            "clinician_verified_at",
            "clinician_verified_by",
            "clinician_title",
            "updated_at",
        ]
    )
    for key in ("_community_profile", "_community_readable_space_ids", "_community_memberships"):
        person.__dict__.pop(key, None)
    withdrawn = 0
    if not in_patient_community(person):
        patient_spaces = Space.objects.filter(
            kind=SpaceKind.PATIENT,
            pk__in=SpaceMembership.objects.filter(user=person).values("space_id"),
        ).order_by("pk")
        for space in patient_spaces:
            withdrawn += notifications_withdraw(scope=space.scope, recipient=person)
    audit_record(
        action="community.clinician.unverify",
        actor=actor,
        target=person,
        data={"notifications_withdrawn": withdrawn},
        request=request,
    )
    return profile
