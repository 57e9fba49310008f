"""The Models window: what Cove can download and whether it runs here, the models on
this computer, downloads in progress, and the Hugging Face token and mirror.

Everything the window shows comes from ``app.models`` (catalog, library, downloads,
credentials) and ``app.hardware`` (this machine); it does no I/O of its own beyond
asking those. Opening it makes no network request: only "Download" (or "Resume")
does. The "On this computer" tab is :class:`app.ui.dialogs.library_page.LibraryPage` (its slow
work runs through :mod:`app.ui.services.tasks`); the catalog's cards and words are in
:mod:`app.ui.dialogs.model_cards`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from keyring.errors import KeyringError
from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.hardware.detect import HardwareReport
from app.models import credentials
from app.models.catalog import CATALOG, CatalogEntry, recommend
from app.models.downloads import DownloadError, model_dir
from app.models.library import Library, LocalModel
from app.ui.dialogs.computer_speed import load_speed_tests
from app.ui.dialogs.library_page import LibraryPage
from app.ui.dialogs.model_cards import ModelCard, entry_verdict, facts_for, machine_summary
from app.ui.language.wording import reason_text
from app.ui.services.model_downloads import (
    DownloadList,
    ModelDownloads,
    key_of,
    no_default_buttons,
    style_sheet,
)
from app.ui.services.tasks import Task
from app.ui.widgets.icons import icon

log = logging.getLogger(__name__)


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
        self._first_look = True  # the first read of the library chooses the tab
        self._token_checked = False
        self.library_page = LibraryPage(self.library, self)
        self.library_page.model_chosen.connect(self._on_library_model_chosen)
        self.library_page.library_changed.connect(self.library_changed)
        self.library_page.deleting.connect(self.deleting)
        self.library_page.refreshed.connect(self._on_library_refreshed)
        self.library_page.shown_wanted.connect(self._on_library_shown_wanted)

        machine = QLabel(self.tr("This computer: %1").replace(
            "%1", machine_summary(self.facts)), self)
        machine.setProperty("muted", True)
        machine.setWordWrap(True)
        machine.setAccessibleName(self.tr("This computer"))
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Model sections"))
        self.tabs.addTab(self.library_page, icon("folder"), self.tr("On this computer"))
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

    # -- the library tab ------------------------------------------------------------------

    def refresh_library(self, select: Path | None = None) -> None:
        """Re-read the library (headers only) in the background, then show it."""
        self.library_page.refresh(select)

    def import_path(self, path: str | Path, copy: bool | None = None) -> Task[Any] | None:
        """Add a GGUF file (a dropped or chosen one): copied into Cove's folder or used
        where it is. ``copy=None`` asks the user; returns the running task, or None when
        the user cancelled."""
        return self.library_page.import_path(path, copy)

    def verify(self, model: LocalModel) -> Task[Any]:
        """Re-check a model in the background, with progress."""
        return self.library_page.verify(model)

    def wait_for_tasks(self, timeout: float = 30.0) -> None:
        """Wait for background work (for tests and for a clean close)."""
        self.library_page.wait_for_tasks(timeout)

    def _on_library_refreshed(self) -> None:
        self._update_cards()
        if self._first_look:  # a user with no models wants the catalog
            self._first_look = False
            self.tabs.setCurrentIndex(self.LIBRARY_TAB if self.library_page.models
                                      else self.CATALOG_TAB)
        self.library_refreshed.emit()

    def _on_library_model_chosen(self, path: str) -> None:
        self.model_chosen.emit(path)
        self.accept()

    def _on_library_shown_wanted(self) -> None:
        self.tabs.setCurrentIndex(self.LIBRARY_TAB)

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

    # -- catalog and downloads ----------------------------------------------------------

    def _local_path(self, entry: CatalogEntry) -> Path | None:
        path = model_dir(self.downloads.models_dir, entry.repo_id) / entry.filename
        for model in self.library_page.models:
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
    @staticmethod
    def _repolish(widget: QWidget) -> None:
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    def done(self, result: int) -> None:
        self.library_page.cancel_verification()
        super().done(result)


def _gguf_paths(urls: list[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls
            if u.isLocalFile() and u.toLocalFile().lower().endswith(".gguf")]
