"""The catalog's words and cards, shared by the Models window and the welcome wizard:
this computer in one line, a model's verdict (runs well / slowly / won't fit) with the
speed measured here when there is one, and one catalog entry's card with its button.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.hardware.detect import HardwareReport, detect
from app.hardware.facts import MachineFacts, machine_facts
from app.hardware.plan import short_gpu_name
from app.models.catalog import CatalogEntry, Fit, Verdict
from app.models.downloads import DownloadState
from app.ui.dialogs.computer_speed import load_speed_tests
from app.ui.language.wording import entry_title, gb, summary_text, tokens, verdict_text
from app.ui.language.wording import size as size_text
from app.ui.services.model_downloads import fit_colour
from app.ui.widgets.icons import icon
from app.ui.widgets.plain import escaped

translate = QCoreApplication.translate  # lupdate knows this name


def facts_for(report: HardwareReport | None) -> MachineFacts:
    return machine_facts(report if report is not None else detect())


def machine_summary(facts: MachineFacts) -> str:
    """"32 GB of RAM · RTX 4060 with 8 GB of graphics memory · Intel Core i7 (8 cores)"."""
    ram = gb(facts.ram_total)
    bits = [translate("Models", "%1 of unified memory").replace("%1", ram)
            if facts.apple_silicon else translate("Models", "%1 of RAM").replace("%1", ram)]
    discrete = [g for g in facts.gpus if not g.unified]
    if discrete:
        gpu = max(discrete, key=lambda g: g.memory_total)
        bits.append(translate("Models", "%1 with %2 of graphics memory")
                    .replace("%1", short_gpu_name(gpu.name))
                    .replace("%2", gb(gpu.memory_total)))
    elif not facts.gpus:
        bits.append(translate("Models", "no graphics card Cove can use"))
    if facts.cpu_name:
        bits.append(translate("Models", "%1 (%2 cores)").replace("%1", facts.cpu_name)
                    .replace("%2", str(facts.physical_cores)))
    return " · ".join(bits)


def fit_text(fit: Fit) -> str:
    if fit is Fit.RUNS_WELL:
        return translate("Models", "Runs well")
    if fit is Fit.RUNS_SLOWLY:
        return translate("Models", "Runs slowly")
    return translate("Models", "Won't fit")


def verdict_label(verdict: Verdict, parent: QWidget) -> QLabel:
    """"● Runs slowly — Fits in memory (13 GB needed); about 4 words a second: usable,
    slow.", coloured by the verdict."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    colour = fit_colour(verdict.fit.value)
    reason = verdict_text(verdict)
    label.setText(f'<span style="color:{colour}; font-weight:600">● '
                  f'{escaped(fit_text(verdict.fit))}</span> — {escaped(reason)}')
    label.setAccessibleName(f"{fit_text(verdict.fit)}: {reason}")
    return label


