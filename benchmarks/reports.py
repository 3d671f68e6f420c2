"""County XLSX report for 5,000 doctors: prints the time and peak memory.

A temporary SQLite database is filled with direct bulk inserts (not timed): 60
institutions (a county commission, township centres, village clinics), 5,000 doctors,
about 20 scored case attempts each (answers scored with the real scoring code on the
built-in cases), lesson reading, one or two certification exams and certificates for
those who passed. Then ``service.export_report(kind="xlsx")`` runs as the CLI would.

    .venv/bin/python benchmarks/reports.py [--doctors 5000] [--attempts 20]

Target: under 10 s for 5,000 doctors.
"""

from __future__ import annotations

import argparse
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assessments.scoring import Answers, score_case  # noqa: E402
from case_bank.models import Case  # noqa: E402
from records.db import Database, open_database  # noqa: E402
from records.reports.catalogue import builtin_catalogue  # noqa: E402
from records.reports.service import export_report  # noqa: E402
from records.tables import (  # noqa: E402
    Attempt,
    Credential,
    ExamAttempt,
    Institution,
    LessonProgress,
    User,
    new_id,
)

START = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)


def _answers(case: Case, right: bool, rng: random.Random) -> dict[str, Any]:
    key = case.key
    options = [o.id for o in case.decision.interpretations]
    best = max(key.interpretation, key=lambda o: key.interpretation[o])
    wrong = next((o for o in options if key.interpretation.get(o, 0.0) < 1.0), best)
    reliance = str(key.expected_reliance)
    if not right:
        reliance = "accept" if reliance == "override" else "override"
    action = key.ideal_actions[0]
    if not right and key.critical_actions and rng.random() < 0.3:
        action = key.critical_actions[0]
    decision = {
        "interpretation": best if right else wrong,
        "reliance": reliance,
        "action": action,
        "confidence": round(rng.uniform(0.5, 1.0), 2),
        "limitations": [str(x) for x in key.limitations] if right else [],
    }
    return {"own_read": {"interpretation": decision["interpretation"]}, "decision": decision}


def _institutions(rng: random.Random, count: int) -> list[dict[str, Any]]:
    county = {"id": new_id(), "name_zh": "青山县卫生健康委员会", "name_en": "Qingshan County",
              "level": "county", "parent_id": None, "code": "QS", "created_at": START}  # fmt: skip
    rows, townships = [county], []
    for n in range(count - 1):
        township = n < 15
        row = {
            "id": new_id(),
            "name_zh": f"第{n + 1}{'乡卫生院' if township else '村卫生室'}",
            "name_en": f"{'Township' if township else 'Village'} {n + 1}",
            "level": "township" if township else "village",
            "parent_id": county["id"] if township else rng.choice(townships)["id"],
            "code": f"I{n + 1:03d}",
            "created_at": START,
        }
        rows.append(row)
        if township:
            townships.append(row)
    return rows


