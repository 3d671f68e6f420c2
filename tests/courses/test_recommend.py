"""What next: assignments first, then due reviews, the weakest domain, unfinished work."""

from __future__ import annotations

from datetime import date, timedelta

from assessments.framework import builtin_framework
from assessments.mastery import Evidence, estimate
from case_bank.pack import builtin_packs
from courses.assignments import EXAM, MODULE, Assigned, DueState, due_state
from courses.progress import ModuleState, Status
from courses.recommend import (
    Kind,
    Reason,
    Step,
    domain_practice,
    next_step,
    recommend,
    weak_domain,
)

TODAY = date(2026, 3, 2)


def _state(status: Status = Status.NOT_STARTED, locked_by: list[str] | None = None) -> ModuleState:
    return ModuleState(
        status=status,
        lessons_read=0,
        lessons_total=2,
        practice_done=0,
        practice_total=3,
        check_passed=False,
        completed_at=None,
        locked_by=locked_by or [],
    )


def _mastery(scores: dict[str, list[float]]):  # type: ignore[no-untyped-def]
    evidence = [
        Evidence(domain, f"{domain}-{i}", credit)
        for domain, credits in scores.items()
        for i, credit in enumerate(credits)
    ]
    return estimate(evidence, builtin_framework())


def _assigned(kind: str, target: str, days: int, done: bool = False) -> Assigned:
    due = TODAY + timedelta(days=days)
    return Assigned(kind, target, due, due_state(due, done, TODAY))


def test_due_states() -> None:
    assert due_state(TODAY, True, TODAY) == DueState.DONE
    assert due_state(TODAY - timedelta(days=1), False, TODAY) == DueState.OVERDUE
    assert due_state(TODAY, False, TODAY) == DueState.DUE_SOON
    assert due_state(TODAY + timedelta(days=7), False, TODAY) == DueState.DUE_SOON
    assert due_state(TODAY + timedelta(days=8), False, TODAY) == DueState.OPEN


def test_overdue_assignment_then_reviews_then_weak_domain() -> None:
    mastery = _mastery(
        {
            "clinical_encounters": [0.2, 0.3, 0.1, 0.4],  # weak, with enough evidence
            "basic_knowledge": [0.0, 0.0],  # weaker, but only two cases: not judged
            "social_ethical": [0.9, 1.0, 0.8],
        }
    )
    found = recommend(
        today=TODAY,
        assignments=[
            _assigned(MODULE, "ecg-ai", 20),
            _assigned(EXAM, "certification", -3),
            _assigned(MODULE, "fundus-ai", -10, done=True),
        ],
        due_reviews=4,
        mastery=mastery,
        modules={"ecg-ai": _state(Status.IN_PROGRESS)},
    )
    assert [(s.kind, s.target, s.reason) for s in found] == [
        (Kind.EXAM, "certification", Reason.OVERDUE),
        (Kind.REVIEW, "", Reason.REVIEWS_DUE),
        (Kind.DOMAIN, "clinical_encounters", Reason.WEAK_DOMAIN),
    ]
    assert found[0].days_left == -3 and found[1].count == 4
    assert found[2].mastery is not None and found[2].mastery < 0.5


def test_unfinished_module_then_later_assignment_without_duplicates() -> None:
    found = recommend(
        today=TODAY,
        assignments=[_assigned(MODULE, "ecg-ai", 30), _assigned(MODULE, "fundus-ai", 40)],
        modules={"ecg-ai": _state(Status.IN_PROGRESS), "fundus-ai": _state()},
    )
    assert [(s.target, s.reason) for s in found] == [
        ("ecg-ai", Reason.UNFINISHED),
        ("fundus-ai", Reason.ASSIGNED),
    ]


def test_a_newcomer_is_pointed_at_the_first_open_module() -> None:
    modules = {"ai-foundations": _state(), "ecg-ai": _state(locked_by=["ai-foundations"])}
    found = recommend(today=TODAY, modules=modules)
    assert [(s.target, s.reason) for s in found] == [("ai-foundations", Reason.NEXT_MODULE)]
    # An assigned module that is still locked points at what unlocks it.
    found = recommend(today=TODAY, assignments=[_assigned(MODULE, "ecg-ai", 2)], modules=modules)
    assert found[0].target == "ai-foundations" and found[0].reason == Reason.PREREQUISITE
    assert found[0].assigned_target == "ecg-ai"


def test_at_most_three_and_nothing_when_all_is_done() -> None:
    found = recommend(
        today=TODAY,
        assignments=[_assigned(MODULE, f"m{i}", -i) for i in range(1, 6)],
        due_reviews=2,
    )
    assert len(found) == 3 and all(s.reason == Reason.OVERDUE for s in found)
    assert found[0].target == "m5"  # the most overdue first
    assert recommend(today=TODAY, modules={"m": _state(Status.COMPLETED)}) == []


def test_weak_domain_needs_enough_evidence_and_a_playable_case() -> None:
    mastery = _mastery({"workflow_analysis": [0.1, 0.2, 0.0]})
    assert weak_domain(mastery) is not None
    assert weak_domain(mastery, practisable={"basic_knowledge"}) is None
    assert weak_domain(_mastery({"workflow_analysis": [0.9, 0.8, 1.0]})) is None


def test_domain_practice_prefers_unplayed_then_low_scores() -> None:
    bank = [c for p in builtin_packs() for c in p.cases]
    domain = str(bank[0].domains[0])
    in_domain = sorted(c.id for c in bank if domain in {str(d) for d in c.domains})
    played = {in_domain[0]: 0.2, in_domain[1]: 0.9}
    chosen = domain_practice(domain, bank, played, count=len(in_domain))
    assert set(chosen) == set(in_domain)
    assert chosen[-2:] == [in_domain[0], in_domain[1]]  # played ones last, lowest first


def test_next_step_in_a_module() -> None:
    from courses.loader import builtin_modules_dir, load_modules

    module = next(
        m.module
        for m in load_modules(builtin_modules_dir())
        if m.module and m.module.id == "ecg-ai"
    )
    first, second = (lesson.id for lesson in module.lessons[:2])
    state = _state()
    assert next_step(module, set(), state).step == Step.LESSON
    assert next_step(module, {first}, state).lesson == 1
    read = {lesson.id for lesson in module.lessons}
    assert next_step(module, read, state).step == Step.PRACTICE
    done = ModuleState(Status.IN_PROGRESS, 2, 2, 3, 3, False, None)
    assert next_step(module, read, done).step == Step.CHECK
    passed = ModuleState(Status.COMPLETED, 2, 2, 3, 3, True, None)
    assert next_step(module, read, passed).step == Step.DONE
    assert second
