"""``xiangyi users import`` / ``users template``: dry run lists problems by row with exit
code 1 and writes nothing; a clean file is imported; generated passwords handed out."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "records"))
from cohort_fixtures import cohort_rows, write_csv, write_xlsx

from records import accounts, institutions
from records.db import open_database

XIANGYI = Path(sys.executable).parent / "xiangyi"


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    db = open_database(data_dir)
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    institutions.create_institution(db, admin, "红星乡卫生院", "township", code="HX-001")
    accounts.create_user(db, "existing", "老用户", "learner-pass-1", "learner")
    db.close()
    return data_dir


def run(
    data_dir: Path, *args: str, stdin: str = "admin-pass-1\n"
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(XIANGYI), "--data-dir", str(data_dir), "--lang", "en", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _usernames(data_dir: Path) -> list[str]:
    db = open_database(data_dir)
    try:
        return [u.username for u in accounts.list_users(db)]
    finally:
        db.close()


def test_dry_run_then_import(seeded: Path, tmp_path: Path) -> None:
    bad = write_xlsx(tmp_path / "cohort.xlsx", cohort_rows(60))
    admin = ("--as", "admin", "--password-stdin")
    checked = run(seeded, "users", "import", str(bad), "--dry-run", *admin)
    assert checked.returncode == 1
    lines = checked.stderr.splitlines()
    assert "Row 5: the user name is missing" in lines
    assert (
        "Row 33: the role 'doctor' is not learner, trainer or admin (学员, 培训师, 管理员)" in lines
    )
    assert "Row 48: the user name 'doc0000' is also on row 2" in lines
    assert "Row 61: the user name 'existing' already has an account" in lines
    assert lines[-1] == "5 rows have problems; nothing was written."
    refused = run(seeded, "users", "import", str(bad), *admin)
    assert refused.returncode == 1
    assert _usernames(seeded) == ["admin", "existing"]

    good = write_csv(tmp_path / "good.csv", cohort_rows(12, broken=False), "gb18030")
    dry = run(seeded, "users", "import", str(good), "--dry-run", *admin)
    assert (dry.returncode, dry.stdout.strip()) == (
        0,
        "No problems: 12 people are ready to import.",
    )
    assert _usernames(seeded) == ["admin", "existing"]
    out = tmp_path / "passwords.csv"
    done = run(seeded, "users", "import", str(good), "--passwords-out", str(out), *admin)
    assert done.returncode == 0, done.stderr
    assert "12 accounts created." in done.stdout
    assert len(_usernames(seeded)) == 14
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 1 + 3  # rows 0, 4 and 8 had no initial password


def test_learner_and_bad_password_refused(seeded: Path, tmp_path: Path) -> None:
    good = write_csv(tmp_path / "good.csv", cohort_rows(3, broken=False), "utf-8-sig")
    as_learner = run(
        seeded, "users", "import", str(good), "--as", "existing", "--password-stdin",
        stdin="learner-pass-1\n",
    )  # fmt: skip
    assert as_learner.returncode == 1
    assert as_learner.stderr.strip() == "Only an administrator can do this."
    wrong = run(
        seeded, "users", "import", str(good), "--as", "admin", "--password-stdin", stdin="x\n"
    )
    assert wrong.returncode == 1 and "wrong" in wrong.stderr
    assert _usernames(seeded) == ["admin", "existing"]


def test_template_and_unreadable_file(seeded: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    made = run(seeded, "users", "template", str(tmp_path / "t.xlsx"))
    assert made.returncode == 0, made.stderr
    assert load_workbook(tmp_path / "t.xlsx").worksheets[0]["A1"].value == "用户名 / username"
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\xff\xfe\x00\x00" + bytes(range(256)) * 4)
    result = run(seeded, "users", "import", str(junk), "--as", "admin", "--password-stdin")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "encoding" in result.stderr or "not a CSV" in result.stderr
