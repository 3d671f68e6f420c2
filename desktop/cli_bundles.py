"""``xiangyi bundle …``: record bundles on USB from clinic PCs to the county (Qt-free).

A clinic administrator exports everything since the last export, signed with the
institution's issuing key and encrypted to the county's key; the county administrator
imports the bundles and sees what each one added.
"""

from __future__ import annotations

import argparse
import functools
import shutil
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
from xiangyi.i18n import _


def add_commands(commands: Any) -> None:
    bundle = commands.add_parser(
        "bundle", help=_("record bundles: carry records from clinic PCs to the county")
    )
    sub = bundle.add_subparsers(dest="bundle_command", required=True)
    p = sub.add_parser("export", help=_("write the records since the last export as one bundle"))
    p.add_argument("--out", required=True, help=_("the bundle file to write"))
    p.add_argument("--encrypt-to", help=_("the county's public key file (county.public.json)"))
    p.add_argument("--all", action="store_true", help=_("all records, not only the new ones"))
    add_admin_options(p, required=True)
    add_passphrase_option(p)
    p = sub.add_parser("import", help=_("merge record bundles from clinic PCs"))
    p.add_argument("files", nargs="+", help=_("bundle files"))
    p.add_argument("--key", help=_("the county's private key, for encrypted bundles"))
    add_admin_options(p, required=True)
    add_passphrase_option(p)
    sub.add_parser("status", help=_("when bundles were last exported and imported"))
    p = sub.add_parser("county-key", help=_("the county's encryption key pair"))
    p.add_argument("action", choices=["new", "export"])
    p.add_argument("--name", help=_("the county's name (for 'new')"))
    p.add_argument("--out", help=_("where to write the public key (for 'export')"))
    add_admin_options(p, required=False)
    add_passphrase_option(p)


def _bundle_errors(handler: Handler) -> Handler:
    """Refusals of keys and bundles become a message and exit code 1."""

    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace) -> int:
        from records.bundles import BundleRefused, SealError
        from records.credentials.issuer import IssuerError

        try:
            return user_errors(handler)(args)
        except (BundleRefused, SealError, IssuerError) as exc:
            error(str(exc))
        return EXIT_ERROR

    return wrapped


def _counts(counts: dict[str, int]) -> str:
    from records.bundles.rows import describe_counts

    return describe_counts(counts)


@_bundle_errors
def cmd_export(args: argparse.Namespace) -> int:
    from records.bundles import export_bundle, read_county_public_key
    from records.credentials.issuer import unlock

    county = read_county_public_key(Path(args.encrypt_to)) if args.encrypt_to else None
    db = open_db(args)
    try:
        authenticate_admin(db, args)
        passphrase = read_secret(_("Issuing key passphrase: "), args.passphrase_stdin)
        key = unlock(data_folder(args), passphrase)
        result = export_bundle(
            db, Path(args.out), signer=key, everything=args.all, county_public_key=county
        )
    finally:
        db.close()
    print(_("Bundle written: {path}").format(path=result.path))
    print(_("It holds: {counts}").format(counts=_counts(result.counts)))
    if county is not None:
        print(
            _("Encrypted to {name} ({fingerprint}).").format(
                name=county.name, fingerprint=county.fingerprint
            )
        )
    else:
        print(_("Not encrypted: it holds personal data, keep the USB stick safe."))
    return EXIT_OK


@_bundle_errors
def cmd_import(args: argparse.Namespace) -> int:
    from records.bundles import BundleRefused, import_bundle, load_county_private_key

    db = open_db(args)
    refused = 0
    try:
        authenticate_admin(db, args)
        private = None
        if args.key:
            passphrase = read_secret(_("County key passphrase: "), args.passphrase_stdin)
            private = load_county_private_key(Path(args.key), passphrase)
        for name in args.files:
            try:
                report = import_bundle(db, Path(name), county_private_key=private)
            except BundleRefused as exc:
                error(str(exc))
                refused += 1
                continue
            print(
                _("{file} (from {signer}): added {added}; already here {skipped}.").format(
                    file=Path(name).name,
                    signer=report.signer,
                    added=_counts(report.added),
                    skipped=sum(report.skipped.values()),
                )
            )
    finally:
        db.close()
    return EXIT_ERROR if refused else EXIT_OK


@_bundle_errors
def cmd_status(args: argparse.Namespace) -> int:
    from records.bundles import imports_by_device, last_export

    db = open_db(args)
    try:
        last = last_export(db)
        devices = imports_by_device(db)
    finally:
        db.close()
    when = last.astimezone().strftime("%Y-%m-%d %H:%M") if last else _("never")
    print(_("Last exported: {when}").format(when=when))
    if not devices:
        print(_("No bundles imported yet."))
    for item in devices:
        print(
            _("Last imported from {signer} (PC {device}): {when}, {n} bundle(s)").format(
                signer=item.signer,
                device=item.device_id[:8],
                when=item.last_import.astimezone().strftime("%Y-%m-%d %H:%M"),
                n=item.bundles,
            )
        )
    return EXIT_OK


@_bundle_errors
def cmd_county_key(args: argparse.Namespace) -> int:
    from records.bundles import county_key_files, create_county_key

    private_path, public_path = county_key_files(data_folder(args))
    if args.action == "export":
        if not args.out:
            error(_("Say where to write the public key: --out FILE."))
            return EXIT_ERROR
        if not public_path.is_file():
            error(_("This PC has no county key. Create one with 'xiangyi bundle county-key new'."))
            return EXIT_ERROR
        shutil.copyfile(public_path, args.out)
        print(_("County public key written to {path}.").format(path=args.out))
        return EXIT_OK
    if not args.name or not args.acting:
        error(_("Creating the county key needs --name and an administrator (--as)."))
        return EXIT_ERROR
    db = open_db(args)
    try:
        authenticate_admin(db, args)
    finally:
        db.close()
    passphrase = read_secret(_("Passphrase for the county key: "), args.passphrase_stdin)
    key = create_county_key(data_folder(args), args.name, passphrase)
    print(
        _("County key created: {name}, fingerprint {fingerprint}").format(
            name=key.name, fingerprint=key.fingerprint
        )
    )
    print(_("Private key (keep it at the county): {path}").format(path=private_path))
    print(_("Give clinics the public key: {path}").format(path=public_path))
    return EXIT_OK


HANDLERS: dict[tuple[str, str], Handler] = {
    ("bundle", "export"): cmd_export,
    ("bundle", "import"): cmd_import,
    ("bundle", "status"): cmd_status,
    ("bundle", "county-key"): cmd_county_key,
}
