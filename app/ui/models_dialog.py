"""The Models window: what Cove can download and whether it runs here, the models on
this computer, downloads in progress, and the Hugging Face token and mirror.

Everything the window shows comes from ``app.models`` (catalog, library, downloads,
credentials) and ``app.hardware`` (this machine); it does no I/O of its own beyond
asking those. Opening it makes no network request: only "Download" (or "Resume")
does. Slow work (reading model headers, copying a file in, verifying a checksum) runs
on a background thread through :class:`Task`, so the window never freezes.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from keyring.errors import KeyringError
from PySide6.QtCore import QCoreApplication, QLocale, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.hardware.detect import HardwareReport, detect
from app.hardware.facts import MachineFacts, machine_facts
from app.hardware.plan import short_gpu_name
from app.models import credentials
from app.models.catalog import CATALOG, CatalogEntry, Fit, Verdict, recommend
from app.models.downloads import DownloadError, DownloadState, model_dir
from app.models.library import Library, LibraryError, LocalModel, Verification
from app.ui.computer_speed import load_speed_tests
from app.ui.downloads import (
    DownloadList,
    ModelDownloads,
    fit_colour,
    key_of,
    no_default_buttons,
    style_sheet,
)
from app.ui.icons import icon
from app.ui.plain import escaped, literal, plain_box
from app.ui.wording import entry_title, gb, reason_text, summary_text, tokens, verdict_text
from app.ui.wording import size as size_text

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # lupdate knows this name

Work = Callable[[Callable[[int, int], None]], object]


class _Cancelled(Exception):
    pass


class Task(QObject):
    """One blocking call on a background thread; progress and the outcome come back as
    signals emitted on the GUI thread, so slots (lambdas included) may touch widgets.

    ``work(progress)`` may call ``progress(done, total)``; after :meth:`cancel` that
    call raises, which ends the work early. ``expected`` exceptions carry a message for
    the user; anything else is logged and reported as ``fallback``.

    Signals:
        progressed(object, object): done, total (Python ints: files pass 4 GB).
        succeeded(object): what ``work`` returned.
        failed(str): a message for the user.
    """

    progressed = Signal(object, object)
    succeeded = Signal(object)
    failed = Signal(str)
    # Emitted on the worker thread, delivered (queued) to this object on the GUI thread.
    _relay = Signal(str, object)

    def __init__(self, work: Work, parent: QObject | None = None, *,
                 expected: tuple[type[Exception], ...] = (), fallback: str = "") -> None:
        super().__init__(parent)
        self._work = work
        self._expected = expected
        self._fallback = fallback
        self._cancel = threading.Event()
        self.worker: threading.Thread | None = None
        self._relay.connect(self._on_relay, Qt.ConnectionType.QueuedConnection)

    def start(self) -> Task:
        self.worker = threading.Thread(target=self._run, name="cove-task", daemon=True)
        self.worker.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def _progress(self, done: int, total: int) -> None:
        if self._cancel.is_set():
            raise _Cancelled
        self._send("progressed", (done, total))

    def _run(self) -> None:
        try:
            result = self._work(self._progress)
        except _Cancelled:
            return
        except self._expected as exc:
            self._send("failed", str(exc))
        except Exception:
            log.exception("A background task failed")
            self._send("failed", self._fallback)
        else:
            self._send("succeeded", result)

    def _send(self, kind: str, value: object) -> None:
        with contextlib.suppress(RuntimeError):  # the window that asked was closed
            self._relay.emit(kind, value)

    def _on_relay(self, kind: str, value: Any) -> None:
        if kind == "progressed":
            self.progressed.emit(*value)
        elif kind == "failed":
            self.failed.emit(value)
        else:
            self.succeeded.emit(value)


# -- words shared with the welcome wizard ----------------------------------------------

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


# -- the window -------------------------------------------------------------------------

class ModelsDialog(QDialog):
    """Catalog, library, downloads and Hugging Face settings in one window.

    ``downloads`` is the app's shared :class:`ModelDownloads` (downloads go on when this
    window closes); ``library`` defaults to the one in the downloads' folder; ``report``
    (the hardware report) is detected when not given.

    Signals:
        model_chosen(str): the user chose a model to chat with: its (first file's) path.
        endpoint_changed(str): the download server changed ("" is huggingface.co); the
            window saves it with the settings.
        library_changed(): a model was added to or removed from the library.
        deleting(str): a model's file is about to be deleted (emitted first, so that a
            worker using it can close it: Windows cannot delete a file in use).
    """

    model_chosen = Signal(str)
    endpoint_changed = Signal(str)
    library_changed = Signal()
    deleting = Signal(str)
    library_refreshed = Signal()  # the list on screen was re-read (tests wait for it)

    LIBRARY_TAB, CATALOG_TAB, ACCOUNT_TAB = range(3)
    COLUMNS = ("name", "size", "architecture", "quantization", "context", "parameters",
               "where")

    def __init__(self, downloads: ModelDownloads, library: Library | None = None, *,
                 report: HardwareReport | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Models"))
        self.setAccessibleName(self.tr("Models"))
        self.setAcceptDrops(True)
        self.setStyleSheet(style_sheet())
        self.downloads = downloads
        self.library = library or Library(downloads.models_dir)
        self.facts = facts_for(report)
        self.models: list[LocalModel] = []
        self._tasks: set[Task] = set()
        self._refresh_generation = 0
        self._token_checked = False

        machine = QLabel(self.tr("This computer: %1").replace(
            "%1", machine_summary(self.facts)), self)
        machine.setProperty("muted", True)
        machine.setWordWrap(True)
        machine.setAccessibleName(self.tr("This computer"))
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Model sections"))
        self.tabs.addTab(self._library_page(), icon("folder"), self.tr("On this computer"))
        self.tabs.addTab(self._catalog_page(), icon("download"), self.tr("Download"))
        self.tabs.addTab(self._account_page(), icon("sliders"), self.tr("Hugging Face"))
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)

        self.download_list = DownloadList(downloads, self)
        self.downloads_box = QGroupBox(self.tr("Downloads"), self)
        scroll = QScrollArea(self.downloads_box)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.download_list)
        scroll.setMaximumHeight(230)
        box = QVBoxLayout(self.downloads_box)
        box.setContentsMargins(8, 8, 8, 8)
        box.addWidget(scroll)

        hint = QLabel(self.tr("Tip: drop a .gguf file on this window to add it."), self)
        hint.setProperty("muted", True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(hint, 1)
        footer.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(10)
        layout.addWidget(machine)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.downloads_box)
        layout.addLayout(footer)
        self.resize(900, 700)

        no_default_buttons(self)
        downloads.changed.connect(self._on_downloads_changed)
        downloads.model_ready.connect(self._on_downloads_model_ready)
        self._update_downloads_box()
        self._update_cards()
        self.refresh_library()

    # -- pages --------------------------------------------------------------------------

    def _library_page(self) -> QWidget:
        page = QWidget(self)
        self.table = QTreeWidget(page)
        self.table.setAccessibleName(self.tr("Models on this computer"))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels([
            self.tr("Model"), self.tr("Size"), self.tr("Architecture"),
            self.tr("Quantization"), self.tr("Longest context"), self.tr("Parameters"),
            self.tr("Kept")])
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.itemDoubleClicked.connect(self._on_table_item_double_clicked)
        self.library_empty = QLabel(self.tr(
            "No models on this computer yet. Download one (see the Download tab), or add a "
            "GGUF file you already have with “Add a GGUF file…” or by dropping it here."),
            page)
        self.library_empty.setWordWrap(True)
        self.library_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.library_empty.setProperty("muted", True)
        self.library_empty.hide()
        self.details = QLabel(page)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setProperty("muted", True)
        self.details.setAccessibleName(self.tr("Selected model"))

        self.import_button = QPushButton(icon("file"), self.tr("Add a GGUF file…"), page)
        self.import_button.setAccessibleName(self.tr("Add a GGUF file you already have"))
        self.import_button.clicked.connect(self._on_import_clicked)
        self.verify_button = QPushButton(icon("check"), self.tr("Verify"), page)
        self.verify_button.setAccessibleName(self.tr("Verify the selected model"))
        self.verify_button.setToolTip(self.tr("Re-check the file: its structure, and its "
                                              "checksum when it was downloaded"))
        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.delete_button = QPushButton(icon("trash"), self.tr("Delete…"), page)
        self.delete_button.setAccessibleName(self.tr("Delete the selected model"))
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.use_button = QPushButton(icon("message"), self.tr("Chat with this model"), page)
        self.use_button.setObjectName("primary")
        self.use_button.setAccessibleName(self.tr("Chat with the selected model"))
        self.use_button.clicked.connect(self._on_use_clicked)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.verify_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.use_button)

        self.library_status = QLabel(page)
        self.library_status.setWordWrap(True)
        self.library_status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.library_status.setAccessibleName(self.tr("Status"))
        self.task_bar = QProgressBar(page)
        self.task_bar.setTextVisible(False)
        self.task_bar.setFixedHeight(8)
        self.task_bar.setAccessibleName(self.tr("Progress"))
        self.task_bar.hide()

        layout = QVBoxLayout(page)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.library_empty, 1)
        layout.addWidget(self.details)
        layout.addLayout(row)
        layout.addWidget(self.task_bar)
        layout.addWidget(self.library_status)
        self._on_table_selection_changed()
        return page

    def _catalog_page(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr(
            "Models Cove knows, and how each would run on this computer. Sizes are "
            "download sizes; Cove checks the free disk space before it starts, and an "
            "interrupted download continues where it stopped."), page)
        intro.setWordWrap(True)
        intro.setProperty("muted", True)
        recommended, _ = recommend(self.facts)
        results = load_speed_tests()
        self.cards: dict[str, ModelCard] = {}
        content = QWidget(page)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 6, 0)
        column.setSpacing(10)
        for entry in CATALOG:
            card = ModelCard(entry, entry_verdict(entry, self.facts, results),
                             entry is recommended, content)
            card.download_requested.connect(self._on_card_download_requested)
            card.use_requested.connect(self._on_card_use_requested)
            self.cards[entry.key] = card
            column.addWidget(card)
        column.addStretch(1)
        scroll = QScrollArea(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        self.catalog_status = QLabel(page)
        self.catalog_status.setProperty("error", True)
        self.catalog_status.setWordWrap(True)
        self.catalog_status.hide()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(intro)
        layout.addWidget(self.catalog_status)
        layout.addWidget(scroll, 1)
        return page

    def _account_page(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(self.tr(
            "Cove connects to the internet only when you download a model. Public models "
            "need no account; a Hugging Face access token opens gated or private ones."),
            page)
        intro.setWordWrap(True)
        intro.setProperty("muted", True)

        self.token_edit = QLineEdit(page)
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("hf_…"))
        self.token_edit.setAccessibleName(self.tr("Hugging Face access token"))
        self.token_edit.returnPressed.connect(self._on_save_token_clicked)
        self.save_token_button = QPushButton(self.tr("Save token"), page)
        self.save_token_button.setAccessibleName(self.tr("Save the access token"))
        self.save_token_button.clicked.connect(self._on_save_token_clicked)
        self.forget_token_button = QPushButton(self.tr("Remove token"), page)
        self.forget_token_button.setAccessibleName(self.tr("Remove the saved access token"))
        self.forget_token_button.clicked.connect(self._on_forget_token_clicked)
        token_row = QHBoxLayout()
        token_row.addWidget(self.token_edit, 1)
        token_row.addWidget(self.save_token_button)
        token_row.addWidget(self.forget_token_button)
        self.token_status = QLabel(page)
        self.token_status.setWordWrap(True)
        self.token_status.setProperty("muted", True)
        self.token_status.setAccessibleName(self.tr("Token status"))

        self.endpoint_edit = QLineEdit(page)
        self.endpoint_edit.setPlaceholderText("https://huggingface.co")
        self.endpoint_edit.setAccessibleName(self.tr("Download server address (mirror)"))
        self.endpoint_edit.setText(self.downloads.endpoint or "")
        self.endpoint_edit.returnPressed.connect(self._on_save_endpoint_clicked)
        self.save_endpoint_button = QPushButton(self.tr("Use this server"), page)
        self.save_endpoint_button.setAccessibleName(self.tr("Use this download server"))
        self.save_endpoint_button.clicked.connect(self._on_save_endpoint_clicked)
        endpoint_row = QHBoxLayout()
        endpoint_row.addWidget(self.endpoint_edit, 1)
        endpoint_row.addWidget(self.save_endpoint_button)
        self.endpoint_status = QLabel(page)
        self.endpoint_status.setWordWrap(True)
        self.endpoint_status.setProperty("muted", True)
        self.endpoint_status.setText(self.tr(
            "Leave empty to download from huggingface.co. A mirror must speak the Hugging "
            "Face API; new downloads use it."))

        form = QFormLayout()
        form.setVerticalSpacing(8)
        # A row whose field is a layout gets no buddy from QFormLayout, and a label
        # without a buddy shows its "&" instead of underlining the shortcut.
        token_label = QLabel(self.tr("Access &token:"), page)
        token_label.setBuddy(self.token_edit)
        endpoint_label = QLabel(self.tr("Download &server:"), page)
        endpoint_label.setBuddy(self.endpoint_edit)
        form.addRow(token_label, token_row)
        form.addRow("", self.token_status)
        form.addRow(endpoint_label, endpoint_row)
        form.addRow("", self.endpoint_status)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    # -- the library ----------------------------------------------------------------------

    def refresh_library(self, select: Path | None = None) -> None:
        """Re-read the library (headers only) in the background, then show it."""
        self._refresh_generation += 1
        generation = self._refresh_generation
        task = self._run(lambda _progress: self.library.models(),
                         self.tr("The models folder could not be read; details are in "
                                 "the log file."))
        task.succeeded.connect(lambda models: self._show_models(models, generation, select))
        task.failed.connect(self._show_error)

    def _show_models(self, models: list[LocalModel], generation: int,
                     select: Path | None) -> None:
        if generation != self._refresh_generation:
            return  # a newer read is on its way
        current = self.selected()
        selected = select or (current.path if current is not None else None)
        self.models = models
        self.table.clear()
        for index, model in enumerate(models):
            kept = self.tr("In place") if model.referenced else self.tr("Cove's folder")
            item = QTreeWidgetItem([
                model.name, size_text(model.size_bytes), model.architecture,
                model.quantization, context(model.context_length),
                parameters(model.parameter_count), kept])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            for column in range(1, len(self.COLUMNS)):
                item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight
                                      if column in (1, 4, 5) else Qt.AlignmentFlag.AlignLeft)
            tip = str(model.path) if model.usable else \
                f"{reason_text(model.problem or '')}\n{model.path}"
            item.setToolTip(0, tip)
            if not model.usable:
                item.setIcon(0, icon("alert"))
            self.table.addTopLevelItem(item)
            if selected is not None and model.path == selected:
                self.table.setCurrentItem(item)
        first = self.table.topLevelItem(0)
        if self.table.currentItem() is None and first is not None:
            self.table.setCurrentItem(first)
        self.table.setVisible(bool(models))
        self.library_empty.setVisible(not models)
        self._on_table_selection_changed()
        self._update_cards()
        if generation == 1:  # first look: a user with no models wants the catalog
            self.tabs.setCurrentIndex(self.LIBRARY_TAB if models else self.CATALOG_TAB)
        self.library_refreshed.emit()

    def selected(self) -> LocalModel | None:
        item = self.table.currentItem()
        if item is None or not item.isSelected():
            return None
        index = item.data(0, Qt.ItemDataRole.UserRole)
        return self.models[index] if isinstance(index, int) and index < len(self.models) \
            else None

    def select_model(self, path: Path) -> bool:
        for i in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(i)
            if item is None:
                continue
            index = item.data(0, Qt.ItemDataRole.UserRole)
            if self.models[index].path == path:
                self.table.setCurrentItem(item)
                return True
        return False

    def _on_table_selection_changed(self) -> None:
        model = self.selected()
        busy = bool(self._tasks_of("verify") or self._tasks_of("import"))
        self.use_button.setEnabled(model is not None and model.usable and not model.embedding)
        self.verify_button.setEnabled(model is not None and not busy)
        self.delete_button.setEnabled(model is not None and not busy)
        if model is None:
            self.details.setText("")
            return
        where = str(model.path)
        source = model.source or {}
        if source.get("repo_id"):
            where += " · " + self.tr("downloaded from %1").replace("%1", source["repo_id"])
        if model.embedding and not model.problem:
            where = self.tr("Not a chat model: Cove uses it to search your documents by "
                            "meaning.") + "\n" + where
        if model.problem:
            self.details.setText(f"{reason_text(model.problem)}\n{where}")
            self.details.setProperty("error", True)
        else:
            self.details.setText(where)
            self.details.setProperty("error", False)
        self.details.style().unpolish(self.details)
        self.details.style().polish(self.details)

    def _on_table_item_double_clicked(self, _item: QTreeWidgetItem, _column: int) -> None:
        self._on_use_clicked()

    def _on_use_clicked(self) -> None:
        model = self.selected()
        if model is not None and model.usable and not model.embedding:
            self.model_chosen.emit(str(model.path))
            self.accept()

    # -- import -------------------------------------------------------------------------

    def _on_import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Add a GGUF model"), str(Path.home()),
            self.tr("GGUF models (*.gguf)"))
        if path:
            self.import_path(path)

    def import_path(self, path: str | Path, copy: bool | None = None) -> Task | None:
        """Add a GGUF file (a dropped or chosen one): copied into Cove's folder or used
        where it is. ``copy=None`` asks the user; returns the running task, or None when
        the user cancelled."""
        path = Path(path)
        if copy is None:
            copy = self.ask_copy(path)
            if copy is None:
                return None
        self.tabs.setCurrentIndex(self.LIBRARY_TAB)
        doing = self.tr("Copying %1 into Cove's folder…") if copy else \
            self.tr("Checking %1…")
        self._set_status(doing.replace("%1", path.name))
        self.task_bar.setRange(0, 0)
        self.task_bar.show()
        task = self._run(lambda _progress: self.library.import_file(path, copy=copy),
                         self.tr("%1 could not be added; details are in the log file.")
                         .replace("%1", path.name), kind="import")
        task.succeeded.connect(self._on_import_succeeded)
        task.failed.connect(self._on_import_failed)
        self._on_table_selection_changed()
        return task

    def ask_copy(self, path: Path) -> bool | None:
        """Copy (True), use in place (False) or cancel (None): the user's choice."""
        try:
            size = size_text(path.stat().st_size)
        except OSError:
            size = "?"
        box = plain_box(QMessageBox(QMessageBox.Icon.Question, self.tr("Add a model"),
                                    self.tr("How should Cove keep %1?").replace("%1", path.name),
                                    QMessageBox.StandardButton.NoButton, self))
        box.setInformativeText(self.tr(
            "Using it where it is takes no extra space, and Cove never deletes your file; "
            "it must stay where it is. Copying puts a second copy (%1) in Cove's folder.")
            .replace("%1", size))
        in_place = box.addButton(self.tr("Use it where it is"),
                                 QMessageBox.ButtonRole.AcceptRole)
        copy = box.addButton(self.tr("Copy into Cove's folder"),
                             QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(in_place)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is copy:
            return True
        if clicked is in_place:
            return False
        return None

    def _on_import_succeeded(self, model: LocalModel) -> None:
        self.task_bar.hide()
        self._set_status(self.tr("Added %1.").replace("%1", model.name))
        self.refresh_library(select=model.path)
        self.library_changed.emit()

    def _on_import_failed(self, message: str) -> None:
        self.task_bar.hide()
        self._show_error(message)
        self._on_table_selection_changed()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _gguf_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _gguf_paths(event.mimeData().urls())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_path(paths[0])

    # -- delete and verify --------------------------------------------------------------

    def _on_delete_clicked(self) -> None:
        model = self.selected()
        if model is None:
            return
        if model.referenced:
            title = self.tr("Remove from the library?")
            text = self.tr("Remove %1 from Cove's library? The file itself stays where "
                           "it is:\n%2").replace("%1", model.name).replace("%2",
                                                                            str(model.path))
        else:
            title = self.tr("Delete the model?")
            text = self.tr("Delete %1? This frees %2 of disk space. To use it again you "
                           "will have to download it again.").replace("%1", model.name) \
                .replace("%2", size_text(model.size_bytes))
        answer = QMessageBox.question(
            self, title, literal(text),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.deleting.emit(str(model.path))  # whoever uses the file lets go of it first
        try:
            done = self.library.delete(model)
        except (LibraryError, OSError) as exc:
            self._show_error(str(exc) if isinstance(exc, LibraryError) else self.tr(
                "%1 could not be deleted: %2").replace("%1", model.name)
                .replace("%2", exc.strerror or str(exc)))
            return
        self._set_status(done)
        self.refresh_library()
        self.library_changed.emit()

    def _on_verify_clicked(self) -> None:
        model = self.selected()
        if model is not None:
            self.verify(model)

    def verify(self, model: LocalModel) -> Task:
        """Re-check a model in the background, with progress; the verdict shows below
        the list."""
        self.tabs.setCurrentIndex(self.LIBRARY_TAB)
        self._set_status(self.tr("Verifying %1…").replace("%1", model.name))
        self.task_bar.setRange(0, 1000)
        self.task_bar.setValue(0)
        self.task_bar.show()
        task = self._run(lambda progress: self.library.verify(model, progress),
                         self.tr("%1 could not be read; details are in the log file.")
                         .replace("%1", model.name), kind="verify")
        task.progressed.connect(self._on_verify_progressed)
        task.succeeded.connect(self._on_verify_succeeded)
        task.failed.connect(self._on_verify_failed)
        self._on_table_selection_changed()
        return task

    def _on_verify_progressed(self, done: int, total: int) -> None:
        self.task_bar.setValue(int(done * 1000 / total) if total else 0)

    def _on_verify_succeeded(self, result: Verification) -> None:
        self.task_bar.hide()
        if result.ok:
            self._set_status("✓ " + reason_text(result.message))
        else:
            self._show_error(result.message)
        self._on_table_selection_changed()

    def _on_verify_failed(self, message: str) -> None:
        self.task_bar.hide()
        self._show_error(message)
        self._on_table_selection_changed()

    # -- catalog and downloads ----------------------------------------------------------

    def _local_path(self, entry: CatalogEntry) -> Path | None:
        path = model_dir(self.downloads.models_dir, entry.repo_id) / entry.filename
        for model in self.models:
            if model.path == path and model.usable:
                return path
        return None

    def _update_cards(self) -> None:
        for card in self.cards.values():
            view = self.downloads.view(key_of(card.entry))
            state = view.state if view is not None else None
            card.set_state(state, self._local_path(card.entry))

    def _on_card_download_requested(self, entry: CatalogEntry) -> None:
        self.download(entry)

    def download(self, entry: CatalogEntry) -> None:
        """Start (or resume) downloading a catalog model; progress shows below."""
        self.catalog_status.hide()
        try:
            self.downloads.download_entry(entry)
        except (DownloadError, RuntimeError) as exc:
            self.catalog_status.setText(reason_text(str(exc)))
            self.catalog_status.show()

    def _on_card_use_requested(self, path: str) -> None:
        self.model_chosen.emit(path)
        self.accept()

    def _on_downloads_changed(self, _key: object) -> None:
        self._update_downloads_box()
        self._update_cards()

    def _on_downloads_model_ready(self, path: str) -> None:
        self.refresh_library(select=Path(path))
        self.library_changed.emit()

    def _update_downloads_box(self) -> None:
        self.downloads_box.setVisible(bool(self.downloads.listed()))

    # -- Hugging Face -------------------------------------------------------------------

    def _on_tabs_current_changed(self, index: int) -> None:
        if index == self.ACCOUNT_TAB and not self._token_checked:
            # The keyring is read only here, not when the window opens: on some systems
            # reading it asks to unlock it.
            self._token_checked = True
            self._show_token_state(credentials.hf_token() is not None)

    def _show_token_state(self, saved: bool) -> None:
        self.token_status.setProperty("error", False)
        self.token_status.setText(
            self.tr("A token is saved in this computer's keyring (it is never shown or "
                    "written to a file).") if saved else
            self.tr("No token saved. Create one at huggingface.co → Settings → Access "
                    "Tokens (read access is enough)."))
        self.forget_token_button.setEnabled(saved)
        self._repolish(self.token_status)

    def _on_save_token_clicked(self) -> None:
        token = self.token_edit.text().strip()
        if not token:
            self.token_edit.setFocus()
            return
        try:
            credentials.set_hf_token(token)
        except (KeyringError, RuntimeError) as exc:
            log.warning("The token could not be stored: %s", type(exc).__name__)
            self.token_status.setText(self.tr(
                "The token was not saved: this computer's keyring is not available. "
                "Public models still download without one."))
            self.token_status.setProperty("error", True)
            self._repolish(self.token_status)
            return
        self.token_edit.clear()
        self._token_checked = True
        self._show_token_state(True)

    def _on_forget_token_clicked(self) -> None:
        try:
            credentials.delete_hf_token()
        except (KeyringError, RuntimeError) as exc:
            log.warning("The token could not be removed: %s", type(exc).__name__)
        self._show_token_state(credentials.hf_token() is not None)

    def _on_save_endpoint_clicked(self) -> None:
        text = self.endpoint_edit.text().strip().rstrip("/")
        url = QUrl(text)
        if text and (url.scheme() not in ("http", "https") or not url.host()):
            self.endpoint_status.setText(self.tr(
                "“%1” is not a web address; it looks like https://hf-mirror.example.com")
                .replace("%1", text))
            self.endpoint_status.setProperty("error", True)
            self._repolish(self.endpoint_status)
            return
        self.downloads.endpoint = text or None
        self.endpoint_edit.setText(text)
        self.endpoint_status.setText(
            self.tr("New downloads come from %1.").replace("%1", text) if text else
            self.tr("New downloads come from huggingface.co."))
        self.endpoint_status.setProperty("error", False)
        self._repolish(self.endpoint_status)
        self.endpoint_changed.emit(text)

    # -- helpers ------------------------------------------------------------------------

    def _run(self, work: Work, fallback: str, kind: str = "") -> Task:
        task = Task(work, self, expected=(LibraryError,), fallback=fallback)
        task.setObjectName(kind)
        self._tasks.add(task)
        task.succeeded.connect(lambda _r: self._task_done(task))
        task.failed.connect(lambda _m: self._task_done(task))
        return task.start()

    def _task_done(self, task: Task) -> None:
        self._tasks.discard(task)
        task.deleteLater()

    def _tasks_of(self, kind: str) -> list[Task]:
        return [t for t in self._tasks if t.objectName() == kind]

    def wait_for_tasks(self, timeout: float = 30.0) -> None:
        """Wait for background work (for tests and for a clean close)."""
        for task in list(self._tasks):
            if task.worker is not None:
                task.worker.join(timeout)

    def _set_status(self, text: str) -> None:
        """``text`` in the user's language (a library result is an English reason)."""
        self.library_status.setText(reason_text(text))
        self.library_status.setProperty("error", False)
        self._repolish(self.library_status)

    def _show_error(self, text: str) -> None:
        self.library_status.setText(reason_text(text))
        self.library_status.setProperty("error", True)
        self._repolish(self.library_status)

    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def done(self, result: int) -> None:
        for task in list(self._tasks):
            if task.objectName() == "verify":
                task.cancel()  # a 60 GB checksum is not worth waiting for
        super().done(result)


def _gguf_paths(urls: list[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls
            if u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf")]
