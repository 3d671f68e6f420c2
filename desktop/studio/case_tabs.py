"""What each tab of the case editor holds: labelled fields bound to the case's paths."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from case_bank.vocabulary import (
    AI_ERROR_LABELS,
    DOMAIN_LABELS,
    LIMITATION_LABELS,
    RELIANCE_LABELS,
    AIKind,
)
from desktop.studio.forms import (
    BilingualField,
    BoolField,
    ChecksField,
    ChoiceField,
    CreditsField,
    Field,
    TableField,
    TextField,
)
from xiangyi.i18n import N_

Row = tuple[str, Callable[[], Field]]
TEXT = {"zh_CN": "", "en": ""}
KIND_LABELS = {
    AIKind.ECG: N_("ECG"),
    AIKind.IMAGE: N_("Image (X-ray, fundus, fracture)"),
    AIKind.RISK: N_("Risk score"),
    AIKind.TREND: N_("Trend and forecast"),
    AIKind.TRIAGE: N_("Triage"),
    AIKind.PRESCRIPTION: N_("Prescription review"),
    AIKind.LLM: N_("AI assistant conversation"),
    AIKind.REPORT: N_("Structured report"),
}
DIFFICULTY = [(1, N_("1 easy")), (2, N_("2 medium")), (3, N_("3 hard"))]


class OwnReadToggle(BoolField):
    """Whether the case asks for the doctor's own read before the AI output."""

    def fill(self, value: Any) -> None:
        self.box.setChecked(value is not None)

    def value(self) -> Any:
        if not self.box.isChecked():
            return None
        return {"required": True, "prompt": dict(TEXT)}


def _options(path: tuple[str, ...], name: str, prefix: str) -> Field:
    columns = [
        (("id",), N_("ID"), "text"),
        (("text", "zh_CN"), N_("Chinese"), "text"),
        (("text", "en"), N_("English"), "text"),
    ]
    return TableField(path, name, columns, template={"id": prefix, "text": dict(TEXT)})


def _bilingual_list(path: tuple[str, ...], name: str) -> Field:
    columns = [(("zh_CN",), N_("Chinese"), "text"), (("en",), N_("English"), "text")]
    return TableField(path, name, columns, template=dict(TEXT))


