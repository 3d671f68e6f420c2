"""``xiangyi pack …``: validate, build, sign, verify, install and remove case packs.

Qt-free like the rest of the headless CLI; heavy modules are imported inside the
commands so ``xiangyi --version`` stays fast.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from desktop.cli_common import (
    EXIT_ERROR,
    EXIT_OK,
    Handler,
    add_admin_options,
    add_passphrase_option,
    authenticate_admin,
    data_folder,
    error,
    open_db,
    read_secret,
    user_errors,
)
from desktop.cli_keys import KEY_HANDLERS, add_keys_commands
from xiangyi.i18n import _


def add_commands(commands: Any) -> None:
    """Add the ``pack`` and ``keys`` sub-commands to the top-level sub-parsers."""
    pack = commands.add_parser("pack", help=_("case packs: validate, build, sign, install"))
    sub = pack.add_subparsers(dest="pack_command", required=True)
    p = sub.add_parser("validate", help=_("check a pack folder and list every problem"))
    p.add_argument("folder")
    p = sub.add_parser("build", help=_("build a pack archive (.xypack) from a valid folder"))
    p.add_argument("folder")
    p.add_argument("-o", "--output", required=True, help=_("archive file to write"))
    p = sub.add_parser("sign", help=_("sign a pack archive with your private key"))
    p.add_argument("file")
    p.add_argument("--key", required=True, help=_("private key file (NAME.private.pem)"))
    add_passphrase_option(p)
    p = sub.add_parser("verify", help=_("check a pack archive's files, signature and trust"))
    p.add_argument("file")
    p = sub.add_parser("install", help=_("install a pack archive on this PC"))
    p.add_argument("file")
    p.add_argument(
        "--allow-untrusted",
        action="store_true",
        help=_("install an unsigned or untrusted pack (administrator only; audited)"),
    )
    p.add_argument("--reinstall", action="store_true", help=_("allow the same or an older version"))
    add_admin_options(p, required=False)
    sub.add_parser("list", help=_("list installed packs"))
    p = sub.add_parser("remove", help=_("uninstall a pack (administrator only)"))
    p.add_argument("pack_id")
    add_admin_options(p, required=True)
    p = sub.add_parser("schema", help=_("print or write the JSON Schema for editors"))
    p.add_argument("--out", help=_("folder to write the schema files into"))
    add_keys_commands(commands)


# --- pack ---------------------------------------------------------------------------


def cmd_pack_validate(args: argparse.Namespace) -> int:
    from case_bank.pack import load_pack

    folder = Path(args.folder)
    if not folder.is_dir():
        error(_("{folder} is not a folder.").format(folder=folder))
        return EXIT_ERROR
    pack = load_pack(folder)
    pack.problems.extend(_module_problems(pack))
    for problem in pack.problems:
        print(problem)
    if not pack.valid:
        print(
            _(
                "{n} error(s), {w} warning(s); the pack cannot be used until the errors are fixed."
            ).format(n=len(pack.errors), w=len(pack.warnings))
        )
        return EXIT_ERROR
    _report_blueprints(pack)
    if pack.warnings:
        print(
            _("{n} cases, no errors, {w} warning(s).").format(
                n=len(pack.cases), w=len(pack.warnings)
            )
        )
    else:
        print(_("{n} cases, no problems.").format(n=len(pack.cases)))
    return EXIT_OK


def _module_problems(pack: Any) -> list[Any]:
    """Problems of the training modules a pack carries in ``modules/`` (if any)."""
    from assessments.blueprints import builtin_blueprints
    from case_bank.pack import builtin_packs
    from courses.loader import KnownIds, load_modules

    root = pack.folder / "modules"
    if not root.is_dir():
        return []
    cases = {c.id for p in builtin_packs() for c in p.cases} | {c.id for c in pack.cases}
    known = KnownIds(cases=frozenset(cases), blueprints=frozenset(builtin_blueprints()))
    return [
        replace(problem, file=f"modules/{problem.file}")
        for module in load_modules(root, known)
        for problem in module.problems
    ]


def _report_blueprints(pack: Any) -> None:
    """Say which built-in exams this pack, with the built-in cases, still cannot fill.

    Information, not an error: a pack need not complete any exam on its own.
    """
    from assessments.assembly import shortfalls
    from assessments.blueprints import builtin_blueprints
    from case_bank.pack import builtin_packs

    bank = {c.id: c for p in builtin_packs() for c in p.cases}
    bank.update({c.id: c for c in pack.cases})
    for blueprint in builtin_blueprints().values():
        short = shortfalls(blueprint, list(bank.values()))
        if short:
            print(
                _(
                    "note: the exam '{title}' cannot yet be assembled from this pack and the "
                    "built-in cases:"
                ).format(title=blueprint.title.get())
            )
            for item in short:
                print(f"  - {item.message()}")


@user_errors
def cmd_pack_build(args: argparse.Namespace) -> int:
    from case_bank.archive import build_archive
    from case_bank.pack import load_pack

    folder, out = Path(args.folder), Path(args.output)
    if not folder.is_dir():
        error(_("{folder} is not a folder.").format(folder=folder))
        return EXIT_ERROR
    if out.resolve().is_relative_to(folder.resolve()):
        error(_("Write the archive outside the pack folder."))
        return EXIT_ERROR
    pack = load_pack(folder)
    if not pack.valid or pack.info is None:
        for problem in pack.problems:
            print(problem)
        error(_("The pack has problems; fix them before building."))
        return EXIT_ERROR
    out.parent.mkdir(parents=True, exist_ok=True)
    manifest = build_archive(folder, out, pack.info.id, pack.info.version)
    print(
        _("Built {file}: pack {id} version {version}, {n} files.").format(
            file=out, id=manifest.pack_id, version=manifest.version, n=len(manifest.files)
        )
    )
    return EXIT_OK


@user_errors
def cmd_pack_sign(args: argparse.Namespace) -> int:
    from case_bank import archive, signing

    path = Path(args.file)
    found = archive.read_archive(path)
    changed = archive.check_files(found)
    if changed:
        raise archive.tampered_error(changed)
    key_path = Path(args.key)
    passphrase = read_secret(_("Key passphrase: "), args.passphrase_stdin)
    private = signing.load_private_key(key_path, passphrase)
    name = signing.signer_name(key_path)
    signature = signing.sign_manifest(found.manifest.raw, private, name)
    archive.add_signature(path, signature)
    checked = signing.check_signature(found.manifest.raw, signature)
    print(
        _("Signed {file} as {signer} (key {fingerprint}).").format(
            file=path.name, signer=checked.signer, fingerprint=checked.fingerprint
        )
    )
    return EXIT_OK


def cmd_pack_verify(args: argparse.Namespace) -> int:
    from records.packs import verify_archive

    db = open_db(args)
    try:
        found = verify_archive(db, Path(args.file))
    finally:
        db.close()
    if found.archive is not None:
        manifest = found.archive.manifest
        print(
            _("Pack {id} version {version}, {n} files.").format(
                id=manifest.pack_id, version=manifest.version, n=len(manifest.files)
            )
        )
    if found.signature is not None:
        print(_("Signed by: {signer}").format(signer=found.signature.signer))
        print(_("Key fingerprint: {fingerprint}").format(fingerprint=found.signature.fingerprint))
        print(
            _("Trusted on this PC: {answer}").format(answer=_("yes") if found.trusted else _("no"))
        )
    for problem in found.problems:
        error(problem)
    if not found.intact:
        error(_("Do not install this pack."))
        return EXIT_ERROR
    if found.signature is None:
        error(_("The pack is not signed: its origin cannot be checked."))
        return EXIT_ERROR
    if not found.trusted:
        error(_("The pack is intact, but the key that signed it is not trusted on this PC."))
        return EXIT_ERROR
    print(_("The pack is intact and signed by a trusted key."))
    return EXIT_OK


@user_errors
def cmd_pack_install(args: argparse.Namespace) -> int:
    from records import packs

    if args.allow_untrusted and not args.acting:
        error(_("--allow-untrusted needs an administrator: add --as USERNAME."))
        return EXIT_ERROR
    db = open_db(args)
    try:
        actor = authenticate_admin(db, args) if args.acting else None
        row = packs.install_pack(
            db,
            data_folder(args),
            Path(args.file),
            actor=actor,
            allow_untrusted=args.allow_untrusted,
            reinstall=args.reinstall,
        )
    finally:
        db.close()
    print(
        _("Installed pack {id} version {version}: {title}").format(
            id=row.id, version=row.version, title=_title(row.title_zh, row.title_en)
        )
    )
    if not row.trusted:
        print(_("Warning: this pack is not signed by a trusted key (allowed by an administrator)."))
    return EXIT_OK


def _title(zh: str, en: str) -> str:
    from xiangyi.i18n import current_language

    return zh if current_language() == "zh_CN" else en


def cmd_pack_list(args: argparse.Namespace) -> int:
    from records import packs

    db = open_db(args)
    try:
        rows = packs.installed_packs(db)
        trusted = {key.fingerprint for key in packs.trusted_keys(db)}
    finally:
        db.close()
    if not rows:
        print(_("No packs are installed."))
    for row in rows:
        if row.signer_fingerprint is None:
            state = _("unsigned")
        elif row.signer_fingerprint in trusted:
            state = _("trusted")
        else:
            state = _("not trusted")
        signer = row.signer or "-"
        title = _title(row.title_zh, row.title_en)
        print(f"{row.id}\tv{row.version}\t{title}\t{signer}\t{state}")
    return EXIT_OK


@user_errors
def cmd_pack_remove(args: argparse.Namespace) -> int:
    from records import packs

    db = open_db(args)
    try:
        row = packs.remove_pack(db, data_folder(args), authenticate_admin(db, args), args.pack_id)
    finally:
        db.close()
    print(_("Removed pack {id} version {version}.").format(id=row.id, version=row.version))
    return EXIT_OK


def cmd_pack_schema(args: argparse.Namespace) -> int:
    from case_bank import schema

    if args.out:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        written = schema.write_schemas(folder)
        for path in written or []:
            print(path)
        return EXIT_OK
    print(json.dumps(schema.case_json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


HANDLERS: dict[tuple[str, str], Handler] = {
    ("pack", "validate"): cmd_pack_validate,
    ("pack", "build"): cmd_pack_build,
    ("pack", "sign"): cmd_pack_sign,
    ("pack", "verify"): cmd_pack_verify,
    ("pack", "install"): cmd_pack_install,
    ("pack", "list"): cmd_pack_list,
    ("pack", "remove"): cmd_pack_remove,
    ("pack", "schema"): cmd_pack_schema,
    **KEY_HANDLERS,
}
