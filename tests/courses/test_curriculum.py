"""The built-in curriculum: every pack, module and blueprint valid, complete in both
languages, and covering what the starter curriculum promises. The coverage table is
printed (``pytest -s tests/test_curriculum.py`` or ``python scripts/curriculum.py``)."""

from __future__ import annotations

import re

import pytest

from assessments.assembly import eligible, shortfalls
from assessments.blueprints import builtin_blueprints
from case_bank.generators import builtin_assets
from case_bank.models import Case
from case_bank.pack import builtin_packs_dir, load_pack
from case_bank.vocabulary import AIError, AIKind, Domain
from courses.curriculum import (
    ERROR_SHARE,
    MIN_CASES,
    coverage,
    format_table,
    language_problems,
    shared_stems,
    untranslated,
)
from courses.loader import KnownIds, builtin_modules_dir, load_modules

PACKS = [load_pack(p.parent) for p in sorted(builtin_packs_dir().glob("*/pack.yaml"))]
BANK: list[Case] = [case for pack in PACKS for case in pack.cases]
CJK = re.compile(r"[\u3400-\u9fff]")


def test_every_builtin_pack_validates_with_its_assets() -> None:
    for pack in PACKS:
        assert pack.valid, [str(p) for p in pack.errors]
        assert not pack.warnings, [str(p) for p in pack.warnings]


def test_every_module_validates_against_the_bank_and_blueprints() -> None:
    known = KnownIds(
        cases=frozenset(c.id for c in BANK), blueprints=frozenset(builtin_blueprints())
    )
    modules = load_modules(builtin_modules_dir(), known)
    assert len(modules) >= 8
    for loaded in modules:
        assert not loaded.problems, [str(p) for p in loaded.problems]


def test_case_ids_are_unique_across_packs() -> None:
    ids = [c.id for c in BANK]
    assert len(ids) == len(set(ids))


def test_every_case_is_complete_in_both_languages() -> None:
    problems = {case.id: untranslated(case) for case in BANK}
    assert not {k: v for k, v in problems.items() if v}


def test_every_lesson_is_complete_in_both_languages() -> None:
    for loaded in load_modules(builtin_modules_dir()):
        assert loaded.module is not None
        for lesson in loaded.module.lessons:
            zh = loaded.lesson_text(lesson.id, "zh_CN")
            en = loaded.lesson_text(lesson.id, "en")
            where = f"{loaded.module.id}/{lesson.id}"
            assert len(CJK.findall(zh)) > 200, f"{where}: the Chinese lesson is too short"
            # English lessons may quote a Chinese guideline's title, nothing more.
            assert len(CJK.findall(en)) < 0.02 * len(en), f"{where}: Chinese in en.md"
            assert len(en.split()) > 150, f"{where}: the English lesson is too short"
            for check in lesson.checks:
                assert not untranslated(check), f"{where}/{check.id}"
        assert not untranslated(loaded.module)


def test_every_image_and_signal_is_made_by_a_generator() -> None:
    """Assets are synthetic, from the seeded generators (which test their own bytes)."""
    generated = {path.resolve() for path in builtin_assets()}
    for pack in PACKS:
        for path in (pack.folder / "assets").glob("*"):
            assert path.resolve() in generated, f"{path} is not made by a generator"


def test_language_check_catches_what_it_should() -> None:
    assert language_problems("心房颤动", "Atrial fibrillation") == []
    assert language_problems("HbA1c", "HbA1c") == []
    assert language_problems("Atrial fibrillation", "Atrial fibrillation, long text") != []
    assert language_problems("心房颤动", "心房颤动") != []


def test_no_two_cases_share_a_stem() -> None:
    assert shared_stems(BANK) == []


def test_every_case_cites_a_source_is_simulated_and_reviewed() -> None:
    for case in BANK:
        assert case.sources and case.simulated, case.id
        assert case.review is not None, f"{case.id} has no clinical review"


@pytest.mark.parametrize("blueprint_id", sorted(builtin_blueprints()))
def test_every_blueprint_is_satisfiable_by_the_builtin_bank(blueprint_id: str) -> None:
    blueprint = builtin_blueprints()[blueprint_id]
    by_pack = {pack.info.id: pack.cases for pack in PACKS if pack.info}
    assert set(blueprint.packs) <= set(by_pack)
    pool = eligible(blueprint, by_pack)
    assert [s.message() for s in shortfalls(blueprint, pool)] == []


def test_the_bank_meets_the_curriculum_targets(capsys: pytest.CaptureFixture[str]) -> None:
    cover = coverage(BANK)
    per_pack = {pack.info.id: coverage(pack.cases) for pack in PACKS if pack.info}
    with capsys.disabled():
        print("\n" + format_table(cover, per_pack))
    assert cover.total >= MIN_CASES
    assert ERROR_SHARE[0] <= cover.error_share <= ERROR_SHARE[1]
    for domain in Domain:
        assert cover.domains[domain.value] >= 10, domain
    for kind in (k for k in AIKind if k != AIKind.REPORT):
        assert cover.kinds[kind.value] >= 5, kind
    for error in AIError:
        assert cover.errors[error.value] >= 1, error
    assert cover.errors[AIError.FALSE_NEGATIVE.value] >= 5  # silent misses
    for difficulty in (1, 2, 3):
        assert cover.difficulty[difficulty] >= 15
