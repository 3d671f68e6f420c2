"""The headless CLI through its real entry point; it never loads Qt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

XIANGYI = Path(sys.executable).parent / "xiangyi"


def run(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), XIANGYI_LANG="en")
    return subprocess.run(
        [str(XIANGYI), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_version(data_dir: Path) -> None:
    from xiangyi import __version__

    result = run("--version", data_dir=data_dir)
    assert result.returncode == 0
    assert result.stdout.strip() == f"xiangyi {__version__}"


def test_db_upgrade_creates_the_database(data_dir: Path) -> None:
    result = run("db", "upgrade", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (data_dir / "xiangyi.sqlite3").exists()


def test_data_dir_option_overrides_environment(tmp_path: Path, data_dir: Path) -> None:
    other = tmp_path / "other"
    result = run("--data-dir", str(other), "db", "upgrade", data_dir=data_dir)
    assert result.returncode == 0
    assert (other / "xiangyi.sqlite3").exists()
    assert not (data_dir / "xiangyi.sqlite3").exists()


def test_users_add_first_admin_then_learner_needs_admin(data_dir: Path) -> None:
    first = run(
        "users",
        "add",
        "admin",
        "--name",
        "Admin",
        "--role",
        "admin",
        "--password-stdin",
        data_dir=data_dir,
        stdin="admin-pass-1\n",
    )
    assert first.returncode == 0, first.stderr
    refused = run(
        "users",
        "add",
        "wang",
        "--name",
        "王医生",
        "--role",
        "learner",
        "--password-stdin",
        data_dir=data_dir,
        stdin="learner-pass-1\n",
    )
    assert refused.returncode == 1
    assert "--as" in refused.stderr
    wrong = run(
        "users",
        "add",
        "wang",
        "--name",
        "王医生",
        "--role",
        "learner",
        "--as",
        "admin",
        "--password-stdin",
        data_dir=data_dir,
        stdin="bad-password\nlearner-pass-1\n",
    )
    assert wrong.returncode == 1
    assert "wrong" in wrong.stderr
    added = run(
        "users",
        "add",
        "wang",
        "--name",
        "王医生",
        "--role",
        "learner",
        "--as",
        "admin",
        "--password-stdin",
        data_dir=data_dir,
        stdin="admin-pass-1\nlearner-pass-1\n",
    )
    assert added.returncode == 0, added.stderr
    listing = run("users", "list", data_dir=data_dir)
    assert "wang\t王医生\tLearner" in listing.stdout


def test_learner_cannot_add_accounts(data_dir: Path) -> None:
    run(
        "users",
        "add",
        "admin",
        "--name",
        "Admin",
        "--role",
        "admin",
        "--password-stdin",
        data_dir=data_dir,
        stdin="admin-pass-1\n",
    )
    run(
        "users",
        "add",
        "wang",
        "--name",
        "Wang",
        "--role",
        "learner",
        "--as",
        "admin",
        "--password-stdin",
        data_dir=data_dir,
        stdin="admin-pass-1\nlearner-pass-1\n",
    )
    result = run(
        "users",
        "add",
        "li",
        "--name",
        "Li",
        "--role",
        "admin",
        "--as",
        "wang",
        "--password-stdin",
        data_dir=data_dir,
        stdin="learner-pass-1\nnew-pass-123\n",
    )
    assert result.returncode == 1
    assert "administrator" in result.stderr


def test_corrupt_database_gives_a_message_not_a_traceback(data_dir: Path) -> None:
    (data_dir / "xiangyi.sqlite3").write_bytes(b"not a database" * 50)
    result = run("users", "list", data_dir=data_dir)
    assert result.returncode == 1
    assert "damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_chinese_messages_by_default(data_dir: Path) -> None:
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), LANG="zh_CN.UTF-8")
    env.pop("XIANGYI_LANG", None)
    result = subprocess.run(
        [str(XIANGYI), "db", "upgrade"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0
    assert "数据库" in result.stdout


def test_lang_option_translates_the_help_too(data_dir: Path) -> None:
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), LANG="zh_CN.UTF-8")
    env.pop("XIANGYI_LANG", None)
    for argv, expected in ((["--lang", "en"], "usage:"), (["--lang=zh_CN"], "用法")):
        result = subprocess.run(
            [str(XIANGYI), *argv, "users", "--help"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert result.returncode == 0
        assert expected in result.stdout


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["db", "upgrade"],
        ["users", "list"],
        ["users", "add", "x1", "--name", "X", "--role", "admin", "--password-stdin"],
    ],
)
def test_headless_commands_load_no_qt(data_dir: Path, argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from desktop.cli import main\n"
        f"rc = main({argv!r})\n"
        "heavy = ('PySide6', 'shiboken6', 'pyqtgraph')\n"
        "qt = sorted(m for m in sys.modules if m.startswith(heavy))\n"
        "print('QT', qt, file=sys.stderr)\n"
        "sys.exit(rc)\n"
    )
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), XIANGYI_LANG="en")
    result = subprocess.run(
        [sys.executable, "-c", code],
        input="secret-pass-1\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "QT []" in result.stderr


def test_a_data_folder_that_cannot_be_made_is_a_message(tmp_path: Path, data_dir: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    result = run("--data-dir", str(blocker / "data"), "db", "upgrade", data_dir=data_dir)
    assert result.returncode == 1
    assert "The data folder" in result.stderr and "cannot be used" in result.stderr
    assert "Traceback" not in result.stderr
    assert blocker.read_text() == "in the way"


def test_the_window_says_why_it_cannot_start(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from desktop import app, cli

    shown: list[str] = []
    monkeypatch.setattr(app, "show_start_failure", shown.append)
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    assert cli.main(["--lang", "en", "--data-dir", str(blocker / "data")]) == 1
    assert len(shown) == 1 and "cannot be used" in shown[0]
