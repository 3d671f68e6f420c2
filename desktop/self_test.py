"""``xiangyi --self-test``: a smoke test a clinic IT helper can run on an installation.

Everything runs through the real code on a fresh database in a temporary folder: the
built-in files against the build's manifest (every checksum), the content loads, one
case of each AI kind is played stage by stage with the answers from its key and
scored, the certification exam is sat and passed, a certificate is issued (pending),
signed with a throw-away issuing key and verified from its PDF, its Open Badge and its
code. The window part (``desktop.self_test_qt``, reached through ``desktop.app``)
builds the main window, one renderer per AI kind and the studio's editor for each kind
(the ECG one also generates a signal), offscreen when there is no display.

One line per check; the first failure stops the test with a clear message, keeps the
temporary folder for inspection and exits 1. This module never imports Qt.
"""

from __future__ import annotations

import json
import logging
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from xiangyi import __version__
from xiangyi.i18n import _

if TYPE_CHECKING:
    from case_bank.models import Case
    from case_bank.pack import Pack
    from records.db import Database
    from records.tables import User

_log = logging.getLogger(__name__)
T = TypeVar("T")
EXIT_OK, EXIT_FAILED = 0, 1


class CheckFailed(Exception):
    """A check found something wrong; ``str()`` is the translated explanation."""


class _Stop(Exception):
    pass


@dataclass
class Report:
    """Prints one line per check and counts them."""

    out: TextIO = field(default_factory=lambda: sys.stdout)
    passed: int = 0
    failure: str | None = None

    def run(self, label: str, check: Callable[[], tuple[T, str]]) -> T:
        """Run ``check`` (returns its value and a detail to print); stop on failure."""
        started = time.perf_counter()
        try:
            value, detail = check()
        except Exception as exc:
            _log.exception("Self-test check failed: %s", label)
            reason = str(exc) if isinstance(exc, CheckFailed) else f"{type(exc).__name__}: {exc}"
            self.failure = label
            self.line(_("FAILED"), label, reason)
            raise _Stop from exc
        self.passed += 1
        self.line(_("Passed"), label, f"{detail} ({time.perf_counter() - started:.2f} s)")
        return value

    def line(self, status: str, label: str, detail: str) -> None:
        print(f"[{status}] {label}: {detail}", file=self.out, flush=True)


@dataclass
class World:
    """What the checks build up, passed on to the next ones."""

    folder: Path
    db: Database | None = None
    admin: User | None = None
    learner: User | None = None
    packs: list[Pack] = field(default_factory=list)
    samples: list[tuple[Pack, Case]] = field(default_factory=list)  # one case per AI kind
    exam_attempt_id: str | None = None
    files: dict[str, Path] = field(default_factory=dict)

    @property
    def bank(self) -> dict[str, Case]:
        return {case.id: case for pack in self.packs for case in pack.cases}


# --- the checks -----------------------------------------------------------------------------


def check_installation() -> tuple[None, str]:
    from xiangyi import installation

    count = installation.manifest_count()
    problems = installation.check_content(thorough=True)
    if problems:
        raise CheckFailed(str(installation.DamagedInstallation(problems)))
    if count is None:
        return None, _("running from source: no build manifest to compare with")
    return None, _("{n} files match the build's manifest").format(n=count)


def check_content(world: World) -> tuple[None, str]:
    from assessments.blueprints import builtin_blueprints
    from case_bank.pack import PackError, builtin_packs
    from courses.loader import KnownIds, builtin_modules_dir, load_modules

    try:
        world.packs = builtin_packs()
    except PackError as exc:
        lines = "\n  ".join(str(p) for p in exc.problems[:8])
        raise CheckFailed(
            _("The built-in content of this installation is damaged:") + "\n  " + lines
        ) from exc
    known = KnownIds(cases=frozenset(world.bank))
    modules = load_modules(builtin_modules_dir(), known)
    broken = [str(p) for m in modules for p in m.problems if p.severity == "error"]
    if broken:
        raise CheckFailed(_("A built-in training module has errors:") + "\n  " + broken[0])
    blueprints = builtin_blueprints()
    by_kind: dict[str, tuple[Pack, Case]] = {}
    for pack in world.packs:
        for case in pack.cases:
            by_kind.setdefault(str(case.ai_kind), (pack, case))
    world.samples = [by_kind[kind] for kind in sorted(by_kind)]
    detail = _("{packs} packs, {cases} cases, {modules} modules, {blueprints} blueprints").format(
        packs=len(world.packs),
        cases=len(world.bank),
        modules=len(modules),
        blueprints=len(blueprints),
    )
    return None, detail


