"""Another session writing attempts without pause (run as a separate process by
test_backups.py): each transaction adds one complete attempt and raises the ``written``
counter, so a consistent copy always holds exactly ``written`` attempts."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import Integer, String, cast, update

from records.db import open_database
from records.tables import Attempt, Setting, utcnow

STAGES = ("presentation", "own_read", "ai_output", "decision", "feedback")


def write_until_stopped(data_dir: Path, user_id: str, stop: Path, ready: Path) -> int:
    db = open_database(data_dir)
    with db.session() as session:
        if session.get(Setting, "written") is None:
            session.add(Setting(key="written", value="0"))
    written = 0
    try:
        while not stop.exists():
            with db.session() as session:
                # Raise the counter first: the UPDATE opens the write transaction, so the
                # value read next cannot be stale (a restore may happen between two).
                session.execute(
                    update(Setting)
                    .where(Setting.key == "written")
                    .values(value=cast(cast(Setting.value, Integer) + 1, String))
                )
                written = int(session.get_one(Setting, "written").value)
                session.add(
                    Attempt(
                        user_id=user_id,
                        pack_id="writer",
                        pack_version=1,
                        case_id=f"case-{written}",
                        case_version=1,
                        status="completed",
                        stage="feedback",
                        answers={stage: f"answer {written}" for stage in STAGES},
                        score={"total": written},
                        completed_at=utcnow(),
                    )
                )
            if written == 20:
                ready.touch()
    finally:
        db.close()
    return written


if __name__ == "__main__":
    folder, user, stop_file, ready_file = sys.argv[1:5]
    write_until_stopped(Path(folder), user, Path(stop_file), Path(ready_file))
