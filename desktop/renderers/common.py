"""What every renderer shares: the header (AI label, "simulated" badge, tool button),
the tool-information panel, the truth banner shown after the decision, and colours.

A renderer subclasses :class:`OutputView`, adds its own widgets to ``self.body`` and
implements ``retranslate_body()`` (and ``show_truth_body()`` where its output model
carries truth fields). Object names start with the renderer's prefix (``riskLabel``,
``riskInfoPanel``), so tests and style sheets can find every part.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from case_bank.outputs import OUTPUT_LABELS, AlertSeverity
from case_bank.vocabulary import AI_ERROR_LABELS, AIError
from xiangyi.i18n import _

if TYPE_CHECKING:
    from case_bank.models import Case
    from case_bank.outputs import OutputBase, ToolInfo

W = TypeVar("W", bound=QWidget)

INK = "#0f172a"
MUTED = "#475569"
LINE = "#cbd5e1"
SURFACE = "#f8fafc"
ACCENT = "#1d4ed8"

BADGE_STYLE = (
    "QLabel { color: #7c2d12; background: #ffedd5; border: 1px solid #ea580c;"
    " border-radius: 3px; padding: 2px 8px; font-weight: bold; }"
)
PANEL_STYLE = (
    "QLabel { background: #f1f5f9; border: 1px solid #94a3b8; border-radius: 3px; padding: 6px; }"
)
# Right: calm green; wrong: red. Text stays dark on a pale fill for contrast.
TRUTH_RIGHT_STYLE = (
    "QLabel { background: #dcfce7; color: #14532d; border: 1px solid #16a34a;"
    " border-left: 6px solid #16a34a; border-radius: 3px; padding: 6px; }"
)
TRUTH_WRONG_STYLE = (
    "QLabel { background: #fee2e2; color: #7f1d1d; border: 1px solid #dc2626;"
    " border-left: 6px solid #dc2626; border-radius: 3px; padding: 6px; }"
)

# (fill, text, border) per alert severity: the usual red / amber / blue of review tools.
SEVERITY_COLOURS: dict[AlertSeverity, tuple[str, str, str]] = {
    AlertSeverity.CRITICAL: ("#fee2e2", "#991b1b", "#dc2626"),
    AlertSeverity.WARNING: ("#fef3c7", "#92400e", "#d97706"),
    AlertSeverity.INFO: ("#dbeafe", "#1e3a8a", "#2563eb"),
}
SEVERITY_ORDER = (AlertSeverity.CRITICAL, AlertSeverity.WARNING, AlertSeverity.INFO)


def named(widget: W, name: str) -> W:
    """Give ``widget`` an object name, so tests and style sheets can find it."""
    widget.setObjectName(name)
    return widget


def percent(value: float) -> str:
    """0.94 → '94', 0.925 → '92.5'."""
    return f"{value * 100:.1f}".rstrip("0").rstrip(".")


def number(value: float) -> str:
    """12.0 → '12', 12.25 → '12.25' (no trailing zeros)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def label_of(value: str) -> str:
    """The translated label of a vocabulary value (severity, urgency, route, …)."""
    return _(OUTPUT_LABELS[value])


def chip_html(text: str, fill: str, ink: str, border: str) -> str:
    """A small coloured label inside rich text."""
    return (
        f"<span style='background:{fill};color:{ink};border:1px solid {border};"
        f"font-weight:600;'>&nbsp;{escape(text)}&nbsp;</span>"
    )


def tool_info_lines(tool: ToolInfo) -> list[str]:
    """What the tool states about itself, one line per stated fact."""
    lines = [
        _("Tool: {name} (version {version})").format(name=tool.name.get(), version=tool.version),
        _("Intended use: {use}").format(use=tool.intended_use.get()),
    ]
    if tool.sensitivity is not None:
        lines.append(_("Stated sensitivity: {value}%").format(value=percent(tool.sensitivity)))
    if tool.specificity is not None:
        lines.append(_("Stated specificity: {value}%").format(value=percent(tool.specificity)))
    if tool.stated_ppv is not None:
        lines.append(
            _("Stated positive predictive value: {value}%").format(value=percent(tool.stated_ppv))
        )
    if tool.stated_npv is not None:
        lines.append(
            _("Stated negative predictive value: {value}%").format(value=percent(tool.stated_npv))
        )
    if tool.performance_note is not None:
        lines.append(_("Stated performance: {note}").format(note=tool.performance_note.get()))
    return lines


