"""Open Badges 3.0: each credential as a signed OpenBadgeCredential (a W3C Verifiable Credential).

The proof is a W3C Data Integrity proof with the ``eddsa-jcs-2022`` cryptosuite (vc-di-eddsa):
the document and the proof configuration are canonicalized with JCS (RFC 8785), each hashed with
SHA-256, and the concatenation ``hash(proof config) || hash(document)`` is signed with Ed25519.
The verification method is the issuer's key as a Multikey, published in the issuer document at
/academy/issuer and also usable offline as a ``did:key``.

The signing key is ``OPEN_BADGES_SIGNING_KEY`` (an Ed25519 private key in PEM) or, when that is
empty, derived from ``SECRET_KEY`` with HKDF, so every server of one deployment signs alike.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import hmac
import uuid
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import jcs
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.utils import timezone

from townsquare.core.errors import Conflict

from ..models import Credential, CredentialKind

CONTEXT = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
CRYPTOSUITE = "eddsa-jcs-2022"
ISSUER_NAME = "Townsquare Health-Care Social Media Center"
# Multicodec prefix of an Ed25519 public key (0xed, varint-encoded) used by Multikey and did:key.
_ED25519_MULTICODEC = b"\xed\x01"

# --- base58btc -----------------------------------------------------------------------------------
# Written by hand (a dozen lines) rather than adding a dependency: no base58 package is installed.
_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = _BASE58_ALPHABET[remainder] + encoded
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * leading_zeros + encoded


def base58_decode(text: str) -> bytes:
    number = 0
    for character in text:
        index = _BASE58_ALPHABET.find(character)
        if index < 0:
            raise ValueError("not base58")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading_ones = len(text) - len(text.lstrip("1"))
    return b"\0" * leading_ones + body


# --- keys ----------------------------------------------------------------------------------------


def _key_from_settings(pem: str, secret_key: str) -> Ed25519PrivateKey:
    if pem.strip():
        key = serialization.load_pem_private_key(pem.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("OPEN_BADGES_SIGNING_KEY must be an Ed25519 private key in PEM")
        return key
    seed = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"townsquare open badges issuer key"
    ).derive(secret_key.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


@lru_cache(maxsize=4)
def _signing_key_cached(pem: str, secret_key: str) -> Ed25519PrivateKey:
    return _key_from_settings(pem, secret_key)


def signing_key() -> Ed25519PrivateKey:
    return _signing_key_cached(settings.OPEN_BADGES_SIGNING_KEY, settings.SECRET_KEY)


def public_key_multibase(public_key: Ed25519PublicKey | None = None) -> str:
    """The issuer key as a Multikey value: 'z' + base58btc(0xed01 || 32-byte key), 'z6Mk…'."""
    public_key = public_key or signing_key().public_key()
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58_encode(_ED25519_MULTICODEC + raw)


def issuer_id() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/academy/issuer"


def verification_method_id() -> str:
    return f"{issuer_id()}#key-1"


def did_key() -> str:
    multibase = public_key_multibase()
    return f"did:key:{multibase}#{multibase}"


def issuer_document() -> dict[str, Any]:
    """The issuer Profile served at /academy/issuer, listing the public key as a Multikey."""
    return {
        "@context": CONTEXT,
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER_NAME,
        "url": settings.SITE_URL.rstrip("/") + "/academy/",
        "verificationMethod": [
            {
                "id": verification_method_id(),
                "type": "Multikey",
                "controller": issuer_id(),
                "publicKeyMultibase": public_key_multibase(),
            }
        ],
        "assertionMethod": [verification_method_id()],
    }


# --- the credential document ---------------------------------------------------------------------


def _timestamp(moment: Any) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _identity(credential: Credential) -> dict[str, Any]:
    """The recipient as a salted SHA-256 of their email: provable by them, unreadable to others."""
    salt = hmac.new(
        settings.SECRET_KEY.encode(), credential.verification_code.encode(), hashlib.sha256
    ).hexdigest()[:16]
    email = credential.user.email.strip().lower()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest(),
        "salt": salt,
    }


def _achievement(credential: Credential) -> dict[str, Any]:
    site = settings.SITE_URL.rstrip("/")
    if credential.kind == CredentialKind.COURSE and credential.course is not None:
        course = credential.course
        return {
            "id": f"{site}/academy/courses/{course.slug}/",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": credential.title,
            "description": course.summary or credential.title,
            "criteria": {"narrative": f"Completed every lesson and assessment of {course.title}."},
        }
    if credential.kind == CredentialKind.PROGRAM and credential.program is not None:
        program = credential.program
        return {
            "id": f"{site}/academy/programs/{program.slug}/",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": credential.title,
            "description": program.summary or credential.title,
            "criteria": {"narrative": f"Completed every course of the program {program.title}."},
        }
    if credential.kind == CredentialKind.ATTENDANCE:
        return {
            "id": credential.subject_url or f"{site}/verify/{credential.verification_code}",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": credential.title,
            "description": credential.title,
            "criteria": {"narrative": f"Attended {credential.title}, confirmed by the organizers."},
        }
    return {
        "id": f"{site}/academy/fellowship/#{credential.level}",
        "type": ["Achievement"],
        # Open Badges has no "Fellowship" type; "ext:" is its sanctioned extension prefix.
        "achievementType": "ext:Fellowship",
        "name": credential.title,
        "description": credential.title,
        "criteria": {
            "narrative": (
                "Awarded by the center for distinguished service."
                if credential.level == "platinum"
                else "Work submitted for this level of the fellowship, reviewed and approved "
                "by an advisor of the center, after holding the previous level."
            )
        },
    }


def badge_id(credential: Credential) -> str:
    """The credential's stable id in its badge (a UUID derived from its verification address)."""
    verify_url = f"{settings.SITE_URL.rstrip('/')}/verify/{credential.verification_code}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, verify_url)}"


