"""``xiangyi course …``, ``xiangyi items …`` and ``xiangyi framework …`` (Qt-free)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desktop.cli_common import EXIT_ERROR, EXIT_OK, Handler, open_db
from xiangyi.i18n import _


def add_commands(commands: Any) -> None:
    course = commands.add_parser("course", help=_("training modules"))
    sub = course.add_subparsers(dest="course_command", required=True)
    p = sub.add_parser("validate", help=_("check module folders and list every problem"))
    p.add_argument("folder", help=_("a module folder, or a folder of module folders"))

    items = commands.add_parser("items", help=_("item analysis for trainers"))
    sub = items.add_subparsers(dest="items_command", required=True)
    p = sub.add_parser("report", help=_("item statistics of a pack's cases"))
    p.add_argument("--pack", required=True, help=_("pack ID (built-in or installed)"))
    p.add_argument("--out", help=_("XLSX file to write"))

    framework = commands.add_parser("framework", help=_("the competency framework"))
    sub = framework.add_subparsers(dest="framework_command", required=True)
    p = sub.add_parser("validate", help=_("check a framework file"))
    p.add_argument("file", nargs="?", help=_("framework YAML (default: the built-in one)"))
    p = sub.add_parser("export", help=_("write the framework as a CASE 1.1 package (JSON)"))
    p.add_argument("--out", help=_("JSON file to write (default: print)"))


def _known_ids() -> Any:
    from assessments.blueprints import builtin_blueprints
    from assessments.framework import builtin_framework
    from case_bank.pack import builtin_packs
    from courses.loader import KnownIds

    framework = builtin_framework()
    competencies = {d.id for d in framework.domains} | {
        s.id for d in framework.domains for s in d.subcompetencies
    }
    return KnownIds(
        cases=frozenset(c.id for p in builtin_packs() for c in p.cases),
        blueprints=frozenset(builtin_blueprints()),
        competencies=frozenset(competencies),
    )


def cmd_course_validate(args: argparse.Namespace) -> int:
    from courses.loader import load_module, load_modules

    folder = Path(args.folder)
    known = _known_ids()
    if (folder / "module.yaml").is_file():
        loaded = [load_module(folder, known)]
    else:
        loaded = load_modules(folder, known)
    if not loaded:
        print(_("No module.yaml found in {path}.").format(path=folder), file=sys.stderr)
        return EXIT_ERROR
    problems = [p for m in loaded for p in m.problems]
    for problem in problems:
        print(str(problem))
    if problems:
        return EXIT_ERROR
    print(_("{n} module(s), no problems.").format(n=len(loaded)))
    return EXIT_OK


def _pack_cases(args: argparse.Namespace, db: Any) -> list[Any] | None:
    from case_bank.pack import builtin_packs, load_pack
    from records.packs import installed_pack_folders
    from xiangyi.paths import data_dir

    packs = builtin_packs() + [
        load_pack(f) for f in installed_pack_folders(db, data_dir(args.data_dir))
    ]
    for pack in packs:
        if pack.info is not None and pack.info.id == args.pack:
            return list(pack.cases)
    return None


def cmd_items_report(args: argparse.Namespace) -> int:
    from records.item_report import analyse, write_xlsx

    db = open_db(args)
    try:
        cases = _pack_cases(args, db)
        if cases is None:
            print(
                _("No pack '{id}' is built in or installed.").format(id=args.pack), file=sys.stderr
            )
            return EXIT_ERROR
        report = analyse(db, cases)
    finally:
        db.close()
    print(
        _("{n} sittings; KR-20 {kr20}; alpha {alpha}").format(
            n=report.attempts, kr20=_fmt(report.kr20), alpha=_fmt(report.alpha)
        )
    )
    for item in report.items:
        flags = ", ".join(item.flags) or "-"
        print(
            f"{item.item_id}\tn={item.n}\tp={_fmt(item.facility)}\t"
            f"rpb={_fmt(item.point_biserial)}\tD={_fmt(item.discrimination)}\t{flags}"
        )
    if args.out:
        path = write_xlsx(report, cases, Path(args.out))
        print(_("Written {path}").format(path=path))
    return EXIT_OK


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def cmd_framework_validate(args: argparse.Namespace) -> int:
    from assessments.framework import FrameworkError, load_framework

    try:
        framework = load_framework(Path(args.file) if args.file else None)
    except FrameworkError as exc:
        for problem in exc.problems:
            print(str(problem))
        return EXIT_ERROR
    print(_("{n} domains, no problems.").format(n=len(framework.domains)))
    return EXIT_OK


def cmd_framework_export(args: argparse.Namespace) -> int:
    from assessments.framework import builtin_framework, to_case_package

    text = json.dumps(to_case_package(builtin_framework()), ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(_("Written {path}").format(path=args.out))
    else:
        print(text)
    return EXIT_OK


HANDLERS: dict[tuple[str, str], Handler] = {
    ("course", "validate"): cmd_course_validate,
    ("items", "report"): cmd_items_report,
    ("framework", "validate"): cmd_framework_validate,
    ("framework", "export"): cmd_framework_export,
}
