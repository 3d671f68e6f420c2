"""The export columns, defined once: XLSX, CSV, the report screen and docs/records.md
all read these tuples. A column has a key, a Chinese and an English header, a type
(how a number is stored and formatted), a width in characters and a getter that gives
the cell value for a row in a language ("zh_CN" or "en")."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from assessments.framework import builtin_framework
from records.institutions import LEVEL_LABELS
from records.reports.record import CompetencyRecord
from records.reports.summary import DomainRow, InstitutionSummary, KindRow
from xiangyi.i18n import N_, translate_to

Row = TypeVar("Row")
TEXT, INT, FLOAT, PERCENT, HOURS, DATE = "text", "int", "float", "percent", "hours", "date"
NUMERIC = (INT, FLOAT, PERCENT, HOURS)
# Excel number formats per type (percent values are stored as fractions, 0.84 = 84%).
# Whole numbers keep Excel's General format, which shows them as they are.
NUMBER_FORMATS = {FLOAT: "0.000", PERCENT: "0.0%", HOURS: "0.0", DATE: "yyyy-mm-dd"}

PASSED, FAILED = N_("Passed"), N_("Not passed")
CERTIFICATE_STATUS = {
    "pending": N_("Waiting for signature"),
    "valid": N_("Valid"),
    "expired": N_("Expired"),
    "replaced": N_("Replaced by a newer one"),
    "revoked": N_("Revoked"),
}
# The AI kinds as reports name them (bilingual like content, not UI text).
AI_KIND_NAMES = {
    "ecg": ("心电图 AI", "ECG AI"),
    "image": ("影像 AI", "Imaging AI"),
    "risk": ("风险评估 AI", "Risk assessment AI"),
    "trend": ("慢病随访趋势 AI", "Chronic-disease trend AI"),
    "triage": ("分诊 AI", "Triage AI"),
    "prescription": ("处方审核 AI", "Prescription review AI"),
    "llm": ("大语言模型助手", "LLM assistant"),
    "report": ("结构化报告 AI", "Structured report AI"),
}


@dataclass(frozen=True)
class ColumnSpec(Generic[Row]):
    key: str
    zh: str
    en: str
    type: str  # text, int, float, percent, hours or date
    width: int  # characters
    get: Callable[[Row, str], Any]

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    @property
    def numeric(self) -> bool:
        return self.type in NUMERIC


def pick(lang: str, zh: str, en: str) -> str:
    """The text in ``lang``; Chinese when the English is missing."""
    return en if lang == "en" and en else zh


def institution_level(level: str, lang: str) -> str:
    label = LEVEL_LABELS.get(level)  # type: ignore[call-overload]
    return translate_to(lang, label) if label else ""


def level_name(level_id: str, lang: str) -> str:
    name = builtin_framework().level(level_id).name
    return pick(lang, name.zh_CN, name.en)


def ai_kind_name(kind: str, lang: str) -> str:
    zh, en = AI_KIND_NAMES.get(kind, (kind, kind))
    return pick(lang, zh, en)


def _exam_text(r: CompetencyRecord, lang: str) -> str:
    parts = []
    for e in r.exams:
        title, result = pick(lang, e.title_zh, e.title_en), translate_to(lang, _result(e.passed))
        parts.append(f"{title} {e.submitted_at.date().isoformat()} {e.score * 100:.0f}% {result}")
    return "; ".join(parts)


def _result(passed: bool) -> str:
    return PASSED if passed else FAILED


def _certificate_text(r: CompetencyRecord, lang: str) -> str:
    return "; ".join(
        f"{c.code} {translate_to(lang, CERTIFICATE_STATUS.get(c.status, c.status))} "
        f"{c.valid_until.isoformat()}"
        for c in r.certificates
    )


def _last_exam_result(r: CompetencyRecord, lang: str) -> str:
    if r.last_exam is None:
        return ""
    return translate_to(lang, PASSED if r.last_exam.passed else FAILED)


NO_EVIDENCE = N_("No evidence yet")


def _domain_column(domain: str, zh: str, en: str) -> ColumnSpec[CompetencyRecord]:
    return ColumnSpec(
        f"level_{domain}",
        zh,
        en,
        TEXT,
        14,
        lambda r, lang: (
            level_name(r.domains[domain].level, lang)
            if r.domains[domain].evidence
            else translate_to(lang, NO_EVIDENCE)
        ),
    )


def _named(row: Any, lang: str) -> str:
    """The institution name of a summary, AI-kind or domain row."""
    return pick(lang, row.name_zh, row.name_en)


_FRAMEWORK = builtin_framework()
C = ColumnSpec
DOCTOR_COLUMNS: tuple[ColumnSpec[CompetencyRecord], ...] = (
    C("name", "姓名", "Name", TEXT, 10, lambda r, _l: r.name),
    C("username", "用户名", "User name", TEXT, 14, lambda r, _l: r.username),
    C("practising_number", "执业证书编号", "Practising certificate no.", TEXT, 20,
      lambda r, _l: r.practising_number),
    C("institution", "机构", "Institution", TEXT, 24,
      lambda r, lang: pick(lang, r.institution_zh, r.institution_en)),
    C("institution_level", "机构级别", "Institution level", TEXT, 10,
      lambda r, lang: institution_level(r.institution_level, lang)),
    C("department", "科室", "Department", TEXT, 12, lambda r, _l: r.department),
    C("title", "职称", "Title", TEXT, 12, lambda r, _l: r.title),
    C("study_hours", "学习学时（累计）", "Study hours (total)", HOURS, 12,
      lambda r, _l: round(r.study_hours, 2)),
    C("study_hours_year", "学习学时（本年度）", "Study hours (this year)", HOURS, 12,
      lambda r, _l: round(r.study_hours_this_year, 2)),
    C("modules_completed", "已完成模块数", "Modules completed", INT, 10,
      lambda r, _l: len(r.modules_completed)),
    C("modules_completed_list", "已完成模块", "Completed modules", TEXT, 40,
      lambda r, lang: "; ".join(pick(lang, m.title_zh, m.title_en) for m in r.modules_completed)),
    C("exams_taken", "参加考试次数", "Exams taken", INT, 10, lambda r, _l: len(r.exams)),
    C("exams_passed", "通过考试次数", "Exams passed", INT, 10,
      lambda r, _l: sum(e.passed for e in r.exams)),
    C("last_exam_date", "最近考试日期", "Last exam date", DATE, 12,
      lambda r, _l: r.last_exam.submitted_at.date() if r.last_exam else None),
    C("last_exam_score", "最近考试成绩", "Last exam score", PERCENT, 10,
      lambda r, _l: r.last_exam.score if r.last_exam else None),
    C("last_exam_result", "最近考试结果", "Last exam result", TEXT, 10, _last_exam_result),
    C("exams", "考试记录", "Exams", TEXT, 48, _exam_text),
    *(_domain_column(str(d.id), d.title.zh_CN, d.title.en) for d in _FRAMEWORK.domains),
    C("cases_decided", "判读病例数", "Cases decided", INT, 10, lambda r, _l: r.reliance.cases),
    C("appropriate_rate", "恰当依赖率", "Appropriate reliance", PERCENT, 10,
      lambda r, _l: r.reliance.appropriate_rate),
    C("over_reliance_rate", "过度依赖率", "Over-reliance rate", PERCENT, 10,
      lambda r, _l: r.reliance.over_reliance_rate),
    C("under_reliance_rate", "依赖不足率", "Under-reliance rate", PERCENT, 10,
      lambda r, _l: r.reliance.under_reliance_rate),
    C("switch_fraction", "看 AI 后改变判断比例", "Changed own read after AI", PERCENT, 12,
      lambda r, _l: r.reliance.switch_fraction),
    C("team_accuracy", "最终判断准确率", "Final decision accuracy", PERCENT, 10,
      lambda r, _l: r.reliance.team_accuracy),
    C("brier", "校准（Brier 分数）", "Calibration (Brier score)", FLOAT, 10,
      lambda r, _l: r.brier),
    C("critical_errors", "危急错误数", "Critical errors", INT, 10,
      lambda r, _l: r.critical_errors),
    C("certificates_valid", "有效证书数", "Valid certificates", INT, 10,
      lambda r, _l: len(r.valid_certificates)),
    C("certificates", "证书（核验码 状态 有效期至）", "Certificates (code, status, valid until)",
      TEXT, 40, _certificate_text),
)  # fmt: skip


def _summary_domain(domain: str, zh: str, en: str) -> ColumnSpec[InstitutionSummary]:
    return ColumnSpec(
        f"level_mean_{domain}", f"{zh}（平均等级）", f"{en} (mean level)", FLOAT, 12,
        lambda s, _l: s.domain_rank_mean.get(domain),
    )  # fmt: skip


S = ColumnSpec
INSTITUTION_COLUMNS: tuple[ColumnSpec[InstitutionSummary], ...] = (
    S("institution", "机构", "Institution", TEXT, 24, _named),
    S("institution_level", "机构级别", "Institution level", TEXT, 10,
      lambda s, lang: institution_level(s.level, lang)),
    S("doctors", "学员人数", "Doctors", INT, 8, lambda s, _l: s.doctors),
    S("study_hours_mean", "人均学习学时", "Mean study hours", HOURS, 10,
      lambda s, _l: s.study_hours_mean),
    S("modules_completed_mean", "人均完成模块数", "Mean modules completed", FLOAT, 10,
      lambda s, _l: s.modules_completed_mean),
    S("sat_certification", "参加认证考试人数", "Sat the certification exam", INT, 10,
      lambda s, _l: s.sat_certification),
    S("passed_certification", "通过认证考试人数", "Passed the certification exam", INT, 10,
      lambda s, _l: s.passed_certification),
    S("pass_rate", "认证考试通过率", "Certification pass rate", PERCENT, 10,
      lambda s, _l: s.pass_rate),
    S("certified", "持有效证书人数", "Holding a valid certificate", INT, 10,
      lambda s, _l: s.certified),
    *(_summary_domain(str(d.id), d.title.zh_CN, d.title.en) for d in _FRAMEWORK.domains),
    S("cases", "判读病例数", "Cases decided", INT, 10, lambda s, _l: s.overall.tally.cases),
    S("over_reliance_rate", "过度依赖率", "Over-reliance rate", PERCENT, 10,
      lambda s, _l: s.overall.over_reliance_rate),
    S("critical_error_rate", "危急错误率", "Critical-error rate", PERCENT, 10,
      lambda s, _l: s.overall.critical_error_rate),
    S("critical_errors", "危急错误数（含考试）", "Critical errors (with exams)", INT, 10,
      lambda s, _l: s.critical_errors),
)  # fmt: skip

K = ColumnSpec
AI_KIND_COLUMNS: tuple[ColumnSpec[KindRow], ...] = (
    K("institution", "机构", "Institution", TEXT, 24, _named),
    K("ai_kind", "AI 类别", "AI kind", TEXT, 16,
      lambda k, lang: ai_kind_name(k.rates.ai_kind, lang)),
    K("cases", "判读病例数", "Cases decided", INT, 10, lambda k, _l: k.rates.tally.cases),
    K("ai_wrong_cases", "AI 出错病例数", "Cases with a wrong AI", INT, 10,
      lambda k, _l: k.rates.tally.ai_wrong),
    K("over_reliance_rate", "过度依赖率", "Over-reliance rate", PERCENT, 10,
      lambda k, _l: k.rates.over_reliance_rate),
    K("under_reliance_rate", "依赖不足率", "Under-reliance rate", PERCENT, 10,
      lambda k, _l: k.rates.under_reliance_rate),
    K("critical_error_rate", "危急错误率", "Critical-error rate", PERCENT, 10,
      lambda k, _l: k.rates.critical_error_rate),
)  # fmt: skip


def _level_count(level_id: str, zh: str, en: str) -> ColumnSpec[DomainRow]:
    return ColumnSpec(
        f"doctors_{level_id}", f"{zh}人数", f"Doctors {en.lower()}", INT, 10,
        lambda d, _l: d.by_level.get(level_id, 0),
    )  # fmt: skip


def _domain_title(domain: str, lang: str) -> str:
    title = _FRAMEWORK.domain(domain).title
    return pick(lang, title.zh_CN, title.en)


D = ColumnSpec
DOMAIN_COLUMNS: tuple[ColumnSpec[DomainRow], ...] = (
    D("institution", "机构", "Institution", TEXT, 24, _named),
    D("domain", "能力领域", "Competency domain", TEXT, 28,
      lambda d, lang: _domain_title(d.domain, lang)),
    D("doctors", "学员人数", "Doctors", INT, 8, lambda d, _l: d.doctors),
    D("mastery_mean", "平均掌握度", "Mean mastery", PERCENT, 10, lambda d, _l: d.mastery_mean),
    D("level_mean", "平均等级（0–3）", "Mean level (0–3)", FLOAT, 10, lambda d, _l: d.rank_mean),
    *(_level_count(lv.id, lv.name.zh_CN, lv.name.en) for lv in _FRAMEWORK.levels),
    D("doctors_unassessed", "尚无数据人数", "Doctors with no evidence yet", INT, 10,
      lambda d, _l: d.unassessed),
)  # fmt: skip


def cell(spec: ColumnSpec[Row], row: Row, lang: str) -> Any:
    """The stored value: numbers as numbers, dates as dates, None for no value."""
    value = spec.get(row, lang)
    if spec.numeric and value is not None:
        return int(value) if spec.type == INT else float(value)
    return value


def values(columns: Sequence[ColumnSpec[Row]], row: Row, lang: str) -> list[Any]:
    return [cell(spec, row, lang) for spec in columns]


def display(spec: ColumnSpec[Row], row: Row, lang: str) -> str:
    """The text the report screen shows for a cell (agrees with the export's format)."""
    value = cell(spec, row, lang)
    if value is None:
        return "—" if spec.numeric or spec.type == DATE else ""
    if spec.type == PERCENT:
        return f"{value * 100:.1f}%"
    if spec.type in (HOURS,):
        return f"{value:.1f}"
    if spec.type == FLOAT:
        return f"{value:.3f}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def headers(columns: Sequence[ColumnSpec[Any]], lang: str) -> list[str]:
    return [spec.header(lang) for spec in columns]


def display_rows(
    columns: Sequence[ColumnSpec[Row]], rows: Sequence[Row], lang: str
) -> list[list[str]]:
    """What a table on the report screen shows: the exported values, formatted as the
    export's number formats show them."""
    return [[display(spec, row, lang) for spec in columns] for row in rows]


TYPE_NOTES = {
    TEXT: "text",
    INT: "whole number",
    FLOAT: "number",
    PERCENT: "fraction 0–1, shown as %",
    HOURS: "hours, one decimal shown",
    DATE: "date",
}
SHEET_COLUMNS: tuple[tuple[str, tuple[ColumnSpec[Any], ...]], ...] = (
    ("doctors", DOCTOR_COLUMNS),
    ("institutions", INSTITUTION_COLUMNS),
    ("ai_kinds", AI_KIND_COLUMNS),
    ("domains", DOMAIN_COLUMNS),
)


def markdown_table(columns: Sequence[ColumnSpec[Any]]) -> str:
    """The columns as a Markdown table (docs/records.md is checked against this)."""
    lines = [
        "| key | 中文表头 | English header | type | width |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| `{c.key}` | {c.zh} | {c.en} | {TYPE_NOTES[c.type]} | {c.width} |" for c in columns
    ]
    return "\n".join(lines)
