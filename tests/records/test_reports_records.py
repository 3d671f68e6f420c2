"""Competency records and institution summaries: the bulk builder agrees with the
per-doctor functions the screens use, and the summaries add up."""

from __future__ import annotations

from datetime import date

import pytest
import report_fixtures
from hypothesis import example, given, settings
from hypothesis import strategies as st
from report_fixtures import County

from assessments.framework import builtin_framework
from assessments.mastery import EXAM, PRACTICE, Evidence, estimate
from records import history
from records.competency import picture
from records.credentials import issuing
from records.learning import module_states
from records.reports.derive import domain_levels
from records.reports.record import Cancelled, build_report
from records.reports.summary import ai_kind_rows, domain_rows, institution_summaries

# The county fixtures, shared by the report tests.
county_template = report_fixtures.county_template
county = report_fixtures.county

TODAY = date(2026, 4, 1)


def test_records_agree_with_the_per_doctor_functions(county: County) -> None:
    report = build_report(county.db, county.catalogue, today=TODAY)
    assert {r.username for r in report.records} == {"wangjg", "lixm", "zhaolei", "chenxin"}
    bank = list(county.catalogue.cases.values())
    for record in report.records:
        seen = picture(county.db, record.user_id, county.catalogue.cases)
        assert {d: m.level for d, m in seen.mastery.items()} == {
            d: x.level for d, x in record.domains.items()
        }
        assert {d: m.mean for d, m in seen.mastery.items()} == {
            d: x.mastery for d, x in record.domains.items()
        }
        assert record.reliance == seen.reliance and record.brier == seen.brier
        assert record.study == history.study_time(county.db, record.user_id)
        states = module_states(county.db, record.user_id, list(county.catalogue.modules), bank)
        done = {m for m, s in states.items() if s.status == "completed"}
        assert {m.id for m in record.modules_completed} == done
        stored = issuing.list_credentials(county.db, user_id=record.user_id)
        assert [(c.status, c.code) for c in record.certificates] == [
            (issuing.status_of(c, TODAY), f"{c.code[:4]}-{c.code[4:8]}-{c.code[8:]}")
            for c in stored
        ]


def test_the_record_holds_what_an_evaluation_file_needs(county: County) -> None:
    records = {r.username: r for r in build_report(county.db, county.catalogue).records}
    wang, li, zhao, new = records["wangjg"], records["lixm"], records["zhaolei"], records["chenxin"]
    assert (wang.name, wang.practising_number, wang.department, wang.title) == (
        "王建国", "141440300012345", "全科", "主治医师",
    )  # fmt: skip
    assert (wang.institution_zh, wang.institution_level) == ("红星乡卫生院", "township")
    assert li.institution_level == "village" and zhao.institution_level == "community"
    # Study time: 4 ECG cases of 3 stages × 40 s each, lessons and the exam's active time.
    assert wang.study_hours > 0.5 and new.study_hours == 0.0
    assert [m.id for m in zhao.modules_completed] == ["ecg-ai"] and not wang.modules_completed
    assert [(e.blueprint_id, e.passed) for e in wang.exams] == [("certification", True)]
    assert [(e.blueprint_id, e.passed) for e in li.exams] == [("certification", False)]
    assert li.practice_critical_errors == 1 and li.critical_errors >= 1
    assert li.reliance.over_reliance >= 1 and wang.reliance.over_reliance == 0
    assert [c.status for c in wang.certificates] == ["valid"]
    assert [c.status for c in zhao.certificates] == ["revoked"] and not zhao.valid_certificates
    assert new.exams == () and new.reliance.cases == 0 and new.brier is None
    assert all(x.level == "not_yet_competent" for x in new.domains.values())


