"""Single sign-on per organization: which identity provider vouches for which email domain, and
the staff-only service that configures an organization's OIDC or SAML app.

Each organization with single sign-on owns one allauth ``SocialApp`` (``Organization.sso_app``).
Its ``provider_id`` is unique (``org-<slug>``), so the accounts it signs in never mix with another
organization's. An identity provider is trusted only for email addresses at its organization's
``email_domain``: :func:`is_trusted_for_email` is the one rule the sign-in adapter applies.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse

from townsquare.core.audit import audit_record
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.locks import lock_row

from . import permissions
from .models import Organization, User

OIDC: Final = "oidc"
SAML: Final = "saml"
PROTOCOLS: Final = (OIDC, SAML)
ALLAUTH_PROVIDERS: Final = {OIDC: "openid_connect", SAML: "saml"}
PROTOCOL_OF_PROVIDER: Final = {
    provider: protocol for protocol, provider in ALLAUTH_PROVIDERS.items()
}

# Claims of the common identity providers (Microsoft Entra ID, Okta, ADFS, Shibboleth), in
# allauth's attribute-mapping format: the first attribute present wins.
SAML_ATTRIBUTE_MAPPING: Final[dict[str, list[str]]] = {
    "uid": [
        "http://schemas.microsoft.com/identity/claims/objectidentifier",
        "urn:oasis:names:tc:SAML:attribute:subject-id",
    ],
    "email": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "email",
        "mail",
    ],
    "first_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "urn:oid:2.5.4.42",
        "firstName",
        "given_name",
    ],
    "last_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "urn:oid:2.5.4.4",
        "lastName",
        "family_name",
    ],
    "name": [
        "http://schemas.microsoft.com/identity/claims/displayname",
        "urn:oid:2.16.840.1.113730.3.1.241",
        "displayName",
    ],
}

_LOOPBACK_NAMES: Final = frozenset({"localhost"})


def email_domain_of(email: str) -> str:
    """The part after the last ``@``, lower-cased; empty when there is none."""
    local, at, domain = email.strip().rpartition("@")
    return domain.strip().lower() if at and local and domain else ""


def organization_for_email(email: str) -> Organization | None:
    """The one organization whose single sign-on serves this email's domain.

    None when the domain is unknown, has no single sign-on, or (a misconfiguration the configure
    service refuses) several organizations with single sign-on claim it.
    """
    domain = email_domain_of(email)
    if not domain:
        return None
    candidates = list(
        Organization.objects.filter(email_domain__iexact=domain, sso_app__isnull=False)
        .select_related("sso_app")
        .order_by("id")[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


def sso_app_for_email(email: str) -> Any:
    """The allauth ``SocialApp`` that signs in people with this email address, or None."""
    organization = organization_for_email(email)
    return organization.sso_app if organization is not None else None


def organization_for_app(app: Any) -> Organization | None:
    if app is None or getattr(app, "pk", None) is None:
        return None
    return Organization.objects.filter(sso_app_id=app.pk).first()


def is_trusted_for_email(app: Any, email: str) -> bool:
    """The domain rule: an organization's identity provider vouches only for its own domain."""
    trusted = sso_app_for_email(email)
    return trusted is not None and app is not None and trusted.pk == app.pk


def protocol_of(app: Any) -> str:
    return PROTOCOL_OF_PROVIDER.get(getattr(app, "provider", ""), "")


@dataclass(frozen=True)
class SsoEndpoints:
    """What an operator enters at the identity provider, as absolute URLs on ``SITE_URL``."""

    protocol: str
    login_url: str
    redirect_uri: str = ""
    entity_id: str = ""
    acs_url: str = ""
    metadata_url: str = ""
    logout_url: str = ""

    def as_lines(self) -> list[tuple[str, str]]:
        if self.protocol == OIDC:
            return [("Sign-in URL", self.login_url), ("Redirect URI (callback)", self.redirect_uri)]
        return [
            ("Sign-in URL", self.login_url),
            ("SP entity ID (Identifier, Audience)", self.entity_id),
            ("Assertion consumer service URL (Reply URL)", self.acs_url),
            ("SP metadata URL", self.metadata_url),
            ("Single logout URL", self.logout_url),
        ]


