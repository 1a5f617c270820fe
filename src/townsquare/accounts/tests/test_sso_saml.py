"""Single sign-on through SAML 2.0, end to end: our SP metadata, then SP-initiated sign-in with
responses signed by a test identity provider's key (generated for the run), posted to our ACS.

Our app runs in pytest-django's live server; ``requests`` plays the browser, and the test plays
the identity provider: it reads the AuthnRequest ID from our redirect and answers it.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
import requests
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.core.management import call_command
from django.test import Client

from townsquare.accounts import sso
from townsquare.accounts.models import Organization, OrganizationRole, Role, User
from townsquare.accounts.tests.factories import make_organization, make_staff, make_user
from townsquare.accounts.tests.sso_support.browser import TIMEOUT_SECONDS, submit_form
from townsquare.accounts.tests.sso_support.keys import KeyPair, make_key_pair
from townsquare.accounts.tests.sso_support.saml import (
    SamlIdentityProvider,
    request_id_from_redirect,
    signed_response,
)
from townsquare.core.audit import audit_verify
from townsquare.core.errors import ValidationFailed
from townsquare.core.models import AuditRecord

SLUG = "riverside-health"
PROVIDER_ID = f"org-{SLUG}"
SITE = "townsquare.example"
METADATA_NAMESPACE = {"md": "urn:oasis:names:tc:SAML:2.0:metadata"}


# Our app runs in the live server, which needs a transactional database (its closing flush gets
# past the audit log's append-only triggers through townsquare.core.testing.database).
end_to_end = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def idp() -> SamlIdentityProvider:
    return SamlIdentityProvider(
        entity_id="https://sts.riverside.example/saml",
        sso_url="https://login.riverside.example/saml2",
        keys=make_key_pair("Riverside identity provider"),
    )


@pytest.fixture(scope="module")
def stranger_keys() -> KeyPair:
    return make_key_pair("Not the identity provider")


@pytest.fixture
def riverside(idp) -> Organization:
    organization = make_organization(name="Riverside Health", email_domain="riverside.example")
    assert organization.slug == SLUG
    sso.organization_sso_configure(
        actor=make_staff(),
        organization=organization,
        protocol=sso.SAML,
        idp_entity_id=idp.entity_id,
        idp_metadata_xml=idp.metadata_xml(),
    )
    return organization


def start_sign_in(base_url: str, idp: SamlIdentityProvider) -> tuple[requests.Session, str, str]:
    """Our login URL → allauth's confirmation → our redirect to the IdP with a SAMLRequest."""
    session = requests.Session()
    confirm = session.get(f"{base_url}/accounts/saml/{SLUG}/login/", timeout=TIMEOUT_SECONDS)
    assert confirm.status_code == 200
    redirect = submit_form(session, confirm, {}, allow_redirects=False)
    assert redirect.status_code == 302
    location = redirect.headers["Location"]
    assert location.startswith(idp.sso_url + "?")
    relay_state = parse_qs(urlsplit(location).query).get("RelayState", [""])[0]
    return session, request_id_from_redirect(location), relay_state


def post_to_acs(
    session: requests.Session, base_url: str, saml_response: str, relay_state: str = ""
) -> requests.Response:
    return session.post(
        f"{base_url}/accounts/saml/{SLUG}/acs/",
        data={"SAMLResponse": saml_response, "RelayState": relay_state},
        timeout=TIMEOUT_SECONDS,
    )


def answer(
    base_url: str,
    idp: SamlIdentityProvider,
    request_id: str,
    email: str,
    signing_keys: KeyPair | None = None,
    object_id: str = "",
) -> str:
    return signed_response(
        idp=idp,
        acs_url=f"{base_url}/accounts/saml/{SLUG}/acs/",
        audience=f"{base_url}/accounts/saml/{SLUG}/metadata/",
        in_response_to=request_id,
        email=email,
        given_name="Ana",
        surname="Ruiz",
        object_id=object_id,
        signing_keys=signing_keys,
    )


def is_signed_in(session: requests.Session, base_url: str) -> bool:
    response = session.get(f"{base_url}/dashboard/", allow_redirects=False, timeout=TIMEOUT_SECONDS)
    return response.status_code == 200


