"""The competency framework as data: domains, subcompetencies, levels and evidence rules.

``framework.yaml`` beside this module holds the built-in framework (Russell et al. 2023,
adapted to primary care). ``to_case_package`` exports it as a 1EdTech CASE 1.1
CFPackage (Competencies and Academic Standards Exchange, IMS Global 2021) so other
systems can refer to the same competencies by the same identifiers.
"""

from __future__ import annotations

import uuid
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from case_bank.text import Bilingual
from case_bank.validation import Problem, load_model_file
from case_bank.vocabulary import Domain

FRAMEWORK_FILE = Path(__file__).parent / "framework.yaml"
LEVEL_IDS = ("not_yet_competent", "developing", "competent", "proficient")
# Identifiers in the CASE export are uuid5 names under this project namespace, so the
# same framework always exports the same identifiers.
CASE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://xiangyi.invalid/competency-framework")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EvidenceRule(_Strict):
    """What a doctor must show in a domain to reach a level."""

    min_evidence: int = Field(default=0, ge=0, description="evidence items in the domain")
    min_exam_evidence: int = Field(default=0, ge=0)
    min_mastery: float = Field(default=0.0, ge=0, le=1, description="posterior mean")
    min_lower_bound: float = Field(default=0.0, ge=0, le=1, description="90% interval low end")
    no_critical_error_in_last: int = Field(
        default=0, ge=0, description="no critical error in this many latest exam cases"
    )


class Level(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z_]{2,40}$")
    rank: int = Field(ge=0)
    name: Bilingual
    descriptor: Bilingual
    rule: EvidenceRule


class Subcompetency(_Strict):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z][a-z0-9_]{2,60}$")
    title: Bilingual
    descriptor: Bilingual


class DomainSpec(_Strict):
    id: Domain
    title: Bilingual
    descriptor: Bilingual
    subcompetencies: list[Subcompetency] = Field(min_length=3, max_length=5)

    @model_validator(mode="after")
    def _prefixed(self) -> DomainSpec:
        for sub in self.subcompetencies:
            if not sub.id.startswith(f"{self.id}."):
                raise ValueError(f"subcompetency '{sub.id}' must start with '{self.id}.'")
        return self