def sso_endpoints(app: Any) -> SsoEndpoints:
    base = settings.SITE_URL
    if app.provider == ALLAUTH_PROVIDERS[OIDC]:
        arguments = {"provider_id": app.provider_id}
        return SsoEndpoints(
            protocol=OIDC,
            login_url=base + reverse("openid_connect_login", kwargs=arguments),
            redirect_uri=base + reverse("openid_connect_callback", kwargs=arguments),
        )
    arguments = {"organization_slug": app.client_id}
    metadata_url = base + reverse("saml_metadata", kwargs=arguments)
    return SsoEndpoints(
        protocol=SAML,
        login_url=base + reverse("saml_login", kwargs=arguments),
        entity_id=app.settings.get("sp", {}).get("entity_id") or metadata_url,
        acs_url=base + reverse("saml_acs", kwargs=arguments),
        metadata_url=metadata_url,
        logout_url=base + reverse("saml_sls", kwargs=arguments),
    )


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _checked_url(value: str, *, field: str, label: str) -> str:
    """An https URL; plain http only for a provider on this machine (development and tests)."""
    url = value.strip()
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError as error:
        raise ValidationFailed(
            f"The {label} is not a valid URL.", field_errors={field: ["Enter a full https:// URL."]}
        ) from error
    parts = urlsplit(url)
    if parts.scheme != "https" and not _is_loopback(parts.hostname or ""):
        raise ValidationFailed(
            f"The {label} must use https.", field_errors={field: ["Enter a full https:// URL."]}
        )
    return url


