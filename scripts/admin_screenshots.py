"""Screenshots of the administrator's backups, trust-and-content, audit-log and
assignments pages at 1366×768 (run under Xvfb or offscreen).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/admin_screenshots.py \
        docs/screenshots [zh_CN|en] [--translations NEW.tsv ...]

``--translations`` works as in certificate_ui_screenshots.py. People, institutions, keys
and packs are made up.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from shot_session import screenshot_session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "desktop"))

DOCTORS = [
    ("wangjg", "王建国", 0),
    ("lixy", "李秀英", 0),
    ("zhangw", "张伟", 1),
    ("liuf", "刘芳", 2),
]
INSTITUTIONS = [
    ("青山县卫生健康委员会", "Qingshan County Health Commission", "county", None),
    ("红星乡卫生院", "Hongxing Township Health Centre", "township", 0),
    ("红星乡石桥村卫生室", "Shiqiao Village Clinic", "village", 1),
]


def make_scene(window, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """Institutions, doctors, two trusted trainer keys, an installed pack, assignments,
    backups and the security-log entries all this leaves."""
    import pack_fixtures

    from case_bank import signing
    from records import accounts, assignments, backups, institutions, packs

    db, admin, data_dir = window.ctx.db, window.ctx.user, window.ctx.data_dir
    places: list = []  # type: ignore[type-arg]
    for zh, en, level, parent in INSTITUTIONS:
        parent_id = places[parent].id if parent is not None else None
        places.append(
            institutions.create_institution(db, admin, zh, level, name_en=en, parent_id=parent_id)
        )
    for username, name, place in DOCTORS:
        user = accounts.create_user(
            db, username, name, "learner-pass-1", "learner", actor_id=admin.id
        )
        institutions.set_professional_details(db, admin, user.id, institution_id=places[place].id)
    private, public, _key = pack_fixtures.make_key(tmp, "county-trainer-liu")
    packs.trust_key(db, admin, signing.read_public_key(public))
    _p2, public2, _k2 = pack_fixtures.make_key(tmp, "city-hospital-chen")
    packs.trust_key(db, admin, signing.read_public_key(public2))
    archive = pack_fixtures.signed_pack(tmp, private, version=2)
    packs.install_pack(db, data_dir, archive, actor=admin)
    due = date.today() + timedelta(days=30)
    modules = [m.module.id for m in window.ctx.modules if m.module is not None]
    assignments.assign(db, admin, due=due, module_id=modules[0], institution_id=places[1].id)
    user = next(u for u in accounts.list_users(db) if u.username == "liuf")
    assignments.assign(
        db, admin, due=due + timedelta(days=14), blueprint_id="certification", user_id=user.id
    )
    for day in range(3, 0, -1):
        when = datetime.now(UTC) - timedelta(days=day)
        path = backups.automatic_backup(db, now=when)
        assert path is not None
        os.utime(path, (when.timestamp(), when.timestamp()))
    backups.backup_to(db, tmp / "xiangyi-manual.sqlite3", actor=admin)


def bundle_scene(window, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """Two clinic PCs' bundles (and a damaged copy) imported through the bundles page;
    this PC exported once."""
    sys.path.insert(0, str(ROOT / "tests" / "records"))
    from bundle_fixtures import PASSPHRASE, fill, make_clinic
    from PySide6.QtWidgets import QApplication

    from records.bundles import export_bundle
    from records.credentials import issuer

    db, admin, data_dir = window.ctx.db, window.ctx.user, window.ctx.data_dir
    paths = []
    for n, name in enumerate(("石桥村卫生室", "东湾村卫生室")):
        clinic = make_clinic(tmp / f"clinic{n}", name, doctors=2 + n)
        fill(clinic, attempts=3 + 2 * n)
        issuer.trust_issuer(db, admin, clinic.key.public)
        paths.append(tmp / "usb" / f"{name}-2026-12-03.xyb")
        export_bundle(clinic.db, paths[-1], signer=clinic.key)
    damaged = bytearray(paths[0].read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    paths.append(tmp / "usb" / "石桥村卫生室-副本.xyb")
    paths[-1].write_bytes(bytes(damaged))
    issuer.create_issuer_key(db, data_dir, admin, "青山县卫生健康委员会", PASSPHRASE)
    export_bundle(db, tmp / "county.xyb", signer=issuer.unlock(data_dir, PASSPHRASE))
    page = window.pages["bundles"]
    page.choose_many = lambda *a: paths
    page.import_bundles()
    while page.busy:
        QApplication.processEvents()


def main() -> None:
    with screenshot_session() as session:
        out, tmp, app = session.out, session.tmp, session.app
        suffix = session.suffix
        import driver

        def shot(name: str) -> None:
            for _ in range(10):
                app.processEvents()
            window.grab().save(str(out / f"{name}{suffix}.png"))

        data = tmp / "data"
        data.mkdir()
        window = driver.open_window(data)
        window.setGeometry(0, 0, 1366, 768)
        driver.create_first_admin(window)
        driver.sign_in(window, "admin", "admin-pass-1")
        make_scene(window, tmp)
        driver.go_to(window, "backups")
        shot("admin-backups")
        driver.go_to(window, "content")
        content = window.pages["content"]
        content.pack_table.selectRow(0)
        shot("admin-content")
        driver.go_to(window, "assignments")
        shot("admin-assignments")
        driver.go_to(window, "audit")
        shot("admin-audit")
        bundle_scene(window, tmp)
        driver.go_to(window, "bundles")
        shot("admin-bundles")
        window.close()


if __name__ == "__main__":
    main()
