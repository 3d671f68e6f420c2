"""Importing record bundles at the county hub. Target from issue 10: 100 bundles holding
100,000 case attempts (plus people, profile history, lesson records and hash-chained
exams) in under 30 s into SQLite, under 60 s into PostgreSQL.

The bundles are generated first, in a child process, so the peak memory printed is that
of the importing process alone. Give ``--db`` to import into another database (it should
be empty: records already there are skipped, and the counts say so).

    python benchmarks/bundles.py [--bundles 100] [--attempts 100000]
    python benchmarks/bundles.py --db postgresql+psycopg://user@host/hub
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from assessments import exam as exam_logic  # noqa: E402
from case_bank.signing import PublicKey  # noqa: E402
from records.bundles import import_bundle  # noqa: E402
from records.bundles.archive import FORMAT, VERSION, MemberWriter  # noqa: E402
from records.bundles.rows import KINDS  # noqa: E402
from records.db import open_database  # noqa: E402

CLINICS = 10
DOCTORS = 20
EXAMS_PER_BUNDLE = 20


def _id() -> str:
    return uuid.uuid4().hex


def _clinic(n: int) -> dict[str, Any]:
    """A clinic: its key, device, two institutions and its doctors (with history)."""
    now = datetime(2026, 1, 1, tzinfo=UTC)
    town, village = _id(), _id()
    institutions = [
        {"id": town, "name_zh": f"第{n}乡卫生院", "name_en": "", "level": "township",
         "parent_id": None, "code": None, "created_at": now.isoformat()},
        {"id": village, "name_zh": f"第{n}村卫生室", "name_en": "", "level": "village",
         "parent_id": town, "code": None, "created_at": now.isoformat()},
    ]  # fmt: skip
    users, changes = [], []
    for d in range(DOCTORS):
        user = {"id": _id(), "username": f"doc{d}", "display_name": f"医生{n}-{d}",
                "role": "learner", "active": True, "created_at": now.isoformat(),
                "language": "zh_CN", "practising_number": f"{n:04d}{d:06d}",
                "institution_id": village, "department": None, "title": "乡村医生"}  # fmt: skip
        users.append(user)
        for field in ("display_name", "practising_number", "institution_id", "title"):
            changes.append({"id": _id(), "user_id": user["id"], "field": field,
                            "value": user[field], "changed_at": now.isoformat(),
                            "device_id": ""})  # fmt: skip
    return {"key": Ed25519PrivateKey.generate(), "device": _id(), "institutions": institutions,
            "users": users, "profile_changes": changes}  # fmt: skip


def _attempt(user_id: str, device: str, when: datetime, n: int) -> dict[str, Any]:
    return {"id": _id(), "user_id": user_id, "pack_id": "core", "pack_version": 1,
            "case_id": f"case-{n % 40}", "case_version": 1, "mode": "practice",
            "status": "completed", "stage": "done",
            "answers": {"triage": {"choice": "refer", "confidence": 0.7},
                        "diagnosis": {"choice": "pneumonia", "ai_followed": True}},
            "stage_seconds": {"triage": 31.5, "diagnosis": 48.0},
            "score": {"total": 0.75, "critical": [], "reliance": "appropriate"},
            "started_at": (when - timedelta(minutes=4)).isoformat(),
            "updated_at": when.isoformat(), "completed_at": when.isoformat(),
            "device_id": device, "module_id": "m1"}  # fmt: skip


def _exam(user_id: str, device: str, when: datetime) -> tuple[dict[str, Any], list[Any]]:
    exam = {"id": _id(), "user_id": user_id, "blueprint_id": "certification",
            "module_id": None, "case_ids": ["a", "b", "c"], "started_at": when.isoformat(),
            "submitted_at": when.isoformat(), "score": 0.8, "passed": True,
            "result": {"score": 0.8}, "device_id": device}  # fmt: skip
    events, previous = [], None
    for seq in range(8):
        event = exam_logic.ExamEvent("answer", 100.0 + seq, {"case": seq, "choice": "a"})
        previous = exam_logic.chain_record(previous, exam["id"], event)
        events.append({"id": _id(), "attempt_id": exam["id"], "seq": previous.seq,
                       "kind": "answer", "at": event.at, "data": dict(event.data),
                       "prev_hash": previous.prev_hash, "hash": previous.hash})  # fmt: skip
    return exam, events


def _write(path: Path, clinic: dict[str, Any], attempts: int, batch: int) -> None:
    import json

    when = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(days=batch)
    rows: dict[str, list[dict[str, Any]]] = {k.name: [] for k in KINDS}
    for name in ("institutions", "users", "profile_changes"):
        rows[name] = clinic[name]
    users = [u["id"] for u in clinic["users"]]
    rows["attempts"] = [
        _attempt(users[n % len(users)], clinic["device"], when, n) for n in range(attempts)
    ]
    rows["lesson_progress"] = [
        {"id": _id(), "user_id": u, "module_id": "m1", "lesson_id": f"l{batch}",
         "position": 1.0, "active_seconds": 300.0, "checks": {}, "completed_at": None,
         "updated_at": when.isoformat(), "device_id": clinic["device"]} for u in users
    ]  # fmt: skip
    for n in range(EXAMS_PER_BUNDLE):
        exam, events = _exam(users[n % len(users)], clinic["device"], when)
        rows["exam_attempts"].append(exam)
        rows["exam_events"].extend(events)
    key = clinic["key"]
    public = PublicKey("bench", key.public_key().public_bytes_raw())
    with path.open("wb") as handle:
        writer = MemberWriter(handle)
        for kind in KINDS:
            lines = [json.dumps(r, ensure_ascii=False).encode() + b"\n" for r in rows[kind.name]]
            writer.add(kind.member, [b"".join(lines)])
        writer.add("revocations.json", [b'{"format": "xiangyi-revocations", "revocations": []}'])
        manifest = {"format": FORMAT, "version": VERSION, "bundle_id": _id(),
                    "device_id": clinic["device"], "created_at": when.isoformat(), "since": None,
                    "signer": {"name": "clinic", "fingerprint": public.fingerprint},
                    "counts": {**{k: len(v) for k, v in rows.items()},
                               "revocations": 0}}  # fmt: skip
        writer.finish(manifest, key, public.fingerprint)


def generate(folder: Path, bundles: int, attempts: int, keys_file: Path) -> None:
    """Write the bundles (run in a child process) and the signers' public keys."""
    import json

    clinics = [_clinic(n) for n in range(CLINICS)]
    per_bundle = attempts // bundles
    for b in range(bundles):
        _write(folder / f"{b:03d}.xybundle", clinics[b % CLINICS], per_bundle, b // CLINICS)
    keys = {
        PublicKey("c", c["key"].public_key().public_bytes_raw()).fingerprint: (
            f"clinic {n}",
            c["key"].public_key().public_bytes_raw().hex(),
        )
        for n, c in enumerate(clinics)
    }
    keys_file.write_text(json.dumps(keys))


def main() -> int:
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    parser = argparse.ArgumentParser()
    parser.add_argument("--bundles", type=int, default=100)
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        keys_file = folder / "keys.json"
        started = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=generate, args=(folder, args.bundles, args.attempts, keys_file)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            print("generating the bundles failed")
            return 1
        size = sum(p.stat().st_size for p in folder.glob("*.xybundle"))
        print(f"generated {args.bundles} bundles ({size / 2**20:.1f} MiB) "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        trusted = {
            fp: (name, Ed25519PublicKey.from_public_bytes(bytes.fromhex(raw)))
            for fp, (name, raw) in json.loads(keys_file.read_text()).items()
        }
        (folder / "hub").mkdir()
        db = open_database(folder / "hub", args.db)
        totals: dict[str, int] = {}
        started = time.perf_counter()
        for path in sorted(folder.glob("*.xybundle")):
            report = import_bundle(db, path, trusted=trusted)
            for name, n in report.added.items():
                totals[name] = totals.get(name, 0) + n
        elapsed = time.perf_counter() - started
        db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {args.db or 'SQLite (new file)'}")
    print("added: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    print(f"import of {args.bundles} bundles: {elapsed:.1f} s "
          f"({totals.get('attempts', 0) / elapsed:,.0f} attempts/s); "
          f"peak memory of the importing process {peak:.0f} MiB")  # fmt: skip
    print("targets: < 30 s into SQLite, < 60 s into PostgreSQL")
    return 0


if __name__ == "__main__":
    sys.exit(main())
