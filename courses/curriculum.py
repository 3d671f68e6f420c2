"""The built-in curriculum as a whole: what the content team checks before a release.

Counts cases by domain, AI kind, AI error type and difficulty, and finds what a bank of
cases may not have: a language left empty or written in the wrong one, two cases with
the same stem, a case without a clinical review. The figures are printed by
``scripts/curriculum.py`` and asserted by the tests against the targets below.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from case_bank.models import Case
from case_bank.text import Bilingual
from case_bank.vocabulary import AIError, AIKind, Domain

# Targets for the built-in bank (issue "starter curriculum").
MIN_CASES = 100
ERROR_SHARE = (0.35, 0.50)

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass
class Coverage:
    """How a bank of cases spreads over the things a curriculum must cover."""

    total: int = 0
    with_error: int = 0
    domains: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    difficulty: Counter[int] = field(default_factory=Counter)

    @property
    def error_share(self) -> float:
        return self.with_error / self.total if self.total else 0.0


def coverage(cases: Iterable[Case]) -> Coverage:
    result = Coverage()
    for case in cases:
        result.total += 1
        result.with_error += case.ai_error != AIError.NONE
        result.domains.update(str(d) for d in case.domains)
        result.kinds[str(case.ai_kind)] += 1
        result.errors[str(case.ai_error)] += 1
        result.difficulty[case.difficulty] += 1
    return result


def format_table(cover: Coverage, per_pack: dict[str, Coverage] | None = None) -> str:
    """A plain-text table of the coverage (for the content team, not translated)."""
    lines = [
        f"cases: {cover.total}   with an AI error: {cover.with_error} "
        f"({cover.error_share:.0%}; target {ERROR_SHARE[0]:.0%}–{ERROR_SHARE[1]:.0%})",
        "",
        f"{'domain':<24}{'cases':>6}",
    ]
    lines += [f"{d.value:<24}{cover.domains[d.value]:>6}" for d in Domain]
    lines += ["", f"{'AI kind':<24}{'cases':>6}"]
    lines += [f"{k.value:<24}{cover.kinds[k.value]:>6}" for k in AIKind]
    lines += ["", f"{'AI error':<24}{'cases':>6}"]
    lines += [f"{e.value:<24}{cover.errors[e.value]:>6}" for e in AIError]
    lines += [
        "",
        "difficulty (easy/medium/hard): " + "/".join(str(cover.difficulty[d]) for d in (1, 2, 3)),
    ]
    if per_pack:
        lines += ["", f"{'pack':<24}{'cases':>6}{'errors':>8}{'share':>7}"]
        for name, pack in sorted(per_pack.items()):
            lines.append(f"{name:<24}{pack.total:>6}{pack.with_error:>8}{pack.error_share:>7.0%}")
    return "\n".join(lines)


def _bilinguals(value: Any, path: str) -> Iterator[tuple[str, Bilingual]]:
    if isinstance(value, Bilingual):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _bilinguals(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _bilinguals(item, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _bilinguals(item, f"{path}.{key}")


def language_problems(text_zh: str, text_en: str) -> list[str]:
    """Why a pair of texts is not a complete translation ('' when it is).

    The Chinese side must contain Chinese, unless it is a short code or number the two
    languages share (e.g. "HbA1c", "152/90 mmHg"); the English side must contain none.
    """
    problems = []
    if not text_zh.strip() or not text_en.strip():
        problems.append("empty")
    if _CJK.search(text_en):
        problems.append("Chinese characters in the English text")
    shared_code = text_zh.strip() == text_en.strip() and len(text_zh) <= 24
    if not _CJK.search(text_zh) and not shared_code:
        problems.append("no Chinese in the Chinese text")
    return problems


def untranslated(model: BaseModel) -> list[str]:
    """Every bilingual field of ``model`` that is not complete in both languages."""
    found = []
    for path, text in _bilinguals(model, ""):
        for problem in language_problems(text.zh_CN, text.en):
            found.append(f"{path}: {problem}")
    return found


def stem(case: Case) -> str:
    """The case's stem (complaint and history), normalised so near-copies compare equal."""
    text = f"{case.presentation.complaint.en} {case.presentation.history.en}"
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[\W\d_]+", " ", text).strip()


def shared_stems(cases: Sequence[Case]) -> list[tuple[str, str]]:
    """Pairs of case ids whose stems are the same."""
    seen: dict[str, str] = {}
    pairs = []
    for case in cases:
        for key in (stem(case), case.presentation.history.zh_CN.strip()):
            if key in seen and seen[key] != case.id:
                pairs.append((seen[key], case.id))
            seen.setdefault(key, case.id)
    return pairs
