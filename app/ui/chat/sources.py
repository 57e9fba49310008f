"""Under an answer about the documents: the passages it drew on (file, page, a line of
the passage), each opening the passage and then its file (a PDF at its page), or a
note that the documents do not hold the answer."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QResizeEvent
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from app.documents import Context, Source
from app.documents.answering import MAX_SOURCES
from app.documents.context import RETRIEVED
from app.ui.widgets.plain import plain_box, tooltip


class _ElidedButton(QPushButton):
    """A flat button whose one line of text ends in "…" where the column ends (the
    full text is its accessible name and, with the passage, its tooltip)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.full_text = text
        self.setAccessibleName(text)
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        room = max(20, self.width() - 12)
        self.setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                                   room))


class SourcesView(QWidget):
    """Under an answer: the passages it drew on (file, page, a line of the passage),
    or that the documents do not hold the answer.

    Signals:
        read_whole_requested(): "Read the whole document" (passages were given because
            reading it whole first would have taken long).
    """

    read_whole_requested = Signal()

    def __init__(self, context: Context, answer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sources")
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.buttons: list[QPushButton] = []
        self.not_found: QLabel | None = None
        self.still_reading: QLabel | None = None
        if context.mode == RETRIEVED and not context.found:
            self.not_found = QLabel(self.tr("Not found in your documents"), self)
            self.not_found.setProperty("muted", True)
            layout.addWidget(self.not_found)
        if context.notes:
            self.still_reading = QLabel(self.tr(
                "Some documents were still being read: only what was read so far was "
                "searched."), self)
            self.still_reading.setWordWrap(True)
            self.still_reading.setProperty("muted", True)
            layout.addWidget(self.still_reading)
        self.read_whole: QPushButton | None = None
        if context.whole_seconds:
            slow = QLabel(self.tr(
                "Answered from the best passages: reading the whole document first would "
                "have taken about %1 min.").replace(
                    "%1", str(max(1, round(context.whole_seconds / 60)))), self)
            slow.setWordWrap(True)
            slow.setProperty("muted", True)
            layout.addWidget(slow)
            self.read_whole = QPushButton(self.tr("Read the whole document"), self)
            self.read_whole.setToolTip(self.tr(
                "Cove reads it in the background; the next question uses all of it."))
            self.read_whole.clicked.connect(self._on_read_whole)
            layout.addWidget(self.read_whole, 0, Qt.AlignmentFlag.AlignLeft)
        sources = context.cited(answer) or list(context.sources)
        if sources:
            title = QLabel(self.tr("Sources"), self)
            title.setProperty("muted", True)
            layout.addWidget(title)
        for source in sources[:MAX_SOURCES]:
            button = _ElidedButton(source_label(source), self)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setToolTip(tooltip(source.passage[:400]))
            button.setStyleSheet("text-align: left;")
            button.clicked.connect(lambda _=False, s=source: self.show_passage(s))
            layout.addWidget(button)
            self.buttons.append(button)
        self.dialog: QMessageBox | None = None
        self.notice: QMessageBox | None = None  # what "Open file" had to say, if anything

    def _on_read_whole(self) -> None:
        assert self.read_whole is not None
        self.read_whole.setEnabled(False)
        self.read_whole.setText(self.tr("Reading the whole document in the background…"))
        self.read_whole_requested.emit()

    def show_passage(self, source: Source) -> QMessageBox:
        box = plain_box(QMessageBox(self))
        box.setWindowTitle(source_label(source, passage=False))
        box.setText(source.passage)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = box.addButton(self.tr("Open file"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        open_button.clicked.connect(lambda: self.open_source(source))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.dialog = box
        return box

    def open_source(self, source: Source) -> QMessageBox | None:
        """Open the source's file in the app the system has for it; when there is none
        (or the file is gone), say so instead of doing nothing, and offer its folder.
        Returns the message shown, if one was."""
        path = Path(source.path)
        if not path.is_file():
            return self._say(self.tr("The file is not there any more"), self.tr(
                "%1 was moved or deleted. The passage Cove used is still shown here.")
                .replace("%1", str(path)), None)
        if QDesktopServices.openUrl(source_url(source)):
            return None
        return self._say(self.tr("No app to open this file"), self.tr(
            "This computer has no app set to open %1. Install one (a PDF reader, a word "
            "processor), or open the file from its folder.").replace("%1", path.name),
            path)

    def _say(self, title: str, text: str, folder_of: Path | None) -> QMessageBox:
        box = plain_box(QMessageBox(self))
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(title)
        box.setText(text)
        if folder_of is not None:
            show = box.addButton(self.tr("Show in folder"), QMessageBox.ButtonRole.ActionRole)
            show.clicked.connect(lambda: self._show_in_folder(folder_of))
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.notice = box
        return box

    def _show_in_folder(self, path: Path) -> None:
        """The file's folder in the file manager; failing that, where it is, in words."""
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))):
            self._say(self.tr("The folder could not be opened"), self.tr(
                "The file is %1").replace("%1", str(path)), None)


def source_url(source: Source) -> QUrl:
    """The file of a source; a PDF at the source's page (``#page=4``, which browsers and
    many PDF viewers follow; others open the file at its start)."""
    url = QUrl.fromLocalFile(source.path)
    if source.page is not None and Path(source.path).suffix.lower() == ".pdf":
        url.setFragment(f"page={source.page}")
    return url


def source_label(source: Source, passage: bool = True) -> str:
    """Where a passage is (file, page), and its beginning."""
    where = ""
    if source.page is not None:
        if source.page_end in (None, source.page):
            where = QCoreApplication.translate("Attachments", "page %1") \
                .replace("%1", str(source.page))
        else:
            where = QCoreApplication.translate("Attachments", "pages %1–%2") \
                .replace("%1", str(source.page)).replace("%2", str(source.page_end))
    elif source.heading:
        where = QCoreApplication.translate("Attachments", "section %1") \
            .replace("%1", source.heading)
    elif source.line is not None:
        where = QCoreApplication.translate("Attachments", "line %1") \
            .replace("%1", str(source.line))
    label = f"[{source.number}] {source.file}" + (f", {where}" if where else "")
    if passage:
        snippet = " ".join(source.passage.split())
        label += f" — “{snippet[:80]}{'…' if len(snippet) > 80 else ''}”"
    return label