def test_an_institution_report_covers_the_institutions_below_it(county: County) -> None:
    township = build_report(county.db, county.catalogue, institution_id=county.township.id)
    assert {r.username for r in township.records} == {"wangjg", "chenxin", "lixm"}
    assert {i.id for i in township.institutions} == {county.township.id, county.village.id}
    village = build_report(county.db, county.catalogue, institution_id=county.village.id)
    assert [r.username for r in village.records] == ["lixm"]
    with pytest.raises(KeyError):
        build_report(county.db, county.catalogue, institution_id="no-such-institution")


def test_summaries_add_up_from_the_records(county: County) -> None:
    report = build_report(county.db, county.catalogue)
    summaries = institution_summaries(report)
    *places, total = summaries
    assert total.institution_id is None and total.doctors == 4
    assert sum(s.doctors for s in places) == total.doctors
    township = next(s for s in places if s.institution_id == county.township.id)
    assert (township.doctors, township.sat_certification, township.passed_certification) == (
        2,
        1,
        1,
    )
    assert township.pass_rate == 1.0 and township.certified == 1
    village = next(s for s in places if s.institution_id == county.village.id)
    assert village.pass_rate == 0.0 and village.critical_errors >= 1
    assert total.pass_rate == pytest.approx(2 / 3)
    # Rates by AI kind come from summed counts over every doctor's decided cases.
    ecg = total.by_ai_kind["ecg"]
    cases = sum(r.by_ai_kind["ecg"].cases for r in report.records if "ecg" in r.by_ai_kind)
    assert ecg.tally.cases == cases
    over = sum(
        r.by_ai_kind.get("ecg").over_reliance for r in report.records if "ecg" in r.by_ai_kind
    )  # type: ignore[union-attr]
    assert ecg.over_reliance_rate == (over / ecg.tally.ai_wrong if ecg.tally.ai_wrong else None)
    kinds = ai_kind_rows(summaries)
    assert {(k.institution_id, k.rates.ai_kind) for k in kinds} >= {(None, "ecg"), (None, "image")}
    domains = domain_rows(report)
    assert len(domains) == len(summaries) * 6
    for row in domains:
        assert sum(row.by_level.values()) + row.unassessed == row.doctors


def test_a_cancelled_report_stops(county: County) -> None:
    with pytest.raises(Cancelled):
        build_report(county.db, county.catalogue, cancelled=lambda: True)


DOMAINS = [str(d.id) for d in builtin_framework().domains]
EVIDENCE = st.lists(
    st.builds(
        Evidence,
        domain=st.sampled_from(DOMAINS[:2]),  # two domains, so the evidence piles up
        case_id=st.just("case"),
        credit=st.sampled_from([0.0, 0.85, 1.0, 1.0, 1.0]) | st.floats(0.6, 1),
        source=st.sampled_from([EXAM, PRACTICE]),
        critical_error=st.sampled_from([False] * 9 + [True]),
    ),
    min_size=4,
    max_size=60,
)


def _many(credit: float, count: int, source: str = EXAM) -> list[Evidence]:
    return [Evidence(DOMAINS[0], f"c{n}", credit, source) for n in range(count)]


@settings(max_examples=300, deadline=None)
@given(EVIDENCE)
@example(_many(1.0, 14))  # proficient
@example(_many(0.9, 9))  # competent: the interval decides
@example(_many(0.78, 12) + _many(1.0, 6, PRACTICE))  # near the competent bound
@example([*_many(0.9, 20)[:-1], Evidence(DOMAINS[0], "x", 1.0, EXAM, True)])  # recent critical
def test_the_fast_levels_equal_the_mastery_model(found: list[Evidence]) -> None:
    """The report's level shortcut (the interval only at the rule bounds) gives exactly
    what ``assessments.mastery.estimate`` gives."""
    framework = builtin_framework()
    expected = estimate(found, framework)
    got = domain_levels(found, framework)
    assert {d: m.level for d, m in expected.items()} == {d: x.level for d, x in got.items()}
    assert {d: m.mean for d, m in expected.items()} == {d: x.mastery for d, x in got.items()}
    assert {d: m.evidence_count for d, m in expected.items()} == {
        d: x.evidence for d, x in got.items()
    }
