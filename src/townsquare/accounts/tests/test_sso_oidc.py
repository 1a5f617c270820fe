"""Single sign-on through OpenID Connect, end to end against a real provider.

The provider is django-oauth-toolkit with OIDC on, running as a subprocess on a free loopback port
with its own SQLite database and an RSA key generated for the run (``sso_support/oidc_provider``).
Our app runs in pytest-django's live server; ``requests`` walks the authorization-code flow the
way a browser would.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.management import CommandError, call_command
from django.test import Client

from townsquare.accounts import sso
from townsquare.accounts.models import Organization, OrganizationRole, Role, User
from townsquare.accounts.tests.factories import make_organization, make_staff, make_user
from townsquare.accounts.tests.sso_support.browser import TIMEOUT_SECONDS, submit_form
from townsquare.accounts.tests.sso_support.provider import (
    ProviderClient,
    ProviderPerson,
    RunningProvider,
    oidc_provider,
)
from townsquare.core.audit import audit_verify
from townsquare.core.errors import Conflict, PermissionRefused, ValidationFailed
from townsquare.core.models import AuditRecord

RIVERSIDE = "Riverside Health"
RIVERSIDE_PROVIDER_ID = "org-riverside-health"
ALPHA = "Alpha Clinic"
ALPHA_PROVIDER_ID = "org-alpha-clinic"

ANA = ProviderPerson(
    username="ana", email="Ana.Ruiz@riverside.example", first_name="Ana", last_name="Ruiz"
)
KOFI = ProviderPerson(
    username="kofi", email="kofi@riverside.example", first_name="Kofi", last_name="Mensah"
)
UNA = ProviderPerson(username="una", email="una@riverside.example", first_name="Una")
SASHA = ProviderPerson(username="sasha", email="sasha@riverside.example", first_name="Sasha")
MALLORY = ProviderPerson(
    username="mallory", email="mallory@elsewhere.example", first_name="Mallory"
)


# Our app runs in the live server, which needs a transactional database (its closing flush gets
# past the audit log's append-only triggers through townsquare.core.testing.database).
end_to_end = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def clients(live_server) -> dict[str, ProviderClient]:
    def callback(provider_id: str) -> tuple[str, ...]:
        return (f"{live_server.url}/accounts/oidc/{provider_id}/login/callback/",)

    return {
        RIVERSIDE: ProviderClient(
            client_id="townsquare-riverside", redirect_uris=callback(RIVERSIDE_PROVIDER_ID)
        ),
        ALPHA: ProviderClient(
            client_id="townsquare-alpha", redirect_uris=callback(ALPHA_PROVIDER_ID)
        ),
    }


@pytest.fixture(scope="module")
def provider(tmp_path_factory, clients) -> Iterator[RunningProvider]:
    with oidc_provider(
        directory=tmp_path_factory.mktemp("oidc-provider"),
        clients=list(clients.values()),
        people=[ANA, KOFI, UNA, SASHA, MALLORY],
    ) as running:
        yield running


def configure(
    organization: Organization, provider: RunningProvider, client: ProviderClient
) -> SocialApp:
    return sso.organization_sso_configure(
        actor=make_staff(),
        organization=organization,
        protocol=sso.OIDC,
        server_url=provider.issuer,
        client_id=client.client_id,
        secret=client.client_secret,
    )


@pytest.fixture
def riverside(provider, clients) -> Organization:
    # Another organization with single sign-on exists first, so a lookup that merely takes the
    # first app or organization would pick the wrong one.
    alpha = make_organization(name=ALPHA, email_domain="alpha.example")
    configure(alpha, provider, clients[ALPHA])
    organization = make_organization(name=RIVERSIDE, email_domain="riverside.example")
    app = configure(organization, provider, clients[RIVERSIDE])
    assert app.provider_id == RIVERSIDE_PROVIDER_ID
    return organization


def sign_in(
    base_url: str,
    provider: RunningProvider,
    person: ProviderPerson,
    provider_id: str = RIVERSIDE_PROVIDER_ID,
) -> tuple[requests.Session, requests.Response]:
    """Our login URL → allauth's confirmation → the provider's sign-in form → back to us."""
    session = requests.Session()
    confirm = session.get(f"{base_url}/accounts/oidc/{provider_id}/login/", timeout=TIMEOUT_SECONDS)
    assert confirm.status_code == 200
    login_form = submit_form(session, confirm, {})
    assert login_form.url.startswith(f"{provider.base_url}/accounts/login/"), provider.log()
    final = submit_form(
        session, login_form, {"username": person.username, "password": person.password}
    )
    return session, final


def is_signed_in(session: requests.Session, base_url: str) -> bool:
    response = session.get(f"{base_url}/dashboard/", allow_redirects=False, timeout=TIMEOUT_SECONDS)
    return response.status_code == 200


def actions_about(user: User) -> list[str]:
    return list(AuditRecord.objects.filter(actor_id=user.pk).values_list("action", flat=True))


@end_to_end
def test_first_sign_in_creates_a_member_of_the_organization(live_server, provider, riverside):
    session, final = sign_in(live_server.url, provider, ANA)

    assert final.status_code == 200, final.text
    assert final.url == f"{live_server.url}/dashboard/"
    person = User.objects.get(email="ana.ruiz@riverside.example")
    assert person.display_name == "Ana Ruiz"
    assert not person.has_usable_password()
    assert person.role_set == {Role.MEMBER}
    assert person.primary_organization == riverside
    assert list(person.memberships.values_list("organization__name", "role")) == [
        (RIVERSIDE, OrganizationRole.MEMBER)
    ]
    account = SocialAccount.objects.get(user=person)
    assert account.provider == RIVERSIDE_PROVIDER_ID
    assert EmailAddress.objects.filter(
        user=person, email="ana.ruiz@riverside.example", primary=True, verified=True
    ).exists()
    actions = actions_about(person)
    for action in ("account.created", "membership.affiliated", "signin.succeeded"):
        assert action in actions
    accepted = AuditRecord.objects.get(action="sso.accepted")
    assert accepted.target_id == str(riverside.pk)
    assert accepted.data["provider_id"] == RIVERSIDE_PROVIDER_ID
    assert accepted.data["new_account"] is True
    assert is_signed_in(session, live_server.url)
    assert audit_verify().is_intact


@end_to_end
def test_signing_in_again_reuses_the_account(live_server, provider, riverside):
    sign_in(live_server.url, provider, KOFI)
    session, final = sign_in(live_server.url, provider, KOFI)

    assert final.url == f"{live_server.url}/dashboard/"
    person = User.objects.get(email="kofi@riverside.example")
    assert SocialAccount.objects.filter(user=person).count() == 1
    assert User.objects.filter(email__iexact=KOFI.email).count() == 1
    assert actions_about(person).count("signin.succeeded") == 2
    assert person.memberships.count() == 1


@end_to_end
def test_sign_in_with_your_organization_page_goes_to_the_provider(live_server, provider, riverside):
    session = requests.Session()
    page = session.get(f"{live_server.url}/accounts/sso/", timeout=TIMEOUT_SECONDS)
    assert page.status_code == 200
    assert '<label for="id_email">Work email address' in page.text

    login_form = submit_form(session, page, {"email": "ANA.RUIZ@Riverside.Example"})

    assert login_form.url.startswith(f"{provider.base_url}/accounts/login/")
    assert "login_hint=ANA.RUIZ@Riverside.Example" in unquote(unquote(login_form.url))
    final = submit_form(session, login_form, {"username": ANA.username, "password": ANA.password})
    assert final.url == f"{live_server.url}/dashboard/"
    assert (
        User.objects.get(email="ana.ruiz@riverside.example").memberships.get().organization
        == riverside
    )


@end_to_end
def test_an_email_outside_the_organization_domain_is_refused(live_server, provider, riverside):
    session, final = sign_in(live_server.url, provider, MALLORY)

    assert final.status_code == 403
    assert "riverside.example" in final.text
    assert not User.objects.filter(email__iexact=MALLORY.email).exists()
    assert not SocialAccount.objects.exists()
    refused = AuditRecord.objects.get(action="sso.refused")
    assert refused.data["reason"] == "email-outside-domain"
    assert refused.data["provider_id"] == RIVERSIDE_PROVIDER_ID
    assert not is_signed_in(session, live_server.url)


@end_to_end
def test_another_organizations_provider_cannot_take_over_an_account(
    live_server, provider, riverside
):
    """Alpha Clinic's provider asserts a riverside.example address that already has an account."""
    kofi = make_user(email=KOFI.email, roles=(Role.MEMBER,))
    before = User.objects.count()

    session, final = sign_in(live_server.url, provider, KOFI, provider_id=ALPHA_PROVIDER_ID)

    assert final.status_code == 403
    assert User.objects.count() == before
    assert not SocialAccount.objects.exists()
    assert not kofi.memberships.exists()
    assert AuditRecord.objects.get(action="sso.refused").data["reason"] == "email-outside-domain"
    assert not is_signed_in(session, live_server.url)


