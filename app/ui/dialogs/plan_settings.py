"""The user's overrides of the hardware plan: context length, GPU on or off, layers on
the GPU, MoE experts kept in RAM, threads and flash attention.

Each control starts at "Automatic" (None in :class:`app.hardware.plan.Overrides`: Cove
decides). The widget edits a plain dict with Overrides' keys; Settings › Advanced
(:class:`app.ui.dialogs.settings_dialog.SettingsDialog`) shows it and saves the dict in the settings
(``Settings.set_plan_overrides``), and the window turns the saved settings into load
options with :func:`app.hardware.plan_options.load_options` each time it loads a model. Given the
model's and the machine's facts it also shows, as the user edits, the sentence the
planner would say, so a setting that does not fit is visible before any reload.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QLocale, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.hardware.facts import MachineFacts, ModelFacts
from app.hardware.plan import DEFAULT_CTX, plan
from app.hardware.plan_options import normalise, to_overrides
from app.ui.language.wording import plan_notes, plan_text

CONTEXT_SIZES = (2048, 4096, 8192, 16384, 32768, 65536, 131072)
MAX_LAYERS = 999
MAX_THREADS = 256


class PlanSettings(QWidget):
    """Edits plan overrides; every control can be left to Cove ("Automatic").

    Signals:
        changed(dict): the overrides (all of Overrides' keys) after an edit by the user.
    """

    changed = Signal(dict)

    def __init__(self, overrides: Mapping[str, Any] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("How the model runs"))
        self._extra: dict[str, Any] = {}  # keys kept but not shown (n_batch, n_ubatch)
        self._model: ModelFacts | None = None
        self._machine: MachineFacts | None = None
        self._requested_ctx = DEFAULT_CTX
        self._filling = False
        auto = self.tr("Automatic")

        self.n_ctx = QComboBox(self)
        self.n_ctx.setAccessibleName(self.tr("Context length"))
        self.n_ctx.setToolTip(self.tr("How much of the conversation the model sees at once. "
                                      "Longer needs more memory."))
        self.n_ctx.addItem(self.tr("Automatic (as long as fits)"), None)
        for size in CONTEXT_SIZES:
            self._add_context(size)

        self.use_gpu = QComboBox(self)
        self.use_gpu.setAccessibleName(self.tr("Use the GPU"))
        for label, value in ((auto, None), (self.tr("On"), True),
                             (self.tr("Off: run on the CPU only"), False)):
            self.use_gpu.addItem(label, value)

        self.n_gpu_layers = QSpinBox(self)
        self.n_gpu_layers.setRange(0, MAX_LAYERS)
        self.n_gpu_layers.setSpecialValueText(auto)
        self.n_gpu_layers.setSuffix(self.tr(" layers"))
        self.n_gpu_layers.setAccessibleName(self.tr("Layers on the GPU"))
        self.n_gpu_layers.setToolTip(self.tr(
            "How many of the model's layers run on the graphics card; the rest run on the "
            "CPU. The largest number also puts the output layer there."))

        self.n_cpu_moe = QSpinBox(self)
        self.n_cpu_moe.setRange(-1, MAX_LAYERS)
        self.n_cpu_moe.setSpecialValueText(auto)
        self.n_cpu_moe.setSuffix(self.tr(" layers"))
        self.n_cpu_moe.setAccessibleName(self.tr("Layers whose experts stay in RAM"))
        self.n_cpu_moe.setToolTip(self.tr(
            "gpt-oss is a mixture-of-experts model: keeping the experts of some layers in "
            "RAM lets it run on a graphics card with little memory. 0 keeps none there."))

        self.n_threads = QSpinBox(self)
        self.n_threads.setRange(0, MAX_THREADS)
        self.n_threads.setSpecialValueText(auto)
        self.n_threads.setAccessibleName(self.tr("CPU threads"))

        self.flash_attn = QComboBox(self)
        self.flash_attn.setAccessibleName(self.tr("Flash attention"))
        for label, value in ((auto, None), (self.tr("On"), True), (self.tr("Off"), False)):
            self.flash_attn.addItem(label, value)

        self.kv_cache = QComboBox(self)
        self.kv_cache.setAccessibleName(self.tr("Memory for the context"))
        for name, kind in ((auto, None), (self.tr("Full precision"), "f16"),
                           (self.tr("Half the memory (8-bit)"), "q8_0"),
                           (self.tr("A quarter of the memory (4-bit)"), "q4_0")):
            self.kv_cache.addItem(name, kind)
        self.kv_cache.setToolTip(self.tr(
            "How the model keeps the conversation in memory (its KV cache). Smaller "
            "leaves room for a longer context, at a small cost in quality; it turns "
            "flash attention on."))

        form = QFormLayout()
        form.addRow(self.tr("&Context length:"), self.n_ctx)
        form.addRow(self.tr("Use the &GPU:"), self.use_gpu)
        form.addRow(self.tr("&Layers on the GPU:"), self.n_gpu_layers)
        form.addRow(self.tr("&Experts kept in RAM:"), self.n_cpu_moe)
        form.addRow(self.tr("CPU &threads:"), self.n_threads)
        form.addRow(self.tr("&Flash attention:"), self.flash_attn)
        form.addRow(self.tr("Context &memory:"), self.kv_cache)

        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setAccessibleName(self.tr("What these settings do"))
        self.reset_button = QPushButton(self.tr("Let Cove decide everything"), self)
        self.reset_button.setAccessibleName(self.tr("Reset to automatic"))
        self.reset_button.clicked.connect(self.reset)
        note = QLabel(self.tr("Saving a change loads the open model again with it; while "
                              "an answer is being written, at the next load."), self)
        note.setWordWrap(True)
        note.setProperty("muted", True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        buttons = QHBoxLayout()
        buttons.addWidget(note, 1)
        buttons.addWidget(self.reset_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addLayout(buttons)

        for combo in (self.n_ctx, self.use_gpu, self.flash_attn, self.kv_cache):
            combo.currentIndexChanged.connect(self._on_control_changed)
        for spin in (self.n_gpu_layers, self.n_cpu_moe, self.n_threads):
            spin.valueChanged.connect(self._on_control_changed)
        self.set_overrides(overrides or {})

    # -- the dict -------------------------------------------------------------------
    def overrides(self) -> dict[str, Any]:
        """Every key of Overrides; None where Cove decides."""
        layers = self.n_gpu_layers.value()
        moe = self.n_cpu_moe.value()
        threads = self.n_threads.value()
        return normalise({
            **self._extra,
            "n_ctx": self.n_ctx.currentData(),
            "use_gpu": self.use_gpu.currentData(),
            "n_gpu_layers": layers if layers > 0 else None,
            "n_cpu_moe": moe if moe >= 0 else None,
            "n_threads": threads if threads > 0 else None,
            "flash_attn": self.flash_attn.currentData(),
            "kv_cache": self.kv_cache.currentData(),
        })

    def set_overrides(self, data: Mapping[str, Any]) -> None:
        ov = normalise(data)
        self._filling = True
        try:
            if ov["n_ctx"] is not None and self.n_ctx.findData(ov["n_ctx"]) < 0:
                self._add_context(ov["n_ctx"])
            self.n_ctx.setCurrentIndex(max(0, self.n_ctx.findData(ov["n_ctx"])))
            self.use_gpu.setCurrentIndex(max(0, self.use_gpu.findData(ov["use_gpu"])))
            self.flash_attn.setCurrentIndex(max(0, self.flash_attn.findData(ov["flash_attn"])))
            self.kv_cache.setCurrentIndex(max(0, self.kv_cache.findData(ov["kv_cache"])))
            self._set_spin(self.n_gpu_layers, ov["n_gpu_layers"], 0)
            self._set_spin(self.n_cpu_moe, ov["n_cpu_moe"], -1)
            self._set_spin(self.n_threads, ov["n_threads"], 0)
            self._extra = {k: ov[k] for k in ("n_batch", "n_ubatch")}
        finally:
            self._filling = False
        self._update()

    def reset(self) -> None:
        """Everything back to Automatic (the hidden batch sizes too)."""
        self.set_overrides({})
        self.changed.emit(self.overrides())

    # -- the preview ----------------------------------------------------------------
    def set_facts(self, model: ModelFacts | None, machine: MachineFacts | None,
                  requested_ctx: int = DEFAULT_CTX) -> None:
        """The model and machine to preview the plan for (and to bound the controls)."""
        self._model, self._machine, self._requested_ctx = model, machine, requested_ctx
        self._filling = True
        try:
            if model is not None:
                self.n_gpu_layers.setMaximum(model.n_layer + 1)
                self.n_cpu_moe.setMaximum(model.n_layer)
            if machine is not None:
                self.n_threads.setMaximum(max(machine.logical_cores, 1))
        finally:
            self._filling = False
        self._update()

    def preview_text(self) -> str:
        return self.preview.text()

    # -- internals ------------------------------------------------------------------
    def _add_context(self, size: int) -> None:
        label = self.tr("%1 tokens").replace("%1", QLocale().toString(size))
        index = next((i for i in range(1, self.n_ctx.count())
                      if self.n_ctx.itemData(i) > size), self.n_ctx.count())
        self.n_ctx.insertItem(index, label, size)

    @staticmethod
    def _set_spin(spin: QSpinBox, value: int | None, automatic: int) -> None:
        if value is None:
            spin.setValue(automatic)
            return
        if value > spin.maximum():
            spin.setMaximum(value)
        spin.setValue(max(value, automatic + 1))

    def _on_control_changed(self) -> None:
        if self._filling:
            return
        self._update()
        self.changed.emit(self.overrides())

    def _update(self) -> None:
        gpu_off = self.use_gpu.currentData() is False
        self.n_gpu_layers.setEnabled(not gpu_off)
        moe_known = self._model is None or self._model.is_moe
        self.n_cpu_moe.setEnabled(not gpu_off and moe_known)
        if not moe_known:
            self.n_cpu_moe.setToolTip(self.tr("This model has no experts."))
        self._update_preview()

    def _update_preview(self) -> None:
        if self._model is None or self._machine is None:
            self.preview.setText("")
            self.preview.hide()
            return
        chosen = plan(self._model, self._machine, self._requested_ctx,
                      to_overrides(self.overrides()))
        facts = chosen.to_dict()  # in the user's language, as This computer says it
        text = self.tr("With these settings: %1").replace("%1", plan_text(facts))
        notes = plan_notes(facts)
        if notes:
            text += "\n" + "\n".join(notes)
        self.preview.setText(text)
        self.preview.show()
