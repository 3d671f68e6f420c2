"""Reliance metrics from the own read → AI output → final decision sequence.

Per case, a decision is one of four reliance outcomes (appropriate acceptance,
appropriate override, over-reliance, under-reliance; see ``scoring.reliance_outcome``).
Aggregated over cases (per doctor, AI kind or domain) this module reports their rates,
omission errors, the relative AI reliance (RAIR) and relative self-reliance (RSR) of
Schemmer et al. 2023, switch and agreement fractions, and team accuracy against the AI
alone and the doctor alone.

Sources:
- Schemmer M, Kuehl N, Benz C, Bartos A, Satzger G. Appropriate reliance on AI advice:
  conceptualization and the effect of explanations. IUI 2023, 410-422.
- Parasuraman R, Manzey DH. Complacency and bias in human use of automation.
  Hum Factors 2010;52(3):381-410 (commission and omission errors).
- Yaniv I. Receiving other people's advice. Organ Behav Hum Decis Process
  2004;93(1):1-13 (weight of advice).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from assessments.scoring import CaseScore, RelianceOutcome
from case_bank.models import Case
from case_bank.vocabulary import AIError

_OUTCOMES = (
    RelianceOutcome.APPROPRIATE_ACCEPTANCE,
    RelianceOutcome.APPROPRIATE_OVERRIDE,
    RelianceOutcome.OVER_RELIANCE,
    RelianceOutcome.UNDER_RELIANCE,
)


@dataclass(frozen=True)
class RelianceRecord:
    """One decided case, reduced to what reliance metrics need.

    ``own_read_correct`` and ``switched`` are None when the case had no own read.
    ``followed_ai`` is the doctor's declared reliance (agree with the AI).
    """

    case_id: str
    ai_kind: str
    domains: tuple[str, ...]
    ai_correct: bool
    final_correct: bool
    followed_ai: bool
    own_read_correct: bool | None = None
    switched: bool | None = None
    ai_error: str = AIError.NONE

    @classmethod
    def from_score(cls, case: Case, score: CaseScore) -> RelianceRecord:
        """Build the record from a case and its ``score_case`` result."""
        followed = score.reliance in (
            RelianceOutcome.APPROPRIATE_ACCEPTANCE,
            RelianceOutcome.OVER_RELIANCE,
        )
        return cls(
            case_id=case.id,
            ai_kind=str(case.ai_kind),
            domains=tuple(str(d) for d in case.domains),
            ai_correct=score.ai_correct,
            final_correct=score.correct,
            followed_ai=followed,
            own_read_correct=score.own_read_correct,
            switched=score.switched,
            ai_error=str(case.ai_error),
        )


def outcome(record: RelianceRecord) -> str:
    """The reliance outcome of one case (a ``RelianceOutcome`` value)."""
    if record.followed_ai:
        if record.ai_correct:
            return RelianceOutcome.APPROPRIATE_ACCEPTANCE
        return RelianceOutcome.OVER_RELIANCE
    if record.ai_correct:
        return RelianceOutcome.UNDER_RELIANCE
    return RelianceOutcome.APPROPRIATE_OVERRIDE


def is_omission_error(record: RelianceRecord) -> bool:
    """The AI silently missed a finding and the doctor missed it too.

    An omission error in the sense of Parasuraman & Manzey (2010): the automation did
    not flag the problem (``ai_error == false_negative``) and the final interpretation
    is wrong.
    """
    return record.ai_error == AIError.FALSE_NEGATIVE and not record.final_correct


def weight_of_advice(
    initial: float, advice: float, final: float, *, clip: bool = True, eps: float = 1e-9
) -> float | None:
    """Weight of advice for a numeric estimate (Yaniv 2004).

    WOA = (final − initial) / (advice − initial). 0 means the advice was ignored,
    1 that it was adopted. Undefined (None) when the advice equals the initial
    estimate. With ``clip`` the value is limited to [0, 1], as is usual when moving
    away from the advice or beyond it is not of interest.
    """
    gap = advice - initial
    if abs(gap) <= eps:
        return None
    woa = (final - initial) / gap
    return min(1.0, max(0.0, woa)) if clip else woa


def mean_weight_of_advice(
    estimates: Iterable[tuple[float, float, float]], *, clip: bool = True
) -> float | None:
    """Mean WOA over (initial, advice, final) triples; undefined triples are skipped."""
    values = [weight_of_advice(i, a, f, clip=clip) for i, a, f in estimates]
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class RelianceProfile:
    """Aggregated reliance over a set of cases. Rates are None when undefined.

    - ``over_reliance_rate``: over-reliance / cases where the AI was wrong.
    - ``under_reliance_rate``: under-reliance / cases where the AI was right.
    - ``appropriate_rate``: (appropriate acceptance + override) / cases.
    - ``rair``: own read wrong, AI right, final right / own read wrong and AI right.
    - ``rsr``: own read right, AI wrong, final right / own read right and AI wrong.
    - ``switch_fraction``: final differs from own read / cases with an own read.
    - ``agreement_fraction``: declared agreement with the AI / cases.
    - accuracies: team (final), AI alone, doctor alone (own read, where recorded).
    """

    cases: int
    appropriate_acceptance: int
    appropriate_override: int
    over_reliance: int
    under_reliance: int
    omission_errors: int
    over_reliance_rate: float | None
    under_reliance_rate: float | None
    appropriate_rate: float | None
    rair: float | None
    rsr: float | None
    switch_fraction: float | None
    agreement_fraction: float | None
    team_accuracy: float | None
    ai_accuracy: float | None
    doctor_accuracy: float | None

    @property
    def team_gain_over_ai(self) -> float | None:
        """Team accuracy minus AI-alone accuracy (positive: the doctor adds value)."""
        if self.team_accuracy is None or self.ai_accuracy is None:
            return None
        return self.team_accuracy - self.ai_accuracy


def _schemmer_counts(records: Sequence[RelianceRecord]) -> tuple[int, int, int, int]:
    """(positive AI reliance, AI-helpful cases, positive self-reliance, self-right cases).

    Schemmer et al. count a switch to the AI's advice; when the AI is right its advice
    is the fully-credited option, so a right final decision is the switch. When the
    own read is right and the AI wrong, a right final decision is keeping the own read.
    """
    with_own = [r for r in records if r.own_read_correct is not None]
    ai_helpful = [r for r in with_own if not r.own_read_correct and r.ai_correct]
    self_right = [r for r in with_own if r.own_read_correct and not r.ai_correct]
    return (
        sum(r.final_correct for r in ai_helpful),
        len(ai_helpful),
        sum(r.final_correct for r in self_right),
        len(self_right),
    )


def profile(records: Sequence[RelianceRecord]) -> RelianceProfile:
    """Aggregate reliance metrics over ``records`` (order does not matter)."""
    outcomes = [outcome(r) for r in records]
    counts = {o: outcomes.count(o) for o in _OUTCOMES}
    n = len(records)
    ai_wrong = sum(not r.ai_correct for r in records)
    with_own = [r for r in records if r.own_read_correct is not None]
    pos_ai, ai_helpful, pos_self, self_right = _schemmer_counts(records)
    aa = counts[RelianceOutcome.APPROPRIATE_ACCEPTANCE]
    ao = counts[RelianceOutcome.APPROPRIATE_OVERRIDE]
    return RelianceProfile(
        cases=n,
        appropriate_acceptance=aa,
        appropriate_override=ao,
        over_reliance=counts[RelianceOutcome.OVER_RELIANCE],
        under_reliance=counts[RelianceOutcome.UNDER_RELIANCE],
        omission_errors=sum(is_omission_error(r) for r in records),
        over_reliance_rate=_ratio(counts[RelianceOutcome.OVER_RELIANCE], ai_wrong),
        under_reliance_rate=_ratio(counts[RelianceOutcome.UNDER_RELIANCE], n - ai_wrong),
        appropriate_rate=_ratio(aa + ao, n),
        rair=_ratio(pos_ai, ai_helpful),
        rsr=_ratio(pos_self, self_right),
        switch_fraction=_ratio(sum(bool(r.switched) for r in with_own), len(with_own)),
        agreement_fraction=_ratio(sum(r.followed_ai for r in records), n),
        team_accuracy=_ratio(sum(r.final_correct for r in records), n),
        ai_accuracy=_ratio(n - ai_wrong, n),
        doctor_accuracy=_ratio(sum(bool(r.own_read_correct) for r in with_own), len(with_own)),
    )


def _grouped(
    records: Iterable[RelianceRecord], keys: Callable[[RelianceRecord], Iterable[str]]
) -> dict[str, RelianceProfile]:
    groups: dict[str, list[RelianceRecord]] = defaultdict(list)
    for record in records:
        for key in keys(record):
            groups[key].append(record)
    return {key: profile(groups[key]) for key in sorted(groups)}


def by_ai_kind(records: Iterable[RelianceRecord]) -> dict[str, RelianceProfile]:
    """One profile per AI kind."""
    return _grouped(records, lambda r: (r.ai_kind,))


def by_domain(records: Iterable[RelianceRecord]) -> dict[str, RelianceProfile]:
    """One profile per competency domain; a case counts in each of its domains."""
    return _grouped(records, lambda r: r.domains)


def by_doctor(
    records_by_doctor: Mapping[str, Sequence[RelianceRecord]],
) -> dict[str, RelianceProfile]:
    """One profile per doctor (keyed as given, e.g. by user id)."""
    return {doctor: profile(records_by_doctor[doctor]) for doctor in sorted(records_by_doctor)}
