"""The security log reads in the reader's language: detail names translated, roles and
yes/no in words, people by name; what is stored stays as it was written."""

from __future__ import annotations

import pytest

from records import accounts, audit
from records.audit_log import DETAIL_LABELS, AuditFilter, search
from records.db import Database
from records.tables import AuditEvent


def _log_one(db: Database) -> str:
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    doctor = accounts.create_user(db, "wang", "王医生", "secret123", "learner")
    with db.session() as session:
        audit.record(
            session, "role_changed", actor_id=admin.id, subject=doctor.id,
            old="learner", new="trainer", trusted=True, user=doctor.id, note="free text",
        )  # fmt: skip
    return doctor.id


def test_details_in_english(db: Database) -> None:
    _log_one(db)
    row = next(r for r in search(db, AuditFilter()) if r.event == "role_changed")
    assert row.details == (
        "old: Learner; new: Trainer; trusted: yes; person: 王医生 (wang); note: free text"
    )
    assert row.subject == "王医生 (wang)"


@pytest.mark.usefixtures("zh_cn")
def test_details_in_chinese_and_stored_as_written(db: Database) -> None:
    doctor_id = _log_one(db)
    row = next(r for r in search(db, AuditFilter()) if r.event == "role_changed")
    assert row.details.startswith("原值：学员；新值：培训师；受信任：是；人员：王医生 (wang)")
    with db.session() as session:
        stored = session.query(AuditEvent).filter(AuditEvent.event == "role_changed").one()
        assert stored.detail == {
            "old": "learner", "new": "trainer", "trusted": True, "user": doctor_id,
            "note": "free text",
        }  # fmt: skip


def test_every_detail_written_by_the_records_has_a_label() -> None:
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "records"
    written = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            if getattr(func, "attr", "") == "record" and getattr(func.value, "id", "") == "audit":
                written |= {
                    k.arg for k in node.keywords if k.arg not in (None, "actor_id", "subject")
                }  # type: ignore[attr-defined]
    assert written and written <= set(DETAIL_LABELS)


def test_modules_and_exams_by_their_titles(db: Database) -> None:
    from assessments.blueprints import builtin_blueprints

    with db.session() as session:
        audit.record(session, "assignment_created", target="certification", kind="exam")
    row = next(r for r in search(db, AuditFilter()) if r.event == "assignment_created")
    title = builtin_blueprints()["certification"].title.get()
    assert row.details == f"module or exam: {title}; kind: Exam"
