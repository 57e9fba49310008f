"""The main window: wiring and layout, nothing that decides.

The sidebar, the top bar, the chat column and the message box are joined here to the
parts that do the work: the conversation session (:class:`app.session.service.Session`:
send, stop, regenerate, the answer saved as it grows), which the chat column shows
(:class:`ConversationView`); the model in use (:class:`ModelControl` over the
:class:`EngineBridge`); the documents of conversations (:class:`ConversationDocuments`,
their chips in :class:`Attachments`); export and import (:class:`HistoryFiles`); the
dialogs (:class:`Dialogs`). The window reacts to the session's change notices (the
sidebar lists the conversations again when they change) instead of refreshing by hand.
"""

from __future__ import annotations

import itertools
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.config import paths
from app.config.settings import Settings
from app.documents.answering import ConversationDocuments
from app.session.service import Session
from app.ui.chat import markdown_view as markdown
from app.ui.chat.attachments import Attachments
from app.ui.chat.chatview import COLUMN_WIDTH, ChatView
from app.ui.chat.composer import Composer
from app.ui.chat.conversation_view import MODELS, ConversationView
from app.ui.chat.too_long import TooLong
from app.ui.dialogs.opener import Dialogs
from app.ui.language import user_errors as errors
from app.ui.services.api_control import ApiControl
from app.ui.services.bridge import EngineBridge
from app.ui.services.conversation_tools import ConversationToolShelf
from app.ui.services.history_files import HistoryFiles
from app.ui.services.model_control import ModelControl
from app.ui.services.preferences import Preferences
from app.ui.services.sidebar_control import SidebarControl
from app.ui.services.tasks import call_soon_on_gui
from app.ui.widgets.sidebar import Sidebar
from app.ui.widgets.topbar import TopBar

