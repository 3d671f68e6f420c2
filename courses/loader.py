"""Load and validate modules from ``<root>/<id>/module.yaml`` with Markdown lessons.

Problems name the file, the line and the field, like case-pack problems.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from case_bank.validation import Problem, load_model_file
from case_bank.yamlsafe import LocatedDocument
from courses.models import LANGUAGE_FILES, Module
from xiangyi.i18n import _

IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")
MAX_LESSON_BYTES = 500_000


@dataclass(frozen=True)
class KnownIds:
    """What a module may refer to; empty sets mean "do not check"."""

    cases: frozenset[str] = frozenset()
    blueprints: frozenset[str] = frozenset()
    competencies: frozenset[str] = frozenset()


@dataclass
class LoadedModule:
    folder: Path
    module: Module | None = None
    problems: list[Problem] = field(default_factory=list)

    def lesson_text(self, lesson_id: str, language: str) -> str:
        name = "zh_CN.md" if language == "zh_CN" else "en.md"
        return (self.folder / "lessons" / lesson_id / name).read_text(encoding="utf-8")

    def lesson_folder(self, lesson_id: str) -> Path:
        return self.folder / "lessons" / lesson_id


def load_module(folder: Path, known: KnownIds | None = None) -> LoadedModule:
    """Load one module folder; every problem is collected, nothing raises for content."""
    loaded = LoadedModule(Path(folder))
    rel = f"{loaded.folder.name}/module.yaml"
    module, problems, doc = load_model_file(loaded.folder / "module.yaml", Module, rel)
    loaded.module = module
    loaded.problems.extend(problems)
    if module is None or doc is None:
        return loaded
    _check_lessons(loaded, module, rel, doc)
    _check_references(loaded, module, rel, doc, known or KnownIds())
    return loaded


def _check_lessons(loaded: LoadedModule, module: Module, rel: str, doc: LocatedDocument) -> None:
    for index, lesson in enumerate(module.lessons):
        where = ("lessons", index, "id")
        line = doc.line_of(where)
        for name in LANGUAGE_FILES:
            path = loaded.lesson_folder(lesson.id) / name
            lesson_rel = f"{loaded.folder.name}/lessons/{lesson.id}/{name}"
            if not path.is_file():
                loaded.problems.append(
                    Problem(
                        rel,
                        line,
                        f"lessons[{index}]",
                        _("lesson file {name} is missing").format(name=lesson_rel),
                    )
                )
                continue
            if path.stat().st_size > MAX_LESSON_BYTES:
                loaded.problems.append(Problem(lesson_rel, None, "", _("the lesson is too long")))
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, row in enumerate(text.splitlines(), start=1):
                for target in IMAGE_LINK.findall(row):
                    image = (path.parent / target).resolve()
                    inside = image.is_relative_to(loaded.folder.resolve())
                    if not inside or not image.is_file():
                        loaded.problems.append(
                            Problem(
                                lesson_rel,
                                number,
                                "",
                                _("image '{name}' not found").format(name=target),
                            )
                        )


def _check_references(
    loaded: LoadedModule, module: Module, rel: str, doc: LocatedDocument, known: KnownIds
) -> None:
    def add(path: tuple[str | int, ...], field_name: str, message: str) -> None:
        loaded.problems.append(Problem(rel, doc.line_of(path), field_name, message))

    if known.cases:
        for index, case_id in enumerate(module.practice.cases):
            if case_id not in known.cases:
                add(
                    ("practice", "cases", index),
                    f"practice.cases[{index}]",
                    _("no case '{id}' in the installed packs").format(id=case_id),
                )
    if known.blueprints and module.check_blueprint not in (None, *known.blueprints):
        add(
            ("check_blueprint",),
            "check_blueprint",
            _("no blueprint '{id}'").format(id=module.check_blueprint),
        )
    if known.competencies:
        for index, objective in enumerate(module.objectives):
            if objective.competency not in known.competencies:
                add(
                    ("objectives", index, "competency"),
                    f"objectives[{index}].competency",
                    _("no competency '{id}' in the framework").format(id=objective.competency),
                )


def check_prerequisites(modules: Iterable[LoadedModule]) -> list[Problem]:
    """Unknown prerequisites and cycles across a set of modules."""
    by_id = {m.module.id: m for m in modules if m.module is not None}
    problems: list[Problem] = []
    for module_id, loaded in by_id.items():
        assert loaded.module is not None
        rel = f"{loaded.folder.name}/module.yaml"
        for prerequisite in loaded.module.prerequisites:
            if prerequisite not in by_id:
                problems.append(
                    Problem(
                        rel,
                        None,
                        "prerequisites",
                        _("unknown prerequisite '{id}'").format(id=prerequisite),
                    )
                )
        cycle = _cycle_from(module_id, by_id)
        if cycle:
            problems.append(
                Problem(
                    rel,
                    None,
                    "prerequisites",
                    _("prerequisites form a cycle: {cycle}").format(cycle=" → ".join(cycle)),
                )
            )
    return problems


def _cycle_from(start: str, by_id: dict[str, LoadedModule]) -> list[str]:
    """The cycle through ``start``, if following prerequisites comes back to it."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        current, path = stack.pop()
        loaded = by_id.get(current)
        if loaded is None or loaded.module is None:
            continue
        for nxt in loaded.module.prerequisites:
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return []


def load_modules(root: Path, known: KnownIds | None = None) -> list[LoadedModule]:
    """Every module under ``root``; prerequisite problems are added to the module they concern."""
    loaded = [load_module(p.parent, known) for p in sorted(Path(root).glob("*/module.yaml"))]
    for problem in check_prerequisites(loaded):
        for item in loaded:
            if problem.file == f"{item.folder.name}/module.yaml":
                item.problems.append(problem)
    return loaded


def builtin_modules_dir() -> Path:
    return Path(__file__).parent / "modules"
