"""Renderers: one widget per AI-output kind, imported lazily by the case player.

Every renderer shows the tool's name, intended use and stated performance on request,
a "simulated" mark, re-labels itself on a language change, and (except the ECG view)
has ``show_truth(case)`` to mark what the AI got wrong after the decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from case_bank.models import Case, ImageOutput
    from case_bank.pack import Pack


def create_renderer(pack: Pack, case: Case) -> QWidget:
    """The widget that shows ``case``'s AI output as the real tool would.

    Raises ``case_bank.assets.AssetError`` (a message for the user) when an asset is
    missing or damaged. Each renderer module is imported only when its kind is shown.
    """
    from case_bank import models

    output = case.ai_output
    if isinstance(output, models.EcgOutput):
        from case_bank.assets import load_signal
        from desktop.renderers.ecg import EcgView

        signal = load_signal(pack.asset_path(output.signal), output.leads)
        view = EcgView()
        view.show_output(output, signal)
        return view
    if isinstance(output, models.ImageOutput):
        return _image(pack, output)
    if isinstance(output, models.RiskOutput):
        from desktop.renderers.risk import RiskView

        return RiskView(output)
    if isinstance(output, models.TrendOutput):
        from desktop.renderers.trend import TrendView

        return TrendView(output)
    if isinstance(output, models.TriageOutput):
        from desktop.renderers.triage import TriageView

        return TriageView(output)
    if isinstance(output, models.PrescriptionOutput):
        from desktop.renderers.prescription import PrescriptionView

        return PrescriptionView(output)
    if isinstance(output, models.LlmOutput):
        from desktop.renderers.llm import LlmView

        return LlmView(output)
    if isinstance(output, models.ReportOutput):
        from desktop.renderers.report import ReportView

        return ReportView(output)
    raise TypeError(f"no renderer for AI output kind {output.kind!r}")


def _image(pack: Pack, output: ImageOutput) -> QWidget:
    from case_bank.assets import load_case_image, load_image, resolve_asset
    from desktop.renderers.image import ImageView

    window = (output.window.centre, output.window.width) if output.window else None
    pixels = load_case_image(resolve_asset(pack.folder, output.image), window)
    heat = None
    if output.heat_map is not None and output.heat_map.asset is not None:
        heat = load_image(resolve_asset(pack.folder, output.heat_map.asset))
    return ImageView(output, pixels, heat)
