"""Load a case pack folder: ``pack.yaml``, ``cases/*.yaml`` and ``assets/``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from case_bank.models import Case, PackInfo
from case_bank.validation import Problem, problems_from
from case_bank.yamlsafe import YamlError, load_file
from xiangyi.i18n import _

PACK_FORMAT = 1
MAX_CASES = 5000

M = TypeVar("M", bound=BaseModel)


@dataclass
class Pack:
    """A loaded pack; ``problems`` is empty when it is valid."""

    folder: Path
    info: PackInfo | None = None
    cases: list[Case] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems and self.info is not None

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


def _load_model(path: Path, rel: str, model: type[M], problems: list[Problem]) -> M | None:
    try:
        doc = load_file(path)
    except YamlError as exc:
        problems.append(Problem(rel, exc.line, "", exc.message))
        return None
    if not isinstance(doc.data, dict):
        problems.append(Problem(rel, 1, "", _("expected a group of fields at the top level")))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, rel, doc))
        return None


def _check_assets(case: Case, folder: Path, rel: str, problems: list[Problem]) -> None:
    asset = case.ai_output.signal
    target = (folder / asset).resolve()
    if not target.is_relative_to(folder.resolve()) or not target.is_file():
        problems.append(
            Problem(rel, None, "ai_output.signal", _("asset '{name}' not found").format(name=asset))
        )


def load_pack(folder: Path) -> Pack:
    """Load and validate every file of the pack in ``folder``; never raises for content."""
    folder = Path(folder)
    pack = Pack(folder)
    pack.info = _load_model(folder / "pack.yaml", "pack.yaml", PackInfo, pack.problems)
    if pack.info and pack.info.format > PACK_FORMAT:
        pack.problems.append(
            Problem("pack.yaml", None, "format", _("pack format is newer than this app supports"))
        )
    seen: dict[str, str] = {}
    files = sorted((folder / "cases").glob("*.yaml"))
    if not files:
        pack.problems.append(Problem("cases/", None, "", _("the pack has no cases")))
    if len(files) > MAX_CASES:
        pack.problems.append(Problem("cases/", None, "", _("too many cases in one pack")))
        files = files[:MAX_CASES]
    for path in files:
        rel = path.relative_to(folder).as_posix()
        case = _load_model(path, rel, Case, pack.problems)
        if case is None:
            continue
        if case.id in seen:
            pack.problems.append(
                Problem(
                    rel,
                    None,
                    "id",
                    _("case id '{id}' is also used in {other}").format(
                        id=case.id, other=seen[case.id]
                    ),
                )
            )
            continue
        seen[case.id] = rel
        _check_assets(case, folder, rel, pack.problems)
        pack.cases.append(case)
    return pack


def require_valid(pack: Pack) -> Pack:
    if not pack.valid:
        raise PackError(pack.problems)
    return pack


def builtin_packs_dir() -> Path:
    return Path(__file__).parent / "packs"


def builtin_packs() -> list[Pack]:
    """The packs shipped with the app (validated; a broken one raises)."""
    return [
        require_valid(load_pack(p.parent)) for p in sorted(builtin_packs_dir().glob("*/pack.yaml"))
    ]


def describe(value: Any) -> str:
    return repr(value)
