"""`xiangyi bundle …` through the real command: a clinic exports an encrypted bundle,
the county imports it (and refuses a damaged one), both see when it happened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

XIANGYI = Path(sys.executable).parent / "xiangyi"
PASSWORD = "password-123"
PASSPHRASE = "a long issuing passphrase"
COUNTY_PASSPHRASE = "county passphrase 1"


def run(*args: str, data_dir: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, XIANGYI_DATA_DIR=str(data_dir), XIANGYI_LANG="en")
    return subprocess.run(
        [str(XIANGYI), *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def _clinic(folder: Path) -> None:
    sys.path.insert(0, str(Path(__file__).parent.parent / "records"))
    from bundle_fixtures import fill, make_clinic

    clinic = make_clinic(folder, "清河", doctors=1)
    fill(clinic, attempts=3)
    clinic.db.close()


def test_export_encrypted_import_and_status(tmp_path: Path) -> None:
    from records import accounts
    from records.credentials import issuer
    from records.db import open_database

    clinic_dir, hub_dir, usb = tmp_path / "clinic", tmp_path / "hub", tmp_path / "usb"
    _clinic(clinic_dir)
    hub_dir.mkdir()
    usb.mkdir()
    hub = open_database(hub_dir)
    admin = accounts.create_user(hub, "countyadmin", "县管理员", PASSWORD, "admin")
    issuer.trust_issuer(hub, admin, issuer.issuer_public_key(clinic_dir))  # type: ignore[arg-type]
    hub.close()

    as_admin = ("--as", "countyadmin", "--password-stdin", "--passphrase-stdin")
    result = run("bundle", "county-key", "new", "--name", "青山县", *as_admin,
                 data_dir=hub_dir, stdin=f"{PASSWORD}\n{COUNTY_PASSPHRASE}\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "青山县" in result.stdout
    county_pub = usb / "county.public.json"
    result = run("bundle", "county-key", "export", "--out", str(county_pub), data_dir=hub_dir)
    assert result.returncode == 0, result.stderr and county_pub.is_file()

    bundle = usb / "qinghe.xybundle"
    result = run("bundle", "export", "--out", str(bundle), "--encrypt-to", str(county_pub),
                 "--as", "admin", "--password-stdin", "--passphrase-stdin",
                 data_dir=clinic_dir, stdin=f"{PASSWORD}\n{PASSPHRASE}\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "case attempts 3" in result.stdout and "Encrypted to 青山县" in result.stdout
    assert bundle.is_file()

    damaged = usb / "damaged.xybundle"
    damaged.write_bytes(bundle.read_bytes()[:-100])
    key = hub_dir / "county" / "county.private.pem"
    result = run("bundle", "import", str(bundle), str(damaged), "--key", str(key), *as_admin,
                 data_dir=hub_dir, stdin=f"{PASSWORD}\n{COUNTY_PASSPHRASE}\n")  # fmt: skip
    assert result.returncode == 1
    assert "qinghe.xybundle (from 清河): added" in result.stdout
    assert "case attempts 3" in result.stdout
    assert "damaged.xybundle was refused" in result.stderr
    assert "Traceback" not in result.stderr

    result = run("bundle", "import", str(bundle), "--key", str(key), *as_admin,
                 data_dir=hub_dir, stdin=f"{PASSWORD}\n{COUNTY_PASSPHRASE}\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "added nothing" in result.stdout

    result = run("bundle", "status", data_dir=hub_dir)
    assert result.returncode == 0, result.stderr
    assert "Last exported: never" in result.stdout
    assert "Last imported from 清河" in result.stdout and "1 bundle(s)" in result.stdout
    result = run("bundle", "status", data_dir=clinic_dir)
    assert "Last exported: never" not in result.stdout and "No bundles imported" in result.stdout


def test_export_without_an_issuing_key_says_how_to_make_one(tmp_path: Path) -> None:
    from records import accounts
    from records.db import open_database

    db = open_database(tmp_path)
    accounts.create_user(db, "admin", "管理员", PASSWORD, "admin")
    db.close()
    result = run("bundle", "export", "--out", str(tmp_path / "b.xybundle"), "--as", "admin",
                 "--password-stdin", "--passphrase-stdin", data_dir=tmp_path,
                 stdin=f"{PASSWORD}\n{PASSPHRASE}\n")  # fmt: skip
    assert result.returncode == 1
    assert "keys issuer create" in result.stderr and "Traceback" not in result.stderr
