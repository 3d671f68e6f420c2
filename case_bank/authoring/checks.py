"""Live validation of a pack project from its unsaved texts.

The same steps as :func:`case_bank.pack.load_pack` (and so ``xiangyi pack validate``):
the same safe YAML reader, format upgrade, models, message wording, asset checks and
duplicate-ID rule, run on the texts being edited instead of the files on disk. A test
checks that both give the same problems for a saved project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from case_bank import formats
from case_bank.assets import check_output_assets
from case_bank.authoring.project import PackProject
from case_bank.models import Case, PackInfo
from case_bank.validation import Problem, field_name, problems_from
from case_bank.yamlsafe import LocatedDocument, YamlError, load_text
from xiangyi.i18n import _


@dataclass
class CaseCheck:
    """One case text checked: the case (None when invalid) and its problems."""

    case: Case | None
    problems: list[Problem] = field(default_factory=list)
    data: Any = None


def _located(rel: str, text: str, problems: list[Problem]) -> LocatedDocument | None:
    try:
        doc = load_text(text)
    except YamlError as exc:
        problems.append(Problem(rel, exc.line, "", exc.message))
        return None
    except (ValueError, RecursionError):
        problems.append(
            Problem(rel, None, "", _("a value could not be read (an impossible date?)"))
        )
        return None
    if not isinstance(doc.data, dict):
        problems.append(Problem(rel, 1, "", _("expected a group of fields at the top level")))
        return None
    return doc


def _model(
    model: type[BaseModel], data: Any, rel: str, doc: LocatedDocument, problems: list[Problem]
) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(problems_from(exc, rel, doc))
        return None


def check_info(text: str) -> tuple[PackInfo | None, int | None, list[Problem]]:
    """``pack.yaml``: the info, the format its files are written in, and problems."""
    rel = "pack.yaml"
    problems: list[Problem] = []
    doc = _located(rel, text, problems)
    if doc is None:
        return None, None, problems
    try:
        source = formats.raw_format(doc.data)
    except formats.FormatError as exc:
        problems.append(Problem(rel, doc.line_of(("format",)), "format", str(exc)))
        return None, None, problems
    info = _model(PackInfo, formats.upgrade_pack(doc.data), rel, doc, problems)
    if info is not None and formats.app_too_old(info.min_app_version):
        line = doc.line_of(("min_app_version",))
        message = formats.app_version_message(info.min_app_version)
        problems.append(Problem(rel, line, "min_app_version", message))
        return None, None, problems
    return info, source, problems


def check_case(
    rel: str, text: str, folder: Path, source: int = formats.CURRENT_FORMAT, *, read: bool = True
) -> CaseCheck:
    """One case text: model validation and, when valid, its assets in ``folder``."""
    problems: list[Problem] = []
    doc = _located(rel, text, problems)
    if doc is None:
        return CaseCheck(None, problems)
    case = _model(Case, formats.upgrade_case(doc.data, source), rel, doc, problems)
    if case is not None:
        for loc, message in check_output_assets(case.ai_output, folder, read=read):
            where = ("ai_output", *loc)
            problems.append(Problem(rel, doc.line_of(where), field_name(where), message))
    return CaseCheck(case, problems, doc.data)


def check_project(project: PackProject, *, read: bool = True) -> dict[str, CaseCheck]:
    """Every file of ``project`` checked from its current text, by relative path.

    ``pack.yaml`` comes first (its ``case`` is None); a case whose ID another file
    already uses gets the same problem ``load_pack`` reports.
    """
    _info, source, info_problems = check_info(project.info.text())
    results = {"pack.yaml": CaseCheck(None, info_problems)}
    if source is None:
        return results
    if not project.cases:
        results["pack.yaml"].problems.append(
            Problem("cases/", None, "", _("the pack has no cases"))
        )
    seen: dict[str, str] = {}
    for rel, doc in project.cases.items():
        result = check_case(rel, doc.text(), project.folder, source, read=read)
        case = result.case
        if case is not None and case.id in seen:
            message = _("case id '{id}' is also used in {other}").format(
                id=case.id, other=seen[case.id]
            )
            line = load_text(doc.text()).line_of(("id",))
            result.problems, result.case = [Problem(rel, line, "id", message)], None
        elif case is not None:
            seen[case.id] = rel
        results[rel] = result
    if all(results[rel].case is not None for rel in project.cases):
        results["pack.yaml"].problems.extend(_unused_assets(project, results))
    return results


def _referenced(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set().union(*(_referenced(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_referenced(v) for v in data))
    return {data} if isinstance(data, str) and data.startswith("assets/") else set()


def _unused_assets(project: PackProject, results: dict[str, CaseCheck]) -> list[Problem]:
    used = set().union(*(_referenced(r.data) for r in results.values()))
    folder = project.folder / "assets"
    files = sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    message = _("no case uses this asset; remove it or refer to it from a case")
    return [
        Problem(rel, None, "", message, "warning")
        for rel in (p.relative_to(project.folder).as_posix() for p in files)
        if rel not in used
    ]


def all_problems(results: dict[str, CaseCheck]) -> list[Problem]:
    return [problem for result in results.values() for problem in result.problems]
