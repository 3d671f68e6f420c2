"""``xiangyi pack …`` and ``xiangyi keys …`` through the real entry point."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pack_fixtures import (
    PASSPHRASE,
    manifest_for,
    member,
    pack_folder,
    rewrite_member,
    write_raw_zip,
    zeros_member,
)

XIANGYI = Path(sys.executable).parent / "xiangyi"
ADMIN_PASSWORD = "admin-pass-1"


def run(*args: object, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), XIANGYI_LANG="en")
    return subprocess.run(
        [str(XIANGYI), *map(str, args)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def ok(*args: object, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = run(*args, data_dir=data_dir, stdin=stdin)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def refused(*args: object, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = run(*args, data_dir=data_dir, stdin=stdin)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def query(data_dir: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(data_dir / "xiangyi.sqlite3")
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def state(data_dir: Path) -> tuple[object, ...]:
    packs = data_dir / "packs"
    files = sorted(p.relative_to(data_dir).as_posix() for p in packs.rglob("*"))
    rows = query(data_dir, "SELECT id, version, folder FROM installed_packs")
    events = query(data_dir, "SELECT count(*) FROM audit_events")
    return files, rows, events


@pytest.fixture
def site(tmp_path: Path, data_dir: Path) -> Path:
    """An administrator and a trainer key; returns the folder holding the keys."""
    ok(
        "users", "add", "admin", "--name", "Admin", "--role", "admin", "--password-stdin",
        data_dir=data_dir, stdin=ADMIN_PASSWORD + "\n",
    )  # fmt: skip
    keys = tmp_path / "keys"
    ok("keys", "new", "trainer", "--out", keys, "--passphrase-stdin",
       data_dir=data_dir, stdin=PASSPHRASE + "\n")  # fmt: skip
    return keys


def trust(keys: Path, data_dir: Path) -> None:
    ok("keys", "trust", keys / "trainer.public.json", "--as", "admin", "--password-stdin",
       data_dir=data_dir, stdin=ADMIN_PASSWORD + "\n")  # fmt: skip


def built(tmp_path: Path, data_dir: Path, version: int = 1, name: str = "") -> Path:
    folder = pack_folder(tmp_path / f"src-{name or version}", version=version)
    out = tmp_path / f"ecg-{name or version}.xypack"
    ok("pack", "build", folder, "-o", out, data_dir=data_dir)
    return out


def signed(tmp_path: Path, data_dir: Path, keys: Path, version: int = 1, name: str = "") -> Path:
    out = built(tmp_path, data_dir, version, name)
    ok("pack", "sign", out, "--key", keys / "trainer.private.pem", "--passphrase-stdin",
       data_dir=data_dir, stdin=PASSPHRASE + "\n")  # fmt: skip
    return out


def install_as_admin(path: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return run("pack", "install", path, "--allow-untrusted", "--as", "admin", "--password-stdin",
               data_dir=data_dir, stdin=ADMIN_PASSWORD + "\n")  # fmt: skip


def test_validate_reports_every_problem_and_exit_code(tmp_path: Path, data_dir: Path) -> None:
    folder = pack_folder(tmp_path / "src")
    result = ok("pack", "validate", folder, data_dir=data_dir)
    assert "3 cases, no problems" in result.stdout or "no errors" in result.stdout
    (folder / "cases" / "ecg-af-001.yaml").write_text("id: ecg-af-001\nversion: x\n", "utf-8")
    (folder / "cases" / "ecg-stemi-002.yaml").write_text("- not a mapping\n", "utf-8")
    result = refused("pack", "validate", folder, data_dir=data_dir)
    assert "cases/ecg-af-001.yaml:2: version:" in result.stdout
    assert "cases/ecg-stemi-002.yaml" in result.stdout
    assert "error(s)" in result.stdout


def test_build_is_deterministic_and_refuses_invalid_packs(tmp_path: Path, data_dir: Path) -> None:
    folder = pack_folder(tmp_path / "src")
    first = ok("pack", "build", folder, "-o", tmp_path / "a.xypack", data_dir=data_dir)
    assert "7 files" in first.stdout or "files" in first.stdout
    ok("pack", "build", folder, "-o", tmp_path / "b.xypack", data_dir=data_dir)
    assert (tmp_path / "a.xypack").read_bytes() == (tmp_path / "b.xypack").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.xypack") as zf:
        assert "manifest.json" in zf.namelist()
    (folder / "pack.yaml").write_text("id: [broken\n", "utf-8")
    result = refused("pack", "build", folder, "-o", tmp_path / "c.xypack", data_dir=data_dir)
    assert "pack.yaml" in result.stdout
    assert not (tmp_path / "c.xypack").exists()


def test_keys_new_sign_and_verify(tmp_path: Path, data_dir: Path, site: Path) -> None:
    public = json.loads((site / "trainer.public.json").read_text("utf-8"))
    path = signed(tmp_path, data_dir, site)
    with zipfile.ZipFile(path) as zf:
        signature = json.loads(zf.read("signature.json"))
        manifest = zf.read("manifest.json")
    assert signature["fingerprint"] == public["fingerprint"]
    Ed25519PublicKey.from_public_bytes(base64.b64decode(public["public_key"])).verify(
        base64.b64decode(signature["signature"]), manifest
    )  # independent check of what the CLI wrote
    result = refused("pack", "verify", path, data_dir=data_dir)
    assert "Signed by: trainer" in result.stdout
    assert public["fingerprint"] in result.stdout
    assert "Trusted on this PC: no" in result.stdout
    assert "not trusted" in result.stderr
    trust(site, data_dir)
    result = ok("pack", "verify", path, data_dir=data_dir)
    assert "Trusted on this PC: yes" in result.stdout


def test_keys_new_refuses_short_passphrase_and_wrong_passphrase_cannot_sign(
    tmp_path: Path, data_dir: Path, site: Path
) -> None:
    result = refused("keys", "new", "other", "--out", site, "--passphrase-stdin",
                     data_dir=data_dir, stdin="short\n")  # fmt: skip
    assert "at least" in result.stderr
    assert not (site / "other.private.pem").exists()
    path = built(tmp_path, data_dir)
    key = site / "trainer.private.pem"
    result = refused("pack", "sign", path, "--key", key, "--passphrase-stdin",
                     data_dir=data_dir, stdin="wrong passphrase!\n")  # fmt: skip
    assert "Wrong passphrase" in result.stderr
    with zipfile.ZipFile(path) as zf:
        assert "signature.json" not in zf.namelist()


def test_keys_trust_list_untrust_are_admin_only_and_audited(data_dir: Path, site: Path) -> None:
    refused("keys", "trust", site / "trainer.public.json", "--as", "admin", "--password-stdin",
            data_dir=data_dir, stdin="wrong-password\n")  # fmt: skip
    assert "No keys are trusted" in ok("keys", "list", data_dir=data_dir).stdout
    trust(site, data_dir)
    listing = ok("keys", "list", data_dir=data_dir).stdout
    fingerprint = listing.split("\t")[0]
    assert "\ttrainer\t" in listing
    ok("keys", "untrust", fingerprint, "--as", "admin", "--password-stdin",
       data_dir=data_dir, stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
    assert "No keys are trusted" in ok("keys", "list", data_dir=data_dir).stdout
    events = [e for (e,) in query(data_dir, "SELECT event FROM audit_events ORDER BY at")]
    assert events.count("key_trusted") == 1 and events.count("key_untrusted") == 1
    assert "key_created" in events


def test_install_list_upgrade_and_remove(tmp_path: Path, data_dir: Path, site: Path) -> None:
    trust(site, data_dir)
    v1 = signed(tmp_path, data_dir, site, version=1)
    v2 = signed(tmp_path, data_dir, site, version=2)
    assert "No packs are installed" in ok("pack", "list", data_dir=data_dir).stdout
    ok("pack", "install", v1, data_dir=data_dir)
    assert (
        "ecg-basics\tv1\tECG AI basics\ttrainer\ttrusted"
        in ok("pack", "list", data_dir=data_dir).stdout
    )
    ok("pack", "install", v2, data_dir=data_dir)
    assert sorted(p.name for p in (data_dir / "packs").iterdir()) == ["ecg-basics-v2"]
    before = state(data_dir)
    result = refused("pack", "install", v1, data_dir=data_dir)
    assert "not newer" in result.stderr
    assert state(data_dir) == before
    refused("pack", "remove", "ecg-basics", "--as", "admin", "--password-stdin",
            data_dir=data_dir, stdin="wrong-password\n")  # fmt: skip
    ok("pack", "remove", "ecg-basics", "--as", "admin", "--password-stdin",
       data_dir=data_dir, stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
    assert list((data_dir / "packs").iterdir()) == []
    assert query(data_dir, "SELECT count(*) FROM audit_events WHERE event='pack_removed'") == [(1,)]


def test_untrusted_signature_is_refused_and_nothing_changes(
    tmp_path: Path, data_dir: Path, site: Path
) -> None:
    path = signed(tmp_path, data_dir, site)
    before = state(data_dir)
    result = refused("pack", "install", path, data_dir=data_dir)
    assert "not trusted" in result.stderr
    assert state(data_dir) == before


def test_unsigned_pack_needs_an_audited_admin_override(
    tmp_path: Path, data_dir: Path, site: Path
) -> None:
    path = built(tmp_path, data_dir)
    result = refused("pack", "verify", path, data_dir=data_dir)
    assert "not signed" in result.stderr
    before = state(data_dir)
    result = refused("pack", "install", path, data_dir=data_dir)
    assert "not signed" in result.stderr and "--allow-untrusted" in result.stderr
    assert state(data_dir) == before
    result = refused("pack", "install", path, "--allow-untrusted", data_dir=data_dir)
    assert "--as" in result.stderr
    result = install_as_admin(path, data_dir)
    assert result.returncode == 0, result.stderr
    assert "Warning" in result.stdout
    [(actor, detail)] = query(
        data_dir, "SELECT actor_id, detail FROM audit_events WHERE event='pack_untrusted_allowed'"
    )
    [(admin_id,)] = query(data_dir, "SELECT id FROM users WHERE username='admin'")
    assert actor == admin_id and json.loads(str(detail))["signed"] is False
    assert "unsigned" in ok("pack", "list", data_dir=data_dir).stdout


def test_file_changed_after_signing_is_named(tmp_path: Path, data_dir: Path, site: Path) -> None:
    trust(site, data_dir)
    path = signed(tmp_path, data_dir, site)
    rewrite_member(path, "cases/ecg-af-001.yaml", b"id: ecg-af-001\nversion: 1\n")
    result = refused("pack", "verify", path, data_dir=data_dir)
    assert "cases/ecg-af-001.yaml" in result.stderr
    before = state(data_dir)
    result = refused("pack", "install", path, data_dir=data_dir)
    assert "cases/ecg-af-001.yaml" in result.stderr
    assert state(data_dir) == before
    assert install_as_admin(path, data_dir).returncode != 0  # no override for tampering


def test_pack_requiring_a_newer_app_is_refused(tmp_path: Path, data_dir: Path, site: Path) -> None:
    from case_bank.archive import build_archive

    trust(site, data_dir)
    path = tmp_path / "future.xypack"
    build_archive(pack_folder(tmp_path / "src", min_app="99.0"), path, "ecg-basics", 1)
    ok("pack", "sign", path, "--key", site / "trainer.private.pem", "--passphrase-stdin",
       data_dir=data_dir, stdin=PASSPHRASE + "\n")  # fmt: skip
    before = state(data_dir)
    result = refused("pack", "install", path, data_dir=data_dir)
    assert "99.0" in result.stderr
    assert state(data_dir) == before


def _hostile(tmp_path: Path, name: str, **changes: int) -> Path:
    data = b"II\n0.1\n"
    path = tmp_path / "hostile.xypack"
    manifest = manifest_for([(name, data)])
    write_raw_zip(path, [member(name, data, **changes), member("manifest.json", manifest)])
    return path


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("parent", "unsafe file name"), ("absolute", "unsafe file name"), ("symlink", "link"),
     ("bomb", "larger than the limit"), ("truncated", "damaged")],
)  # fmt: skip
def test_hostile_archives_are_refused(
    tmp_path: Path, data_dir: Path, site: Path, kind: str, expected: str
) -> None:
    if kind == "parent":
        path = _hostile(tmp_path, "../../evil.csv")
    elif kind == "absolute":
        path = _hostile(tmp_path, "/tmp/evil.csv")
    elif kind == "symlink":
        path = _hostile(tmp_path, "assets/link.csv", mode=0o120777)
    elif kind == "bomb":
        path = tmp_path / "bomb.xypack"
        manifest = member("manifest.json", manifest_for([("assets/z.bin", b"")]))
        write_raw_zip(path, [zeros_member("assets/z.bin", 1024), manifest])
    else:
        path = built(tmp_path, data_dir)
        path.write_bytes(path.read_bytes()[:3000])
    ok("db", "upgrade", data_dir=data_dir)
    before = state(data_dir)
    result = refused("pack", "verify", path, data_dir=data_dir)
    assert expected in result.stderr
    result = install_as_admin(path, data_dir)
    assert result.returncode == 1 and expected in result.stderr, result.stderr
    files, rows, _events = state(data_dir)
    assert (files, rows) == before[:2]
    assert not (tmp_path.parent / "evil.csv").exists() and not Path("/tmp/evil.csv").exists()


def test_schema_prints_and_writes(tmp_path: Path, data_dir: Path) -> None:
    result = ok("pack", "schema", data_dir=data_dir)
    schema = json.loads(result.stdout)
    assert "properties" in schema or "$defs" in schema
    ok("pack", "schema", "--out", tmp_path / "schemas", data_dir=data_dir)
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert len(written) == 2 and all(name.endswith(".json") for name in written)


@pytest.mark.parametrize(
    "argv", [["pack", "list"], ["keys", "list"], ["pack", "validate", "/nonexistent"]]
)
def test_pack_commands_load_no_qt(data_dir: Path, argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from desktop.cli import main\n"
        f"rc = main({argv!r})\n"
        "heavy = ('PySide6', 'shiboken6', 'pyqtgraph')\n"
        "print('QT', sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), XIANGYI_LANG="en")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert "QT []" in result.stderr, result.stderr


def test_damaged_builtin_content_is_reported_without_a_traceback(
    tmp_path: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from case_bank import pack as pack_module
    from case_bank.validation import Problem
    from desktop import cli

    def damaged() -> list[object]:
        raise pack_module.PackError([Problem("cases/x.yaml", 3, "id", "broken")])

    monkeypatch.setattr(pack_module, "builtin_packs", damaged)
    folder = pack_folder(tmp_path / "src")
    code = cli.main(["--data-dir", str(data_dir), "--lang", "en", "pack", "validate", str(folder)])
    err = capsys.readouterr().err
    assert code != 0
    assert "The built-in content of this installation is damaged:" in err
    assert "cases/x.yaml:3" in err and "Traceback" not in err
