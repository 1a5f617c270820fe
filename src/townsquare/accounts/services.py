"""Every write to accounts and organizations: one function per use case, audited."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from townsquare.core import stamps
from townsquare.core.audit import audit_record
from townsquare.core.email import email_queue
from townsquare.core.errors import (
    Conflict,
    NotFound,
    PermissionRefused,
    ValidationFailed,
    validated,
)
from townsquare.core.locks import lock_row, lock_rows
from townsquare.core.uploads import generated_name, image_kind, upload_validate

from . import permissions
from .models import (
    ApiToken,
    Organization,
    OrganizationInvitation,
    OrganizationMembership,
    OrganizationRole,
    Role,
    User,
    UserRole,
)

PROFILE_FIELDS = frozenset(
    {"display_name", "title", "profession", "credentials", "bio", "primary_organization"}
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionRefused(message)


def _require_member_manager(actor: User, organization: Organization) -> None:
    _require(
        permissions.can_manage_organization(actor, organization),
        "Only the organization's leaders and center staff manage its members.",
    )


def _check_organization_role(role: str) -> None:
    if role not in OrganizationRole.values:
        raise ValidationFailed(
            f"“{role}” is not an organization role.",
            field_errors={"role": ["Choose leader or member."]},
        )


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    display_name: str,
    profession: str = "other",
    roles: tuple[str, ...] = (Role.MEMBER,),
    title: str = "",
    credentials: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    email_verified: bool = True,
) -> User:
    """Create a person with roles and a verified (or not) primary email address."""
    from allauth.account.models import EmailAddress

    email = email.strip().lower()
    try:
        # The case-insensitive unique constraint decides, so two requests cannot both win.
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                password=password,
                display_name=display_name,
                profession=profession,
                title=title,
                credentials=credentials,
                is_staff=is_staff,
                is_superuser=is_superuser,
            )
    except IntegrityError as error:
        raise Conflict("An account with this email address already exists.") from error
    UserRole.objects.bulk_create([UserRole(user=user, role=role) for role in roles])
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    audit_record(action="account.created", actor=user, target=user, data={"roles": sorted(roles)})
    person_index(user.pk)
    return user


@transaction.atomic
def profile_update(
    *,
    actor: User,
    person: User,
    changes: dict[str, Any],
    avatar_upload: UploadedFile | None = None,
    remove_avatar: bool = False,
    request: HttpRequest | None = None,
) -> User:
    """Change profile fields and, in the same transaction, the avatar: all of it or nothing."""
    _require(permissions.can_edit_profile(actor, person), "You may not edit this profile.")
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise ValidationFailed(
            f"These fields cannot be changed here: {', '.join(sorted(unknown))}."
        )
    organization = changes.get("primary_organization")
    if (
        organization is not None
        and not person.memberships.filter(organization=organization).exists()
    ):
        raise ValidationFailed(
            "Choose one of your own organizations.",
            field_errors={"primary_organization": ["You are not a member of that organization."]},
        )
    if changes:
        for name, value in changes.items():
            setattr(person, name, value)
        validated(person, exclude=["password", "avatar"])
        person.save(update_fields=list(changes))
        audit_record(
            action="profile.updated",
            actor=actor,
            target=person,
            request=request,
            data={"fields": sorted(changes)},
        )
    if avatar_upload is not None or remove_avatar:
        avatar_set(actor=actor, person=person, upload=avatar_upload, request=request)
    person_index(person.pk)
    return person


@transaction.atomic
def avatar_set(
    *, actor: User, person: User, upload: UploadedFile | None, request: HttpRequest | None = None
) -> User:
    """Replace (or with ``upload=None`` remove) the avatar; the old file is deleted after commit."""
    _require(permissions.can_edit_profile(actor, person), "You may not edit this profile.")
    old_name = person.avatar.name if person.avatar else ""
    if upload is None:
        person.avatar = None  # type: ignore[assignment]
    else:
        checked = upload_validate(
            upload, kind=image_kind(settings.AVATAR_MAX_BYTES), field_name="avatar"
        )
        person.avatar.save(generated_name("avatars", checked.extension), checked.file, save=False)
    person.save(update_fields=["avatar"])
    if old_name:
        storage = person.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    audit_record(
        action="profile.avatar_changed",
        actor=actor,
        target=person,
        request=request,
        data={"removed": upload is None},
    )
    return person


def _sync_back_office_access(person: User) -> None:
    """Center staff open the back office (Django admin); losing the role closes it again."""
    is_staff = Role.STAFF in person.role_set or person.is_superuser
    if person.is_staff != is_staff:
        person.is_staff = is_staff
        person.save(update_fields=["is_staff"])


def _roles_changed(
    *, actor: User, person: User, action: str, role: str, request: HttpRequest | None
) -> None:
    """What follows any role change: fresh roles, back-office access, audit, directory entry."""
    person.forget_roles()
    _sync_back_office_access(person)
    audit_record(action=action, actor=actor, target=person, request=request, data={"role": role})
    person_index(person.pk)


@transaction.atomic
def role_grant(*, actor: User, person: User, role: str, request: HttpRequest | None = None) -> None:
    _require(permissions.can_manage_roles(actor), "Only center staff manage roles.")
    if role not in Role.values:
        raise ValidationFailed(
            f"“{role}” is not a role.", field_errors={"roles": ["Unknown role."]}
        )
    _, created = UserRole.objects.get_or_create(
        user=person, role=role, defaults={"granted_by": actor}
    )
    if created:
        _roles_changed(
            actor=actor, person=person, action="role.granted", role=role, request=request
        )


@transaction.atomic
def role_revoke(
    *, actor: User, person: User, role: str, request: HttpRequest | None = None
) -> None:
    _require(permissions.can_manage_roles(actor), "Only center staff manage roles.")
    if role == Role.STAFF and person.pk == actor.pk:
        raise Conflict("You cannot take away your own center-staff role; ask another staff member.")
    deleted, _ = UserRole.objects.filter(user=person, role=role).delete()
    if deleted:
        _roles_changed(
            actor=actor, person=person, action="role.revoked", role=role, request=request
        )


@transaction.atomic
def roles_set(
    *, actor: User, person: User, roles: set[str], request: HttpRequest | None = None
) -> None:
    """Make the person's roles exactly ``roles``: grants and revokes, each audited, all or none."""
    _require(permissions.can_manage_roles(actor), "Only center staff manage roles.")
    lock_row(User.objects.filter(pk=person.pk))
    current = set(UserRole.objects.filter(user=person).values_list("role", flat=True))
    for role in sorted(roles - current):
        role_grant(actor=actor, person=person, role=role, request=request)
    for role in sorted(current - roles):
        role_revoke(actor=actor, person=person, role=role, request=request)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "organization"
    slug, suffix = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{suffix}"
        suffix += 1
    return slug


