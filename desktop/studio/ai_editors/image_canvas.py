"""The drawing surface of the image editor: the film with the AI's boxes, contours and blobs.

Scene coordinates are image pixels (the film sits at 0,0 at scale 1), so what the mouse
draws is stored as the model wants it. The tool (select, box, contour, blob) decides
what a press does; a drag is tracked from the press to the release, not from the
buttons reported while moving, so it behaves the same with a mouse, a pen or a test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from desktop.renderers.image import BOX_COLOUR, CONTOUR_COLOUR, _heat_lut, heat_from_blobs

Tool = Literal["select", "box", "contour", "blob"]
MarkKind = Literal["box", "contour", "blob"]
HANDLE_PX = 8  # how close (screen pixels) a press must be to grab a corner or an edge
BLOB_COLOUR = QColor("#f97316")
SELECTED_COLOUR = QColor("#22c55e")


@dataclass
class Mark:
    """One overlay: a box (x, y, w, h), a contour (points) or a blob (x, y, radius).

    ``label_zh``/``label_en``/``score`` are the box or contour's label and score; for a
    blob ``score`` is its weight. ``source`` is the mapping it was loaded from.
    """

    kind: MarkKind
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    points: list[tuple[float, float]] = field(default_factory=list)
    label_zh: str = ""
    label_en: str = ""
    score: Any = None
    source: dict[str, Any] = field(default_factory=dict)

    def contains(self, p: QPointF, tolerance: float) -> bool:
        if self.kind == "box":
            return (
                QRectF(self.x, self.y, self.w, self.h)
                .adjusted(-tolerance, -tolerance, tolerance, tolerance)
                .contains(p)
            )
        if self.kind == "contour":
            return QPolygonF([QPointF(*q) for q in self.points]).containsPoint(
                p, Qt.FillRule.OddEvenFill
            )
        return math.hypot(p.x() - self.x, p.y() - self.y) <= self.w + tolerance

    def moved(self, dx: float, dy: float) -> None:
        self.x += dx
        self.y += dy
        self.points = [(px + dx, py + dy) for px, py in self.points]


def pixmap_of(pixels: Any) -> QPixmap:
    """A uint8 numpy image (grey or RGB) as a pixmap."""
    data = np.ascontiguousarray(pixels)
    height, width = data.shape[:2]
    if data.ndim == 2:
        image = QImage(data.data, width, height, width, QImage.Format.Format_Grayscale8)
    else:
        image = QImage(data.data, width, height, width * 3, QImage.Format.Format_RGB888)
    return QPixmap.fromImage(image.copy())


def heat_pixmap(blobs: list[Mark], width: int, height: int) -> QPixmap:
    """The heat map of ``blobs`` coloured as the player colours it."""

    @dataclass
    class _Blob:
        x: float
        y: float
        radius: float
        weight: float

    weights = [b.score if isinstance(b.score, int | float) else 1.0 for b in blobs]
    spots = [_Blob(b.x, b.y, max(b.w, 1.0), float(w)) for b, w in zip(blobs, weights, strict=True)]
    heat = heat_from_blobs(spots, width, height)
    rgba = np.ascontiguousarray(_heat_lut()[heat])
    h, w = heat.shape
    image = QImage(rgba.data, w, h, w * 4, QImage.Format.Format_RGBA8888)
    return QPixmap.fromImage(image.copy())


class ImageCanvas(QGraphicsView):
    """Shows the film and its marks; draws, moves, resizes and deletes marks."""

    marks_changed = Signal()
    selection_changed = Signal(int)  # index into ``marks``, -1 for none

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imageCanvas")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setBackgroundBrush(QBrush(QColor("#000000")))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self._pan: QPointF | None = None  # where a right-drag (moving the film) started
        self.marks: list[Mark] = []
        self.tool: Tool = "select"
        self.selected = -1
        self.opacity = 0.4
        self.image_size = (0, 0)
        self.pending: list[tuple[float, float]] = []  # contour being clicked in
        self._drag: tuple[str, QPointF, Mark | None] | None = None
        self._film = self.scene().addPixmap(QPixmap())
        self._overlay: list[QGraphicsItem] = []

    # -- content ---------------------------------------------------------------------------
    def set_pixels(self, pixels: Any) -> None:
        """Show a new film (uint8 numpy array) and fit it to the view."""
        self._film.setPixmap(pixmap_of(pixels))
        self.image_size = (int(pixels.shape[1]), int(pixels.shape[0]))
        self.scene().setSceneRect(QRectF(0, 0, *self.image_size))
        self.fit()
        self.redraw()

    def set_marks(self, marks: list[Mark]) -> None:
        self.marks = marks
        self.selected = -1
        self.pending = []
        self.redraw()

    def fit(self) -> None:
        if self.image_size[0]:
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def select(self, index: int) -> None:
        self.selected = index if 0 <= index < len(self.marks) else -1
        self.redraw()
        self.selection_changed.emit(self.selected)

    def delete_selected(self) -> None:
        if self.selected >= 0:
            del self.marks[self.selected]
            self.select(-1)
            self.marks_changed.emit()

    def close_contour(self) -> None:
        """Finish the contour being drawn (three points at least)."""
        if len(self.pending) >= 3:
            self.marks.append(Mark("contour", points=list(self.pending)))
            self.pending = []
            self.select(len(self.marks) - 1)
            self.marks_changed.emit()

    # -- drawing ---------------------------------------------------------------------------
    def _pen(self, colour: QColor, index: int, dashed: bool = False) -> QPen:
        pen = QPen(SELECTED_COLOUR if index == self.selected else colour, 2)
        pen.setCosmetic(True)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def redraw(self) -> None:
        """Draw every mark again (a few hundred items at most)."""
        scene = self.scene()
        for item in self._overlay:
            scene.removeItem(item)
        self._overlay = []
        blobs = [m for m in self.marks if m.kind == "blob"]
        if blobs and self.image_size[0]:
            heat = scene.addPixmap(heat_pixmap(blobs, *self.image_size))
            heat.setScale(self.image_size[0] / heat.pixmap().width())
            heat.setOpacity(self.opacity)
            self._overlay.append(heat)
        for i, mark in enumerate(self.marks):
            if mark.kind == "box":
                self._overlay.append(
                    scene.addRect(QRectF(mark.x, mark.y, mark.w, mark.h), self._pen(BOX_COLOUR, i))
                )
            elif mark.kind == "contour":
                polygon = QPolygonF([QPointF(*p) for p in mark.points])
                self._overlay.append(scene.addPolygon(polygon, self._pen(CONTOUR_COLOUR, i)))
            else:
                r = mark.w
                pen = self._pen(BLOB_COLOUR, i, dashed=True)
                self._overlay.append(scene.addEllipse(mark.x - r, mark.y - r, 2 * r, 2 * r, pen))
            if mark.kind != "blob" and (mark.label_zh or mark.label_en):
                text = scene.addSimpleText(f"{i + 1} {mark.label_zh or mark.label_en}")
                text.setBrush(QBrush(BOX_COLOUR if mark.kind == "box" else CONTOUR_COLOUR))
                text.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
                text.setPos(mark.x if mark.kind == "box" else mark.points[0][0], self._top(mark))
                # A dark plate behind the label, as in the player, so it reads on any film.
                plate = QGraphicsRectItem(text.boundingRect().adjusted(-2, 0, 2, 0), text)
                plate.setBrush(QBrush(QColor(0, 0, 0, 170)))
                plate.setPen(QPen(Qt.PenStyle.NoPen))
                plate.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
                self._overlay.append(text)
        if self.pending:
            pen = self._pen(CONTOUR_COLOUR, -2, dashed=True)
            for (ax, ay), (bx, by) in zip(self.pending, self.pending[1:], strict=False):
                self._overlay.append(scene.addLine(ax, ay, bx, by, pen))
            for p in self.pending:
                s = self._tolerance() / 2
                self._overlay.append(scene.addRect(p[0] - s, p[1] - s, 2 * s, 2 * s, pen))

    @staticmethod
    def _top(mark: Mark) -> float:
        top = mark.y if mark.kind == "box" else min(p[1] for p in mark.points)
        return max(top - 18, 0)

    # -- mouse -----------------------------------------------------------------------------
    def _tolerance(self) -> float:
        """HANDLE_PX screen pixels in image pixels at the current zoom."""
        scale = self.transform().m11() or 1.0
        return HANDLE_PX / scale

    def _clamp(self, p: QPointF) -> QPointF:
        width, height = self.image_size
        return QPointF(min(max(p.x(), 0.0), width), min(max(p.y(), 0.0), height))

    def _scene_pos(self, event: QMouseEvent) -> QPointF:
        return self._clamp(self.mapToScene(event.position().toPoint()))

    def wheelEvent(self, event: QWheelEvent) -> None:
        """The wheel zooms about the pointer, for marks drawn to the pixel on a large film."""
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.scale(factor, factor)
        self.redraw()  # contour handles are sized in screen pixels

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self._pan = event.position()
            return
        if event.button() != Qt.MouseButton.LeftButton or not self.image_size[0]:
            super().mousePressEvent(event)
            return
        self.setFocus()
        p = self._scene_pos(event)
        if self.tool == "contour":
            first = self.pending[0] if self.pending else None
            near = first and math.hypot(p.x() - first[0], p.y() - first[1]) < self._tolerance()
            if near and len(self.pending) >= 3:
                self.close_contour()
            else:
                self.pending.append((p.x(), p.y()))
                self.redraw()
            return
        if self.tool in ("box", "blob"):
            self._drag = (self.tool, p, None)
            return
        self._drag = self._grab(p)
        if self._drag is None:
            self.select(-1)

    def _grab(self, p: QPointF) -> tuple[str, QPointF, Mark | None] | None:
        """What a press in select mode takes hold of: a corner, a blob's edge, or a mark."""
        tol = self._tolerance()
        order = [self.selected] if self.selected >= 0 else []
        order += [i for i in reversed(range(len(self.marks))) if i != self.selected]
        for i in order:
            mark = self.marks[i]
            if mark.kind == "box":
                corners = {
                    "tl": (mark.x, mark.y),
                    "tr": (mark.x + mark.w, mark.y),
                    "bl": (mark.x, mark.y + mark.h),
                    "br": (mark.x + mark.w, mark.y + mark.h),
                }
                for name, (cx, cy) in corners.items():
                    if math.hypot(p.x() - cx, p.y() - cy) <= tol:
                        self.select(i)
                        return (f"resize-{name}", p, mark)
            if mark.kind == "blob":
                edge = abs(math.hypot(p.x() - mark.x, p.y() - mark.y) - mark.w)
                if edge <= tol:
                    self.select(i)
                    return ("radius", p, mark)
            if mark.contains(p, tol if mark.kind == "box" else 0):
                self.select(i)
                return ("move", p, mark)
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan is not None:
            delta = event.position() - self._pan
            self._pan = event.position()
            bars = (self.horizontalScrollBar(), self.verticalScrollBar())
            bars[0].setValue(bars[0].value() - round(delta.x()))
            bars[1].setValue(bars[1].value() - round(delta.y()))
            return
        if self._drag is not None:
            self._apply_drag(self._scene_pos(event), final=False)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self._pan = None
            return
        if event.button() == Qt.MouseButton.LeftButton and self._drag is not None:
            self._apply_drag(self._scene_pos(event), final=True)
            self._drag = None
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.tool == "contour":
            self.close_contour()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selected()
        elif event.key() == Qt.Key.Key_Escape:
            self.pending = []
            self.redraw()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.close_contour()
        else:
            super().keyPressEvent(event)

    def _apply_drag(self, p: QPointF, final: bool) -> None:
        assert self._drag is not None
        action, start, mark = self._drag
        if action in ("box", "blob"):
            if final:
                self._finish_new(action, start, p)
            return
        if mark is None:
            return
        if action == "move":
            mark.moved(p.x() - start.x(), p.y() - start.y())
            self._drag = (action, p, mark)
        elif action == "radius":
            mark.w = max(math.hypot(p.x() - mark.x, p.y() - mark.y), 1.0)
        else:
            self._resize(mark, action.removeprefix("resize-"), p)
        self.redraw()
        if final:
            self.marks_changed.emit()

    @staticmethod
    def _resize(mark: Mark, corner: str, p: QPointF) -> None:
        left, top, right, bottom = mark.x, mark.y, mark.x + mark.w, mark.y + mark.h
        left = p.x() if "l" in corner else left
        right = p.x() if "r" in corner else right
        top = p.y() if "t" in corner else top
        bottom = p.y() if "b" in corner else bottom
        mark.x, mark.w = min(left, right), max(abs(right - left), 1.0)
        mark.y, mark.h = min(top, bottom), max(abs(bottom - top), 1.0)

    def _finish_new(self, action: str, start: QPointF, end: QPointF) -> None:
        if action == "box":
            rect = QRectF(start, end).normalized()
            if rect.width() < 2 or rect.height() < 2:
                return
            mark = Mark("box", rect.x(), rect.y(), rect.width(), rect.height())
        else:
            radius = math.hypot(end.x() - start.x(), end.y() - start.y())
            if radius < self._tolerance():
                radius = max(self.image_size) / 20  # a click alone: a spot of a sensible size
            mark = Mark("blob", start.x(), start.y(), radius, score=1.0)
        self.marks.append(mark)
        self.select(len(self.marks) - 1)
        self.marks_changed.emit()
