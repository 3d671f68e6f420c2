"""``xiangyi db backup|restore|backups``: back the database up to a file, restore a
checked backup, list the automatic backups (Qt-free)."""

from __future__ import annotations

import argparse
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
from xiangyi.i18n import _


def add_commands(db_commands: Any) -> None:
    """Add the backup sub-commands to ``xiangyi db``."""
    p = db_commands.add_parser("backup", help=_("back the database up to a file"))
    p.add_argument("file", help=_("the backup file to write"))
    add_admin_options(p, required=False)
    p = db_commands.add_parser(
        "restore", help=_("replace the database with a checked backup (administrator only)")
    )
    p.add_argument("file", help=_("the backup file to restore"))
    add_admin_options(p, required=True)
    db_commands.add_parser("backups", help=_("list the backups in the data folder"))


@user_errors
def cmd_backup(args: argparse.Namespace) -> int:
    from records import backups

    db = open_db(args)
    try:
        actor = authenticate_admin(db, args) if args.acting else None
        target = backups.backup_to(db, Path(args.file), actor=actor)
    except backups.BackupError as exc:
        error(str(exc))
        return EXIT_ERROR
    finally:
        db.close()
    print(
        _("Backed up the database to {path} ({size}).").format(
            path=target, size=backups.human_size(target.stat().st_size)
        )
    )
    return EXIT_OK


@user_errors
def cmd_restore(args: argparse.Namespace) -> int:
    from records import backups

    db = open_db(args)
    try:
        actor = authenticate_admin(db, args)
        restored = backups.restore(db, Path(args.file), actor=actor)
    except backups.BackupError as exc:
        error(str(exc))
        return EXIT_ERROR
    finally:
        db.close()
    restored.database.close()
    print(_("Restored the database from {path}.").format(path=args.file))
    print(_("The database it replaced was kept as {path}.").format(path=restored.safety_backup))
    return EXIT_OK


def cmd_backups(args: argparse.Namespace) -> int:
    from records import backups

    db = open_db(args)
    try:
        if not db.is_sqlite:
            error(backups.postgres_message())
            return EXIT_ERROR
        found = backups.list_backups(db.data_dir)
        enabled, keep = backups.backup_settings(db)
    finally:
        db.close()
    if enabled:
        print(_("Automatic backups: on, the newest {n} kept.").format(n=keep))
    else:
        print(_("Automatic backups: off."))
    if not found:
        print(_("There are no backups yet."))
    for item in found:
        kind = _(backups.KIND_LABELS[item.kind])
        stamp = item.created.astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"{stamp}\t{backups.human_size(item.size)}\t{kind}\t{item.path}")
    return EXIT_OK


HANDLERS: dict[tuple[str, str], Handler] = {
    ("db", "backup"): cmd_backup,
    ("db", "restore"): cmd_restore,
    ("db", "backups"): cmd_backups,
}
