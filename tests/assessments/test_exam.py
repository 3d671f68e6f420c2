"""Exam session: navigation, flags, locking, resume with remaining time, results, chain."""

from __future__ import annotations

import pytest

from assessments.assembly import assemble
from assessments.blueprints import ShareRange, builtin_blueprints
from assessments.exam import (
    ANSWER,
    FLAG,
    HEARTBEAT,
    MAX_GAP_SECONDS,
    NAVIGATE,
    RESUME,
    SUBMIT,
    ChainedRecord,
    ExamError,
    ExamEvent,
    ExamLocked,
    ExamTimeUp,
    answer_event,
    chain_record,
    remaining_seconds,
    replay,
    start_event,
    verify_chain,
)
from assessments.results import CRITICAL_ERROR, exam_result
from case_bank.pack import builtin_packs

CASES = {c.id: c for p in builtin_packs() for c in p.cases}
# The module check narrowed to the three first ECG cases (20 minutes = 1200 s).
BP = builtin_blueprints()["ecg-module-check"].model_copy(
    update={
        "total_cases": 3,
        "domains": {},
        "difficulty": {},
        "ai_kinds": {"ecg": 3},
        "ai_error_share": ShareRange(min=0.3, max=0.7),
    }
)
T0 = 1_700_000_000.0

GOOD = {
    "ecg-af-001": ("af", "af", "accept", "refer_routine", ["none_noticed"]),
    "ecg-stemi-002": (
        "stemi",
        "stemi",
        "override",
        "refer_urgent",
        ["missing_finding", "conflicts_with_clinical"],
    ),
    "ecg-peds-003": (
        "sinus_tach_fever",
        "sinus_tach_fever",
        "override",
        "manage_locally",
        ["out_of_population"],
    ),
}


def answers(case_id: str, action: str | None = None) -> dict[str, object]:
    own, final, reliance, best, flags = GOOD[case_id]
    return {
        "own_read": {"interpretation": own},
        "decision": {
            "interpretation": final,
            "reliance": reliance,
            "action": action or best,
            "confidence": 0.9,
            "limitations": flags,
        },
    }


def started() -> list[ExamEvent]:
    exam = assemble(BP, [CASES[c] for c in GOOD], seed=5)
    return [start_event("attempt-1", BP, exam, T0)]


def test_navigation_flags_and_answers() -> None:
    events = started()
    state = replay(events)
    first = state.case_ids[0]
    events += [
        ExamEvent(NAVIGATE, T0 + 10, {"index": 2}),
        ExamEvent(FLAG, T0 + 20, {"case_id": first}),
        answer_event(CASES[first], answers(first), T0 + 30, BP.own_read_required),
    ]
    state = replay(events)
    assert state.current == 2 and state.flagged == {first}
    assert state.unanswered() == state.case_ids[1:]
    with pytest.raises(ExamError):
        replay([*events, ExamEvent(NAVIGATE, T0 + 40, {"index": 3})])
    with pytest.raises(ExamError):
        replay([*events, ExamEvent(FLAG, T0 + 40, {"case_id": "not-in-exam"})])


def test_own_read_is_required_by_the_blueprint() -> None:
    raw = answers("ecg-af-001")
    del raw["own_read"]
    with pytest.raises(ExamError):
        answer_event(CASES["ecg-af-001"], raw, T0, own_read_required=True)


def test_answers_cannot_change_after_submit() -> None:
    events = [*started(), ExamEvent(SUBMIT, T0 + 100)]
    state = replay(events)
    assert state.submitted and state.submit_reason == "doctor"
    case_id = state.case_ids[0]
    late = answer_event(CASES[case_id], answers(case_id), T0 + 110, True)
    with pytest.raises(ExamLocked):
        replay([*events, late])


def test_interrupted_exam_resumes_with_the_open_time_only() -> None:
    events = started()
    events += [ExamEvent(HEARTBEAT, T0 + 15 * i) for i in range(1, 21)]  # open 300 s
    # power cut after the last heartbeat; the clinic PC comes back two hours later
    back = T0 + 300 + 7200
    events.append(ExamEvent(RESUME, back))
    state = replay(events)
    assert state.active_seconds == 300.0
    assert remaining_seconds(state, back) == 1200 - 300
    assert remaining_seconds(state, back + 30) == 1200 - 330
    # a long silence without a resume event (a sleeping laptop) counts at most the cap
    state = replay([*events, ExamEvent(HEARTBEAT, back + 3600)])
    assert state.active_seconds == 300 + MAX_GAP_SECONDS


