"""``xiangyi users import`` and ``users template``: a cohort from an XLSX or CSV sheet,
checked row by row before anything is written (Qt-free)."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Any

from desktop.cli_common import (
    EXIT_ERROR,
    EXIT_OK,
    Handler,
    add_admin_options,
    authenticate_admin,
    error,
    open_db,
    user_errors,
)
from xiangyi.i18n import _, ngettext


def add_users_commands(user_commands: Any) -> None:
    """Add ``import`` and ``template`` under the existing ``users`` sub-parsers."""
    p = user_commands.add_parser(
        "import", help=_("import a cohort from an XLSX or CSV file (administrator only)")
    )
    p.add_argument("file", help=_("the filled-in cohort template (.xlsx or .csv)"))
    p.add_argument(
        "--dry-run",
        action="store_true",
        help=_("only check the file and list every problem by row; write nothing"),
    )
    p.add_argument(
        "--passwords-out",
        help=_("save generated initial passwords to this CSV file instead of printing them"),
    )
    add_admin_options(p, required=True)
    p = user_commands.add_parser("template", help=_("save an empty cohort template"))
    p.add_argument("file", help=_("where to save it (.xlsx or .csv)"))


@user_errors
def cmd_users_import(args: argparse.Namespace) -> int:
    from records.cohort_import import CohortError, check_cohort, import_cohort, problems_text

    path = Path(args.file)
    db = open_db(args)
    try:
        actor = authenticate_admin(db, args)
        check = check_cohort(db, path)
        if not check.ok:
            for line in problems_text(check):
                error(line)
            rows = len(check.problem_rows())
            if rows:
                error(
                    ngettext(
                        "{n} row has problems; nothing was written.",
                        "{n} rows have problems; nothing was written.",
                        rows,
                    ).format(n=rows)
                )
            return EXIT_ERROR
        count = len(check.people)
        if args.dry_run:
            print(
                ngettext(
                    "No problems: {n} person is ready to import.",
                    "No problems: {n} people are ready to import.",
                    count,
                ).format(n=count)
            )
            return EXIT_OK
        try:
            result = import_cohort(db, actor, path, progress=_progress)
        except CohortError as exc:
            error(str(exc))
            return EXIT_ERROR
    finally:
        db.close()
    print(
        ngettext("{n} account created.", "{n} accounts created.", result.created).format(
            n=result.created
        )
    )
    _hand_out(result.temporary_passwords, args.passwords_out)
    return EXIT_OK


def _progress(done: int, total: int) -> None:
    if done == total or done % 50 == 0:
        print(_("{done} of {total}").format(done=done, total=total), file=sys.stderr)


def _hand_out(passwords: list[tuple[str, str]], out: str | None) -> None:
    if not passwords:
        return
    if out:
        with Path(out).open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([_("User name"), _("Temporary password")])
            writer.writerows(passwords)
        print(_("Generated passwords saved to {path}. Keep the file safe.").format(path=out))
        return
    print(_("Generated initial passwords (each person must change theirs at first sign-in):"))
    for username, password in passwords:
        print(f"{username}\t{password}")


@user_errors
def cmd_users_template(args: argparse.Namespace) -> int:
    from records.cohort_import import write_template

    path = write_template(Path(args.file))
    print(_("Template saved to {path}.").format(path=path))
    return EXIT_OK


HANDLERS: dict[tuple[str, str], Handler] = {
    ("users", "import"): cmd_users_import,
    ("users", "template"): cmd_users_template,
}
