"""``xiangyi keys …``: signing key pairs and the keys trusted on this PC (Qt-free)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli_common import (
    EXIT_ERROR,
    EXIT_OK,
    Handler,
    add_admin_options,
    add_passphrase_option,
    authenticate_admin,
    error,
    open_db,
    read_secret,
    user_errors,
)
from desktop.cli_credentials import add_issuer_commands
from xiangyi.i18n import _


def add_keys_commands(commands: Any) -> None:
    """Add the ``keys`` sub-commands to the top-level sub-parsers."""
    keys = commands.add_parser("keys", help=_("signing keys and the keys trusted on this PC"))
    sub = keys.add_subparsers(dest="keys_command", required=True)
    p = sub.add_parser("new", help=_("create a signing key pair"))
    p.add_argument("name")
    p.add_argument("--out", default=".", help=_("folder for the key files"))
    add_passphrase_option(p)
    p = sub.add_parser("trust", help=_("trust a trainer's public key (administrator only)"))
    p.add_argument("public_file")
    add_admin_options(p, required=True)
    sub.add_parser("list", help=_("list trusted keys"))
    p = sub.add_parser("untrust", help=_("stop trusting a key (administrator only)"))
    p.add_argument("fingerprint")
    add_admin_options(p, required=True)
    add_issuer_commands(sub)


@user_errors
def cmd_keys_new(args: argparse.Namespace) -> int:
    from case_bank import signing
    from records import packs

    signing.check_key_name(args.name)
    if args.passphrase_stdin:
        passphrase = read_secret("", True)
    else:
        passphrase = read_secret(_("Passphrase for the new key: "), False)
        signing.check_passphrase(passphrase)
        if passphrase != read_secret(_("Repeat the passphrase: "), False):
            error(_("The two passphrases differ; no key was created."))
            return EXIT_ERROR
    private_path, public_path, key = signing.generate_key(args.name, Path(args.out), passphrase)
    db = open_db(args)
    try:
        packs.record_key_created(db, key)
    finally:
        db.close()
    print(_("Private key (keep it secret, never share it): {path}").format(path=private_path))
    print(_("Public key (give it to administrators): {path}").format(path=public_path))
    print(_("Fingerprint: {fingerprint}").format(fingerprint=key.fingerprint))
    return EXIT_OK


@user_errors
def cmd_keys_trust(args: argparse.Namespace) -> int:
    from case_bank import signing
    from records import packs

    key = signing.read_public_key(Path(args.public_file))
    db = open_db(args)
    try:
        packs.trust_key(db, authenticate_admin(db, args), key)
    finally:
        db.close()
    print(
        _("Packs signed by {name} (key {fingerprint}) are now trusted on this PC.").format(
            name=key.name, fingerprint=key.fingerprint
        )
    )
    return EXIT_OK


def cmd_keys_list(args: argparse.Namespace) -> int:
    from records import packs

    db = open_db(args)
    try:
        keys = packs.trusted_keys(db)
    finally:
        db.close()
    if not keys:
        print(_("No keys are trusted on this PC."))
    for key in keys:
        print(f"{key.fingerprint}\t{key.name}\t{key.added_at:%Y-%m-%d}")
    return EXIT_OK


@user_errors
def cmd_keys_untrust(args: argparse.Namespace) -> int:
    from records import packs

    db = open_db(args)
    try:
        row = packs.untrust_key(db, authenticate_admin(db, args), args.fingerprint)
    finally:
        db.close()
    print(
        _("The key {fingerprint} ({name}) is no longer trusted.").format(
            fingerprint=row.fingerprint, name=row.name
        )
    )
    return EXIT_OK


KEY_HANDLERS: dict[tuple[str, str], Handler] = {
    ("keys", "new"): cmd_keys_new,
    ("keys", "trust"): cmd_keys_trust,
    ("keys", "list"): cmd_keys_list,
    ("keys", "untrust"): cmd_keys_untrust,
}