def _required(value: str, *, field: str, message: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationFailed(message, field_errors={field: ["This field is required."]})
    return value


def _oidc_settings(server_url: str) -> dict[str, Any]:
    url = _checked_url(server_url, field="server_url", label="server URL")
    if "/.well-known/" not in url:
        url = url.rstrip("/")
    return {
        "server_url": url,
        "oauth_pkce_enabled": True,
        "hidden": True,
    }


def _idp_from_metadata_xml(metadata_xml: str, entity_id: str) -> dict[str, str]:
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(metadata_xml, entity_id=entity_id)
    except Exception as error:  # the parser raises plain Exceptions for XML it cannot read
        raise ValidationFailed(
            "The identity provider metadata is not valid SAML metadata XML.",
            field_errors={"metadata": [str(error)[:200]]},
        ) from error
    idp = parsed.get("idp", {})
    sso_url = idp.get("singleSignOnService", {}).get("url", "")
    certificate = idp.get("x509cert", "")
    several = idp.get("x509certMulti", {}).get("signing", [])
    if not certificate and len(several) == 1:
        certificate = several[0]
    if len(several) > 1:
        raise ValidationFailed(
            "The metadata lists several signing certificates (a certificate rollover). Configure "
            "the identity provider's metadata URL instead, so Townsquare follows the rollover.",
            field_errors={"metadata": ["Several signing certificates."]},
        )
    if not sso_url or not certificate:
        raise ValidationFailed(
            f"The metadata has no identity provider “{entity_id}” with an HTTP-Redirect sign-in "
            "endpoint and a signing certificate.",
            field_errors={"entity_id": ["Not found in the metadata."]},
        )
    result = {
        "entity_id": entity_id,
        "sso_url": _checked_url(sso_url, field="metadata", label="sign-in endpoint"),
        "x509cert": certificate,
    }
    slo_url = idp.get("singleLogoutService", {}).get("url", "")
    if slo_url:
        result["slo_url"] = slo_url
    return result


def _saml_settings(
    *,
    entity_id: str,
    metadata_url: str,
    metadata_xml: str,
    attribute_mapping: dict[str, list[str]] | None,
    previous: dict[str, Any],
) -> dict[str, Any]:
    entity_id = _required(
        entity_id, field="entity_id", message="Enter the identity provider's entity ID (issuer)."
    )
    if "'" in entity_id or '"' in entity_id:
        raise ValidationFailed(
            "An entity ID cannot contain quotes.",
            field_errors={"entity_id": ["Remove the quotes."]},
        )
    if bool(metadata_url.strip()) == bool(metadata_xml.strip()):
        raise ValidationFailed(
            "Give either the identity provider's metadata URL or its metadata XML, not both.",
            field_errors={"metadata": ["Give exactly one of metadata URL and metadata file."]},
        )
    if metadata_url.strip():
        idp: dict[str, str] = {
            "entity_id": entity_id,
            "metadata_url": _checked_url(metadata_url, field="metadata_url", label="metadata URL"),
        }
    else:
        idp = _idp_from_metadata_xml(metadata_xml, entity_id)
    return {
        "idp": idp,
        "sp": previous.get("sp", {}),
        "attribute_mapping": attribute_mapping
        or previous.get("attribute_mapping")
        or SAML_ATTRIBUTE_MAPPING,
        "advanced": {
            **previous.get("advanced", {}),
            "strict": True,
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
        },
        "hidden": True,
    }


def _check_domain_is_free(organization: Organization) -> None:
    if not organization.email_domain:
        raise ValidationFailed(
            "Set the organization's email domain first: single sign-on is trusted only for "
            "addresses at that domain.",
            field_errors={"email_domain": ["Required for single sign-on."]},
        )
    rival = (
        Organization.objects.filter(
            email_domain__iexact=organization.email_domain, sso_app__isnull=False
        )
        .exclude(pk=organization.pk)
        .first()
    )
    if rival is not None:
        raise Conflict(
            f"{rival} already signs in people at {organization.email_domain} through its own "
            "identity provider. One domain can be served by one identity provider only."
        )


@transaction.atomic
def organization_sso_configure(
    *,
    actor: User,
    organization: Organization,
    protocol: str,
    server_url: str = "",
    client_id: str = "",
    secret: str = "",
    idp_entity_id: str = "",
    idp_metadata_url: str = "",
    idp_metadata_xml: str = "",
    attribute_mapping: dict[str, list[str]] | None = None,
    request: HttpRequest | None = None,
) -> Any:
    """Create or replace the organization's identity provider (center staff only, audited).

    OIDC needs ``server_url`` (the issuer, without or with ``/.well-known/openid-configuration``),
    ``client_id`` and ``secret`` (kept when left empty on a change). SAML needs the identity
    provider's ``idp_entity_id`` and exactly one of ``idp_metadata_url`` (followed at run time,
    so certificate rollovers just work) and ``idp_metadata_xml`` (read once, now).
    """
    from allauth.socialaccount.models import SocialApp

    if not permissions.is_center_staff(actor):
        raise PermissionRefused("Only center staff configure single sign-on.")
    if protocol not in PROTOCOLS:
        raise ValidationFailed(
            f"“{protocol}” is not a single sign-on protocol.",
            field_errors={"protocol": ["Choose oidc or saml."]},
        )
    organization = lock_row(Organization.objects.filter(pk=organization.pk))
    _check_domain_is_free(organization)

    app = organization.sso_app or SocialApp()
    # A set, unique provider id keeps this organization's accounts apart from every other's
    # (allauth stores it on each account); an app made in the back office may lack one.
    app.provider_id = app.provider_id or f"org-{organization.slug}"[:200]
    if SocialApp.objects.filter(provider_id=app.provider_id).exclude(pk=app.pk).exists():
        raise Conflict(f"Another identity provider already uses the id “{app.provider_id}”.")
    previous_settings = app.settings if app.provider == ALLAUTH_PROVIDERS[protocol] else {}
    app.provider = ALLAUTH_PROVIDERS[protocol]
    app.name = organization.name[:40]
    if protocol == OIDC:
        app.settings = _oidc_settings(server_url)
        app.client_id = _required(
            client_id,
            field="client_id",
            message="Enter the client ID the identity provider issued.",
        )
        app.secret = secret.strip() or (app.secret if previous_settings else "")
        if not app.secret:
            raise ValidationFailed(
                "Enter the client secret the identity provider issued.",
                field_errors={"secret": ["This field is required."]},
            )
        details: dict[str, Any] = {
            "server_url": app.settings["server_url"],
            "client_id": app.client_id,
        }
    else:
        app.settings = _saml_settings(
            entity_id=idp_entity_id,
            metadata_url=idp_metadata_url,
            metadata_xml=idp_metadata_xml,
            attribute_mapping=attribute_mapping,
            previous=previous_settings,
        )
        if not previous_settings or not app.client_id:
            app.client_id = organization.slug[:191]
        app.secret = ""
        if (
            SocialApp.objects.filter(provider=app.provider, client_id=app.client_id)
            .exclude(pk=app.pk)
            .exists()
        ):
            raise Conflict(f"Another SAML identity provider already uses “{app.client_id}”.")
        details = {
            "idp_entity_id": app.settings["idp"]["entity_id"],
            "metadata_url": app.settings["idp"].get("metadata_url", ""),
        }
    app.save()
    app.sites.add(Site.objects.get_current())
    if organization.sso_app_id != app.pk:
        organization.sso_app = app
        organization.save(update_fields=["sso_app", "updated_at"])
    audit_record(
        action="sso.configured",
        actor=actor,
        target=organization,
        request=request,
        data={"protocol": protocol, "provider_id": app.provider_id, **details},
    )
    return app


@transaction.atomic
def organization_sso_remove(
    *, actor: User, organization: Organization, request: HttpRequest | None = None
) -> None:
    """Switch single sign-on off. People it created keep their accounts and can reset a password
    by email; their links to the identity provider stay, ready if it is configured again."""
    if not permissions.is_center_staff(actor):
        raise PermissionRefused("Only center staff configure single sign-on.")
    organization = lock_row(Organization.objects.filter(pk=organization.pk))
    app = organization.sso_app
    if app is None:
        return
    provider_id = app.provider_id
    organization.sso_app = None
    organization.save(update_fields=["sso_app", "updated_at"])
    app.delete()
    audit_record(
        action="sso.removed",
        actor=actor,
        target=organization,
        request=request,
        data={"provider_id": provider_id},
    )
