"""Importing a cohort of people from an XLSX or CSV sheet.

Two steps, as an administrator expects from a careful tool: ``check_cohort`` (the dry
run) reads the whole file and lists every problem by row — missing fields, an unknown
role or institution, a user name used twice in the file or already on this PC, a
practising number that cannot be one, a password that is too short — and writes
nothing. ``import_cohort`` checks again and, only when there is no problem at all,
creates every account in one transaction (all or none), audited.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from records import audit, settings
from records.accounts import MIN_PASSWORD, USERNAME_RE, Role, hash_password
from records.cohort_files import CohortFileError, SheetRow, read_sheet
from records.cohort_template import COLUMNS, write_template
from records.db import Database
from records.institution_tree import find_institution
from records.people import PRACTISING_NUMBER_RE, confirm_admin, mark_must_change, require_admin
from records.people import temporary_password as new_temporary_password
from records.profiles import PROFILE_FIELDS, record_changes
from records.tables import User
from xiangyi.i18n import N_, _

__all__ = ["CohortFileError", "check_cohort", "import_cohort", "write_template"]


REQUIRED = ("username", "name")
_ROLE_WORDS = {
    "learner": Role.LEARNER, "学员": Role.LEARNER,
    "trainer": Role.TRAINER, "培训师": Role.TRAINER,
    "admin": Role.ADMIN, "administrator": Role.ADMIN, "管理员": Role.ADMIN,
}  # fmt: skip
COLUMN_LABELS = {
    "username": N_("user name"),
    "name": N_("full name"),
    "role": N_("role"),
    "practising_number": N_("practising number"),
    "institution": N_("institution"),
    "department": N_("department"),
    "title": N_("title"),
    "password": N_("initial password"),
}
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class CohortError(Exception):
    """The import was refused or stopped; nothing was written."""


@dataclass(frozen=True)
class Problem:
    """One problem; ``row`` is the spreadsheet row number, 0 for the file as a whole."""

    row: int
    message: str


@dataclass(frozen=True)
class Person:
    row: int
    username: str
    display_name: str
    role: str
    practising_number: str
    institution_id: str | None
    department: str
    title: str
    password: str


@dataclass
class CohortCheck:
    """The dry run's result: the people found and every problem, by row."""

    people: list[Person] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.people)

    def problem_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row})


@dataclass(frozen=True)
class CohortResult:
    created: int
    temporary_passwords: list[tuple[str, str]]  # (user name, generated password)


def _normalise(text: str) -> str:
    return "".join(text.lower().split()).replace("_", "")


_HEADER_WORDS = {
    _normalise(word): key
    for key, zh, en in COLUMNS
    for word in (key, zh, en, f"{zh} / {en}", f"{zh}/{en}")
}
_HEADER_WORDS.update({_normalise(w): "name" for w in ("full name", "姓名/name")})
_HEADER_WORDS[_normalise("practicing number")] = "practising_number"


def _column_map(header: list[str]) -> tuple[dict[str, int], list[Problem]]:
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, text in enumerate(header):
        key = _HEADER_WORDS.get(_normalise(text))
        if key is None:
            parts = [_HEADER_WORDS.get(_normalise(part)) for part in text.split("/")]
            key = next((k for k in parts if k), None)
        if key is None:
            continue  # an extra column (notes, a phone number) is ignored
        if key in columns:
            problems.append(
                Problem(1, _("The column '{column}' appears twice.").format(column=text))
            )
        columns[key] = index
    for key in REQUIRED:
        if key not in columns:
            problems.append(
                Problem(
                    1,
                    _("The column '{column}' is missing; use the template.").format(
                        column=_(COLUMN_LABELS[key])
                    ),
                )
            )
    return columns, problems


def check_cohort(db: Database, path: Path) -> CohortCheck:
    """The dry run: read ``path`` and list every problem by row; nothing is written."""
    result = CohortCheck()
    try:
        header, rows = read_sheet(path, lambda texts: not _column_map(texts)[1])
    except CohortFileError as exc:
        result.problems.append(Problem(0, str(exc)))
        return result
    columns, result.problems = _column_map(header)
    if result.problems:
        return result
    if not rows:
        result.problems.append(Problem(0, _("The file has a header row but no people.")))
        return result
    with db.session() as session:
        taken = set(session.scalars(select(User.username)))
        seen: dict[str, int] = {}
        for row in rows:
            person, problems = _check_row(session, row, columns)
            if USERNAME_RE.match(person.username):  # a bad name is reported once
                first = seen.setdefault(person.username, row.number)
                if first != row.number:
                    problems.append(
                        _("the user name '{name}' is also on row {row}").format(
                            name=person.username, row=first
                        )
                    )
                elif person.username in taken:
                    problems.append(
                        _("the user name '{name}' already has an account").format(
                            name=person.username
                        )
                    )
            result.problems.extend(Problem(row.number, text) for text in problems)
            if not problems:
                result.people.append(person)
    return result