@end_to_end
def test_a_confirmed_local_account_is_linked_and_signed_in(live_server, provider, riverside):
    kofi = make_user(email=KOFI.email, roles=(Role.PATIENT,), display_name="Kofi M.")

    session, final = sign_in(live_server.url, provider, KOFI)

    assert final.url == f"{live_server.url}/dashboard/"
    assert User.objects.filter(email__iexact=KOFI.email).count() == 1
    assert SocialAccount.objects.get(provider=RIVERSIDE_PROVIDER_ID).user == kofi
    kofi.refresh_from_db()
    assert kofi.display_name == "Kofi M."  # a link changes nothing the person chose
    assert kofi.role_set == {Role.MEMBER}
    assert kofi.memberships.get().organization == riverside
    assert {"sso.account_linked", "membership.affiliated", "signin.succeeded"} <= set(
        actions_about(kofi)
    )
    assert is_signed_in(session, live_server.url)


@end_to_end
@pytest.mark.parametrize(
    ("person", "make_account", "reason"),
    [
        (
            UNA,
            lambda: make_user(email=UNA.email, email_verified=False),
            "unconfirmed-local-account",
        ),
        (SASHA, lambda: make_staff(email=SASHA.email), "privileged-account"),
    ],
    ids=["unconfirmed-address", "center-staff"],
)
def test_a_local_account_that_may_not_be_linked_is_refused(
    live_server, provider, riverside, person, make_account, reason
):
    account = make_account()

    session, final = sign_in(live_server.url, provider, person)

    assert final.status_code == 403
    assert not SocialAccount.objects.exists()
    assert not account.memberships.exists()
    assert AuditRecord.objects.get(action="sso.refused").data["reason"] == reason
    assert not is_signed_in(session, live_server.url)


