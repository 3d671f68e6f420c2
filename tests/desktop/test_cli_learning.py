"""`xiangyi course validate`, `items report` and `framework …` through the real command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

XIANGYI = Path(sys.executable).parent / "xiangyi"
MODULE = Path(__file__).resolve().parents[2] / "courses" / "modules" / "ecg-ai"


def run(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), XIANGYI_LANG="en")
    return subprocess.run(
        [str(XIANGYI), *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def modules(tmp_path: Path) -> Path:
    root = tmp_path / "modules"
    shutil.copytree(MODULE, root / "ecg-ai")
    return root


def test_builtin_modules_validate(data_dir: Path) -> None:
    result = run("course", "validate", str(MODULE.parent), data_dir=data_dir)
    assert result.returncode == 0, result.stdout
    assert "no problems" in result.stdout


def test_broken_module_is_reported_with_file_line_and_field(modules: Path, data_dir: Path):
    path = modules / "ecg-ai" / "module.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  cases:\n    - ecg-af-001\n", "  cases:\n    - no-such-case\n")
    text = text.replace("check_blueprint: ecg-module-check", "check_blueprint: no-such-blueprint")
    text = text.replace("prerequisites: []", "prerequisites: [second]")
    path.write_text(text, encoding="utf-8")
    shutil.rmtree(modules / "ecg-ai" / "lessons" / "when-not-to-trust")
    lesson = modules / "ecg-ai" / "lessons" / "reading-the-output" / "en.md"
    lesson.write_text(lesson.read_text() + "\n![figure](figures/missing.png)\n")
    # A second module that needs the first: a cycle.
    second = modules / "second"
    shutil.copytree(modules / "ecg-ai", second)
    (second / "module.yaml").write_text(
        (second / "module.yaml")
        .read_text(encoding="utf-8")
        .replace("id: ecg-ai", "id: second")
        .replace("prerequisites: [second]", "prerequisites: [ecg-ai]"),
        encoding="utf-8",
    )
    result = run("course", "validate", str(modules), data_dir=data_dir)
    out = result.stdout
    assert result.returncode == 1
    assert "ecg-ai/module.yaml:" in out
    assert "practice.cases[0]: no case 'no-such-case'" in out
    assert "check_blueprint: no blueprint 'no-such-blueprint'" in out
    assert "lessons/when-not-to-trust/en.md is missing" in out
    assert "reading-the-output/en.md:" in out and "missing.png" in out
    assert "cycle" in out
    line = next(x for x in out.splitlines() if "no-such-case" in x)
    assert line.split(":")[1].isdigit()  # a line number


def test_framework_with_unknown_domain_is_refused(tmp_path: Path, data_dir: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "assessments" / "framework.yaml"
    broken = tmp_path / "framework.yaml"
    broken.write_text(
        source.read_text(encoding="utf-8").replace(
            "id: workflow_analysis", "id: workflow_magic", 1
        ),
        encoding="utf-8",
    )
    result = run("framework", "validate", str(broken), data_dir=data_dir)
    assert result.returncode == 1
    assert "framework.yaml:" in result.stdout and "workflow_magic" in result.stdout


def test_framework_exports_a_case_package(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "framework.json"
    assert run("framework", "export", "--out", str(out), data_dir=data_dir).returncode == 0
    package = json.loads(out.read_text(encoding="utf-8"))
    assert {"CFDocument", "CFItems", "CFAssociations"} <= set(package)
    assert len([i for i in package["CFItems"] if i.get("CFItemType") == "Domain"]) == 6


def test_items_report_writes_xlsx(tmp_path: Path, data_dir: Path) -> None:
    from openpyxl import load_workbook

    from case_bank.pack import builtin_packs
    from records import accounts, attempts
    from records.db import open_database

    pack = next(p for p in builtin_packs() if p.info is not None and p.info.id == "ecg-basics")
    db = open_database(data_dir)
    choices = {
        "ecg-af-001": ["af", "af", "flutter", "af"],
        "ecg-stemi-002": ["stemi", "normal", "normal", "stemi"],
        "ecg-peds-003": ["sinus_tach_fever", "svt", "abnormal_tachy", "sinus_tach_fever"],
    }
    for doctor in range(4):
        user = accounts.create_user(db, f"doc{doctor}", f"Doctor {doctor}", "secret-123", "learner")
        for case in (pack.case(case_id) for case_id in choices):
            attempt = attempts.start_attempt(db, user.id, "ecg-basics", 1, case)
            attempt = attempts.advance(db, attempt, case, None, 1.0)
            attempt = attempts.advance(
                db,
                attempt,
                case,
                {"interpretation": "af"}
                if case.id == "ecg-af-001"
                else {"interpretation": choices[case.id][0]},
                1.0,
            )
            attempt = attempts.advance(db, attempt, case, None, 1.0)
            decision = {
                "reliance": "accept",
                "interpretation": choices[case.id][doctor],
                "confidence": 0.8,
                "action": case.key.ideal_actions[0],
            }
            attempts.advance(db, attempt, case, decision, 1.0)
    db.close()
    out = tmp_path / "items.xlsx"
    result = run("items", "report", "--pack", "ecg-basics", "--out", str(out), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "4 sittings" in result.stdout
    book = load_workbook(out)
    items = book.worksheets[0]
    assert items.freeze_panes == "A2"
    rows = {row[0].value: row for row in items.iter_rows(min_row=2)}
    assert set(choices) <= set(rows)
    assert rows["ecg-af-001"][2].value == 4
    assert isinstance(rows["ecg-af-001"][3].value, float)  # numbers stored as numbers
    # Facility is the mean score: three full marks and one flutter (0.5×0.3 + 0.35 + 0.15).
    assert rows["ecg-af-001"][3].value == pytest.approx((3 + 0.65) / 4, abs=0.001)
    unknown = run("items", "report", "--pack", "nope", data_dir=data_dir)
    assert unknown.returncode == 1 and "nope" in unknown.stderr


def test_pack_validate_says_which_exams_the_bank_cannot_fill(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(__file__).resolve().parents[2] / "case_bank" / "packs" / "ecg-basics"
    # With every built-in pack installed, each built-in exam can be assembled: no note.
    result = run("pack", "validate", str(folder), data_dir=data_dir)
    assert result.returncode == 0
    assert "cannot yet be assembled" not in result.stdout

    # An installation holding only this pack cannot fill the certification exam.
    import case_bank.pack
    from desktop.cli_packs import _report_blueprints

    pack = case_bank.pack.load_pack(folder)
    monkeypatch.setattr(case_bank.pack, "builtin_packs", lambda: [])
    _report_blueprints(pack)
    out = capsys.readouterr().out
    assert "cannot yet be assembled" in out
    assert f"but the installed bank has {len(pack.cases)}." in out
    assert "ECG AI basics: module check" not in out  # its own module check is satisfied


def test_a_pack_can_carry_its_own_module(tmp_path: Path, data_dir: Path, qtbot) -> None:
    from driver import create_first_admin, go_to, open_window, sign_in

    from case_bank.pack import load_pack

    root = Path(__file__).resolve().parents[2]
    pack = tmp_path / "pack"
    shutil.copytree(root / "case_bank" / "packs" / "ecg-basics", pack)
    text = (pack / "pack.yaml").read_text(encoding="utf-8")
    (pack / "pack.yaml").write_text(
        text.replace("id: ecg-basics", "id: county-ecg"), encoding="utf-8"
    )
    module = pack / "modules" / "county-ecg-refresher"
    shutil.copytree(root / "courses" / "modules" / "ecg-ai", module)
    yaml_text = (module / "module.yaml").read_text(encoding="utf-8")
    (module / "module.yaml").write_text(
        yaml_text.replace("id: ecg-ai", "id: county-ecg-refresher").replace(
            "    - ecg-peds-003\n", "    - ecg-peds-003\n    - no-such-case\n"
        ),
        encoding="utf-8",
    )
    bad = run("pack", "validate", str(pack), data_dir=data_dir)
    assert bad.returncode == 1
    assert (
        "modules/county-ecg-refresher/module.yaml:" in bad.stdout and "no-such-case" in bad.stdout
    )
    (module / "module.yaml").write_text(
        yaml_text.replace("id: ecg-ai", "id: county-ecg-refresher"), encoding="utf-8"
    )
    assert run("pack", "validate", str(pack), data_dir=data_dir).returncode == 0

    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    window.ctx._packs = [*window.ctx.packs, load_pack(pack)]
    window.ctx._modules = None
    go_to(window, "modules")
    ids = [m.module.id for m in window.pages["modules"].rows]
    assert ids[-1] == "county-ecg-refresher" and "ecg-ai" in ids
    window.close()
