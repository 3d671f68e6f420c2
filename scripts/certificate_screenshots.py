"""Render a sample certificate and transcript to PNG for docs/screenshots (pdftoppm).

    .venv/bin/python scripts/certificate_screenshots.py docs/screenshots

The sample doctor, institution and records are made up; the PDFs are made by the same
code the app uses, from a fresh database in a temporary folder.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from case_bank.pack import builtin_packs_dir, load_pack  # noqa: E402
from courses.loader import builtin_modules_dir, load_modules  # noqa: E402
from records import accounts, institutions, settings  # noqa: E402
from records.credentials import documents, issuer, issuing, transcript  # noqa: E402
from records.db import Database, open_database  # noqa: E402
from records.learning import save_reading  # noqa: E402
from records.tables import Attempt, ExamAttempt  # noqa: E402

PASSPHRASE = "sample issuing passphrase"


def sample_cases() -> list:  # type: ignore[type-arg]
    """Cases of the built-in packs that load cleanly (content may be mid-edit)."""
    packs = [
        load_pack(p.parent, check_assets=False) for p in builtin_packs_dir().glob("*/pack.yaml")
    ]
    return [c for pack in packs if pack.valid for c in pack.cases]


def seed(db: Database, data_dir: Path) -> tuple[str, str]:
    """A county issuer, a township doctor with a year of records; returns (user, attempt)."""
    rng = random.Random(7)
    admin = accounts.create_user(db, "admin", "张主任", "password-123", "admin")
    county = institutions.create_institution(
        db, admin, "青山县卫生健康委员会", "county", name_en="Qingshan County Health Commission"
    )
    township = institutions.create_institution(
        db,
        admin,
        "红星乡卫生院",
        "township",
        name_en="Hongxing Township Health Centre",
        parent_id=county.id,
    )
    doctor = accounts.create_user(
        db, "wangjg", "王建国", "password-123", "learner", actor_id=admin.id
    )
    institutions.set_professional_details(
        db, admin, doctor.id, practising_number="141440300012345", institution_id=township.id
    )
    issuer.create_issuer_key(db, data_dir, admin, county.name_zh, PASSPHRASE)
    settings.put(db, "issuer_name_en", county.name_en)
    modules = [m.module for m in load_modules(builtin_modules_dir()) if m.module]
    cases = sample_cases()
    start = datetime(2025, 3, 3, 9, tzinfo=UTC)
    with db.session() as session:
        for i, case in enumerate(cases * 4):
            total = rng.choice([1.0, 1.0, 0.8, 0.6, 1.0, 0.3])
            session.add(
                Attempt(
                    user_id=doctor.id,
                    pack_id="sample",
                    pack_version=1,
                    case_id=case.id,
                    case_version=case.version,
                    mode="practice",
                    status="completed",
                    stage="feedback",
                    answers={"decision": {"confidence": rng.choice([0.6, 0.8, 0.9])}},
                    stage_seconds={"decision": 300.0 + 60 * rng.random()},
                    score={
                        "interpretation_credit": total,
                        "action_credit": total,
                        "limitation_credit": 1.0,
                        "total": total,
                        "critical_error": False,
                        "correct": total >= 0.8,
                        "reliance": (
                            ("appropriate_acceptance" if i % 3 else "appropriate_override")
                            if total >= 0.8
                            else "over_reliance"
                        ),
                        "ai_correct": i % 3 != 0 or total < 0.8,
                        "own_read_correct": total >= 0.6,
                        "switched": i % 5 == 0,
                    },
                    completed_at=start + timedelta(days=i),
                    module_id=modules[i % len(modules)].id if modules else None,
                )
            )
    for module in modules:
        for lesson in module.lessons:
            save_reading(
                db,
                doctor.id,
                module.id,
                lesson.id,
                position=1.0,
                active_seconds=1500.0,
                completed=True,
            )
    totals = {c.id: rng.choice([1.0, 0.8, 1.0]) for c in cases}
    with db.session() as session:
        attempt = ExamAttempt(
            user_id=doctor.id,
            blueprint_id="certification",
            case_ids=list(totals),
            submitted_at=datetime(2025, 6, 2, 10, 30, tzinfo=UTC),
            score=0.84,
            passed=True,
            result={"case_totals": totals, "critical_errors": [], "active_seconds": 5400.0},
        )
        session.add(attempt)
    return doctor.id, attempt.id


def render(pdf: Path, png: Path, dpi: int = 100) -> None:
    stem = png.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", "1", str(pdf), str(stem)],
        check=True,
    )


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        db = open_database(data_dir)
        try:
            user_id, attempt_id = seed(db, data_dir)
            cases = {c.id: c for c in sample_cases()}
            key = issuer.unlock(data_dir, PASSPHRASE)
            credential = issuing.issue_for_exam(db, attempt_id, cases=cases, signer=key)
            documents.save_certificate_pdf(db, credential, data_dir / "certificate.pdf")
            modules = [m.module for m in load_modules(builtin_modules_dir()) if m.module]
            transcript.save_transcript_pdf(
                db, user_id, modules, list(cases.values()), data_dir / "transcript.pdf"
            )
            render(data_dir / "certificate.pdf", out / "certificate.png")
            render(data_dir / "transcript.pdf", out / "transcript.png")
        finally:
            db.close()
    print(f"Wrote {out / 'certificate.png'} and {out / 'transcript.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