@transaction.atomic
def organization_create(
    *,
    actor: User,
    name: str,
    kind: str,
    country: str,
    website: str = "",
    description: str = "",
    email_domain: str = "",
    leader: User | None = None,
    request: HttpRequest | None = None,
) -> Organization:
    _require(permissions.can_create_organization(actor), "Only center staff create organizations.")
    organization = Organization(
        name=name.strip(),
        slug=_unique_slug(name),
        kind=kind,
        country=country,
        website=website,
        description=description,
        email_domain=email_domain.strip().lower().lstrip("@"),
    )
    validated(organization, exclude=["sso_app"])
    organization.save()
    audit_record(
        action="organization.created",
        actor=actor,
        target=organization,
        request=request,
        data={"name": organization.name},
    )
    organization_index(organization)
    if leader is not None:
        _membership_insert(
            actor=actor,
            organization=organization,
            person=leader,
            role=OrganizationRole.LEADER,
            request=request,
        )
    return organization


@transaction.atomic
def organization_update(
    *,
    actor: User,
    organization: Organization,
    changes: dict[str, Any],
    request: HttpRequest | None = None,
) -> Organization:
    _require(
        permissions.can_manage_organization(actor, organization),
        "Only the organization's leaders and center staff may edit it.",
    )
    allowed = {"name", "kind", "country", "website", "description"}
    if permissions.is_center_staff(actor):
        allowed |= {"email_domain"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationFailed(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(organization, name, value)
    validated(organization, exclude=["sso_app"])
    organization.save()
    audit_record(
        action="organization.updated",
        actor=actor,
        target=organization,
        request=request,
        data={"fields": sorted(changes)},
    )
    organization_index(organization)
    return organization


def _membership_insert(
    *, actor: User, organization: Organization, person: User, role: str, request: HttpRequest | None
) -> OrganizationMembership:
    try:
        with transaction.atomic():
            membership = OrganizationMembership.objects.create(
                user=person, organization=organization, role=role
            )
    except IntegrityError as error:
        raise Conflict(f"{person} is already a member of {organization}.") from error
    if person.primary_organization_id is None:
        person.primary_organization = organization
        person.save(update_fields=["primary_organization"])
    audit_record(
        action="membership.added",
        actor=actor,
        target=organization,
        request=request,
        data={"person_id": person.pk, "role": role},
    )
    person_index(person.pk)
    return membership


@transaction.atomic
def membership_add(
    *,
    actor: User,
    organization: Organization,
    email: str,
    role: str = OrganizationRole.MEMBER,
    request: HttpRequest | None = None,
) -> OrganizationMembership:
    """A leader (or staff) adds a person who already has an account, by email address."""
    _require_member_manager(actor, organization)
    _check_organization_role(role)
    person = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if person is None:
        raise NotFound(
            "No active account uses that email address. Ask the person to sign up first.",
            field_errors={"email": ["No account with this address."]},
        )
    return _membership_insert(
        actor=actor, organization=organization, person=person, role=role, request=request
    )


def _leaders_after(
    organization: Organization, membership: OrganizationMembership, new_role: str | None
) -> int:
    leaders = lock_rows(organization.memberships.filter(role=OrganizationRole.LEADER))
    remaining = [m for m in leaders if m.pk != membership.pk]
    return len(remaining) + (1 if new_role == OrganizationRole.LEADER else 0)


@transaction.atomic
def membership_change_role(
    *,
    actor: User,
    membership: OrganizationMembership,
    role: str,
    request: HttpRequest | None = None,
) -> OrganizationMembership:
    organization = membership.organization
    _require_member_manager(actor, organization)
    _check_organization_role(role)
    membership = lock_row(OrganizationMembership.objects.filter(pk=membership.pk))
    if _leaders_after(organization, membership, role) == 0:
        raise Conflict(
            "An organization needs at least one leader. Make someone else a leader first."
        )
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role", "updated_at"])
    audit_record(
        action="membership.role_changed",
        actor=actor,
        target=organization,
        request=request,
        data={"person_id": membership.user_id, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def membership_remove(
    *, actor: User, membership: OrganizationMembership, request: HttpRequest | None = None
) -> None:
    organization = membership.organization
    if membership.user_id != actor.pk:  # anyone may leave; removing others is for managers
        _require_member_manager(actor, organization)
    membership = lock_row(OrganizationMembership.objects.filter(pk=membership.pk))
    if (
        membership.role == OrganizationRole.LEADER
        and _leaders_after(organization, membership, None) == 0
    ):
        raise Conflict(
            "An organization needs at least one leader. Make someone else a leader first."
        )
    person_id = membership.user_id
    membership.delete()
    User.objects.filter(pk=person_id, primary_organization=organization).update(
        primary_organization=None
    )
    person_tokens_changed(person_id)
    audit_record(
        action="membership.removed",
        actor=actor,
        target=organization,
        request=request,
        data={"person_id": person_id},
    )
    person_index(person_id)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str


@transaction.atomic
def api_token_create(*, user: User, name: str, request: HttpRequest | None = None) -> IssuedToken:
    name = name.strip()
    if not name:
        raise ValidationFailed(
            "Give the token a name, e.g. the script that will use it.",
            field_errors={"name": ["This field is required."]},
        )
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= 20:
        raise Conflict("You have 20 active tokens. Revoke one you no longer use first.")
    raw = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:12], token_hash=hash_token(raw)
    )
    audit_record(
        action="api_token.created",
        actor=user,
        target=token,
        request=request,
        data={"name": token.name},
    )
    return IssuedToken(token, raw)


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int, request: HttpRequest | None = None) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(action="api_token.revoked", actor=user, target=token, request=request)
    return token


# A token's owner is kept in the cache for a minute, as Zulip keeps a user by API key: the token
# query is most of an API call's fixed cost. ``api_tokens_changed`` (receivers in ``signals``: the
# token saved or deleted, its owner saved or deleted) bumps the stamp it is kept under, so a revoked
# token or a deactivated person is refused on the very next call.
API_TOKEN_KEPT_SECONDS = 60


def _token_keys(digest: str) -> tuple[str, str]:
    return f"accounts:api-token:{digest}", f"accounts:api-token-stamp:{digest}"


def api_token_cache_keys(raw: str) -> tuple[str, ...]:
    """The cache keys ``api_token_authenticate`` reads for this token, for a caller that reads
    them with its own in one round trip (``found``)."""
    if not raw.startswith(settings.API_TOKEN_PREFIX):
        return ()
    return _token_keys(hash_token(raw))


def api_tokens_changed(digests: Iterable[str]) -> None:
    """These tokens, or their owner, changed: authenticate them from the database again."""
    stamps.bump(*(_token_keys(digest)[1] for digest in digests))


def person_tokens_changed(person_id: int) -> None:
    """The person changed (saved with ``update``, or their row saved or deleted): their tokens
    are authenticated from the database again."""
    api_tokens_changed(
        ApiToken.objects.filter(user_id=person_id).values_list("token_hash", flat=True)
    )


def api_token_authenticate(raw: str, *, found: Mapping[str, Any] | None = None) -> User | None:
    """The user behind a bearer token, or None if it is unknown, revoked or its owner inactive.

    ``found``: what the caller read from the cache for ``api_token_cache_keys(raw)``."""
    if not raw.startswith(settings.API_TOKEN_PREFIX):
        return None
    digest = hash_token(raw)
    key, stamp_key = _token_keys(digest)
    if found is None:
        found = cache.get_many([key, stamp_key])
    stamp, kept = found.get(stamp_key), found.get(key)
    if kept is not None and stamp is not None and kept[0] == stamp:
        _, token_pk, last_used_at, user = kept
    else:
        # The stamp is read (or set) before the token: a revocation that commits meanwhile gives
        # it a new value, so what is read now is not kept past it.
        stamp, kept = stamp or stamps.ensure(stamp_key), None
        token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=digest, revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        token_pk, last_used_at, user = token.pk, token.last_used_at, token.user
    now = timezone.now()
    if last_used_at is None or (now - last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token_pk).update(last_used_at=now)
        last_used_at, kept = now, None
    if kept is None and stamp is not None:
        # Stored before the user is handed out, so nothing a request remembers on the object
        # (roles, memberships) is kept with it.
        cache.set(key, (stamp, token_pk, last_used_at, user), API_TOKEN_KEPT_SECONDS)
    return user


@transaction.atomic
def account_delete(*, user: User, request: HttpRequest | None = None) -> None:
    """Erase a person's personal data and close the account.

    The row stays (inactive, anonymized) so that what others wrote in reply keeps its place; the
    email address, profile, avatar, memberships, tokens, sign-in methods and roles are removed.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    user = lock_row(User.objects.filter(pk=user.pk))
    if user.deleted_at is not None:
        return
    audit_record(action="account.deleted", actor=user, target=user, request=request)
    avatar_name = user.avatar.name if user.avatar else ""
    storage = user.avatar.storage
    for model in (EmailAddress, SocialAccount, Authenticator):
        model.objects.filter(user=user).delete()
    user.memberships.all().delete()
    user.api_tokens.all().delete()
    user.roles.all().delete()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.display_name = "Deleted account"
    user.title = user.credentials = user.bio = ""
    user.profession = "other"
    user.avatar = None  # type: ignore[assignment]
    user.primary_organization = None
    user.is_active = user.is_staff = user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    person_index(user.pk)
    if avatar_name:
        transaction.on_commit(lambda: storage.delete(avatar_name))


def _make_professional(user: User) -> None:
    """An organization vouched for the person: they are a professional member, not public."""
    UserRole.objects.get_or_create(user=user, role=Role.MEMBER)
    UserRole.objects.filter(user=user, role=Role.PATIENT).delete()
    user.forget_roles()


def _affiliate(
    *, user: User, organization: Organization, how: str, request: HttpRequest | None
) -> None:
    """Join a person to an organization they proved they belong to, as a professional member."""
    membership, created = OrganizationMembership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": OrganizationRole.MEMBER}
    )
    if created and user.primary_organization_id is None:
        user.primary_organization = organization
        user.save(update_fields=["primary_organization"])
    _make_professional(user)
    if created:
        audit_record(
            action="membership.affiliated",
            actor=user,
            target=organization,
            request=request,
            data={"person_id": user.pk, "how": how},
        )


@transaction.atomic
def signup_complete(
    *, user: User, display_name: str, profession: str, request: HttpRequest | None = None
) -> User:
    """After allauth created the account: profile fields and the starting role.

    Self sign-up starts as patient or public; professional standing comes from a verified email
    at an organization's domain, the organization's single sign-on, or its leader adding you.
    """
    user.display_name = display_name.strip()[:120]
    user.profession = profession
    user.save(update_fields=["display_name", "profession"])
    UserRole.objects.get_or_create(user=user, role=Role.PATIENT)
    audit_record(
        action="account.signed_up",
        actor=user,
        target=user,
        request=request,
        data={"profession": profession},
    )
    person_index(user.pk)
    return user


@transaction.atomic
def affiliation_from_verified_email(
    *, user: User, email: str, request: HttpRequest | None = None
) -> Organization | None:
    domain = email.rsplit("@", 1)[-1].lower()
    organization = Organization.objects.filter(email_domain=domain).order_by("id").first()
    if organization is not None:
        _affiliate(
            user=user, organization=organization, how="verified-email-domain", request=request
        )
        person_index(user.pk)
    return organization


@transaction.atomic
def affiliation_from_single_sign_on(
    *, user: User, sociallogin: Any, request: HttpRequest | None = None
) -> Organization | None:
    # The app the sign-in actually came through, never a lookup by provider name: several
    # organizations may each have an OIDC or SAML app.
    app = getattr(getattr(sociallogin, "provider", None), "app", None)
    organization = (
        Organization.objects.filter(sso_app_id=app.pk).first()
        if app is not None and app.pk is not None
        else None
    )
    if organization is not None:
        _affiliate(user=user, organization=organization, how="single-sign-on", request=request)
    else:
        UserRole.objects.get_or_create(user=user, role=Role.PATIENT)
    person_index(user.pk)
    return organization


def person_index(person_id: int) -> None:
    """Refresh the person's directory entry once the transaction commits."""
    from .search import person_document_update

    transaction.on_commit(lambda: person_document_update(person_id))


def organization_index(organization: Organization) -> None:
    from .search import organization_document_update

    transaction.on_commit(lambda: organization_document_update(organization.pk))


INVITATION_LIFETIME = timedelta(days=14)


def _invitation_email(invitation: OrganizationInvitation, raw_token: str, actor: User) -> None:
    context = {
        "invitation": invitation,
        "inviter": actor,
        "accept_url": settings.SITE_URL + reverse("accounts:invitation_accept", args=[raw_token]),
    }
    email_queue(
        to=[invitation.email],
        subject=f"{actor} invites you to join {invitation.organization} on Townsquare",
        body=render_to_string("accounts/email/invitation.txt", context),
    )


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    organization: Organization,
    email: str,
    role: str = OrganizationRole.MEMBER,
    request: HttpRequest | None = None,
) -> OrganizationInvitation:
    """Invite someone by email; the link in the message lets them join once signed in."""
    _require_member_manager(actor, organization)
    _check_organization_role(role)
    email = email.strip().lower()
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise Conflict(f"{email} is already a member of {organization}.")
    now = timezone.now()
    # An expired invitation no longer blocks a new one.
    organization.invitations.filter(
        email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
    ).update(revoked_at=now)
    raw_token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = OrganizationInvitation.objects.create(
                organization=organization,
                email=email,
                role=role,
                token_hash=hash_token(raw_token),
                invited_by=actor,
                expires_at=now + INVITATION_LIFETIME,
            )
    except IntegrityError as error:
        raise Conflict(
            f"An invitation to {email} is already waiting. Withdraw it to send a new one.",
            field_errors={"email": ["An invitation to this address is already waiting."]},
        ) from error
    _invitation_email(invitation, raw_token, actor)
    audit_record(
        action="invitation.created",
        actor=actor,
        target=organization,
        request=request,
        data={"invitation_id": invitation.pk, "email": email, "role": role},
    )
    return invitation