def check_catalogues() -> tuple[None, str]:
    from xiangyi import i18n

    for language in i18n.LANGUAGES:
        # Any message known to be translated: the name of the app.
        if language != "en" and i18n.translate_to(language, "Xiangyi") == "Xiangyi":
            raise CheckFailed(
                _("The translations for {language} are missing.").format(
                    language=i18n.LANGUAGES[language]
                )
            )
    return None, ", ".join(i18n.LANGUAGES.values())


def check_database(world: World) -> tuple[None, str]:
    from records.db import open_database, postgresql_available
    from records.migrations import HEAD_REVISION

    world.db = open_database(world.folder)
    hub = _("PostgreSQL for a county hub: not in this build")
    if postgresql_available():
        import psycopg  # the county build: the driver and its libpq must load

        hub = _("PostgreSQL for a county hub: available ({driver})").format(
            driver=f"psycopg {psycopg.__version__}, {psycopg.pq.__impl__}"
        )
    return None, _("created in {path} (schema {revision}); {hub}").format(
        path=world.folder, revision=HEAD_REVISION, hub=hub
    )


def check_accounts(world: World) -> tuple[None, str]:
    from records import accounts

    assert world.db is not None
    password = secrets.token_urlsafe(12)
    world.admin = accounts.create_user(world.db, "selftest-admin", "Self-test", password, "admin")
    world.learner = accounts.create_user(
        world.db, "selftest-doctor", "自检医生", password, "learner", actor_id=world.admin.id
    )
    signed_in = accounts.authenticate(world.db, "selftest-doctor", password)
    if signed_in.id != world.learner.id:
        raise CheckFailed(_("Signing in returned another account."))
    return None, _("an administrator and a doctor; the doctor signed in")


def key_answers(case: Case) -> dict[str, Any]:
    """What a doctor who follows the case's key answers, in ``records.attempts`` layout."""
    best = max(case.key.interpretation, key=lambda option: case.key.interpretation[option])
    decision = {
        "reliance": str(case.key.expected_reliance),
        "interpretation": best,
        "confidence": 0.9,
        "action": case.key.ideal_actions[0],
        "limitations": [str(x) for x in case.key.limitations],
        "rationale": "self-test",
    }
    answers: dict[str, Any] = {"decision": decision}
    if case.own_read is not None:
        answers["own_read"] = {"interpretation": best}
    return answers


def play_case(world: World, pack: Pack, case: Case) -> tuple[None, str]:
    from case_bank.assets import check_output_assets
    from records import attempts

    assert world.db is not None and world.learner is not None and pack.info is not None
    problems = check_output_assets(case.ai_output, pack.folder, read=True)
    if problems:
        raise CheckFailed(
            _("The case's files cannot be read: {problem}").format(problem=problems[0][1])
        )
    answers = key_answers(case)
    attempt = attempts.start_attempt(
        world.db, world.learner.id, pack.info.id, pack.info.version, case
    )
    stages = [attempt.stage]
    while attempt.stage != attempts.FEEDBACK:
        attempt = attempts.advance(world.db, attempt, case, answers.get(attempt.stage), 1.0)
        stages.append(attempt.stage)
    score = attempt.score or {}
    if attempt.status != "completed" or score.get("total") != 1.0 or score.get("critical_error"):
        raise CheckFailed(
            _("The key's answers did not earn full marks (score {score}).").format(
                score=score.get("total")
            )
        )
    detail = _("{case}: {stages} stages, score {score:.2f}").format(
        case=case.id, stages=len(stages), score=score["total"]
    )
    return None, detail


def sit_certification_exam(world: World) -> tuple[None, str]:
    from assessments import exam as logic
    from assessments.assembly import eligible
    from assessments.blueprints import builtin_blueprints
    from records import exams

    assert world.db is not None and world.learner is not None
    blueprint = next(b for b in builtin_blueprints().values() if b.certifying)
    cases_by_pack = {p.info.id: p.cases for p in world.packs if p.info is not None}
    at = time.time()
    state = exams.start(
        world.db, world.learner.id, blueprint, eligible(blueprint, cases_by_pack), at, seed=1
    )
    bank = world.bank
    for step, case_id in enumerate(state.case_ids, start=1):
        case = bank[case_id]
        answers = key_answers(case)
        if case.own_read is not None:
            event = logic.ExamEvent(
                logic.OWN_READ,
                at + step,
                {"case_id": case_id, "interpretation": answers["own_read"]["interpretation"]},
            )
            exams.append(world.db, state.attempt_id, event)
        event = logic.answer_event(case, answers, at + step + 0.5, blueprint.own_read_required)
        exams.append(world.db, state.attempt_id, event)
    result = exams.finish(world.db, state.attempt_id, at + len(state.case_ids) + 1, bank, blueprint)
    if not result.passed:
        raise CheckFailed(
            _("The exam was not passed with the key's answers (score {score}).").format(
                score=result.score
            )
        )
    world.exam_attempt_id = state.attempt_id
    detail = _("{id}: {n} cases, score {score:.2f}, passed").format(
        id=blueprint.id, n=len(state.case_ids), score=result.score
    )
    return None, detail


