"""The conversation history (no Qt): conversations, branching messages, answers saved
as they stream, full-text search, Markdown and JSON export. Start at
:class:`app.chats.store.ChatStore`."""

from app.chats.errors import ChatStoreError, NotFoundError
from app.chats.records import Conversation, Message, SearchHit
from app.chats.store import ChatStore
from app.chats.writer import AnswerWriter

__all__ = ["AnswerWriter", "ChatStore", "ChatStoreError", "Conversation", "Message",
           "NotFoundError", "SearchHit"]
