"""Role test: a learner and a trainer cannot reach administrator functions — not in the
window (no navigation entry, no page), not through the core services, not through any
administrator command of the CLI (each refuses with a clear message and exit code 1).

The CLI part finds the administrator commands itself (every sub-command with ``--as``),
so a command added later is covered without editing this test.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from pathlib import Path

import pytest
from driver import open_window, sign_in

from desktop.cli import build_parser, main
from desktop.workspace import NAV
from records import accounts, audit, institutions, people
from records.db import Database, open_database
from xiangyi.i18n import _

# Pages only an administrator has (a trainer also has the authoring studio).
ADMIN_PAGES = {key for key, _label in NAV["admin"]} - {
    key for role in ("learner", "trainer") for key, _label in NAV[role]
}
PEOPLE = {"wang": ("learner", "learner-pass-1"), "zhao": ("trainer", "trainer-pass-1")}


@pytest.fixture
def seeded(data_dir: Path) -> Path:
    db = open_database(data_dir)
    admin = accounts.create_user(db, "admin", "张主任", "admin-pass-1", "admin")
    institutions.create_institution(db, admin, "红星乡卫生院", "township", code="HX-001")
    for username, (role, password) in PEOPLE.items():
        accounts.create_user(db, username, username.title(), password, role, actor_id=admin.id)
    db.close()
    return data_dir


def test_admin_pages_are_known() -> None:
    assert {"accounts", "audit", "certificates"} <= ADMIN_PAGES
    assert not ADMIN_PAGES & {key for key, _label in NAV["learner"] + NAV["trainer"]}


@pytest.mark.parametrize("username", sorted(PEOPLE))
def test_no_admin_page_in_the_window(qtbot, seeded: Path, username: str) -> None:  # type: ignore[no-untyped-def]
    window = open_window(seeded)
    qtbot.addWidget(window)
    sign_in(window, username, PEOPLE[username][1])
    assert window.stack.currentWidget() is window.workspace
    shown = [window.nav.item(row).text() for row in range(window.nav.count())]
    admin_labels = {_(label) for key, label in NAV["admin"] if key in ADMIN_PAGES}
    assert not admin_labels & set(shown)
    assert not ADMIN_PAGES & set(window.pages)
    from desktop.screens.people import AccountsScreen

    assert not any(isinstance(page, AccountsScreen) for page in window.pages.values())
    window.log_out()


def _admin_commands() -> list[tuple[list[str], argparse.ArgumentParser]]:
    found: list[tuple[list[str], argparse.ArgumentParser]] = []

    def walk(parser: argparse.ArgumentParser, prefix: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*prefix, name])
        if any("--as" in action.option_strings for action in parser._actions):
            found.append((prefix, parser))

    walk(build_parser(), [])
    return found


def _argv(prefix: list[str], parser: argparse.ArgumentParser, files: dict[str, Path]) -> list[str]:
    """The command with plausible arguments, so only the role can be the reason to refuse."""
    argv = list(prefix)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.dest == "help":
            continue
        if not action.option_strings:
            if action.choices:
                argv.append(str(next(iter(action.choices))))
            else:
                argv.append(str(files.get(action.dest, "abc")))
        elif action.required and action.dest != "acting":
            value = {"role": "learner", "due": "2027-01-01"}.get(action.dest, "x")
            argv += [action.option_strings[0], str(files.get(action.dest, value))]
        elif action.dest in ("out", "name") and action.option_strings[0].startswith("--"):
            argv += [action.option_strings[0], str(files.get(action.dest, "x"))]
    for group in parser._mutually_exclusive_groups:
        if group.required:
            argv += [group._group_actions[0].option_strings[0], "wang"]
    return [*argv, "--as", "PERSON", "--password-stdin"]


def _run(argv: list[str], stdin: str) -> tuple[int, str]:
    err = io.StringIO()
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(argv)
    finally:
        sys.stdin = old
    return code, err.getvalue()


def test_every_admin_command_refuses_learner_and_trainer(seeded: Path, tmp_path: Path) -> None:
    from case_bank import signing

    key_dir = tmp_path / "keys"
    key_dir.mkdir()
    _private, public, _key = signing.generate_key("trainer-key", key_dir, "passphrase-123")
    dummy = tmp_path / "cohort.csv"
    dummy.write_text("username,name\nli,李医生\n", encoding="utf-8")
    files = {"file": dummy, "files": dummy, "public_file": public, "out": tmp_path / "out"}
    commands = _admin_commands()
    assert len(commands) >= 10  # users, packs, keys, certificates, assignments, …
    db: Database = open_database(seeded)
    try:
        with db.session() as session:
            events_before = len(audit.recent(session, limit=10_000))
        for username, (_role, password) in PEOPLE.items():
            for prefix, parser in commands:
                argv = _argv(prefix, parser, files)
                argv[argv.index("PERSON")] = username
                code, stderr = _run(
                    ["--data-dir", str(seeded), "--lang", "en", *argv], password + "\n" * 3
                )
                assert code == 1, (argv, stderr)
                assert "Only an administrator" in stderr, (argv, stderr)
                assert "Traceback" not in stderr
        assert [u.username for u in accounts.list_users(db)] == ["admin", "wang", "zhao"]
        with db.session() as session:
            new = audit.recent(session, limit=10_000)[: -events_before or None]
        # Only their sign-ins were recorded: no administrative action happened.
        assert {event.event for event in new} <= {"login"}
    finally:
        db.close()


def test_admin_services_refuse_learner_and_trainer(seeded: Path) -> None:
    db = open_database(seeded)
    try:
        for username, (_role, password) in PEOPLE.items():
            user = accounts.authenticate(db, username, password)
            with pytest.raises(accounts.AccountError, match="administrator"):
                people.list_people(db, user)
            with pytest.raises(accounts.AccountError, match="administrator"):
                people.set_role(db, user, user.id, "admin")
    finally:
        db.close()


def test_a_learner_sees_only_their_own_history(qtbot, seeded: Path) -> None:  # type: ignore[no-untyped-def]
    from learning_fixtures import BANK, play, right_answer

    db = open_database(seeded)
    users = {u.username: u for u in accounts.list_users(db)}
    af = BANK["ecg-af-001"]
    play(db, users["wang"].id, af.id, right_answer(af))
    for _i in range(3):
        play(db, users["zhao"].id, af.id, right_answer(af))
    db.close()
    window = open_window(seeded)
    qtbot.addWidget(window)
    sign_in(window, "wang", PEOPLE["wang"][1])
    window._show_page("history")
    assert window.pages["history"].table.rowCount() == 1
    window.log_out()
    sign_in(window, "zhao", PEOPLE["zhao"][1])
    window._show_page("history")
    assert window.pages["history"].table.rowCount() == 3
    window.log_out()
