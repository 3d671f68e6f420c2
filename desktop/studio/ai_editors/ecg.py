"""ECG editor: load or generate a signal, click the AI's beat marks onto the strip.

The strip is the player's own :class:`EcgView` (25 mm/s, 10 mm/mV paper), so the
trainer places marks on exactly what the learner will see. A click near a mark removes
it; anywhere else it adds one at that time, with the label chosen beside the strip.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from case_bank.assets import AssetError, load_signal, resolve_asset
from case_bank.outputs import EcgOutput
from desktop.renderers.ecg import EcgView
from desktop.studio.ai_editors.assets_io import copy_into_assets, write_asset
from desktop.studio.ai_editors.base import AIOutputEditor, scrolled
from desktop.studio.ai_editors.ecg_display import display_output
from desktop.studio.ai_editors.fields import BilingualEdit, NumberEdit
from desktop.studio.ai_editors.text_kinds import bilingual_list
from xiangyi.i18n import N_, _

RHYTHMS = (
    ("sinus", N_("Sinus rhythm")),
    ("af", N_("Atrial fibrillation")),
    ("flutter", N_("Atrial flutter (2:1)")),
    ("av_block_2", N_("Second-degree AV block")),
    ("av_block_3", N_("Third-degree AV block")),
    ("paced", N_("Paced rhythm")),
)
BEAT_LABELS = ("N", "S", "V", "P", "F", "Q")
CLICK_TOLERANCE_S = 0.12  # a click this close to a mark removes it


class EcgEditor(AIOutputEditor):
    """Signal, sampling rate and leads, beat marks, rhythm label, confidence, findings."""

    kind = "ecg"
    model = EcgOutput

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.samples: Any = None
        self.signal_path = ""
        self._drawn = ""  # the signal the strip shows now
        self.beats: list[dict[str, Any]] = []
        self.view = EcgView()
        self.view.setObjectName("ecgEditorStrip")
        self.view.setMinimumWidth(560)
        self.label = BilingualEdit("ecgLabel")
        self.confidence = NumberEdit()
        self.confidence.setObjectName("ecgConfidence")
        self.sampling_rate = QSpinBox()
        self.sampling_rate.setObjectName("ecgSamplingRate")
        self.sampling_rate.setRange(100, 2000)
        self.sampling_rate.setValue(250)
        self.leads = QLineEdit()
        self.leads.setObjectName("ecgLeads")
        self.beat_label = QComboBox()
        self.beat_label.setObjectName("ecgBeatLabel")
        self.beat_label.setEditable(True)
        self.beat_label.addItems(BEAT_LABELS)
        self.findings = bilingual_list(
            "ecgFindings", N_("Finding (Chinese)"), N_("Finding (English)")
        )
        self.status = QLabel()
        self.status.setObjectName("ecgStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #991b1b;")
        self.beats_text = QLabel()
        self.beats_text.setObjectName("ecgBeatsText")
        self.signal_text = QLabel()
        self.signal_text.setObjectName("ecgSignalText")
        self.signal_text.setWordWrap(True)
        side = self._side_panel()
        area = scrolled(side)
        area.setMinimumWidth(420)
        strip_column = QVBoxLayout()
        hint = QLabel()
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #475569;")
        self.texts.say(
            hint.setText,
            N_("Click on the strip to add an AI beat mark there; click a mark to remove it."),
        )
        strip_column.addWidget(hint)
        strip_column.addWidget(self.view, 1)
        strip_column.addWidget(self.beats_text)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(strip_column, 3)
        row.addWidget(area, 2)
        self.view.plot.scene().sigMouseClicked.connect(self._strip_clicked)
        self.retranslate()

    # -- building ------------------------------------------------------------------------------
    def _side_panel(self) -> QWidget:
        load_button = QPushButton()
        load_button.setObjectName("ecgLoadSignal")
        self.texts.say(load_button.setText, N_("Load signal file…"))
        load_button.clicked.connect(self._ask_import)
        self.rhythm = QComboBox()
        self.rhythm.setObjectName("ecgGenerateRhythm")
        for value, _label in RHYTHMS:
            self.rhythm.addItem("", value)
        self.rate = QSpinBox()
        self.rate.setObjectName("ecgGenerateRate")
        self.rate.setRange(20, 250)
        self.rate.setValue(72)
        self.texts.say(self.rate.setSuffix, N_(" /min"))
        self.duration = QDoubleSpinBox()
        self.duration.setObjectName("ecgGenerateDuration")
        self.duration.setRange(2.5, 30.0)
        self.duration.setValue(10.0)
        self.texts.say(self.duration.setSuffix, N_(" s"))
        self.twelve = QCheckBox()
        self.twelve.setObjectName("ecgGenerateTwelve")
        self.texts.say(self.twelve.setText, N_("12-lead (otherwise lead II)"))
        self.seed = QSpinBox()
        self.seed.setObjectName("ecgGenerateSeed")
        self.seed.setRange(0, 99999)
        generate_button = QPushButton()
        generate_button.setObjectName("ecgGenerate")
        self.texts.say(generate_button.setText, N_("Generate ECG"))
        generate_button.clicked.connect(self._generate_clicked)
        clear_button = QPushButton()
        clear_button.setObjectName("ecgClearBeats")
        self.texts.say(clear_button.setText, N_("Remove all beat marks"))
        clear_button.clicked.connect(self.clear_beats)

        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 6, 0)
        signal, form = self.form_group(N_("Signal"))
        form.addRow(self.signal_text)
        form.addRow(load_button)
        self.form_row(form, N_("Samples per second"), self.sampling_rate)
        self.form_row(form, N_("Leads (comma-separated)"), self.leads)
        form.addRow(self.status)
        column.addWidget(signal)
        generator, gen_form = self.form_group(N_("Generate a synthetic ECG"))
        self.form_row(gen_form, N_("Rhythm"), self.rhythm)
        self.form_row(gen_form, N_("Heart rate"), self.rate)
        self.form_row(gen_form, N_("Recording length"), self.duration)
        self.form_row(gen_form, N_("Random seed"), self.seed)
        gen_form.addRow(self.twelve)
        gen_form.addRow(generate_button)
        column.addWidget(generator)
        result, result_form = self.form_group(N_("AI result"))
        self.suggests_row(result_form)
        self.form_row(result_form, N_("AI rhythm label"), self.label, wide=True)
        self.form_row(result_form, N_("Confidence (0-1)"), self.confidence)
        self.form_row(result_form, N_("Label of new beat marks"), self.beat_label)
        result_form.addRow(clear_button)
        column.addWidget(result)
        findings, findings_form = self.form_group(N_("Findings the AI lists"))
        findings_form.addRow(self.findings)
        self.findings.setMinimumHeight(160)
        column.addWidget(findings)
        column.addWidget(self.tool)
        self.label.changed.connect(self.edited)
        self.confidence.textEdited.connect(self.edited)
        self.findings.changed.connect(self.edited)
        self.sampling_rate.valueChanged.connect(self._signal_settings_changed)
        self.leads.editingFinished.connect(self._signal_settings_changed)
        return panel

    def retranslate(self) -> None:
        for i, (_value, label) in enumerate(RHYTHMS):
            self.rhythm.setItemText(i, _(label))
        self.signal_text.setText(
            _("Signal file: {path}").format(path=self.signal_path)
            if self.signal_path
            else _("No signal yet: load a file or generate one.")
        )
        self.beats_text.setText(_("{n} AI beat mark(s)").format(n=len(self.beats)))

    # -- beat marks ----------------------------------------------------------------------------
    def _strip_clicked(self, event: Any) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.samples is None:
            return
        point = self.view.view_box.mapSceneToView(event.scenePos())
        self.toggle_beat(float(point.x()))
        event.accept()

    def toggle_beat(self, time_s: float) -> None:
        """Remove the mark near ``time_s``, or add one there when there is none."""
        duration = self.samples.shape[1] / self.sampling_rate.value()
        if not 0 <= time_s <= duration:
            return
        times = [float(b.get("time_s", 0)) for b in self.beats]
        nearest = min(range(len(times)), key=lambda i: abs(times[i] - time_s), default=-1)
        if nearest >= 0 and abs(times[nearest] - time_s) <= CLICK_TOLERANCE_S:
            del self.beats[nearest]
        else:
            mark: dict[str, Any] = {"time_s": round(time_s, 3)}
            label = self.beat_label.currentText().strip()
            if label and label != "N":  # N is the model's default; YAML leaves it out
                mark["label"] = label
            self.beats.append(mark)
            self.beats.sort(key=lambda b: float(b.get("time_s", 0)))
        self.edited()

    def clear_beats(self) -> None:
        self.beats = []
        self.edited()

    def beat_position(self, time_s: float) -> QPointF:
        """Where a time on the strip is in the plot's viewport (for tests and tours)."""
        (_x0, _x1), (y0, y1) = self.view.view_box.viewRange()
        scene = self.view.view_box.mapViewToScene(QPointF(time_s, (y0 + y1) / 2))
        return QPointF(self.view.plot.mapFromScene(scene))

    # -- signal --------------------------------------------------------------------------------
    def _ask_import(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Load ECG signal"), "", _("ECG signals (*.csv *.npy)")
        )
        if path:
            self.import_signal(Path(path))

    def import_signal(self, path: Path) -> bool:
        """Copy a CSV (header = lead names) or .npy [sample, lead] signal into the pack."""
        if self.pack_folder is None:
            return False
        try:
            leads = self._leads_of(path)
            samples = load_signal(path, leads)
            name = copy_into_assets(self.pack_folder, path)
        except AssetError as exc:
            self.status.setText(str(exc))
            return False
        except (OSError, ValueError, UnicodeDecodeError):
            self.status.setText(_("{name} cannot be read as a signal").format(name=path.name))
            return False
        self._use_signal(name, leads, samples)
        return True

    def _leads_of(self, path: Path) -> list[str]:
        suffix = path.suffix.lower()
        if suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle), [])
            leads = [h.strip() for h in header]
            if not leads or any(not lead for lead in leads):
                raise AssetError(_("the first row of a CSV signal must name the leads"))
            return leads
        if suffix != ".npy":
            raise AssetError(_("choose a CSV or .npy signal file"))
        columns = np.load(path, mmap_mode="r", allow_pickle=False).shape[-1]
        typed = [lead.strip() for lead in self.leads.text().split(",") if lead.strip()]
        if len(typed) == columns:
            return typed
        from case_bank.generators.ecg import LEADS_12

        if columns in (1, 12):
            return ["II"] if columns == 1 else list(LEADS_12)
        raise AssetError(
            _("type the names of the {n} leads before loading this file").format(n=columns)
        )

    def _generate_clicked(self) -> None:
        self.generate(
            str(self.rhythm.currentData()),
            float(self.rate.value()),
            self.duration.value(),
            self.twelve.isChecked(),
            self.seed.value(),
        )

    def generate(self, rhythm: str, rate: float, duration: float, twelve: bool, seed: int) -> None:
        """Generate a signal with the built-in generator; the AI marks its true R peaks."""
        from case_bank.generators.ecg import csv_bytes
        from desktop.studio.ai_editors.ecg_display import generate_strip

        if self.pack_folder is None:
            return
        strip = generate_strip(rhythm, rate, duration, twelve, seed)
        content = csv_bytes(strip.leads, strip.samples, 3 if twelve else 4)
        name = f"ecg-{rhythm.replace('_', '-')}-{round(rate)}-s{seed}.csv"
        path = write_asset(self.pack_folder, name, content)
        self.sampling_rate.setValue(strip.sampling_rate)
        self.beats = [{"time_s": round(float(t), 3)} for t in strip.r_peaks_s]
        samples = load_signal(resolve_asset(self.pack_folder, path), list(strip.leads))
        self._use_signal(path, list(strip.leads), samples)

    def _use_signal(self, name: str, leads: list[str], samples: Any) -> None:
        self.signal_path = name
        self.samples = samples
        self.leads.setText(", ".join(leads))
        self.status.setText("")
        self.edited()

    def _signal_settings_changed(self) -> None:
        if not self.loading:
            self._reload_signal()
            self.edited()

    def _reload_signal(self) -> None:
        self.samples = None
        self.status.setText("")
        if not self.signal_path or self.pack_folder is None:
            return
        try:
            self.samples = load_signal(
                resolve_asset(self.pack_folder, self.signal_path), self._lead_names()
            )
        except AssetError as exc:
            self.status.setText(str(exc))

    def _lead_names(self) -> list[str]:
        return [lead.strip() for lead in self.leads.text().split(",") if lead.strip()]

    # -- load and value ------------------------------------------------------------------------
    def fill(self, data: dict[str, Any]) -> None:
        self.signal_path = str(data.get("signal", ""))
        self.sampling_rate.setValue(int(data.get("sampling_rate") or 250))
        self.leads.setText(", ".join(str(lead) for lead in data.get("leads") or []))
        self.label.set_value(data.get("label"))
        self.confidence.set_number(data.get("confidence"))
        self.beats = [dict(b) for b in data.get("beats") or []]
        self.findings.set_records(data.get("findings") or [])
        self._drawn = ""
        self._reload_signal()

    def collect(self) -> dict[str, Any]:
        return {
            "signal": self.signal_path or None,
            "sampling_rate": self.sampling_rate.value(),
            "leads": self._lead_names(),
            "label": self.label.value(),
            "confidence": self.confidence.number(),
            "beats": [dict(b) for b in self.beats],
            "findings": self.findings.records(),
        }

    def refresh(self) -> None:
        """Redraw the strip with the current marks, label and confidence."""
        self.retranslate()
        if self.samples is None:
            self.view.plot.setVisible(False)
            return
        self.view.plot.setVisible(True)
        value = self.value()
        # Keep the trainer's zoom while marks are placed on the same signal.
        kept = self.view.view_box.viewRange()[0] if self._drawn == self.signal_path else None
        self.view.show_output(display_output(value, self.tool.value()), self.samples)
        if kept is not None:
            self.view.view_box.setXRange(*kept, padding=0)
        self._drawn = self.signal_path
