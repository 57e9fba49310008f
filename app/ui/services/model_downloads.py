"""Model downloads seen from the window: one adapter over ``app.models.downloads`` and the
progress row that the Models window and the welcome wizard both show.

``DownloadManager`` runs its jobs on its own thread and calls back from there. The
adapter hands each callback to the GUI thread (:func:`app.ui.services.tasks.gui_callback`), so
every widget is touched on the GUI thread only, and it speaks in *keys*
(``(repo_id, filename)``) rather than job objects: a download that an earlier run left
half-done (a partial file and its sidecar on disk) has a key and a row before any job
exists, and "Resume" turns it into one.

Nothing here touches the network until :meth:`ModelDownloads.download` or
:meth:`ModelDownloads.resume` is called: creating the adapter, listing what an earlier
run left behind and showing rows read local files only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.catalog import CatalogEntry, find
from app.models.downloads import (
    DownloadError,
    DownloadJob,
    DownloadManager,
    DownloadState,
    Progress,
    model_dir,
    partial_path,
)
from app.models.splits import part_names
from app.reasons import Reason, say
from app.ui.language.wording import entry_title, reason_text
from app.ui.language.wording import size as size_text
from app.ui.services.tasks import gui_callback
from app.ui.widgets import theme
from app.ui.widgets.icons import icon
from app.ui.widgets.plain import literal, plain_label

log = logging.getLogger(__name__)

Key = tuple[str, str]  # (repo_id, filename): one model, whatever its number of parts
# Cancelling throws away what was downloaded; above this much, ask first.
CONFIRM_CANCEL_BYTES = 100_000_000
_ACTIVE = (DownloadState.QUEUED, DownloadState.RUNNING)

translate = QCoreApplication.translate  # lupdate knows this name


@dataclass(frozen=True)
class DownloadView:
    """What a row shows about one download, read on the GUI thread."""

    key: Key
    name: str
    state: DownloadState
    progress: Progress
    error: str | None = None
    resumable: bool = False
    model_path: Path | None = None
    leftover: bool = False  # found on disk from an earlier run; no job yet


@dataclass(frozen=True)
class _Leftover:
    """A download an earlier run left unfinished: its partial file(s) and sidecar(s)."""

    repo_id: str
    filename: str
    revision: str
    endpoint: str | None
    done: int
    total: int


def key_of(entry: CatalogEntry) -> Key:
    return (entry.repo_id, entry.filename)


class ModelDownloads(QObject):
    """The app's downloads, for every window that shows them; create one and share it.

    ``endpoint`` (a Hugging Face mirror) applies to downloads started after it is set;
    those already queued keep the address they started with. ``manager_options`` go to
    each ``DownloadManager`` (tests pass ``retry``, ``margin``, ``free_space``).

    Signals:
        changed(object): the download with this key changed (state, progress, or it is
            gone: :meth:`view` then returns None).
        model_ready(str): a download finished and its checksum matched: the model's path.
    """

    changed = Signal(object)
    model_ready = Signal(str)

    def __init__(self, models_dir: Path, *, endpoint: str | None = None,
                 parent: QObject | None = None, **manager_options: Any) -> None:
        super().__init__(parent)
        self.models_dir = Path(models_dir)
        self._endpoint = _clean_endpoint(endpoint)
        self._options = manager_options
        self._managers: dict[str | None, DownloadManager] = {}
        self._jobs: dict[Key, tuple[DownloadJob, DownloadManager]] = {}
        self._order: list[Key] = []
        self._announced: set[int] = set()
        self._closed = False
        # The managers call it on their download threads; it runs on the GUI thread.
        self._on_thread_update = gui_callback(self._on_manager_update, self)
        self._leftovers = {(lo.repo_id, lo.filename): lo for lo in self._scan_leftovers()}
        self._order += list(self._leftovers)

    # -- settings -----------------------------------------------------------------------

    @property
    def endpoint(self) -> str | None:
        return self._endpoint

    @endpoint.setter
    def endpoint(self, value: str | None) -> None:
        self._endpoint = _clean_endpoint(value)

    # -- what there is --------------------------------------------------------------------

    def listed(self) -> list[Key]:
        """Every download to show, oldest first (running, queued, paused, failed, done)."""
        return [k for k in self._order if k in self._jobs or k in self._leftovers]

    def view(self, key: Key) -> DownloadView | None:
        if key in self._jobs:
            job = self._jobs[key][0]
            return DownloadView(key, job.name, job.state, job.progress, job.error,
                                job.resumable, job.model_path)
        leftover = self._leftovers.get(key)
        if leftover is None:
            return None
        return DownloadView(key, key[1].rsplit("/", 1)[-1], DownloadState.PAUSED,
                            Progress(done=leftover.done, total=leftover.total),
                            resumable=True, leftover=True)

    @property
    def busy(self) -> bool:
        """Whether a download is running or waiting to run."""
        return any(job.state in _ACTIVE for job, _ in self._jobs.values())

    # -- actions (GUI thread) -----------------------------------------------------------

    def download(self, repo_id: str, filename: str, revision: str = "main") -> Key:
        """Queue a download (or resume the same one); raises ``DownloadError`` for a name
        that is not a repository or file name."""
        key = (repo_id, filename)
        if key in self._leftovers:
            self.resume(key)
            return key
        self._enqueue(self._manager(self._endpoint), repo_id, filename, revision)
        return key

    def download_entry(self, entry: CatalogEntry) -> Key:
        return self.download(entry.repo_id, entry.filename)

    def pause(self, key: Key) -> None:
        if key in self._jobs:
            job, manager = self._jobs[key]
            manager.pause(job)

    def resume(self, key: Key) -> None:
        """Continue a paused or failed download from its partial file."""
        leftover = self._leftovers.pop(key, None)
        if leftover is not None:
            self._enqueue(self._manager(leftover.endpoint), leftover.repo_id,
                          leftover.filename, leftover.revision)
            return
        if key in self._jobs:
            job, manager = self._jobs[key]
            manager.resume(job)

    def cancel(self, key: Key) -> None:
        """Stop and delete the partial file(s); the row goes away."""
        leftover = self._leftovers.pop(key, None)
        if leftover is not None:
            # No job runs for it: a settled job with its name is enough for the manager
            # to delete the partial files and sidecars, without any network.
            manager = self._manager(leftover.endpoint)
            manager.cancel(DownloadJob(0, leftover.repo_id, leftover.filename,
                                       leftover.revision))
            self.changed.emit(key)
            return
        if key in self._jobs:
            job, manager = self._jobs[key]
            manager.cancel(job)

    def forget(self, key: Key) -> None:
        """Take a finished, failed or cancelled download off the list (files stay)."""
        if key in self._jobs and self._jobs[key][0].state not in _ACTIVE:
            del self._jobs[key]
            self.changed.emit(key)

    def close(self, timeout: float = 10.0) -> None:
        """Pause what runs (keeping the partial files for next time) and stop the threads.

        Call it when the app quits; a paused download resumes from its partial file in
        the next session.
        """
        self._closed = True
        for manager in self._managers.values():
            manager.close(timeout)

    # -- internals ----------------------------------------------------------------------

    def _manager(self, endpoint: str | None) -> DownloadManager:
        if self._closed:
            raise DownloadError(say(Reason.DOWNLOADS_CLOSED))
        manager = self._managers.get(endpoint)
        if manager is None:
            manager = DownloadManager(self.models_dir, endpoint=endpoint,
                                      on_update=self._on_thread_update, **self._options)
            self._managers[endpoint] = manager
        return manager

    def _enqueue(self, manager: DownloadManager, repo_id: str, filename: str,
                 revision: str) -> None:
        key = (repo_id, filename)
        known = self._jobs.get(key)
        if known is not None and known[1] is not manager and known[0].state in _ACTIVE:
            manager = known[1]  # already on its way through another mirror
        job = manager.enqueue(repo_id, filename, revision)
        self._jobs[key] = (job, manager)
        if key not in self._order:
            self._order.append(key)
        self.changed.emit(key)

    def _on_manager_update(self, job: DownloadJob) -> None:
        key = (job.repo_id, job.filename)
        known = self._jobs.get(key)
        if known is None or known[0] is not job:
            self.changed.emit(key)  # a leftover being discarded, or a replaced job
            return
        if job.state is DownloadState.CANCELLED:
            del self._jobs[key]
        elif job.state is DownloadState.DONE and id(job) not in self._announced:
            self._announced.add(id(job))
            if job.model_path is not None:
                self.model_ready.emit(str(job.model_path))
        self.changed.emit(key)

    def _scan_leftovers(self) -> list[_Leftover]:
        """Partial downloads on disk from an earlier run (reads sidecars only)."""
        probe = DownloadManager(self.models_dir)  # never started: no thread, no network
        specs = probe.pending()
        sizes = {(s.repo_id, s.filename): s.size for s in specs}
        found: dict[Key, _Leftover] = {}
        for spec in specs:
            key = (spec.repo_id, spec.model_file)
            if key in found:
                continue
            folder = model_dir(self.models_dir, spec.repo_id)
            done = total = 0
            for name in part_names(spec.model_file):
                dest, partial = folder / name, partial_path(folder / name)
                if dest.is_file() and not partial.exists():  # a part that finished
                    size = dest.stat().st_size
                    done, total = done + size, total + size
                    continue
                total += sizes.get((spec.repo_id, name), 0)
                done += partial.stat().st_size if partial.is_file() else 0
            found[key] = _Leftover(spec.repo_id, spec.model_file, spec.revision,
                                   spec.endpoint, done, total)
        return list(found.values())


def _clean_endpoint(value: str | None) -> str | None:
    value = (value or "").strip().rstrip("/")
    return value or None


# -- words ------------------------------------------------------------------------------

def duration(seconds: float) -> str:
    """Time left as people say it: "45 s", "8 min", "1 h 05 min"."""
    seconds = max(0, int(seconds))
    if seconds >= 3600:
        return translate("Downloads", "%1 h %2 min").replace(
            "%1", str(seconds // 3600)).replace("%2", f"{seconds % 3600 // 60:02d}")
    if seconds >= 60:
        return translate("Downloads", "%1 min").replace("%1", str(round(seconds / 60)))
    return translate("Downloads", "%1 s").replace("%1", str(seconds))


def status_text(view: DownloadView) -> str:
    """One line: what the download is doing, with bytes, speed and time left."""
    p = view.progress
    part = ""
    if p.parts > 1:
        part = translate("Downloads", " (part %1 of %2)").replace(
            "%1", str(p.part)).replace("%2", str(p.parts))
    amount = translate("Downloads", "%1 of %2").replace(
        "%1", size_text(p.done)).replace("%2", size_text(p.total)) if p.total else ""
    state = view.state
    if state is DownloadState.QUEUED:
        return translate("Downloads", "Waiting for the download before it")
    if state is DownloadState.PAUSED:
        if view.leftover:
            return translate("Downloads", "Paused in an earlier session · %1 downloaded") \
                .replace("%1", amount or size_text(p.done))
        return translate("Downloads", "Paused · %1 downloaded").replace(
            "%1", amount or size_text(p.done))
    if state is DownloadState.DONE:
        return translate("Downloads", "Downloaded and verified · %1").replace(
            "%1", size_text(p.total or p.done))
    if state is DownloadState.CANCELLED:
        return translate("Downloads", "Cancelled")
    if state is DownloadState.FAILED:
        kept = translate("Downloads", " · %1 kept").replace("%1", size_text(p.done)) \
            if view.resumable and p.done else ""
        return translate("Downloads", "Stopped") + kept
    if p.phase == "connecting":
        return translate("Downloads", "Connecting…") + part
    if p.phase == "checking":
        return translate("Downloads", "Checking what was already downloaded · %1").replace(
            "%1", amount) + part
    if p.phase == "verifying":
        return translate("Downloads", "Verifying the checksum…") + part
    bits = [amount] if amount else []
    if p.speed > 0:
        bits.append(translate("Downloads", "%1/s").replace("%1", size_text(p.speed)))
    if p.eta is not None and p.speed > 0:
        bits.append(translate("Downloads", "about %1 left").replace("%1", duration(p.eta)))
    return (" · ".join(bits) or translate("Downloads", "Downloading…")) + part


# -- the row ----------------------------------------------------------------------------

class DownloadRow(QFrame):
    """One download: name, progress bar, bytes/speed/time left, and its buttons.

    It follows ``downloads`` by itself (only on the GUI thread, through the adapter's
    queued signal) and calls back into it; a row whose download is gone hides itself
    and emits ``removed``.

    Signals:
        removed(object): the download (this key) is no longer listed.
    """

    removed = Signal(object)

    def __init__(self, downloads: ModelDownloads, key: Key,
                 parent: QWidget | None = None, *, title: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("downloadRow")
        self.downloads = downloads
        self.key = key
        entry = find(f"{key[0]}/{key[1]}")
        self.title = plain_label(QLabel(
            title or (entry_title(entry) if entry else key[1].rsplit("/", 1)[-1]), self))
        self.title.setToolTip(f"{key[0]}/{key[1]}")
        self.title.setObjectName("downloadTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel(self)
        self.status.setProperty("muted", True)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.bar.setAccessibleName(self.tr("Download progress of %1").replace(
            "%1", self.title.text()))
        self.error = QLabel(self)
        self.error.setObjectName("downloadError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.pause_button = self._button(self.tr("Pause"), self.tr("Pause the download"),
                                         self._on_pause_clicked)
        self.resume_button = self._button(self.tr("Resume"),
                                          self.tr("Resume the download"),
                                          self._on_resume_clicked)
        self.cancel_button = self._button(self.tr("Cancel"),
                                          self.tr("Cancel the download and delete its "
                                                  "partial file"), self._on_cancel_clicked)
        self.dismiss_button = self._button("", self.tr("Remove from the list"),
                                           self._on_dismiss_clicked)
        self.dismiss_button.setIcon(icon("x"))
        self.dismiss_button.setFlat(True)

        head = QHBoxLayout()
        head.setSpacing(6)
        head.addWidget(self.title, 1)
        for button in (self.pause_button, self.resume_button, self.cancel_button,
                       self.dismiss_button):
            head.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(6)
        layout.addLayout(head)
        layout.addWidget(self.bar)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        downloads.changed.connect(self._on_downloads_changed)
        self.refresh()

    def _button(self, text: str, accessible: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAutoDefault(False)
        button.setAccessibleName(accessible)
        button.setToolTip(accessible)
        button.clicked.connect(slot)
        return button

    def view(self) -> DownloadView | None:
        return self.downloads.view(self.key)

    def refresh(self) -> None:
        view = self.view()
        if view is None:
            self.hide()
            self.removed.emit(self.key)
            return
        state, p = view.state, view.progress
        self.status.setText(status_text(view))
        if state is DownloadState.RUNNING and not p.total:
            self.bar.setRange(0, 0)  # busy: asking the server for the file's size
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(1000 if state is DownloadState.DONE else int(p.fraction * 1000))
        self.bar.setAccessibleDescription(self.status.text())
        failed = state is DownloadState.FAILED
        self.error.setVisible(failed and bool(view.error))
        self.error.setText(reason_text(view.error or ""))
        self.pause_button.setVisible(state in _ACTIVE)
        self.resume_button.setVisible(state in (DownloadState.PAUSED, DownloadState.FAILED))
        self.resume_button.setText(self.tr("Try again") if failed else self.tr("Resume"))
        self.cancel_button.setVisible(state not in (DownloadState.DONE,
                                                    DownloadState.CANCELLED))
        self.dismiss_button.setVisible(state is DownloadState.DONE)

    def _on_downloads_changed(self, key: Key) -> None:
        if key == self.key:
            self.refresh()

    def _on_pause_clicked(self) -> None:
        self.downloads.pause(self.key)

    def _on_resume_clicked(self) -> None:
        self.downloads.resume(self.key)
        self.refresh()

    def _on_cancel_clicked(self) -> None:
        view = self.view()
        if view is not None and view.progress.done >= CONFIRM_CANCEL_BYTES:
            answer = QMessageBox.question(
                self, self.tr("Cancel the download?"),
                literal(self.tr("Cancel the download of %1? The %2 downloaded so far will "
                                "be deleted. Pause keeps them instead.")
                        .replace("%1", view.name).replace("%2", size_text(view.progress.done))),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.downloads.cancel(self.key)

    def _on_dismiss_clicked(self) -> None:
        self.downloads.forget(self.key)


class DownloadList(QWidget):
    """Every download of ``downloads``, one row each, newest at the bottom; hidden when
    there is none."""

    def __init__(self, downloads: ModelDownloads, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Downloads"))
        self.downloads = downloads
        self.rows: dict[Key, DownloadRow] = {}
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)
        downloads.changed.connect(self._on_downloads_changed)
        for key in downloads.listed():
            self._add(key)
        self._update_visibility()

    def _add(self, key: Key) -> None:
        row = DownloadRow(self.downloads, key, self)
        row.removed.connect(self._on_row_removed)
        self.rows[key] = row
        self._layout.addWidget(row)

    def _on_downloads_changed(self, key: Key) -> None:
        if key not in self.rows and self.downloads.view(key) is not None:
            self._add(key)
        self._update_visibility()

    def _on_row_removed(self, key: Key) -> None:
        row = self.rows.pop(key, None)
        if row is not None:
            self._layout.removeWidget(row)
            row.deleteLater()
        self._update_visibility()

    def _update_visibility(self) -> None:
        self.setVisible(bool(self.rows))


# -- looks ------------------------------------------------------------------------------

# Verdict colours (runs well / runs slowly / won't fit) for light and dark palettes.
_GOOD = ("#1a7f37", "#3fb950")
_SLOW = ("#9a6700", "#d29922")
_BAD = ("#c62828", "#f47067")


def fit_colour(fit: str) -> str:
    """The colour of a verdict ("runs well" …) in the palette in force."""
    dark = int(theme.current().dark)
    return {"runs well": _GOOD, "runs slowly": _SLOW}.get(fit, _BAD)[dark]


def style_sheet() -> str:
    """Rules for the cards, rows and messages of the Models window and the wizard, in
    the palette in force (added to the app's own style sheet, never replacing it)."""
    c = theme.current()
    bad = _BAD[int(c.dark)]
    return f"""
QFrame#modelCard, QFrame#downloadRow, QFrame#infoCard {{ background: {c.base};
    border: 1px solid {c.border}; border-radius: 10px; }}
QFrame#modelCard[recommended="true"] {{ border: 1px solid {c.accent}; }}
QLabel#cardTitle {{ font-size: 12pt; font-weight: 600; }}
QLabel#downloadTitle {{ font-weight: 600; }}
QLabel#badge {{ background: {c.accent}; color: {c.accent_text}; border-radius: 8px;
    padding: 1px 8px; font-weight: 600; }}
QLabel#downloadError, QLabel[error="true"] {{ color: {bad}; }}
QPushButton#primary:disabled {{ background: {c.border}; color: {c.muted}; }}
QProgressBar {{ border: none; background: {c.surface}; border-radius: 4px; }}
QProgressBar::chunk {{ background: {c.accent}; border-radius: 4px; }}
QLabel#wizardTitle {{ font-size: 20pt; font-weight: 600; }}
QLabel#sectionTitle {{ font-weight: 600; }}
"""


def no_default_buttons(widget: QWidget) -> None:
    """Return in a dialog must not press whichever button happens to have focus (Qt's
    auto-default): only the button a dialog makes its default answers Return."""
    for button in widget.findChildren(QPushButton):
        button.setAutoDefault(False)
