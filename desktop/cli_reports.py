"""``xiangyi report xlsx|csv|pdf|xapi``: an administrator exports the competency records
of an institution (and those below it) or of everyone on this PC (Qt-free)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli_common import (
    EXIT_ERROR,
    EXIT_OK,
    Handler,
    add_admin_options,
    authenticate_admin,
    data_folder,
    open_db,
    user_errors,
)
from xiangyi.i18n import N_, _, ngettext

FORMAT_HELP = {
    "xlsx": N_("Excel workbook: doctors, institution summaries, AI kinds and domains"),
    "csv": N_("the doctors' records as CSV (UTF-8, opens in Excel)"),
    "pdf": N_("a summary of an institution as PDF"),
    "xapi": N_("learning-record statements (xAPI) as JSON lines"),
}


def add_commands(commands: Any) -> None:
    report = commands.add_parser("report", help=_("export competency records and reports"))
    sub = report.add_subparsers(dest="report_command", required=True)
    for kind, help_text in FORMAT_HELP.items():
        p = sub.add_parser(kind, help=_(help_text))
        scope = p.add_mutually_exclusive_group(required=True)
        scope.add_argument(
            "--institution", help=_("an institution's ID or code: it and those below it")
        )
        scope.add_argument("--all", action="store_true", help=_("every doctor on this PC"))
        p.add_argument(
            "--out", required=True, help=_("a folder (the file is named for you) or a file")
        )
        p.add_argument(
            "--lang",
            dest="headers_lang",
            choices=["zh_CN", "en"],
            default="zh_CN",
            help=_("language of the column headers (default Chinese)"),
        )
        add_admin_options(p, required=True)


def _institution_id(db: Any, key: str) -> str | None:
    from records.institutions import list_institutions

    found = next((i for i in list_institutions(db) if key in (i.id, i.code)), None)
    return found.id if found is not None else None


@user_errors
def cmd_report(args: argparse.Namespace) -> int:
    from records.reports.catalogue import load_catalogue
    from records.reports.service import ReportError, export_report

    db = open_db(args)
    try:
        actor = authenticate_admin(db, args)
        institution_id = None
        if not args.all:
            institution_id = _institution_id(db, args.institution)
            if institution_id is None:
                print(
                    _("No institution with the ID or code '{key}'.").format(key=args.institution),
                    file=sys.stderr,
                )
                return EXIT_ERROR
        catalogue = load_catalogue(db, data_folder(args))
        try:
            result = export_report(
                db, actor, args.report_command, Path(args.out), catalogue,
                institution_id=institution_id, lang=args.headers_lang,
            )  # fmt: skip
        except ReportError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_ERROR
    finally:
        db.close()
    if result.doctors is None:
        n = result.items
        line = ngettext(
            "Wrote {count} statement to {path}.", "Wrote {count} statements to {path}.", n
        )
    else:
        n = result.doctors
        line = ngettext("Wrote {count} doctor to {path}.", "Wrote {count} doctors to {path}.", n)
    print(line.format(count=n, path=result.path))
    return EXIT_OK


HANDLERS: dict[tuple[str, str], Handler] = {("report", kind): cmd_report for kind in FORMAT_HELP}