def confirm_download(parent: QWidget, entry: CatalogEntry, verdict: Verdict) -> bool:
    """A model that will not fit here is downloaded only after the user read why and
    said yes (a 60 GB download is hours of someone's connection)."""
    if verdict.fit is not Fit.WONT_FIT:
        return True
    box = QMessageBox(QMessageBox.Icon.Warning,
                      translate("Models", "Download a model that will not run here?"),
                      translate("Models", "%1 will not run on this computer.")
                      .replace("%1", entry_title(entry)),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmWontFit")
    box.setInformativeText(verdict_text(verdict) + "\n\n" + translate(
        "Models", "Download it anyway only to move it to a bigger computer. The download "
        "is %1.").replace("%1", size_text(entry.size_bytes)))
    anyway = box.addButton(translate("Models", "Download anyway"),
                           QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(translate("Models", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.exec()
    confirmed = box.clickedButton() is anyway
    box.deleteLater()
    return confirmed


def measured_speed(entry: CatalogEntry, results: list[dict[str, Any]] | None = None
                   ) -> float | None:
    """The writing speed the newest speed test measured for this catalog model's file
    on this computer (This computer's speed test), or None."""
    results = load_speed_tests() if results is None else results
    for result in reversed(results):
        if Path(str(result.get("model_path") or "")).name in entry.files:
            return float(result.get("generation_tokens_per_s") or 0) or None
    return None


def entry_verdict(entry: CatalogEntry, facts: MachineFacts,
                  results: list[dict[str, Any]] | None = None) -> Verdict:
    """The verdict with the measured speed when a speed test ran for this model, else
    the estimate, corrected by what speed tests of other models measured here."""
    results = load_speed_tests() if results is None else results
    return entry.verdict(facts, measured=measured_speed(entry, results),
                         calibration=calibration(results))


def calibration(results: list[dict[str, Any]]) -> list[tuple[float, float]]:
    """(measured, estimated) writing speeds of the speed tests that stored both."""
    pairs = []
    for result in results:
        try:
            pair = (float(result.get("generation_tokens_per_s") or 0),
                    float(result.get("estimated_tokens_per_s") or 0))
        except (TypeError, ValueError):  # a hand-edited file: that result counts as none
            continue
        if pair[0] > 0 and pair[1] > 0:
            pairs.append(pair)
    return pairs


def parameters(n: int) -> str:
    if n >= 1_000_000_000:
        return QLocale().toString(n / 1e9, "f", 1) + " B"
    if n >= 1_000_000:
        return QLocale().toString(n / 1e6, "f", 0) + " M"
    if n >= 1000:
        return QLocale().toString(n / 1e3, "f", 0) + " k"
    return str(n) if n else "?"


def context(n: int | None) -> str:
    """A context size as every screen shows it ("16,384 tokens"; "?" when unknown)."""
    return tokens(n) if n else "?"


# -- the catalog ------------------------------------------------------------------------

class ModelCard(QFrame):
    """One catalog entry: what it is, what it needs, the verdict, and one button whose
    job follows the state (Download / Resume / Downloading… / Use).

    Signals:
        download_requested(object): the ``CatalogEntry`` to download (or resume).
        use_requested(str): the path of the downloaded model.
    """

    download_requested = Signal(object)
    use_requested = Signal(str)

    def __init__(self, entry: CatalogEntry, verdict: Verdict, recommended: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelCard")
        self.setProperty("recommended", recommended)
        self.entry = entry
        self.local_path: Path | None = None
        title = QLabel(entry_title(entry), self)
        title.setObjectName("cardTitle")
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(title)
        if recommended:
            badge = QLabel(self.tr("Recommended for this computer"), self)
            badge.setObjectName("badge")
            head.addWidget(badge)
        head.addStretch(1)
        self.button = QPushButton(self)
        self.button.clicked.connect(self._on_button_clicked)
        head.addWidget(self.button)
        facts = QLabel(self.tr("%1 · %2 · %3 download · needs about %4 of memory")
                       .replace("%1", entry.publisher).replace("%2", entry.quantization)
                       .replace("%3", size_text(entry.size_bytes))
                       .replace("%4", gb(verdict.memory_needed)), self)
        facts.setProperty("muted", True)
        facts.setWordWrap(True)
        summary = QLabel(summary_text(entry.key, entry.summary), self)
        summary.setWordWrap(True)
        self.verdict = verdict_label(verdict, self)
        self.verdict_facts = verdict
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addWidget(facts)
        layout.addWidget(summary)
        layout.addWidget(self.verdict)
        self.setAccessibleName(entry_title(entry))
        self._shown: tuple[DownloadState | None, Path | None] | None = None
        self.set_state(None, None)

    def set_state(self, download: DownloadState | None, local_path: Path | None) -> None:
        """Show the button for where this model is: on disk, downloading, or neither."""
        if self._shown == (download, local_path):
            return  # progress ticks ten times a second; the button rarely changes
        self._shown = (download, local_path)
        self.local_path = local_path
        size = size_text(self.entry.size_bytes)
        self.button.setEnabled(True)
        self.button.setObjectName("")
        if local_path is not None and self.entry.embedding:
            # Not a chat model: Cove uses it for document search once it is on disk.
            text = self.tr("Used for documents")
            accessible = self.tr("%1 is downloaded and used to search documents") \
                .replace("%1", entry_title(self.entry))
            self.button.setEnabled(False)
        elif local_path is not None:
            text = self.tr("Use")
            accessible = self.tr("Use %1").replace("%1", entry_title(self.entry))
            self.button.setObjectName("primary")
        elif download in (DownloadState.QUEUED, DownloadState.RUNNING):
            text, accessible = self.tr("Downloading…"), self.tr("%1 is downloading").replace(
                "%1", entry_title(self.entry))
            self.button.setEnabled(False)
        elif download in (DownloadState.PAUSED, DownloadState.FAILED):
            text, accessible = self.tr("Resume"), self.tr("Resume the download of %1") \
                .replace("%1", entry_title(self.entry))
        else:
            text = self.tr("Download (%1)").replace("%1", size)
            accessible = self.tr("Download %1 (%2)").replace("%1", entry_title(self.entry)) \
                .replace("%2", size)
        self.button.setText(text)
        self.button.setAccessibleName(accessible)
        self.button.setIcon(icon("download") if local_path is None else icon("message"))
        self.button.style().unpolish(self.button)
        self.button.style().polish(self.button)

    def _on_button_clicked(self) -> None:
        if self.local_path is not None:
            if not self.entry.embedding:
                self.use_requested.emit(str(self.local_path))
        elif confirm_download(self, self.entry, self.verdict_facts):
            self.download_requested.emit(self.entry)
