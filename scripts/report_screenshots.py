"""Screenshots of the administrator's report screen at 1366×768 (run under Xvfb or
offscreen): the overview charts and the doctors table.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/report_screenshots.py \
        docs/screenshots [zh_CN|en] [--translations NEW.tsv ...]

The county, its doctors and their records are made through the real record code
(tests/records/report_fixtures.py), plus a bundle from a clinic PC merged here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from shot_session import screenshot_session

ROOT = Path(__file__).resolve().parent.parent
for extra in ("", "scripts", "tests", "tests/desktop", "tests/records"):
    sys.path.insert(0, str(ROOT / extra))


def make_scene(data: Path, tmp: Path) -> None:
    """The report test county, a bundle written here and one merged from a clinic."""
    import bundle_fixtures
    import report_fixtures

    from records import bundles
    from records.credentials import issuer
    from records.db import open_database

    db = open_database(data)
    county = report_fixtures.build_county(db, data)
    clinic = bundle_fixtures.make_clinic(tmp / "clinic", "石桥")
    bundle_fixtures.fill(clinic)
    bundles.export_bundle(clinic.db, tmp / "clinic.bundle", signer=clinic.key)
    trusted = bundle_fixtures.signers([clinic])
    bundles.import_bundle(db, tmp / "clinic.bundle", trusted=trusted)
    key = issuer.unlock(data, report_fixtures.PASSPHRASE)
    bundles.export_bundle(db, tmp / "county.bundle", signer=key)
    clinic.db.close()
    db.close()
    del county


def main() -> None:
    with screenshot_session() as session:
        out, tmp, app = session.out, session.tmp, session.app
        suffix = session.suffix
        import driver

        data = tmp / "data"
        data.mkdir()
        make_scene(data, tmp)
        window = driver.open_window(data)
        window.setGeometry(0, 0, 1366, 768)
        driver.sign_in(window, "admin", "admin-pass-1")
        driver.go_to(window, "reports")
        page = window.pages["reports"]
        driver.wait_until(lambda: page.view is not None and not page.busy)

        def shot(name: str) -> None:
            for _ in range(10):
                app.processEvents()
            window.grab().save(str(out / f"{name}{suffix}.png"))

        shot("reports")
        page.tabs.setCurrentIndex(4)
        shot("reports-doctors")
        window.log_out()


if __name__ == "__main__":
    main()