# --- Configuration: the service, the routing helper and the command -------------------------------


@pytest.mark.django_db
def test_configure_is_for_center_staff_only(member):
    organization = make_organization(email_domain="riverside.example")
    with pytest.raises(PermissionRefused):
        sso.organization_sso_configure(
            actor=member,
            organization=organization,
            protocol=sso.OIDC,
            server_url="https://idp.example",
            client_id="c",
            secret="s",
        )
    organization.refresh_from_db()
    assert organization.sso_app is None
    assert not SocialApp.objects.exists()
    assert not AuditRecord.objects.filter(action="sso.configured").exists()


@pytest.mark.django_db
def test_configure_oidc_is_audited_without_the_secret(staff):
    organization = make_organization(email_domain="riverside.example")
    app = sso.organization_sso_configure(
        actor=staff,
        organization=organization,
        protocol=sso.OIDC,
        server_url="https://login.microsoftonline.com/tenant-id/v2.0/",
        client_id="client-1",
        secret="very-secret",
    )
    assert (app.provider, app.provider_id, app.client_id, app.secret) == (
        "openid_connect",
        f"org-{organization.slug}",
        "client-1",
        "very-secret",
    )
    assert app.settings == {
        "server_url": "https://login.microsoftonline.com/tenant-id/v2.0",
        "oauth_pkce_enabled": True,
        "hidden": True,
    }
    assert list(app.sites.values_list("id", flat=True)) == [1]
    organization.refresh_from_db()
    assert organization.sso_app == app
    record = AuditRecord.objects.get(action="sso.configured")
    assert record.actor_id == staff.pk
    assert "very-secret" not in str(record.data)

    again = sso.organization_sso_configure(
        actor=staff,
        organization=organization,
        protocol=sso.OIDC,
        server_url="https://login.microsoftonline.com/tenant-id/v2.0",
        client_id="client-2",
    )
    assert again.pk == app.pk
    assert (again.client_id, again.secret) == ("client-2", "very-secret")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"server_url": "http://idp.example.org"}, "must use https"),
        ({"server_url": "not a url"}, "not a valid URL"),
        ({"client_id": ""}, "client ID"),
        ({"secret": ""}, "client secret"),
        ({"protocol": "kerberos"}, "not a single sign-on protocol"),
    ],
)
def test_configure_oidc_refuses_bad_input(staff, changes, message):
    organization = make_organization(email_domain="riverside.example")
    arguments = {
        "protocol": sso.OIDC,
        "server_url": "https://idp.example.org",
        "client_id": "c",
        "secret": "s",
        **changes,
    }
    with pytest.raises(ValidationFailed, match=message):
        sso.organization_sso_configure(actor=staff, organization=organization, **arguments)
    assert not SocialApp.objects.exists()


