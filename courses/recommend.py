"""What to do next: one to three suggestions for a doctor with ten minutes to spare
(pure functions over the doctor's records).

In order of urgency: assignments past their due date, then those due within a week;
cases due for spaced review; the weakest domain (lowest mastery among those with enough
evidence to judge); the module in progress; other assignments; the next module not yet
started. Each suggestion names what to start, so the screen can offer one button each.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from assessments.mastery import DomainMastery
from case_bank.models import Case
from courses.assignments import EXAM, MODULE, Assigned, DueState
from courses.models import Module
from courses.progress import ModuleState, Status

MIN_EVIDENCE = 3  # a domain is judged weak only on this many cases or more
# Mastery (the posterior mean) below this marks a weak domain. Lower than the 0.7 of
# "competent": with few cases the prior pulls the mean towards 0.5, and three good
# practice cases (mean 0.67) should not read as a weakness.
WEAK_BELOW = 0.6
MAX_SUGGESTIONS = 3
DOMAIN_SESSION = 5  # cases in one weak-domain practice


class Kind(StrEnum):
    MODULE = "module"  # open a training module (target: module id)
    EXAM = "exam"  # start an exam (target: blueprint id)
    REVIEW = "review"  # start a spaced-review session
    DOMAIN = "domain"  # practise cases of a domain (target: domain id)


class Reason(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    ASSIGNED = "assigned"
    PREREQUISITE = "prerequisite"  # the assigned module is locked behind this one
    REVIEWS_DUE = "reviews_due"
    WEAK_DOMAIN = "weak_domain"
    UNFINISHED = "unfinished"
    NEXT_MODULE = "next_module"


@dataclass(frozen=True)
class Suggestion:
    kind: Kind
    target: str
    reason: Reason
    due: date | None = None
    days_left: int | None = None  # negative when overdue
    count: int = 0  # cases due for review
    mastery: float | None = None
    assigned_target: str = ""  # for PREREQUISITE: the module that was assigned


def weak_domain(
    mastery: Mapping[str, DomainMastery], practisable: set[str] | None = None
) -> DomainMastery | None:
    """The domain with the lowest mastery among those with at least ``MIN_EVIDENCE``
    cases and below ``WEAK_BELOW``; None when no domain qualifies."""
    candidates = [
        m
        for m in mastery.values()
        if m.evidence_count >= MIN_EVIDENCE
        and m.mean < WEAK_BELOW
        and (practisable is None or m.domain in practisable)
    ]
    return min(candidates, key=lambda m: (m.mean, m.domain)) if candidates else None


def _assignment(item: Assigned, today: date, modules: Mapping[str, ModuleState]) -> Suggestion:
    reason = {DueState.OVERDUE: Reason.OVERDUE, DueState.DUE_SOON: Reason.DUE_SOON}.get(
        item.state, Reason.ASSIGNED
    )
    days = (item.due - today).days
    if item.kind == EXAM:
        return Suggestion(Kind.EXAM, item.target, reason, item.due, days)
    state = modules.get(item.target)
    if state is not None and state.locked:
        return Suggestion(
            Kind.MODULE,
            state.locked_by[0],
            Reason.PREREQUISITE,
            item.due,
            days,
            assigned_target=item.target,
        )
    return Suggestion(Kind.MODULE, item.target, reason, item.due, days)


def recommend(
    *,
    today: date,
    assignments: Sequence[Assigned] = (),
    due_reviews: int = 0,
    mastery: Mapping[str, DomainMastery] | None = None,
    modules: Mapping[str, ModuleState] | None = None,
    practisable_domains: set[str] | None = None,
    limit: int = MAX_SUGGESTIONS,
) -> list[Suggestion]:
    """Up to ``limit`` suggestions, most urgent first, never two for the same target.

    ``modules`` is in curriculum order (dicts keep insertion order).
    """
    modules = modules or {}
    open_items = sorted(
        (a for a in assignments if a.state != DueState.DONE and a.kind in (MODULE, EXAM)),
        key=lambda a: (a.due, a.target),
    )
    urgent = [a for a in open_items if a.state in (DueState.OVERDUE, DueState.DUE_SOON)]
    later = [a for a in open_items if a.state == DueState.OPEN]
    found: list[Suggestion] = [_assignment(a, today, modules) for a in urgent]
    if due_reviews > 0:
        found.append(Suggestion(Kind.REVIEW, "", Reason.REVIEWS_DUE, count=due_reviews))
    weakest = weak_domain(mastery or {}, practisable_domains)
    if weakest is not None:
        found.append(
            Suggestion(Kind.DOMAIN, weakest.domain, Reason.WEAK_DOMAIN, mastery=weakest.mean)
        )
    unfinished = [m for m, s in modules.items() if s.status == Status.IN_PROGRESS and not s.locked]
    if unfinished:
        found.append(Suggestion(Kind.MODULE, unfinished[0], Reason.UNFINISHED))
    found.extend(_assignment(a, today, modules) for a in later)
    if not unfinished:
        fresh = [m for m, s in modules.items() if s.status == Status.NOT_STARTED and not s.locked]
        if fresh:
            found.append(Suggestion(Kind.MODULE, fresh[0], Reason.NEXT_MODULE))
    chosen: list[Suggestion] = []
    seen: set[tuple[Kind, str]] = set()
    for suggestion in found:
        key = (suggestion.kind, suggestion.target)
        if key not in seen:
            seen.add(key)
            chosen.append(suggestion)
    return chosen[:limit]


def domain_practice(
    domain: str,
    bank: Sequence[Case],
    best_scores: Mapping[str, float],
    count: int = DOMAIN_SESSION,
) -> list[str]:
    """Case IDs to practise a weak ``domain``: cases not played yet first, then those
    with the lowest best score (ties by ID, so the choice is stable)."""
    in_domain = [case for case in bank if domain in {str(d) for d in case.domains}]
    ranked = sorted(
        in_domain,
        key=lambda c: (c.id in best_scores, best_scores.get(c.id, 0.0), c.id),
    )
    return [case.id for case in ranked[:count]]


class Step(StrEnum):
    LESSON = "lesson"
    PRACTICE = "practice"
    CHECK = "check"
    DONE = "done"


@dataclass(frozen=True)
class NextStep:
    """What comes next in a module: the first lesson not read, then the practice cases,
    then the module check (the same order as the module's step list)."""

    step: Step
    lesson: int = 0  # index of the lesson, for Step.LESSON


def next_step(module: Module, lessons_read: Collection[str], state: ModuleState) -> NextStep:
    for index, lesson in enumerate(module.lessons):
        if lesson.id not in lessons_read:
            return NextStep(Step.LESSON, index)
    if state.practice_done < state.practice_total:
        return NextStep(Step.PRACTICE)
    if module.check_blueprint is not None and not state.check_passed:
        return NextStep(Step.CHECK)
    return NextStep(Step.DONE)