@transaction.atomic
def member_add_or_invite(
    *,
    actor: User,
    organization: Organization,
    email: str,
    role: str = OrganizationRole.MEMBER,
    request: HttpRequest | None = None,
) -> OrganizationMembership | OrganizationInvitation:
    """Add a person who has an account at once; invite by email someone who has not yet."""
    if User.objects.filter(email__iexact=email.strip(), is_active=True).exists():
        return membership_add(
            actor=actor, organization=organization, email=email, role=role, request=request
        )
    return invitation_create(
        actor=actor, organization=organization, email=email, role=role, request=request
    )


@transaction.atomic
def invitation_accept(
    *, user: User, raw_token: str, request: HttpRequest | None = None
) -> OrganizationMembership:
    from allauth.account.models import EmailAddress

    found = lock_rows(OrganizationInvitation.objects.filter(token_hash=hash_token(raw_token)))
    if not found:
        raise NotFound("This invitation link is not valid. Check that you copied all of it.")
    invitation = found[0]
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been used.")
    if invitation.revoked_at is not None:
        raise Conflict("This invitation was withdrawn. Ask the organization for a new one.")
    if invitation.expires_at <= timezone.now():
        raise Conflict("This invitation has expired. Ask the organization for a new one.")
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise PermissionRefused(
            f"This invitation is for {invitation.email}. Sign in with that address, or add and "
            "verify it under Settings → Email addresses, to accept it."
        )
    membership = _membership_insert(
        actor=user,
        organization=invitation.organization,
        person=user,
        role=invitation.role,
        request=request,
    )
    _make_professional(user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_record(
        action="invitation.accepted",
        actor=user,
        target=invitation.organization,
        request=request,
        data={"invitation_id": invitation.pk},
    )
    return membership


@transaction.atomic
def invitation_revoke(
    *, actor: User, invitation: OrganizationInvitation, request: HttpRequest | None = None
) -> None:
    _require_member_manager(actor, invitation.organization)
    invitation = lock_row(OrganizationInvitation.objects.filter(pk=invitation.pk))
    if invitation.accepted_at is not None:
        raise Conflict("This invitation has already been accepted.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            action="invitation.revoked",
            actor=actor,
            target=invitation.organization,
            request=request,
            data={"invitation_id": invitation.pk},
        )
