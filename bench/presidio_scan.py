"""Run Microsoft Presidio's predefined pattern recognizers on JSON lines; for bench/phi_eval.py.

Runs in Presidio's own interpreter, outside the repository (never a Townsquare dependency):

    python3 -m venv /work/presidio-venv && /work/presidio-venv/bin/pip install presidio-analyzer
    /work/presidio-venv/bin/python bench/presidio_scan.py < posts.jsonl > findings.jsonl

Reads ``{"id", "text"}`` lines and writes ``{"id", "findings": [{kind, start, end, confidence,
entity}]}`` lines, Presidio's entity types mapped to Townsquare's kinds (``MAPPING``). Without a
spaCy model (none can be downloaded here) the NLP-based recognizers (PERSON, LOCATION, and the
context-word score boost) are not available; every recognizer below is a regular expression or
checksum recognizer called with ``nlp_artifacts=None``. Overlaps are resolved with Presidio's own
``EntityRecognizer.remove_duplicates``, as its AnalyzerEngine does; the score threshold is 0, the
AnalyzerEngine's default. ``--throughput BYTES`` instead repeats the texts to that many bytes,
scans them one by one and prints ``{"bytes", "seconds", "cpu_seconds"}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from presidio_analyzer import EntityRecognizer
from presidio_analyzer import predefined_recognizers as recognizers

# Presidio entity type -> Townsquare kind. Only the US and language-neutral English recognizers
# are used; the other countries' ones (UK, AU, IN, SG, ...) would only add false findings here.
MAPPING = {
    "PHONE_NUMBER": "phone",
    "EMAIL_ADDRESS": "email",
    "US_SSN": "ssn",
    "US_ITIN": "other_id",
    "DATE_TIME": "date",
    "URL": "url",
    "IP_ADDRESS": "ip",
    "MAC_ADDRESS": "device",
    "CREDIT_CARD": "account",
    "IBAN_CODE": "account",
    "US_BANK_NUMBER": "account",
    "ABA_ROUTING_NUMBER": "account",
    "CRYPTO": "account",
    "US_DRIVER_LICENSE": "license",
    "US_PASSPORT": "license",
    "MEDICAL_LICENSE": "license",
    "US_NPI": "license",
    "US_MBI": "health_plan",
    "US_HEALTH_INSURANCE_MEMBER_ID": "health_plan",
    "US_CLAIM_NUMBER": "other_id",
    "US_PRESCRIPTION_NUMBER": "other_id",
    "US_PRIOR_AUTHORIZATION_NUMBER": "other_id",
    "US_REFERRAL_NUMBER": "other_id",
    "US_PROVIDER_TAX_ID": "other_id",
    "UUID": "other_id",
}
RECOGNIZERS = (
    "PhoneRecognizer",
    "EmailRecognizer",
    "UsSsnRecognizer",
    "UsItinRecognizer",
    "DateRecognizer",
    "UrlRecognizer",
    "IpRecognizer",
    "MacAddressRecognizer",
    "CreditCardRecognizer",
    "IbanRecognizer",
    "UsBankRecognizer",
    "AbaRoutingRecognizer",
    "CryptoRecognizer",
    "UsLicenseRecognizer",
    "UsPassportRecognizer",
    "MedicalLicenseRecognizer",
    "UsNpiRecognizer",
    "UsMbiRecognizer",
    "UsHealthInsuranceMemberIdRecognizer",
    "UsClaimNumberRecognizer",
    "UsPrescriptionNumberRecognizer",
    "UsPriorAuthorizationNumberRecognizer",
    "UsReferralNumberRecognizer",
    "UsProviderTaxIdRecognizer",
    "UuidRecognizer",
)


def load() -> list:
    loaded = []
    for name in RECOGNIZERS:
        recognizer_class = getattr(recognizers, name, None)
        if recognizer_class is not None:  # older Presidio versions lack some
            loaded.append(recognizer_class())
    return loaded


def analyze(loaded: list, text: str) -> list:
    results = []
    for recognizer in loaded:
        results.extend(
            recognizer.analyze(text, entities=recognizer.supported_entities, nlp_artifacts=None)
            or []
        )
    return EntityRecognizer.remove_duplicates(results)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--throughput", type=int, default=0)
    arguments = parser.parse_args()
    loaded = load()
    records = [json.loads(line) for line in sys.stdin if line.strip()]
    if arguments.throughput:
        texts, size = [], 0
        while size < arguments.throughput:
            for record in records:
                texts.append(record["text"])
                size += len(record["text"].encode())
        wall, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            analyze(loaded, text)
        print(
            json.dumps(
                {
                    "bytes": size,
                    "seconds": time.perf_counter() - wall,
                    "cpu_seconds": time.process_time() - cpu,
                }
            )
        )
        return
    for record in records:
        findings = [
            {
                "kind": MAPPING[result.entity_type],
                "start": result.start,
                "end": result.end,
                "confidence": round(result.score, 3),
                "entity": result.entity_type,
            }
            for result in analyze(loaded, record["text"])
            if result.entity_type in MAPPING and result.score > 0
        ]
        print(json.dumps({"id": record["id"], "findings": findings}))


if __name__ == "__main__":
    main()
