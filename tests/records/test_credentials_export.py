"""Bulk ZIP export with progress and cancel; the headless commands; the 0005 migration."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from credential_fixtures import PASSPHRASE, World, build_world, issue, make_doctor, passed_exam
from pypdf import PdfReader
from sqlalchemy import text

from records.credentials import issuing
from records.credentials.export import export_zip
from records.db import Database, migrate, open_database


@pytest.fixture
def world(db: Database, data_dir: Path) -> World:
    return build_world(db, data_dir)


def test_zip_export_with_progress_skips_pending(world: World, tmp_path: Path) -> None:
    signed = [issue(world)]
    for i in range(2):
        signed.append(issue(world, make_doctor(world, f"dr{i}", f"赵医生{i}")))
    pending = issuing.issue_for_exam(
        world.db, passed_exam(world.db, make_doctor(world, "pp", "钱医生")), levels={}
    )
    seen: list[tuple[int, int]] = []
    target = tmp_path / "out" / "cohort.zip"
    result = export_zip(
        world.db, [*signed, pending], target, progress=lambda n, t: seen.append((n, t))
    )
    assert result.path == target and result.written == 3 and result.skipped == [pending.id]
    assert seen[-1] == (4, 4)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert len(names) == 6 and any("赵医生0" in n for n in names)
        pdf = next(n for n in names if n.endswith(".pdf"))
        assert (
            "Certificate".upper()
            in PdfReader(io.BytesIO(archive.read(pdf))).pages[0].extract_text()
        )
        badge = json.loads(archive.read(pdf.replace(".pdf", ".json")))
        assert badge["type"][-1] == "OpenBadgeCredential"


def test_cancelled_export_leaves_nothing(world: World, tmp_path: Path) -> None:
    credentials = [issue(world), issue(world, make_doctor(world, "dd", "孙医生"))]
    calls = iter([False, True])
    out = tmp_path / "exports"
    result = export_zip(world.db, credentials, out / "x.zip", cancel=lambda: next(calls))
    assert result.cancelled and result.path is None
    assert list(out.iterdir()) == []


def test_cli_issue_sign_verify_revoke(world: World, tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from desktop import cli

    attempt = passed_exam(world.db, world.doctor, datetime(2025, 6, 2, tzinfo=UTC))
    credential = issuing.issue_for_exam(world.db, attempt, levels={})
    world.db.close()
    base = ["--data-dir", str(world.data_dir), "--lang", "en"]

    def run(*args: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return cli.main([*base, *args])

    secrets = f"password-123\n{PASSPHRASE}\n"
    assert (
        run(
            "cert", "sign", "--as", "admin", "--password-stdin", "--passphrase-stdin", stdin=secrets
        )
        == 0
    )
    pdf = tmp_path / "c.pdf"
    assert run("cert", "pdf", credential.code, "-o", str(pdf)) == 0
    assert run("cert", "json", credential.code, "-o", str(tmp_path / "c.json")) == 0
    capsys.readouterr()
    assert run("verify", str(pdf), "--json") == 0
    out = json.loads(capsys.readouterr().out)
    assert out["outcome"] == "valid" and out["details"]["holder"] == "王建国"
    assert run("verify", "0000-0000-00") == 7
    assert (
        run(
            "cert",
            "revoke",
            credential.code,
            "--reason",
            "error",
            "--as",
            "admin",
            "--password-stdin",
            "--passphrase-stdin",
            stdin=secrets,
        )
        == 0
    )
    assert run("verify", str(tmp_path / "c.json")) == 6
    assert run("cert", "revocations", "export", str(tmp_path / "r.json")) == 0
    assert run("keys", "issuer", "show") == 0
    assert run("cert", "export", "-o", str(tmp_path / "all.zip")) == 0
    assert run("verify", str(tmp_path / "nothing-here.bin")) == 7  # not a file: a code
    (tmp_path / "junk.bin").write_bytes(b"junk")
    assert run("verify", str(tmp_path / "junk.bin")) == 1
    assert (
        run(
            "cert",
            "revoke",
            credential.code,
            "--reason",
            "x",
            "--as",
            "admin",
            "--password-stdin",
            "--passphrase-stdin",
            stdin="wrong-password\nx\n",
        )
        == 1
    )


def test_migration_from_0004_keeps_users_and_exams(data_dir: Path) -> None:
    from records.db import make_engine, sqlite_url

    engine = make_engine(sqlite_url(data_dir / "xiangyi.sqlite3"))
    migrate(engine, "0004")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, username, display_name, role, password_hash, active, "
                "failed_logins, created_at, language) VALUES ('u1', 'wang', '王医生', "
                "'learner', 'x', 1, 0, '2025-01-01 00:00:00', 'zh_CN')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO exam_attempts (id, user_id, blueprint_id, case_ids, started_at, "
                "submitted_at, score, passed, result, device_id) VALUES ('e1', 'u1', "
                "'certification', '[]', '2025-06-01 00:00:00', '2025-06-02 00:00:00', 0.8, 1, "
                "'{}', 'dev')"
            )
        )
    engine.dispose()
    database = open_database(data_dir)  # migrates 0004 → head, with a backup first
    try:
        with database.engine.connect() as conn:
            row = conn.execute(
                text("SELECT display_name, practising_number, institution_id FROM users")
            ).one()
            assert tuple(row) == ("王医生", None, None)
        assert list((data_dir / "backups").glob("*.sqlite3"))
        credential = issuing.issue_for_exam(database, "e1", levels={})
        assert credential.status == issuing.PENDING and credential.holder_name == "王医生"
    finally:
        database.close()
