"""Screenshots of every AI-output renderer at 1366×768, before and after the truth is shown.

Uses the one-case-per-kind fixture pack; the chest film is replaced by a larger synthetic
film so the picture shows what a doctor would see.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/renderer_screenshots.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/renderer_screenshots.py [out] [lang]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "desktop"))
FIXTURE_PACK = ROOT / "tests" / "case_bank" / "fixtures" / "kinds_pack"
FILM_SIZE = 1024


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots" / "renderers")
    language = sys.argv[2] if len(sys.argv) > 2 else "zh_CN"
    scale = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    out.mkdir(parents=True, exist_ok=True)
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

    from xiangyi import i18n

    app = QApplication(sys.argv)
    i18n.set_language(language)
    from fixtures.xray import nodule_output, synthetic_chest

    from case_bank.pack import load_pack
    from desktop import theme
    from desktop.renderers import create_renderer
    from desktop.renderers.image import ImageView

    theme.apply(app, scale)
    pack = load_pack(FIXTURE_PACK)
    suffix = ("" if language == "zh_CN" else f"-{language}") + ("" if scale == 100 else f"-{scale}")

    def shot(widget: QWidget, name: str) -> None:
        for _ in range(10):
            app.processEvents()
        path = out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print(path)

    for case in pack.cases:
        name = case.ai_kind.value
        if case.id == "kinds-image-chest-001":
            view: QWidget = ImageView(
                nodule_output(case.ai_output, FILM_SIZE), synthetic_chest(FILM_SIZE)
            )
        else:
            view = create_renderer(pack, case)
            if case.ai_kind == "image":
                name = "image-fundus"
        frame = QWidget()
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addWidget(view)
        frame.resize(1366, 768)
        frame.show()
        shot(frame, name)
        if hasattr(view, "show_truth"):
            view.show_truth(case)
            shot(frame, f"{name}-feedback")
        frame.close()


if __name__ == "__main__":
    main()
