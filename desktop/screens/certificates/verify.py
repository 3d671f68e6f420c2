"""Verify a certificate (every role): a PDF, a photo of its QR code, an Open Badges JSON
file or a typed verification code. The outcome is shown big, with the certificate's
details; administrators also see the log of recent checks."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop import files
from desktop.screens.certificates.words import (
    CHECK_KINDS,
    DETAIL_LABELS,
    OUTCOME_HEADLINES,
    VERIFY_FILTER,
    high_contrast,
    message_for,
)
from desktop.tasks import run_in_background
from desktop.theme import heading
from desktop.widgets import Screen, error_label, read_only_table, show_error
from xiangyi.i18n import _

if TYPE_CHECKING:
    from desktop.context import AppContext
    from records.credentials.verify import VerificationResult


class VerifyScreen(Screen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.result: VerificationResult | None = None
        self.busy = False
        self.heading = QLabel()
        heading(self.heading, 16)
        self.intro = QLabel(wordWrap=True)
        self.input_label = QLabel()
        self.input = QLineEdit(objectName="verify_input")
        self.input.setClearButtonEnabled(True)
        self.input_label.setBuddy(self.input)
        self.choose_button = QPushButton(objectName="verify_choose_file")
        self.verify_button = QPushButton(objectName="verify_button")
        self.verify_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.input_label)
        row.addWidget(self.input, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.verify_button)
        self.error = error_label("verify_error")

        self.outcome = QLabel(objectName="verify_outcome", wordWrap=True)
        self.outcome.setTextFormat(Qt.TextFormat.RichText)
        self.outcome.setVisible(False)
        self.message = QLabel(objectName="verify_message", wordWrap=True)
        self.problems = QLabel(objectName="verify_problems", wordWrap=True)
        self.problems.setStyleSheet("color: #8b0000;")
        self.details_box = QGroupBox(objectName="verify_details")
        self.details = QFormLayout(self.details_box)
        self.details.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        result_page = QWidget()
        result_layout = QVBoxLayout(result_page)
        result_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.outcome, self.message, self.problems, self.details_box):
            result_layout.addWidget(widget)
        result_layout.addStretch(1)
        scroll = QScrollArea(objectName="verify_result_area")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(result_page)

        self.log_box = QGroupBox(objectName="verify_log_box")
        self.log = read_only_table("verify_log", 4, stretch=2)
        log_layout = QVBoxLayout(self.log_box)
        log_layout.addWidget(self.log)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Both panes share the width 3:2 whatever their contents would like.
        for pane in (scroll, self.log_box):
            pane.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addWidget(self.log_box, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addLayout(body, 1)
        self.choose_button.clicked.connect(self.choose_file)
        self.verify_button.clicked.connect(self.verify)
        self.input.returnPressed.connect(self.verify)
        self.retranslate()

    # -- language ---------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.heading.setText(_("Verify a certificate"))
        self.intro.setText(
            _(
                "Check a certificate without a network: choose its PDF, a photo or scan of its "
                "QR code, or its Open Badges JSON file, or type the verification code printed "
                "on it (for example XY7K-3M9Q-2P)."
            )
        )
        self.input_label.setText(_("&Code or file"))
        self.input.setPlaceholderText(_("Verification code, or choose a file"))
        self.choose_button.setText(_("C&hoose a file…"))
        self.verify_button.setText(_("&Verify"))
        self.details_box.setTitle(_("What the certificate says"))
        self.log_box.setTitle(_("Recent checks on this PC"))
        self.log.setHorizontalHeaderLabels([_("Time"), _("Checked"), _("What"), _("Result")])
        self._show_result()
        self.refresh()

    def refresh(self) -> None:
        from records.credentials.registry import can_manage, verification_log

        admin = can_manage(self.ctx.user)
        self.log_box.setVisible(admin)
        if not admin:
            return
        checks = verification_log(self.ctx.db, self.ctx.user)
        self.log.setRowCount(len(checks))
        for index, check in enumerate(checks):
            headline = OUTCOME_HEADLINES.get(check.outcome)
            kind = CHECK_KINDS.get(check.kind)
            cells = [
                check.at.astimezone().strftime("%Y-%m-%d %H:%M"),  # stored UTC, shown local
                _(kind) if kind else check.kind,
                check.subject,
                _(headline[0]) if headline else check.outcome,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 3 and headline and not high_contrast():
                    item.setForeground(QColor(headline[2]))
                self.log.setItem(index, col, item)

    # -- checking ---------------------------------------------------------------------------
    def choose_file(self) -> None:
        path = files.choose_open_path(self, _("Choose a certificate"), _(VERIFY_FILTER))
        if path is not None:
            self.input.setText(str(path))
            self.verify()

    def check(self, text: str) -> None:
        """Verify ``text`` (a code or a file path), as if typed and confirmed."""
        self.input.setText(text)
        self.verify()

    def verify(self) -> None:
        from records.credentials.verify import verify_input

        text = self.input.text().strip()
        if self.busy:
            return
        if not text:
            show_error(self.error, _("Type a verification code or choose a file first."))
            return
        show_error(self.error, "")
        self.busy = True
        self.verify_button.setEnabled(False)
        self.outcome.setVisible(True)
        self.outcome.setText(escape(_("Checking…")))
        self.outcome.setStyleSheet("font-size: 14pt; padding: 10px;")
        self.message.setText("")
        self.problems.setText("")
        self.details_box.setVisible(False)
        db, user_id = self.ctx.db, self.ctx.user.id if self.ctx.user else None

        def done(result: Any) -> None:
            self.busy = False
            self.verify_button.setEnabled(True)
            self.result = result
            self._show_result()
            self.refresh()

        def failed(exc: Exception) -> None:
            self.busy = False
            self.verify_button.setEnabled(True)
            self.outcome.setVisible(False)
            show_error(self.error, message_for(exc))

        run_in_background(lambda: verify_input(db, text, checked_by=user_id), done, failed)

    def outcome_name(self) -> str:
        return str(self.result.outcome) if self.result is not None else ""

    # -- showing ----------------------------------------------------------------------------
    def _show_result(self) -> None:
        result = self.result
        if result is None or self.busy:
            if not self.busy:
                self.outcome.setVisible(False)
                self.details_box.setVisible(False)
            return
        headline, symbol, colour, background = OUTCOME_HEADLINES[str(result.outcome)]
        self.outcome.setText(f"{symbol}&nbsp;&nbsp;{escape(_(headline))}")
        self.outcome.setStyleSheet(
            f"font-size: 22pt; font-weight: 700; color: {colour}; background: {background};"
            f" border: 2px solid {colour}; border-radius: 6px; padding: 12px;"
        )
        self.outcome.setVisible(True)
        self.message.setText(result.message)
        self.problems.setText("\n".join(result.problems))
        self.problems.setVisible(bool(result.problems))
        self._show_details(result)

    def _show_details(self, result: VerificationResult) -> None:
        from assessments.framework import builtin_framework
        from records.credentials.payload import DOMAIN_ORDER

        while self.details.rowCount():
            self.details.removeRow(0)
        shown = False
        for key, label in DETAIL_LABELS:
            value = result.details.get(key, "")
            if value:
                self._add_detail(_(label), value, monospace=key == "issuer_fingerprint")
                shown = True
        if result.payload is not None:
            framework = builtin_framework()
            heading = QLabel(_("Competency levels"))
            bold = heading.font()
            bold.setBold(True)
            heading.setFont(bold)
            self.details.addRow(heading)
            for domain in DOMAIN_ORDER:
                level = framework.level(result.payload.levels[domain]).name.get()
                self._add_detail(framework.domain(domain).title.get(), level)
        self.details_box.setVisible(shown)

    def _add_detail(self, label: str, value: str, *, monospace: bool = False) -> None:
        field = QLabel(value, wordWrap=True, objectName="verify_detail")
        field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if monospace:
            field.setStyleSheet("font-family: monospace;")
        self.details.addRow(QLabel(_("{label}:").format(label=label)), field)

    def detail_text(self) -> str:
        """The details as shown, one "label: value" per line (for tests and copying)."""
        lines = []
        for index in range(self.details.rowCount()):
            label = self.details.itemAt(index, QFormLayout.ItemRole.LabelRole)
            field = self.details.itemAt(index, QFormLayout.ItemRole.FieldRole)
            span = self.details.itemAt(index, QFormLayout.ItemRole.SpanningRole)
            if label is not None and field is not None:
                lines.append(f"{label.widget().text()} {field.widget().text()}")  # type: ignore[attr-defined]
            elif span is not None:
                lines.append(span.widget().text())  # type: ignore[attr-defined]
        return "\n".join(lines)
