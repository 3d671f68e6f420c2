"""A module's practice counts a case practised anywhere: from the module, or from the case
list; its study time counts only what was spent in the module."""

from __future__ import annotations

from learning_fixtures import BANK, play, right_answer

from courses.loader import builtin_modules_dir, load_modules
from courses.practice import practice_cases
from records import accounts
from records.db import Database
from records.learning import module_record, module_states
from records.tables import Attempt


def test_free_practice_counts_as_done_but_not_as_module_time(db: Database) -> None:
    doctor = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    modules = [m.module for m in load_modules(builtin_modules_dir()) if m.module]
    ecg = next(m for m in modules if m.id == "ecg-ai")
    bank = list(BANK.values())
    listed = [c.id for c in practice_cases(ecg, bank)]
    free, inside = listed[0], listed[1]
    play(db, doctor.id, free, right_answer(BANK[free]), seconds=30.0)  # from the case list
    play(db, doctor.id, inside, right_answer(BANK[inside]), seconds=20.0)
    with db.session() as session:
        row = session.query(Attempt).filter(Attempt.case_id == inside).one()
        row.module_id = ecg.id  # as when started from the module
        inside_seconds = sum(row.stage_seconds.values())
    exam = play(db, doctor.id, listed[2], right_answer(BANK[listed[2]]), mode="exam")
    assert exam.module_id is None

    record = module_record(db, doctor.id, ecg)
    assert record.practice_done == {free, inside}  # not the exam attempt
    assert record.study_seconds == inside_seconds > 0  # only the in-module attempt's time
    state = module_states(db, doctor.id, modules, bank)[ecg.id]
    assert state.practice_done == 2
