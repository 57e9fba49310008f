"""The welcome wizard: from "installed" to "chatting" without reading anything.

Two steps. First: what this computer is, the model that suits it and why, and two ways
to get it (download it, or use a GGUF file already on disk). Second: the download's
progress (the same row as in the Models window) or the chosen file's facts, and how it
will run here; "Start chatting" hands the model's path to the window.

Like the Models window it makes no network request until the user presses Download,
and a download started here belongs to the app's shared ``ModelDownloads``: closing the
wizard does not stop it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.hardware.detect import HardwareReport
from app.hardware.facts import read_model_facts
from app.hardware.plan import DEFAULT_CTX, diagnose, plan
from app.models.catalog import Fit, recommend
from app.models.downloads import DownloadError, DownloadState, model_dir
from app.models.library import Library, LibraryError, LocalModel
from app.ui.dialogs.model_cards import (
    confirm_download,
    entry_verdict,
    facts_for,
    machine_summary,
    parameters,
    verdict_label,
)
from app.ui.dialogs.models_dialog import ModelsDialog
from app.ui.language.wording import (
    diagnosis_text,
    entry_title,
    gb,
    plan_text,
    reason_text,
    summary_text,
)
from app.ui.language.wording import size as size_text
from app.ui.services.model_downloads import (
    DownloadRow,
    ModelDownloads,
    key_of,
    no_default_buttons,
    style_sheet,
)
from app.ui.widgets.icons import icon

log = logging.getLogger(__name__)


class WelcomeWizard(QDialog):
    """First run (and later from the menu): this computer, the recommended model,
    getting it, and "Start chatting".

    ``downloads`` is the app's shared :class:`ModelDownloads`; ``library`` defaults to
    the one in its folder; ``report`` (the hardware report) is detected when not given.

    Signals:
        model_chosen(str): "Start chatting" was pressed: the model's (first file's) path.
    """

    model_chosen = Signal(str)

    CHOOSE, READY = 0, 1

    def __init__(self, downloads: ModelDownloads, library: Library | None = None, *,
                 report: HardwareReport | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Welcome to Cove"))
        self.setAccessibleName(self.tr("Welcome to Cove"))
        self.setAcceptDrops(True)
        self.setStyleSheet(style_sheet())
        self.downloads = downloads
        self.library = library or Library(downloads.models_dir)
        self.report = report
        self.facts = facts_for(report)
        self.entry, _ = recommend(self.facts)
        self.verdict = entry_verdict(self.entry, self.facts)
        self.key = key_of(self.entry)
        self.chosen: Path | None = None  # the model "Start chatting" will hand over
        self.row: DownloadRow | None = None

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._ready_page())

        self.back_button = QPushButton(icon("chevron-left"), self.tr("Back"), self)
        self.back_button.setAccessibleName(self.tr("Back to the choice of model"))
        self.back_button.clicked.connect(self._on_back_clicked)
        self.skip_button = QPushButton(self.tr("Skip for now"), self)
        self.skip_button.setAccessibleName(self.tr("Close the welcome window"))
        self.skip_button.setToolTip(self.tr("You can come back here from the Models menu."))
        self.skip_button.clicked.connect(self.reject)
        self.start_button = QPushButton(icon("message"), self.tr("Start chatting"), self)
        self.start_button.setObjectName("primary")
        self.start_button.setAccessibleName(self.tr("Start chatting"))
        self.start_button.clicked.connect(self._on_start_clicked)
        footer = QHBoxLayout()
        footer.addWidget(self.skip_button)
        footer.addStretch(1)
        footer.addWidget(self.back_button)
        footer.addWidget(self.start_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 18)
        layout.setSpacing(14)
        layout.addWidget(self.pages, 1)
        layout.addLayout(footer)
        self.resize(720, 500)
        no_default_buttons(self)
        self.start_button.setDefault(True)

        downloads.changed.connect(self._on_downloads_changed)
        self._update_choice()
        self._show_page(self.CHOOSE)

    # -- page 1: this computer and the recommended model ----------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget(self)
        logo = QLabel(page)
        logo.setPixmap(icon("logo").pixmap(40, 40))
        title = QLabel(self.tr("Welcome to Cove"), page)
        title.setObjectName("wizardTitle")
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(logo)
        head.addWidget(title, 1)
        lead = QLabel(self.tr(
            "Private chat with OpenAI's open-weight gpt-oss models, on this computer. "
            "Nothing you write leaves it, and once a model is here Cove works without "
            "the internet."), page)
        lead.setWordWrap(True)
        lead.setProperty("muted", True)

        machine = _card(page, self.tr("This computer"))
        self.machine_label = QLabel(machine_summary(self.facts), machine)
        self.machine_label.setWordWrap(True)
        self.machine_label.setAccessibleName(self.tr("This computer"))
        machine.body.addWidget(self.machine_label)
        problems = diagnose(self.facts)
        if problems:
            note = QLabel(diagnosis_text(problems[0])[0], machine)
            note.setWordWrap(True)
            note.setProperty("muted", True)
            machine.body.addWidget(note)

        model = _card(page, self.tr("The model for it: %1").replace("%1", entry_title(self.entry)))
        facts = QLabel(self.tr("%1 download · needs about %2 of memory · by %3")
                       .replace("%1", size_text(self.entry.size_bytes))
                       .replace("%2", gb(self.verdict.memory_needed))
                       .replace("%3", self.entry.publisher), model)
        facts.setProperty("muted", True)
        summary = QLabel(summary_text(self.entry.key, self.entry.summary), model)
        summary.setWordWrap(True)
        self.verdict_label = verdict_label(self.verdict, model)
        for widget in (facts, summary, self.verdict_label):
            model.body.addWidget(widget)
        if self.verdict.fit is Fit.WONT_FIT:
            warn = QLabel(self.tr("You can still download it, but it will not run well "
                                  "here; a GGUF file of a smaller model may suit this "
                                  "computer better."), model)
            warn.setWordWrap(True)
            warn.setProperty("error", True)
            model.body.addWidget(warn)

        self.download_button = QPushButton(icon("download"), "", page)
        self.download_button.setObjectName("primary")
        self.download_button.clicked.connect(self._on_download_clicked)
        self.file_button = QPushButton(icon("file"), self.tr("Use a GGUF file I already "
                                                             "have…"), page)
        self.file_button.setAccessibleName(self.tr("Use a GGUF model file already on "
                                                   "this computer"))
        self.file_button.clicked.connect(self._on_file_clicked)
        self.other_button = QPushButton(self.tr("Other models…"), page)
        self.other_button.setAccessibleName(self.tr("See every model Cove can download"))
        self.other_button.setFlat(True)
        self.other_button.clicked.connect(self._on_other_clicked)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.download_button)
        actions.addWidget(self.file_button)
        actions.addStretch(1)
        actions.addWidget(self.other_button)
        self.choose_error = QLabel(page)
        self.choose_error.setProperty("error", True)
        self.choose_error.setWordWrap(True)
        self.choose_error.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_error.hide()

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addLayout(head)
        layout.addWidget(lead)
        layout.addWidget(machine)
        layout.addWidget(model)
        layout.addLayout(actions)
        layout.addWidget(self.choose_error)
        layout.addStretch(1)
        return page

    def _update_choice(self) -> None:
        """The main button's words follow what is already here: on disk, downloading,
        half-done from an earlier session, or nothing yet."""
        title, size = entry_title(self.entry), size_text(self.entry.size_bytes)
        view = self.downloads.view(self.key)
        state = view.state if view is not None else None
        if self._downloaded_path() is not None:
            text = self.tr("Use %1").replace("%1", title)
        elif state in (DownloadState.QUEUED, DownloadState.RUNNING):
            text = self.tr("Show the download of %1").replace("%1", title)
        elif state in (DownloadState.PAUSED, DownloadState.FAILED):
            text = self.tr("Resume downloading %1").replace("%1", title)
        else:
            text = self.tr("Download %1 (%2)").replace("%1", title).replace("%2", size)
        self.download_button.setText(text)
        self.download_button.setAccessibleName(text)

    def _downloaded_path(self) -> Path | None:
        path = model_dir(self.downloads.models_dir, self.entry.repo_id) / self.entry.filename
        if not path.is_file():
            return None
        model = self.library.describe(path)
        return path if model.usable else None

    # -- page 2: getting it, then ready -----------------------------------------------------

    def _ready_page(self) -> QWidget:
        page = QWidget(self)
        self.ready_title = QLabel(page)
        self.ready_title.setObjectName("wizardTitle")
        self.ready_title.setWordWrap(True)
        self.ready_text = QLabel(page)
        self.ready_text.setWordWrap(True)
        self.ready_text.setProperty("muted", True)
        self.row_holder = QVBoxLayout()
        self.row_holder.setContentsMargins(0, 0, 0, 0)
        self.model_card = _card(page, "")
        self.model_facts = QLabel(self.model_card)
        self.model_facts.setWordWrap(True)
        self.model_facts.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model_card.body.addWidget(self.model_facts)
        self.plan_label = QLabel(self.model_card)
        self.plan_label.setWordWrap(True)
        self.plan_label.setAccessibleName(self.tr("How the model will run here"))
        self.model_card.body.addWidget(self.plan_label)
        self.model_card.hide()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addWidget(self.ready_title)
        layout.addWidget(self.ready_text)
        layout.addLayout(self.row_holder)
        layout.addWidget(self.model_card)
        layout.addStretch(1)
        return page

    def _show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.back_button.setVisible(page == self.READY)
        self.start_button.setVisible(page == self.READY)
        self.start_button.setEnabled(page == self.READY and self.chosen is not None)
        if page == self.READY and self.chosen is not None:
            self.start_button.setFocus()

    def _show_download(self) -> None:
        self.chosen = None
        self.model_card.hide()
        if self.row is None:
            self.row = DownloadRow(self.downloads, self.key, self, title=entry_title(self.entry))
            self.row_holder.addWidget(self.row)
        self.row.show()
        self.ready_title.setText(self.tr("Downloading %1").replace("%1", entry_title(self.entry)))
        self.ready_text.setText(self.tr(
            "This takes a while. You can pause and resume, even after closing Cove; a "
            "lost connection is picked up where it stopped. Closing this window does not "
            "stop the download."))
        self._show_page(self.READY)
        self._follow_download()

    def _follow_download(self) -> None:
        view = self.downloads.view(self.key)
        if view is not None and view.state is DownloadState.DONE and view.model_path:
            self._show_ready(view.model_path, downloaded=True)

    def _show_ready(self, path: Path, *, downloaded: bool = False,
                    model: LocalModel | None = None) -> None:
        model = model or self.library.describe(path)
        self.chosen = path if model.usable else None
        if self.row is not None:
            self.row.setVisible(downloaded)
        self.ready_title.setText(self.tr("%1 is ready").replace("%1", model.name)
                                 if model.usable else self.tr("This file cannot be used"))
        self.ready_text.setText(
            self.tr("Downloaded and verified. Press Start chatting.") if downloaded and
            model.usable else self.tr("Press Start chatting.") if model.usable
            else reason_text(model.problem or ""))
        self.model_card.title.setText(model.name)
        # The context shown is the plan's (the one the engine will load with), said in
        # the plan sentence below; the file's longest context is in the Models window.
        self.model_facts.setText(self.tr(
            "%1 · %2 · %3 · %4 parameters\n%5")
            .replace("%1", size_text(model.size_bytes)).replace("%2", model.architecture)
            .replace("%3", model.quantization)
            .replace("%4", parameters(model.parameter_count)).replace("%5", str(model.path)))
        self.plan_label.setText(self._plan_sentence(path) if model.usable else "")
        self.plan_label.setVisible(bool(self.plan_label.text()))
        self.model_card.show()
        self._show_page(self.READY)

    def _plan_sentence(self, path: Path) -> str:
        """How the model will run here: the plan the engine will make on Automatic
        (same context, same speed estimate), in words; empty if unknown."""
        try:
            chosen = plan(read_model_facts(path), self.facts, DEFAULT_CTX)
        except Exception:  # a header the planner cannot read: the chat will say more
            log.warning("No plan for %s", path, exc_info=True)
            return ""
        return plan_text(chosen.to_dict())

    # -- actions ------------------------------------------------------------------------

    def _on_download_clicked(self) -> None:
        self.choose_error.hide()
        path = self._downloaded_path()
        if path is not None:
            self._show_ready(path)
            return
        view = self.downloads.view(self.key)
        try:
            if view is None or view.state in (DownloadState.DONE, DownloadState.CANCELLED):
                if not self._confirmed():
                    return
                self.downloads.download_entry(self.entry)
            elif view.state in (DownloadState.PAUSED, DownloadState.FAILED):
                self.downloads.resume(self.key)
        except (DownloadError, RuntimeError) as exc:
            self._show_choose_error(str(exc))
            return
        self._show_download()

    def _confirmed(self) -> bool:
        return confirm_download(self, self.entry, self.verdict)

    def _on_file_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a GGUF model"), str(Path.home()),
            self.tr("GGUF models (*.gguf)"))
        if path:
            self.use_file(path)

    def use_file(self, path: str | Path) -> bool:
        """Use a GGUF file where it is (Cove's library remembers it; nothing is copied).
        Returns whether it can be used; a bad file shows why on the first page."""
        self.choose_error.hide()
        try:
            model = self.library.import_file(Path(path), copy=False)
        except LibraryError as exc:
            self._show_choose_error(str(exc))
            return False
        except OSError as exc:
            self._show_choose_error(self.tr("%1 cannot be read: %2")
                                    .replace("%1", Path(path).name)
                                    .replace("%2", exc.strerror or str(exc)))
            return False
        if not model.usable:
            self._show_choose_error(model.problem or "")
            return False
        self._show_ready(model.path, model=model)
        return True

    def _on_other_clicked(self) -> None:
        dialog = ModelsDialog(self.downloads, self.library, report=self.report, parent=self)
        dialog.model_chosen.connect(self._on_models_dialog_model_chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_models_dialog_model_chosen(self, path: str) -> None:
        self._show_ready(Path(path))

    def _on_back_clicked(self) -> None:
        self._update_choice()
        self._show_page(self.CHOOSE)

    def _on_start_clicked(self) -> None:
        if self.chosen is not None:
            self.model_chosen.emit(str(self.chosen))
            self.accept()

    def _on_downloads_changed(self, key: object) -> None:
        if key != self.key:
            return
        if self.pages.currentIndex() == self.CHOOSE:
            self._update_choice()
            return
        view = self.downloads.view(self.key)
        if view is None and self.chosen is None:  # cancelled: the row hides itself
            self._show_choose_error(self.tr("The download was cancelled and its partial "
                                            "file deleted."))
            self._update_choice()
            self._show_page(self.CHOOSE)
        elif self.chosen is None:
            self._follow_download()

    def _show_choose_error(self, text: str) -> None:
        self.choose_error.setText(reason_text(text))
        self.choose_error.show()
        self._show_page(self.CHOOSE)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if any(u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf") for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".gguf"):
                event.acceptProposedAction()
                self.use_file(url.toLocalFile())
                return
        event.ignore()


class _Card(QFrame):
    title: QLabel
    body: QVBoxLayout


def _card(parent: QWidget, title: str) -> _Card:
    """A rounded panel with a bold heading; widgets go into its ``body``."""
    card = _Card(parent)
    card.setObjectName("infoCard")
    card.title = QLabel(title, card)
    card.title.setObjectName("sectionTitle")
    card.title.setWordWrap(True)
    card.body = QVBoxLayout(card)
    card.body.setContentsMargins(16, 12, 16, 14)
    card.body.setSpacing(6)
    card.body.addWidget(card.title)
    return card
