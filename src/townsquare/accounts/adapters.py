"""django-allauth hooks: mail through our task queue, profile fields at sign-up, affiliation by
verified email domain, organization single sign-on."""

from __future__ import annotations

from typing import Any, NoReturn

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthProcess
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import render

from townsquare.core.audit import audit_record
from townsquare.core.email import email_queue
from townsquare.core.errors import PermissionRefused

from . import permissions, services, sso
from .models import Organization, User


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        html_body = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html_body = str(content)
        email_queue(
            to=list(message.to),
            subject=str(message.subject),
            body=str(message.body),
            html_body=html_body,
            from_email=message.from_email,
        )

    def confirm_email(self, request: HttpRequest, email_address: Any) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.affiliation_from_verified_email(
                user=email_address.user, email=email_address.email, request=request
            )
        return confirmed


def _asserted_email(sociallogin: Any) -> str:
    """The address the identity provider sent (allauth puts it first among the login's
    addresses); never the local account's, which a returning person's login already carries."""
    addresses = sociallogin.email_addresses
    primary = next((address for address in addresses if address.primary), None)
    chosen = primary or (addresses[0] if addresses else None)
    return (chosen.email or "").strip().lower() if chosen is not None else ""


def _is_privileged(user: User) -> bool:
    """Center staff and back-office accounts never sign in through an organization's provider."""
    return bool(user.is_staff or user.is_superuser or permissions.is_center_staff(user))


def _local_account_for(email: str) -> User | None:
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
        user = address.user if address is not None else None
    return user


def _has_verified(user: User, email: str) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


