"""Controlled vocabularies shared by cases, scoring and reports.

Labels are marked with ``N_`` and translated where they are shown.
"""

from __future__ import annotations

from enum import StrEnum

from xiangyi.i18n import N_, _


class Domain(StrEnum):
    """The six AI-competency domains of Russell et al. (2023), adapted to primary care."""

    FOUNDATIONS = "basic_knowledge"
    ETHICS = "social_ethical"
    ENCOUNTERS = "clinical_encounters"
    EVALUATION = "evidence_evaluation"
    WORKFLOW = "workflow_analysis"
    IMPROVEMENT = "practice_improvement"


class AIKind(StrEnum):
    ECG = "ecg"
    IMAGE = "image"
    RISK = "risk"
    TREND = "trend"
    TRIAGE = "triage"
    PRESCRIPTION = "prescription"
    LLM = "llm"
    REPORT = "report"


class AIError(StrEnum):
    """Whether and how the AI output in a case is wrong."""

    NONE = "none"
    FALSE_POSITIVE = "false_positive"
    FALSE_NEGATIVE = "false_negative"
    WRONG_CLASS = "wrong_class"
    OVERCONFIDENT = "overconfident"
    OUT_OF_SCOPE = "out_of_scope"
    POOR_INPUT = "poor_input"
    INVENTED_CONTENT = "invented_content"
    OUTDATED_CONTENT = "outdated_content"
    ALERT_FATIGUE = "alert_fatigue"


class Reliance(StrEnum):
    ACCEPT = "accept"
    OVERRIDE = "override"


class Limitation(StrEnum):
    """AI limitations a doctor can say they noticed."""

    POOR_QUALITY = "poor_quality"
    OUT_OF_POPULATION = "out_of_population"
    OUT_OF_SCOPE_TASK = "out_of_scope_task"
    CONFLICTS_WITH_CLINICAL = "conflicts_with_clinical"
    OVERCONFIDENT = "overconfident"
    MISSING_FINDING = "missing_finding"
    OUTDATED_OR_INVENTED = "outdated_or_invented"
    NONE_NOTICED = "none_noticed"


DOMAIN_LABELS = {
    Domain.FOUNDATIONS: N_("Basic knowledge of AI"),
    Domain.ETHICS: N_("Social and ethical implications"),
    Domain.ENCOUNTERS: N_("AI-enhanced clinical encounters"),
    Domain.EVALUATION: N_("Evidence-based evaluation of AI tools"),
    Domain.WORKFLOW: N_("Workflow analysis"),
    Domain.IMPROVEMENT: N_("Practice-based learning and improvement"),
}

AI_ERROR_LABELS = {
    AIError.NONE: N_("AI output correct"),
    AIError.FALSE_POSITIVE: N_("False positive"),
    AIError.FALSE_NEGATIVE: N_("False negative (silent miss)"),
    AIError.WRONG_CLASS: N_("Wrong class"),
    AIError.OVERCONFIDENT: N_("Over-confident output"),
    AIError.OUT_OF_SCOPE: N_("Input outside the tool's scope"),
    AIError.POOR_INPUT: N_("Poor input quality"),
    AIError.INVENTED_CONTENT: N_("Invented content"),
    AIError.OUTDATED_CONTENT: N_("Outdated content"),
    AIError.ALERT_FATIGUE: N_("Alert fatigue"),
}

LIMITATION_LABELS = {
    Limitation.POOR_QUALITY: N_("Poor signal or image quality"),
    Limitation.OUT_OF_POPULATION: N_("Patient outside the tool's intended population"),
    Limitation.OUT_OF_SCOPE_TASK: N_("Question outside what the tool was made for"),
    Limitation.CONFLICTS_WITH_CLINICAL: N_("Output conflicts with the clinical picture"),
    Limitation.OVERCONFIDENT: N_("Confidence higher than the evidence supports"),
    Limitation.MISSING_FINDING: N_("A finding the AI did not flag"),
    Limitation.OUTDATED_OR_INVENTED: N_("Outdated or invented content"),
    Limitation.NONE_NOTICED: N_("No limitation noticed"),
}

RELIANCE_LABELS = {
    Reliance.ACCEPT: N_("Agree with the AI"),
    Reliance.OVERRIDE: N_("Override the AI"),
}


def label(table: dict[str, str], key: str) -> str:
    """Translated label for a vocabulary value."""
    return _(table[key])