def revocation_list_id() -> str:
    return f"{settings.SITE_URL.rstrip('/')}/academy/issuer/revocations"


def revocation_list(revoked: Iterable[Credential]) -> dict[str, Any]:
    """The 1EdTech Revocation List that each badge's ``credentialStatus`` points verifiers to."""
    return {
        "id": revocation_list_id(),
        "issuer": issuer_id(),
        "revokedCredentials": [
            {"id": badge_id(credential), "revocationReason": credential.revoked_reason}
            for credential in revoked
        ],
    }


def badge_document(credential: Credential) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for one credential."""
    verify_url = f"{settings.SITE_URL.rstrip('/')}/verify/{credential.verification_code}"
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [_identity(credential)],
        "achievement": _achievement(credential),
    }
    if credential.hours:
        subject["creditsEarned"] = float(credential.hours)
    return {
        "@context": CONTEXT,
        "id": badge_id(credential),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer_id(), "type": ["Profile"], "name": ISSUER_NAME},
        "validFrom": _timestamp(credential.issued_at),
        "name": credential.title,
        "credentialSubject": subject,
        # Verifiers learn of revocation from the issuer's list, people from the verification page.
        "credentialStatus": {"id": revocation_list_id(), "type": "1EdTechRevocationList"},
        "evidence": [
            {
                "id": verify_url,
                "type": ["Evidence"],
                "name": "Verification page",
                "narrative": "Open this address to check the credential is valid and not revoked.",
            }
        ],
    }


# --- eddsa-jcs-2022 ------------------------------------------------------------------------------


def _hash_data(document: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    return (
        hashlib.sha256(jcs.canonicalize(proof_config)).digest()
        + hashlib.sha256(jcs.canonicalize(document)).digest()
    )


def document_sign(document: dict[str, Any], *, created: Any = None) -> dict[str, Any]:
    """Attach a DataIntegrityProof (eddsa-jcs-2022) to ``document``; returns a new document."""
    unsecured = copy.deepcopy(document)
    unsecured.pop("proof", None)
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created or timezone.now()),
        "verificationMethod": verification_method_id(),
        "proofPurpose": "assertionMethod",
    }
    if "@context" in unsecured:
        proof["@context"] = unsecured["@context"]
    signature = signing_key().sign(_hash_data(unsecured, proof))
    proof["proofValue"] = "z" + base58_encode(signature)
    return {**unsecured, "proof": proof}


def _public_key_for(verification_method: str) -> Ed25519PublicKey | None:
    if verification_method == verification_method_id():
        return signing_key().public_key()
    if verification_method.startswith("did:key:z"):
        multibase = verification_method.removeprefix("did:key:").split("#", 1)[0]
        raw = base58_decode(multibase[1:])
        if raw[:2] != _ED25519_MULTICODEC or len(raw) != 34:
            return None
        return Ed25519PublicKey.from_public_bytes(raw[2:])
    return None


def badge_verify(document: Any) -> bool:
    """True when ``document`` carries a valid eddsa-jcs-2022 proof by a key we recognize."""
    try:
        if not isinstance(document, dict) or not isinstance(document.get("proof"), dict):
            return False
        unsecured = copy.deepcopy(document)
        proof = unsecured.pop("proof")
        if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
            return False
        proof_value = proof.pop("proofValue", "")
        if not isinstance(proof_value, str) or not proof_value.startswith("z"):
            return False
        if "@context" in proof:
            context = unsecured.get("@context")
            if not isinstance(context, list) or context[: len(proof["@context"])] != list(
                proof["@context"]
            ):
                return False
        public_key = _public_key_for(str(proof.get("verificationMethod", "")))
        if public_key is None:
            return False
        public_key.verify(base58_decode(proof_value[1:]), _hash_data(unsecured, proof))
    except (InvalidSignature, ValueError, TypeError, KeyError):
        return False
    return True


def credential_badge(credential: Credential) -> dict[str, Any]:
    """The signed badge for download. A revoked credential has no badge."""
    if credential.is_revoked:
        raise Conflict(
            "This credential was revoked, so it has no badge to download. "
            "Its verification page shows the reason."
        )
    return document_sign(badge_document(credential), created=credential.issued_at)
