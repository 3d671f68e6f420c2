"""Mastery per domain: a Beta-Bernoulli estimate with a credible interval and a level.

Each case decided in a domain is one piece of evidence with a credit in [0, 1] (the case
score, so partial credit counts as a fractional success) and a weight by source (exam 1.0,
practice 0.5: practice is open-book and may be repeated). Starting from a uniform
Beta(1, 1) prior, the posterior is

    Beta(1 + Σ w·credit, 1 + Σ w·(1 − credit)),

the conjugate update with fractional, weighted pseudo-observations (Gelman et al.,
Bayesian Data Analysis, 3rd ed., 2013, §2.4; down-weighting less relevant evidence as in
the power prior of Ibrahim & Chen, Stat Sci 2000;15(1):46-60). The 90% equal-tailed
credible interval uses the exact Beta quantile, computed from the regularized incomplete
beta function (continued fraction, Press et al., Numerical Recipes, 3rd ed., §6.4) by
bisection. The level is the highest one whose evidence rule in the framework holds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from assessments.framework import EvidenceRule, Framework
from assessments.scoring import CaseScore
from case_bank.models import Case

EXAM = "exam"
PRACTICE = "practice"
SOURCE_WEIGHTS = {EXAM: 1.0, PRACTICE: 0.5}
PRIOR_ALPHA = 1.0
PRIOR_BETA = 1.0
CREDIBLE_MASS = 0.90


@dataclass(frozen=True)
class Evidence:
    """One decided case counted in one domain."""

    domain: str
    case_id: str
    credit: float
    source: str = PRACTICE
    critical_error: bool = False
    at: str = ""  # ISO timestamp, for showing the evidence in order

    @property
    def weight(self) -> float:
        return SOURCE_WEIGHTS[self.source]


def evidence_from_score(case: Case, score: CaseScore, source: str, at: str = "") -> list[Evidence]:
    """One evidence item per domain the case is tagged with."""
    if source not in SOURCE_WEIGHTS:
        raise ValueError(f"unknown evidence source '{source}'")
    credit = min(1.0, max(0.0, score.total))
    return [
        Evidence(str(domain), case.id, credit, source, score.critical_error, at)
        for domain in case.domains
    ]


# --- Beta distribution ----------------------------------------------------------------


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz method)."""
    tiny, eps = 1e-300, 1e-14
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < eps:
            break
    return h


def regularized_beta(x: float, a: float, b: float) -> float:
    """I_x(a, b), the Beta(a, b) distribution function at x (Numerical Recipes §6.4)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    # The fraction converges fast for x < (a + 1) / (a + b + 2); use symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def beta_quantile(p: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = p, by bisection to about 1e-10."""
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2.0
        if regularized_beta(mid, a, b) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


# --- Mastery --------------------------------------------------------------------------


@dataclass(frozen=True)
class DomainMastery:
    """The posterior for one domain and the evidence behind it (oldest first)."""

    domain: str
    alpha: float = PRIOR_ALPHA
    beta: float = PRIOR_BETA
    evidence: tuple[Evidence, ...] = ()
    level: str = "not_yet_competent"
    lower: float = 0.05
    upper: float = 0.95

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    @property
    def evidence_count(self) -> int:
        return len(self.evidence)

    @property
    def exam_count(self) -> int:
        return sum(e.source == EXAM for e in self.evidence)


def rule_met(rule: EvidenceRule, mastery: DomainMastery) -> bool:
    """Whether ``mastery`` satisfies one level's evidence rule."""
    if mastery.evidence_count < rule.min_evidence or mastery.exam_count < rule.min_exam_evidence:
        return False
    if mastery.mean < rule.min_mastery or mastery.lower < rule.min_lower_bound:
        return False
    if rule.no_critical_error_in_last:
        exams = [e for e in mastery.evidence if e.source == EXAM]
        recent = exams[-rule.no_critical_error_in_last :]
        if any(e.critical_error for e in recent):
            return False
    return True


def level_for(mastery: DomainMastery, framework: Framework) -> str:
    """The highest framework level whose rule ``mastery`` meets."""
    for level in sorted(framework.levels, key=lambda lv: lv.rank, reverse=True):
        if rule_met(level.rule, mastery):
            return level.id
    return framework.levels[0].id


def _finish(mastery: DomainMastery, framework: Framework) -> DomainMastery:
    tail = (1.0 - CREDIBLE_MASS) / 2.0
    lower = beta_quantile(tail, mastery.alpha, mastery.beta)
    upper = beta_quantile(1.0 - tail, mastery.alpha, mastery.beta)
    with_interval = replace(mastery, lower=lower, upper=upper)
    return replace(with_interval, level=level_for(with_interval, framework))


def update(mastery: DomainMastery, evidence: Evidence, framework: Framework) -> DomainMastery:
    """Add one piece of evidence: O(1) posterior update plus the interval and level."""
    if evidence.domain != mastery.domain:
        raise ValueError(f"evidence for '{evidence.domain}' given to '{mastery.domain}'")
    credit = min(1.0, max(0.0, evidence.credit))
    step = replace(
        mastery,
        alpha=mastery.alpha + evidence.weight * credit,
        beta=mastery.beta + evidence.weight * (1.0 - credit),
        evidence=(*mastery.evidence, evidence),
    )
    return _finish(step, framework)


def posteriors(evidence: Iterable[Evidence], domains: Sequence[str]) -> dict[str, DomainMastery]:
    """The Beta posterior of each of ``domains`` from all evidence, in order (evidence for
    other domains is ignored); no interval or level yet."""
    alphas = dict.fromkeys(domains, PRIOR_ALPHA)
    betas = dict.fromkeys(domains, PRIOR_BETA)
    items: dict[str, list[Evidence]] = {d: [] for d in domains}
    for item in evidence:
        if item.domain not in items:
            continue
        credit = min(1.0, max(0.0, item.credit))
        alphas[item.domain] += item.weight * credit
        betas[item.domain] += item.weight * (1.0 - credit)
        items[item.domain].append(item)
    return {d: DomainMastery(d, alphas[d], betas[d], tuple(items[d])) for d in domains}


def estimate(
    evidence: Iterable[Evidence], framework: Framework, domains: Sequence[str] | None = None
) -> dict[str, DomainMastery]:
    """Mastery for every framework domain (or ``domains``) from all evidence, in order."""
    wanted = list(domains) if domains is not None else [str(d.id) for d in framework.domains]
    return {d: _finish(m, framework) for d, m in posteriors(evidence, wanted).items()}
