"""Pure functions from one doctor's stored rows (``gather.Rows``) to the parts of a
competency record, using the same models the single-doctor screens use:

- study time: ``courses.study_time.study_totals`` over the entries ``records.history.
  study_time`` builds (lesson reading, every case's stage time, active exam time);
- module states: ``courses.progress.module_states`` over the ``ModuleRecord`` that
  ``records.learning.module_record`` builds;
- domain levels: the evidence of ``records.competency.evidence`` (practice and exam
  cases, oldest first) and the Beta posterior and level rules of
  ``assessments.mastery``;
- reliance: ``assessments.reliance.profile`` and the Brier score, as in
  ``records.competency.picture``.

The tests check that these agree with those per-doctor functions on the same database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from assessments.calibration import brier_score
from assessments.framework import Framework
from assessments.mastery import (
    CREDIBLE_MASS,
    EXAM,
    PRACTICE,
    DomainMastery,
    Evidence,
    level_for,
    posteriors,
    regularized_beta,
)
from assessments.reliance import RelianceProfile, RelianceRecord, profile
from assessments.scoring import CaseScore
from case_bank.models import Case
from courses import progress
from courses.models import Module
from courses.progress import ModuleRecord, ModuleState
from courses.study_time import StudyTotals, study_totals
from records.reports.gather import Rows


@dataclass(frozen=True)
class DomainLevel:
    """A doctor's level in one competency domain and the evidence behind it."""

    domain: str
    level: str  # a framework level id
    rank: int  # 0 (not yet competent) … 3 (proficient)
    mastery: float  # posterior mean in [0, 1]
    evidence: int
    exam_evidence: int


@dataclass(frozen=True)
class KindTally:
    """Counts per AI kind that institution rates are summed from."""

    cases: int = 0
    ai_wrong: int = 0
    over_reliance: int = 0
    ai_right: int = 0
    under_reliance: int = 0
    critical_errors: int = 0

    def __add__(self, other: KindTally) -> KindTally:
        return KindTally(
            self.cases + other.cases,
            self.ai_wrong + other.ai_wrong,
            self.over_reliance + other.over_reliance,
            self.ai_right + other.ai_right,
            self.under_reliance + other.under_reliance,
            self.critical_errors + other.critical_errors,
        )


def study(rows: Rows) -> StudyTotals:
    """Study time as ``records.history.study_time`` counts it."""
    entries: list[tuple[str, datetime | None, float]] = []
    entries += [("lesson", r.updated_at, r.active_seconds) for r in rows.lessons]
    entries += [("case", c.completed_at or c.updated_at, c.seconds) for c in rows.cases]
    entries += [
        ("exam", e.submitted_at or e.started_at, float(e.result.get("active_seconds", 0.0)))
        for e in rows.exams
    ]
    return study_totals(entries)


def _first_pass(rows: Rows, blueprint_id: str | None) -> datetime | None:
    if blueprint_id is None:
        return None
    passes = [
        e.submitted_at
        for e in rows.exams
        if e.blueprint_id == blueprint_id and e.passed and e.submitted_at is not None
    ]
    return min(passes) if passes else None


def module_record(rows: Rows, module: Module) -> ModuleRecord:
    """What ``records.learning.module_record`` reads, from rows already in memory."""
    lessons = {r.lesson_id: r for r in rows.lessons if r.module_id == module.id}
    attempts = [c for c in rows.cases if c.module_id == module.id and c.status == "completed"]
    free_practice = {
        c.case_id
        for c in rows.cases
        if c.module_id is None and c.status == "completed" and c.mode == "practice"
    }
    exams = [e for e in rows.exams if e.module_id == module.id]
    seconds = sum(r.active_seconds for r in lessons.values())
    seconds += sum(a.seconds for a in attempts)
    seconds += sum(float(e.result.get("active_seconds", 0.0)) for e in exams)
    moments = [r.completed_at for r in lessons.values()] + [a.completed_at for a in attempts]
    known = [m for m in moments if m is not None]
    return ModuleRecord(
        lessons_read=frozenset(k for k, r in lessons.items() if r.completed_at is not None),
        practice_done=frozenset(a.case_id for a in attempts if a.mode == "practice")
        | free_practice,
        check_passed_at=_first_pass(rows, module.check_blueprint),
        last_activity_at=max(known) if known else None,
        study_seconds=seconds,
    )