class Framework(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$")
    version: int = Field(ge=1)
    updated: date
    title: Bilingual
    description: Bilingual
    source: str = Field(min_length=5)
    levels: list[Level] = Field(min_length=2)
    domains: list[DomainSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _complete(self) -> Framework:
        ids = [d.id for d in self.domains]
        if len(set(ids)) != len(ids):
            raise ValueError("a domain is listed twice")
        missing = sorted(set(Domain) - set(ids))
        if missing:
            raise ValueError(f"domains missing: {', '.join(missing)}")
        ranks = [level.rank for level in self.levels]
        if ranks != list(range(len(ranks))):
            raise ValueError("levels must be listed in rank order 0, 1, 2, …")
        if self.levels[0].rule != EvidenceRule():
            raise ValueError(f"the lowest level '{self.levels[0].id}' must have an empty rule")
        return self

    def domain(self, domain: str) -> DomainSpec:
        for spec in self.domains:
            if spec.id == domain:
                return spec
        raise KeyError(domain)

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)


class FrameworkError(Exception):
    """The framework file is not valid; ``problems`` name file, line and field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def load_framework(path: Path | None = None) -> Framework:
    """Read and validate a framework file (default: the built-in one)."""
    path = Path(path) if path is not None else FRAMEWORK_FILE
    framework, problems, _doc = load_model_file(path, Framework, path.name)
    if framework is None:
        raise FrameworkError(problems)
    return framework


@cache
def builtin_framework() -> Framework:
    """The built-in framework, loaded once."""
    return load_framework()


# --- CASE 1.1 export -------------------------------------------------------------------


def case_identifier(framework: Framework, kind: str, key: str) -> str:
    """Deterministic CASE identifier (uuid5) for one node of the framework."""
    return str(uuid.uuid5(CASE_NAMESPACE, f"{framework.id}/{kind}/{key}"))


def _uri(identifier: str) -> str:
    return f"urn:uuid:{identifier}"


def _link(title: str, identifier: str) -> dict[str, str]:
    """A CASE LinkURI."""
    return {"title": title, "identifier": identifier, "uri": _uri(identifier)}


def _other(text: Bilingual, language: str) -> str:
    return text.en if language == "zh_CN" else text.zh_CN


def _item(
    fw: Framework, key: str, item_type: str, title: Bilingual, text: Bilingual, lang: str
) -> dict[str, Any]:
    identifier = case_identifier(fw, "item", key)
    type_id = case_identifier(fw, "itemtype", item_type)
    return {
        "identifier": identifier,
        "uri": _uri(identifier),
        "CFDocumentURI": _link(fw.title.get(lang), case_identifier(fw, "document", fw.id)),
        "fullStatement": text.get(lang),
        "abbreviatedStatement": title.get(lang),
        "alternativeLabel": title.get("en" if lang == "zh_CN" else "zh_CN"),
        "humanCodingScheme": key,
        "notes": _other(text, lang),
        "CFItemType": item_type,
        "CFItemTypeURI": _link(item_type, type_id),
        "language": "zh" if lang == "zh_CN" else "en",
        "lastChangeDateTime": f"{fw.updated.isoformat()}T00:00:00+00:00",
    }


def _child_of(fw: Framework, child: dict[str, Any], parent: dict[str, Any], seq: int) -> Any:
    identifier = case_identifier(fw, "association", f"{child['identifier']}>{parent['uri']}")
    return {
        "identifier": identifier,
        "uri": _uri(identifier),
        "associationType": "isChildOf",
        "sequenceNumber": seq,
        "CFDocumentURI": _link(fw.title.en, case_identifier(fw, "document", fw.id)),
        "originNodeURI": _link(child["humanCodingScheme"], child["identifier"]),
        "destinationNodeURI": _link(
            parent.get("humanCodingScheme") or parent["title"], parent["identifier"]
        ),
        "lastChangeDateTime": f"{fw.updated.isoformat()}T00:00:00+00:00",
    }


def _document(fw: Framework, lang: str) -> dict[str, Any]:
    identifier = case_identifier(fw, "document", fw.id)
    return {
        "identifier": identifier,
        "uri": _uri(identifier),
        "creator": "Xiangyi content team",
        "title": fw.title.get(lang),
        "description": fw.description.get(lang),
        "notes": fw.source,
        "version": str(fw.version),
        "adoptionStatus": "Draft",
        "language": "zh" if lang == "zh_CN" else "en",
        "lastChangeDateTime": f"{fw.updated.isoformat()}T00:00:00+00:00",
        "CFPackageURI": _link(fw.title.get(lang), case_identifier(fw, "package", fw.id)),
    }


def _rubric(fw: Framework, lang: str) -> dict[str, Any]:
    """The levels as one CFRubric with a criterion per domain."""
    rubric_id = case_identifier(fw, "rubric", "levels")
    criteria = []
    for position, spec in enumerate(fw.domains, start=1):
        criterion_id = case_identifier(fw, "criterion", spec.id)
        levels = [
            {
                "identifier": case_identifier(fw, "criterionlevel", f"{spec.id}/{lv.id}"),
                "uri": _uri(case_identifier(fw, "criterionlevel", f"{spec.id}/{lv.id}")),
                "quality": lv.name.get(lang),
                "description": lv.descriptor.get(lang),
                "score": lv.rank,
                "position": lv.rank + 1,
                "rubricCriterionId": criterion_id,
                "lastChangeDateTime": f"{fw.updated.isoformat()}T00:00:00+00:00",
            }
            for lv in fw.levels
        ]
        criteria.append(
            {
                "identifier": criterion_id,
                "uri": _uri(criterion_id),
                "category": spec.title.get(lang),
                "description": spec.descriptor.get(lang),
                "CFItemURI": _link(spec.id, case_identifier(fw, "item", spec.id)),
                "position": position,
                "rubricId": rubric_id,
                "CFRubricCriterionLevels": levels,
                "lastChangeDateTime": f"{fw.updated.isoformat()}T00:00:00+00:00",
            }
        )
    return {
        "identifier": rubric_id,
        "uri": _uri(rubric_id),
        "title": "能力水平" if lang == "zh_CN" else "Competency levels",
        "CFRubricCriteria": criteria,
        "lastChangeDateTime": f"{fw.updated.isoformat()}T00:00:00+00:00",
    }


def to_case_package(framework: Framework, language: str = "zh_CN") -> dict[str, Any]:
    """The framework as a CASE 1.1 CFPackage (a JSON-ready dict).

    Statements are in ``language``; the other language goes in ``notes`` and
    ``alternativeLabel``. Domains and subcompetencies are CFItems of type "Domain" and
    "Competency"; each is ``isChildOf`` its parent (the document for domains).
    """
    fw = framework
    document = _document(fw, language)
    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    for d_pos, spec in enumerate(fw.domains, start=1):
        domain_item = _item(fw, spec.id, "Domain", spec.title, spec.descriptor, language)
        items.append(domain_item)
        associations.append(_child_of(fw, domain_item, document, d_pos))
        for s_pos, sub in enumerate(spec.subcompetencies, start=1):
            sub_item = _item(fw, sub.id, "Competency", sub.title, sub.descriptor, language)
            items.append(sub_item)
            associations.append(_child_of(fw, sub_item, domain_item, s_pos))
    item_types = [
        {
            "identifier": case_identifier(fw, "itemtype", name),
            "uri": _uri(case_identifier(fw, "itemtype", name)),
            "title": name,
            "description": name,
            "hierarchyCode": str(code),
            "lastChangeDateTime": f"{fw.updated.isoformat()}T00:00:00+00:00",
        }
        for code, name in enumerate(("Domain", "Competency"), start=1)
    ]
    return {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
        "CFDefinitions": {"CFItemTypes": item_types},
        "CFRubrics": [_rubric(fw, language)],
    }
