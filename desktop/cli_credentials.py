"""``xiangyi keys issuer …``, ``xiangyi cert …`` and ``xiangyi verify`` (Qt-free).

Exit codes of ``xiangyi verify``: 0 valid, 1 unreadable input or error, 3 tampered,
4 unknown issuer, 5 expired, 6 revoked, 7 code not found.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
)
from xiangyi.i18n import _

if TYPE_CHECKING:
    from records.credentials.issuer import IssuerKey
    from records.db import Database
    from records.tables import Credential


def add_issuer_commands(keys_sub: Any) -> None:
    """``xiangyi keys issuer …`` under the ``keys`` sub-parsers."""
    issuer = keys_sub.add_parser("issuer", help=_("the institution's certificate-issuing key"))
    sub = issuer.add_subparsers(dest="issuer_command", required=True)
    p = sub.add_parser("create", help=_("create this PC's issuing key (administrator only)"))
    p.add_argument("--name", required=True, help=_("issuing institution's name (Chinese)"))
    p.add_argument("--name-en", default="", help=_("issuing institution's name in English"))
    add_admin_options(p, required=True)
    add_passphrase_option(p)
    sub.add_parser("show", help=_("show the issuing key's name and fingerprint"))
    p = sub.add_parser("export", help=_("write the issuing public key for other PCs"))
    p.add_argument("file")
    p = sub.add_parser("trust", help=_("trust another institution's issuing key"))
    p.add_argument("public_file")
    add_admin_options(p, required=True)
    p = sub.add_parser("untrust", help=_("stop trusting an issuing key"))
    p.add_argument("fingerprint")
    add_admin_options(p, required=True)
    sub.add_parser("list", help=_("list trusted issuing keys"))


def add_commands(commands: Any) -> None:
    """``xiangyi verify`` and ``xiangyi cert …``."""
    p = commands.add_parser("verify", help=_("verify a certificate: PDF, QR image, JSON or code"))
    p.add_argument("target", help=_("a file, or a verification code such as XY7K-3M9Q-2P"))
    p.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    cert = commands.add_parser("cert", help=_("certificates: issue, sign, save, revoke, export"))
    sub = cert.add_subparsers(dest="cert_command", required=True)
    p = sub.add_parser("list", help=_("list certificates"))
    p.add_argument("--user", help=_("user name"))
    p = sub.add_parser("sign", help=_("sign every pending certificate (administrator only)"))
    add_admin_options(p, required=True)
    add_passphrase_option(p)
    p = sub.add_parser("issue-cohort", help=_("issue to an institution's doctors who passed"))
    p.add_argument("--institution", required=True, help=_("institution ID"))
    add_admin_options(p, required=True)
    add_passphrase_option(p)
    for name, text in (
        ("pdf", _("save a certificate PDF")),
        ("json", _("save an Open Badges JSON")),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("code", help=_("verification code"))
        p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("transcript", help=_("save a doctor's transcript PDF"))
    p.add_argument("username")
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("revoke", help=_("revoke a certificate (administrator only)"))
    p.add_argument("code")
    p.add_argument("--reason", required=True)
    add_admin_options(p, required=True)
    add_passphrase_option(p)
    p = sub.add_parser("export", help=_("all certificates of an institution as one ZIP"))
    p.add_argument("--institution", help=_("institution ID (default: all)"))
    p.add_argument("-o", "--output", required=True)
    p = sub.add_parser("revocations", help=_("export or import the signed revocation list"))
    p.add_argument("action", choices=["export", "import"])
    p.add_argument("file")


def _user_errors(handler: Handler) -> Handler:
    """The expected refusals become a message and exit code 1, never a traceback."""

    def wrapped(args: argparse.Namespace) -> int:
        from case_bank.signing import SigningError
        from records.accounts import AccountError, LoginError
        from records.credentials.issuer import IssuerError
        from records.credentials.issuing import IssueError
        from records.credentials.revocation import RevocationError

        try:
            return handler(args)
        except (
            SigningError,
            AccountError,
            LoginError,
            IssuerError,
            IssueError,
            RevocationError,
        ) as exc:
            error(str(exc))
        except OSError as exc:
            error(_("A file could not be read or written: {error}").format(error=exc))
        return EXIT_ERROR

    wrapped.__name__ = handler.__name__
    return wrapped


def _unlock(args: argparse.Namespace) -> IssuerKey:
    from records.credentials.issuer import unlock

    passphrase = read_secret(_("Issuing key passphrase: "), args.passphrase_stdin)
    return unlock(data_folder(args), passphrase)


# --- keys issuer --------------------------------------------------------------------


@_user_errors
def cmd_keys_issuer(args: argparse.Namespace) -> int:
    from case_bank import signing
    from records import settings
    from records.credentials import issuer

    db = open_db(args)
    try:
        command = args.issuer_command
        if command == "create":
            actor = authenticate_admin(db, args)
            passphrase = read_secret(_("Passphrase for the issuing key: "), args.passphrase_stdin)
            key = issuer.create_issuer_key(db, data_folder(args), actor, args.name, passphrase)
            if args.name_en:
                settings.put(db, "issuer_name_en", args.name_en.strip())
            print(
                _("Issuing key created. Fingerprint: {fingerprint}").format(
                    fingerprint=key.fingerprint
                )
            )
        elif command == "show":
            public = issuer.issuer_public_key(data_folder(args))
            if public is None:
                print(_("This PC has no issuing key."))
                return EXIT_ERROR
            print(f"{public.name}\n{public.fingerprint}\n{issuer.did_key(public.raw)}")
        elif command == "export":
            public_path = issuer.key_files(data_folder(args))[1]
            if not public_path.is_file():
                error(_("This PC has no issuing key."))
                return EXIT_ERROR
            shutil.copyfile(public_path, args.file)
            print(_("Public key written to {path}.").format(path=args.file))
        elif command == "trust":
            key = signing.read_public_key(Path(args.public_file))
            issuer.trust_issuer(db, authenticate_admin(db, args), key)
            print(
                _("Certificates signed by {name} ({fingerprint}) are now accepted.").format(
                    name=key.name, fingerprint=key.fingerprint
                )
            )
        elif command == "untrust":
            row = issuer.untrust_issuer(db, authenticate_admin(db, args), args.fingerprint)
            print(_("The issuer {name} is no longer trusted.").format(name=row.name))
        else:
            for row in issuer.trusted_issuers(db):
                print(f"{row.fingerprint}\t{row.name}\t{row.added_at:%Y-%m-%d}")
    finally:
        db.close()
    return EXIT_OK


# --- verify -------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace) -> int:
    from records.credentials.verify import verify_input

    db = open_db(args)
    try:
        result = verify_input(db, args.target)
    finally:
        db.close()
    if args.json:
        doc = {
            "outcome": str(result.outcome),
            "message": result.message,
            "details": result.details,
            "problems": result.problems,
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        return result.exit_code
    stream = sys.stdout if result.ok else sys.stderr
    print(result.message, file=stream)
    for problem in result.problems:
        print("  " + problem, file=stream)
    for name, value in result.details.items():
        if value:
            print(f"  {name}: {value}")
    return result.exit_code


# --- cert ---------------------------------------------------------------------------


def _by_code(db: Database, text: str) -> Credential:
    from records.credentials.encoding import normalise_code
    from records.credentials.issuing import IssueError, by_code

    code = normalise_code(text)
    found = by_code(db, code) if code else None
    if found is None:
        raise IssueError(_("No certificate with the code {code} on this PC.").format(code=text))
    return found


def _bank() -> tuple[list[Any], dict[str, Any]]:
    from case_bank.pack import builtin_packs
    from courses.loader import builtin_modules_dir, load_modules

    modules = [m.module for m in load_modules(builtin_modules_dir()) if m.module]
    cases = {c.id: c for p in builtin_packs() for c in p.cases}
    return modules, cases


@_user_errors
def cmd_cert(args: argparse.Namespace) -> int:
    from records.credentials import documents, issuing, revocation, transcript
    from records.credentials.encoding import format_code
    from records.credentials.export import export_zip

    command = args.cert_command
    db = open_db(args)
    try:
        if command == "list":
            user_id = None
            if args.user:
                from sqlalchemy import select

                from records.tables import User

                with db.session() as session:
                    user = session.scalars(select(User).where(User.username == args.user)).first()
                user_id = user.id if user else "-"
            for c in issuing.list_credentials(db, user_id=user_id):
                print(
                    f"{format_code(c.code)}\t{c.holder_name}\t{issuing.status_of(c)}\t"
                    f"{c.valid_from}\t{c.valid_until}"
                )
        elif command == "sign":
            actor = authenticate_admin(db, args)
            signed = issuing.sign_pending(db, _unlock(args), actor_id=actor.id)
            print(_("{n} certificate(s) signed.").format(n=len(signed)))
        elif command == "issue-cohort":
            actor = authenticate_admin(db, args)
            key = _unlock(args)
            _modules, cases = _bank()
            found = issuing.bulk_issue(db, actor, args.institution, cases=cases, signer=key)
            print(_("{n} certificate(s) issued.").format(n=len(found.issued)))
        elif command == "pdf":
            documents.save_certificate_pdf(db, _by_code(db, args.code), Path(args.output))
            print(_("Saved {path}.").format(path=args.output))
        elif command == "json":
            documents.save_open_badge(_by_code(db, args.code), Path(args.output))
            print(_("Saved {path}.").format(path=args.output))
        elif command == "transcript":
            return _transcript(db, args, transcript)
        elif command == "revoke":
            actor = authenticate_admin(db, args)
            credential = _by_code(db, args.code)
            revocation.revoke(db, actor, credential.id, args.reason, _unlock(args))
            print(_("Certificate {code} revoked.").format(code=format_code(credential.code)))
        elif command == "export":
            rows = issuing.list_credentials(db, institution_id=args.institution)
            result = export_zip(db, rows, Path(args.output))
            print(
                _("{n} certificate(s) written to {path}.").format(
                    n=result.written, path=args.output
                )
            )
        elif args.action == "export":
            n = revocation.export_list(db, Path(args.file))
            print(_("{n} revocation(s) written to {path}.").format(n=n, path=args.file))
        else:
            merged = revocation.import_list(db, Path(args.file))
            print(
                _("{added} new revocation(s), {known} already known, {rejected} refused.").format(
                    added=merged.added, known=merged.known, rejected=merged.rejected
                )
            )
    finally:
        db.close()
    return EXIT_OK


def _transcript(db: Database, args: argparse.Namespace, transcript: Any) -> int:
    from sqlalchemy import select

    from records.tables import User

    with db.session() as session:
        user = session.scalars(select(User).where(User.username == args.username)).first()
    if user is None:
        error(_("No such user."))
        return EXIT_ERROR
    modules, cases = _bank()
    transcript.save_transcript_pdf(db, user.id, modules, list(cases.values()), Path(args.output))
    print(_("Saved {path}.").format(path=args.output))
    return EXIT_OK


HANDLERS: dict[tuple[str, str | None], Handler] = {
    ("keys", "issuer"): cmd_keys_issuer,
    ("verify", None): cmd_verify,
    ("cert", "list"): cmd_cert,
    ("cert", "sign"): cmd_cert,
    ("cert", "issue-cohort"): cmd_cert,
    ("cert", "pdf"): cmd_cert,
    ("cert", "json"): cmd_cert,
    ("cert", "transcript"): cmd_cert,
    ("cert", "revoke"): cmd_cert,
    ("cert", "export"): cmd_cert,
    ("cert", "revocations"): cmd_cert,
}
