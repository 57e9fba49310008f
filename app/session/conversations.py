"""What a session does to the history besides answering: conversations created,
renamed, pinned, deleted and restored, branches chosen, messages deleted, imports,
purges — each announced to the views as a change notice.

:class:`Conversations` is the base of :class:`app.session.service.Session`, which adds
the answer being written (and so what ``generating``, ``answering_in`` and ``stop``
mean); kept apart so that each file reads as one subject.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.chats.errors import ChatStoreError
from app.session import events

if TYPE_CHECKING:
    from app.chats.store import ChatStore, Conversation, Message
    from app.session.ports import AnswerDocuments

log = logging.getLogger(__name__)

Listener = Callable[[events.Event], None]


class Conversations:
    """The history as the views change it; see the module docstring."""

    def __init__(self, store: ChatStore, documents: AnswerDocuments | None = None) -> None:
        self.store = store
        self.documents = documents
        self._listeners: list[Listener] = []

    @property
    def generating(self) -> bool:
        """Whether an answer is being written (the session says)."""
        return False

    @property
    def answering_in(self) -> int | None:
        """The conversation of the answer being written, if any (the session says)."""
        return None

    def stop(self) -> None:
        """Stop the answer being written (the session does)."""

    # -- listening ----------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every event from now on; returns the unsubscriber."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners \
            else None

    def _emit(self, event: events.Event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # one broken view must not stop the answer being saved
                log.exception("a session listener failed on %s", type(event).__name__)

    # -- conversations ------------------------------------------------------------------
    def create_conversation(self, system_prompt: str | None = None) -> Conversation:
        conv = self.store.create_conversation("", system_prompt)
        self._emit(events.ConversationsChanged())
        return conv

    def rename(self, conversation_id: int, title: str) -> None:
        self.store.rename(conversation_id, title)
        self._emit(events.ConversationsChanged())

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        self.store.set_pinned(conversation_id, pinned)
        self._emit(events.ConversationsChanged())

    def set_instructions(self, conversation_id: int | None, text: str | None) -> int:
        """The conversation's own instructions (None: the default); a conversation is
        created when there is none yet. Returns its id."""
        if conversation_id is None:
            return self.create_conversation(text).id
        self.store.set_system_prompt(conversation_id, text)
        return conversation_id

    def delete_conversation(self, conversation_id: int) -> bool:
        """Move it to the bin (undoable until purged). While its answer is being
        written the answer is stopped instead and False returned (delete again)."""
        if self.answering_in == conversation_id:
            self.stop()
            return False
        self.store.delete_conversation(conversation_id)
        self._emit(events.ConversationsChanged())
        return True

    def undo_delete(self, conversation_id: int) -> None:
        self.store.undo_delete(conversation_id)
        self._emit(events.ConversationsChanged())

    def import_json(self, data: Any) -> list[Conversation]:
        """Conversations from an export file (Cove's JSON); raises ChatStoreError."""
        imported = self.store.import_json(data)
        self._emit(events.ConversationsChanged())
        return imported

    def select_branch(self, conversation_id: int, message_id: int) -> None:
        """Show the branch that holds ``message_id`` (not while an answer is written)."""
        if self.generating:
            return
        self.store.select_leaf(conversation_id, message_id)
        self._emit(events.ConversationChanged(conversation_id))

    def sibling(self, message_id: int, delta: int) -> Message | None:
        """The message ``delta`` places from ``message_id`` among its siblings (another
        answer to the same question, another edit), made the branch shown; None at the
        ends or while an answer is written."""
        if self.generating:
            return None
        siblings = self.store.siblings(message_id)
        index = next((i for i, s in enumerate(siblings) if s.id == message_id), None)
        if index is None or not 0 <= index + delta < len(siblings):
            return None
        target = siblings[index + delta]
        self.select_branch(target.conversation_id, target.id)
        return target

    def delete_message(self, message_id: int) -> None:
        """Delete a message and everything after it in its branch."""
        if self.generating:
            return
        message = self.store.message(message_id)
        self.store.delete_message(message_id)
        self._emit(events.ConversationChanged(message.conversation_id))
        self._emit(events.ConversationsChanged())

    def sources(self, conversation_id: int, answer_id: int) -> Any:
        """What an answer lists as its sources (documents), if anything."""
        if self.documents is None:
            return None
        try:
            return self.documents.sources(conversation_id, answer_id)
        except Exception:  # the answer shows without its sources rather than not at all
            log.exception("could not read the sources of answer %s", answer_id)
            return None

    def purge_deleted(self, older_than_s: float = 0) -> None:
        """Forget conversations deleted longer ago than that, with their documents
        (if forgetting the documents fails, the conversations stay, purged next time)."""
        forget = self.documents.forget_conversations if self.documents is not None \
            else None
        try:
            self.store.purge_deleted(older_than_s, forget=forget)
        except ChatStoreError:
            log.exception("could not purge deleted conversations")
        except Exception:  # the documents database: they stay deleted, purged next time
            log.exception("could not forget the documents of deleted conversations")

