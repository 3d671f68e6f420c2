"""Screenshots of the certificate screens at 1366×768: the administrator's registry, the
verification screen and a doctor's "My certificates" (run under Xvfb or offscreen).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/certificate_ui_screenshots.py \
        docs/screenshots [zh_CN|en] [--translations NEW.tsv ...]

``--translations`` adds translations not yet merged into the catalogue (``msgid<TAB>msgstr``
lines) to a temporary compiled copy, so new screens can be checked in Chinese before
``make update-messages``. The people, institutions and certificates are made up.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "desktop"))

PASSPHRASE = "sample issuing passphrase"
DOCTORS = [
    # user name, name, institution index, practising number, what happened
    ("wangjg", "王建国", 0, "141440300012345", "valid"),
    ("lixy", "李秀英", 0, "141440300012346", "valid"),
    ("zhangw", "张伟", 1, "141440300012351", "pending"),
    ("liuf", "刘芳", 1, "141440300012352", "revoked"),
    ("chenm", "陈明", 2, "141440300012360", "expired"),
    ("zhaolh", "赵丽华", 2, "141440300012361", "renewed"),
    ("sunq", "孙强", 0, "141440300012347", "pending"),
    ("zhouj", "周静", 1, "141440300012353", "valid"),
]
INSTITUTIONS = [
    ("红星乡卫生院", "Hongxing Township Health Centre", "township"),
    ("青山镇中心卫生院", "Qingshan Town Central Health Centre", "township"),
    ("城关社区卫生服务中心", "Chengguan Community Health Service Centre", "community"),
]
LEVELS = {
    "basic_knowledge": "competent",
    "social_ethical": "proficient",
    "clinical_encounters": "competent",
    "evidence_evaluation": "developing",
    "workflow_analysis": "competent",
    "practice_improvement": "competent",
}


def compile_with(tsv_files: list[Path], out_dir: Path) -> Path:
    """The zh_CN catalogue plus ``tsv_files``, compiled into ``out_dir`` (a locale dir)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    extra: dict[str, str] = {}
    for tsv in tsv_files:
        for line in tsv.read_text(encoding="utf-8").splitlines():
            if "\t" in line:
                msgid, msgstr = line.split("\t", 1)
                extra[msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")
    out_dir.mkdir(parents=True, exist_ok=True)
    pot = out_dir / "xiangyi.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "-o",
            str(pot),
            "xiangyi",
            "case_bank",
            "assessments",
            "courses",
            "records",
            "desktop",
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    po = ROOT / "xiangyi" / "locale" / "zh_CN" / "LC_MESSAGES" / "xiangyi.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    with pot.open("rb") as handle:
        template = read_po(handle)
    for message in template:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if not key or key not in extra or catalog.get(message.id):
            continue
        text = extra[key]
        catalog.add(message.id, (text,) if isinstance(message.id, tuple) else text)
    target = out_dir / "zh_CN" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "xiangyi.mo").open("wb") as handle:
        write_mo(handle, catalog)
    english = out_dir / "en" / "LC_MESSAGES"
    english.mkdir(parents=True)
    shutil.copy(ROOT / "xiangyi" / "locale" / "en" / "LC_MESSAGES" / "xiangyi.mo", english)
    return out_dir


