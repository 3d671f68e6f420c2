"""Module status and locks (pure functions), and active study time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from courses.loader import load_module
from courses.progress import ModuleRecord, Status, module_states
from courses.study_time import ActiveClock, active_seconds

ECG = Path(__file__).resolve().parents[2] / "courses" / "modules" / "ecg-ai"


def _chain():  # type: ignore[no-untyped-def]
    base = load_module(ECG).module
    assert base is not None
    a = base.model_copy(update={"id": "mod-a", "check_blueprint": None})
    b = a.model_copy(update={"id": "mod-b", "prerequisites": ["mod-a"]})
    c = a.model_copy(update={"id": "mod-c", "prerequisites": ["mod-b"]})
    return [c, b, a]  # any order


def test_locks_follow_completion_along_a_chain() -> None:
    modules = _chain()
    practice = {m.id: ["ecg-af-001"] for m in modules}
    done = ModuleRecord(
        lessons_read=frozenset(lesson.id for lesson in modules[0].lessons),
        practice_done=frozenset({"ecg-af-001"}),
        last_activity_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    records = {"mod-a": done, "mod-b": ModuleRecord(), "mod-c": ModuleRecord()}
    states = module_states(modules, records, practice)
    assert states["mod-a"].status == Status.COMPLETED
    assert states["mod-a"].completed_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert states["mod-b"].locked_by == []
    assert states["mod-c"].locked_by == ["mod-b"]
    assert states["mod-b"].status == Status.NOT_STARTED


def test_active_time_caps_idle_gaps() -> None:
    assert active_seconds([0, 10, 20, 500], idle_limit=90) == 10 + 10 + 90
    clock = ActiveClock(idle_limit=60)
    clock.ping(0.0)
    clock.ping(30.0)
    assert clock.take(1000.0) == 30 + 60
    assert clock.take(1010.0) == 10
