"""Image renderer: a chest X-ray, fundus photograph or fracture film with the AI's marks.

The wheel zooms, a left drag pans and a right drag sets window (across) and level (up
and down) as on a PACS viewer. Boxes, contours and the heat map are separate graphics
items that can each be switched off. Images are shown with pyqtgraph's ImageItem, whose
uint8 path draws a 2048 × 2048 film in about 20 ms. autoDownsample stays off: averaging
the film on every redraw costs four times more than drawing it. The heat map is kept
at most 512 pixels a side and stretched over the film (it is smooth, nothing is lost).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPen, QPolygonF
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from case_bank.outputs import ImageOutput
from desktop.renderers.common import OutputView, label_of, named, percent
from xiangyi.i18n import _

HEAT_MAX_SIDE = 512
BOX_COLOUR = QColor("#facc15")  # yellow: visible on grey film and on an orange fundus
CONTOUR_COLOUR = QColor("#22d3ee")
DEFAULT_LEVEL, DEFAULT_WIDTH = 128, 256


def _heat_lut() -> Any:
    """RGBA lookup table: transparent where the AI did not look, red-yellow where it did."""
    ramp = np.linspace(0.0, 1.0, 256)
    lut = np.empty((256, 4), dtype=np.ubyte)
    lut[:, 0] = 255
    lut[:, 1] = np.clip(ramp * 2 - 0.6, 0, 1) * 230
    lut[:, 2] = np.clip(ramp * 3 - 2.2, 0, 1) * 120
    lut[:, 3] = np.clip(ramp * 1.6 - 0.1, 0, 1) * 255
    return lut


def heat_from_blobs(blobs: list[Any], width: int, height: int) -> Any:
    """A uint8 heat map (at most HEAT_MAX_SIDE a side) from gaussian blobs in image pixels."""
    step = max(width, height) / HEAT_MAX_SIDE if max(width, height) > HEAT_MAX_SIDE else 1.0
    xs = (np.arange(int(np.ceil(width / step))) + 0.5) * step
    ys = (np.arange(int(np.ceil(height / step))) + 0.5) * step
    heat = np.zeros((len(ys), len(xs)))
    for blob in blobs:
        gx = np.exp(-0.5 * ((xs - blob.x) / blob.radius) ** 2)
        gy = np.exp(-0.5 * ((ys - blob.y) / blob.radius) ** 2)
        heat = np.maximum(heat, blob.weight * np.outer(gy, gx))
    return (np.clip(heat, 0, 1) * 255).astype(np.uint8)


def shrink_heat(heat: Any) -> Any:
    """A heat-map array reduced by striding to at most HEAT_MAX_SIDE a side."""
    stride = int(np.ceil(max(heat.shape[:2]) / HEAT_MAX_SIDE))
    return np.ascontiguousarray(heat[::stride, ::stride]) if stride > 1 else heat


class _FilmViewBox(pg.ViewBox):
    """Left drag pans, wheel zooms, right drag changes window (x) and level (y)."""

    def __init__(self, on_window_drag: Any) -> None:
        super().__init__(enableMenu=False, invertY=True, lockAspect=True)
        self._on_window_drag = on_window_drag

    def mouseDragEvent(self, ev: Any, axis: int | None = None) -> None:
        if ev.button() == Qt.MouseButton.RightButton:
            ev.accept()
            delta = ev.screenPos() - ev.lastScreenPos()
            self._on_window_drag(delta.x(), delta.y())
            return
        super().mouseDragEvent(ev, axis)


class ImageView(OutputView):
    """Shows one ``ImageOutput`` over its pixels (uint8 [row, col] or [row, col, 3])."""

    shows_raw_input = True  # the film alone, without boxes, contours or heat map

    def __init__(
        self,
        output: ImageOutput,
        pixels: Any,
        heat: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(output, "image", parent)
        self.output: ImageOutput = output
        self.pixels = pixels
        self.greyscale = pixels.ndim == 2
        height, width = pixels.shape[:2]
        self.image_rect = QRectF(0, 0, width, height)

        self.view_box = _FilmViewBox(self._drag_window)
        self.plot = named(pg.GraphicsView(background="#000000"), "imagePlot")
        self.plot.setCentralItem(self.view_box)
        self.plot.setMinimumSize(240, 180)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setImage(pixels, autoLevels=False, levels=(0, 256))
        self.view_box.addItem(self.image_item)

        self.heat_item = pg.ImageItem(axisOrder="row-major")
        self.heat_item.setZValue(5)
        self._build_heat(heat, width, height)
        self.view_box.addItem(self.heat_item)
        self.box_items: list[QGraphicsRectItem] = []
        self.box_labels: list[pg.TextItem] = []
        self.contour_items: list[QGraphicsPolygonItem] = []
        self.contour_labels: list[pg.TextItem] = []
        self._build_marks()

        self.side = self._build_side_panel()
        row = QHBoxLayout()
        row.addWidget(self.plot, 1)
        row.addWidget(self.side)
        self.body.addLayout(row, 1)
        self.findings_text = named(QLabel(), "imageFindings")
        self.findings_text.setWordWrap(True)
        self.body.addWidget(self.findings_text)

        self.boxes_toggle.toggled.connect(self._show_boxes)
        self.contours_toggle.toggled.connect(self._show_contours)
        self.heat_toggle.toggled.connect(self.heat_item.setVisible)
        self.heat_opacity.valueChanged.connect(lambda v: self.heat_item.setOpacity(v / 100))
        self.level_slider.valueChanged.connect(self._apply_window)
        self.width_slider.valueChanged.connect(self._apply_window)
        self.reset_window_button.clicked.connect(self.reset_window)
        self.fit_button.clicked.connect(self.fit)
        self.zoom_in_button.clicked.connect(lambda: self.view_box.scaleBy((0.8, 0.8)))
        self.zoom_out_button.clicked.connect(lambda: self.view_box.scaleBy((1.25, 1.25)))
        self.fit()
        self.retranslate()

    # -- building -------------------------------------------------------------------------
    def _build_heat(self, heat: Any, width: int, height: int) -> None:
        spec = self.output.heat_map
        self.has_heat = spec is not None
        if spec is None:
            self.heat_item.setVisible(False)
            return
        if heat is None:
            heat = heat_from_blobs(spec.blobs, width, height)
        heat = shrink_heat(heat if heat.ndim == 2 else heat[..., 0])
        self.heat_item.setImage(heat, autoLevels=False, levels=(0, 255), lut=_heat_lut())
        self.heat_item.setRect(QRectF(0, 0, width, height))
        self.heat_item.setOpacity(spec.opacity)

    def _label_item(self, colour: QColor) -> pg.TextItem:
        item = pg.TextItem(color=colour, fill=pg.mkBrush(0, 0, 0, 170), anchor=(0, 1))
        item.setZValue(20)
        self.view_box.addItem(item)
        return item

    def _build_marks(self) -> None:
        box_pen = QPen(BOX_COLOUR, 2)
        box_pen.setCosmetic(True)
        for box in self.output.boxes:
            rect = QGraphicsRectItem(box.x, box.y, box.w, box.h)
            rect.setPen(box_pen)
            rect.setBrush(QBrush(Qt.BrushStyle.NoBrush))
            rect.setZValue(10)
            self.view_box.addItem(rect)
            self.box_items.append(rect)
            text = self._label_item(BOX_COLOUR)
            text.setPos(box.x, box.y)
            self.box_labels.append(text)
        contour_pen = QPen(CONTOUR_COLOUR, 2)
        contour_pen.setCosmetic(True)
        for polygon in self.output.polygons:
            shape = QGraphicsPolygonItem(QPolygonF([QPointF(x, y) for x, y in polygon.points]))
            shape.setPen(contour_pen)
            shape.setZValue(10)
            self.view_box.addItem(shape)
            self.contour_items.append(shape)
            # Below the outline, so it never covers the box label above it.
            text = self._label_item(CONTOUR_COLOUR)
            text.setAnchor((0, 0))
            bottom = max(polygon.points, key=lambda p: p[1])
            text.setPos(min(x for x, _y in polygon.points), bottom[1])
            self.contour_labels.append(text)

    def _build_side_panel(self) -> QScrollArea:
        self.overlay_group = named(QGroupBox(), "imageOverlays")
        self.boxes_toggle = named(QCheckBox(), "imageBoxesToggle")
        self.contours_toggle = named(QCheckBox(), "imageContoursToggle")
        self.heat_toggle = named(QCheckBox(), "imageHeatToggle")
        self.heat_opacity_label = named(QLabel(), "imageHeatOpacityLabel")
        self.heat_opacity = named(QSlider(Qt.Orientation.Horizontal), "imageHeatOpacity")
        self.heat_opacity.setRange(0, 100)
        spec = self.output.heat_map
        self.heat_opacity.setValue(round((spec.opacity if spec else 0.4) * 100))
        for toggle, present in (
            (self.boxes_toggle, bool(self.output.boxes)),
            (self.contours_toggle, bool(self.output.polygons)),
            (self.heat_toggle, self.has_heat),
        ):
            toggle.setChecked(present)
            toggle.setEnabled(present)
        self.heat_opacity.setEnabled(self.has_heat)
        overlays = QVBoxLayout(self.overlay_group)
        for widget in (
            self.boxes_toggle,
            self.contours_toggle,
            self.heat_toggle,
            self.heat_opacity_label,
            self.heat_opacity,
        ):
            overlays.addWidget(widget)

        self.window_group = named(QGroupBox(), "imageWindow")
        self.level_slider = named(QSlider(Qt.Orientation.Horizontal), "imageLevel")
        self.level_slider.setRange(0, 255)
        self.level_slider.setValue(DEFAULT_LEVEL)
        self.width_slider = named(QSlider(Qt.Orientation.Horizontal), "imageWidth")
        self.width_slider.setRange(1, 512)
        self.width_slider.setValue(DEFAULT_WIDTH)
        self.level_label = QLabel()
        self.width_label = QLabel()
        self.window_text = named(QLabel(), "imageWindowText")
        self.window_text.setWordWrap(True)
        self.reset_window_button = named(QPushButton(), "imageResetWindow")
        form = QFormLayout(self.window_group)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(self.width_label, self.width_slider)
        form.addRow(self.level_label, self.level_slider)
        form.addRow(self.window_text)
        form.addRow(self.reset_window_button)
        self.window_group.setVisible(self.greyscale)

        self.zoom_in_button = named(QPushButton(), "imageZoomIn")
        self.zoom_out_button = named(QPushButton(), "imageZoomOut")
        self.fit_button = named(QPushButton(), "imageFit")
        zoom = QHBoxLayout()
        for button in (self.zoom_in_button, self.zoom_out_button, self.fit_button):
            zoom.addWidget(button)
        self.hint_text = named(QLabel(), "imageHint")
        self.hint_text.setWordWrap(True)
        self.hint_text.setStyleSheet("color: #475569;")

        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 10, 0)
        column.addWidget(self.overlay_group)
        column.addWidget(self.window_group)
        column.addLayout(zoom)
        column.addWidget(self.hint_text)
        column.addStretch(1)
        area = QScrollArea()
        area.setWidget(panel)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setMinimumWidth(270)
        area.setMaximumWidth(340)
        return area

    # -- interaction ----------------------------------------------------------------------
    def fit(self) -> None:
        """Show the whole image."""
        self.view_box.setRange(self.image_rect, padding=0.01)

    def hide_ai_body(self, hidden: bool) -> None:
        """The film alone for the own read: no boxes, contours, heat map or findings."""
        self.overlay_group.setVisible(not hidden)
        self._show_boxes(not hidden and self.boxes_toggle.isChecked())
        self._show_contours(not hidden and self.contours_toggle.isChecked())
        self.heat_item.setVisible(not hidden and self.has_heat and self.heat_toggle.isChecked())
        self.findings_text.setVisible(not hidden and bool(self.output.findings))

    def _show_boxes(self, visible: bool) -> None:
        for item in (*self.box_items, *self.box_labels):
            item.setVisible(visible)

    def _show_contours(self, visible: bool) -> None:
        for item in (*self.contour_items, *self.contour_labels):
            item.setVisible(visible)

    def _drag_window(self, dx: float, dy: float) -> None:
        if not self.greyscale:
            return
        self.width_slider.setValue(round(self.width_slider.value() + dx))
        self.level_slider.setValue(round(self.level_slider.value() - dy))

    def _apply_window(self) -> None:
        level, width = self.level_slider.value(), self.width_slider.value()
        self.image_item.setLevels((level - width / 2, level + width / 2))
        self.window_text.setText(
            _("Window {width} · level {level}").format(width=width, level=level)
        )

    def reset_window(self) -> None:
        """Back to the full grey range."""
        self.level_slider.setValue(DEFAULT_LEVEL)
        self.width_slider.setValue(DEFAULT_WIDTH)
        self._apply_window()

    # -- text -------------------------------------------------------------------------------
    def header_text(self) -> str:
        output = self.output
        parts = [
            _("{modality} · AI result: {label}").format(
                modality=label_of(output.modality), label=output.label.get()
            )
        ]
        if output.score is not None:
            parts.append(_("score {score}").format(score=f"{output.score:.2f}"))
        if output.confidence is not None:
            parts.append(_("confidence {value}%").format(value=percent(output.confidence)))
        return " · ".join(parts)

    def retranslate_body(self) -> None:
        self.overlay_group.setTitle(_("AI overlays"))
        self.boxes_toggle.setText(_("Boxes ({n})").format(n=len(self.output.boxes)))
        self.contours_toggle.setText(_("Contours ({n})").format(n=len(self.output.polygons)))
        self.heat_toggle.setText(_("Heat map"))
        self.heat_opacity_label.setText(_("Heat-map opacity"))
        self.window_group.setTitle(_("Window / level"))
        self.width_label.setText(_("Window (contrast)"))
        self.level_label.setText(_("Level (brightness)"))
        self.reset_window_button.setText(_("Reset window"))
        self.zoom_in_button.setText(_("Zoom in"))
        self.zoom_out_button.setText(_("Zoom out"))
        self.fit_button.setText(_("Fit"))
        self.hint_text.setText(
            _("Wheel: zoom · drag: move · right-drag: window and level")
            if self.greyscale
            else _("Wheel: zoom · drag: move")
        )
        self._apply_window()
        for box, text in zip(self.output.boxes, self.box_labels, strict=True):
            text.setText(_mark_text(box.label, box.score))
        for polygon, text in zip(self.output.polygons, self.contour_labels, strict=True):
            text.setText(_mark_text(polygon.label, polygon.score))
        findings = self.output.findings
        self.findings_text.setText("\n".join(f"• {f.get()}" for f in findings))
        self.findings_text.setVisible(bool(findings) and not self.ai_hidden)


def _mark_text(label: Any, score: float | None) -> str:
    name = label.get() if label is not None else _("AI finding")
    return name if score is None else f"{name} {score:.2f}"