def _check_row(
    session: Session, row: SheetRow, columns: dict[str, int]
) -> tuple[Person, list[str]]:
    problems: list[str] = []
    values: dict[str, str] = {}
    for key, index in columns.items():
        cell = row.cells[index] if index < len(row.cells) else None
        if cell is not None and cell.problem:
            label = _(COLUMN_LABELS[key])
            problems.append(_("{column} {problem}").format(column=label, problem=cell.problem))
        values[key] = cell.text if cell is not None else ""
    problems.extend(_identity_problems(values))
    role_text = values.get("role", "")
    role = _ROLE_WORDS.get(role_text.lower()) if role_text else Role.LEARNER
    if role is None:
        problems.append(
            _("the role '{role}' is not learner, trainer or admin (学员, 培训师, 管理员)").format(
                role=role_text[:40]
            )
        )
    institution_id = None
    place = values.get("institution", "")
    if place:
        found = find_institution(session, place)
        if found is None:
            problems.append(_("the institution '{name}' is not on this PC").format(name=place[:80]))
        else:
            institution_id = found.id
    person = Person(
        row=row.number,
        username=values.get("username", ""),
        display_name=values.get("name", ""),
        role=str(role or ""),
        practising_number=values.get("practising_number", ""),
        institution_id=institution_id,
        department=values.get("department", ""),
        title=values.get("title", ""),
        password=values.get("password", ""),
    )
    return person, problems


def _identity_problems(values: dict[str, str]) -> list[str]:
    """What is wrong with the user name, name, practising number, password and lengths."""
    problems: list[str] = []
    username, name = values.get("username", ""), values.get("name", "")
    if not username:
        problems.append(_("the user name is missing"))
    elif not USERNAME_RE.match(username):
        problems.append(
            _(
                "the user name '{name}' may only have letters, digits, Chinese, '.', '-', '_'"
            ).format(name=username[:70])
        )
    if not name:
        problems.append(_("the full name is missing"))
    elif len(name) > 128:
        problems.append(_("the full name is longer than 128 characters"))
    number = values.get("practising_number", "")
    if number and not PRACTISING_NUMBER_RE.match(number):
        problems.append(
            _("the practising number '{number}' is not 6–32 letters, digits or '-'").format(
                number=number[:40]
            )
        )
    password = values.get("password", "")
    if password and len(password) < MIN_PASSWORD:
        problems.append(
            _("the initial password has fewer than {n} characters").format(n=MIN_PASSWORD)
        )
    for key, limit in (("department", 128), ("title", 64)):
        if len(values.get(key, "")) > limit:
            problems.append(
                _("the {column} is longer than {n} characters").format(
                    column=_(COLUMN_LABELS[key]), n=limit
                )
            )
    return problems


def import_cohort(
    db: Database,
    actor: User | None,
    path: Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> CohortResult:
    """Check ``path`` again and create every account in one transaction, or none.

    Passwords are hashed first (the slow part, reported through ``progress`` and
    stoppable through ``cancelled``), so the write itself takes a moment. A person
    without an initial password gets a generated one, returned for the administrator to
    hand out; everyone must choose their own password at the first sign-in.
    """
    actor = require_admin(actor)
    check = check_cohort(db, path)
    if not check.ok:
        raise CohortError(
            _("The file has problems on {n} row(s); nothing was imported.").format(
                n=len(check.problem_rows()) or 1
            )
        )
    total = len(check.people)
    generated: list[tuple[str, str]] = []
    hashes: list[str] = []
    for done, person in enumerate(check.people):
        if cancelled is not None and cancelled():
            raise CohortError(_("The import was cancelled; nothing was imported."))
        password = person.password
        if not password:
            password = new_temporary_password()
            generated.append((person.username, password))
        hashes.append(hash_password(password))
        if progress is not None:
            progress(done + 1, total)
    _write(db, actor, path, check.people, hashes)
    return CohortResult(created=total, temporary_passwords=generated)


def _write(db: Database, actor: User, path: Path, people: list[Person], hashes: list[str]) -> None:
    device = settings.device_id(db)
    with db.session() as session:
        confirm_admin(session, actor)
        names = [p.username for p in people]
        clash = session.scalars(select(User.username).where(User.username.in_(names))).first()
        if clash is not None:  # someone added this account while the passwords were hashed
            raise CohortError(
                _("The user name '{name}' was taken meanwhile; nothing was imported.").format(
                    name=clash
                )
            )
        for person, password_hash in zip(people, hashes, strict=True):
            user = User(
                username=person.username,
                display_name=person.display_name,
                role=person.role,
                password_hash=password_hash,
                practising_number=person.practising_number or None,
                institution_id=person.institution_id,
                department=person.department or None,
                title=person.title or None,
            )
            session.add(user)
            session.flush()
            # History from the first day, so the details travel in record bundles.
            record_changes(session, user, {f: getattr(user, f) for f in PROFILE_FIELDS}, device)
            mark_must_change(session, user.id)
            audit.record(
                session, "user_created", actor_id=actor.id, subject=user.id, role=person.role,
                source="cohort_import",
            )  # fmt: skip
        audit.record(
            session, "cohort_imported", actor_id=actor.id, file=path.name[:120], count=len(people)
        )


def problems_text(check: CohortCheck) -> list[str]:
    """One line per problem, "Row 7: …", for the screen and the CLI."""
    lines = []
    for problem in check.problems:
        if problem.row:
            lines.append(_("Row {row}: {problem}").format(row=problem.row, problem=problem.message))
        else:
            lines.append(problem.message)
    return lines
