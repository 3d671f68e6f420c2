"""Certificates through the real window: a certifying exam passed, the issuing key
created and pending certificates signed, the PDF and JSON saved and verified, a
revocation, a cohort's ZIP export with progress and cancel, and a learner kept out of
the administrator's registry."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from driver import (
    CORRECT,
    FIRST_CASES,
    add_account,
    click,
    create_first_admin,
    go_to,
    keep_only,
    open_window,
    sign_in,
    type_into,
)
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from assessments.blueprints import Blueprint
from desktop import files
from records import accounts, institutions
from records.credentials import issuing
from records.tables import User
from xiangyi.i18n import _

PASSPHRASE = "county issuing passphrase"

CERTIFYING = Blueprint.model_validate(
    {
        "id": "test-certification",
        "version": 1,
        "title": {"zh_CN": "测试认证考试", "en": "Test certification exam"},
        "total_cases": 3,
        "packs": ["ecg-basics"],
        "ai_kinds": {"ecg": 3},
        "ai_error_share": {"min": 0.0, "max": 1.0},
        "time_limit_minutes": 30,
        "attempts": {"allowed": 3},
        "feedback": "deferred",
        "certifying": True,
        "pass_rule": {
            "cut_score": 0.5,
            "standard_setting": {"method": "fixed_policy", "date": "2025-01-15"},
        },
    }
)


class Files:
    """Stands in for the file dialogs: hands out the paths a person would choose."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.save: list[Path] = []
        self.open: list[Path] = []
        self.shown: list[Path] = []
        monkeypatch.setattr(files, "choose_save_path", lambda *a: self.save.pop(0))
        monkeypatch.setattr(files, "choose_open_path", lambda *a: self.open.pop(0))
        monkeypatch.setattr(files, "show_folder", self.shown.append)


def _dialog(name: str) -> Any:
    for widget in QApplication.topLevelWidgets():
        found = widget if widget.objectName() == name else widget.findChild(QWidget, name)
        if found is not None and found.isVisible():
            return found
    return None


def _button(name: str) -> QAbstractButton:
    for widget in QApplication.topLevelWidgets():
        found = widget.findChild(QAbstractButton, name)
        if found is not None and found.isVisible():
            return found
    raise AssertionError(f"no visible button {name}")


def _fill(dialog: QDialog, **values: str) -> None:
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    for key, value in values.items():
        field = dialog.findChild(QWidget, f"{dialog.objectName()}_{key}")
        if isinstance(field, QLineEdit):
            type_into(field, value)
        else:
            assert isinstance(field, QPlainTextEdit)
            field.setPlainText(value)


def _close_saved_box(qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: _dialog("saved_box") is not None)
    click(_button("saved_box_no"))