class OutputView(QWidget):
    """The frame of every renderer: header, tool information, truth banner, then ``body``."""

    # True when the view can show the tool's input without the AI's reading (a film, a
    # signal, measured values) for the doctor's own read; otherwise the own read shows
    # no output at all, so nothing of the AI's answer leaks before it is recorded.
    shows_raw_input = False

    def __init__(self, output: OutputBase, prefix: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{prefix}View")
        self.output = output
        self.truth_case: Case | None = None
        self.ai_hidden = False

        self.label_text = named(QLabel(), f"{prefix}Label")
        self.label_text.setWordWrap(True)
        self.label_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.label_text.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.label_text.setFont(font)
        self.simulated_badge = named(QLabel(), f"{prefix}SimulatedBadge")
        self.simulated_badge.setStyleSheet(BADGE_STYLE)
        self.info_button = named(QToolButton(), f"{prefix}InfoButton")
        self.info_button.setCheckable(True)
        self.info_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.info_panel = named(QLabel(), f"{prefix}InfoPanel")
        self.info_panel.setWordWrap(True)
        self.info_panel.setStyleSheet(PANEL_STYLE)
        self.info_panel.setVisible(False)
        self.truth_banner = named(QLabel(), f"{prefix}TruthBanner")
        self.truth_banner.setWordWrap(True)
        self.truth_banner.setTextFormat(Qt.TextFormat.RichText)
        self.truth_banner.setVisible(False)

        header = QHBoxLayout()
        header.addWidget(self.label_text, 1)
        header.addWidget(self.simulated_badge, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.info_button, 0, Qt.AlignmentFlag.AlignTop)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.truth_banner)
        layout.addWidget(self.info_panel)
        layout.addLayout(self.body, 1)
        self.info_button.toggled.connect(self.info_panel.setVisible)

    # -- to implement ---------------------------------------------------------------------
    def header_text(self) -> str:
        """The AI's headline result (label, score) for the header."""
        return ""

    def retranslate_body(self) -> None:
        """Set the translated strings of the renderer's own widgets."""

    def show_truth_body(self, case: Case) -> None:
        """Mark on the output what the AI got wrong, where the model carries the truth."""

    def hide_ai_body(self, hidden: bool) -> None:
        """Hide or show the renderer's own AI marks (raw-input kinds implement this)."""

    def set_ai_hidden(self, hidden: bool) -> None:
        """Show the input alone (for the doctor's own read), or with the AI's output."""
        self.ai_hidden = hidden
        self.hide_ai_body(hidden)
        self.retranslate()

    # -- shared -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Set every translated string again (after a language switch)."""
        self.simulated_badge.setText(_("Simulated AI output"))
        self.info_button.setText(_("Tool information"))
        self.info_button.setToolTip(_("What the tool is for and how well it performs"))
        self.info_panel.setText("\n".join(tool_info_lines(self.output.tool)))
        self.label_text.setText(
            _("The AI's reading is hidden until you record your own impression.")
            if self.ai_hidden
            else self.header_text()
        )
        self.retranslate_body()
        if self.truth_case is not None:
            self._fill_truth_banner(self.truth_case)
            self.show_truth_body(self.truth_case)

    def show_truth(self, case: Case) -> None:
        """After the decision (practice mode): say whether the AI was right, and mark why."""
        self.truth_case = case
        self._fill_truth_banner(case)
        self.truth_banner.setVisible(True)
        self.show_truth_body(case)

    def _fill_truth_banner(self, case: Case) -> None:
        fill_truth_banner(self.truth_banner, case)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def fill_truth_banner(banner: QLabel, case: Case) -> None:
    """Whether the AI was right, how it erred, and why (shown after the decision)."""
    right = case.ai_error == AIError.NONE
    verdict = _("The AI was right.") if right else _("The AI was wrong.")
    kind = "" if right else _(AI_ERROR_LABELS[case.ai_error])
    banner.setStyleSheet(TRUTH_RIGHT_STYLE if right else TRUTH_WRONG_STYLE)
    banner.setText(
        f"<b>{escape(verdict)}</b> {escape(kind)}<br>{escape(case.feedback.ai_assessment.get())}"
    )