def make_scene(window) -> None:  # type: ignore[no-untyped-def]
    """Institutions, an issuing key, and doctors' certificates in every state."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from records import accounts, institutions, settings
    from records.credentials import issuer, issuing, revocation
    from records.tables import ExamAttempt

    db, admin = window.ctx.db, window.ctx.user
    places = [
        institutions.create_institution(db, admin, zh, level, name_en=en)
        for zh, en, level in INSTITUTIONS
    ]
    issuer.create_issuer_key(db, window.ctx.data_dir, admin, "青山县卫生健康委员会", PASSPHRASE)
    settings.put(db, "issuer_name_en", "Qingshan County Health Commission")
    key = issuer.unlock(window.ctx.data_dir, PASSPHRASE)
    neighbour = issuer.IssuerKey("白河县卫生健康局", Ed25519PrivateKey.generate())
    issuer.trust_issuer(db, admin, neighbour.public)
    for username, name, place, number, fate in DOCTORS:
        user = accounts.create_user(db, username, name, "learner-pass-1", "learner")
        institutions.set_professional_details(
            db, admin, user.id, practising_number=number, institution_id=places[place].id
        )
        when = (
            datetime(2022, 3, 8, tzinfo=UTC)
            if fate == "expired"
            else datetime(2025, 9, 16, tzinfo=UTC)
        )
        with db.session() as session:
            attempt = ExamAttempt(
                user_id=user.id,
                blueprint_id="certification",
                case_ids=[],
                submitted_at=when,
                score=0.82,
                passed=True,
                result={},
            )
            session.add(attempt)
        signer = None if fate == "pending" else key
        credential = issuing.issue_for_exam(
            db, attempt.id, levels=LEVELS, signer=signer, actor_id=admin.id
        )
        if fate == "revoked":
            revocation.revoke(db, admin, credential.id, "执业注册信息有误，待更正后重新发放", key)
        if fate == "renewed":
            issuing.renew(db, admin, credential.id, levels=LEVELS, signer=key)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="?", default="docs/screenshots")
    parser.add_argument("language", nargs="?", default="zh_CN")
    parser.add_argument("--translations", nargs="*", type=Path, default=[])
    parser.add_argument("--scale", type=int, default=100, help="font size in percent")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication

    from xiangyi import i18n

    with tempfile.TemporaryDirectory() as tmp:
        if args.translations:
            i18n.LOCALE_DIR = compile_with(args.translations, Path(tmp) / "locale")
            i18n._catalogues.clear()
        app = QApplication(sys.argv)
        i18n.set_language(args.language)
        from desktop.qt_i18n import QtLanguage

        QtLanguage(app)
        import driver

        suffix = "" if args.language == "zh_CN" else f"-{args.language}"
        suffix += "" if args.scale == 100 else f"-{args.scale}"

        def shot(name: str) -> None:
            for _ in range(10):
                app.processEvents()
            window.grab().save(str(out / f"{name}{suffix}.png"))

        data = Path(tmp) / "data"
        data.mkdir()
        window = driver.open_window(data)
        window.setGeometry(0, 0, 1366, 768)
        driver.create_first_admin(window)
        driver.sign_in(window, "admin", "admin-pass-1")
        if args.scale != 100:
            window._display_chosen(args.scale, False)
        make_scene(window)
        driver.go_to(window, "certificates")
        registry = window.pages["certificates"]
        registry.refresh()
        registry.table.selectRow(
            next(i for i, row in enumerate(registry.rows) if row.credential.holder_name == "王建国")
        )
        shot("certificates-admin")
        registry.tabs.setCurrentIndex(1)
        shot("certificates-key")
        registry.tabs.setCurrentIndex(0)

        from records.credentials import documents, issuing

        wang = next(c for c in issuing.list_credentials(window.ctx.db) if c.holder_name == "王建国")
        pdf = Path(tmp) / "王建国.pdf"
        documents.save_certificate_pdf(window.ctx.db, wang, pdf)
        driver.go_to(window, "verify")
        verify = window.pages["verify"]
        verify.check("XY7K-3M9Q-2P")  # a code nobody issued: not found, in the log
        driver.wait_until(lambda: not verify.busy)
        verify.check(str(pdf))
        driver.wait_until(lambda: not verify.busy)
        shot("verify")

        driver.click(window.sign_out)
        driver.sign_in(window, "zhaolh", "learner-pass-1")
        driver.go_to(window, "my_certificates")
        shot("my-certificates")
        window.close()


if __name__ == "__main__":
    main()
