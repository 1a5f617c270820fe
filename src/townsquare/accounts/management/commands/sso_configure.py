"""Configure an organization's single sign-on from the shell (see docs/single-sign-on.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from townsquare.accounts import sso
from townsquare.accounts.models import Organization, User
from townsquare.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Show, set or remove an organization's single sign-on identity provider. "
        "OIDC: --protocol oidc --server-url URL --client-id ID (--secret S | --secret-file PATH). "
        "SAML: --protocol saml --entity-id ID (--metadata-url URL | --metadata-file PATH)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organization", help="The organization's slug, e.g. riverside-health.")
        parser.add_argument(
            "--actor",
            help="Email of the center staff account doing this "
            "(recorded in the audit log). Required to change anything.",
        )
        action = parser.add_mutually_exclusive_group()
        action.add_argument(
            "--protocol", choices=sso.PROTOCOLS, help="Set up (or replace) the identity provider."
        )
        action.add_argument(
            "--remove", action="store_true", help="Switch single sign-on off for the organization."
        )
        oidc = parser.add_argument_group("OpenID Connect")
        oidc.add_argument(
            "--server-url",
            default="",
            help="Issuer URL, e.g. https://login.microsoftonline.com/TENANT/v2.0",
        )
        oidc.add_argument("--client-id", default="")
        oidc.add_argument("--secret", default="", help="Client secret (prefer --secret-file).")
        oidc.add_argument(
            "--secret-file",
            default="",
            help="Read the client secret from this file; '-' reads standard input.",
        )
        saml = parser.add_argument_group("SAML 2.0")
        saml.add_argument("--entity-id", default="", help="The identity provider's entity ID.")
        saml.add_argument(
            "--metadata-url",
            default="",
            help="The identity provider's metadata URL (followed for rollovers).",
        )
        saml.add_argument(
            "--metadata-file", default="", help="The identity provider's metadata XML file."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"No organization with the slug “{options['organization']}”.")
        try:
            if options["remove"]:
                sso.organization_sso_remove(actor=self._actor(options), organization=organization)
                self.stdout.write(self.style.SUCCESS(f"Single sign-on is off for {organization}."))
                return
            if options["protocol"]:
                sso.organization_sso_configure(
                    actor=self._actor(options),
                    organization=organization,
                    protocol=options["protocol"],
                    server_url=options["server_url"],
                    client_id=options["client_id"],
                    secret=self._secret(options),
                    idp_entity_id=options["entity_id"],
                    idp_metadata_url=options["metadata_url"],
                    idp_metadata_xml=self._read(options["metadata_file"]),
                )
                organization.refresh_from_db()
                self.stdout.write(
                    self.style.SUCCESS(f"Single sign-on is set up for {organization}.")
                )
        except DomainError as error:
            raise CommandError(error.message) from error
        self._show(organization)

    def _show(self, organization: Organization) -> None:
        app = organization.sso_app
        if app is None:
            self.stdout.write(f"{organization} has no single sign-on.")
            return
        domain = organization.email_domain or "(no email domain: nobody can sign in)"
        self.stdout.write(f"Organization:  {organization} ({organization.slug})")
        self.stdout.write(f"Email domain:  {domain}")
        self.stdout.write(f"Protocol:      {sso.protocol_of(app)}")
        self.stdout.write(f"Provider id:   {app.provider_id}")
        self.stdout.write("Give the identity provider these values:")
        for label, value in sso.sso_endpoints(app).as_lines():
            self.stdout.write(f"  {label}: {value}")

    @staticmethod
    def _actor(options: dict[str, Any]) -> User:
        email = (options["actor"] or "").strip()
        if not email:
            raise CommandError("Name the center staff account doing this with --actor EMAIL.")
        actor = User.objects.filter(email__iexact=email, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active account uses {email}.")
        return actor

    def _secret(self, options: dict[str, Any]) -> str:
        if options["secret_file"]:
            return self._read(options["secret_file"]).strip()
        return str(options["secret"])

    @staticmethod
    def _read(path: str) -> str:
        if not path:
            return ""
        if path == "-":
            return sys.stdin.read()
        try:
            return Path(path).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
