"""The settings dialog and the dialog for a conversation's instructions."""

from __future__ import annotations

import copy

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.config import paths
from app.config.settings import Settings, settings_path
from app.hardware.facts import MachineFacts, ModelFacts
from app.ui.dialogs.data_place import DataPlace
from app.ui.dialogs.other_apps import OtherApps
from app.ui.dialogs.plan_settings import PlanSettings
from app.ui.widgets.icons import icon
from app.ui.widgets.plain import plain_label

# name, minimum, maximum, step, decimals, the engine's gpt-oss default
SAMPLING_FIELDS = (
    ("temp", 0.0, 2.0, 0.05, 2, 1.0),
    ("top_p", 0.0, 1.0, 0.01, 2, 1.0),
    ("top_k", 0.0, 200.0, 1.0, 0, 0.0),
    ("min_p", 0.0, 1.0, 0.01, 2, 0.0),
    ("repeat_penalty", 0.5, 2.0, 0.05, 2, 1.0),
)


class SettingsDialog(QDialog):
    """Edits a copy of the settings; :attr:`result_settings` holds them after OK."""

    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 plan_facts: tuple[ModelFacts | None, MachineFacts | None] = (None, None),
                 ) -> None:
        """``plan_facts``: the open model's and this computer's facts, for Advanced to
        preview what the hardware planner makes of the user's choices."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setAccessibleName(self.tr("Settings"))
        self.setMinimumWidth(560)
        self.original = settings
        self.result_settings = copy.deepcopy(settings)

        # Appearance
        self.theme = QComboBox(self)
        for key, label in (("system", self.tr("Follow the system")),
                           ("light", self.tr("Light")), ("dark", self.tr("Dark"))):
            self.theme.addItem(label, key)
        self.theme.setAccessibleName(self.tr("Theme"))
        self.language = QComboBox(self)
        for key, label in (("system", self.tr("Follow the system")),
                           ("en", "English"), ("de", "Deutsch")):
            self.language.addItem(label, key)
        self.language.setAccessibleName(self.tr("Language"))
        appearance = QGroupBox(self.tr("Appearance"), self)
        form = QFormLayout(appearance)
        form.addRow(self.tr("&Theme:"), self.theme)
        form.addRow(self.tr("&Language:"), self.language)
        note = QLabel(self.tr("A new language shows the next time Cove starts."), self)
        note.setProperty("muted", True)
        form.addRow("", note)

        # Answers
        self.effort = QComboBox(self)
        for key, label in (("low", self.tr("Low")), ("medium", self.tr("Medium")),
                           ("high", self.tr("High"))):
            self.effort.addItem(label, key)
        self.effort.setAccessibleName(self.tr("Default reasoning effort"))
        self.system_prompt = QPlainTextEdit(self)
        self.system_prompt.setPlaceholderText(self.tr(
            "For example: Answer briefly. I am a software developer."))
        self.system_prompt.setAccessibleName(self.tr("Default instructions"))
        self.system_prompt.setTabChangesFocus(True)
        self.system_prompt.setFixedHeight(70)
        self.max_tokens = QSpinBox(self)
        self.max_tokens.setRange(0, 131072)
        self.max_tokens.setSingleStep(256)
        self.max_tokens.setSpecialValueText(self.tr("No limit"))
        self.max_tokens.setSuffix(self.tr(" tokens"))
        self.max_tokens.setAccessibleName(self.tr("Longest answer"))
        answers = QGroupBox(self.tr("Answers"), self)
        form = QFormLayout(answers)
        form.addRow(self.tr("Default &effort:"), self.effort)
        form.addRow(self.tr("Default &instructions:"), self.system_prompt)
        form.addRow(self.tr("Longest &answer:"), self.max_tokens)

        # Generation
        self.recommended = QCheckBox(self.tr("Use the model's recommended sampling"), self)
        self.recommended.setToolTip(self.tr(
            "For gpt-oss: temperature 1.0 and top-p 1.0, as OpenAI recommends."))
        self.recommended.toggled.connect(self._on_recommended_toggled)
        self.sampling: dict[str, QDoubleSpinBox] = {}
        labels = {"temp": self.tr("Temperature:"), "top_p": self.tr("Top-p:"),
                  "top_k": self.tr("Top-k (0: off):"), "min_p": self.tr("Min-p:"),
                  "repeat_penalty": self.tr("Repeat penalty:")}
        generation = QGroupBox(self.tr("Generation"), self)
        form = QFormLayout(generation)
        form.addRow(self.recommended)
        for name, low, high, step, decimals, _default in SAMPLING_FIELDS:
            box = QDoubleSpinBox(self)
            box.setRange(low, high)
            box.setSingleStep(step)
            box.setDecimals(decimals)
            box.setAccessibleName(labels[name].rstrip(":"))
            self.sampling[name] = box
            form.addRow(labels[name], box)

        # Advanced: how the model runs (the hardware plan's overrides)
        self.plan = PlanSettings(settings.plan_overrides(), self)
        self.plan.set_facts(*plan_facts)
        advanced = QGroupBox(self.tr("Advanced: how the model runs"), self)
        QVBoxLayout(advanced).addWidget(self.plan)

        # Data
        data = QGroupBox(self.tr("Your data"), self)
        self.data_label = plain_label(QLabel(str(paths.data_dir()), self))
        self.data_label.setTextInteractionFlags(
            self.data_label.textInteractionFlags().TextSelectableByMouse)
        self.data_label.setWordWrap(True)
        open_data = QPushButton(icon("folder"), self.tr("Open folder"), self)
        open_data.setAccessibleName(self.tr("Open the data folder"))
        open_data.clicked.connect(lambda: QDesktopServices.openUrl(
            QUrl.fromLocalFile(str(paths.data_dir()))))
        form = QFormLayout(data)
        # The path has a row of its own: a wrapped label beside a button in a nested row
        # got one line's height for two lines of a long path (cut top and bottom).
        form.addRow(self.tr("Conversations and models:"), self.data_label)
        form.addRow("", open_data)
        settings_file = plain_label(QLabel(str(settings_path()), self))
        settings_file.setWordWrap(True)
        settings_file.setProperty("muted", True)
        form.addRow(self.tr("Settings file:"), settings_file)
        privacy = QLabel(self.tr("Everything stays on this computer. Cove sends nothing "
                                 "anywhere unless you download a model."), self)
        privacy.setWordWrap(True)
        privacy.setProperty("muted", True)
        form.addRow("", privacy)

        # Where your data lives: encrypted or not, the key, Export / Forget everything
        self.data_place = DataPlace(paths.data_dir(), self)
        self.data_place.forget_requested.connect(self.reject)  # the window takes over
        self.other_apps = OtherApps(self)  # the local API (app.api)

        content = QWidget(self)
        column = QVBoxLayout(content)
        for group in (appearance, answers, generation, advanced, data, self.data_place,
                      self.other_apps):
            column.addWidget(group)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).setText(
            self.tr("Restore defaults"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults).clicked.connect(
            lambda: self._show(Settings(model_path=self.original.model_path)))
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(600, 720)
        self._show(settings)

    def _show(self, s: Settings) -> None:
        self.theme.setCurrentIndex(max(0, self.theme.findData(s.theme)))
        self.language.setCurrentIndex(max(0, self.language.findData(s.language)))
        self.effort.setCurrentIndex(max(0, self.effort.findData(s.default_effort)))
        self.system_prompt.setPlainText(s.system_prompt)
        self.max_tokens.setValue(s.max_tokens)
        self.recommended.setChecked(not s.sampling)
        for name, *_rest, default in SAMPLING_FIELDS:
            self.sampling[name].setValue(float(s.sampling.get(name, default)))
        self._on_recommended_toggled(self.recommended.isChecked())
        self.plan.set_overrides(s.plan_overrides())
        self.other_apps.show_settings(s)

    def _on_recommended_toggled(self, on: bool) -> None:
        for box in self.sampling.values():
            box.setEnabled(not on)

    def collect(self) -> Settings:
        s = copy.deepcopy(self.original)
        s.theme = str(self.theme.currentData())
        s.language = str(self.language.currentData())
        s.default_effort = str(self.effort.currentData())
        s.system_prompt = self.system_prompt.toPlainText().strip()
        s.max_tokens = self.max_tokens.value()
        s.sampling = {} if self.recommended.isChecked() else {
            name: float(box.value()) for name, box in self.sampling.items()}
        s.set_plan_overrides(self.plan.overrides())
        self.other_apps.collect_into(s)
        return s

    def accept(self) -> None:
        self.result_settings = self.collect()
        super().accept()


class SystemPromptDialog(QDialog):
    """A conversation's own instructions; empty means "use the default"."""

    def __init__(self, text: str | None, default: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Instructions for this conversation"))
        self.setMinimumWidth(520)
        explain = QLabel(self.tr(
            "The model follows these instructions for every answer in this conversation "
            "(a system prompt). Leave it empty to use the default from Settings."), self)
        explain.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName(self.tr("Instructions"))
        self.editor.setPlainText(text or "")
        self.editor.setPlaceholderText(default or self.tr(
            "For example: You are a patient maths tutor. Explain each step."))
        self.editor.setTabChangesFocus(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def value(self) -> str | None:
        text = self.editor.toPlainText().strip()
        return text or None
