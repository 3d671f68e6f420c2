"""A doctor's competency picture from the stored records: mastery per domain with the
evidence behind it, reliance profile and calibration (practice and exams)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from assessments.calibration import CalibrationBin, brier_score, calibration_table
from assessments.framework import builtin_framework
from assessments.mastery import EXAM, PRACTICE, DomainMastery, Evidence, estimate
from assessments.reliance import RelianceProfile, RelianceRecord, profile
from assessments.scoring import CaseScore
from case_bank.models import Case
from records.db import Database
from records.tables import Attempt, ExamAttempt


@dataclass(frozen=True)
class CompetencyPicture:
    mastery: dict[str, DomainMastery]
    reliance: RelianceProfile
    brier: float | None
    calibration: list[CalibrationBin]
    practice_cases: int
    exam_cases: int


def _iso(moment: object) -> str:
    return moment.isoformat() if hasattr(moment, "isoformat") else ""


def evidence(db: Database, user_id: str, cases: Mapping[str, Case]) -> list[Evidence]:
    """Every scored case of ``user_id`` as evidence per domain, oldest first."""
    items: list[tuple[str, Evidence]] = []
    with db.session() as session:
        for attempt in session.scalars(
            select(Attempt).where(Attempt.user_id == user_id, Attempt.status == "completed")
        ):
            case = cases.get(attempt.case_id)
            if case is None or attempt.score is None:
                continue
            at = _iso(attempt.completed_at)
            for domain in case.domains:
                items.append(
                    (
                        at,
                        Evidence(
                            str(domain),
                            case.id,
                            float(attempt.score["total"]),
                            PRACTICE,
                            bool(attempt.score["critical_error"]),
                            at,
                        ),
                    )
                )
        for exam in session.scalars(
            select(ExamAttempt).where(
                ExamAttempt.user_id == user_id, ExamAttempt.passed.is_not(None)
            )
        ):
            result = exam.result or {}
            critical = set(result.get("critical_errors", []))
            at = _iso(exam.submitted_at)
            for case_id, total in result.get("case_totals", {}).items():
                case = cases.get(case_id)
                if case is None:
                    continue
                for domain in case.domains:
                    items.append(
                        (
                            at,
                            Evidence(
                                str(domain),
                                case_id,
                                float(total or 0.0),
                                EXAM,
                                case_id in critical,
                                at,
                            ),
                        )
                    )
    return [item for _at, item in sorted(items, key=lambda pair: pair[0])]


def picture(db: Database, user_id: str, cases: Mapping[str, Case]) -> CompetencyPicture:
    """Mastery (exam evidence weighs more than practice), reliance and calibration."""
    found = evidence(db, user_id, cases)
    records, confidences, outcomes = [], [], []
    with db.session() as session:
        attempts = list(
            session.scalars(
                select(Attempt).where(Attempt.user_id == user_id, Attempt.status == "completed")
            )
        )
    for attempt in attempts:
        case = cases.get(attempt.case_id)
        if case is None or attempt.score is None:
            continue
        score = CaseScore(**attempt.score)
        records.append(RelianceRecord.from_score(case, score))
        confidences.append(float(attempt.answers["decision"]["confidence"]))
        outcomes.append(score.correct)
    exams = {e.case_id for e in found if e.source == EXAM}
    return CompetencyPicture(
        mastery=estimate(found, builtin_framework()),
        reliance=profile(records),
        brier=brier_score(confidences, outcomes),
        calibration=calibration_table(confidences, outcomes),
        practice_cases=len(records),
        exam_cases=len(exams),
    )
