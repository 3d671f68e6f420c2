"""Load and validate a case pack folder: ``pack.yaml``, ``cases/*.yaml`` and ``assets/``.

:func:`load_pack` never raises for content: it collects every problem at once,
each naming the file, the line and the field, so a trainer can fix them all in
one pass. Warnings (an unused asset, a stray file) do not make a pack invalid.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from case_bank import formats
from case_bank.assets import check_output_assets
from case_bank.models import Case, PackInfo
from case_bank.validation import Problem, Severity, field_name, problems_from
from case_bank.yamlsafe import LocatedDocument, YamlError, load_file
from xiangyi.i18n import _

PACK_FORMAT = formats.CURRENT_FORMAT
MAX_CASES = 5000
MAX_FILES = 20_000
MAX_FILE_BYTES = 40_000_000
MAX_PACK_BYTES = 2_000_000_000

M = TypeVar("M", bound=BaseModel)


@dataclass
class Pack:
    """A loaded pack; it is valid when it has no error-level problems."""

    folder: Path
    info: PackInfo | None = None
    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def valid(self) -> bool:
        return not self.errors and self.info is not None

    def case(self, case_id: str) -> Case:
        for case in self.cases:
            if case.id == case_id:
                return case
        raise KeyError(case_id)

    def asset_path(self, name: str) -> Path:
        return self.folder / name


class PackError(Exception):
    """A pack could not be used; ``problems`` lists why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def _problem(
    file: str, message: str, line: int | None = None, where: str = "", severity: Severity = "error"
) -> Problem:
    return Problem(file, line, where, message, severity)


def _read(path: Path, rel: str, problems: list[Problem]) -> LocatedDocument | None:
    try:
        doc = load_file(path)
    except YamlError as exc:
        problems.append(_problem(rel, exc.message, exc.line))
        return None
    except (ValueError, RecursionError):
        # yamlsafe lets a few hostile inputs through as plain exceptions (an impossible
        # date such as 2024-02-30, nesting thousands deep); they are content errors too.
        problems.append(_problem(rel, _("a value could not be read (an impossible date?)")))
        return None
    if not isinstance(doc.data, dict):
        problems.append(_problem(rel, _("expected a group of fields at the top level"), 1))
        return None
    return doc


def _validate(
    data: dict[str, Any], doc: LocatedDocument, rel: str, model: type[M], problems: list[Problem]
) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, rel, doc))
        return None


