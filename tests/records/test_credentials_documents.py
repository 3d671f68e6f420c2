"""Certificate PDF, QR code and Open Badges JSON, checked with independent tools:
pypdf for text and fonts, pdftoppm + zxing-cpp for the QR, cryptography for signatures,
jsonschema with the published Open Badges 3.0 schema."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import segno
import zxingcpp
from credential_fixtures import World, build_world, issue
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from PIL import Image
from pypdf import PdfReader

from records.credentials import documents, transcript
from records.credentials.certificate_pdf import qr_code
from records.credentials.encoding import b58decode, format_code
from records.credentials.payload import DOMAIN, Payload, decode_token, encode_token
from records.db import Database

SCHEMA = Path(__file__).parent / "schemas" / "ob_v3p0_achievementcredential_schema.json"


@pytest.fixture
def world(db: Database, data_dir: Path) -> World:
    return build_world(db, data_dir)


def _public_key(world: World) -> Ed25519PublicKey:
    doc = json.loads((world.data_dir / "issuer" / "issuer.public.json").read_text())
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(doc["public_key"]))


def _fonts(reader: PdfReader) -> list[dict]:  # type: ignore[type-arg]
    found = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources["/Font"].get_object().values():
            found.append(font.get_object())
    return found


def test_certificate_pdf_text_fonts_and_qr(world: World, tmp_path: Path) -> None:
    credential = issue(world)
    pdf = tmp_path / "certificate.pdf"
    documents.save_certificate_pdf(world.db, credential, pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    text = reader.pages[0].extract_text()
    for expected in (
        "王建国",
        "141440300012345",
        "红星乡卫生院",
        "Certificate".upper(),
        "人工智能基础知识",
        "Basic knowledge of AI",
        "熟练",
        "Proficient",
        format_code(credential.code),
        "2028-06-01",
        "青山县卫生健康委员会",
    ):
        assert "".join(expected.split()) in "".join(text.split()), expected
    fonts = _fonts(reader)
    assert fonts and all("/FontFile2" in f["/FontDescriptor"].get_object() for f in fonts)
    assert not any("Helvetica" in str(f["/BaseFont"]) for f in fonts)
    # Render the page as a printer would and decode the QR with an independent decoder.
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    codes = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert len(codes) == 1 and codes[0].format == zxingcpp.BarcodeFormat.QRCode
    decoded = decode_token(codes[0].text)
    _public_key(world).verify(decoded.signature, DOMAIN + decoded.payload_bytes)  # independent
    assert decoded.payload.holder_name == "王建国"
    assert decoded.payload.credential_id == credential.id


def test_qr_stays_small_for_long_names() -> None:
    from datetime import date

    from records.credentials.payload import DOMAIN_ORDER

    payload = Payload(
        "f" * 32,
        "Z" * 10,
        "欧阳" * 10,
        "9" * 30,
        "某某省某某市某某县某某镇中心卫生院第二分院" * 2,
        "certification",
        dict.fromkeys(DOMAIN_ORDER, "proficient"),
        date(2025, 1, 1),
        date(2025, 1, 1),
        date(2028, 1, 1),
        "ABCDEF0123456789",
        "某某省某某市卫生健康委员会",
    )
    token = encode_token(payload.canonical(), b"\x01" * 64)
    code = qr_code(token)
    assert code.mode == "alphanumeric"
    assert code.version <= 16  # 81 modules: ~0.47 mm each at 38 mm, easily scanned
    typical = segno.make(token[:460], error="m")
    assert typical.version <= 13


def _schema_for_vc2() -> dict:  # type: ignore[type-arg]
    """The published OB 3.0 schema, with the VCDM 2.0 date properties of the 3.0 errata:
    ``validFrom`` required in place of ``issuanceDate`` (see schemas/README.md)."""
    schema = json.loads(SCHEMA.read_text())
    schema["required"] = ["validFrom" if r == "issuanceDate" else r for r in schema["required"]]
    date_time = {"type": "string", "format": "date-time"}
    schema["properties"]["validFrom"] = date_time
    schema["properties"]["validUntil"] = date_time
    return schema


def test_open_badge_json_matches_the_published_schema(world: World, tmp_path: Path) -> None:
    credential = issue(world)
    path = tmp_path / "badge.json"
    documents.save_open_badge(credential, path)
    doc = json.loads(path.read_text())
    validator = jsonschema.Draft201909Validator(
        _schema_for_vc2(), format_checker=jsonschema.Draft201909Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(doc), key=str)
    assert not errors, errors[0]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["@context"][0] == "https://www.w3.org/ns/credentials/v2"
    assert doc["validUntil"].startswith("2028-06-01")
    achievement = doc["credentialSubject"]["achievement"]
    assert {a["targetCode"] for a in achievement["alignment"]} >= {"basic_knowledge"}
    assert achievement["criteria"]["narrative"]
    # An invalid document is caught by the same validator (the test can fail).
    broken = copy.deepcopy(doc)
    del broken["credentialSubject"]["achievement"]["criteria"]
    assert list(validator.iter_errors(broken))


def test_open_badge_proof_verifies_independently(world: World) -> None:
    """eddsa-jcs-2022 recomputed here with plain json + hashlib + cryptography."""
    doc = json.loads(documents.open_badge_bytes(issue(world)))
    proof = doc.pop("proof")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    options["@context"] = doc["@context"]

    def jcs(value: object) -> bytes:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    data = hashlib.sha256(jcs(options)).digest() + hashlib.sha256(jcs(doc)).digest()
    did = proof["verificationMethod"].split("#")[0]
    assert did == doc["issuer"]["id"]
    raw = b58decode(did.removeprefix("did:key:z"))[2:]
    assert raw == _public_key(world).public_bytes_raw()
    Ed25519PublicKey.from_public_bytes(raw).verify(b58decode(proof["proofValue"][1:]), data)


def test_bundled_contexts_are_the_published_ones() -> None:
    from records.credentials.openbadges import OB_V3, VC_V2, bundled_context

    vc = bundled_context(VC_V2)["@context"]
    ob = bundled_context(OB_V3)["@context"]
    assert vc["VerifiableCredential"]["@context"]["validUntil"]["@id"].endswith("#validUntil")
    assert ob["OpenBadgeCredential"]["@id"].endswith("vocab.html#OpenBadgeCredential")


def test_transcript_pdf(world: World, tmp_path: Path) -> None:
    from courses.loader import builtin_modules_dir, load_modules

    issue(world)
    # Built-in modules (content may be mid-edit: only the valid ones); no case bank needed.
    modules = [m.module for m in load_modules(builtin_modules_dir()) if m.module][:3]
    assert modules
    bank: list = []  # type: ignore[type-arg]
    # Half an hour in a listed module's lesson, 45 minutes in a module not listed.
    from records.learning import save_reading

    first = modules[0]
    save_reading(world.db, world.doctor.id, first.id, first.lessons[0].id, position=1.0,
                 active_seconds=1800.0)  # fmt: skip
    save_reading(world.db, world.doctor.id, "other-module", "other-lesson", position=1.0,
                 active_seconds=2700.0)  # fmt: skip
    path = tmp_path / "transcript.pdf"
    view = transcript.save_transcript_pdf(world.db, world.doctor.id, modules, bank, path)
    reader = PdfReader(path)
    text = "".join(page.extract_text() for page in reader.pages)
    assert "王建国" in text and "141440300012345" in text
    assert "".join(modules[0].title.zh_CN.split()) in "".join(text.split())
    assert "2025-06-02" in text and "84%" in text
    assert all("/FontFile2" in f["/FontDescriptor"].get_object() for f in _fonts(reader))
    assert len(view.domains) == 6
    # Study hours in the header are all study time, as the competency reports count it,
    # not only the time inside the listed modules.
    from records.history import study_time

    total = study_time(world.db, world.doctor.id).total / 3600.0
    assert view.study_hours == pytest.approx(total) == pytest.approx(1.25)
    assert sum(m.hours for m in view.modules) == pytest.approx(0.5)
    assert "Study hours (total)" in text and f"{total:.1f}" in text
