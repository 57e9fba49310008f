"""The sidebar's conversations, joined to the session: list, search, rename, pin,
delete with undo, export and import.

The list is drawn again when the session says the conversations changed (its change
notices), never by hand after each call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.session import events

if TYPE_CHECKING:
    from app.chats.store import Conversation
    from app.session.service import Session
    from app.ui.chat.conversation_view import ConversationView
    from app.ui.services.history_files import HistoryFiles
    from app.ui.widgets.sidebar import Sidebar


class SidebarControl(QObject):
    """What the sidebar asks for, done through the session; see the module docstring."""

    def __init__(self, session: Session, sidebar: Sidebar, view: ConversationView,
                 files: HistoryFiles, parent: QObject) -> None:
        super().__init__(parent)
        self.session, self.sidebar, self.view, self.files = session, sidebar, view, files
        sidebar.conversation_selected.connect(self.open)
        sidebar.search_changed.connect(self._on_search_changed)
        sidebar.hit_selected.connect(self._on_hit_selected)
        sidebar.rename_requested.connect(self.rename)
        sidebar.pin_requested.connect(self.pin)
        sidebar.delete_requested.connect(self.delete)
        sidebar.undo_requested.connect(self.undo_delete)
        sidebar.export_requested.connect(self.export)
        sidebar.export_all_requested.connect(files.export_all)
        sidebar.import_requested.connect(files.import_file)
        files.imported.connect(self._on_imported)
        view.opened.connect(sidebar.select)
        session.subscribe(self._on_event)
        self.refresh()

    def _on_event(self, event: events.Event) -> None:
        if isinstance(event, events.ConversationsChanged):
            self.refresh()

    def refresh(self) -> None:
        conversations = self.view.guard(self.session.store.conversations)
        if conversations is not None:
            self.sidebar.set_conversations(conversations, self.view.conversation_id)

    def open(self, conversation_id: int, focus_message: int | None = None) -> None:
        if not self.view.show(conversation_id, focus_message):
            self.refresh()  # it is gone: the list says so

    def rename(self, conversation_id: int, title: str) -> None:
        self.view.guard(self.session.rename, conversation_id, title)
        if conversation_id == self.view.conversation_id:
            self.view.topbar.set_title(title)

    def pin(self, conversation_id: int, pinned: bool) -> None:
        self.view.guard(self.session.set_pinned, conversation_id, pinned)

    def delete(self, conversation_id: int) -> None:
        """To the bin, with Undo in the sidebar; an answer being written in it is
        stopped instead (delete again)."""
        conv = self.view.guard(self.session.store.conversation, conversation_id)
        if not self.view.guard(self.session.delete_conversation, conversation_id):
            return
        self.sidebar.show_undo(conversation_id, conv.title if conv is not None else "")
        if conversation_id == self.view.conversation_id:
            self.view.show_new()

    def undo_delete(self, conversation_id: int) -> None:
        self.view.guard(self.session.undo_delete, conversation_id)
        self.open(conversation_id)

    def export(self, conversation_id: int | None = None) -> Path | None:
        """Save a conversation (default: the one on screen) as Markdown or JSON."""
        conversation_id = conversation_id or self.view.conversation_id
        if conversation_id is None:
            return None
        self.session.live_answer(conversation_id)  # the file holds what the screen shows
        return self.files.export_conversation(conversation_id)

    def _on_imported(self, conversations: list[Conversation]) -> None:
        if conversations and not self.session.generating:
            self.open(conversations[0].id)

    def _on_search_changed(self, query: str) -> None:
        hits = self.view.guard(self.session.store.search, query) if query else None
        self.sidebar.show_results(None if not query else hits or [], query)

    def _on_hit_selected(self, conversation_id: int, message_id: int | None) -> None:
        if message_id is not None:
            path = self.view.guard(self.session.store.path, conversation_id) or []
            if message_id not in {m.id for m in path}:
                self.view.guard(self.session.select_branch, conversation_id, message_id)
        self.open(conversation_id, focus_message=message_id)