REFUSALS: dict[str, str] = {
    "not-an-organization-provider": (
        "This sign-in service is not connected to an organization on Townsquare."
    ),
    "email-outside-domain": (
        "Your organization's sign-in service may only sign in addresses at {domain}, but it "
        "sent “{email}”. Ask your organization's IT team to send your work email address, or "
        "sign in with your email address and password."
    ),
    "privileged-account": (
        "This address belongs to a Townsquare staff account. Staff accounts sign in with their "
        "password and two-step verification, not through an organization's single sign-on."
    ),
    "unconfirmed-local-account": (
        "An account with this address exists, but the address was never confirmed. Use “Forgot "
        "your password?” on the sign-in page to prove the address is yours, then sign in "
        "through your organization again."
    ),
}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on through an organization's identity provider (see accounts/sso.py).

    The rules, applied in ``pre_social_login`` before anyone is signed in or created:

    - the provider must be an organization's (``Organization.sso_app``), and it is trusted only
      for email addresses at that organization's ``email_domain``;
    - addresses it asserts at that domain count as verified, others are dropped;
    - a person it signs in for the first time whose address already has a local account is linked
      to that account when the account confirmed the address, and refused when it did not (a
      stranger may have registered the address) or when the account is center staff;
    - every acceptance and refusal is audited; the sign-in itself is audited by the
      ``user_logged_in`` receiver in ``signals.py``.
    """

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        app = sociallogin.provider.app
        organization = sso.organization_for_app(app)
        email = _asserted_email(sociallogin)
        if organization is None or not app.provider_id:
            self._refuse(request, sociallogin, organization, email, "not-an-organization-provider")
        if not email or not sso.is_trusted_for_email(app, email):
            self._refuse(request, sociallogin, organization, email, "email-outside-domain")
        self._keep_addresses_at_domain(sociallogin, email)
        if not sociallogin.is_existing:
            sociallogin.user.email = email

        linked = False
        if sociallogin.is_existing:
            person: User | None = sociallogin.user
        elif sociallogin.state.get("process") == AuthProcess.CONNECT:
            person = request.user if request.user.is_authenticated else None  # type: ignore[assignment]
        else:
            person = _local_account_for(email)
            if person is not None and not _is_privileged(person):
                if not _has_verified(person, email):
                    self._refuse(
                        request, sociallogin, organization, email, "unconfirmed-local-account"
                    )
                self._link(request, sociallogin, organization, person)
                linked = True
        if person is not None and _is_privileged(person):
            self._refuse(request, sociallogin, organization, email, "privileged-account")
        audit_record(
            action="sso.accepted",
            actor=person,
            target=organization,
            request=request,
            data={
                "provider_id": app.provider_id,
                "protocol": sso.protocol_of(app),
                "email": email,
                "new_account": person is None,
                "linked": linked,
            },
        )

    def save_user(self, request: HttpRequest, sociallogin: Any, form: Any = None) -> Any:
        with transaction.atomic():
            user = super().save_user(request, sociallogin, form)
            audit_record(
                action="account.created",
                actor=user,
                target=user,
                request=request,
                data={"via": "single-sign-on", "provider_id": sociallogin.account.provider},
            )
            services.affiliation_from_single_sign_on(
                user=user, sociallogin=sociallogin, request=request
            )
        return user

    def populate_user(self, request: HttpRequest, sociallogin: Any, data: dict[str, Any]) -> Any:
        user = super().populate_user(request, sociallogin, data)
        user.email = (user.email or "").strip().lower()
        name = " ".join(part for part in (data.get("first_name"), data.get("last_name")) if part)
        user.display_name = (data.get("name") or name or user.email.split("@")[0])[:120]
        return user

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """A failed hand-shake (bad signature, wrong state, cancelled) is refused access: audit."""
        app = getattr(provider, "app", None)
        context = extra_context or {}
        reason = context.get("saml_last_error_reason") or (
            f"{type(exception).__name__}: {exception}" if exception is not None else ""
        )
        audit_record(
            action="sso.failed",
            request=request,
            target=sso.organization_for_app(app),
            data={
                "provider_id": getattr(app, "provider_id", ""),
                "error": str(error or ""),
                "reason": str(reason)[:300],
            },
        )

    @staticmethod
    def _keep_addresses_at_domain(sociallogin: Any, email: str) -> None:
        """The provider vouches for addresses at its domain: keep those, verified; drop the rest."""
        from allauth.account.models import EmailAddress

        domain = sso.email_domain_of(email)
        kept: dict[str, Any] = {}
        for address in sociallogin.email_addresses:
            normalized = (address.email or "").strip().lower()
            if sso.email_domain_of(normalized) == domain and normalized not in kept:
                address.email = normalized
                kept[normalized] = address
        kept.setdefault(email, EmailAddress(email=email))
        for address in kept.values():
            address.verified = True
            address.primary = address.email == email
        sociallogin.email_addresses = sorted(kept.values(), key=lambda a: not a.primary)

    @staticmethod
    def _link(
        request: HttpRequest, sociallogin: Any, organization: Organization, person: User
    ) -> None:
        with transaction.atomic():
            sociallogin.connect(request, person)
            services.affiliation_from_single_sign_on(
                user=person, sociallogin=sociallogin, request=request
            )
            audit_record(
                action="sso.account_linked",
                actor=person,
                target=person,
                request=request,
                data={
                    "provider_id": sociallogin.account.provider,
                    "organization_id": organization.pk,
                },
            )

    @staticmethod
    def _refuse(
        request: HttpRequest,
        sociallogin: Any,
        organization: Organization | None,
        email: str,
        reason: str,
    ) -> NoReturn:
        audit_record(
            action="sso.refused",
            request=request,
            target=organization,
            data={
                "provider_id": getattr(sociallogin.provider.app, "provider_id", ""),
                "email": email,
                "reason": reason,
            },
        )
        domain = organization.email_domain if organization is not None else ""
        error = PermissionRefused(
            REFUSALS[reason].format(domain=domain, email=email or "no address")
        )
        raise ImmediateHttpResponse(
            render(request, "errors/problem.html", {"error": error}, status=error.status)
        )