@pytest.mark.django_db
def test_sp_metadata_names_our_entity_and_assertion_consumer(riverside, settings):
    settings.SITE_URL = f"https://{SITE}"
    response = Client(HTTP_HOST=SITE).get(f"/accounts/saml/{SLUG}/metadata/", secure=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314  (our own server's output)
    acs = root.find("md:SPSSODescriptor/md:AssertionConsumerService", METADATA_NAMESPACE)
    assert acs is not None
    endpoints = sso.sso_endpoints(SocialApp.objects.get(provider_id=PROVIDER_ID))
    assert (
        root.attrib["entityID"]
        == endpoints.entity_id
        == (f"https://{SITE}/accounts/saml/{SLUG}/metadata/")
    )
    assert (
        acs.attrib["Location"] == endpoints.acs_url == f"https://{SITE}/accounts/saml/{SLUG}/acs/"
    )
    assert acs.attrib["Binding"] == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"


@end_to_end
def test_a_signed_response_signs_in_a_new_member(live_server, idp, riverside):
    session, request_id, relay_state = start_sign_in(live_server.url, idp)

    final = post_to_acs(
        session,
        live_server.url,
        answer(live_server.url, idp, request_id, "Ana.Ruiz@Riverside.Example"),
        relay_state,
    )

    assert final.status_code == 200, final.text
    assert final.url == f"{live_server.url}/dashboard/"
    person = User.objects.get(email="ana.ruiz@riverside.example")
    assert person.display_name == "Ana Ruiz"
    assert person.role_set == {Role.MEMBER}
    assert list(person.memberships.values_list("organization_id", "role")) == [
        (riverside.pk, OrganizationRole.MEMBER)
    ]
    account = SocialAccount.objects.get(user=person)
    assert account.provider == PROVIDER_ID
    assert account.uid == "Ana.Ruiz@Riverside.Example"  # the NameID: no object-id claim sent
    actions = set(AuditRecord.objects.filter(actor_id=person.pk).values_list("action", flat=True))
    assert {"account.created", "membership.affiliated", "signin.succeeded"} <= actions
    assert AuditRecord.objects.get(action="sso.accepted").data["protocol"] == sso.SAML
    assert is_signed_in(session, live_server.url)
    assert audit_verify().is_intact


@end_to_end
def test_a_returning_person_is_known_by_the_stable_id_and_the_domain_rule_still_holds(
    live_server, idp, riverside
):
    """Entra ID sends an object id; later sign-ins find the account by it, but an address outside
    the organization's domain is refused even for an account the provider already signed in."""
    object_id = "6f1c2d3e-0000-4000-8000-00000000abcd"
    session, request_id, relay_state = start_sign_in(live_server.url, idp)
    post_to_acs(
        session,
        live_server.url,
        answer(live_server.url, idp, request_id, "ana@riverside.example", object_id=object_id),
        relay_state,
    )
    person = User.objects.get(email="ana@riverside.example")
    assert SocialAccount.objects.get(user=person).uid == object_id

    again, request_id, relay_state = start_sign_in(live_server.url, idp)
    final = post_to_acs(
        again,
        live_server.url,
        answer(live_server.url, idp, request_id, "ANA@riverside.example", object_id=object_id),
        relay_state,
    )
    assert final.url == f"{live_server.url}/dashboard/"
    assert SocialAccount.objects.count() == 1

    moved, request_id, relay_state = start_sign_in(live_server.url, idp)
    refused = post_to_acs(
        moved,
        live_server.url,
        answer(live_server.url, idp, request_id, "ana@elsewhere.example", object_id=object_id),
        relay_state,
    )
    assert refused.status_code == 403
    assert not is_signed_in(moved, live_server.url)
    record = AuditRecord.objects.get(action="sso.refused")
    assert record.data["reason"] == "email-outside-domain"
    assert record.data["email"] == "ana@elsewhere.example"
    person.refresh_from_db()
    assert person.email == "ana@riverside.example"
    assert SocialAccount.objects.get().uid == object_id


@end_to_end
def test_a_linked_account_with_two_factor_authentication_still_needs_its_code(
    live_server, idp, riverside
):
    kofi = make_user(email="kofi@riverside.example", roles=(Role.PATIENT,))
    secret = generate_totp_secret()
    TOTP.activate(kofi, secret)
    session, request_id, relay_state = start_sign_in(live_server.url, idp)

    challenge = post_to_acs(
        session,
        live_server.url,
        answer(live_server.url, idp, request_id, "kofi@riverside.example"),
        relay_state,
    )

    assert challenge.url == f"{live_server.url}/accounts/2fa/authenticate/"
    assert not is_signed_in(session, live_server.url)
    assert SocialAccount.objects.get().user == kofi
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    final = submit_form(session, challenge, {"code": code})
    assert final.url == f"{live_server.url}/dashboard/"
    assert AuditRecord.objects.filter(action="signin.succeeded", actor_id=kofi.pk).count() == 1


@end_to_end
def test_a_response_signed_with_the_wrong_key_is_refused(
    live_server, idp, riverside, stranger_keys
):
    session, request_id, relay_state = start_sign_in(live_server.url, idp)

    final = post_to_acs(
        session,
        live_server.url,
        answer(
            live_server.url, idp, request_id, "ana@riverside.example", signing_keys=stranger_keys
        ),
        relay_state,
    )

    assert final.status_code == 401
    assert not User.objects.filter(email="ana@riverside.example").exists()
    assert not SocialAccount.objects.exists()
    failed = AuditRecord.objects.get(action="sso.failed")
    assert failed.data["provider_id"] == PROVIDER_ID
    assert "Signature validation failed" in failed.data["reason"]
    assert not AuditRecord.objects.filter(action__in=["sso.accepted", "signin.succeeded"]).exists()
    assert not is_signed_in(session, live_server.url)


@end_to_end
def test_an_email_outside_the_organization_domain_is_refused(live_server, idp, riverside):
    session, request_id, relay_state = start_sign_in(live_server.url, idp)

    final = post_to_acs(
        session,
        live_server.url,
        answer(live_server.url, idp, request_id, "mallory@elsewhere.example"),
        relay_state,
    )

    assert final.status_code == 403
    assert "riverside.example" in final.text
    assert not User.objects.filter(email="mallory@elsewhere.example").exists()
    assert not SocialAccount.objects.exists()
    assert AuditRecord.objects.get(action="sso.refused").data["reason"] == "email-outside-domain"
    assert not is_signed_in(session, live_server.url)


@end_to_end
def test_a_response_to_a_request_we_never_made_is_refused(live_server, idp, riverside):
    session, _, relay_state = start_sign_in(live_server.url, idp)

    final = post_to_acs(
        session,
        live_server.url,
        answer(live_server.url, idp, "_never-requested", "ana@riverside.example"),
        relay_state,
    )

    assert final.status_code == 403
    refused = AuditRecord.objects.get(action="access.refused")
    assert refused.data["path"] == f"/accounts/saml/{SLUG}/acs/finish/"
    assert not User.objects.filter(email="ana@riverside.example").exists()
    assert not SocialAccount.objects.exists()
    assert not is_signed_in(session, live_server.url)


# --- Configuration, routing page and command --------------------------------------------------


@pytest.mark.django_db
def test_sso_page_sends_a_known_domain_to_its_identity_provider(riverside, idp):
    response = Client(HTTP_HOST=SITE).post("/accounts/sso/", {"email": "kofi@riverside.example"})

    assert response.status_code == 302
    assert response["Location"].startswith(idp.sso_url + "?SAMLRequest=")


@pytest.mark.django_db
def test_sso_page_tells_an_unknown_domain_it_has_no_single_sign_on(riverside):
    response = Client(HTTP_HOST=SITE).post("/accounts/sso/", {"email": "kofi@unknown.example"})

    assert response.status_code == 200
    assert b"No single sign-on is set up for <strong>unknown.example</strong>" in response.content


@pytest.mark.django_db
def test_configure_saml_from_metadata_xml(staff, idp):
    organization = make_organization(email_domain="riverside.example")

    app = sso.organization_sso_configure(
        actor=staff,
        organization=organization,
        protocol=sso.SAML,
        idp_entity_id=idp.entity_id,
        idp_metadata_xml=idp.metadata_xml(),
    )

    assert (app.provider, app.provider_id, app.client_id) == (
        "saml",
        f"org-{organization.slug}",
        organization.slug,
    )
    assert app.settings["idp"] == {
        "entity_id": idp.entity_id,
        "sso_url": idp.sso_url,
        "x509cert": idp.keys.certificate_base64,
    }
    assert app.settings["advanced"]["want_assertion_signed"] is True
    assert app.settings["advanced"]["reject_idp_initiated_sso"] is True
    assert app.settings["attribute_mapping"] == sso.SAML_ATTRIBUTE_MAPPING
    record = AuditRecord.objects.get(action="sso.configured")
    assert record.data["protocol"] == sso.SAML
    assert record.data["idp_entity_id"] == idp.entity_id


@pytest.mark.django_db
def test_configure_saml_from_a_metadata_url_and_switch_protocol(staff):
    organization = make_organization(email_domain="riverside.example")
    oidc_app = sso.organization_sso_configure(
        actor=staff,
        organization=organization,
        protocol=sso.OIDC,
        server_url="https://idp.example",
        client_id="c",
        secret="s",
    )

    app = sso.organization_sso_configure(
        actor=staff,
        organization=organization,
        protocol=sso.SAML,
        idp_entity_id="https://sts.windows.net/tenant/",
        idp_metadata_url="https://login.microsoftonline.com/tenant/federationmetadata/2007-06/"
        "federationmetadata.xml",
    )

    assert app.pk == oidc_app.pk
    assert app.provider_id == oidc_app.provider_id  # existing sign-in links stay attached
    assert (app.provider, app.secret) == ("saml", "")
    assert app.settings["idp"]["metadata_url"].startswith("https://login.microsoftonline.com/")
    assert SocialApp.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"idp_metadata_url": "https://idp.example/metadata"}, "not both"),
        ({"idp_metadata_xml": ""}, "not both"),
        ({"idp_entity_id": ""}, "entity ID"),
        ({"idp_entity_id": "https://someone-else.example"}, "has no identity provider"),
        ({"idp_metadata_xml": "<not-metadata"}, "not valid SAML metadata"),
        (
            {"idp_metadata_xml": "", "idp_metadata_url": "http://idp.example/metadata"},
            "must use https",
        ),
    ],
)
def test_configure_saml_refuses_bad_input(staff, idp, arguments, message):
    organization = make_organization(email_domain="riverside.example")
    values = {"idp_entity_id": idp.entity_id, "idp_metadata_xml": idp.metadata_xml(), **arguments}
    with pytest.raises(ValidationFailed, match=message):
        sso.organization_sso_configure(
            actor=staff, organization=organization, protocol=sso.SAML, **values
        )
    assert not SocialApp.objects.exists()


