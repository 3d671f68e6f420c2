"""Exam results: scores, domain breakdown, reliance profile, critical errors, pass/fail.

Computed from a submitted ``ExamState`` (see ``exam.py``), the cases and the blueprint.
An unanswered case scores 0. With ``scoring: cbm`` the exam score is the
certainty-based mark (``calibration.cbm_score``) with each decision's certainty derived
from its stated confidence; otherwise it is the mean case score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessments.blueprints import Blueprint
from assessments.calibration import brier_score, cbm_score, certainty_from_confidence
from assessments.exam import ExamState
from assessments.reliance import RelianceProfile, RelianceRecord, profile
from assessments.scoring import Answers, CaseScore, score_case
from case_bank.models import Case
from xiangyi.i18n import N_

BELOW_CUT_SCORE = "below_cut_score"
CRITICAL_ERROR = "critical_error"
DOMAIN_BELOW_MINIMUM = "domain_below_minimum"
NOT_SUBMITTED = "not_submitted"
FAIL_REASON_LABELS = {
    BELOW_CUT_SCORE: N_("The score is below the pass mark"),
    CRITICAL_ERROR: N_("A critical (unsafe) error was made"),
    DOMAIN_BELOW_MINIMUM: N_("A domain is below its minimum"),
    NOT_SUBMITTED: N_("The exam was not submitted"),
}


@dataclass(frozen=True)
class ExamResult:
    attempt_id: str
    blueprint_id: str
    score: float  # 0-1, the figure the cut score applies to
    mean_case_score: float
    case_scores: Mapping[str, CaseScore | None]  # None: not answered
    domain_scores: Mapping[str, float]
    critical_errors: tuple[str, ...]
    reliance: RelianceProfile
    brier: float | None
    passed: bool
    fail_reasons: tuple[str, ...]  # codes; FAIL_REASON_LABELS translates them
    failed_domains: tuple[str, ...]
    active_seconds: float


def _domain_scores(cases: list[Case], totals: Mapping[str, float]) -> dict[str, float]:
    sums: dict[str, list[float]] = {}
    for case in cases:
        for domain in case.domains:
            sums.setdefault(str(domain), []).append(totals[case.id])
    return {d: sum(v) / len(v) for d, v in sorted(sums.items())}


def _pass_decision(
    blueprint: Blueprint, score: float, critical: tuple[str, ...], domains: Mapping[str, float]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    rule = blueprint.pass_rule
    reasons = []
    if score < rule.cut_score:
        reasons.append(BELOW_CUT_SCORE)
    if rule.no_critical_error and critical:
        reasons.append(CRITICAL_ERROR)
    failed = tuple(d for d, s in domains.items() if s < rule.min_per_domain)
    if failed:
        reasons.append(DOMAIN_BELOW_MINIMUM)
    return tuple(reasons), failed


def exam_result(state: ExamState, cases: Mapping[str, Case], blueprint: Blueprint) -> ExamResult:
    """Score every case of the exam and apply the blueprint's pass rule."""
    exam_cases = [cases[c] for c in state.case_ids]
    scores: dict[str, CaseScore | None] = {}
    parsed: dict[str, Answers] = {}
    for case in exam_cases:
        raw = state.answers.get(case.id)
        if raw is None:
            scores[case.id] = None
            continue
        parsed[case.id] = Answers.from_dict(dict(raw))
        scores[case.id] = score_case(case, parsed[case.id])
    totals = {c: (s.total if s else 0.0) for c, s in scores.items()}
    answered = [(cases[c], s) for c, s in scores.items() if s is not None]
    mean_score = sum(totals.values()) / len(totals)
    score = mean_score
    if blueprint.scoring == "cbm":
        certainties = [certainty_from_confidence(parsed[c].confidence) for c in parsed]
        outcomes = [bool(s and s.correct) for c, s in scores.items() if c in parsed]
        cbm = cbm_score(certainties, outcomes) or 0.0
        score = cbm * len(parsed) / len(totals)  # unanswered cases earn 0
    critical = tuple(c for c, s in scores.items() if s is not None and s.critical_error)
    domains = _domain_scores(exam_cases, totals)
    reasons, failed = _pass_decision(blueprint, score, critical, domains)
    if not state.submitted:
        reasons = (NOT_SUBMITTED, *reasons)
    return ExamResult(
        attempt_id=state.attempt_id,
        blueprint_id=state.blueprint_id,
        score=round(score, 4),
        mean_case_score=round(mean_score, 4),
        case_scores=scores,
        domain_scores=domains,
        critical_errors=critical,
        reliance=profile([RelianceRecord.from_score(c, s) for c, s in answered]),
        brier=brier_score([parsed[c].confidence for c in parsed], [s.correct for _, s in answered]),
        passed=not reasons,
        fail_reasons=reasons,
        failed_domains=failed,
        active_seconds=state.active_seconds,
    )
