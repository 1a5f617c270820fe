"""A test SAML identity provider in a few functions: its metadata, and signed responses.

The responses are what Microsoft Entra ID sends by default: the assertion signed (RSA-SHA256), a
NameID in email format and the usual claims as attributes.
"""

from __future__ import annotations

import base64
import secrets
import time
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from .keys import KeyPair

EMAIL_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
GIVEN_NAME_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"
SURNAME_CLAIM = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"
OBJECT_ID_CLAIM = "http://schemas.microsoft.com/identity/claims/objectidentifier"


@dataclass(frozen=True)
class SamlIdentityProvider:
    entity_id: str
    sso_url: str
    keys: KeyPair

    def metadata_xml(self) -> str:
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID={quoteattr(self.entity_id)}>
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing">
      <ds:KeyInfo><ds:X509Data>
        <ds:X509Certificate>{self.keys.certificate_base64}</ds:X509Certificate>
      </ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location={quoteattr(self.sso_url)}/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""


def request_id_from_redirect(location: str) -> str:
    """The ID of the AuthnRequest our SP put (deflated, base64) in its redirect to the IdP."""
    encoded = parse_qs(urlsplit(location).query)["SAMLRequest"][0]
    xml = zlib.decompress(base64.b64decode(encoded), -15)
    return ElementTree.fromstring(xml).attrib["ID"]  # noqa: S314  (our own SP's request)


def _instant(offset_seconds: int = 0) -> str:
    return OneLogin_Saml2_Utils.parse_time_to_SAML(int(time.time()) + offset_seconds)


def _attributes(values: dict[str, str]) -> str:
    return "".join(
        f"<saml:Attribute Name={quoteattr(name)} "
        f'NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">'
        f'<saml:AttributeValue xsi:type="xs:string">{escape(value)}</saml:AttributeValue>'
        f"</saml:Attribute>"
        for name, value in values.items()
    )


def signed_response(
    *,
    idp: SamlIdentityProvider,
    acs_url: str,
    audience: str,
    in_response_to: str,
    email: str,
    given_name: str = "",
    surname: str = "",
    object_id: str = "",
    signing_keys: KeyPair | None = None,
) -> str:
    """A base64 SAMLResponse for the HTTP-POST binding, its assertion signed by ``signing_keys``
    (the IdP's own keys unless a test passes others). ``object_id`` is Entra ID's stable user id,
    which our attribute mapping prefers to the NameID as the account's uid."""
    keys = signing_keys or idp.keys
    assertion_id = "_" + secrets.token_hex(16)
    attributes = {
        EMAIL_CLAIM: email,
        GIVEN_NAME_CLAIM: given_name,
        SURNAME_CLAIM: surname,
        OBJECT_ID_CLAIM: object_id,
    }
    assertion = f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
ID="{assertion_id}" Version="2.0" IssueInstant="{_instant()}">\
<saml:Issuer>{escape(idp.entity_id)}</saml:Issuer>\
<saml:Subject>\
<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{escape(email)}\
</saml:NameID>\
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">\
<saml:SubjectConfirmationData NotOnOrAfter="{_instant(300)}" Recipient={quoteattr(acs_url)} \
InResponseTo={quoteattr(in_response_to)}/>\
</saml:SubjectConfirmation>\
</saml:Subject>\
<saml:Conditions NotBefore="{_instant(-60)}" NotOnOrAfter="{_instant(300)}">\
<saml:AudienceRestriction><saml:Audience>{escape(audience)}</saml:Audience>\
</saml:AudienceRestriction>\
</saml:Conditions>\
<saml:AuthnStatement AuthnInstant="{_instant()}" SessionIndex="_{secrets.token_hex(8)}">\
<saml:AuthnContext><saml:AuthnContextClassRef>\
urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef>\
</saml:AuthnContext>\
</saml:AuthnStatement>\
<saml:AttributeStatement>{_attributes({k: v for k, v in attributes.items() if v})}\
</saml:AttributeStatement>\
</saml:Assertion>"""
    signed_assertion = OneLogin_Saml2_Utils.add_sign(
        assertion,
        keys.private_key_pem,
        keys.certificate_pem,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    ).decode()
    response = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" \
xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{secrets.token_hex(16)}" Version="2.0" \
IssueInstant="{_instant()}" Destination={quoteattr(acs_url)} \
InResponseTo={quoteattr(in_response_to)}>\
<saml:Issuer>{escape(idp.entity_id)}</saml:Issuer>\
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>\
{signed_assertion}\
</samlp:Response>"""
    return base64.b64encode(response.encode()).decode()
