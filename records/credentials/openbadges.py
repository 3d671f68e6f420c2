"""The credential as an Open Badges 3.0 ``OpenBadgeCredential`` (W3C Verifiable
Credentials Data Model 2.0), with an embedded Data Integrity proof.

The proof uses the ``eddsa-jcs-2022`` cryptosuite (W3C VC Data Integrity EdDSA
Cryptosuites v1.0): the document and the proof options are canonicalised with JCS
(RFC 8785), hashed with SHA-256 and signed with Ed25519. It is the JSON sibling of
``eddsa-rdfc-2022`` and needs no JSON-LD processing, so it verifies offline with the
``cryptography`` package alone. The issuer is identified by the ``did:key`` of its
Ed25519 key. ``to_vc_jwt`` gives the same credential as a VC-JWT (compact JWS, EdDSA).
The JSON-LD contexts are bundled in ``contexts/`` and never fetched.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from assessments.framework import builtin_framework, case_identifier
from records.credentials.encoding import b58decode, b58encode, canonical_json, format_code
from records.credentials.issuer import ED25519_MULTICODEC, IssuerKey, did_key
from records.credentials.payload import DOMAIN_ORDER, Payload

CONTEXT_DIR = Path(__file__).parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT_FILES = {VC_V2: "credentials-v2.json", OB_V3: "ob-context-3.0.3.json"}
CRYPTOSUITE = "eddsa-jcs-2022"
URN = "urn:xiangyi:"


class ProofError(ValueError):
    """The JSON is not an Xiangyi Open Badges credential or its proof does not hold."""


@cache
def bundled_context(url: str) -> dict[str, Any]:
    """A JSON-LD context shipped with the app (a document loader for JSON-LD tools)."""
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise KeyError(url)
    loaded: dict[str, Any] = json.loads((CONTEXT_DIR / name).read_text(encoding="utf-8"))
    return loaded


def credential_urn(credential_id: str) -> str:
    """``urn:uuid:…`` of a credential ID (32 hex digits)."""
    h = credential_id
    return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _datetime(day: Any, end: bool = False) -> str:
    return f"{day.isoformat()}T{'23:59:59' if end else '00:00:00'}Z"


def _achievement(payload: Payload, title_zh: str, title_en: str) -> dict[str, Any]:
    fw = builtin_framework()
    base = f"{URN}achievement:{payload.blueprint_id}"
    alignments, descriptions = [], []
    for domain in DOMAIN_ORDER:
        spec = fw.domain(domain)
        item = case_identifier(fw, "item", domain)
        alignments.append(
            {
                "type": ["Alignment"],
                "targetName": f"{spec.title.zh_CN} / {spec.title.en}",
                "targetUrl": f"urn:uuid:{item}",
                "targetCode": domain,
                "targetFramework": fw.title.en,
                "targetType": "CFItem",
            }
        )
        descriptions.append(
            {
                "id": f"{base}:domain:{domain}",
                "type": ["ResultDescription"],
                "name": f"{spec.title.zh_CN} / {spec.title.en}",
                "resultType": "RubricCriterionLevel",
                "rubricCriterionLevel": [
                    {
                        "id": f"{base}:domain:{domain}:level:{level.id}",
                        "type": ["RubricCriterionLevel"],
                        "name": f"{level.name.zh_CN} / {level.name.en}",
                        "level": level.id,
                        "points": str(level.rank),
                    }
                    for level in fw.levels
                ],
            }
        )
    return {
        "id": base,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": f"{title_zh} / {title_en}",
        "description": (
            "基层医生临床人工智能应用能力认证。"
            " Certification of competence in using clinical AI tools in primary care."
        ),
        "criteria": {
            "narrative": (
                "通过认证考试（含 AI 输出有误的病例，且无危急错误），并按能力框架评定各领域水平。"
                " Pass the certification exam (cases include realistic AI errors; no critical "
                "error allowed); each domain's level is set by the competency framework's "
                "evidence rules."
            )
        },
        "alignment": alignments,
        "resultDescription": descriptions,
        "humanCode": payload.blueprint_id,
    }


def unsigned_credential(
    payload: Payload, key_raw: bytes, *, title_zh: str, title_en: str
) -> dict[str, Any]:
    """The OpenBadgeCredential for ``payload`` without its proof."""
    base = f"{URN}achievement:{payload.blueprint_id}"
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": payload.holder_name,
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": _achievement(payload, title_zh, title_en),
        "result": [
            {
                "type": ["Result"],
                "resultDescription": f"{base}:domain:{domain}",
                "achievedLevel": f"{base}:domain:{domain}:level:{payload.levels[domain]}",
            }
            for domain in DOMAIN_ORDER
        ],
    }
    if payload.practising_number:
        subject["licenseNumber"] = payload.practising_number
    issuer_id = did_key(key_raw)
    return {
        "@context": [VC_V2, OB_V3],
        "id": credential_urn(payload.credential_id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{title_zh} / {title_en}",
        "description": f"{payload.holder_name} · {format_code(payload.code)}",
        "issuer": {
            "id": issuer_id,
            "type": ["Profile"],
            "name": payload.issuer_name,
            "otherIdentifier": [
                {
                    "type": "IdentifierEntry",
                    "identifier": payload.issuer_key,
                    "identifierType": "ext:XiangyiKeyFingerprint",
                }
            ],
        },
        "validFrom": _datetime(payload.valid_from),
        "validUntil": _datetime(payload.valid_until, end=True),
        "credentialSubject": subject,
    }


def _hash_data(document: dict[str, Any], options: dict[str, Any]) -> bytes:
    return (
        hashlib.sha256(canonical_json(options)).digest()
        + hashlib.sha256(canonical_json(document)).digest()
    )


def add_proof(document: dict[str, Any], key: IssuerKey, created: datetime | None = None) -> Any:
    """Return ``document`` with an ``eddsa-jcs-2022`` DataIntegrityProof added."""
    did = did_key(key.public.raw)
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": (created or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": f"{did}#{did.removeprefix('did:key:')}",
        "proofPurpose": "assertionMethod",
        "@context": document["@context"],
    }
    signature = key.private.sign(_hash_data(document, options))
    proof = {k: v for k, v in options.items() if k != "@context"}
    proof["proofValue"] = "z" + b58encode(signature)
    return {**document, "proof": proof}


def open_badge(payload: Payload, key: IssuerKey, *, title_zh: str, title_en: str) -> Any:
    """The signed OpenBadgeCredential (a JSON-ready dict)."""
    document = unsigned_credential(payload, key.public.raw, title_zh=title_zh, title_en=title_en)
    return add_proof(document, key)


def key_from_did(did: str) -> bytes:
    """The raw Ed25519 key of a ``did:key`` (ProofError if it is not one)."""
    if not did.startswith("did:key:z"):
        raise ProofError("did")
    try:
        decoded = b58decode(did.removeprefix("did:key:z").split("#")[0])
    except ValueError as exc:
        raise ProofError("did") from exc
    if not decoded.startswith(ED25519_MULTICODEC) or len(decoded) != 34:
        raise ProofError("did")
    return decoded[2:]


def check_proof(credential: Any) -> bytes:
    """Verify the embedded proof; return the issuer's raw public key.

    Raises ProofError when the document is malformed or the proof does not hold (the
    document or the proof was changed after signing).
    """
    if not isinstance(credential, dict) or not isinstance(credential.get("proof"), dict):
        raise ProofError("proof")
    proof = credential["proof"]
    document = {k: v for k, v in credential.items() if k != "proof"}
    issuer = document.get("issuer")
    method = proof.get("verificationMethod")
    value = proof.get("proofValue")
    if (
        proof.get("type") != "DataIntegrityProof"
        or proof.get("cryptosuite") != CRYPTOSUITE
        or not isinstance(method, str)
        or not isinstance(value, str)
        or not value.startswith("z")
        or not isinstance(issuer, dict)
        or method.split("#")[0] != issuer.get("id")
    ):
        raise ProofError("proof")
    raw = key_from_did(method)
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = document.get("@context")
    try:
        signature = b58decode(value[1:])
        Ed25519PublicKey.from_public_bytes(raw).verify(signature, _hash_data(document, options))
    except (ValueError, InvalidSignature, TypeError) as exc:
        raise ProofError("signature") from exc
    return raw


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def to_vc_jwt(document: dict[str, Any], key: IssuerKey) -> str:
    """The credential (without embedded proof) as a VC-JWT: compact JWS, EdDSA."""
    did = did_key(key.public.raw)
    header = {"alg": "EdDSA", "typ": "vc+jwt", "kid": f"{did}#{did.removeprefix('did:key:')}"}
    body = {k: v for k, v in document.items() if k != "proof"}
    signing_input = _b64url(canonical_json(header)) + "." + _b64url(canonical_json(body))
    signature = key.private.sign(signing_input.encode("ascii"))
    return signing_input + "." + _b64url(signature)