if TYPE_CHECKING:
    from app.chats.store import ChatStore
    from app.engine.model_info import ModelInfo
    from app.engine.servers import ServerStore
    from app.ui.services.model_downloads import ModelDownloads

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Without a history (``store`` None) the window is only its frame, its message box
    waiting ("Opening your history…"; what is typed there stays): Cove's start shows it
    so, then opens the history and gives it with :meth:`open_history` (app.ui.app).

    Signals:
        generation_finished(object): the message id of an answer that just ended.
    """

    generation_finished = Signal(object)
    history_open = False  # open_history has joined the parts that work on the history

    def __init__(self, store: ChatStore | None, settings: Settings | None = None,
                 bridge: EngineBridge | None = None, settings_file: Path | None = None,
                 model_path: str | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.settings_file = settings_file
        self.bridge = bridge or EngineBridge(self)
        if self.bridge.parent() is None:
            self.bridge.setParent(self)
        self._closed = False
        self._quit_confirmed = False
        self.prefs = Preferences(self)
        self.apply_settings, self.save_settings = self.prefs.apply, self.prefs.save
        self._layout()
        self._model_path = model_path
        if store is None:
            self.composer.set_ready(False, self.tr("Opening your history…"))
            self.composer.input.setFocus()
        else:
            self.open_history(store)

    def open_history(self, store: ChatStore) -> None:
        """Join the parts that work on the history, show a new chat, load the model."""
        self.store = store
        self.documents = ConversationDocuments.beside(store.db_path, key=store.key)
        self.documents.set_embedding_source(_embedding_model)
        self.tools = ConversationToolShelf(lambda: self.settings, self.documents,
                                           lambda: self.session.answering_in, self,
                                           composer=self.composer, store=store)
        self.session = Session(store, self.bridge, self.documents, self.prefs.answer_options,
                               call_soon_on_gui(self), tools=self.tools.tools_for,
                               tool_limits=self.tools.limits())
        self.models = ModelControl(self.bridge, self.topbar, self.composer, self.settings,
                                   lambda: self.session.generating, self)
        self.load_model, self.use_server = self.models.load, self.models.use_server
        self.choose_model_file = self.models.choose_file
        self.attachments = Attachments(self.documents, lambda: self.view.ensure_conversation(),
                                       self)
        self.view = ConversationView(self.session, self.chat, self.topbar, self.composer,
                                     self.attachments, self.models, self)
        self.too_long = TooLong(self.view, self.attachments)
        self.send, self.stop = self.view.send, self.session.stop
        self.files = HistoryFiles(store, self, self.session.import_json)
        self.history = SidebarControl(self.session, self.sidebar, self.view, self.files, self)
        self.refresh_sidebar, self.open_conversation = self.history.refresh, self.history.open
        self.export_conversation = self.history.export
        self.dialogs = d = Dialogs(self)
        self.open_models, self.open_servers = d.open_models, d.open_servers
        self.open_computer, self.open_welcome = d.open_computer, d.open_welcome
        self._connect()
        self._shortcuts()
        self.new_chat()
        self.api = ApiControl(self)  # Settings › Other apps: the local API
        self.history_open = True
        QTimer.singleShot(800, markdown.preload)
        path = self._model_path or self.settings.model_path
        if path and self.models.model is None and os.path.exists(path):
            self.load_model(path)

    def _layout(self) -> None:
        self.setWindowTitle("Cove")
        self.resize(1200, 800)
        self.sidebar = Sidebar(self)
        self.topbar = TopBar(self)
        self.chat = ChatView(self)
        self.composer = Composer(self)
        self.composer.set_effort(self.settings.default_effort)
        self.composer.setMaximumWidth(COLUMN_WIDTH - 32)
        main = QWidget(self)
        main.setObjectName("main")
        main.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        composer_row = QHBoxLayout()
        composer_row.setContentsMargins(16, 0, 16, 14)
        composer_row.addStretch(1)
        composer_row.addWidget(self.composer, 100)
        composer_row.addStretch(1)
        column = QVBoxLayout(main)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.topbar)
        column.addWidget(self.chat, 1)
        column.addLayout(composer_row)
        self.splitter = QSplitter(self)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(main)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setHandleWidth(1)
        self.splitter.setSizes([self.settings.sidebar_width, 1200])
        self.splitter.splitterMoved.connect(self.prefs.splitter_moved)
        self.setCentralWidget(self.splitter)
        order = [self.sidebar.new_button, self.sidebar.search, self.sidebar.list,
                 self.composer.input, self.composer.effort, self.composer.send_button,
                 self.topbar.model_button, self.topbar.prompt_button,
                 self.sidebar.settings_button, self.sidebar.history_button]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

    # -- wiring -------------------------------------------------------------------------
    def _connect(self) -> None:
        sb, d = self.sidebar, self.dialogs
        sb.new_chat_requested.connect(self.new_chat)
        sb.settings_button.clicked.connect(self.open_settings)
        sb.escape_pressed.connect(lambda: self.composer.input.setFocus())
        menu = sb.history_menu
        menu.addSeparator()
        menu.addAction(self.tr("Models…"), d.open_models)
        menu.addAction(self.tr("Servers…"), d.open_servers)
        menu.addAction(self.tr("Tools…"), d.open_tools)
        menu.addAction(self.tr("This computer…"), d.open_computer)
        menu.addAction(self.tr("Get started…"), d.open_welcome)
        tb = self.topbar
        tb.open_model_requested.connect(self.choose_model_file)
        tb.model_chosen.connect(self.load_model)
        tb.server_chosen.connect(self.use_server)
        tb.servers_requested.connect(d.open_servers)
        tb.server_source = lambda: self.server_store.servers()
        tb.system_prompt_requested.connect(d.edit_system_prompt)
        tb.sidebar_toggled.connect(lambda: self.sidebar.setVisible(not self.sidebar.isVisible()))
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop)
        self.composer.input.model_dropped.connect(self.load_model)
        self.composer.input.drop_failed.connect(
            lambda text: self.view.notice(self.tr("That file cannot be used"), text, []))
        self.attachments.hook(self.composer, self.chat, self.load_model)
        self.models.changed.connect(self._on_model_changed)
        self.models.failed.connect(self.view.notice)
        self.models.refused.connect(self.view.notice)
        self.models.path_chosen.connect(self._on_model_path_chosen)
        self.view.action.connect(self._on_action)
        self.view.tool_requested.connect(self.tools.requested)
        self.view.opened.connect(self.tools.opened)
        self.view.answer_finished.connect(lambda answer_id, _e:
                                          self.generation_finished.emit(answer_id))
        self.too_long.longer_context.connect(self._use_longer_context)

    def _shortcuts(self) -> None:
        def add(keys: QKeySequence | QKeySequence.StandardKey | str, slot: Any) -> QShortcut:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)
            return shortcut

        add("Ctrl+N", self.new_chat)
        add("Ctrl+K", self.sidebar.focus_search)
        add(QKeySequence.StandardKey.Find, self.sidebar.focus_search)
        # Esc is not a window shortcut: it goes to what has focus first (the search
        # field clears, a message being edited is cancelled) and only what nobody
        # took reaches keyPressEvent, which stops the answer.
        add("Ctrl+Shift+C", self.copy_last_answer)
        add("Ctrl+,", self.open_settings)
        add("Ctrl+O", self.choose_model_file)
        quit_keys = {QKeySequence("Ctrl+Q").toString()}
        quit_keys |= {k.toString() for k in QKeySequence.keyBindings(
            QKeySequence.StandardKey.Quit) if not k.isEmpty()}
        for keys in sorted(quit_keys):  # one shortcut per key: a duplicate is ambiguous
            add(keys, self.quit)
        self.addAction(self.sidebar.export_action)  # its shortcut, also without the sidebar

    # -- state, for the parts and the tests ----------------------------------------------
    @property
    def conversation_id(self) -> int | None:
        """The conversation on screen (None: a new, empty chat)."""
        return self.view.conversation_id

    @property
    def generating(self) -> bool:
        return self.history_open and self.session.generating

    @property
    def model_info(self) -> ModelInfo | None:
        """The model that answers (None: none is loaded)."""
        return self.models.model

    @property
    def downloads(self) -> ModelDownloads:
        return self.dialogs.downloads

    @property
    def server_store(self) -> ServerStore:
        return self.models.server_store

    @server_store.setter
    def server_store(self, store: ServerStore) -> None:
        self.models.server_store = store

    # -- conversations ------------------------------------------------------------------
    @Slot()
    def new_chat(self) -> None:
        self.view.show_new()
        self.composer.input.setFocus()

    def set_system_prompt(self, text: str | None) -> None:
        """The instructions of the conversation on screen (created if it is new)."""
        conversation_id = self.view.ensure_conversation()
        if conversation_id is not None:
            self.view.guard(self.session.set_instructions, conversation_id, text)

    # -- answers (the session decides; the view shows) -------------------------------------
    @Slot()
    def copy_last_answer(self) -> None:
        answer = self.view.copy_last_answer()
        if answer:
            QGuiApplication.clipboard().setText(answer)

    def show_notice(self, title: str, text: str,
                    actions: list[tuple[str, str]] | None = None) -> None:
        """A card in the chat that is not a message (it is not saved)."""
        self.view.notice(title, text, actions or [])

    def _on_action(self, action: str) -> None:
        if action == errors.OPEN_MODEL:
            self.topbar.model_button.showMenu()
        elif action == errors.SETTINGS:
            self.open_settings()
        elif action == errors.RETRY:
            self.view.retry()
        elif action == errors.SERVERS:
            self.dialogs.open_servers()
        elif action == MODELS:
            self.dialogs.open_models()
        elif action == errors.RESTART:
            self.bridge.restart()
        else:
            self.too_long.act(action)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc that no focused widget took: it stops the answer being written, unless
        the focus is in the sidebar (Esc there is about the sidebar, not the answer)."""
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == \
                Qt.KeyboardModifier.NoModifier:
            focus = QApplication.focusWidget()
            in_sidebar = focus is not None and self.sidebar.isAncestorOf(focus)
            if self.generating and not in_sidebar:
                self.stop()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- the model ----------------------------------------------------------------------
    def _on_model_changed(self) -> None:
        self.dialogs.model_changed(self.models.model)
        if self.view.empty is not None:  # says what is happening, not how to get one
            self.view.show_empty()
        elif not self.models.busy:
            self.view.show_stats(None)

    def _on_model_path_chosen(self, path: str) -> None:
        self.settings.model_path = path
        self.save_settings()

    def _use_longer_context(self, n_ctx: int) -> None:
        new = Settings.from_json(self.settings.to_json())
        new.n_ctx = n_ctx
        self.apply_settings(new)  # reloads the model with it

    # -- settings -----------------------------------------------------------------------
    @Slot()
    def open_settings(self) -> None:
        new = self.dialogs.settings()
        if new is not None:
            self.apply_settings(new)

    forget_on_close = False  # read by app.ui.app once the window has closed

    @Slot()
    def forget_everything(self) -> None:
        """Settings › Forget everything (asked twice there): close, then app.ui.app
        erases the history, documents and key, and starts Cove again, empty."""
        self.forget_on_close = True
        QTimer.singleShot(0, self.close)

    # -- closing ------------------------------------------------------------------------
    @Slot()
    def quit(self) -> None:
        """Ctrl+Q (or the platform's quit keys): close Cove, asking first only when an
        answer is being written."""
        if self.generating and not self._confirm_quit():
            return
        self._quit_confirmed = True
        self.close()

    def _confirm_quit(self) -> bool:
        answer = QMessageBox.question(
            self, self.tr("Quit Cove?"),
            self.tr("An answer is being written. If you quit now it stops; what is "
                    "written so far is kept, marked as stopped."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed:  # closed once already (the engine and history are let go)
            super().closeEvent(event)
            return
        # The window's close button asks as Ctrl+Q does (a program closing the window
        # does not: it is not a person who might lose an answer by a slip).
        if event.spontaneous() and self.generating and not self._quit_confirmed and \
                not self._confirm_quit():
            event.ignore()
            return
        self._closed = True
        if self.history_open:
            self.session.close()  # the answer kept as stopped; deleted conversations purged
            self.tools.close()  # MCP servers stop
            self.dialogs.close()
            self.attachments.close()
            self.documents.close()
        self.save_settings()
        self.bridge.close()
        super().closeEvent(event)


def _embedding_model() -> Path | None:
    """The embedding model in Cove's models folder, if one was downloaded (read on the
    documents' thread)."""
    from app.models.library import Library

    model = Library(paths.models_dir()).embedding_model()
    return model.path if model is not None else None