def _inventory(folder: Path, problems: list[Problem]) -> dict[str, int]:
    """Every regular file of the pack (relative POSIX path → size), checking limits."""
    files: dict[str, int] = {}
    total = 0
    for root, dirs, names in os.walk(folder):
        base = Path(root)
        for name in sorted(dirs + names):
            path = base / name
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                problems.append(
                    _problem(rel, _("symbolic links are not allowed; copy the file into the pack"))
                )
            elif name in names:
                size = path.stat().st_size
                total += size
                files[rel] = size
                if size > MAX_FILE_BYTES:
                    problems.append(
                        _problem(
                            rel,
                            _("the file is larger than {limit} MB").format(
                                limit=MAX_FILE_BYTES // 1_000_000
                            ),
                        )
                    )
        dirs[:] = [d for d in dirs if not (base / d).is_symlink()]
        if len(files) > MAX_FILES:
            message = _("the pack has more than {n} files").format(n=MAX_FILES)
            problems.append(_problem(folder.name, message))
            break
    if total > MAX_PACK_BYTES:
        problems.append(
            _problem(
                folder.name,
                _("the pack is larger than {limit} MB").format(limit=MAX_PACK_BYTES // 1_000_000),
            )
        )
    return files


def _load_info(folder: Path, problems: list[Problem]) -> tuple[PackInfo | None, int | None]:
    """``pack.yaml`` upgraded and validated, and the format its files are written in."""
    rel = "pack.yaml"
    if not (folder / rel).is_file():
        problems.append(_problem(rel, _("the pack has no pack.yaml")))
        return None, None
    doc = _read(folder / rel, rel, problems)
    if doc is None:
        return None, None
    try:
        source = formats.raw_format(doc.data)
    except formats.FormatError as exc:
        problems.append(_problem(rel, str(exc), doc.line_of(("format",)), "format"))
        return None, None
    info = _validate(formats.upgrade_pack(doc.data), doc, rel, PackInfo, problems)
    if info is not None and formats.app_too_old(info.min_app_version):
        problems.append(
            _problem(
                rel,
                formats.app_version_message(info.min_app_version),
                doc.line_of(("min_app_version",)),
                "min_app_version",
            )
        )
        return None, None
    return info, source


def _referenced_assets(data: Any) -> set[str]:
    """Every string under ``data`` that names an asset (also in cases that failed)."""
    if isinstance(data, dict):
        return set().union(*(_referenced_assets(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_referenced_assets(v) for v in data))
    return {data} if isinstance(data, str) and data.startswith("assets/") else set()


def _load_case(
    path: Path, rel: str, source: int, problems: list[Problem]
) -> tuple[Case | None, LocatedDocument | None]:
    doc = _read(path, rel, problems)
    if doc is None:
        return None, None
    return _validate(formats.upgrade_case(doc.data, source), doc, rel, Case, problems), doc


def load_case_file(
    path: Path, rel: str | None = None, source_format: int = formats.CURRENT_FORMAT
) -> tuple[Case | None, list[Problem]]:
    """One case file validated on its own (assets not checked), e.g. while it is edited.

    ``rel`` is the name used in problems (default: the file name); ``source_format``
    the pack format it is written in.
    """
    problems: list[Problem] = []
    case, _doc = _load_case(Path(path), rel or Path(path).name, source_format, problems)
    return case, problems


def _load_cases(pack: Pack, source: int, files: dict[str, int], check_assets: bool) -> set[str]:
    folder, problems = pack.folder, pack.problems
    paths = sorted(rel for rel in files if rel.startswith("cases/"))
    case_files = [rel for rel in paths if rel.endswith(".yaml") and rel.count("/") == 1]
    for rel in sorted(set(paths) - set(case_files)):
        message = _("not read: cases are .yaml files directly inside cases/")
        problems.append(_problem(rel, message, severity="warning"))
    if not case_files:
        problems.append(_problem("cases/", _("the pack has no cases")))
    if len(case_files) > MAX_CASES:
        problems.append(_problem("cases/", _("a pack holds at most {n} cases").format(n=MAX_CASES)))
        case_files = case_files[:MAX_CASES]
    referenced: set[str] = set()
    seen: dict[str, str] = {}
    for rel in case_files:
        case, doc = _load_case(folder / rel, rel, source, problems)
        if doc is not None:
            referenced |= _referenced_assets(doc.data)
        if case is None or doc is None:
            continue
        if case.id in seen:
            message = _("case id '{id}' is also used in {other}").format(
                id=case.id, other=seen[case.id]
            )
            problems.append(_problem(rel, message, doc.line_of(("id",)), "id"))
            continue
        seen[case.id] = rel
        for loc, message in check_output_assets(case.ai_output, folder, read=check_assets):
            where = ("ai_output", *loc)
            problems.append(_problem(rel, message, doc.line_of(where), field_name(where)))
        pack.cases.append(case)
    return referenced


def load_pack(folder: Path, *, check_assets: bool = True) -> Pack:
    """Load and validate every file of the pack in ``folder``; never raises for content.

    Every referenced asset must exist inside the pack. With ``check_assets`` (the
    default) each is also opened: images decoded, overlays checked against the
    image size, signals read.
    """
    folder = Path(folder)
    pack = Pack(folder)
    if not folder.is_dir():
        pack.problems.append(_problem(str(folder), _("the pack folder does not exist")))
        return pack
    files = _inventory(folder, pack.problems)
    pack.info, source = _load_info(folder, pack.problems)
    if source is None:
        return pack  # a pack this app cannot read: its cases would only add noise
    case_files = sum(1 for rel in files if rel.startswith("cases/") and rel.endswith(".yaml"))
    referenced = _load_cases(pack, source, files, check_assets)
    if len(pack.cases) < case_files:
        return pack  # a case that failed to load may use the "unused" assets: no false alarm
    for rel in sorted(files):
        if rel.startswith("assets/") and rel not in referenced:
            message = _("no case uses this asset; remove it or refer to it from a case")
            pack.problems.append(_problem(rel, message, severity="warning"))
    return pack


def require_valid(pack: Pack) -> Pack:
    """``pack`` itself; raises PackError when it has errors."""
    if not pack.valid:
        raise PackError(pack.errors or pack.problems)
    return pack


def builtin_packs_dir() -> Path:
    return Path(__file__).parent / "packs"


def builtin_packs() -> list[Pack]:
    """The packs shipped with the app (validated; a broken one raises)."""
    return [
        require_valid(load_pack(p.parent, check_assets=False))
        for p in sorted(builtin_packs_dir().glob("*/pack.yaml"))
    ]