@pytest.mark.django_db
def test_configure_needs_a_domain_no_other_organization_signs_in(staff):
    no_domain = make_organization()
    with pytest.raises(ValidationFailed, match="email domain first"):
        sso.organization_sso_configure(
            actor=staff,
            organization=no_domain,
            protocol=sso.OIDC,
            server_url="https://idp.example",
            client_id="c",
            secret="s",
        )
    first = make_organization(email_domain="shared.example")
    second = make_organization(email_domain="Shared.Example")
    sso.organization_sso_configure(
        actor=staff,
        organization=first,
        protocol=sso.OIDC,
        server_url="https://idp.example",
        client_id="c",
        secret="s",
    )
    with pytest.raises(Conflict, match="already signs in people at"):
        sso.organization_sso_configure(
            actor=staff,
            organization=second,
            protocol=sso.OIDC,
            server_url="https://idp2.example",
            client_id="d",
            secret="t",
        )
    assert SocialApp.objects.count() == 1


@pytest.mark.django_db
def test_sso_app_for_email_routes_by_domain(staff):
    riverside = make_organization(email_domain="riverside.example")
    app = sso.organization_sso_configure(
        actor=staff,
        organization=riverside,
        protocol=sso.OIDC,
        server_url="https://idp.example",
        client_id="c",
        secret="s",
    )
    make_organization(email_domain="nosso.example")

    assert sso.sso_app_for_email("Ana@Riverside.EXAMPLE") == app
    assert sso.sso_app_for_email("ana@sub.riverside.example") is None
    assert sso.sso_app_for_email("ana@nosso.example") is None
    assert sso.sso_app_for_email("not-an-email") is None
    assert sso.is_trusted_for_email(app, "kofi@riverside.example")
    assert not sso.is_trusted_for_email(app, "kofi@elsewhere.example")


