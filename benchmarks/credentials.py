"""Issuing certificates for a large cohort: each credential is issued from a passed exam,
signed, and written as PDF + Open Badges JSON. Target from issue 9: 1,000 in under
60 s with flat memory. Prints the time and the resident memory (RSS) after each tenth,
so a leak shows as a rising column.

    python benchmarks/credentials.py [--count 1000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from records import accounts, institutions  # noqa: E402
from records.credentials import documents, issuer, issuing  # noqa: E402
from records.db import open_database  # noqa: E402
from records.tables import ExamAttempt, User  # noqa: E402

LEVELS = ("competent", "proficient", "developing", "competent", "competent", "developing")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国秀英明华丽军伟芳敏静强磊洋勇艳杰娟涛超"


def rss_mib() -> float:
    """Current resident set size (Linux /proc), falling back to the peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    count = parser.parse_args().count
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        db = open_database(data_dir)
        admin = accounts.create_user(db, "admin", "管理员", "password-123", "admin")
        township = institutions.create_institution(db, admin, "红星乡卫生院", "township")
        issuer.create_issuer_key(
            db, data_dir, admin, "青山县卫生健康委员会", "benchmark passphrase"
        )
        key = issuer.unlock(data_dir, "benchmark passphrase")
        attempts = []
        with db.session() as session:  # accounts without argon2: that cost is not measured
            for i in range(count):
                name = SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20]
                user = User(
                    username=f"doctor{i:05d}",
                    display_name=name,
                    role="learner",
                    password_hash="-",
                    practising_number=f"1414403{i:08d}",
                    institution_id=township.id,
                )
                session.add(user)
                session.flush()
                attempt = ExamAttempt(
                    user_id=user.id,
                    blueprint_id="certification",
                    case_ids=[],
                    submitted_at=datetime(2025, 6, 2, tzinfo=UTC),
                    passed=True,
                    score=0.8,
                    result={},
                )
                session.add(attempt)
                session.flush()
                attempts.append(attempt.id)
        out = data_dir / "certificates"
        out.mkdir()
        domains = (
            "basic_knowledge",
            "social_ethical",
            "clinical_encounters",
            "evidence_evaluation",
            "workflow_analysis",
            "practice_improvement",
        )
        levels = dict(zip(domains, LEVELS, strict=True))
        start, cpu_start = time.perf_counter(), time.process_time()
        marks = []
        for i, attempt_id in enumerate(attempts, start=1):
            credential = issuing.issue_for_exam(db, attempt_id, levels=levels, signer=key)
            documents.save_certificate_pdf(db, credential, out / f"{credential.code}.pdf")
            documents.save_open_badge(credential, out / f"{credential.code}.json")
            if i % max(1, count // 10) == 0:
                marks.append((i, time.perf_counter() - start, rss_mib()))
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
        size = sum(p.stat().st_size for p in out.iterdir()) / count / 1024
        db.close()
    print(
        f"Issued {count} certificates (PDF + JSON) in {elapsed:.1f} s "
        f"({elapsed / count * 1000:.0f} ms each; target: 1,000 in under 60 s)"
    )
    print(
        f"CPU time of this process: {cpu:.1f} s (wall time also counts disk syncs and other load)"
    )
    print(f"Average files per certificate: {size:.0f} KiB")
    print("after  seconds  RSS MiB")
    for done, seconds, rss in marks:
        print(f"{done:5d}  {seconds:7.1f}  {rss:7.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak RSS: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