def fill(db: Database, doctors: int, attempts: int, seed: int = 7) -> None:
    """Bulk-insert the county (fast: executemany over plain dicts)."""
    rng = random.Random(seed)
    catalogue = builtin_catalogue()
    cases = list(catalogue.cases.values())
    scored = {}
    for case in cases:
        for right in (True, False):
            answers = _answers(case, right, rng)
            scored[(case.id, right)] = (
                answers,
                score_case(case, Answers.from_dict(answers)).to_dict(),
            )
    institutions = _institutions(rng, 60)
    users, tries, lessons, exams, credentials = [], [], [], [], []
    module = catalogue.modules[0]
    for n in range(doctors):
        uid = new_id()
        users.append({"id": uid, "username": f"doc{n:05d}", "display_name": f"医生{n:05d}",
                      "role": "learner", "password_hash": "x", "active": True, "failed_logins": 0,
                      "created_at": START, "language": "zh_CN",
                      "practising_number": f"1414{n:011d}",
                      "institution_id": rng.choice(institutions)["id"], "department": "全科",
                      "title": "医师"})  # fmt: skip
        skill = rng.uniform(0.4, 0.95)
        for k in range(attempts):
            case = rng.choice(cases)
            answers, score = scored[(case.id, rng.random() < skill)]
            at = START + timedelta(days=rng.randrange(300), minutes=k)
            tries.append({"id": new_id(), "user_id": uid, "pack_id": "builtin", "pack_version": 1,
                          "case_id": case.id, "case_version": 1, "mode": "practice",
                          "status": "completed", "stage": "feedback", "answers": answers,
                          "stage_seconds": {"presentation": 30.0, "decision": 60.0},
                          "score": score, "started_at": at, "updated_at": at, "completed_at": at,
                          "device_id": "bench", "module_id": None})  # fmt: skip
        for lesson in module.lessons:
            lessons.append({"id": new_id(), "user_id": uid, "module_id": module.id,
                            "lesson_id": lesson.id, "position": 1.0, "active_seconds": 400.0,
                            "checks": {}, "completed_at": START, "updated_at": START,
                            "device_id": "bench"})  # fmt: skip
        for sitting in range(rng.choice((0, 1, 1, 2))):
            exam_cases = rng.sample(cases, 12)
            totals = {c.id: scored[(c.id, rng.random() < skill)][1]["total"] for c in exam_cases}
            score = sum(totals.values()) / len(totals)
            passed = score >= 0.7
            when = START + timedelta(days=200 + 30 * sitting)
            eid = new_id()
            exams.append({"id": eid, "user_id": uid, "blueprint_id": "certification",
                          "module_id": None, "case_ids": list(totals), "started_at": when,
                          "submitted_at": when, "score": score, "passed": passed,
                          "result": {"score": score, "passed": passed, "case_totals": totals,
                                     "critical_errors": [], "active_seconds": 1800.0},
                          "device_id": "bench"})  # fmt: skip
            if passed:
                credentials.append({"id": new_id(), "code": new_id()[:10].upper(), "user_id": uid,
                                    "institution_id": None, "exam_attempt_id": eid,
                                    "blueprint_id": "certification", "holder_name": f"医生{n:05d}",
                                    "levels": {}, "created_at": when, "valid_from": when.date(),
                                    "valid_until": date(2029, 1, 1), "status": "valid",
                                    "device_id": "bench"})  # fmt: skip
    with db.engine.begin() as conn:
        for table, rows in ((Institution, institutions), (User, users), (Attempt, tries),
                            (LessonProgress, lessons), (ExamAttempt, exams),
                            (Credential, credentials)):  # fmt: skip
            conn.execute(insert(table.__table__), rows)  # type: ignore[attr-defined]


def _fill_in_child(data_dir: Path, doctors: int, attempts: int) -> None:
    """Fill in a separate process, so the report's peak memory is its own."""
    code = (
        "import sys; sys.path.insert(0, {repo!r}); sys.path.insert(0, {bench!r});"
        "from reports import fill; from records.db import open_database;"
        "db = open_database(__import__('pathlib').Path({path!r})); fill(db, {d}, {a}); db.close()"
    ).format(
        repo=str(REPO), bench=str(REPO / "benchmarks"), path=str(data_dir), d=doctors, a=attempts
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doctors", type=int, default=5000)
    parser.add_argument("--attempts", type=int, default=20)
    parser.add_argument("--trace", action="store_true", help="also trace Python allocations (slow)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        t = time.perf_counter()
        _fill_in_child(data_dir, args.doctors, args.attempts)
        print(f"filled {args.doctors} doctors x {args.attempts} attempts in "
              f"{time.perf_counter() - t:.1f} s (not part of the figure)")  # fmt: skip
        db = open_database(data_dir)
        admin = User(id=new_id(), username="admin", display_name="管理员", role="admin",
                     password_hash="x")  # fmt: skip
        catalogue = builtin_catalogue()
        _ = catalogue.practice_ids  # content loading is start-up cost, not report cost
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if args.trace:
            tracemalloc.start()
        t, cpu = time.perf_counter(), time.process_time()
        result = export_report(db, admin, "xlsx", data_dir / "out", catalogue)
        elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = result.path.stat().st_size / 1e6
        print(f"county XLSX report: {result.doctors} doctors in {elapsed:.2f} s "
              f"({cpu:.2f} s CPU; target < 10 s); file {size:.1f} MB")  # fmt: skip
        print(
            f"peak RSS {rss:.0f} MB (of which {before:.0f} MB before the report: "
            "Python, SQLAlchemy, the content)"
        )
        if args.trace:
            traced = tracemalloc.get_traced_memory()[1] / 1e6
            print(f"peak traced Python allocations {traced:.0f} MB (tracing slows the timing)")
            tracemalloc.stop()
        db.close()


if __name__ == "__main__":
    main()
