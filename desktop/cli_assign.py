"""``xiangyi assign …``: an administrator assigns a module or an exam, with a due date,
to a person or an institution, and lists assignments (Qt-free)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
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
from xiangyi.i18n import _


def add_commands(commands: Any) -> None:
    assign = commands.add_parser("assign", help=_("assign modules and exams with a due date"))
    sub = assign.add_subparsers(dest="assign_command", required=True)
    for name, help_text, target in (
        ("module", _("assign a training module"), _("module ID")),
        ("exam", _("assign an exam (a blueprint, such as the certification exam)"), _("exam ID")),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("target", help=target)
        who = p.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", help=_("the user name of one person"))
        who.add_argument(
            "--institution", help=_("an institution's ID or code: everyone in it and below it")
        )
        p.add_argument("--due", required=True, help=_("due date, YYYY-MM-DD"))
        add_admin_options(p, required=True)
    p = sub.add_parser("list", help=_("list assignments"))
    p.add_argument("--user", help=_("only those of this person, with their state"))


def _due(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _known_modules(args: argparse.Namespace, db: Any) -> dict[str, str]:
    """Module IDs (built-in and from installed packs) and their titles."""
    from courses.loader import builtin_modules_dir, load_modules
    from records.packs import installed_pack_folders

    loaded = load_modules(builtin_modules_dir())
    for folder in installed_pack_folders(db, data_folder(args)):
        if (folder / "modules").is_dir():
            loaded.extend(load_modules(folder / "modules"))
    return {m.module.id: m.module.title.get() for m in loaded if m.module is not None}


def _user(db: Any, username: str) -> Any:
    from records.accounts import list_users

    return next((u for u in list_users(db) if u.username == username), None)


def _institution(db: Any, key: str) -> Any:
    from records.institutions import list_institutions

    return next((i for i in list_institutions(db) if key in (i.id, i.code)), None)


@user_errors
def cmd_assign(args: argparse.Namespace) -> int:
    from assessments.blueprints import builtin_blueprints
    from records.assignments import AssignmentError, assign

    due = _due(args.due)
    if due is None:
        print(_("Write the due date as YYYY-MM-DD, for example 2026-06-30."), file=sys.stderr)
        return EXIT_ERROR
    db = open_db(args)
    try:
        actor = authenticate_admin(db, args)
        person = institution = None
        if args.user:
            person = _user(db, args.user)
            if person is None:
                print(_("No account '{name}'.").format(name=args.user), file=sys.stderr)
                return EXIT_ERROR
        else:
            institution = _institution(db, args.institution)
            if institution is None:
                print(
                    _("No institution with the ID or code '{key}'.").format(key=args.institution),
                    file=sys.stderr,
                )
                return EXIT_ERROR
        modules = _known_modules(args, db)
        exam = args.assign_command == "exam"
        try:
            assign(
                db,
                actor,
                due=due,
                module_id=None if exam else args.target,
                blueprint_id=args.target if exam else None,
                user_id=person.id if person else None,
                institution_id=institution.id if institution else None,
                known_modules=modules,
            )
        except AssignmentError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_ERROR
    finally:
        db.close()
    title = builtin_blueprints()[args.target].title.get() if exam else modules[args.target]
    who = person.display_name if person else institution.name_zh
    print(
        _("Assigned \u201c{title}\u201d to {who}, due {date}.").format(
            title=title, who=who, date=due.isoformat()
        )
    )
    return EXIT_OK


@user_errors
def cmd_list(args: argparse.Namespace) -> int:
    from courses.assignments import DUE_STATE_LABELS
    from records.assignments import list_all, user_assignments

    db = open_db(args)
    try:
        if args.user:
            person = _user(db, args.user)
            if person is None:
                print(_("No account '{name}'.").format(name=args.user), file=sys.stderr)
                return EXIT_ERROR
            for item in user_assignments(db, person, _states(args, db, person)):
                kind = _("exam") if item.kind == "exam" else _("module")
                state = _(DUE_STATE_LABELS[item.state])
                print(f"{item.due.isoformat()}\t{kind}\t{item.target}\t{state}")
            return EXIT_OK
        from records.accounts import list_users
        from records.institutions import list_institutions

        names = {u.id: u.username for u in list_users(db)}
        names.update({i.id: i.name_zh for i in list_institutions(db)})
        for row in list_all(db):
            kind = _("exam") if row.blueprint_id else _("module")
            assignee = row.user_id or row.institution_id or ""
            target = row.module_id or row.blueprint_id
            print(f"{row.due_date.isoformat()}\t{kind}\t{target}\t{names.get(assignee, assignee)}")
    finally:
        db.close()
    return EXIT_OK


def _states(args: argparse.Namespace, db: Any, person: Any) -> Any:
    """Module states of ``person`` (a module assignment is done once completed)."""
    from case_bank.pack import builtin_packs, load_pack
    from courses.loader import builtin_modules_dir, load_modules
    from records.learning import module_states
    from records.packs import installed_pack_folders

    packs = builtin_packs() + [load_pack(f) for f in installed_pack_folders(db, data_folder(args))]
    bank = [case for pack in packs if pack.valid for case in pack.cases]
    modules = [m.module for m in load_modules(builtin_modules_dir()) if m.module is not None]
    return module_states(db, person.id, modules, bank)


HANDLERS: dict[tuple[str, str], Handler] = {
    ("assign", "module"): cmd_assign,
    ("assign", "exam"): cmd_assign,
    ("assign", "list"): cmd_list,
}
