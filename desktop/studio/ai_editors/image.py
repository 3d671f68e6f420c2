"""Image editor: import a film (PNG, JPEG, DICOM) and draw the AI's boxes, contours, heat map.

The "Draw" page holds the drawing surface (:class:`ImageCanvas`) with a list of the marks,
where each box or contour gets its label (Chinese and English) and score and each
heat-map blob its weight; the "Details" page holds findings, the DICOM window and the
tool; the "Preview" page shows the player's own image renderer.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from case_bank.assets import AssetError, load_case_image, load_image, resolve_asset
from case_bank.outputs import ImageModality, ImageOutput
from desktop.studio.ai_editors.assets_io import asset_name, copy_into_assets, free_asset_path
from desktop.studio.ai_editors.base import AIOutputEditor, PreviewPane, scrolled
from desktop.studio.ai_editors.fields import BilingualEdit, NumberEdit, mapping
from desktop.studio.ai_editors.image_canvas import ImageCanvas, Mark
from desktop.studio.ai_editors.image_marks import MarksTable, mark_mappings, marks_from
from desktop.studio.ai_editors.numeric import omit_default
from desktop.studio.ai_editors.text_kinds import bilingual_list
from xiangyi.i18n import N_, _

MODALITIES = (
    (ImageModality.CHEST_XRAY.value, N_("Chest X-ray")),
    (ImageModality.FUNDUS.value, N_("Fundus photograph")),
    (ImageModality.FRACTURE.value, N_("Fracture X-ray")),
    (ImageModality.OTHER.value, N_("Other image")),
)
TOOLS = (
    ("select", N_("Select / move")),
    ("box", N_("Draw box")),
    ("contour", N_("Draw contour")),
    ("blob", N_("Heat-map spot")),
)
TOOL_HINTS = {
    "select": N_("Drag a mark to move it, drag a box corner or a spot's rim to resize it."),
    "box": N_("Drag across the finding to draw a box."),
    "contour": N_("Click the outline point by point; click the first point or press Enter."),
    "blob": N_("Click the centre of a heat-map spot and drag out to its radius."),
}


def dicom_available() -> bool:
    """Whether DICOM files can be imported (pydicom is installed)."""
    try:
        import pydicom  # noqa: F401
    except ImportError:
        return False
    return True


class ImageEditor(AIOutputEditor):
    """Film, marks, AI label and score, findings, modality and the tool."""

    kind = "image"
    model = ImageOutput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pixels: Any = None
        self.image_path = ""
        self.canvas = ImageCanvas()
        self.marks = MarksTable()
        self.label = BilingualEdit("imageLabel")
        self.score = NumberEdit()
        self.score.setObjectName("imageScore")
        self.confidence = NumberEdit()
        self.confidence.setObjectName("imageConfidence")
        self.modality = QComboBox()
        self.modality.setObjectName("imageModality")
        for value, _label in MODALITIES:
            self.modality.addItem("", value)
        self.opacity = NumberEdit()
        self.opacity.setObjectName("imageHeatOpacity")
        self.findings = bilingual_list(
            "imageFindings", N_("Finding (Chinese)"), N_("Finding (English)")
        )
        self.window_centre = NumberEdit()
        self.window_centre.setObjectName("imageWindowCentre")
        self.window_width = NumberEdit()
        self.window_width.setObjectName("imageWindowWidth")
        self.preview = PreviewPane()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("imageEditorTabs")
        self.tabs.addTab(self._draw_page(), "")
        self.tabs.addTab(scrolled(self._details_page()), "")
        self.tabs.addTab(self.preview, "")
        for i, text in enumerate((N_("Draw"), N_("Details and tool"), N_("Preview"))):
            self.texts.say(partial(self.tabs.setTabText, i), text)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._connect()
        self.retranslate()

    # -- building ------------------------------------------------------------------------------
    def _draw_page(self) -> QWidget:
        self.image_text = QLabel()
        self.image_text.setObjectName("imageAssetText")
        self.image_text.setWordWrap(True)
        self.import_button = QPushButton()
        self.import_button.setObjectName("imageImport")
        self.texts.say(self.import_button.setText, N_("Import image…"))
        self.status = QLabel()
        self.status.setObjectName("imageStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #991b1b;")
        self.tool_group = QButtonGroup(self)
        tools = QGridLayout()
        for i, (tool, text) in enumerate(TOOLS):
            button = QToolButton()
            button.setObjectName(f"imageTool_{tool}")
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(
                button.sizePolicy().Policy.Expanding, button.sizePolicy().Policy.Fixed
            )
            self.texts.say(button.setText, text)
            self.tool_group.addButton(button, i)
            tools.addWidget(button, i // 2, i % 2)
        self.tool_group.button(0).setChecked(True)
        self.hint = QLabel()
        self.hint.setObjectName("imageToolHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #475569;")
        self.close_button = QPushButton()
        self.close_button.setObjectName("imageCloseContour")
        self.texts.say(self.close_button.setText, N_("Close contour"))
        self.delete_button = QPushButton()
        self.delete_button.setObjectName("imageDeleteMark")
        self.texts.say(self.delete_button.setText, N_("Delete mark"))
        actions = QHBoxLayout()
        actions.addWidget(self.close_button)
        actions.addWidget(self.delete_button)
        result, form = self.form_group(N_("AI result"))
        self.suggests_row(form)
        self.form_row(form, N_("AI label"), self.label, wide=True)
        self.form_row(form, N_("Score (0-1)"), self.score)
        self.form_row(form, N_("Confidence (0-1)"), self.confidence)
        self.form_row(form, N_("Image type"), self.modality)
        self.form_row(form, N_("Heat-map opacity (0-1)"), self.opacity)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 6, 0)
        row = QHBoxLayout()
        row.addWidget(self.image_text, 1)
        row.addWidget(self.import_button)
        column.addLayout(row)
        column.addWidget(self.status)
        column.addLayout(tools)
        column.addWidget(self.hint)
        column.addLayout(actions)
        column.addWidget(self.marks, 1)
        column.addWidget(result)
        page = QWidget()
        split = QHBoxLayout(page)
        split.addWidget(self.canvas, 3)
        area = scrolled(side)
        area.setMinimumWidth(430)
        split.addWidget(area, 2)
        return page

    def _details_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        box, form = self.form_group(N_("Findings the AI lists"))
        form.addRow(self.findings)
        self.findings.setMinimumHeight(180)
        column.addWidget(box)
        window, window_form = self.form_group(N_("DICOM display window"))
        self.form_row(window_form, N_("Window centre"), self.window_centre)
        self.form_row(window_form, N_("Window width"), self.window_width)
        column.addWidget(window)
        column.addWidget(self.tool)
        column.addStretch(1)
        return page

    def _connect(self) -> None:
        self.canvas.marks_changed.connect(self._marks_drawn)
        self.canvas.selection_changed.connect(self.marks.select_row)
        self.marks.row_selected.connect(self.canvas.select)
        self.marks.changed.connect(self._marks_relabelled)
        self.tool_group.idClicked.connect(self._choose_tool)
        self.close_button.clicked.connect(self.canvas.close_contour)
        self.delete_button.clicked.connect(self.canvas.delete_selected)
        self.import_button.clicked.connect(self._ask_import)
        self.tabs.currentChanged.connect(lambda _i: self.refresh())
        for edit in (self.score, self.confidence, self.window_centre, self.window_width):
            edit.textEdited.connect(self.edited)
        self.opacity.textEdited.connect(self._opacity_edited)
        self.label.changed.connect(self.edited)
        self.modality.currentIndexChanged.connect(self.edited)
        self.findings.changed.connect(self.edited)

    def retranslate(self) -> None:
        for i, (_value, label) in enumerate(MODALITIES):
            self.modality.setItemText(i, _(label))
        self.hint.setText(
            _(TOOL_HINTS[self.canvas.tool]) + " " + _("Wheel: zoom · right-drag: move the film.")
        )
        self.image_text.setText(
            _("Image: {path}").format(path=self.image_path)
            if self.image_path
            else _("No image yet")
        )

    # -- interaction ---------------------------------------------------------------------------
    def choose_tool(self, tool: str) -> None:
        """Switch the drawing tool: select, box, contour or blob."""
        names = [t for t, _text in TOOLS]
        self.tool_group.button(names.index(tool)).setChecked(True)
        self._choose_tool(names.index(tool))

    def _choose_tool(self, index: int) -> None:
        self.canvas.tool = TOOLS[index][0]  # type: ignore[assignment]
        self.canvas.pending = []
        self.canvas.redraw()
        self.retranslate()

    def _marks_drawn(self) -> None:
        self.marks.show_marks(self.canvas.marks)
        self.marks.select_row(self.canvas.selected)
        self.edited()

    def _marks_relabelled(self) -> None:
        self.canvas.redraw()
        self.edited()

    def _opacity_edited(self) -> None:
        value = self.opacity.number()
        self.canvas.opacity = float(value) if isinstance(value, int | float) else 0.4
        self.canvas.redraw()
        self.edited()

    def _ask_import(self) -> None:
        patterns = "*.png *.jpg *.jpeg *.dcm" if dicom_available() else "*.png *.jpg *.jpeg"
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import image"), "", _("Images ({patterns})").format(patterns=patterns)
        )
        if path:
            self.import_image(Path(path))

    def import_image(self, path: Path) -> bool:
        """Copy a PNG, JPEG or (de-identified) DICOM into the pack's assets and show it."""
        if self.pack_folder is None:
            return False
        try:
            name = self._copy_image(path)
            pixels = load_case_image(resolve_asset(self.pack_folder, name))
        except AssetError as exc:
            self.status.setText(str(exc))
            return False
        except (OSError, ValueError):
            self.status.setText(_("{name} cannot be read as an image").format(name=path.name))
            return False
        self.image_path = name
        self._show_pixels(pixels)
        self.edited()
        return True

    def _copy_image(self, path: Path) -> str:
        assert self.pack_folder is not None
        suffix = path.suffix.lower()
        if suffix == ".dcm":
            if not dicom_available():
                raise AssetError(
                    _("DICOM import needs the pydicom package, which is not installed")
                )
            from case_bank.dicom import deidentify_file, load_dicom_for_case

            target = free_asset_path(self.pack_folder, asset_name(path.stem, ".dcm"))
            deidentify_file(path, target)
            try:
                load_dicom_for_case(target)
            except AssetError:
                target.unlink(missing_ok=True)
                raise
            return f"assets/{target.name}"
        if suffix not in (".png", ".jpg", ".jpeg"):
            raise AssetError(_("choose a PNG, JPEG or DICOM (.dcm) image"))
        load_image(path)  # refuses a damaged or disguised file before it is copied
        return copy_into_assets(self.pack_folder, path)

    def _show_pixels(self, pixels: Any) -> None:
        self.pixels = pixels
        self.status.setText("")
        self.canvas.set_pixels(pixels)
        self.retranslate()

    # -- load and value ------------------------------------------------------------------------
    def fill(self, data: dict[str, Any]) -> None:
        self.image_path = str(data.get("image", ""))
        self.label.set_value(data.get("label"))
        self.score.set_number(data.get("score"))
        self.confidence.set_number(data.get("confidence"))
        self.modality.setCurrentIndex(self.modality.findData(data.get("modality")))
        heat = mapping(data.get("heat_map"))
        self.opacity.set_number(heat.get("opacity"))
        self.canvas.opacity = float(heat.get("opacity", 0.4))
        window = mapping(data.get("window"))
        self.window_centre.set_number(window.get("centre"))
        self.window_width.set_number(window.get("width"))
        self.findings.set_records(data.get("findings") or [])
        marks: list[Mark] = marks_from(data)
        self.canvas.set_marks(marks)
        self.marks.show_marks(marks)
        self.pixels = None
        self.status.setText("")
        if self.image_path and self.pack_folder is not None:
            centre, width = window.get("centre"), window.get("width")
            pair = (float(centre), float(width)) if centre is not None and width else None
            try:
                self._show_pixels(
                    load_case_image(resolve_asset(self.pack_folder, self.image_path), pair)
                )
            except (AssetError, ValueError) as exc:
                self.status.setText(str(exc))
        self.retranslate()

    def collect(self) -> dict[str, Any]:
        boxes, polygons, blobs = mark_mappings(self.canvas.marks)
        source_heat = mapping(self.source.get("heat_map"))
        heat: dict[str, Any] | None = None
        opacity = omit_default(source_heat, "opacity", self.opacity.number(), None)
        if blobs:
            heat = {"asset": None, "blobs": blobs, "opacity": opacity}
        elif source_heat.get("asset"):
            heat = {"asset": source_heat["asset"], "blobs": None, "opacity": opacity}
        centre, width = self.window_centre.number(), self.window_width.number()
        window = None if centre is None and width is None else {"centre": centre, "width": width}
        return {
            "image": self.image_path or None,
            "modality": self.modality.currentData(),
            "label": self.label.value(),
            "score": self.score.number(),
            "confidence": self.confidence.number(),
            "boxes": boxes,
            "polygons": polygons,
            "heat_map": heat,
            "window": window,
            "findings": self.findings.records(),
        }

    def refresh(self) -> None:
        if self.tabs.currentWidget() is self.preview:
            super().refresh()

    def preview_view(self, output: Any) -> QWidget | None:
        if self.pixels is None or self.pack_folder is None:
            return None
        from desktop.renderers.image import ImageView

        heat = None
        if output.heat_map is not None and output.heat_map.asset is not None:
            try:
                heat = load_image(resolve_asset(self.pack_folder, output.heat_map.asset))
            except AssetError:
                heat = None
        return ImageView(output, self.pixels, heat)
