"""Open Badges 3.0: the document's shape, the eddsa-jcs-2022 proof, tampering, keys."""

from __future__ import annotations

import copy
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from townsquare.academy.models import EnrollmentStatus
from townsquare.academy.services import badges
from townsquare.academy.services.credentials import course_certificate_issue, credential_revoke
from townsquare.academy.tests.factories import make_course, make_enrollment
from townsquare.core.errors import Conflict


def _completed(enrollment):
    from django.utils import timezone

    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = timezone.now()
    enrollment.save()
    return enrollment


@pytest.fixture
def credential(db, member):
    enrollment = make_enrollment(member, make_course(code="SM 201", title="Campaigns"))
    return course_certificate_issue(enrollment=_completed(enrollment))


@hypothesis_settings(deadline=None)
@given(st.binary(max_size=80))
def test_base58_round_trips(data):
    assert badges.base58_decode(badges.base58_encode(data)) == data


def test_base58_known_vector():
    assert badges.base58_encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
    assert badges.base58_encode(b"\0\0\x01") == "112"


def test_public_key_is_an_ed25519_multikey(db):
    assert badges.public_key_multibase().startswith("z6Mk")


def test_badge_document_shape(credential, member):
    document = badges.credential_badge(credential)
    assert document["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["id"].startswith("urn:uuid:")
    assert document["issuer"]["type"] == ["Profile"]
    assert document["issuer"]["id"].endswith("/academy/issuer")
    subject = document["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["achievement"]["type"] == ["Achievement"]
    assert subject["achievement"]["name"] == "SM 201 Campaigns"
    assert subject["achievement"]["achievementType"] == "Certificate"
    assert subject["achievement"]["criteria"]["narrative"]
    identity = subject["identifier"][0]
    assert identity["hashed"] is True
    assert identity["identityHash"].startswith("sha256$")
    assert member.email not in json.dumps(document)
    assert document["evidence"][0]["id"].endswith(f"/verify/{credential.verification_code}")
    proof = document["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["proofValue"].startswith("z")


def test_badge_verifies(credential):
    document = badges.credential_badge(credential)
    assert badges.badge_verify(document)
    # survives a JSON round trip (what a download is)
    assert badges.badge_verify(json.loads(json.dumps(document)))


def _paths(value, prefix=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))
    else:
        yield prefix


def _tampered(document, path):
    changed = copy.deepcopy(document)
    target = changed
    for part in path[:-1]:
        target = target[part]
    old = target[path[-1]]
    if isinstance(old, bool):
        target[path[-1]] = not old
    elif isinstance(old, int | float):
        target[path[-1]] = old + 1
    else:
        target[path[-1]] = str(old) + "x"
    return changed


def test_tampering_with_any_field_fails(credential):
    document = badges.credential_badge(credential)
    paths = list(_paths(document))
    assert len(paths) > 20
    for path in paths:
        assert not badges.badge_verify(_tampered(document, path)), path


def test_removing_or_adding_fields_fails(credential):
    document = badges.credential_badge(credential)
    added = copy.deepcopy(document)
    added["credentialSubject"]["extra"] = "claim"
    assert not badges.badge_verify(added)
    removed = copy.deepcopy(document)
    del removed["validFrom"]
    assert not badges.badge_verify(removed)
    assert not badges.badge_verify({k: v for k, v in document.items() if k != "proof"})
    assert not badges.badge_verify("not a document")


def test_did_key_verification_method_verifies(credential):
    unsigned = badges.badge_document(credential)
    signed = badges.document_sign(unsigned)
    # re-sign with the did:key form of the same key
    proof = {k: v for k, v in signed["proof"].items() if k != "proofValue"}
    proof["verificationMethod"] = badges.did_key()
    signature = badges.signing_key().sign(badges._hash_data(unsigned, proof))
    document = {**unsigned, "proof": {**proof, "proofValue": "z" + badges.base58_encode(signature)}}
    assert badges.badge_verify(document)


def test_a_foreign_key_does_not_verify(credential):
    unsigned = badges.badge_document(credential)
    other = Ed25519PrivateKey.generate()
    raw = other.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    multibase = "z" + badges.base58_encode(b"\xed\x01" + raw)
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": "2026-01-01T00:00:00Z",
        "verificationMethod": badges.verification_method_id(),
        "proofPurpose": "assertionMethod",
        "@context": unsigned["@context"],
    }
    signature = other.sign(badges._hash_data(unsigned, proof))
    forged = {**unsigned, "proof": {**proof, "proofValue": "z" + badges.base58_encode(signature)}}
    assert not badges.badge_verify(forged)
    # signed by the foreign key and honest about it (did:key): valid signature, but we check keys
    proof["verificationMethod"] = f"did:key:{multibase}#{multibase}"
    signature = other.sign(badges._hash_data(unsigned, proof))
    honest = {**unsigned, "proof": {**proof, "proofValue": "z" + badges.base58_encode(signature)}}
    assert badges.badge_verify(honest)  # a did:key proof is self-certifying


def test_configured_pem_key_is_used(settings, credential):
    key = Ed25519PrivateKey.generate()
    settings.OPEN_BADGES_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert badges.public_key_multibase() == "z" + badges.base58_encode(b"\xed\x01" + raw)
    assert badges.badge_verify(badges.credential_badge(credential))


def test_issuer_document_lists_the_key(db):
    document = badges.issuer_document()
    method = document["verificationMethod"][0]
    assert method["type"] == "Multikey"
    assert method["publicKeyMultibase"] == badges.public_key_multibase()
    assert document["assertionMethod"] == [method["id"]]


def test_the_revocation_list_names_revoked_badges_only(client, settings, credential, staff, member):
    badge = badges.credential_badge(credential)
    assert badge["credentialStatus"] == {
        "id": f"{settings.SITE_URL}/academy/issuer/revocations",
        "type": "1EdTechRevocationList",
    }
    other = course_certificate_issue(
        enrollment=_completed(make_enrollment(member, make_course(code="SM 202")))
    )
    assert client.get("/academy/issuer/revocations").json()["revokedCredentials"] == []

    credential_revoke(actor=staff, credential=credential, reason="Issued in error")

    listed = client.get("/academy/issuer/revocations").json()
    assert listed["issuer"] == badges.issuer_id()
    assert listed["revokedCredentials"] == [
        {"id": badge["id"], "revocationReason": "Issued in error"}
    ]
    assert badges.badge_id(other) not in json.dumps(listed)


def test_revoked_credentials_have_no_badge(credential, staff):
    credential_revoke(actor=staff, credential=credential, reason="Issued in error")
    credential.refresh_from_db()
    with pytest.raises(Conflict, match="revoked"):
        badges.credential_badge(credential)


# The W3C vc-di-eddsa specification's eddsa-jcs-2022 test vector (key, document and proof value
# as published in the specification's "Representation: eddsa-jcs-2022" test vector section).
W3C_SECRET_KEY = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_PUBLIC_KEY = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://www.w3.org/ns/credentials/examples/v2",
]
W3C_DOCUMENT = {
    "@context": W3C_CONTEXT,
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
W3C_PROOF = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": f"did:key:{W3C_PUBLIC_KEY}#{W3C_PUBLIC_KEY}",
    "proofPurpose": "assertionMethod",
    "@context": W3C_CONTEXT,
}
W3C_PROOF_VALUE = (
    "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
)


def test_matches_the_w3c_test_vector():
    seed = badges.base58_decode(W3C_SECRET_KEY[1:])
    assert seed[:2] == b"\x80\x26"  # multicodec ed25519-priv
    key = Ed25519PrivateKey.from_private_bytes(seed[2:])
    assert badges.public_key_multibase(key.public_key()) == W3C_PUBLIC_KEY
    signature = key.sign(badges._hash_data(W3C_DOCUMENT, W3C_PROOF))
    assert "z" + badges.base58_encode(signature) == W3C_PROOF_VALUE
    secured = {**W3C_DOCUMENT, "proof": {**W3C_PROOF, "proofValue": W3C_PROOF_VALUE}}
    assert badges.badge_verify(secured)
    secured["name"] = "Forged"
    assert not badges.badge_verify(secured)
