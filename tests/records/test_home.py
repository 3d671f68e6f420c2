"""The home picture: modules with next steps, assignments, review, certificates, what next."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from credential_fixtures import build_world, issue
from learning_fixtures import BANK, play, right_answer, wrong_answer

from courses.loader import builtin_modules_dir, load_modules
from courses.recommend import Kind, Reason, Step
from records.assignments import assign
from records.db import Database
from records.home import certificate_line, home_picture

MODULES = [m.module for m in load_modules(builtin_modules_dir()) if m.module is not None]


def test_home_picture_for_a_doctor_with_some_history(db: Database, data_dir: Path) -> None:
    world = build_world(db, data_dir)
    doctor = world.doctor
    start = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    for case_id in ("ecg-af-001", "ecg-stemi-002", "ecg-peds-003"):
        play(db, doctor.id, case_id, wrong_answer(BANK[case_id]), at=start)
    play(db, doctor.id, "ecg-af-001", right_answer(BANK["ecg-af-001"]), at=start)
    assign(
        db,
        world.admin,
        due=date(2026, 3, 4),
        module_id="ecg-ai",
        user_id=doctor.id,
        today=date(2026, 3, 1),
    )
    issue(world, when=datetime(2023, 6, 2, 10, tzinfo=UTC))
    now = start + timedelta(days=5)
    home = home_picture(db, doctor, MODULES, list(BANK.values()), now)

    ecg = next(line for line in home.modules if line.module.id == "ecg-ai")
    # Cases practised from the case list count as done for the module; their time does not.
    assert ecg.state.practice_done == 3 and ecg.state.study_seconds == 0
    assert ecg.next.step == Step.LESSON and ecg.next.lesson == 0
    assert [a.target for a in home.assignments] == ["ecg-ai"]
    assert home.due_reviews == 3 and len(home.review_session) == 3
    assert home.competency.practice_cases == 4
    assert home.study.cases > 0
    kinds = [(s.kind, s.target, s.reason) for s in home.suggestions]
    assert kinds[0] == (Kind.MODULE, "ecg-ai", Reason.OVERDUE)
    assert kinds[1] == (Kind.REVIEW, "", Reason.REVIEWS_DUE)
    assert len(kinds) <= 3
    [certificate] = home.certificates
    assert certificate.status == "valid" and certificate.remind  # expires within 90 days
    assert certificate.valid_until == date(2026, 6, 1)


def test_certificate_reminders() -> None:
    today = date(2026, 3, 2)
    assert not certificate_line("C", "certification", date(2027, 1, 1), "valid", today).remind
    soon = certificate_line("C", "certification", date(2026, 5, 1), "valid", today)
    assert soon.remind and soon.days_left == 60
    assert certificate_line("C", "certification", date(2026, 1, 1), "expired", today).remind
    assert not certificate_line("C", "certification", date(2026, 5, 1), "revoked", today).remind
