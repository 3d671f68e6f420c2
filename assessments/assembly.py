"""Seeded, reproducible exam assembly from a case bank under a blueprint.

Assembly first checks the bank against each blueprint constraint and, if any cannot be
met, raises ``AssemblyError`` naming every shortfall (translated). Otherwise it picks
cases greedily, each time the case that helps most with the constraints still unmet,
breaking ties in a seeded random order. Cases the doctor saw in earlier attempts are
avoided: a first pass uses only unseen cases; only if that fails are seen cases allowed
(still preferred last), and the result lists which were reused.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assessments.blueprints import Blueprint
from case_bank.models import Case
from case_bank.vocabulary import DOMAIN_LABELS, AIError, Domain
from xiangyi.i18n import N_, _

DIFFICULTY_LABELS = {1: "easy", 2: "medium", 3: "hard"}
DIFFICULTY_NAMES = {"easy": N_("easy"), "medium": N_("medium"), "hard": N_("hard")}


@dataclass(frozen=True)
class Shortfall:
    """One blueprint constraint the bank cannot meet: ``need`` cases, ``have`` available."""

    # "total", "domain", "ai_kind", "difficulty", "ai_error", "no_ai_error", "combination"
    constraint: str
    key: str
    need: int
    have: int

    def message(self) -> str:
        """A translated sentence naming what is short."""
        values = {"need": self.need, "have": self.have, "key": self.key}
        if self.constraint == "total":
            text = _("The blueprint needs {need} cases but the installed bank has {have}.")
        elif self.constraint == "domain":
            values["key"] = _(DOMAIN_LABELS[Domain(self.key)])
            text = _("The blueprint needs {need} cases in the domain '{key}'; the bank has {have}.")
        elif self.constraint == "ai_kind":
            text = _(
                "The blueprint needs {need} cases with '{key}' AI output; the bank has {have}."
            )
        elif self.constraint == "difficulty":
            values["key"] = _(DIFFICULTY_NAMES[self.key])
            text = _("The blueprint needs {need} '{key}' cases; the bank has {have}.")
        elif self.constraint == "ai_error":
            text = _("The blueprint needs {need} cases with an AI error; the bank has {have}.")
        elif self.constraint == "no_ai_error":
            text = _("The blueprint needs {need} cases where the AI is right; the bank has {have}.")
        else:
            text = _(
                "The bank meets each requirement alone, but no set of {need} cases meets them all."
            )
        return text.format(**values)


class AssemblyError(Exception):
    """The blueprint cannot be met by the bank; ``shortfalls`` says what is short."""

    def __init__(self, blueprint_id: str, shortfalls: list[Shortfall]) -> None:
        self.blueprint_id = blueprint_id
        self.shortfalls = shortfalls
        super().__init__("\n".join(self.messages()))

    def messages(self) -> list[str]:
        head = _("The exam '{id}' cannot be assembled from the installed cases:").format(
            id=self.blueprint_id
        )
        return [head, *(s.message() for s in self.shortfalls)]


@dataclass(frozen=True)
class AssembledExam:
    blueprint_id: str
    seed: int
    case_ids: tuple[str, ...]
    reused_case_ids: tuple[str, ...] = ()


def eligible(blueprint: Blueprint, packs: Mapping[str, Sequence[Case]]) -> list[Case]:
    """The cases an exam may draw from: those of the blueprint's packs, or every pack's."""
    chosen = blueprint.packs or list(packs)
    return [case for pack_id in chosen for case in packs.get(pack_id, ())]


def _is_error(case: Case) -> bool:
    return case.ai_error != AIError.NONE


def _needs(blueprint: Blueprint) -> dict[tuple[str, str], int]:
    """Every lower-bound constraint as (constraint, key) → minimum count."""
    n = blueprint.total_cases
    low, high = blueprint.ai_error_share.counts(n)
    needs = {("total", ""): n, ("ai_error", ""): low, ("no_ai_error", ""): n - high}
    needs.update({("domain", str(d)): c for d, c in blueprint.domains.items()})
    needs.update({("ai_kind", str(k)): c for k, c in blueprint.ai_kinds.items()})
    needs.update({("difficulty", k): c for k, c in blueprint.difficulty.items()})
    return {key: count for key, count in needs.items() if count > 0}


def _keys(case: Case) -> set[tuple[str, str]]:
    """The constraints a case counts towards."""
    keys = {("total", ""), ("ai_kind", str(case.ai_kind))}
    keys |= {("domain", str(d)) for d in case.domains}
    keys.add(("difficulty", DIFFICULTY_LABELS[case.difficulty]))
    keys.add(("ai_error", "") if _is_error(case) else ("no_ai_error", ""))
    return keys


def shortfalls(blueprint: Blueprint, bank: Sequence[Case]) -> list[Shortfall]:
    """Constraints the bank cannot meet even using every case (empty when feasible)."""
    have: Counter[tuple[str, str]] = Counter()
    for case in bank:
        have.update(_keys(case))
    return [
        Shortfall(constraint, key, need, have[(constraint, key)])
        for (constraint, key), need in _needs(blueprint).items()
        if have[(constraint, key)] < need
    ]


def _greedy(blueprint: Blueprint, ordered: Sequence[Case], seen: set[str]) -> list[Case] | None:
    """Pick cases one at a time by remaining-need gain; None if the constraints fail."""
    needs = _needs(blueprint)
    remaining = dict(needs)
    _, max_errors = blueprint.ai_error_share.counts(blueprint.total_cases)
    max_right = blueprint.total_cases - needs.get(("ai_error", ""), 0)
    chosen: list[Case] = []
    pool = list(ordered)
    while len(chosen) < blueprint.total_cases:
        errors = sum(_is_error(c) for c in chosen)
        best: tuple[int, int, int] | None = None
        for index, case in enumerate(pool):
            capped = errors >= max_errors if _is_error(case) else len(chosen) - errors >= max_right
            if capped:
                continue
            gain = sum(1 for key in _keys(case) if remaining.get(key, 0) > 0)
            rank = (gain, case.id not in seen, -index)
            if best is None or rank > best:
                best = rank
        if best is None:
            return None
        case = pool.pop(-best[2])
        chosen.append(case)
        for key in _keys(case):
            if key in remaining:
                remaining[key] -= 1
    return chosen if all(v <= 0 for v in remaining.values()) else None


def assemble(
    blueprint: Blueprint, bank: Iterable[Case], seed: int, seen: Iterable[str] = ()
) -> AssembledExam:
    """Choose and order the exam's cases; the same inputs always give the same exam.

    ``seen`` are ids of cases the doctor met in earlier attempts of this blueprint.
    Raises ``AssemblyError`` when the bank cannot meet the blueprint.
    """
    cases = sorted(bank, key=lambda c: c.id)  # independent of the order the bank is given in
    problems = shortfalls(blueprint, cases)
    if problems:
        raise AssemblyError(blueprint.id, problems)
    seen_ids = set(seen)
    rng = random.Random(seed)
    for tries in range(8):
        ordered = list(cases)
        rng.shuffle(ordered)
        unseen = [c for c in ordered if c.id not in seen_ids]
        chosen = _greedy(blueprint, unseen, seen_ids) if tries == 0 else None
        if chosen is None:
            chosen = _greedy(blueprint, ordered, seen_ids)
        if chosen is not None:
            rng.shuffle(chosen)
            reused = tuple(sorted(c.id for c in chosen if c.id in seen_ids))
            return AssembledExam(blueprint.id, seed, tuple(c.id for c in chosen), reused)
    # Each constraint is feasible alone but the greedy search found no combination.
    combined = Shortfall("combination", "", blueprint.total_cases, len(cases))
    raise AssemblyError(blueprint.id, [combined])
