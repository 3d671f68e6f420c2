"""Blueprints and exam assembly: built-ins, reproducibility, seen cases, shortfalls."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessments.assembly import AssemblyError, assemble, eligible, shortfalls
from assessments.blueprints import (
    BLUEPRINT_DIR,
    BlueprintError,
    angoff_cut_score,
    builtin_blueprints,
    load_blueprint,
    may_attempt,
)
from case_bank.models import Case
from case_bank.pack import builtin_packs
from xiangyi import i18n

BANK = [c for p in builtin_packs() for c in p.cases]
ECG_BANK = [c for c in BANK if c.ai_kind == "ecg"]
MODULE = builtin_blueprints()["ecg-module-check"]
CERT = builtin_blueprints()["certification"]


def _copies(cases: list[Case], suffix: str) -> list[Case]:
    return [c.model_copy(update={"id": f"{c.id}-{suffix}"}) for c in cases]


def test_module_check_assembles_from_the_builtin_bank() -> None:
    exam = assemble(MODULE, BANK, seed=7)
    by_id = {c.id: c for c in BANK}
    assert len(exam.case_ids) == MODULE.total_cases
    assert {by_id[c].ai_kind for c in exam.case_ids} == {"ecg"}
    low, high = MODULE.ai_error_share.counts(MODULE.total_cases)
    assert low <= sum(by_id[c].ai_error != "none" for c in exam.case_ids) <= high


def test_assembly_is_reproducible_and_independent_of_bank_order() -> None:
    bank = BANK + _copies(BANK, "b") + _copies(BANK, "c")
    first = assemble(MODULE, bank, seed=42)
    assert assemble(MODULE, list(reversed(bank)), seed=42) == first
    seeds = {assemble(MODULE, bank, seed=s).case_ids for s in range(10)}
    assert len(seeds) > 1  # the seed matters


def test_assembly_avoids_seen_cases_where_the_bank_allows() -> None:
    bank = BANK + _copies(BANK, "b")
    first = assemble(MODULE, bank, seed=1)
    second = assemble(MODULE, bank, seed=2, seen=first.case_ids)
    assert not set(first.case_ids) & set(second.case_ids)
    assert second.reused_case_ids == ()
    # A bank of exactly the cases needed cannot avoid a seen one; the reuse is reported.
    by_id = {c.id: c for c in bank}
    exact = [by_id[c] for c in first.case_ids]
    third = assemble(MODULE, exact, seed=3, seen=[first.case_ids[0]])
    assert third.reused_case_ids == (first.case_ids[0],)


def test_certification_cannot_be_met_by_an_ecg_only_bank_and_says_why() -> None:
    i18n.set_language("en")
    with pytest.raises(AssemblyError) as caught:
        assemble(CERT, ECG_BANK, seed=1)
    text = str(caught.value)
    ethics = sum("social_ethical" in c.domains for c in ECG_BANK)
    assert "The exam 'certification' cannot be assembled from the installed cases:" in text
    assert f"The blueprint needs 30 cases but the installed bank has {len(ECG_BANK)}." in text
    assert (
        "needs 4 cases in the domain 'Social and ethical implications'; "
        f"the bank has {ethics}" in text
    )
    assert "needs 5 cases with 'image' AI output; the bank has 0." in text
    assert {s.constraint for s in caught.value.shortfalls} >= {"total", "domain", "ai_kind"}


def test_a_module_check_draws_only_from_its_own_pack() -> None:
    packs = {p.info.id: p.cases for p in builtin_packs() if p.info}
    pool = eligible(MODULE, packs)
    assert MODULE.packs == ["ecg-basics"]
    assert {c.id for c in pool} == {c.id for c in packs["ecg-basics"]}
    assert len(eligible(CERT, packs)) == len(BANK)  # no packs named: every pack


def test_shortfalls_are_empty_when_feasible() -> None:
    assert shortfalls(MODULE, BANK) == []


def test_angoff_cut_score_is_checked_against_the_ratings(tmp_path: Path) -> None:
    # (0.85 + 0.75 + 0.6 + 0.55) / 4 = 0.6875 … mean over four panellists = 0.690625
    ratings = CERT.pass_rule.standard_setting.ratings
    assert angoff_cut_score(dict(ratings)) == pytest.approx(0.690625)
    text = (BLUEPRINT_DIR / "certification.yaml").read_text(encoding="utf-8")
    bad = text.replace("cut_score: 0.69", "cut_score: 0.8")
    path = tmp_path / "cert.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(BlueprintError) as caught:
        load_blueprint(path)
    line = bad.splitlines().index("pass_rule:") + 2  # the mapping under the key starts here
    assert str(caught.value.problems[0]).startswith(f"cert.yaml:{line}: pass_rule: ")


def test_unknown_domain_in_a_blueprint_is_located(tmp_path: Path) -> None:
    text = (BLUEPRINT_DIR / "ecg-module-check.yaml").read_text(encoding="utf-8")
    bad = text.replace("  evidence_evaluation: 1", "  evidence_appraisal: 1")
    path = tmp_path / "bp.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(BlueprintError) as caught:
        load_blueprint(path)
    line = bad.splitlines().index("  evidence_appraisal: 1") + 1
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(f"bp.yaml:{line}: domains.evidence_appraisal") for m in messages)


def test_attempt_limit_and_waiting_period() -> None:
    day = 24 * 3600.0
    assert may_attempt(CERT, [], 0).allowed
    waiting = may_attempt(CERT, [(0.0, False)], 10 * day)
    assert waiting.reason == "waiting_period" and waiting.next_allowed_at == 30 * day
    assert may_attempt(CERT, [(0.0, False)], 30 * day).allowed
    assert may_attempt(CERT, [(0.0, False)] * 3, 400 * day).reason == "no_attempts_left"
    assert may_attempt(CERT, [(0.0, True)], 400 * day).reason == "already_passed"