def test_time_up_refuses_answers_and_forces_submission() -> None:
    events = started()
    events += [ExamEvent(HEARTBEAT, T0 + 30 * i) for i in range(1, 42)]  # 1230 s open
    state = replay(events)
    assert remaining_seconds(state, T0 + 1230) == 0.0
    case_id = state.case_ids[0]
    with pytest.raises(ExamTimeUp):
        replay([*events, answer_event(CASES[case_id], answers(case_id), T0 + 1231, True)])
    done = replay([*events, ExamEvent(SUBMIT, T0 + 1232, {"reason": "doctor"})])
    assert done.submit_reason == "time_up"


def _taken(action_for_stemi: str | None = None) -> list[ExamEvent]:
    events = started()
    for n, case_id in enumerate(replay(events).case_ids, start=1):
        action = action_for_stemi if case_id == "ecg-stemi-002" else None
        events.append(answer_event(CASES[case_id], answers(case_id, action), T0 + 40 * n, True))
    events.append(ExamEvent(SUBMIT, T0 + 200))
    return events


def test_result_of_a_perfect_exam_passes() -> None:
    result = exam_result(replay(_taken()), CASES, BP)
    assert result.passed and result.score == 1.0
    assert result.domain_scores["clinical_encounters"] == 1.0
    # STEMI and paediatric cases: own read right, AI wrong, own read kept → RSR 2/2
    assert result.reliance.appropriate_override == 2 and result.reliance.rsr == 1.0
    assert result.critical_errors == ()


def test_a_critical_error_fails_the_exam_on_its_own() -> None:
    result = exam_result(replay(_taken("refer_routine")), CASES, BP)
    assert result.critical_errors == ("ecg-stemi-002",)
    assert not result.passed and CRITICAL_ERROR in result.fail_reasons
    assert result.score > BP.pass_rule.cut_score  # the points alone would have passed


def _chain(events: list[ExamEvent]) -> list[ChainedRecord]:
    records: list[ChainedRecord] = []
    for event in events:
        records.append(chain_record(records[-1] if records else None, "attempt-1", event))
    return records


def test_chain_verifies_and_round_trips() -> None:
    records = _chain(_taken())
    assert verify_chain(records).ok
    again = [ChainedRecord.from_dict(r.to_dict()) for r in records]
    assert verify_chain(again).ok


def test_chain_detects_an_edited_answer() -> None:
    records = _chain(_taken("refer_routine"))
    index = next(
        i
        for i, r in enumerate(records)
        if r.event.kind == ANSWER and r.event.data["case_id"] == "ecg-stemi-002"
    )
    raw = records[index].to_dict()
    raw["data"]["answers"]["decision"]["action"] = "refer_urgent"  # hide the critical error
    tampered = [*records[:index], ChainedRecord.from_dict(raw), *records[index + 1 :]]
    check = verify_chain(tampered)
    assert not check.ok and check.bad_index == index
    # recomputing that record's hash breaks the link of the next one instead
    fixed = chain_record(records[index - 1], "attempt-1", ChainedRecord.from_dict(raw).event)
    check = verify_chain([*records[:index], fixed, *records[index + 1 :]])
    assert not check.ok and check.bad_index == index + 1


def test_chain_detects_a_removed_record() -> None:
    records = _chain(_taken())
    check = verify_chain(records[:2] + records[3:])
    assert not check.ok and check.bad_index == 2


def test_own_read_is_stored_then_locked_and_must_match_the_answer() -> None:
    from assessments import exam as logic

    state = logic.ExamState(
        attempt_id="a",
        blueprint_id="b",
        case_ids=("c1", "c2"),
        seed=1,
        started_at=0.0,
        time_limit_seconds=600.0,
        last_event_at=0.0,
    )
    state = logic.apply(
        state, logic.ExamEvent(logic.OWN_READ, 5.0, {"case_id": "c1", "interpretation": "af"})
    )
    assert state.own_reads == {"c1": "af"}
    with pytest.raises(logic.ExamError):
        logic.apply(
            state,
            logic.ExamEvent(logic.OWN_READ, 6.0, {"case_id": "c1", "interpretation": "normal"}),
        )
    decision = {
        "reliance": "accept",
        "interpretation": "af",
        "confidence": 0.9,
        "action": "refer_routine",
        "limitations": [],
    }
    with pytest.raises(logic.ExamError):
        logic.apply(
            state,
            logic.ExamEvent(
                logic.ANSWER,
                7.0,
                {
                    "case_id": "c1",
                    "answers": {"own_read": {"interpretation": "normal"}, "decision": decision},
                },
            ),
        )
    state = logic.apply(
        state,
        logic.ExamEvent(
            logic.ANSWER,
            8.0,
            {
                "case_id": "c1",
                "answers": {"own_read": {"interpretation": "af"}, "decision": decision},
            },
        ),
    )
    assert "c1" in state.answers