@pytest.mark.django_db
def test_remove_switches_sso_off(staff):
    organization = make_organization(email_domain="riverside.example")
    sso.organization_sso_configure(
        actor=staff,
        organization=organization,
        protocol=sso.OIDC,
        server_url="https://idp.example",
        client_id="c",
        secret="s",
    )
    sso.organization_sso_remove(actor=staff, organization=organization)

    organization.refresh_from_db()
    assert organization.sso_app is None
    assert not SocialApp.objects.exists()
    assert AuditRecord.objects.filter(action="sso.removed", actor_id=staff.pk).exists()
    assert sso.sso_app_for_email("ana@riverside.example") is None


@pytest.mark.django_db
def test_command_configures_oidc_and_prints_the_redirect_uri(staff, settings, tmp_path, capsys):
    settings.SITE_URL = "https://townsquare.example"
    organization = make_organization(name="Riverside Health", email_domain="riverside.example")
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")

    call_command(
        "sso_configure",
        organization.slug,
        "--actor",
        staff.email,
        "--protocol",
        "oidc",
        "--server-url",
        "https://riverside.okta.com",
        "--client-id",
        "0oa1",
        "--secret-file",
        str(secret_file),
    )

    output = capsys.readouterr().out
    assert (
        "Redirect URI (callback): https://townsquare.example/accounts/oidc/"
        "org-riverside-health/login/callback/" in output
    )
    assert SocialApp.objects.get(organization=organization).secret == "from-a-file"
    assert AuditRecord.objects.filter(action="sso.configured", actor_id=staff.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["no-such-org"], "No organization"),
        (["{slug}", "--protocol", "oidc"], "--actor"),
        (
            [
                "{slug}",
                "--actor",
                "{member}",
                "--protocol",
                "oidc",
                "--server-url",
                "https://idp.example",
                "--client-id",
                "c",
                "--secret",
                "s",
            ],
            "Only center staff",
        ),
        (
            [
                "{slug}",
                "--actor",
                "{staff}",
                "--protocol",
                "oidc",
                "--server-url",
                "ftp://idp.example",
                "--client-id",
                "c",
                "--secret",
                "s",
            ],
            "not a valid URL",
        ),
    ],
)
def test_command_refuses_clearly(staff, member, arguments, message):
    organization = make_organization(email_domain="riverside.example")
    values = {"slug": organization.slug, "staff": staff.email, "member": member.email}
    arguments = [argument.format(**values) for argument in arguments]
    with pytest.raises(CommandError, match=message):
        call_command("sso_configure", *arguments)
    assert not SocialApp.objects.exists()


@pytest.mark.django_db
def test_sign_in_page_links_to_single_sign_on():
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    assert b'href="/accounts/sso/"' in response.content
    assert b"Sign in with your organization (single sign-on)" in response.content


@pytest.mark.django_db
def test_sso_page_says_so_when_a_domain_has_no_single_sign_on():
    make_organization(email_domain="nosso.example")
    response = Client().post("/accounts/sso/", {"email": "ana@nosso.example"})
    assert response.status_code == 200
    assert b"No single sign-on is set up for <strong>nosso.example</strong>" in response.content
    assert b'href="/accounts/login/"' in response.content


@pytest.mark.django_db
def test_sso_page_asks_again_for_a_malformed_address():
    response = Client().post("/accounts/sso/", {"email": "not-an-address"})
    assert response.status_code == 200
    assert b'class="error"' in response.content
    assert AuditRecord.objects.filter(action__startswith="sso.").count() == 0


@pytest.mark.django_db
def test_sso_page_explains_when_the_provider_cannot_be_reached(staff):
    with socket.socket() as probe:  # a loopback port nobody listens on once closed
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    organization = make_organization(name=RIVERSIDE, email_domain="riverside.example")
    sso.organization_sso_configure(
        actor=staff,
        organization=organization,
        protocol=sso.OIDC,
        server_url=f"http://127.0.0.1:{closed_port}/o",
        client_id="c",
        secret="s",
    )

    response = Client().post("/accounts/sso/", {"email": "ana@riverside.example"})

    assert response.status_code == 200
    assert b"The sign-in service of Riverside Health cannot be reached" in response.content
