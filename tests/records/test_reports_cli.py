"""`xiangyi report …` through the installed command: an administrator exports, a learner
is refused, mistakes are messages and never tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import report_fixtures
from openpyxl import load_workbook
from report_fixtures import ADMIN_PASSWORD, LEARNER_PASSWORD, County

# The county fixtures, shared by the report tests.
county_template = report_fixtures.county_template
county = report_fixtures.county

XIANGYI = Path(sys.executable).parent / "xiangyi"
pytestmark = pytest.mark.slow  # each run starts the command afresh (a few seconds each)


def run(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), XIANGYI_LANG="en")
    return subprocess.run(
        [str(XIANGYI), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_an_administrator_exports_every_format(county: County, tmp_path: Path) -> None:
    out = tmp_path / "out"
    admin = ("--as", "admin", "--password-stdin")
    result = run("report", "xlsx", "--all", "--out", str(out), "--lang", "en", *admin,
                 data_dir=county.data_dir, stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    written = sorted(out.iterdir())
    assert len(written) == 1 and written[0].suffix == ".xlsx" and str(written[0]) in result.stdout
    assert "4 doctors" in result.stdout
    book = load_workbook(written[0])
    assert book.sheetnames[0] == "Doctors" and book["Doctors"]["A1"].value == "Name"
    result = run("report", "pdf", "--institution", "HX-001", "--out", str(out), *admin,
                 data_dir=county.data_dir, stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = next(out.glob("*.pdf"))
    assert "红星乡卫生院" in pdf.name and pdf.read_bytes().startswith(b"%PDF")
    target = tmp_path / "statements.jsonl"
    result = run("report", "xapi", "--institution", county.village.id, "--out", str(target),
                 *admin, data_dir=county.data_dir, stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = target.read_text("utf-8").splitlines()
    assert lines and {json.loads(x)["actor"]["account"]["name"] for x in lines} == {
        county.doctors["li"].id
    }


def test_a_learner_and_mistakes_are_refused(county: County, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for args, stdin, message in (
        (("--as", "wangjg"), LEARNER_PASSWORD, "Only an administrator"),
        (("--as", "admin", "--institution", "X"), ADMIN_PASSWORD, "No institution"),
    ):
        scope = () if "--institution" in args else ("--all",)
        result = run("report", "xlsx", *scope, "--out", str(out), *args, "--password-stdin",
                     data_dir=county.data_dir, stdin=stdin + "\n")  # fmt: skip
        assert result.returncode == 1, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr and message in result.stderr
    assert not out.exists() or list(out.iterdir()) == []
    usage = run("report", "xlsx", "--out", str(out), "--as", "admin", data_dir=county.data_dir)
    assert usage.returncode == 2 and "--institution" in usage.stderr
