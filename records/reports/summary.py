"""Institution summaries over competency records: what the administrator report screen
charts and the XLSX and PDF exports print (plain data, no formatting)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from assessments.framework import builtin_framework
from records.reports.derive import KindTally
from records.reports.record import CompetencyRecord, Report


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class KindRates:
    """Rates for one AI kind, from summed counts (never a mean of doctors' rates)."""

    ai_kind: str
    tally: KindTally

    @property
    def over_reliance_rate(self) -> float | None:
        return _ratio(self.tally.over_reliance, self.tally.ai_wrong)

    @property
    def under_reliance_rate(self) -> float | None:
        return _ratio(self.tally.under_reliance, self.tally.ai_right)

    @property
    def critical_error_rate(self) -> float | None:
        return _ratio(self.tally.critical_errors, self.tally.cases)


@dataclass(frozen=True)
class InstitutionSummary:
    """One institution's figures (``institution_id`` None: the total of a report)."""

    institution_id: str | None
    name_zh: str
    name_en: str
    level: str
    doctors: int
    study_hours_mean: float | None
    modules_completed_mean: float | None
    sat_certification: int
    passed_certification: int
    certified: int  # doctors holding a valid certificate
    critical_errors: int  # practice and exam cases
    domain_rank_mean: dict[str, float | None] = field(default_factory=dict)
    overall: KindRates = KindRates("", KindTally())
    by_ai_kind: dict[str, KindRates] = field(default_factory=dict)

    @property
    def pass_rate(self) -> float | None:
        """Doctors who passed the certification exam / doctors who sat it."""
        return _ratio(self.passed_certification, self.sat_certification)


def summarise(
    records: Sequence[CompetencyRecord],
    institution_id: str | None,
    name_zh: str,
    name_en: str,
    level: str,
) -> InstitutionSummary:
    """Figures over ``records`` (the doctors of one institution, or of a whole report)."""
    domains = [str(d.id) for d in builtin_framework().domains]
    kinds: dict[str, KindTally] = defaultdict(KindTally)
    for record in records:
        for kind, tally in record.by_ai_kind.items():
            kinds[kind] = kinds[kind] + tally
    overall = KindTally()
    for tally in kinds.values():
        overall = overall + tally
    return InstitutionSummary(
        institution_id=institution_id,
        name_zh=name_zh,
        name_en=name_en,
        level=level,
        doctors=len(records),
        study_hours_mean=_mean([r.study_hours for r in records]),
        modules_completed_mean=_mean([float(len(r.modules_completed)) for r in records]),
        sat_certification=sum(r.sat_certification for r in records),
        passed_certification=sum(r.passed_certification for r in records),
        certified=sum(bool(r.valid_certificates) for r in records),
        critical_errors=sum(r.critical_errors for r in records),
        domain_rank_mean={
            # Doctors with no evidence in a domain have no level there yet: left out.
            d: _mean([float(r.domains[d].rank) for r in records if _assessed(r, d)])
            for d in domains
        },
        overall=KindRates("", overall),
        by_ai_kind={kind: KindRates(kind, kinds[kind]) for kind in sorted(kinds)},
    )


Group = tuple[str | None, str, str, str, list[CompetencyRecord]]


def groups(report: Report, *, total: bool = True) -> list[Group]:
    """(institution id, Chinese name, English name, level, doctors) per institution in
    scope that has doctors (by Chinese name); doctors whose institution is unknown here
    under the id "" last; then the whole report under the id None when ``total``."""
    by_id: dict[str | None, list[CompetencyRecord]] = defaultdict(list)
    for record in report.records:
        by_id[record.institution_id].append(record)
    found: list[Group] = [
        (inst.id, inst.name_zh, inst.name_en, inst.level, by_id[inst.id])
        for inst in report.institutions
        if by_id.get(inst.id)
    ]
    known = {inst.id for inst in report.institutions}
    stray = [r for key, members in by_id.items() if key not in known for r in members]
    if stray:
        found.append(("", "（未指定机构）", "(no institution)", "", stray))
    if total:
        found.append((None, "合计", "Total", "", list(report.records)))
    return found


def institution_summaries(report: Report, *, total: bool = True) -> list[InstitutionSummary]:
    """One summary per group of ``groups`` (institutions, then the total)."""
    return [
        summarise(members, key, zh, en, level)
        for key, zh, en, level, members in groups(report, total=total)
    ]


@dataclass(frozen=True)
class DomainRow:
    """One institution's picture in one competency domain."""

    institution_id: str | None
    name_zh: str
    name_en: str
    domain: str
    doctors: int
    mastery_mean: float | None
    rank_mean: float | None
    by_level: dict[str, int]  # doctors at each framework level
    unassessed: int = 0  # doctors with no evidence in the domain yet (no level)


def _assessed(record: CompetencyRecord, domain: str) -> bool:
    """Whether the doctor has any evidence in the domain (a level means something)."""
    return domain in record.domains and record.domains[domain].evidence > 0


def domain_rows(report: Report) -> list[DomainRow]:
    """Per institution (and the total) and domain: mean mastery, mean level, doctors
    at each level. The domains sheet and the report screen's domain chart."""
    framework = builtin_framework()
    level_ids = [level.id for level in framework.levels]
    rows = []
    for key, zh, en, _level, members in groups(report):
        for spec in framework.domains:
            d = str(spec.id)
            levels = [r.domains[d] for r in members if _assessed(r, d)]
            counts = dict.fromkeys(level_ids, 0)
            for item in levels:
                counts[item.level] = counts.get(item.level, 0) + 1
            rows.append(
                DomainRow(
                    key,
                    zh,
                    en,
                    d,
                    len(members),
                    _mean([x.mastery for x in levels]),
                    _mean([float(x.rank) for x in levels]),
                    counts,
                    len(members) - len(levels),
                )
            )
    return rows


@dataclass(frozen=True)
class KindRow:
    """One institution's rates for one AI kind (the AI-kinds sheet and chart)."""

    institution_id: str | None
    name_zh: str
    name_en: str
    rates: KindRates


def ai_kind_rows(summaries: Sequence[InstitutionSummary]) -> list[KindRow]:
    """Flatten ``institution_summaries`` into one row per institution and AI kind."""
    return [
        KindRow(s.institution_id, s.name_zh, s.name_en, rates)
        for s in summaries
        for rates in s.by_ai_kind.values()
    ]
