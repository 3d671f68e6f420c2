"""Which bank cases a module practises: listed by ID and/or chosen by a selector."""

from __future__ import annotations

from case_bank.models import Case
from courses.models import Module


def practice_cases(module: Module, bank: list[Case]) -> list[Case]:
    """Listed cases first, in their order, then selected ones (sorted by ID, so stable)."""
    by_id = {case.id: case for case in bank}
    chosen = [by_id[case_id] for case_id in module.practice.cases if case_id in by_id]
    selector = module.practice.select
    if selector is not None:
        picked = {case.id for case in chosen}
        pool = [
            case
            for case in sorted(bank, key=lambda c: c.id)
            if case.id not in picked
            and (not selector.domains or set(case.domains) & set(selector.domains))
            and (not selector.ai_kinds or case.ai_kind in selector.ai_kinds)
            and (not selector.difficulty or case.difficulty in selector.difficulty)
        ]
        chosen.extend(pool[: selector.count])
    return chosen
