"""Screenshots of the studio's image and ECG editors at 1366×768 (run under Xvfb or offscreen).

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/ai_editor_screenshots.py \
        docs/screenshots [zh_CN|en] [--translations NEW.tsv ...]

The editors show built-in cases copied to a temporary pack folder; on the film a trainer
has also outlined a contour. ``--translations`` works as in certificate_ui_screenshots.py.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from shot_session import screenshot_session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

IMAGE_CASE = ("chest-imaging", "cxr-tb-003")
ECG_CASE = ("ecg-basics", "ecg-af-001")


def _copy_pack(name: str, tmp: Path) -> Path:
    target = tmp / name
    shutil.copytree(ROOT / "case_bank" / "packs" / name, target)
    return target


def _ai_output(pack: Path, case_id: str) -> dict:  # type: ignore[type-arg]
    from case_bank.yamlsafe import load_file

    data: dict = load_file(pack / "cases" / f"{case_id}.yaml").data  # type: ignore[type-arg]
    return dict(data["ai_output"])


def main() -> int:
    with screenshot_session() as session:
        out, tmp, app = session.out, session.tmp, session.app
        suffix = session.suffix
        from desktop.studio.ai_editors import editor_for
        from desktop.studio.ai_editors.image_canvas import Mark

        def shot(widget: object, name: str) -> None:
            widget.resize(1366, 768)  # type: ignore[attr-defined]
            widget.show()  # type: ignore[attr-defined]
            for _ in range(20):
                app.processEvents()
            widget.grab().save(str(out / f"{name}{suffix}.png"))  # type: ignore[attr-defined]
            widget.close()  # type: ignore[attr-defined]

        pack = _copy_pack(IMAGE_CASE[0], tmp)
        image = editor_for("image")
        image.load(_ai_output(pack, IMAGE_CASE[1]), pack)
        outline = [(620.0, 250.0), (700.0, 230.0), (760.0, 300.0), (720.0, 380.0), (640.0, 360.0)]
        image.canvas.marks.append(  # type: ignore[attr-defined]
            Mark("contour", points=outline, label_zh="空洞", label_en="Cavity", score=0.71)
        )
        image.canvas.marks_changed.emit()  # type: ignore[attr-defined]
        image.canvas.select(0)  # type: ignore[attr-defined]
        image.choose_tool("box")  # type: ignore[attr-defined]
        shot(image, "studio-image-editor")

        pack = _copy_pack(ECG_CASE[0], tmp)
        ecg = editor_for("ecg")
        ecg.load(_ai_output(pack, ECG_CASE[1]), pack)
        shot(ecg, "studio-ecg-editor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