def _switch_user(window, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    click(window.sign_out)
    sign_in(window, username, password)


def _set_up(window) -> tuple[User, str]:  # type: ignore[no-untyped-def]
    """An administrator, a township health centre and a doctor who works there."""
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    add_account(window, "wang", "王医生", "learner-pass-1", "learner")
    db = window.ctx.db
    admin = window.ctx.user
    township = institutions.create_institution(db, admin, "红星乡卫生院", "township")
    wang = next(u for u in accounts.list_users(db) if u.username == "wang")
    institutions.set_professional_details(
        db, admin, wang.id, practising_number="141440300012345", institution_id=township.id
    )
    return wang, township.id


def _pass_certifying_exam(window) -> str:  # type: ignore[no-untyped-def]
    """The signed-in doctor takes the small certifying exam and answers every case right."""
    from assessments.assembly import eligible
    from records import exams

    keep_only(window, FIRST_CASES)
    state = exams.start(
        window.ctx.db,
        window.ctx.user.id,
        CERTIFYING,
        eligible(CERTIFYING, window.ctx.cases_by_pack()),
        time.time(),
    )
    window.show_exam(CERTIFYING, state)
    screen = window.pages["exam"]
    for _index in range(len(state.case_ids)):
        case_id = screen.state.current_case_id
        own, reliance, interp, confidence, action, limits = CORRECT[case_id]
        screen.own_read.choice.buttons[own].setChecked(True)
        click(screen.save_button)
        for name in (
            f"reliance_{reliance}",
            f"interpretation_{interp}",
            f"confidence_{confidence}",
            f"action_{action}",
            *(f"limitations_{x}" for x in limits),
        ):
            screen.decision.findChild(QAbstractButton, name).setChecked(True)
        click(screen.save_button)
    click(screen.submit_button)
    click(_button("submit_box_yes"))
    assert screen.pages.currentWidget() is screen.result_view
    return screen.result_view.text()


def test_pass_sign_save_verify_and_revoke(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_dangling_threads
) -> None:
    chosen = Files(monkeypatch)
    window = open_window(data_dir)
    qtbot.addWidget(window)
    wang, _township = _set_up(window)

    # The doctor passes: the result says what happens next, with the code.
    _switch_user(window, "wang", "learner-pass-1")
    result = _pass_certifying_exam(window)
    [pending] = issuing.list_credentials(window.ctx.db, user_id=wang.id)
    code = issuing.status_of(pending) == "pending" and pending.code
    from records.credentials.encoding import format_code

    assert "waiting for an administrator's signature" in result
    assert format_code(str(code)) in result
    click(window.pages["exam"].close_button)
    go_to(window, "my_certificates")
    mine = window.pages["my_certificates"]
    assert mine.table.rowCount() == 1
    assert mine.table.item(0, 2).text() == _("Waiting for signature")
    assert not mine.pdf_button.isEnabled() and "signature" in mine.note.text()

    # The administrator creates the issuing key and signs.
    _switch_user(window, "admin", "admin-pass-1")
    go_to(window, "certificates")
    registry = window.pages["certificates"]
    assert not registry.sign_button.isEnabled()  # no key yet
    registry.tabs.setCurrentIndex(1)
    click(registry.issuer_panel.create_button)
    dialog = _dialog("create_key")
    _fill(
        dialog,
        name="青山县卫生健康委员会",
        name_en="Qingshan County Health Commission",
        passphrase=PASSPHRASE,
        confirm="different passphrase",
    )
    click(dialog.ok)
    assert dialog.error.text() == _("The two passphrases are different.")
    _fill(dialog, confirm=PASSPHRASE)
    click(dialog.ok)
    qtbot.waitUntil(lambda: _dialog("create_key") is None)
    fingerprint = registry.fingerprint.text()
    assert len(fingerprint.replace(" ", "")) >= 16
    assert registry.issuer_panel.trusted.item(0, 1).text() == fingerprint
    assert registry.pending.text() == _("{n} certificate is waiting for your signature.").format(
        n=1
    )
    registry.tabs.setCurrentIndex(0)
    click(registry.sign_button)
    dialog = _dialog("sign_passphrase")
    _fill(dialog, passphrase="not the passphrase")
    click(dialog.ok)
    assert dialog.error.isVisible() and _dialog("sign_passphrase") is dialog
    _fill(dialog, passphrase=PASSPHRASE)
    click(dialog.ok)
    qtbot.waitUntil(lambda: registry.table.item(0, 3).text() == _("Valid"), timeout=10_000)
    assert registry.message.text() == _("{n} certificate signed.").format(n=1)
    assert not registry.sign_button.isEnabled()

    # The doctor saves the PDF and the JSON, and verifies them.
    _switch_user(window, "wang", "learner-pass-1")
    go_to(window, "my_certificates")
    mine = window.pages["my_certificates"]
    assert mine.table.item(0, 2).text() == _("Valid") and mine.pdf_button.isEnabled()
    pdf, badge = tmp_path / "certificate.pdf", tmp_path / "certificate.json"
    chosen.save += [pdf, badge]
    click(mine.pdf_button)
    _close_saved_box(qtbot)
    click(mine.json_button)
    _close_saved_box(qtbot)
    assert pdf.read_bytes().startswith(b"%PDF") and json.loads(badge.read_text("utf-8"))["proof"]
    assert mine.status.text() == _("Saved {path}.").format(path=badge)
    transcript = tmp_path / "transcript.pdf"
    chosen.save.append(transcript)
    click(mine.transcript_button)
    _close_saved_box(qtbot)
    assert transcript.read_bytes().startswith(b"%PDF")
    go_to(window, "verify")
    verify = window.pages["verify"]
    assert not verify.log_box.isVisible()  # the log is for administrators
    chosen.open.append(pdf)
    click(verify.choose_button)
    qtbot.waitUntil(lambda: verify.outcome_name() == "valid", timeout=10_000)
    assert _("Valid certificate") in verify.outcome.text()
    details = verify.detail_text()
    assert "王医生" in details and "红星乡卫生院" in details and fingerprint in details
    doc = json.loads(badge.read_text("utf-8"))
    doc["validUntil"] = "2099-12-31T23:59:59Z"
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    verify.check(str(edited))
    qtbot.waitUntil(lambda: verify.outcome_name() == "tampered", timeout=10_000)
    assert _("Tampered: do not accept") in verify.outcome.text()

    # The administrator revokes with a reason; verification then says revoked.
    _switch_user(window, "admin", "admin-pass-1")
    go_to(window, "certificates")
    registry = window.pages["certificates"]
    registry.table.selectRow(0)
    click(registry.revoke_button)
    dialog = _dialog("revoke")
    click(dialog.ok)  # nothing filled in: both empty fields are named, nothing else
    assert dialog.error.text() == " ".join(
        (
            _("Give the reason for revoking (at most 500 characters)."),
            _("Please enter the issuing key's passphrase."),
        )
    )
    _fill(dialog, passphrase=PASSPHRASE)
    click(dialog.ok)
    assert dialog.error.text() == _("Give the reason for revoking (at most 500 characters).")
    _fill(dialog, reason="执业信息有误")
    click(dialog.ok)
    qtbot.waitUntil(lambda: _dialog("revoke") is None)
    assert registry.table.item(0, 3).text() == _("Revoked")
    click(registry.verify_button)  # opens the verify page on this certificate
    verify = window.pages["verify"]
    assert window.pages_stack.currentWidget() is verify
    qtbot.waitUntil(lambda: verify.outcome_name() == "revoked", timeout=10_000)
    assert "执业信息有误" in verify.problems.text()
    verify.check(str(pdf))
    qtbot.waitUntil(lambda: verify.log.item(0, 2).text() == "certificate.pdf", timeout=10_000)
    assert verify.outcome_name() == "revoked" and verify.log_box.isVisible()
    assert verify.log.rowCount() == 4  # every check on this PC, the doctor's too
    assert verify.log.item(0, 3).text() == _("Revoked: do not accept")
    window.close()


def _signed_cohort(window, count: int) -> str:  # type: ignore[no-untyped-def]
    """An issuing key and ``count`` signed certificates of one institution."""
    from datetime import UTC, datetime

    from records.credentials import issuer
    from records.tables import ExamAttempt

    db, admin = window.ctx.db, window.ctx.user
    township = institutions.create_institution(db, admin, "红星乡卫生院", "township")
    wang = accounts.create_user(db, "wang", "王医生", "learner-pass-1", "learner")
    institutions.set_professional_details(db, admin, wang.id, institution_id=township.id)
    issuer.create_issuer_key(db, window.ctx.data_dir, admin, "青山县卫健委", PASSPHRASE)
    key = issuer.unlock(window.ctx.data_dir, PASSPHRASE)
    for _n in range(count):
        with db.session() as session:
            attempt = ExamAttempt(
                user_id=wang.id,
                blueprint_id="certification",
                case_ids=[],
                submitted_at=datetime.now(UTC),
                score=0.84,
                passed=True,
                result={},
            )
            session.add(attempt)
        issuing.issue_for_exam(db, attempt.id, levels={}, signer=key)
    return township.id


def test_cohort_zip_export_with_progress_and_cancel(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_dangling_threads
) -> None:
    chosen = Files(monkeypatch)
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    township = _signed_cohort(window, 12)
    go_to(window, "certificates")
    registry = window.pages["certificates"]
    assert registry.table.rowCount() == 12
    registry.cohort.setCurrentIndex(registry.cohort.findData(township))
    assert registry.cohort.currentText() == "红星乡卫生院"
    done = tmp_path / "cohort.zip"
    chosen.save.append(done)
    click(registry.export_button)
    assert isinstance(_dialog("export_progress"), QProgressDialog)
    _close_saved_box(qtbot)
    assert len(zipfile.ZipFile(done).namelist()) == 24
    assert _dialog("export_progress") is None
    assert registry.message.text().startswith(
        _("{n} certificates written to {path}.").format(n=12, path=done)
    )

    stopped = tmp_path / "stopped.zip"
    chosen.save.append(stopped)
    click(registry.export_button)
    progress = _dialog("export_progress")
    click(progress.findChild(QPushButton))  # its Cancel button
    qtbot.waitUntil(
        lambda: registry.message.text() == _("Export cancelled; no file was written."),
        timeout=10_000,
    )
    assert not stopped.exists() and sorted(p.name for p in tmp_path.iterdir()) == [
        "cohort.zip",
        "data",
    ]

    # Issuing to the institution: a doctor who passed but holds no certificate gets one.
    _passed_without_certificate(window, township)
    click(registry.issue_button)
    qtbot.waitUntil(lambda: _dialog("issue_progress") is None, timeout=10_000)
    assert registry.message.text() == _(
        "{n} certificate issued; it waits for your signature."
    ).format(n=1)
    assert registry.pending.text() == _("{n} certificate is waiting for your signature.").format(
        n=1
    )
    # Re-certifying the selected certificate: a new one replaces it, pending.
    registry.status.setCurrentIndex(registry.status.findData("valid"))
    registry.table.selectRow(0)
    old_code = registry.selected().code
    click(registry.renew_button)
    click(_button("renew_box_yes"))
    assert old_code in registry.message.text()
    assert registry_status(window, old_code) == "replaced"
    assert registry.pending.text() == _("{n} certificates are waiting for your signature.").format(
        n=2
    )
    window.close()


def registry_status(window, code: str) -> str:  # type: ignore[no-untyped-def]
    from records.credentials.encoding import normalise_code

    credential = issuing.by_code(window.ctx.db, str(normalise_code(code)))
    assert credential is not None
    return issuing.status_of(credential)


def _passed_without_certificate(window, institution_id: str) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from records.tables import ExamAttempt

    db, admin = window.ctx.db, window.ctx.user
    li = accounts.create_user(db, "li", "李医生", "learner-pass-1", "learner")
    institutions.set_professional_details(db, admin, li.id, institution_id=institution_id)
    with db.session() as session:
        session.add(
            ExamAttempt(
                user_id=li.id,
                blueprint_id="certification",
                case_ids=[],
                submitted_at=datetime.now(UTC),
                score=0.8,
                passed=True,
                result={},
            )
        )


def test_issuer_panel_trusts_removes_and_moves_revocations(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_dangling_threads
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from case_bank.signing import PublicKey, public_key_document
    from records.credentials import revocation

    chosen = Files(monkeypatch)
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    _signed_cohort(window, 1)
    go_to(window, "certificates")
    panel = window.pages["certificates"].issuer_panel
    window.pages["certificates"].tabs.setCurrentWidget(panel)
    assert panel.trusted.rowCount() == 1 and not panel.create_button.isEnabled()

    exported = tmp_path / "own.public.json"
    chosen.save.append(exported)
    click(panel.export_button)
    _close_saved_box(qtbot)
    assert json.loads(exported.read_text("utf-8"))["fingerprint"] == panel.fingerprints[0]

    raw = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    neighbour = PublicKey("白河县卫生健康局", raw)
    key_file = tmp_path / "neighbour.public.json"
    key_file.write_bytes(public_key_document(neighbour))
    chosen.open += [key_file, key_file]
    click(panel.add_button)
    assert panel.trusted.rowCount() == 2 and neighbour.fingerprint in panel.fingerprints
    click(panel.add_button)  # the same key again: refused, in words
    assert panel.error.isVisible() and neighbour.fingerprint in panel.error.text()
    panel.trusted.selectRow(panel.fingerprints.index(neighbour.fingerprint))
    click(panel.remove_button)
    click(_button("untrust_box_yes"))
    assert panel.fingerprints == [window.pages["certificates"].fingerprint.text()]

    [credential] = issuing.list_credentials(window.ctx.db)
    from records.credentials import issuer

    key = issuer.unlock(window.ctx.data_dir, PASSPHRASE)
    revocation.revoke(window.ctx.db, window.ctx.user, credential.id, "信息有误", key)
    listing = tmp_path / "revocations.json"
    chosen.save.append(listing)
    click(panel.export_list_button)
    assert panel.message.text() == _("{n} revocation(s) written to {path}.").format(
        n=1, path=listing
    )
    chosen.open.append(listing)
    click(panel.import_button)
    assert panel.message.text() == _(
        "{added} new revocation(s), {known} already known, {rejected} refused."
    ).format(added=0, known=1, rejected=0)
    window.close()


def test_learner_cannot_reach_or_use_the_registry(
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_dangling_threads
) -> None:
    from desktop.screens.certificates import CertificateAdminScreen
    from desktop.workspace import NAV

    chosen = Files(monkeypatch)
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    _signed_cohort(window, 1)
    _switch_user(window, "wang", "learner-pass-1")
    keys = [key for key, _label in NAV["learner"]]
    assert "certificates" not in keys and "certificates" not in window.pages
    assert {"my_certificates", "verify"} <= set(keys)

    screen = CertificateAdminScreen(window.ctx)  # reached some other way: it still refuses
    qtbot.addWidget(screen)
    refusal = _("Only an administrator can manage certificates.")
    assert screen.table.rowCount() == 0 and screen.error.text() == refusal
    screen.error.setText("")
    target = tmp_path / "all.zip"
    chosen.save.append(target)
    screen.export_cohort()
    assert screen.error.text() == refusal and not target.exists()
    screen.sign_pending()
    assert _dialog("sign_passphrase") is None
    chosen.open.append(tmp_path / "other.public.json")
    screen.issuer_panel.add_issuer()
    assert screen.issuer_panel.error.text() == refusal
    screen.issuer_panel.create_key()
    assert _dialog("create_key") is None

    # Verifying is for everyone, with the keyboard alone: Alt+C, the code, Enter.
    [credential] = issuing.list_credentials(window.ctx.db)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    go_to(window, "verify")
    verify = window.pages["verify"]
    QTest.keyClick(window, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is verify.input
    QTest.keyClicks(verify.input, credential.code.lower())
    QTest.keyClick(verify.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: verify.outcome_name() == "valid", timeout=10_000)
    assert "王医生" in verify.detail_text()
    window.close()


def test_certificate_pages_relabel_and_fit_1366x768_at_150_percent(
    qtbot, data_dir: Path, no_dangling_threads
) -> None:
    from desktop.qt_i18n import QtLanguage
    from desktop.theme import apply

    app = QApplication.instance()
    window = open_window(data_dir)
    qtbot.addWidget(window)
    create_first_admin(window)
    sign_in(window, "admin", "admin-pass-1")
    _signed_cohort(window, 2)
    window.resize(1366, 768)
    bridge = QtLanguage(app)
    try:
        window._display_chosen(150, False)
        for key in ("certificates", "my_certificates", "verify"):
            go_to(window, key)
            QApplication.processEvents()
            page = window.pages[key]
            assert window.width() <= 1366 and window.height() <= 768
            assert page.minimumSizeHint().height() <= window.pages_stack.height()
            assert page.minimumSizeHint().width() <= window.pages_stack.width()
            buttons = [b for b in page.findChildren(QPushButton) if b.isVisible()]
            # No button text is cut (once the layout has caught up with the font).
            qtbot.waitUntil(
                lambda shown=buttons: all(b.width() >= b.sizeHint().width() - 1 for b in shown)
            )
        registry = window.pages["certificates"]
        window.language.setCurrentIndex(window.language.findData("zh_CN"))
        mine = window.pages["my_certificates"]
        qtbot.waitUntil(lambda: mine.table.horizontalHeaderItem(0).text() == "证书")
        assert registry.table.horizontalHeaderItem(0).text() == _("Name")
        assert window.nav.item(window.nav.count() - 2).text() == _("Verify a certificate")
        window.language.setCurrentIndex(window.language.findData("en"))
        qtbot.waitUntil(lambda: mine.table.horizontalHeaderItem(0).text() == "Certificate")
        assert registry.heading.text() == "Manage certificates"
    finally:
        bridge.close()
        apply(app, 100, False)
        window.close()
