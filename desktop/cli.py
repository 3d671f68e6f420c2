"""The ``xiangyi`` command. Headless sub-commands never import Qt; with no
sub-command the desktop app starts (the one sanctioned lazy import of Qt)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from desktop import (
    cli_assign,
    cli_backups,
    cli_bundles,
    cli_credentials,
    cli_learning,
    cli_packs,
    cli_people,
    cli_reports,
)
from xiangyi import __version__, i18n
from xiangyi.i18n import _

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _language_from_env() -> str:
    for name in ("XIANGYI_LANG", "LANGUAGE", "LC_ALL", "LANG"):
        value = os.environ.get(name, "")
        if value.lower().startswith("en"):
            return "en"
        if value.lower().startswith("zh"):
            return "zh_CN"
    return i18n.DEFAULT_LANGUAGE


def _language_from_argv(argv: list[str]) -> str | None:
    """``--lang X`` or ``--lang=X`` given before parsing, when X is a known language."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
        if value in i18n.LANGUAGES:
            return value
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xiangyi", description=_("Xiangyi: training doctors to use clinical AI tools.")
    )
    parser.add_argument("--version", action="store_true", help=_("print the version and exit"))
    parser.add_argument("--data-dir", help=_("folder for the database, logs and backups"))
    parser.add_argument("--db", help=_("database URL (default: SQLite in the data folder)"))
    parser.add_argument("--lang", choices=sorted(i18n.LANGUAGES), help=_("language"))
    parser.add_argument(
        "--self-test",
        action="store_true",
        help=_("check this installation on a temporary database and exit (0 when all is well)"),
    )
    commands = parser.add_subparsers(dest="command")

    db = commands.add_parser("db", help=_("database maintenance"))
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help=_("create or migrate the database"))
    cli_backups.add_commands(db_commands)

    users = commands.add_parser("users", help=_("manage accounts"))
    user_commands = users.add_subparsers(dest="users_command", required=True)
    add = user_commands.add_parser("add", help=_("add an account"))
    add.add_argument("username")
    add.add_argument("--name", required=True, help=_("full name"))
    add.add_argument("--role", required=True, choices=["learner", "trainer", "admin"])
    add.add_argument("--as", dest="acting", help=_("administrator user name authorising this"))
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read passwords from standard input, one per line (administrator's first)"),
    )
    user_commands.add_parser("list", help=_("list accounts"))
    cli_people.add_users_commands(user_commands)
    cli_packs.add_commands(commands)
    cli_learning.add_commands(commands)
    cli_credentials.add_commands(commands)
    cli_assign.add_commands(commands)
    cli_reports.add_commands(commands)
    cli_bundles.add_commands(commands)
    return parser


def _read_secret(prompt: str, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass(prompt)


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from records.db import open_database
    from xiangyi.paths import data_dir

    return open_database(data_dir(args.data_dir), args.db)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from records.migrations import HEAD_REVISION

    db = _open(args)
    db.close()
    print(_("Database is up to date (schema {revision}).").format(revision=HEAD_REVISION))
    return EXIT_OK


def cmd_users_add(args: argparse.Namespace) -> int:
    from records import accounts

    db = _open(args)
    try:
        actor_id = None
        if not (accounts.needs_first_admin(db) and args.role == "admin"):
            if not args.acting:
                print(
                    _("Adding an account needs an administrator: use --as USERNAME."),
                    file=sys.stderr,
                )
                return EXIT_ERROR
            secret = _read_secret(_("Administrator password: "), args.password_stdin)
            actor = accounts.authenticate(db, args.acting, secret)
            if actor.role != accounts.Role.ADMIN:
                print(_("Only an administrator can add accounts."), file=sys.stderr)
                return EXIT_ERROR
            actor_id = actor.id
        password = _read_secret(_("Password for the new account: "), args.password_stdin)
        user = accounts.create_user(
            db, args.username, args.name, password, args.role, actor_id=actor_id
        )
    except (accounts.AccountError, accounts.LoginError) as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    finally:
        db.close()
    print(
        _("Account '{name}' added with role {role}.").format(
            name=user.username, role=_(accounts.ROLE_LABELS[accounts.Role(user.role)])
        )
    )
    return EXIT_OK


def cmd_users_list(args: argparse.Namespace) -> int:
    from records import accounts

    db = _open(args)
    try:
        for user in accounts.list_users(db):
            role = _(accounts.ROLE_LABELS[accounts.Role(user.role)])
            state = _("active") if user.active else _("deactivated")
            print(f"{user.username}\t{user.display_name}\t{role}\t{state}")
    finally:
        db.close()
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    from desktop.cli_argparse import translate_argparse

    translate_argparse()
    i18n.set_language(_language_from_env())
    # The help texts are translated when the parser is built, so --lang must act first.
    early = _language_from_argv(sys.argv[1:] if argv is None else argv)
    if early:
        i18n.set_language(early)
    args = build_parser().parse_args(argv)
    if args.lang:
        i18n.set_language(args.lang)
    if args.version:
        print(f"xiangyi {__version__}")
        return EXIT_OK
    if args.self_test:
        from desktop import self_test
        from desktop.app import self_test_window

        return self_test.run(self_test_window)
    from xiangyi import logs
    from xiangyi.paths import data_dir

    try:
        base = data_dir(args.data_dir)
        logs.configure(base)
    except OSError as exc:  # a file in the way, no permission, a full or missing drive
        message = _("The data folder {path} cannot be used: {error}").format(
            path=exc.filename or args.data_dir or "", error=exc.strerror or exc
        )
        print(message, file=sys.stderr)
        if args.command is None:  # the window: there may be no console to read this
            from desktop.app import show_start_failure

            show_start_failure(message)
        return EXIT_ERROR
    if args.command is None:
        from desktop.app import run

        return run(base, args.db, args.lang)
    from case_bank.pack import PackError
    from records.db import StorageError

    handlers = {
        ("db", "upgrade"): cmd_db_upgrade,
        ("users", "add"): cmd_users_add,
        ("users", "list"): cmd_users_list,
        **cli_packs.HANDLERS,
        **cli_learning.HANDLERS,
        **cli_credentials.HANDLERS,
        **cli_assign.HANDLERS,
        **cli_reports.HANDLERS,
        **cli_people.HANDLERS,
        **cli_bundles.HANDLERS,
        **cli_backups.HANDLERS,
    }
    key = (args.command, getattr(args, f"{args.command}_command", None))
    try:
        return handlers[key](args)  # type: ignore[index]
    except StorageError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERROR
    except PackError as exc:  # the built-in content is damaged: say where, no traceback
        print(_("The built-in content of this installation is damaged:"), file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_ERROR


def entry() -> None:
    """Console entry point: Ctrl-C or an empty prompt end quietly, never in a traceback."""
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\n" + _("Cancelled."), file=sys.stderr)
        sys.exit(130)
    except EOFError:
        print("\n" + _("Cancelled: no input was given."), file=sys.stderr)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    entry()
