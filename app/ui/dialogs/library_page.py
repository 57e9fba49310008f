"""The Models window's "On this computer" tab: the models in the library (read from
their headers), and adding a GGUF file, verifying and deleting one.

Reading the folder, copying a file in and verifying a checksum run through
:mod:`app.ui.services.tasks`, so the window never freezes; closing the window cancels a
verification (its progress report ends it). Strings are translated in the window's
``ModelsDialog`` context.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models.library import Library, LibraryError, LocalModel, Verification
from app.ui.dialogs.model_cards import context, parameters
from app.ui.language.wording import reason_text
from app.ui.language.wording import size as size_text
from app.ui.services.tasks import Task, run_in_background
from app.ui.widgets.icons import icon
from app.ui.widgets.plain import literal, plain_box

log = logging.getLogger(__name__)
translate = QCoreApplication.translate  # lupdate knows this name


class LibraryPage(QWidget):
    """The models on this computer, one row each, and what can be done with them.

    Signals:
        model_chosen(str): the user chose a model to chat with: its path.
        library_changed(): a model was added to or removed from the library.
        deleting(str): a model's file is about to be deleted (emitted first, so that a
            worker using it can close it: Windows cannot delete a file in use).
        refreshed(): the list on screen was read again.
        shown_wanted(): an import or a verification started: the window shows this tab.
    """

    model_chosen = Signal(str)
    library_changed = Signal()
    deleting = Signal(str)
    refreshed = Signal()
    shown_wanted = Signal()

    COLUMNS = ("name", "size", "architecture", "quantization", "context", "parameters",
               "where")

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.models: list[LocalModel] = []
        self._tasks: list[tuple[str, Task[Any]]] = []
        self._refresh_generation = 0
        self._build()

    def _build(self) -> None:
        self.table = QTreeWidget(self)
        self.table.setAccessibleName(translate("ModelsDialog", "Models on this computer"))
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setHeaderLabels([
            translate("ModelsDialog", "Model"), translate("ModelsDialog", "Size"),
            translate("ModelsDialog", "Architecture"), translate("ModelsDialog", "Quantization"),
            translate("ModelsDialog", "Longest context"),
            translate("ModelsDialog", "Parameters"), translate("ModelsDialog", "Kept")])
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.table.itemDoubleClicked.connect(self._on_table_item_double_clicked)
        self.library_empty = QLabel(translate("ModelsDialog",
            "No models on this computer yet. Download one (see the Download tab), or add a "
            "GGUF file you already have with “Add a GGUF file…” or by dropping it here."),
            self)
        self.library_empty.setWordWrap(True)
        self.library_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.library_empty.setProperty("muted", True)
        self.library_empty.hide()
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setProperty("muted", True)
        self.details.setAccessibleName(translate("ModelsDialog", "Selected model"))

        self.import_button = QPushButton(
            icon("file"), translate("ModelsDialog", "Add a GGUF file…"), self)
        self.import_button.setAccessibleName(
            translate("ModelsDialog", "Add a GGUF file you already have"))
        self.import_button.clicked.connect(self._on_import_clicked)
        self.verify_button = QPushButton(icon("check"), translate("ModelsDialog", "Verify"), self)
        self.verify_button.setAccessibleName(translate("ModelsDialog", "Verify the selected model"))
        self.verify_button.setToolTip(translate("ModelsDialog", "Re-check the file: its "
                                                "structure, and its checksum when it was "
                                                "downloaded"))
        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.delete_button = QPushButton(icon("trash"), translate("ModelsDialog", "Delete…"), self)
        self.delete_button.setAccessibleName(translate("ModelsDialog", "Delete the selected model"))
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.use_button = QPushButton(
            icon("message"), translate("ModelsDialog", "Chat with this model"), self)
        self.use_button.setObjectName("primary")
        self.use_button.setAccessibleName(translate("ModelsDialog", "Chat with the selected model"))
        self.use_button.clicked.connect(self._on_use_clicked)
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.verify_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(self.use_button)

        self.library_status = QLabel(self)
        self.library_status.setWordWrap(True)
        self.library_status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.library_status.setAccessibleName(translate("ModelsDialog", "Status"))
        self.task_bar = QProgressBar(self)
        self.task_bar.setTextVisible(False)
        self.task_bar.setFixedHeight(8)
        self.task_bar.setAccessibleName(translate("ModelsDialog", "Progress"))
        self.task_bar.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.library_empty, 1)
        layout.addWidget(self.details)
        layout.addLayout(row)
        layout.addWidget(self.task_bar)
        layout.addWidget(self.library_status)
        self._on_table_selection_changed()

    # -- the library ----------------------------------------------------------------------

    def refresh(self, select: Path | None = None) -> None:
        """Re-read the library (headers only) in the background, then show it."""
        self._refresh_generation += 1
        generation = self._refresh_generation
        self._run(self.library.models,
                  lambda models: self._show_models(models, generation, select),
                  self._show_error, translate("ModelsDialog", "The models folder could not be "
                                                              "read; details are in the log file."))

    def _show_models(self, models: list[LocalModel], generation: int,
                     select: Path | None) -> None:
        if generation != self._refresh_generation:
            return  # a newer read is on its way
        current = self.selected()
        selected = select or (current.path if current is not None else None)
        self.models = models
        self.table.clear()
        for index, model in enumerate(models):
            kept = translate("ModelsDialog", "In place") if model.referenced else \
                translate("ModelsDialog", "Cove's folder")
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
        self.refreshed.emit()

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
            where += " · " + translate("ModelsDialog", "downloaded from %1").replace(
                "%1", source["repo_id"])
        if model.embedding and not model.problem:
            where = translate("ModelsDialog", "Not a chat model: Cove uses it to search your "
                                              "documents by meaning.") + "\n" + where
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

    # -- import -------------------------------------------------------------------------

    def _on_import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, translate("ModelsDialog", "Add a GGUF model"), str(Path.home()),
            translate("ModelsDialog", "GGUF models (*.gguf)"))
        if path:
            self.import_path(path)

    def import_path(self, path: str | Path, copy: bool | None = None) -> Task[Any] | None:
        """Add a GGUF file (a dropped or chosen one): copied into Cove's folder or used
        where it is. ``copy=None`` asks the user; returns the running task, or None when
        the user cancelled."""
        path = Path(path)
        if copy is None:
            copy = self.ask_copy(path)
            if copy is None:
                return None
        self.shown_wanted.emit()
        doing = translate("ModelsDialog", "Copying %1 into Cove's folder…") if copy else \
            translate("ModelsDialog", "Checking %1…")
        self._set_status(doing.replace("%1", path.name))
        self.task_bar.setRange(0, 0)
        self.task_bar.show()
        task = self._run(lambda: self.library.import_file(path, copy=copy),
                         self._on_import_succeeded, self._on_import_failed,
                         translate("ModelsDialog", "%1 could not be added; details are in "
                                                   "the log file.").replace("%1", path.name),
                         kind="import")
        self._on_table_selection_changed()
        return task

    def ask_copy(self, path: Path) -> bool | None:
        """Copy (True), use in place (False) or cancel (None): the user's choice."""
        try:
            size = size_text(path.stat().st_size)
        except OSError:
            size = "?"
        box = plain_box(QMessageBox(
            QMessageBox.Icon.Question, translate("ModelsDialog", "Add a model"),
            translate("ModelsDialog", "How should Cove keep %1?").replace("%1", path.name),
            QMessageBox.StandardButton.NoButton, self))
        box.setInformativeText(translate("ModelsDialog",
            "Using it where it is takes no extra space, and Cove never deletes your file; "
            "it must stay where it is. Copying puts a second copy (%1) in Cove's folder.")
            .replace("%1", size))
        in_place = box.addButton(translate("ModelsDialog", "Use it where it is"),
                                 QMessageBox.ButtonRole.AcceptRole)
        copy = box.addButton(translate("ModelsDialog", "Copy into Cove's folder"),
                             QMessageBox.ButtonRole.AcceptRole)
        box.addButton(translate("ModelsDialog", "Cancel"), QMessageBox.ButtonRole.RejectRole)
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
        self._set_status(translate("ModelsDialog", "Added %1.").replace("%1", model.name))
        self.refresh(select=model.path)
        self.library_changed.emit()

    def _on_import_failed(self, message: str) -> None:
        self.task_bar.hide()
        self._show_error(message)
        self._on_table_selection_changed()

    # -- delete and verify --------------------------------------------------------------

    def _on_delete_clicked(self) -> None:
        model = self.selected()
        if model is None:
            return
        if model.referenced:
            title = translate("ModelsDialog", "Remove from the library?")
            text = translate("ModelsDialog", "Remove %1 from Cove's library? The file itself "
                                             "stays where it is:\n%2")
            text = text.replace("%1", model.name).replace("%2", str(model.path))
        else:
            title = translate("ModelsDialog", "Delete the model?")
            text = translate("ModelsDialog", "Delete %1? This frees %2 of disk space. To use "
                                             "it again you will have to download it again.")
            text = text.replace("%1", model.name).replace("%2", size_text(model.size_bytes))
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
            self._show_error(str(exc) if isinstance(exc, LibraryError) else translate(
                "ModelsDialog", "%1 could not be deleted: %2").replace("%1", model.name)
                .replace("%2", exc.strerror or str(exc)))
            return
        self._set_status(done)
        self.refresh()
        self.library_changed.emit()

    def _on_verify_clicked(self) -> None:
        model = self.selected()
        if model is not None:
            self.verify(model)

    def verify(self, model: LocalModel) -> Task[Any]:
        """Re-check a model in the background, with progress; the verdict shows below
        the list."""
        self.shown_wanted.emit()
        self._set_status(translate("ModelsDialog", "Verifying %1…").replace("%1", model.name))
        self.task_bar.setRange(0, 1000)
        self.task_bar.setValue(0)
        self.task_bar.show()
        task = self._run(lambda progress: self.library.verify(model, progress),
                         self._on_verify_succeeded, self._on_verify_failed,
                         translate("ModelsDialog", "%1 could not be read; details are in "
                                                   "the log file.").replace("%1", model.name),
                         kind="verify",
                         on_progress=self._on_verify_progressed)
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

    # -- helpers ------------------------------------------------------------------------

    def _run(self, work: Callable[..., Any], on_done: Callable[[Any], None],
             on_failed: Callable[[str], None], fallback: str, kind: str = "",
             on_progress: Callable[[int, int], None] | None = None) -> Task[Any]:
        """``work`` off the GUI thread (with ``on_progress``: ``work(report)``); a
        LibraryError's message, or else ``fallback`` (the details go to the log),
        reaches ``on_failed``."""
        def failed(exc: BaseException) -> None:
            if not isinstance(exc, LibraryError):
                log.error("A background task of the Models window failed", exc_info=exc)
            on_failed(str(exc) if isinstance(exc, LibraryError) else fallback)

        self._tasks = [(k, t) for k, t in self._tasks if not t.done]
        task = run_in_background(work, on_done, failed, on_progress=on_progress, parent=self,
                                 name=f"cove-{kind or 'library'}")
        self._tasks.append((kind, task))
        return task

    def _tasks_of(self, kind: str) -> list[Task[Any]]:
        return [t for k, t in self._tasks if k == kind and not t.done]

    @property
    def busy(self) -> bool:
        """Whether a model is being added or verified."""
        return bool(self._tasks_of("verify") or self._tasks_of("import"))

    def wait_for_tasks(self, timeout: float = 30.0) -> None:
        """Wait for background work (for tests and for a clean close)."""
        for _kind, task in self._tasks:
            task.wait(timeout)

    def cancel_verification(self) -> None:
        """A 60 GB checksum is not worth waiting for when the window closes."""
        for task in self._tasks_of("verify"):
            task.cancel()

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