def issue_certificate(world: World) -> tuple[None, str]:
    from records.credentials import documents, issuer, issuing

    assert world.db is not None and world.admin is not None
    assert world.exam_attempt_id is not None
    # A throw-away issuing key with a generated passphrase: nothing of this PC's own.
    passphrase = secrets.token_urlsafe(24)
    issuer.create_issuer_key(world.db, world.folder, world.admin, _("Self-test"), passphrase)
    pending = issuing.issue_for_exam(world.db, world.exam_attempt_id, cases=world.bank)
    if issuing.status_of(pending) != issuing.PENDING:
        raise CheckFailed(_("The new certificate is not waiting for a signature."))
    key = issuer.unlock(world.folder, passphrase)
    signed = issuing.sign_pending(world.db, key, actor_id=world.admin.id)
    if [c.id for c in signed] != [pending.id]:
        raise CheckFailed(_("Signing did not sign the pending certificate."))
    credential = signed[0]
    world.files["pdf"] = world.folder / "certificate.pdf"
    world.files["badge"] = world.folder / "certificate.json"
    documents.save_certificate_pdf(world.db, credential, world.files["pdf"])
    documents.save_open_badge(credential, world.files["badge"])
    world.files["code"] = Path(credential.code)
    return None, _("issued, signed; PDF and Open Badge written")


def verify_certificate(world: World) -> tuple[None, str]:
    from records.credentials.verify import verify_input

    assert world.db is not None
    for kind in ("pdf", "badge", "code"):
        target = str(world.files[kind]) if kind != "code" else world.files[kind].name
        result = verify_input(world.db, target)
        if not result.ok:
            raise CheckFailed(f"{kind}: {result.message} {' '.join(result.problems)}")
    # A changed copy must be refused.
    doc = json.loads(world.files["badge"].read_text(encoding="utf-8"))
    doc["validUntil"] = "2099-12-31T23:59:59Z"  # a longer validity than was signed
    changed = world.folder / "changed.json"
    changed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    if verify_input(world.db, str(changed)).ok:
        raise CheckFailed(_("A changed certificate was accepted."))
    return None, _("PDF, Open Badge and code valid; a changed copy refused")


# --- running them ---------------------------------------------------------------------------


def _close_log(folder: Path) -> None:
    """Stop logging into the test folder (Windows cannot delete an open file)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_xiangyi", False):
            root.removeHandler(handler)
            handler.close()


QtChecks = Callable[[Report, World], None]


def run(qt_checks: QtChecks | None = None, out: TextIO | None = None) -> int:
    """Run every check; 0 when all pass. ``qt_checks`` adds the window part."""
    from xiangyi import logs

    report = Report(out or sys.stdout)
    folder = Path(tempfile.mkdtemp(prefix="xiangyi-self-test-"))
    log_file = logs.configure(folder)
    world = World(folder)
    print(_("Xiangyi {version} self-test").format(version=__version__), file=report.out)
    started = time.perf_counter()
    try:
        report.run(_("Built-in files"), check_installation)
        report.run(_("Built-in content"), lambda: check_content(world))
        report.run(_("Translations"), check_catalogues)
        report.run(_("Database"), lambda: check_database(world))
        report.run(_("Accounts"), lambda: check_accounts(world))
        for pack, case in world.samples:
            label = _("Case, AI kind {kind}").format(kind=case.ai_kind)
            report.run(label, lambda p=pack, c=case: play_case(world, p, c))  # type: ignore[misc]
        report.run(_("Certification exam"), lambda: sit_certification_exam(world))
        report.run(_("Certificate"), lambda: issue_certificate(world))
        report.run(_("Verification"), lambda: verify_certificate(world))
        if world.db is not None:
            world.db.close()
            world.db = None
        if qt_checks is not None:
            qt_checks(report, world)
    except _Stop:
        print(
            _("Self-test FAILED at: {check}. The test folder is kept: {path}").format(
                check=report.failure, path=folder
            ),
            file=report.out,
        )
        print(_("Details are in {path}").format(path=log_file), file=report.out)
        return EXIT_FAILED
    finally:
        if world.db is not None:
            world.db.close()
        _close_log(folder)
    shutil.rmtree(folder, ignore_errors=True)
    print(
        _("Self-test passed: {n} checks in {seconds:.1f} s.").format(
            n=report.passed, seconds=time.perf_counter() - started
        ),
        file=report.out,
    )
    return EXIT_OK
