"""AI-output editors of the authoring studio, one per kind of AI output.

``editor_for(kind)`` gives the editor the studio places in its case editor; every editor
is an :class:`AIOutputEditor` with ``load(ai_output, pack_folder)``, ``value()`` and
``changed``. Editor modules are imported when their kind is first edited.
"""

from __future__ import annotations

import importlib

from PySide6.QtWidgets import QWidget

from desktop.studio.ai_editors.base import AIOutputEditor

__all__ = ["EDITORS", "AIOutputEditor", "editor_for"]

# kind → (module, class); the modules load pyqtgraph and the renderers, so only on demand.
EDITORS: dict[str, tuple[str, str]] = {
    "ecg": ("desktop.studio.ai_editors.ecg", "EcgEditor"),
    "image": ("desktop.studio.ai_editors.image", "ImageEditor"),
    "risk": ("desktop.studio.ai_editors.numeric", "RiskEditor"),
    "trend": ("desktop.studio.ai_editors.numeric", "TrendEditor"),
    "triage": ("desktop.studio.ai_editors.text_kinds", "TriageEditor"),
    "prescription": ("desktop.studio.ai_editors.text_kinds", "PrescriptionEditor"),
    "llm": ("desktop.studio.ai_editors.llm", "LlmEditor"),
    "report": ("desktop.studio.ai_editors.text_kinds", "ReportEditor"),
}


def editor_for(kind: str, parent: QWidget | None = None) -> AIOutputEditor:
    """A new editor for AI outputs of ``kind``; KeyError for an unknown kind."""
    module_name, class_name = EDITORS[kind]
    editor_class = getattr(importlib.import_module(module_name), class_name)
    editor: AIOutputEditor = editor_class(parent)
    return editor
