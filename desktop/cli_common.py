"""Helpers shared by the headless ``pack`` and ``keys`` commands (Qt-free)."""

from __future__ import annotations

import argparse
import functools
import getpass
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from xiangyi.i18n import _

if TYPE_CHECKING:
    from records.db import Database
    from records.tables import User

EXIT_OK, EXIT_ERROR = 0, 1
Handler = Callable[[argparse.Namespace], int]


def add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-stdin",
        action="store_true",
        help=_("read the key passphrase from standard input"),
    )


def add_admin_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument(
        "--as",
        dest="acting",
        required=required,
        help=_("administrator user name authorising this"),
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help=_("read the administrator's password from standard input"),
    )


def read_secret(prompt: str, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass(prompt)


def error(message: str) -> None:
    print(message, file=sys.stderr)


def user_errors(handler: Handler) -> Handler:
    """Turn the expected refusals into a message and exit code 1, never a traceback."""

    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace) -> int:
        from case_bank.archive import ArchiveError
        from case_bank.signing import SigningError
        from records.accounts import AccountError, LoginError
        from records.packs import PackInstallError

        try:
            return handler(args)
        except PackInstallError as exc:
            error(str(exc))
            for problem in exc.problems:
                error("  " + problem)
        except (ArchiveError, SigningError, AccountError, LoginError) as exc:
            error(str(exc))
        except OSError as exc:
            error(_("A file could not be read or written: {error}").format(error=exc))
        return EXIT_ERROR

    return wrapped


def open_db(args: argparse.Namespace) -> Database:
    from records.db import open_database
    from xiangyi.paths import data_dir

    return open_database(data_dir(args.data_dir), args.db)


def data_folder(args: argparse.Namespace) -> Path:
    from xiangyi.paths import data_dir

    return data_dir(args.data_dir)


def authenticate_admin(db: Database, args: argparse.Namespace) -> User:
    from records import accounts

    secret = read_secret(_("Administrator password: "), args.password_stdin)
    actor = accounts.authenticate(db, args.acting, secret)
    if actor.role != accounts.Role.ADMIN:
        raise accounts.AccountError(_("Only an administrator can do this."))
    return actor
