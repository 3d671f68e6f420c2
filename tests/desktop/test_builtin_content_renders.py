"""Every built-in case shows its AI output, its raw input for the own read where the
kind has one, and the truth, in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from case_bank.pack import builtin_packs
from desktop.renderers import create_renderer
from xiangyi import i18n

PACKS = builtin_packs()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("pack", PACKS, ids=[p.info.id if p.info else "?" for p in PACKS])
def test_every_builtin_case_renders(qtbot: Any, pack: Any, language: str) -> None:
    i18n.set_language(language)
    for case in pack.cases:
        view = create_renderer(pack, case)
        qtbot.addWidget(view)
        if getattr(view, "shows_raw_input", False):
            view.set_ai_hidden(True)
            view.set_ai_hidden(False)
        view.show_truth(case)
        view.deleteLater()
