"""`xiangyi assign …` through the real command: an administrator assigns work."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

XIANGYI = Path(sys.executable).parent / "xiangyi"
DUE = (date.today() + timedelta(days=30)).isoformat()


def run(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), XIANGYI_LANG="en")
    return subprocess.run(
        [str(XIANGYI), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_assign_a_module_and_an_exam_and_list_them(data_dir: Path) -> None:
    from records import accounts, institutions
    from records.assignments import for_user
    from records.db import open_database

    db = open_database(data_dir)
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    town = institutions.create_institution(db, admin, "红星乡卫生院", "township", code="HX-001")
    wang = accounts.create_user(db, "wang", "王医生", "learner-pass-1", "learner")
    wang = institutions.set_professional_details(db, admin, wang.id, institution_id=town.id)
    db.close()
    secret = "admin-pass-1\n"
    result = run(
        "assign", "module", "ecg-ai", "--user", "wang", "--due", DUE, "--as", "admin",
        "--password-stdin", data_dir=data_dir, stdin=secret,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "ECG AI" in result.stdout and DUE in result.stdout
    result = run(
        "assign", "exam", "certification", "--institution", "HX-001", "--due", DUE,
        "--as", "admin", "--password-stdin", data_dir=data_dir, stdin=secret,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    listed = run("assign", "list", data_dir=data_dir)
    assert listed.returncode == 0
    assert f"{DUE}\tmodule\tecg-ai\twang" in listed.stdout
    assert f"{DUE}\texam\tcertification\t红星乡卫生院" in listed.stdout
    db = open_database(data_dir)
    assert {(a.module_id, a.blueprint_id) for a in for_user(db, wang)} == {
        ("ecg-ai", None),
        (None, "certification"),
    }
    db.close()


def test_refusals_are_messages_not_tracebacks(data_dir: Path) -> None:
    from records import accounts
    from records.db import open_database

    db = open_database(data_dir)
    accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    accounts.create_user(db, "wang", "王医生", "learner-pass-1", "learner")
    db.close()
    for args, stdin, message in (
        (("module", "no-such", "--user", "wang", "--due", DUE), "admin-pass-1\n", "no module"),
        (("module", "ecg-ai", "--user", "nobody", "--due", DUE), "admin-pass-1\n", "No account"),
        (("module", "ecg-ai", "--user", "wang", "--due", "30/06"), "admin-pass-1\n", "YYYY-MM-DD"),
        (("module", "ecg-ai", "--user", "wang", "--due", DUE), "wrong-password\n", ""),
        (
            ("exam", "ecg-ai", "--institution", "X", "--due", DUE),
            "admin-pass-1\n",
            "No institution",
        ),
    ):
        result = run(
            "assign", *args, "--as", "admin", "--password-stdin", data_dir=data_dir, stdin=stdin
        )
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and message in result.stderr
