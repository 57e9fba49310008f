"""The sidebar: new chat, search over every message, the conversations (pinned first,
then newest first), the bar that undoes a delete, and the menu that exports and imports
conversations.

It shows what it is given and reports what the user asked for; the window talks to the
history. Search results replace the list while the search field has text.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.chats import search as search_query
from app.ui.widgets import theme
from app.ui.widgets.icons import icon
from app.ui.widgets.plain import plain_label, tooltip

ID_ROLE = Qt.ItemDataRole.UserRole
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2  # a search result, its matches highlighted
MARK_LIGHT, MARK_DARK = "#fbe3a0", "#6b5518"  # behind a matched word, as a marker pen
MIN_WIDTH = 200  # the sidebar never squeezes below this; the window's minimum counts it
SEARCH_DELAY_MS = 150
UNDO_MS = 10_000


class Sidebar(QWidget):
    """Conversations and search.

    Signals:
        new_chat_requested()
        conversation_selected(object): a conversation id.
        search_changed(str): the query (empty: back to the list); debounced.
        hit_selected(object, object): conversation id and message id of a search result.
        rename_requested(object, str)
        pin_requested(object, bool)
        delete_requested(object)
        undo_requested(object)
        export_requested(object): a conversation id, to save it as a file.
        export_all_requested()
        import_requested()
        escape_pressed(): Esc in the search field when there was nothing to clear (the
            window moves on to the message box).
    """

    new_chat_requested = Signal()
    conversation_selected = Signal(object)
    search_changed = Signal(str)
    hit_selected = Signal(object, object)
    rename_requested = Signal(object, str)
    pin_requested = Signal(object, bool)
    delete_requested = Signal(object)
    undo_requested = Signal(object)
    export_requested = Signal(object)
    export_all_requested = Signal()
    import_requested = Signal()
    escape_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(MIN_WIDTH)

        self.new_button = QPushButton(icon("new-chat"), self.tr("New chat"), self)
        self.new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        self.new_button.setAccessibleName(self.tr("New chat"))
        self.new_button.setFlat(True)
        self.new_button.setStyleSheet("text-align: left; padding: 7px 8px;")
        self.new_button.clicked.connect(self.new_chat_requested)

        self.search = QLineEdit(self)
        self.search.setObjectName("searchField")
        self.search.setPlaceholderText(self.tr("Search all chats (Ctrl+K)"))
        self.search.setAccessibleName(self.tr("Search all chats"))
        self.search.setClearButtonEnabled(True)
        lens = self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        lens.setText(self.tr("Search"))
        lens.triggered.connect(self.focus_search)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.installEventFilter(self)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(
            lambda: self.search_changed.emit(self.search.text().strip()))

        self.list = QListWidget(self)
        self.list.setObjectName("conversationList")
        self.list.setAccessibleName(self.tr("Conversations"))
        self.list.setIconSize(QSize(14, 14))
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._on_list_menu)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self.list.itemChanged.connect(self._on_list_item_changed)
        self.list.installEventFilter(self)

        self.results = QListWidget(self)
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName(self.tr("Search results"))
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setResizeMode(QListView.ResizeMode.Adjust)
        self.results.setItemDelegate(HitDelegate(self.results))
        self.results.itemActivated.connect(self._on_result_activated)
        self.results.itemClicked.connect(self._on_result_activated)
        self.results.hide()
        self.no_results = QLabel(self.tr("Nothing found."), self)
        self.no_results.setProperty("muted", True)
        self.no_results.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_results.hide()

        self.undo_bar = QFrame(self)
        self.undo_bar.setObjectName("undoBar")
        self.undo_label = plain_label(QLabel(self.undo_bar))
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton(icon("undo"), self.tr("Undo"), self.undo_bar)
        self.undo_button.setAccessibleName(self.tr("Undo delete"))
        self.undo_button.clicked.connect(self._on_undo_clicked)
        undo_row = QHBoxLayout(self.undo_bar)
        undo_row.setContentsMargins(10, 6, 6, 6)
        undo_row.addWidget(self.undo_label, 1)
        undo_row.addWidget(self.undo_button)
        self.undo_bar.hide()
        self._undo_id: Any = None
        self._undo_timer = QTimer(self)
        self._undo_timer.setSingleShot(True)
        self._undo_timer.timeout.connect(self.hide_undo)

        self.settings_button = QToolButton(self)
        self.settings_button.setIcon(icon("sliders"))
        self.settings_button.setText(self.tr("Settings"))
        self.settings_button.setToolTip(self.tr("Settings (Ctrl+,)"))
        self.settings_button.setAccessibleName(self.tr("Settings"))
        self.settings_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        # Export and import. The window adds export_action to itself too, so that its
        # shortcut works while the sidebar is hidden.
        self.export_action = QAction(icon("download"), self.tr("Export conversation…"), self)
        self.export_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.export_action.setEnabled(False)
        self.export_action.triggered.connect(self._on_export_triggered)
        self.export_all_action = QAction(self.tr("Export all conversations…"), self)
        self.export_all_action.triggered.connect(self.export_all_requested)
        self.import_action = QAction(icon("folder"), self.tr("Import conversations…"), self)
        self.import_action.triggered.connect(self.import_requested)
        self.history_menu = QMenu(self)
        self.history_menu.addActions([self.export_action, self.export_all_action])
        self.history_menu.addSeparator()
        self.history_menu.addAction(self.import_action)
        self.history_button = QToolButton(self)
        self.history_button.setIcon(icon("more"))
        self.history_button.setToolTip(self.tr("Export and import conversations"))
        self.history_button.setAccessibleName(self.tr("Export and import conversations"))
        self.history_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.history_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.history_button.setMenu(self.history_menu)
        bottom_row = QHBoxLayout()
        bottom_row.setContentsMargins(0, 0, 0, 0)
        bottom_row.addWidget(self.settings_button)
        bottom_row.addStretch(1)
        bottom_row.addWidget(self.history_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.setSpacing(8)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.no_results)
        layout.addStretch(0)
        layout.addWidget(self.undo_bar)
        layout.addLayout(bottom_row)
        self._filling = False

    # -- the list -----------------------------------------------------------------------
    def set_conversations(self, conversations: Sequence[Any], current: Any = None) -> None:
        """Show ``conversations`` (already in order: pinned first, newest first); those
        other programs held through the local API (``from_app`` set) come last, under
        the heading "From other apps"."""
        self._filling = True
        try:
            self.list.clear()
            own = [c for c in conversations if getattr(c, "from_app", None) is None]
            others = [c for c in conversations if getattr(c, "from_app", None) is not None]
            for conv in own:
                self._add(conv, current)
            if others:
                heading = QListWidgetItem(self.tr("From other apps"))
                heading.setFlags(Qt.ItemFlag.NoItemFlags)  # a heading, not a chat
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                self.list.addItem(heading)
            for conv in others:
                self._add(conv, current, self._from(conv.from_app))
        finally:
            self._filling = False
        self._update_export_action()

    def _add(self, conv: Any, current: Any, origin: str = "") -> None:
        item = QListWidgetItem(self._title(conv))
        item.setData(ID_ROLE, conv.id)
        item.setData(MESSAGE_ROLE, bool(conv.pinned))
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        item.setToolTip(tooltip("\n".join(t for t in (self._title(conv), origin) if t)))
        notes = [origin] if origin else []
        if conv.pinned:
            item.setIcon(icon("pin"))
            notes.append(self.tr("Pinned"))
        if notes:
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, ", ".join(notes))
        self.list.addItem(item)
        if conv.id == current:
            self.list.setCurrentItem(item)

    def _from(self, app: str) -> str:
        """Which program held a conversation, as the tooltip says it."""
        return self.tr("From {app}").format(app=app) if app else \
            self.tr("From another app")

    def _title(self, conv: Any) -> str:
        return conv.title or self.tr("New chat")

    def select(self, conversation_id: Any) -> None:
        self._filling = True
        try:
            for row in range(self.list.count()):
                item = self.list.item(row)
                if item.data(ID_ROLE) == conversation_id:
                    self.list.setCurrentItem(item)
                    return
            self.list.setCurrentRow(-1)
        finally:
            self._filling = False
            self._update_export_action()

    def item_for(self, conversation_id: Any) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == conversation_id:
                return item
        return None

    def start_rename(self, conversation_id: Any) -> None:
        item = self.item_for(conversation_id)
        if item is not None:
            self.list.editItem(item)

    def _on_list_current_changed(self, current: QListWidgetItem | None,
                                 _previous: QListWidgetItem | None) -> None:
        if current is not None and not self._filling and current.data(ID_ROLE) is not None:
            self.conversation_selected.emit(current.data(ID_ROLE))

    def _on_list_item_changed(self, item: QListWidgetItem) -> None:
        if self._filling:
            return
        title = item.text().strip()
        if title:
            self.rename_requested.emit(item.data(ID_ROLE), title)

    def _on_list_menu(self, pos: Any) -> None:
        item = self.list.itemAt(pos)
        if item is None or item.data(ID_ROLE) is None:  # nothing, or a heading
            return
        self.menu_for(item).popup(self.list.viewport().mapToGlobal(pos))

    def menu_for(self, item: QListWidgetItem) -> QMenu:
        conv_id = item.data(ID_ROLE)
        pinned = bool(item.data(MESSAGE_ROLE))
        menu = QMenu(self)
        rename = QAction(icon("pencil"), self.tr("Rename"), menu)
        rename.triggered.connect(lambda: self.list.editItem(item))
        pin = QAction(icon("pin"), self.tr("Unpin") if pinned else self.tr("Pin"), menu)
        pin.triggered.connect(lambda: self.pin_requested.emit(conv_id, not pinned))
        export = QAction(icon("download"), self.tr("Export conversation…"), menu)
        export.triggered.connect(lambda: self.export_requested.emit(conv_id))
        delete = QAction(icon("trash"), self.tr("Delete"), menu)
        delete.triggered.connect(lambda: self.delete_requested.emit(conv_id))
        menu.addActions([rename, pin, export])
        menu.addSeparator()
        menu.addAction(delete)
        return menu

    # -- export and import --------------------------------------------------------------
    def _update_export_action(self) -> None:
        """Exporting needs a conversation on screen (a new chat has none yet)."""
        self.export_action.setEnabled(self.list.currentItem() is not None)

    def _on_export_triggered(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.export_requested.emit(item.data(ID_ROLE))

    # -- search -------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_search_text_changed(self, text: str) -> None:
        if not text.strip():
            self._search_timer.stop()
            self.show_results(None)
            self.search_changed.emit("")
        else:
            self._search_timer.start()

    def show_results(self, hits: Sequence[Any] | None, query: str = "") -> None:
        """Search hits, or None to go back to the conversation list; the words of
        ``query`` are highlighted where they occur in each hit."""
        searching = hits is not None
        self.list.setVisible(not searching)
        self.results.setVisible(searching and bool(hits))
        self.no_results.setVisible(searching and not hits)
        self.results.clear()
        terms = search_query.parse(query).terms
        for hit in hits or []:
            snippet = " ".join(hit.snippet.split())
            title = hit.title or self.tr("New chat")
            item = QListWidgetItem(f"{title}\n{snippet}")
            item.setData(ID_ROLE, hit.conversation_id)
            item.setData(MESSAGE_ROLE, hit.message_id)
            item.setData(HTML_ROLE, f"<b>{highlighted(title, terms)}</b><br>"
                                    f"{highlighted(snippet, terms)}")
            item.setToolTip(tooltip(snippet))
            self.results.addItem(item)

    def _on_result_activated(self, item: QListWidgetItem) -> None:
        self.hit_selected.emit(item.data(ID_ROLE), item.data(MESSAGE_ROLE))

    def _on_search_escape(self) -> None:
        """Esc in the search field clears it; pressed again, it leaves the field."""
        if self.search.text():
            self.search.clear()
        else:
            self.escape_pressed.emit()

    # -- undo ---------------------------------------------------------------------------
    def show_undo(self, conversation_id: Any, title: str) -> None:
        self._undo_id = conversation_id
        self.undo_label.setText(self.tr("“%1” deleted.").replace(
            "%1", title or self.tr("New chat")))
        self.undo_bar.show()
        self._undo_timer.start(UNDO_MS)

    def hide_undo(self) -> None:
        self._undo_timer.stop()
        self.undo_bar.hide()
        self._undo_id = None

    def _on_undo_clicked(self) -> None:
        conv_id = self._undo_id
        self.hide_undo()
        if conv_id is not None:
            self.undo_requested.emit(conv_id)

    # -- keys ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and isinstance(event, QKeyEvent) and \
                event.type() == QEvent.Type.ShortcutOverride and \
                event.key() == Qt.Key.Key_Escape:
            event.accept()  # Esc here is the field's: no window shortcut takes it
            return True
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            if watched is self.list:
                item = self.list.currentItem()
                if item is not None and item.data(ID_ROLE) is not None and \
                        self.list.state() != \
                        QListWidget.State.EditingState:
                    if event.key() == Qt.Key.Key_F2:
                        self.list.editItem(item)
                        return True
                    if event.key() == Qt.Key.Key_Delete:
                        self.delete_requested.emit(item.data(ID_ROLE))
                        return True
            elif watched is self.search and event.key() == Qt.Key.Key_Escape:
                self._on_search_escape()
                return True
            elif watched is self.search and event.key() in (Qt.Key.Key_Down,
                                                             Qt.Key.Key_Return):
                target = self.results if self.results.isVisible() else self.list
                if target.count():
                    target.setFocus()
                    if target.currentRow() < 0:
                        target.setCurrentRow(0)
                    if event.key() == Qt.Key.Key_Return and target is self.results:
                        self._on_result_activated(target.item(max(0, target.currentRow())))
                return True
        return super().eventFilter(watched, event)


def highlighted(text: str, terms: Sequence[str]) -> str:
    """``text`` as HTML (escaped: a message is never markup) with each occurrence of
    ``terms`` (case-insensitive) marked."""
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    if len(lowered) == len(text):  # else offsets would not line up (rare case folds)
        for term in terms:
            needle = term.lower()
            start = lowered.find(needle) if needle else -1
            while start >= 0:
                spans.append((start, start + len(needle)))
                start = lowered.find(needle, start + len(needle))
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    colours = theme.current()
    marker = MARK_DARK if colours.dark else MARK_LIGHT
    mark = f"<span style=\"background-color:{marker}; color:{colours.text}\">"
    out, at = [], 0
    for start, end in merged:
        out.append(html.escape(text[at:start]))
        out.append(mark + html.escape(text[start:end]) + "</span>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


class HitDelegate(QStyledItemDelegate):
    """Paints a search result as rich text (its title, and the snippet with the matched
    words highlighted), wrapped to the list's width: it never asks for more width."""

    def _document(self, option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(4)
        doc.setHtml(str(index.data(HTML_ROLE) or html.escape(str(index.data() or ""))))
        doc.setTextWidth(max(40, width))
        return doc

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        if isinstance(view, QListView):
            return view.viewport().width() - 2 * view.spacing()
        return option.rect.width()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        doc = self._document(option, index, self._width(option))
        return QSize(40, int(doc.size().height()) + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = opt.rect
        doc = self._document(opt, index, rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(0, 0, rect.width(), rect.height())
        doc.documentLayout().draw(painter, context)
        painter.restore()