def module_states(
    rows: Rows, modules: Sequence[Module], practice_ids: Mapping[str, list[str]]
) -> dict[str, ModuleState]:
    """Every module's state (``records.learning.module_states``); a module the doctor
    never touched gets an empty record without searching the rows for it."""
    touched = {r.module_id for r in rows.lessons} | {c.module_id for c in rows.cases}
    touched |= {e.module_id for e in rows.exams} | {e.blueprint_id for e in rows.exams}
    records = {
        m.id: module_record(rows, m)
        if m.id in touched or (m.check_blueprint is not None and m.check_blueprint in touched)
        else ModuleRecord()
        for m in modules
    }
    return progress.module_states(list(modules), records, dict(practice_ids))


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def evidence(rows: Rows, cases: Mapping[str, Case]) -> list[Evidence]:
    """Practice and exam evidence per domain, oldest first (``competency.evidence``)."""
    items: list[tuple[str, Evidence]] = []
    for attempt in rows.cases:
        case = cases.get(attempt.case_id)
        if attempt.status != "completed" or case is None or attempt.score is None:
            continue
        at = _iso(attempt.completed_at)
        total, critical = float(attempt.score["total"]), bool(attempt.score["critical_error"])
        items += [
            (at, Evidence(str(d), case.id, total, PRACTICE, critical, at)) for d in case.domains
        ]
    for exam in rows.exams:
        if exam.passed is None:
            continue
        critical_ids = set(exam.result.get("critical_errors", []))
        at = _iso(exam.submitted_at)
        for case_id, total in exam.result.get("case_totals", {}).items():
            found = cases.get(case_id)
            if found is None:
                continue
            items += [
                (
                    at,
                    Evidence(
                        str(d), case_id, float(total or 0.0), EXAM, case_id in critical_ids, at
                    ),
                )
                for d in found.domains
            ]
    return [item for _at, item in sorted(items, key=lambda pair: pair[0])]


def _lower_floor(mastery: DomainMastery, framework: Framework) -> float:
    """The highest evidence-rule bound that the 90% interval's lower end reaches (0.0 if
    none). The rules only compare the lower end with these bounds, and the lower end is
    at least ``t`` exactly when the Beta distribution function at ``t`` is at most the
    lower tail: one incomplete-beta evaluation per bound instead of a quantile search
    (about 40), which is what makes 5,000 doctors fast."""
    tail = (1.0 - CREDIBLE_MASS) / 2.0
    bounds = sorted({lv.rule.min_lower_bound for lv in framework.levels if lv.rule.min_lower_bound})
    reached = 0.0
    for bound in bounds:
        if regularized_beta(bound, mastery.alpha, mastery.beta) > tail:
            break
        reached = bound
    return reached


def _interval_matters(mastery: DomainMastery, framework: Framework) -> bool:
    """Whether some level's rule with a lower-bound condition has its other, cheap
    conditions met (otherwise the credible interval cannot change the level)."""
    count, exams, mean = mastery.evidence_count, mastery.exam_count, mastery.mean
    return any(
        level.rule.min_lower_bound > 0
        and count >= level.rule.min_evidence
        and exams >= level.rule.min_exam_evidence
        and mean >= level.rule.min_mastery
        for level in framework.levels
    )


def _level(mastery: DomainMastery, framework: Framework) -> str:
    """The level ``assessments.mastery.estimate`` gives; the credible interval (the slow
    part) is looked at only when it can change the level, and then only at the bounds."""
    if not _interval_matters(mastery, framework):
        return level_for(replace(mastery, lower=0.0), framework)
    return level_for(replace(mastery, lower=_lower_floor(mastery, framework)), framework)


def domain_levels(found: Sequence[Evidence], framework: Framework) -> dict[str, DomainLevel]:
    """Every framework domain's level, as ``assessments.mastery.estimate`` decides it."""
    wanted = [str(d.id) for d in framework.domains]
    ranks = {level.id: level.rank for level in framework.levels}
    levels = {}
    for d, mastery in posteriors(found, wanted).items():
        level = _level(mastery, framework)
        levels[d] = DomainLevel(
            d, level, ranks[level], mastery.mean, mastery.evidence_count, mastery.exam_count
        )
    return levels


@dataclass(frozen=True)
class RelianceParts:
    profile: RelianceProfile
    brier: float | None
    by_ai_kind: dict[str, KindTally]
    practice_critical: int


def reliance(rows: Rows, cases: Mapping[str, Case]) -> RelianceParts:
    """Reliance profile, calibration and per-AI-kind counts from the decided cases."""
    records: list[RelianceRecord] = []
    confidences: list[float] = []
    outcomes: list[bool] = []
    counts: dict[str, list[int]] = {}  # cases, ai wrong, over, ai right, under, critical
    for attempt in rows.cases:
        case = cases.get(attempt.case_id)
        if attempt.status != "completed" or case is None or attempt.score is None:
            continue
        score = CaseScore(**attempt.score)
        record = RelianceRecord.from_score(case, score)
        records.append(record)
        if attempt.confidence is not None:
            confidences.append(attempt.confidence)
            outcomes.append(score.correct)
        tally = counts.setdefault(record.ai_kind, [0, 0, 0, 0, 0, 0])
        right = record.ai_correct
        tally[0] += 1
        tally[1 if not right else 3] += 1
        if record.followed_ai != right:  # followed a wrong AI, or overrode a right one
            tally[2 if not right else 4] += 1
        tally[5] += score.critical_error
    tallies = {kind: KindTally(*numbers) for kind, numbers in counts.items()}
    critical = sum(t.critical_errors for t in tallies.values())
    return RelianceParts(profile(records), brier_score(confidences, outcomes), tallies, critical)