OVERVIEW: list[Row] = [
    (N_("Case ID"), lambda: TextField(("id",), "case_id")),
    (N_("Version"), lambda: TextField(("version",), "case_version", numeric=True)),
    (N_("Title"), lambda: BilingualField(("title",), "case_title")),
    (
        N_("Competency domains"),
        lambda: ChecksField(("domains",), "case_domains", list(DOMAIN_LABELS.items())),
    ),
    (N_("AI kind"), lambda: ChoiceField(("ai_kind",), "case_ai_kind", list(KIND_LABELS.items()))),
    (
        N_("AI error"),
        lambda: ChoiceField(("ai_error",), "case_ai_error", list(AI_ERROR_LABELS.items())),
    ),
    (N_("Difficulty"), lambda: ChoiceField(("difficulty",), "case_difficulty", DIFFICULTY)),  # type: ignore[arg-type]
    (N_("Simulated patient and data"), lambda: BoolField(("simulated",), "case_simulated")),
    (
        N_("Sources"),
        lambda: TableField(
            ("sources",),
            "case_sources",
            [(("citation",), N_("Citation"), "text"), (("year",), N_("Year"), "number")],
            template={"citation": ""},
        ),
    ),
    (N_("Author"), lambda: TextField(("author",), "case_author")),
    (N_("Licence"), lambda: TextField(("licence",), "case_licence")),
    (N_("Reviewed by"), lambda: TextField(("review", "reviewer"), "review_reviewer")),
    (N_("Review date (YYYY-MM-DD)"), lambda: TextField(("review", "date"), "review_date")),
    (
        N_("Review result"),
        lambda: ChoiceField(
            ("review", "status"),
            "review_status",
            [("approved", N_("Approved")), ("corrected", N_("Corrected"))],
        ),
    ),
    (N_("Review notes"), lambda: TextField(("review", "notes"), "review_notes")),
]
PRESENTATION: list[Row] = [
    (
        N_("Age (years)"),
        lambda: TextField(("presentation", "age_years"), "age_years", numeric=True),
    ),
    (
        N_("Sex"),
        lambda: ChoiceField(
            ("presentation", "sex"), "sex", [("female", N_("Female")), ("male", N_("Male"))]
        ),
    ),
    (N_("Setting"), lambda: BilingualField(("presentation", "setting"), "setting")),
    (N_("Complaint"), lambda: BilingualField(("presentation", "complaint"), "complaint")),
    (N_("History"), lambda: BilingualField(("presentation", "history"), "history", multiline=True)),
    (
        N_("Vital signs"),
        lambda: TableField(
            ("presentation", "vitals"),
            "vitals",
            [
                (("label", "zh_CN"), N_("Chinese"), "text"),
                (("label", "en"), N_("English"), "text"),
                (("value",), N_("Value"), "text"),
            ],
            template={"label": dict(TEXT), "value": ""},
        ),
    ),
]
OWN_READ: list[Row] = [
    (
        N_("Ask for the doctor's own read first"),
        lambda: OwnReadToggle(("own_read",), "own_read_on"),
    ),
    (N_("Own read required"), lambda: BoolField(("own_read", "required"), "own_read_required")),
    (
        N_("Prompt"),
        lambda: BilingualField(("own_read", "prompt"), "own_read_prompt", multiline=True),
    ),
]
DECISION: list[Row] = [
    (
        N_("Interpretations"),
        lambda: _options(("decision", "interpretations"), "interpretations", "new_interpretation"),
    ),
    (N_("Next actions"), lambda: _options(("decision", "actions"), "actions", "new_action")),
    (
        N_("Limitation flags offered"),
        lambda: ChecksField(
            ("decision", "limitations"), "offered_limitations", list(LIMITATION_LABELS.items())
        ),
    ),
]
FEEDBACK: list[Row] = [
    (N_("The truth"), lambda: BilingualField(("feedback", "truth"), "truth", multiline=True)),
    (
        N_("Whether and why the AI was right"),
        lambda: BilingualField(("feedback", "ai_assessment"), "ai_assessment", multiline=True),
    ),
    (
        N_("Teaching points"),
        lambda: _bilingual_list(("feedback", "teaching_points"), "teaching_points"),
    ),
]
KEY: list[Row] = [
    (
        N_("Credit per interpretation"),
        lambda: CreditsField(("key", "interpretation"), "key_credits"),
    ),
    (N_("Ideal actions"), lambda: ChecksField(("key", "ideal_actions"), "key_ideal")),
    (
        N_("Acceptable actions"),
        lambda: ChecksField(("key", "acceptable_actions"), "key_acceptable"),
    ),
    (
        N_("Critical (unsafe) actions"),
        lambda: ChecksField(("key", "critical_actions"), "key_critical"),
    ),
    (
        N_("Expected reliance"),
        lambda: ChoiceField(
            ("key", "expected_reliance"), "key_reliance", list(RELIANCE_LABELS.items())
        ),
    ),
    (
        N_("Limitation flags that count"),
        lambda: ChecksField(
            ("key", "limitations"), "key_limitations", list(LIMITATION_LABELS.items())
        ),
    ),
]
TABS: list[tuple[str, str, list[Row]]] = [
    ("overview", N_("Overview"), OVERVIEW),
    ("presentation", N_("Presentation"), PRESENTATION),
    ("own_read", N_("Own read"), OWN_READ),
    ("decision", N_("Decision options"), DECISION),
    ("feedback", N_("Feedback"), FEEDBACK),
    ("key", N_("Scoring key"), KEY),
]


def build_tab(key: str, rows: list[Row]) -> tuple[QWidget, list[Field], list[tuple[QLabel, str]]]:
    """The tab page of ``rows``, its fields and its labels (re-labelled on a switch)."""
    page = QWidget(objectName=f"tab_{key}")
    form = QFormLayout(page)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    fields, labels = [], []
    for msgid, make in rows:
        field = make()
        label = QLabel()
        label.setWordWrap(True)
        label.setBuddy(field.focus_target())
        form.addRow(label, field)
        fields.append(field)
        labels.append((label, msgid))
    return page, fields, labels
