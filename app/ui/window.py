"""The main window: the sidebar, the top bar, the conversation and the message box.

It is the one place that joins the widgets to the history (:class:`ChatStore`) and to
the engine (:class:`EngineBridge`). Widgets report what the user asked for; the window
does it and shows the result. The engine never blocks it: every call to the model runs
on the bridge's thread and comes back as a signal. Files (export, import) are
:class:`HistoryFiles`'s.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QLocale, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.chats.errors import ChatStoreError
from app.chats.store import AnswerWriter, ChatStore, Conversation, Message
from app.config import paths
from app.config import settings as settings_mod
from app.config.settings import Settings
from app.engine import harmony, protocol
from app.engine.transcript import Reply
from app.ui import errors, markdown, theme
from app.ui.attachments import Attachments
from app.ui.bridge import EngineBridge
from app.ui.chatview import COLUMN_WIDTH, ChatView
from app.ui.composer import Composer
from app.ui.dialogs import SettingsDialog, SystemPromptDialog
from app.ui.empty import EmptyState
from app.ui.history_files import HistoryFiles
from app.ui.messages import AssistantMessage, UserMessage
from app.ui.plan_settings import load_options
from app.ui.sidebar import Sidebar
from app.ui.topbar import TopBar
from app.ui.wording import reason_text

if TYPE_CHECKING:
    # Imported when first opened: the download code (huggingface_hub), the HTTP client
    # and the hardware page cost time that the window's start should not pay.
    from app.engine.servers import ServerStore
    from app.ui.computer import ComputerDialog
    from app.ui.downloads import ModelDownloads

log = logging.getLogger(__name__)

# The too-long card's buttons, beside errors.RETRY and friends.
ATTACH_TEXT = "attach_text"
LONGER_CONTEXT = "longer_context"
ATTACH_MIN_CHARS = 2000  # a message this long is a pasted text, worth a document


@dataclass
class Generation:
    """The answer being written. ``widget`` is None while another conversation is on
    screen: the answer goes on being saved, and gets a widget again when its
    conversation is opened (``resumed`` then: the widget did not see it all)."""

    chat_id: int
    conversation_id: int
    writer: AnswerWriter
    widget: AssistantMessage | None
    reply: Reply = field(default_factory=Reply)
    started: float = field(default_factory=time.monotonic)
    resumed: bool = False
    # When the reasoning began and ended (monotonic), so a widget built again for this
    # answer shows its real thinking time rather than one counted from its rebuilding.
    reasoning_from: float | None = None
    reasoning_until: float | None = None


class MainWindow(QMainWindow):
    """Signals:
        generation_finished(object): the message id of an answer that just ended.
    """

    generation_finished = Signal(object)
    _save_failed = Signal(str)

    def __init__(self, store: ChatStore, settings: Settings | None = None,
                 bridge: EngineBridge | None = None, settings_file: Path | None = None,
                 model_path: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.settings = settings or Settings()
        self.settings_file = settings_file
        self.bridge = bridge or EngineBridge(self)
        if self.bridge.parent() is None:
            self.bridge.setParent(self)
        self.conversation_id: int | None = None
        self.generation: Generation | None = None
        self.model_info: dict[str, Any] = dict(self.bridge.info)
        self._loading_path: str | None = None
        self._empty: EmptyState | None = None
        self._notices: list[QWidget] = []
        self._closed = False
        self.files = HistoryFiles(store, self)
        self._downloads: ModelDownloads | None = None  # created when first needed
        self._computer: ComputerDialog | None = None
        self._server_store: ServerStore | None = None  # see server_store
        self._quit_confirmed = False
        self._queued_for: int | None = None
        self._too_long_for: int | None = None  # the answer whose question did not fit
        self._longer_ctx: int | None = None  # the context the too-long card offers
        # The sidebar width the user chose by dragging; a narrow window squeezing the
        # sidebar is not a choice, and is never saved.
        self._sidebar_width = self.settings.sidebar_width

        self.setWindowTitle("Cove")
        self.resize(1200, 800)
        self.sidebar = Sidebar(self)
        self.topbar = TopBar(self)
        self.chat = ChatView(self)
        self.composer = Composer(self)
        self.composer.set_effort(self.settings.default_effort)
        self.composer.setMaximumWidth(COLUMN_WIDTH - 32)
        self.attachments = Attachments(self.store.db_path.parent / "documents.db",
                                       self._ensure_conversation, self)
        self.attachments.set_embedding_source(_embedding_model)

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
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.setCentralWidget(self.splitter)

        self._connect()
        self._shortcuts()
        self.setTabOrder(self.sidebar.new_button, self.sidebar.search)
        self.setTabOrder(self.sidebar.search, self.sidebar.list)
        self.setTabOrder(self.sidebar.list, self.composer.input)
        self.setTabOrder(self.composer.input, self.composer.effort)
        self.setTabOrder(self.composer.effort, self.composer.send_button)
        self.setTabOrder(self.composer.send_button, self.topbar.model_button)
        self.setTabOrder(self.topbar.model_button, self.topbar.prompt_button)
        self.setTabOrder(self.topbar.prompt_button, self.sidebar.settings_button)
        self.setTabOrder(self.sidebar.settings_button, self.sidebar.history_button)

        self.refresh_sidebar()
        self.topbar.set_model(self.model_info or None)
        self._update_model_state()
        self.new_chat()
        QTimer.singleShot(800, markdown.preload)
        path = model_path or self.settings.model_path
        if path and not self.model_info and os.path.exists(path):
            self.load_model(path)

    # -- wiring -------------------------------------------------------------------------
    def _connect(self) -> None:
        sb = self.sidebar
        sb.new_chat_requested.connect(self.new_chat)
        sb.conversation_selected.connect(self.open_conversation)
        sb.search_changed.connect(self._on_sidebar_search_changed)
        sb.hit_selected.connect(self._on_sidebar_hit_selected)
        sb.rename_requested.connect(self.rename_conversation)
        sb.pin_requested.connect(self.pin_conversation)
        sb.delete_requested.connect(self.delete_conversation)
        sb.undo_requested.connect(self.undo_delete)
        sb.settings_button.clicked.connect(self.open_settings)
        sb.escape_pressed.connect(lambda: self.composer.input.setFocus())
        sb.export_requested.connect(self.export_conversation)
        sb.export_all_requested.connect(self.files.export_all)
        sb.import_requested.connect(self.files.import_file)
        self.files.imported.connect(self._on_files_imported)
        menu = sb.history_menu
        menu.addSeparator()
        menu.addAction(self.tr("Models…"), self.open_models)
        menu.addAction(self.tr("Servers…"), self.open_servers)
        menu.addAction(self.tr("This computer…"), self.open_computer)
        menu.addAction(self.tr("Get started…"), self.open_welcome)
        tb = self.topbar
        tb.open_model_requested.connect(self.choose_model_file)
        tb.model_chosen.connect(self.load_model)
        tb.server_chosen.connect(self.use_server)
        tb.servers_requested.connect(self.open_servers)
        tb.server_source = lambda: self.server_store.servers()
        tb.system_prompt_requested.connect(self.edit_system_prompt)
        tb.sidebar_toggled.connect(lambda: self.sidebar.setVisible(not self.sidebar.isVisible()))
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop)
        self.composer.queued_changed.connect(self._on_composer_queued_changed)
        self.composer.input.model_dropped.connect(self.load_model)
        self.composer.input.drop_failed.connect(
            lambda text: self._notice(self.tr("That file cannot be used"), text, []))
        self.attachments.hook(self.composer, self.chat, self.load_model)
        b = self.bridge
        b.loading.connect(self._on_bridge_loading)
        b.loaded.connect(self._on_bridge_loaded)
        b.load_failed.connect(self._on_bridge_load_failed)
        b.message.connect(self._on_bridge_message)
        b.finished.connect(self._on_bridge_finished)
        b.restarting.connect(self._on_bridge_restarting)
        self._save_failed.connect(self._on_save_failed)

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

    # -- conversations ------------------------------------------------------------------
    def refresh_sidebar(self) -> None:
        self.sidebar.set_conversations(self.store.conversations(), self.conversation_id)

    @Slot()
    def new_chat(self) -> None:
        """An empty chat; the conversation is created with its first message."""
        self.conversation_id = None
        self.attachments.show_conversation(None)
        self.sidebar.select(None)
        self.topbar.set_title(self.tr("New chat"))
        self._show_conversation_stats(None)
        self._unqueue()
        self._show_empty_state()
        self.composer.input.setFocus()

    def _show_empty_state(self) -> None:
        self._detach_answer()
        self.chat.clear()
        self._notices.clear()
        name = self.model_info.get("name") if self.model_info else None
        loading = Path(self._loading_path).stem if self._loading_path else None
        self._empty = EmptyState(name, self.chat.column, loading=loading)
        self._empty.open_model_requested.connect(self.topbar.model_button.showMenu)
        self._empty.download_requested.connect(self.open_models)
        self._empty.prompt_chosen.connect(self._on_empty_prompt_chosen)
        self.chat.show_widget(self._empty)
        self.chat.scroll_to_top()

    def _on_empty_prompt_chosen(self, text: str) -> None:
        self.composer.input.setPlainText(text)
        self.composer.input.setFocus()

    @Slot(object)
    def open_conversation(self, conversation_id: int, focus_message: int | None = None) -> None:
        conv = self._conversation(conversation_id)
        if conv is None or conv.deleted_at is not None:
            self.refresh_sidebar()
            return
        self.conversation_id = conversation_id
        self.attachments.show_conversation(conversation_id)
        self._empty = None
        self._notices.clear()
        self.sidebar.select(conversation_id)
        self.topbar.set_title(conv.title or self.tr("New chat"))
        self._detach_answer()
        gen = self.generation
        if gen is not None and gen.conversation_id == conversation_id:
            try:  # what the answer being written holds so far, for its new widget
                gen.writer.flush()
            except ChatStoreError as exc:
                log.warning("could not save the answer being written: %s", exc)
        messages = self._store_call(self.store.path, conversation_id) or []
        branches = self._store_call(self.store.branch_points, conversation_id) or {}
        busy = gen is not None
        streaming = messages[-1] if gen is not None and messages and \
            messages[-1].id == gen.writer.message_id else None
        self.chat.show_messages(
            messages[:-1] if streaming else messages,
            lambda m: self._widget_for(m, busy, branches.get(m.id, (1, 1))))
        if gen is not None and streaming is not None:  # live, as when it began
            self.chat.append(self._resume_answer(gen, streaming,
                                                 branches.get(streaming.id, (1, 1))))
        self._show_conversation_stats(
            next((m for m in reversed(messages) if m.role == "assistant"), None))
        self._unqueue()
        if not messages:
            self._show_empty_state()
        if focus_message is not None:
            self.chat.scroll_to(focus_message)

    def _show_conversation_stats(self, last: Message | None) -> None:
        """The top bar's context and speed for the conversation on screen: its last
        answer's, when the model now loaded wrote it; else the model's bare context
        (another model's speed or token count says nothing about this one)."""
        n_ctx = self.model_info.get("n_ctx") if self.model_info else None
        same_model = last is not None and bool(self.model_info) and \
            last.model == str(self.model_info.get("name") or "")
        if last is not None and same_model:
            self.topbar.set_speed(last.tokens_per_s)
            used = None if last.prompt_tokens is None else \
                (last.prompt_tokens or 0) + (last.completion_tokens or 0)
            self.topbar.set_context(used, n_ctx)
        else:
            self.topbar.set_speed(None)
            self.topbar.set_context(None, n_ctx)

    def _conversation(self, conversation_id: int | None) -> Conversation | None:
        if conversation_id is None:
            return None
        try:
            return self.store.conversation(conversation_id)
        except ChatStoreError:
            return None

    def _widget_for(self, message: Message, busy: bool = False,
                    place: tuple[int, int] = (1, 1)) -> UserMessage | AssistantMessage:
        widget: UserMessage | AssistantMessage
        if message.role == "user":
            widget = UserMessage(message.id, message.content, self.chat.column)
            widget.edit_submitted.connect(self.edit_and_resend)
        else:
            widget = AssistantMessage(message.id, self.chat.column)
            widget.load(message.content, message.reasoning, _shown_status(message.status),
                        message.error, message.reasoning_ms, self._answer_info(message))
            widget.regenerate_requested.connect(self.regenerate)
            widget.error_action.connect(self._on_error_action)
            self.attachments.show_sources(message.id, widget)
            if message.status == "error" and message.error:
                described = errors.describe(None, message.error)
                widget.show_error(described.title, described.text, described.actions)
        widget.delete_requested.connect(self.delete_message)
        widget.navigate.connect(self.show_sibling)
        widget.set_siblings(place[0] - 1, place[1])
        widget.set_editable(not busy)
        return widget

    def _answer_info(self, message: Message) -> str:
        parts = []
        if message.model:
            parts.append(message.model)
        if message.tokens_per_s:
            parts.append(self.tr("%1 tokens/s").replace(
                "%1", QLocale().toString(float(message.tokens_per_s), "f", 1)))
        return " · ".join(parts)

    @Slot(object, str)
    def rename_conversation(self, conversation_id: int, title: str) -> None:
        self._store_call(self.store.rename, conversation_id, title)
        if conversation_id == self.conversation_id:
            self.topbar.set_title(title)
        QTimer.singleShot(0, self.refresh_sidebar)

    @Slot(object, bool)
    def pin_conversation(self, conversation_id: int, pinned: bool) -> None:
        self._store_call(self.store.set_pinned, conversation_id, pinned)
        self.refresh_sidebar()

    @Slot(object)
    def delete_conversation(self, conversation_id: int) -> None:
        if self.generation is not None and self.generation.conversation_id == conversation_id:
            self.stop()
            return
        conv = self._conversation(conversation_id)
        title = conv.title if conv is not None else ""
        self._store_call(self.store.delete_conversation, conversation_id)
        self.sidebar.show_undo(conversation_id, title)
        if conversation_id == self.conversation_id:
            self.new_chat()
        self.refresh_sidebar()

    @Slot(object)
    def undo_delete(self, conversation_id: int) -> None:
        self._store_call(self.store.undo_delete, conversation_id)
        self.refresh_sidebar()
        self.open_conversation(conversation_id)

    @Slot()
    def edit_system_prompt(self) -> None:
        conv = self._conversation(self.conversation_id)
        dialog = SystemPromptDialog(conv.system_prompt if conv else None,
                                    self.settings.system_prompt, self)
        if dialog.exec() != SystemPromptDialog.DialogCode.Accepted:
            return
        self.set_system_prompt(dialog.value())

    def _ensure_conversation(self) -> int | None:
        """The conversation on screen, created now if it has no message yet."""
        if self.conversation_id is None:
            conv = self._store_call(self.store.create_conversation, "")
            if conv is None:
                return None
            self.conversation_id = conv.id
            self.refresh_sidebar()
        return self.conversation_id

    def set_system_prompt(self, text: str | None) -> None:
        if self.conversation_id is None:
            conv = self._store_call(self.store.create_conversation, "", text)
            if conv is None:
                return
            self.conversation_id = conv.id
            self.refresh_sidebar()
        else:
            self._store_call(self.store.set_system_prompt, self.conversation_id, text)

    # -- export and import --------------------------------------------------------------
    @Slot(object)
    def export_conversation(self, conversation_id: int | None = None) -> Path | None:
        """Save a conversation (default: the one on screen) as Markdown or JSON."""
        if conversation_id is None:
            conversation_id = self.conversation_id
        if conversation_id is None:
            return None
        gen = self.generation
        if gen is not None and gen.conversation_id == conversation_id:
            try:  # the file holds what the screen shows
                gen.writer.flush()
            except ChatStoreError as exc:
                log.warning("could not save the answer before exporting: %s", exc)
        return self.files.export_conversation(conversation_id)

    def _on_files_imported(self, conversations: list[Conversation]) -> None:
        self.refresh_sidebar()
        if conversations and self.generation is None:
            self.open_conversation(conversations[0].id)

    # -- search -------------------------------------------------------------------------
    def _on_sidebar_search_changed(self, query: str) -> None:
        if not query:
            self.sidebar.show_results(None)
            return
        hits = self._store_call(self.store.search, query)
        self.sidebar.show_results(hits or [], query)

    def _on_sidebar_hit_selected(self, conversation_id: int, message_id: int | None) -> None:
        if message_id is not None:
            on_path = {m.id for m in self._store_call(self.store.path, conversation_id) or []}
            if message_id not in on_path and self.generation is None:
                self._store_call(self.store.select_leaf, conversation_id, message_id)
        self.open_conversation(conversation_id, focus_message=message_id)

    # -- models, downloads, this computer ------------------------------------------------
    @property
    def downloads(self) -> ModelDownloads:
        """One download manager for the window's life: downloads outlive the dialogs."""
        if self._downloads is None:
            from app.ui.downloads import ModelDownloads

            self._downloads = ModelDownloads(paths.models_dir(),
                                             endpoint=self.settings.hf_endpoint or None,
                                             parent=self)
            self._downloads.model_ready.connect(lambda _path: self.attachments.models_changed())
        return self._downloads

    @Slot()
    def open_models(self) -> None:
        from app.ui.models_dialog import ModelsDialog

        dialog = ModelsDialog(self.downloads, parent=self)
        dialog.model_chosen.connect(self.load_model)
        dialog.library_changed.connect(self.attachments.models_changed)
        dialog.deleting.connect(self.attachments.release_model)
        dialog.endpoint_changed.connect(self._on_models_endpoint_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot()
    def open_welcome(self) -> None:
        from app.ui.welcome import WelcomeWizard

        wizard = WelcomeWizard(self.downloads, parent=self)
        wizard.model_chosen.connect(self.load_model)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.open()

    @Slot()
    def open_computer(self) -> None:
        if self._computer is None:
            from app.ui.computer import ComputerDialog

            self._computer = ComputerDialog(self, submit=self.bridge.submit)
            page = self._computer.page
            page.speed_test_started.connect(lambda: self.composer.setEnabled(False))
            page.speed_test_finished.connect(lambda _result: self.composer.setEnabled(True))
            page.speed_test_failed.connect(lambda _text: self.composer.setEnabled(True))
        self._computer.page.set_client(self.bridge.client)
        self._computer.page.set_model_info(self.model_info or None)
        self._computer.show()
        self._computer.raise_()

    # -- remote servers -----------------------------------------------------------------
    @property
    def server_store(self) -> ServerStore:
        """The servers the user added (read when first needed: it loads the HTTP client)."""
        if self._server_store is None:
            from app.engine.servers import ServerStore

            self._server_store = ServerStore()
        return self._server_store

    @server_store.setter
    def server_store(self, store: ServerStore) -> None:
        self._server_store = store

    @Slot()
    def open_servers(self) -> None:
        from app.ui.servers_dialog import ServersDialog

        dialog = ServersDialog(self.server_store, parent=self)
        dialog.use_requested.connect(self.use_server)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    @Slot(str, str)
    def use_server(self, name: str, model: str = "") -> None:
        """Chat through the server the user added as ``name`` (``model``: one of its)."""
        if self.generation is not None:
            self._notice(self.tr("An answer is being written"),
                         self.tr("Stop it first, then choose the server."), [])
            return
        self.bridge.use_remote(name, model or None, store=self.server_store)

    def _on_models_endpoint_changed(self, endpoint: str) -> None:
        self.settings.hf_endpoint = endpoint
        self.save_settings()

    # -- model --------------------------------------------------------------------------
    @Slot()
    def choose_model_file(self) -> None:
        start = str(Path(self.settings.model_path).parent) if self.settings.model_path else ""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a model"), start, self.tr("GGUF models (*.gguf)"))
        if path:
            self.load_model(path)

    @Slot(str)
    def load_model(self, path: str) -> None:
        if self.generation is not None:
            self._notice(self.tr("An answer is being written"),
                         self.tr("Stop it first, then open the other model."), [])
            return
        self._loading_path = path
        # Only what the user set in Settings › Advanced; the worker plans the rest.
        self.bridge.load(path, **load_options(self.settings.plan_overrides()))

    def _on_bridge_loading(self, path: str) -> None:
        self._loading_path = self._loading_path or path
        self.topbar.set_loading(Path(path).stem)
        self.model_info = {}
        self._update_model_state(loading=True)
        if self._empty is not None:  # says what is happening, not how to get a model
            self._show_empty_state()

    def _on_bridge_loaded(self, info: dict[str, Any]) -> None:
        self.model_info = dict(info)
        self.topbar.set_model(info)
        if self._computer is not None:
            self._computer.page.set_client(self.bridge.client)
            self._computer.page.set_model_info(info)
        if self._loading_path and self._loading_path != self.settings.model_path:
            self.settings.model_path = self._loading_path
            self.save_settings()
        self._loading_path = None
        self._remember_model(info)
        self._update_model_state()
        if self._empty is not None:
            self._show_empty_state()
        else:
            self._show_conversation_stats(None)

    def _remember_model(self, info: dict[str, Any]) -> None:
        """A model opened from anywhere (Ctrl+O, a dropped file) joins the library by
        reference, so the model menu and the Models window offer it from now on, until
        the user removes it there."""
        path = info.get("path")
        if info.get("backend") == "remote" or not path or info.get("embedding"):
            return
        from app.models.library import Library, LibraryError

        try:
            Library(paths.models_dir()).import_file(Path(str(path)), copy=False)
        except (LibraryError, OSError) as exc:
            log.info("model not added to the library: %s", exc)

    def _on_bridge_load_failed(self, message: str, code: str) -> None:
        self.model_info = dict(self.bridge.info)  # the model before it may still answer
        self.topbar.set_model(self.model_info or None)
        self._loading_path = None
        self._update_model_state()
        described = errors.describe(code, message, during_load=True)
        self._notice(described.title, described.text, described.actions)

    def _on_bridge_restarting(self) -> None:
        self.topbar.set_loading(str(self.model_info.get("name") or self.tr("the model")))
        self._update_model_state(loading=True)

    def _update_model_state(self, loading: bool = False) -> None:
        if loading:
            self.composer.set_ready(False, self.tr("Loading the model…"))
        elif not self.model_info:
            self.composer.set_ready(False, self.tr("Open a model to start."))
        else:
            self.composer.set_ready(True)
        self.composer.set_reasons(self._model_reasons())

    def _model_reasons(self) -> bool:
        """Whether the model thinks before answering (gpt-oss speaks harmony); until a
        model is loaded the effort stays offered, as for the default model."""
        return not self.model_info or bool(self.model_info.get("harmony", True))

    # -- sending and streaming ----------------------------------------------------------
    @property
    def generating(self) -> bool:
        return self.generation is not None

    @Slot(str, str)
    def send(self, text: str, effort: str, from_box: bool = True) -> None:
        """Send ``text``; ``from_box``: it is what the message box holds (emptied once
        the message is saved). A message that waited is not: the box then holds what
        the user wrote since."""
        if self.generation is not None or not text.strip():
            return
        if self.conversation_id is None:
            created = self._store_call(self.store.create_conversation, "")
            if created is None:
                return
            self.conversation_id = created.id
        conv_id = self.conversation_id
        message = self._store_call(self.store.add_user_message, conv_id, text)
        if message is None:
            return
        if from_box:
            self.composer.take_text()
        if self._empty is not None:
            self.chat.remove_widget(self._empty)
            self._empty = None
        self._clear_notices()
        self.chat.append(self._widget_for(message, busy=True))
        conv = self._conversation(conv_id)
        self.topbar.set_title(conv.title if conv and conv.title else self.tr("New chat"))
        self.refresh_sidebar()
        self._start_answer(conv_id, message.id, effort)

    def _start_answer(self, conversation_id: int, parent_id: int, effort: str) -> None:
        model = str(self.model_info.get("name") or "")
        writer = self._store_call(self.store.start_answer, conversation_id, parent_id,
                                  model, effort)
        if writer is None:
            return
        writer.on_save_error = lambda exc: self._save_failed.emit(str(exc))
        widget = self._streaming_widget(writer.message_id)
        siblings = self._store_call(self.store.siblings, writer.message_id) or []
        if len(siblings) > 1:
            widget.set_siblings(len(siblings) - 1, len(siblings))
        self.chat.append(widget)
        self._set_busy(True)
        history = self._store_call(self.store.path, conversation_id, parent_id) or []
        request = [{"role": m.role, "content": m.content} for m in history
                   if m.role == "user" or (m.content and m.status != "error")]
        conv = self._conversation(conversation_id)
        instructions = (conv.system_prompt if conv and conv.system_prompt is not None
                        else self.settings.system_prompt)
        message_id, model_info = writer.message_id, dict(self.model_info)
        # SQLite may reuse a deleted answer's id: its sources must not show up here.
        self.attachments.forget_answer(message_id)
        max_tokens = self.settings.max_tokens or None
        rules = instructions or ""

        def prepare(backend: Any) -> tuple[list[dict[str, str]], str]:
            """On the engine thread: when the conversation has documents, they go in
            too (searched there, counted with the model's own tokenizer if local)."""
            prepared = self.attachments.prepare(
                conversation_id, message_id, request, rules, model_info, max_tokens,
                count=getattr(backend, "count_tokens", None))
            if prepared is None:
                return request, rules
            return prepared.messages, prepared.instructions

        chat_id = self.bridge.chat(
            request, instructions=rules, effort=effort,
            sampling=dict(self.settings.sampling), max_tokens=max_tokens, prepare=prepare)
        self.generation = Generation(chat_id, conversation_id, writer, widget)

    def _streaming_widget(self, message_id: int) -> AssistantMessage:
        widget = AssistantMessage(message_id, self.chat.column)
        widget.regenerate_requested.connect(self.regenerate)
        widget.delete_requested.connect(self.delete_message)
        widget.navigate.connect(self.show_sibling)
        widget.answer_now.connect(self.bridge.answer_now)
        widget.set_answer_now_available(self.bridge.can_answer_now)
        widget.error_action.connect(self._on_error_action)
        widget.start_streaming(self._model_reasons())
        return widget

    def _detach_answer(self) -> None:
        """The chat view is about to be cleared: the answer being written loses its
        widget (Qt deletes it) and is only saved until its conversation is back."""
        if self.generation is not None:
            self.generation.widget = None

    def _resume_answer(self, gen: Generation, message: Message,
                       place: tuple[int, int]) -> AssistantMessage:
        """A widget again for the answer being written, with what it holds so far."""
        widget = self._streaming_widget(message.id)
        widget.set_siblings(place[0] - 1, place[1])
        if message.reasoning:
            widget.resume_reasoning(message.reasoning, gen.reasoning_from,
                                    gen.reasoning_until)
        if message.content:
            widget.add_answer(message.content)
        gen.widget = widget
        gen.resumed = True
        return widget

    def _on_bridge_message(self, chat_id: int, msg: dict[str, Any]) -> None:
        gen = self.generation
        if gen is None or gen.chat_id != chat_id:
            return
        gen.reply.add(msg)
        kind = msg.get("type")
        widget = gen.widget  # None while another conversation is on screen
        if kind == protocol.EVENT:
            text = msg.get("text") or ""
            if msg["kind"] == harmony.REASONING and text:
                gen.reasoning_from = gen.reasoning_from or time.monotonic()
                gen.writer.append(reasoning=text)
                if widget is not None:
                    widget.add_reasoning(text)
            elif msg["kind"] == harmony.ANSWER and text:
                if gen.reasoning_from is not None and gen.reasoning_until is None:
                    gen.reasoning_until = time.monotonic()
                gen.writer.append(answer=text)
                if widget is not None:
                    widget.add_answer(text)
        elif kind == protocol.PROMPT_PROGRESS and widget is not None:
            widget.set_prompt_progress(int(msg.get("done", 0)), int(msg.get("total", 0)))
        elif kind == protocol.CONTEXT_TRIMMED and widget is not None:
            self.chat.add_info(self.tr(
                "%1 earlier message(s) no longer fit in the model's context and were left "
                "out of this answer.").replace("%1", str(msg.get("dropped_turns", "?"))))

    def _on_bridge_finished(self, chat_id: int, msg: dict[str, Any]) -> None:
        gen = self.generation
        if gen is None or gen.chat_id != chat_id:
            return
        gen.reply.add(msg)
        reply = gen.reply
        stats = dict(reply.stats)
        widget = gen.widget
        thinking = widget.thinking if widget is not None else None
        if thinking is not None and thinking.duration_s is None and thinking.started:
            thinking.finish()
        if thinking is not None and thinking.duration_s is not None and not gen.resumed:
            # The time shown is the time saved (a resumed widget did not see it all:
            # then the writer's own measure stands).
            stats["reasoning_ms"] = int(thinking.duration_s * 1000)
        status = reply.status
        saved: Message | None = None
        try:
            saved = gen.writer.finish(status, reply.error, stats)
        except ChatStoreError as exc:
            self._notice(self.tr("The answer could not be saved"), str(exc), [])
        self.generation = None
        info = self._answer_info(saved) if saved is not None else ""
        if widget is not None:
            widget.finish(status, None, info)
            if widget.thinking is not None and saved is not None:
                widget.thinking.set_duration_ms(saved.reasoning_ms)  # the time saved
        self.attachments.answer_finished(gen.writer.message_id, widget,
                                         saved.content if saved is not None else None)
        if reply.error is not None:
            described = errors.describe(reply.error_code, reply.error,
                                        retry_after=msg.get("retry_after"))
            if reply.error_code == protocol.TOO_LONG:
                described = self._too_long(reply.error, gen.writer.message_id)
            if widget is not None:
                widget.show_error(described.title, described.text, described.actions)
            if reply.error_code == protocol.WORKER_CRASHED:
                self.bridge.restart()
        if widget is not None and stats.get("tokens_per_s") is not None:
            self.topbar.set_speed(stats.get("tokens_per_s"))
        if widget is not None and stats.get("n_ctx"):
            self.topbar.set_context(stats.get("context_used"), stats.get("n_ctx"))
        self._set_busy(False)
        self.refresh_sidebar()
        self.generation_finished.emit(gen.writer.message_id)
        self._send_queued(failed=reply.error is not None)

    def _set_busy(self, busy: bool) -> None:
        self.composer.set_generating(busy)
        self.attachments.set_answering(busy)  # background embedding waits meanwhile
        for widget in self.chat.widgets:
            widget.set_editable(not busy)

    @Slot()
    def stop(self) -> None:
        if self.generation is not None:
            self.bridge.cancel()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc that no focused widget took: it stops the answer being written, unless
        the focus is in the sidebar (Esc there is about the sidebar, not the answer)."""
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == \
                Qt.KeyboardModifier.NoModifier:
            focus = QApplication.focusWidget()
            in_sidebar = focus is not None and self.sidebar.isAncestorOf(focus)
            if self.generation is not None and not in_sidebar:
                self.stop()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- a message written while an answer streams ----------------------------------------
    def _on_composer_queued_changed(self) -> None:
        self._queued_for = self.conversation_id if self.composer.queued else None

    def _send_queued(self, failed: bool) -> None:
        """The answer ended: the message that waited is sent now, in its conversation.
        After a failure it goes back into the box instead (the user decides)."""
        if self.composer.queued is None:
            return
        if failed or self._queued_for != self.conversation_id or not self.model_info:
            self._unqueue()
            return
        taken = self.composer.take_queued()
        if taken is not None:
            self.send(*taken, from_box=False)

    def _unqueue(self) -> None:
        """Another conversation on screen: a waiting message goes back into the box
        (it was written for the one it left), never lost and never sent elsewhere."""
        if self.composer.queued is not None:
            self.composer.unqueue()

    def _on_save_failed(self, text: str) -> None:
        self._notice(self.tr("The answer is not being saved"), text, [])

    # -- per message --------------------------------------------------------------------
    @Slot(object)
    def regenerate(self, message_id: int) -> None:
        if self.generation is not None or self.conversation_id is None:
            return
        if not self.model_info:
            self._notice(*self._no_model())
            return
        target = self._store_call(self.store.message, message_id)
        if target is None or target.parent_id is None:
            return
        self.chat.remove_after(target.parent_id)
        self._clear_notices()
        self._start_answer(self.conversation_id, target.parent_id,
                           target.effort or self.composer.current_effort())

    @Slot(object, str)
    def edit_and_resend(self, message_id: int, text: str) -> None:
        if self.generation is not None or self.conversation_id is None:
            return
        message = self._store_call(self.store.edit_and_branch, message_id, text)
        if message is None:
            return
        self.open_conversation(self.conversation_id)
        if self.model_info:
            self._start_answer(self.conversation_id, message.id,
                               self.composer.current_effort())
        else:
            self._notice(*self._no_model())

    @Slot(object, int)
    def show_sibling(self, message_id: int, delta: int) -> None:
        if self.generation is not None or self.conversation_id is None:
            return
        siblings = self._store_call(self.store.siblings, message_id) or []
        index = next((i for i, s in enumerate(siblings) if s.id == message_id), None)
        if index is None or not 0 <= index + delta < len(siblings):
            return
        target = siblings[index + delta]
        self._store_call(self.store.select_leaf, self.conversation_id, target.id)
        self.open_conversation(self.conversation_id, focus_message=target.id)

    @Slot(object)
    def delete_message(self, message_id: int, confirm: bool = True) -> None:
        if self.generation is not None or self.conversation_id is None:
            return
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("Delete message"),
                self.tr("Delete this message and everything after it in this branch? "
                        "This cannot be undone."))
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._store_call(self.store.delete_message, message_id)
        self.open_conversation(self.conversation_id)

    @Slot()
    def copy_last_answer(self) -> None:
        for widget in reversed(self.chat.widgets):
            if isinstance(widget, AssistantMessage) and widget.answer:
                QGuiApplication.clipboard().setText(widget.answer)
                return

    def _on_error_action(self, action: str) -> None:
        if action == errors.OPEN_MODEL:
            self.topbar.model_button.showMenu()
        elif action == errors.SETTINGS:
            self.open_settings()
        elif action == errors.RETRY:
            last = next((w for w in reversed(self.chat.widgets)
                         if isinstance(w, AssistantMessage)), None)
            if last is not None:
                self.regenerate(last.message_id)
        elif action == errors.SERVERS:
            self.open_servers()
        elif action == errors.RESTART:
            self.bridge.restart()
        elif action == ATTACH_TEXT:
            self._attach_failed_text()
        elif action == LONGER_CONTEXT and self._longer_ctx:
            new = Settings.from_json(self.settings.to_json())
            new.n_ctx = self._longer_ctx
            self.apply_settings(new)  # reloads the model with it

    # -- a message too long for the context -------------------------------------------
    def _too_long(self, error: str, answer_id: int) -> errors.UserError:
        """What helps when a message does not fit: its text as a document (searched,
        so only the passages a question needs go into the prompt), or a longer context
        when this computer has the memory for one. A longer context is never suggested
        when there is none to choose (Automatic already chose the largest that fits)."""
        self._too_long_for = answer_id
        actions: list[tuple[str, str]] = []
        answer = self._store_call(self.store.message, answer_id)
        question = self._store_call(self.store.message, answer.parent_id) \
            if answer is not None and answer.parent_id is not None else None
        if question is not None and len(question.content) >= ATTACH_MIN_CHARS:
            actions.append((ATTACH_TEXT, self.tr("Attach the text as a document")))
        self._longer_ctx = self._longer_context()
        if self._longer_ctx:
            actions.append((LONGER_CONTEXT, self.tr("Use a %1-token context").replace(
                "%1", QLocale().toString(self._longer_ctx))))
        if actions:
            advice = self.tr(
                "Your conversation is safe. Attached as a document, the text is searched "
                "and only the passages your question needs go to the model; a longer "
                "context holds more at once but uses more memory.")
        else:
            advice = self.tr(
                "Your conversation is safe. This computer has no memory for a longer "
                "context with this model: shorten the message, or attach long texts as "
                "documents with Attach.")
        return errors.UserError(self.tr("The message does not fit in the context"),
                                f"{advice}\n\n{reason_text(error)}", actions)

    def _longer_context(self) -> int | None:
        """A longer context than the loaded one that the model supports and this
        computer's memory holds (the hardware planner's answer), or None."""
        info = self.model_info
        n_ctx, trained = int(info.get("n_ctx") or 0), int(info.get("n_ctx_train") or 0)
        path = info.get("path")
        if info.get("backend") == "remote" or not path or not n_ctx or trained <= n_ctx:
            return None
        try:
            from app.hardware import detect, facts, plan

            model = facts.read_model_facts(Path(str(path)))
            machine = facts.machine_facts(detect.detect())
            chosen = plan.plan(model, machine, trained)
        except Exception:  # no offer is better than a wrong one
            log.exception("could not plan a longer context")
            return None
        return chosen.n_ctx if chosen.fits and chosen.n_ctx > n_ctx else None

    def _attach_failed_text(self) -> None:
        """The message that did not fit becomes a document of its conversation: saved
        as a text file in Cove's data folder and attached; the failed message and its
        error leave the chat, and the user asks about the text anew."""
        answer = self._store_call(self.store.message, self._too_long_for) \
            if self._too_long_for is not None else None
        question = self._store_call(self.store.message, answer.parent_id) \
            if answer is not None and answer.parent_id is not None else None
        if question is None or self.conversation_id is None or self.generation is not None:
            return
        name = self.tr("Pasted text %1.txt").replace("%1", str(question.id))
        path = paths.data_dir() / "pasted" / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(question.content, encoding="utf-8")
        except OSError as exc:
            self._notice(self.tr("The text could not be attached"), self.tr(
                "Your message is safe in the conversation. The file could not be "
                "written: %1").replace("%1", str(exc)), [])
            return
        self._too_long_for = None
        self._store_call(self.store.delete_message, question.id)
        self.open_conversation(self.conversation_id)
        self.attachments.attach_paths([path])
        self.chat.add_info(self.tr("Your text is attached as “%1”. Ask your question "
                                   "about it.").replace("%1", name))
        self.composer.input.setFocus()

    def _no_model(self) -> tuple[str, str, list[tuple[str, str]]]:
        described = errors.describe(protocol.NOT_LOADED, "")
        return described.title, described.text, described.actions

    # -- notices ------------------------------------------------------------------------
    def show_notice(self, title: str, text: str,
                    actions: list[tuple[str, str]] | None = None) -> None:
        """A card in the chat that is not a message (it is not saved)."""
        self._notice(title, text, actions or [])

    def _notice(self, title: str, text: str, actions: list[tuple[str, str]]) -> None:
        if self._empty is not None:
            self.chat.remove_widget(self._empty)
            self._empty = None
        card = self.chat.add_notice(title, text, actions, self._on_error_action)
        self._notices.append(card)

    def _clear_notices(self) -> None:
        for card in self._notices:
            self.chat.remove_widget(card)
        self._notices.clear()

    def _store_call(self, func: Any, *args: Any) -> Any:
        """A history call; its failure (a full disk, a locked file) becomes a notice."""
        try:
            return func(*args)
        except ChatStoreError as exc:
            log.warning("history: %s", exc)
            self._notice(self.tr("The history could not be changed"), str(exc), [])
            return None

    # -- settings -----------------------------------------------------------------------
    @Slot()
    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self, self._plan_facts())
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        self.apply_settings(dialog.result_settings)

    def apply_settings(self, new: Settings) -> None:
        old = self.settings
        self.settings = new
        self.save_settings()
        if new.theme != old.theme:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                theme.apply(app, new.theme)
        if new.default_effort != old.default_effort:
            self.composer.set_effort(new.default_effort)
        reload = new.plan_overrides() != old.plan_overrides()
        if reload and self.model_info.get("path") and self.generation is None:
            self.load_model(str(self.model_info["path"]))

    def _plan_facts(self) -> tuple[Any, Any]:
        """The open model's and this computer's facts, for Settings › Advanced to
        preview its plan; (None, None) without a local model (the preview hides)."""
        path = self.model_info.get("path")
        if self.model_info.get("backend") == "remote" or not path:
            return None, None
        try:
            from app.hardware import detect, facts

            return facts.read_model_facts(Path(str(path))), facts.machine_facts(detect.detect())
        except Exception:  # the settings open without a preview rather than not at all
            log.exception("could not read the facts for the plan preview")
            return None, None

    def _on_splitter_moved(self, position: int, _index: int) -> None:
        """The user dragged the sidebar's edge: that width is theirs, and is kept."""
        if self.sidebar.isVisible() and position > 0:
            self._sidebar_width = self.splitter.sizes()[0]

    def save_settings(self) -> None:
        self.settings.sidebar_width = self._sidebar_width
        try:
            settings_mod.save(self.settings, self.settings_file)
        except OSError as exc:
            log.warning("settings not saved: %s", exc)

    # -- closing ------------------------------------------------------------------------
    @Slot()
    def quit(self) -> None:
        """Ctrl+Q (or the platform's quit keys): close Cove, asking first only when an
        answer is being written."""
        if self.generation is not None and not self._confirm_quit():
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
        if event.spontaneous() and self.generation is not None and \
                not self._quit_confirmed and not self._confirm_quit():
            event.ignore()
            return
        self._closed = True
        gen = self.generation
        if gen is not None:
            self.bridge.cancel()
            try:
                gen.writer.finish("stopped", None, dict(gen.reply.stats))
            except ChatStoreError:
                log.exception("could not save the last answer")
            self.generation = None
        self.save_settings()
        if self._downloads is not None:
            self._downloads.close()  # pauses a running download, keeping its partial file
        if self._computer is not None:
            self._computer.close()
        try:  # their documents first, while the documents database is open
            self.store.purge_deleted(0, forget=self.attachments.forget_conversations)
        except ChatStoreError:
            log.exception("could not purge deleted conversations")
        except Exception:  # the documents database: they stay deleted, purged next time
            log.exception("could not forget the documents of deleted conversations")
        self.attachments.close()
        self.bridge.close()
        super().closeEvent(event)


def _shown_status(status: str) -> str:
    """A message still marked streaming in the file was cut off by a crash."""
    return "interrupted" if status == "streaming" else status


def _embedding_model() -> Path | None:
    """The embedding model in Cove's models folder, if one was downloaded (read on the
    documents' thread)."""
    from app.models.library import Library

    model = Library(paths.models_dir()).embedding_model()
    return model.path if model is not None else None