@pytest.mark.django_db
def test_configure_saml_refuses_metadata_in_a_certificate_rollover(staff, idp):
    organization = make_organization(email_domain="riverside.example")
    second = make_key_pair("next certificate").certificate_base64
    certificate = f"<ds:X509Certificate>{idp.keys.certificate_base64}</ds:X509Certificate>"
    metadata = idp.metadata_xml().replace(
        "</md:KeyDescriptor>",
        '</md:KeyDescriptor><md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>'
        f"{certificate.replace(idp.keys.certificate_base64, second)}"
        "</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>",
        1,
    )
    with pytest.raises(ValidationFailed, match="several signing certificates"):
        sso.organization_sso_configure(
            actor=staff,
            organization=organization,
            protocol=sso.SAML,
            idp_entity_id=idp.entity_id,
            idp_metadata_xml=metadata,
        )


@pytest.mark.django_db
def test_command_configures_saml_from_a_metadata_file(staff, idp, settings, tmp_path, capsys):
    settings.SITE_URL = f"https://{SITE}"
    organization = make_organization(name="Riverside Health", email_domain="riverside.example")
    metadata_file = tmp_path / "idp-metadata.xml"
    metadata_file.write_text(idp.metadata_xml())

    call_command(
        "sso_configure",
        organization.slug,
        "--actor",
        staff.email,
        "--protocol",
        "saml",
        "--entity-id",
        idp.entity_id,
        "--metadata-file",
        str(metadata_file),
    )

    output = capsys.readouterr().out
    assert (
        f"SP entity ID (Identifier, Audience): https://{SITE}/accounts/saml/{SLUG}/metadata/"
        in output
    )
    assert (
        f"Assertion consumer service URL (Reply URL): https://{SITE}/accounts/saml/{SLUG}/acs/"
        in output
    )
    app = SocialApp.objects.get(organization=organization)
    assert app.settings["idp"]["sso_url"] == idp.sso_url

    call_command("sso_configure", organization.slug, "--actor", staff.email, "--remove")
    organization.refresh_from_db()
    assert organization.sso_app is None
    assert AuditRecord.objects.filter(action="sso.removed", actor_id=staff.pk).exists()
