"""The conversation history: one SQLite file that survives crashes, kills and years of use.

Messages form a tree. Regenerating an answer adds a sibling answer, editing a user message
adds a sibling user message; each conversation remembers its current leaf, and what the
chat view shows (and what is sent to the model) is the path from the root to that leaf.
Nothing is ever overwritten by a regenerate or an edit, so every earlier version stays
reachable through :meth:`ChatStore.siblings` and :meth:`ChatStore.select_leaf`.

Every change is one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), so it happens whole or
not at all, and a failed write (a full disk) leaves everything saved before intact. The
connection is shared between threads behind one lock: the GUI thread reads while an
:class:`AnswerWriter` saves a streaming answer from the engine's thread.

All failures reach callers as :class:`ChatStoreError`, whose text is written for users.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from app.chats import database, errors, export
from app.chats import search as fts
from app.chats.errors import ChatStoreError, NotFoundError
from app.chats.records import (
    CONV_COLS,
    MSG_COLS,
    NEWEST_LEAF,
    NEWEST_LEAF_UNDER,
    PATH_SQL,
    SUBTREE,
    Conversation,
    Message,
    SearchHit,
    conversation_from,
    rowid,
    with_parts,
)
from app.chats.titles import derive_title
from app.chats.writer import FLUSH_INTERVAL_S, AnswerWriter
from app.config import at_rest, paths
from app.config.sqlcipher import Key
from app.config.sqlcipher import driver as sqlite3

# The records are imported from here by the windows, the session and the tests.
__all__ = ["AnswerWriter", "ChatStore", "ChatStoreError", "Conversation", "Message",
           "NotFoundError", "SearchHit"]

log = logging.getLogger(__name__)

DB_NAME = "cove.db"


class ChatStore:
    """The history database. Open one per process; share it between threads.

    Opening creates the file or migrates an older one, and marks answers that were still
    streaming when the last session ended as ``interrupted`` (their text is kept; the
    count is in ``interrupted_on_open``). A damaged file is set aside and a new history
    started: then ``notice`` holds a :class:`ChatStoreError` to show the user once.
    A locked, unreadable or newer-version file raises :class:`ChatStoreError`.
    """

    def __init__(self, path: Path, timeout: float = database.BUSY_TIMEOUT_S,
                 flush_interval: float = FLUSH_INTERVAL_S, key: Key | None = None) -> None:
        """``key``: the file is encrypted with it (SQLCipher); without one it is plain
        SQLite (tests, throwaway files). The user's own history is opened by
        :meth:`default`, with the key from the keyring."""
        self.db_path = Path(path)
        self.flush_interval = flush_interval
        self.key = key  # the documents beside this history are keyed the same way
        opened = database.open_database(self.db_path, timeout, key)
        self.notice: ChatStoreError | None = opened.notice
        self.set_aside: Path | None = opened.set_aside
        self._conn: sqlite3.Connection | None = opened.conn
        self._lock = threading.RLock()
        self._writers: set[AnswerWriter] = set()
        try:
            self.interrupted_on_open = self._interrupt_streaming()
        except ChatStoreError:
            self._conn.close()
            raise

    @classmethod
    def default(cls, ask: at_rest.Ask | None = None) -> ChatStore:
        """The user's own history, in Cove's data folder, encrypted with the key from
        the OS keyring; plain files of an older Cove are encrypted first
        (:func:`app.config.at_rest.prepare`). ``ask``: the front end's questions when
        there is no keyring (a passphrase, or staying unencrypted); without it that
        case raises :class:`ChatStoreError`. The documents open with ``store.key``."""
        folder = paths.data_dir()
        try:
            ready = at_rest.prepare(folder, ask, database.set_aside)
        except at_rest.ProtectionError as exc:
            raise ChatStoreError(str(exc), exc.kind) from exc
        except sqlite3.Error as exc:
            raise errors.wrap(exc, folder / DB_NAME) from exc
        except OSError as exc:
            raise ChatStoreError(errors.user_text(errors.CANNOT_OPEN, folder),
                                 errors.CANNOT_OPEN) from exc
        store = cls(folder / DB_NAME, key=ready.key)
        if store.notice is None and ready.notices:
            store.notice = ChatStoreError(" ".join(ready.notices), errors.CORRUPT)
        return store

    def close(self) -> None:
        """Save what streaming answers hold and close the file. An answer still
        streaming stays so in the file and is marked interrupted at the next start."""
        with self._lock:
            writers = list(self._writers)
            self._writers.clear()
        for writer in writers:
            writer.detach()
        with self._lock:
            if self._conn is None:
                return
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()
            self._conn = None

    def __enter__(self) -> ChatStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    # -- conversations -----------------------------------------------------------------
    def create_conversation(self, title: str = "", system_prompt: str | None = None
                            ) -> Conversation:
        """A new, empty conversation; an empty title is filled from the first message."""
        now = time.time()
        with self._writing() as conn:
            cur = conn.execute(
                "INSERT INTO conversations (title, created_at, updated_at, system_prompt) "
                "VALUES (?, ?, ?, ?)", (title.strip(), now, now, system_prompt))
            return self._conversation(conn, rowid(cur))

    def conversation(self, conversation_id: int) -> Conversation:
        """One conversation, also while deleted (for the undo toast's title)."""
        with self._reading() as conn:
            return self._conversation(conn, conversation_id)

    def conversations(self) -> list[Conversation]:
        """The sidebar: pinned first, then the most recently active first."""
        with self._reading() as conn:
            rows = conn.execute(
                f"SELECT {CONV_COLS} FROM conversations WHERE deleted_at IS NULL "
                "ORDER BY pinned DESC, updated_at DESC, id DESC").fetchall()
        return [conversation_from(row) for row in rows]

    def rename(self, conversation_id: int, title: str) -> None:
        """Set the title; an empty one is made again from the first user message."""
        with self._writing() as conn:
            title = title.strip()
            if not title:
                row = conn.execute("SELECT content FROM messages WHERE conversation_id = ? "
                                   "AND role = 'user' ORDER BY id LIMIT 1",
                                   (conversation_id,)).fetchone()
                title = derive_title(row[0]) if row else ""
            self._update_conversation(conn, conversation_id, "title = ?", title)

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        """Pin to the top of the sidebar (does not count as activity)."""
        with self._writing() as conn:
            self._update_conversation(conn, conversation_id, "pinned = ?", int(pinned))

    def set_system_prompt(self, conversation_id: int, prompt: str | None) -> None:
        """This conversation's instructions; None falls back to the settings' default."""
        with self._writing() as conn:
            self._update_conversation(conn, conversation_id, "system_prompt = ?", prompt)

    def delete_conversation(self, conversation_id: int) -> None:
        """Hide at once, keep for :meth:`undo_delete` until :meth:`purge_deleted`."""
        with self._writing() as conn:
            self._update_conversation(conn, conversation_id, "deleted_at = ?", time.time())

    def undo_delete(self, conversation_id: int) -> None:
        """Bring a deleted conversation back, exactly as it was."""
        with self._writing() as conn:
            self._update_conversation(conn, conversation_id, "deleted_at = ?", None)

    def purge_deleted(self, older_than_s: float = 0,
                      forget: Callable[[list[int]], None] | None = None) -> int:
        """Remove for good what was deleted at least ``older_than_s`` seconds ago;
        returns how many conversations went.

        ``forget`` is given the ids of those conversations before they go, so that what
        is kept about them elsewhere (their attached documents) goes first: if it
        raises, nothing is removed here and the next purge offers them again, instead
        of leaving what it kept to a new conversation that reuses an id.
        """
        with self._reading() as conn:
            ids = [row[0] for row in conn.execute(
                "SELECT id FROM conversations WHERE deleted_at IS NOT NULL "
                "AND deleted_at <= ? ORDER BY id", (time.time() - older_than_s,))]
        if not ids:
            return 0
        if forget is not None:
            forget(ids)
        with self._writing() as conn:
            return sum(conn.execute("DELETE FROM conversations WHERE id = ? "
                                    "AND deleted_at IS NOT NULL", (cid,)).rowcount
                       for cid in ids)

    # -- messages ----------------------------------------------------------------------
    def add_user_message(self, conversation_id: int, content: str,
                         parent_id: int | None = None) -> Message:
        """Save what the user sent, after ``parent_id`` (default: the current leaf); it
        becomes the current leaf, and names an untitled conversation."""
        with self._writing() as conn:
            conv = self._conversation(conn, conversation_id)
            if parent_id is None:
                parent_id = conv.current_leaf_id
            else:
                self._message_in(conn, conversation_id, parent_id)
            message_id = self._insert(conn, conversation_id, parent_id, "user", content)
            if not conv.title:
                conn.execute("UPDATE conversations SET title = ? WHERE id = ?",
                             (derive_title(content), conversation_id))
            return self._message(conn, message_id)

    def start_answer(self, conversation_id: int, parent_id: int, model: str | None,
                     effort: str | None) -> AnswerWriter:
        """Begin an answer to ``parent_id`` (a second answer to the same message is a
        regenerate: the first stays as its sibling). The answer becomes the current leaf
        and is saved as it grows through the returned :class:`AnswerWriter`."""
        with self._writing() as conn:
            self._conversation(conn, conversation_id)
            self._message_in(conn, conversation_id, parent_id)
            message_id = self._insert(conn, conversation_id, parent_id, "assistant", "",
                                      status="streaming", model=model, effort=effort)
        writer = AnswerWriter(self, conversation_id, message_id, self.flush_interval)
        with self._lock:
            self._writers.add(writer)
        return writer

    def message(self, message_id: int) -> Message:
        """One message by id."""
        with self._reading() as conn:
            return self._message(conn, message_id)

    def messages(self, conversation_id: int) -> list[Message]:
        """Every message of a conversation, all branches, oldest first."""
        with self._reading() as conn:
            rows = conn.execute(f"SELECT {MSG_COLS} FROM messages WHERE conversation_id = ? "
                                "ORDER BY id", (conversation_id,)).fetchall()
        return [Message(*row) for row in rows]

    def path(self, conversation_id: int, leaf_id: int | None = None) -> list[Message]:
        """Root → leaf (default: the current leaf): what the chat view shows and what
        is sent to the model."""
        with self._reading() as conn:
            if leaf_id is None:
                leaf_id = self._conversation(conn, conversation_id).current_leaf_id
                if leaf_id is None:
                    return []
            rows = conn.execute(PATH_SQL, (leaf_id, conversation_id)).fetchall()
        if not rows:
            raise NotFoundError("This message is no longer in the conversation.")
        return [Message(*row) for row in rows]

    def siblings(self, message_id: int) -> list[Message]:
        """The alternatives at this message's place (itself included), oldest first:
        regenerated answers, or edited versions of a user message."""
        with self._reading() as conn:
            msg = self._message(conn, message_id)
            rows = conn.execute(
                f"SELECT {MSG_COLS} FROM messages WHERE conversation_id = ? "
                "AND parent_id IS ? ORDER BY id", (msg.conversation_id, msg.parent_id))
            return [Message(*row) for row in rows]

    def branch_points(self, conversation_id: int, leaf_id: int | None = None
                      ) -> dict[int, tuple[int, int]]:
        """For each message on :meth:`path` that has alternatives: (its 1-based place
        among its siblings, how many there are), for a "‹ 2/3 ›" switcher; one query
        instead of one :meth:`siblings` call per message."""
        path = self.path(conversation_id, leaf_id)
        with self._reading() as conn:
            rows = conn.execute("SELECT parent_id, id FROM messages WHERE conversation_id = ? "
                                "ORDER BY id", (conversation_id,)).fetchall()
        children: dict[int | None, list[int]] = {}
        for parent, child in rows:
            children.setdefault(parent, []).append(child)
        out = {}
        for msg in path:
            group = children.get(msg.parent_id, [])
            if len(group) > 1:
                out[msg.id] = (group.index(msg.id) + 1, len(group))
        return out

    def select_leaf(self, conversation_id: int, message_id: int) -> None:
        """Show the branch through ``message_id``: the newest leaf under it (the branch
        last worked on there) becomes current."""
        with self._writing() as conn:
            self._message_in(conn, conversation_id, message_id)
            leaf = conn.execute(NEWEST_LEAF_UNDER, (message_id,)).fetchone()[0]
            conn.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
                         (leaf, conversation_id))

    def edit_and_branch(self, message_id: int, new_content: str) -> Message:
        """An edited user message: a new sibling of ``message_id`` that becomes the
        current leaf (answer it with :meth:`start_answer`); the original stays."""
        with self._writing() as conn:
            old = self._message(conn, message_id)
            if old.role != "user":
                raise ValueError("only a user message can be edited")
            new_id = self._insert(conn, old.conversation_id, old.parent_id, "user",
                                  new_content)
            return self._message(conn, new_id)

    def delete_message(self, message_id: int) -> None:
        """Delete a message and everything after it on every branch. If the current
        leaf went with it, the newest remaining branch there becomes current."""
        with self._writing() as conn:
            msg = self._message(conn, message_id)
            conn.execute(f"DELETE FROM messages WHERE id IN ({SUBTREE} SELECT id FROM sub)",
                         (message_id,))
            leaf = conn.execute("SELECT current_leaf_id FROM conversations WHERE id = ?",
                                (msg.conversation_id,)).fetchone()[0]
            if leaf is None:  # the foreign key cleared it: the leaf was in the subtree
                self._reset_leaf(conn, msg.conversation_id, msg.parent_id)

    # -- search and export -------------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """Conversations whose title, or a message (user text, answer or reasoning),
        contains every word of ``query``: title hits first (pinned, then recent), then
        message hits newest first (relevance ranking with trigrams says little and costs
        a sort of every match; recency is what a chat history is searched by).
        Whatever the user types is searched for as text, never parsed as syntax."""
        parsed = fts.parse(query)
        if not parsed.terms or limit <= 0:
            return []
        with self._reading() as conn:
            return fts.find(conn, parsed, limit)

    def export_markdown(self, conversation_id: int, reasoning: bool = False) -> str:
        """The branch on screen as a Markdown document (reasoning in a <details> block
        when asked)."""
        conv = self.conversation(conversation_id)
        return export.to_markdown(conv, self.path(conversation_id), reasoning)

    def export_json(self, conversation_id: int, reasoning: bool = True) -> dict[str, Any]:
        """One conversation, every branch, as Cove's JSON (see :mod:`app.chats.export`)."""
        with self._reading() as conn:
            conv = self._conversation(conn, conversation_id)
            return export.conversation_json(conv, self.messages(conversation_id), reasoning)

    def export_all(self, reasoning: bool = True) -> dict[str, Any]:
        """Every conversation not deleted, as one JSON document."""
        with self._reading():
            bodies = [export.conversation_body(conv, self.messages(conv.id), reasoning)
                      for conv in self.conversations()]
        return export.history_json(bodies)

    def import_json(self, data: Any) -> list[Conversation]:
        """Add the conversations of an :meth:`export_json` or :meth:`export_all`
        document as new conversations; all of them or, on any problem, none."""
        items = export.parse(data)
        with self._writing() as conn:
            ids = [export.insert_imported(conn, item) for item in items]
            return [self._conversation(conn, cid) for cid in ids]

    # -- AnswerWriter's side (app.chats.writer.AnswerRows) -----------------------------
    def append_answer(self, message_id: int, answer: str, reasoning: str) -> None:
        """Add streamed text to a message (a no-op if it was deleted meanwhile); for
        the :class:`AnswerWriter` :meth:`start_answer` returned, not for other callers.

        The text goes into a new row of ``answer_parts``: a save writes only what is
        new (a page or two), however long the answer already is, and touches no index
        of the search. Reads see the parts as part of the message; :meth:`finish_answer`
        (or the next start, for an answer cut off) folds them into it."""
        with self._writing() as conn:
            conn.execute("INSERT INTO answer_parts (message_id, content, reasoning) "
                         "SELECT id, ?, ? FROM messages WHERE id = ?",
                         (answer, reasoning, message_id))

    def save_tool_calls(self, message_id: int, tool_calls: str) -> None:
        """An answer's tool calls so far (JSON); for its :class:`AnswerWriter`."""
        with self._writing() as conn:
            conn.execute("UPDATE messages SET tool_calls = ?, updated_at = ? WHERE id = ?",
                         (tool_calls, time.time(), message_id))

    def finish_answer(self, message_id: int, answer: str, reasoning: str,
                      fields: dict[str, Any]) -> Message:
        """The saved parts and the last text folded into the message, the final status
        and stats, in one transaction; search indexes the answer now, once."""
        now = time.time()
        with self._writing() as conn:
            cur = conn.execute(
                f"UPDATE messages SET content = {with_parts('messages', 'content')} || ?, "
                f"reasoning = {with_parts('messages', 'reasoning')} || ?, "
                "status = ?, error = ?, prompt_tokens = ?, completion_tokens = ?, "
                "tokens_per_s = ?, reasoning_ms = ?, updated_at = ? WHERE id = ?",
                (answer, reasoning, fields["status"], fields["error"],
                 fields["prompt_tokens"], fields["completion_tokens"],
                 fields["tokens_per_s"], fields["reasoning_ms"], now, message_id))
            if cur.rowcount == 0:
                raise NotFoundError("This answer was deleted before it was finished.")
            conn.execute("DELETE FROM answer_parts WHERE message_id = ?", (message_id,))
            msg = self._message(conn, message_id)
            conn.execute("UPDATE conversations SET updated_at = ? WHERE id = ?",
                         (now, msg.conversation_id))
            return msg

    def writer_finished(self, writer: AnswerWriter) -> None:
        """The writer is done: :meth:`close` no longer has to save what it holds."""
        with self._lock:
            self._writers.discard(writer)

    # -- helpers -----------------------------------------------------------------------
    @contextlib.contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        """The connection under the lock; SQLite errors become ChatStoreError."""
        with self._lock:
            conn = self._connection()
            try:
                yield conn
            except sqlite3.Error as exc:
                raise self._failure(exc) from exc

    @contextlib.contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One transaction: all of the block's changes are saved, or none are.
        Nested use joins the outer transaction."""
        with self._lock:
            conn = self._connection()
            if conn.in_transaction:
                yield conn
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:  # SQLite rolls back some failures itself
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise self._failure(exc) from exc
                raise

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise ChatStoreError(errors.user_text(errors.CLOSED), errors.CLOSED)
        return self._conn

    def _failure(self, exc: sqlite3.Error) -> ChatStoreError:
        """Log the details; hand back the user's version. Damage found now is checked
        (and the file set aside if need be) at the next start."""
        error = errors.wrap(exc, self.db_path)
        log.error("history operation failed (%s)", error.kind, exc_info=exc)
        if error.kind == errors.CORRUPT:
            with contextlib.suppress(OSError):
                database.check_marker(self.db_path).touch()
        return error

    def _interrupt_streaming(self) -> int:
        """Answers left 'streaming' by a crash or kill: keep their text (the saved
        parts folded in, and indexed for search now), say so."""
        with self._writing() as conn:
            cur = conn.execute(
                f"UPDATE messages SET content = {with_parts('messages', 'content')}, "
                f"reasoning = {with_parts('messages', 'reasoning')}, "
                "status = 'interrupted', updated_at = ? WHERE status = 'streaming'",
                (time.time(),))
            conn.execute("DELETE FROM answer_parts")
            if cur.rowcount:
                log.info("%d answers were cut off by the end of the last session",
                         cur.rowcount)
            return cur.rowcount

    def _conversation(self, conn: sqlite3.Connection, conversation_id: int) -> Conversation:
        row = conn.execute(f"SELECT {CONV_COLS} FROM conversations WHERE id = ?",
                           (conversation_id,)).fetchone()
        if row is None:
            raise NotFoundError("This conversation no longer exists.")
        return conversation_from(row)

    def _message(self, conn: sqlite3.Connection, message_id: int) -> Message:
        row = conn.execute(f"SELECT {MSG_COLS} FROM messages WHERE id = ?",
                           (message_id,)).fetchone()
        if row is None:
            raise NotFoundError("This message no longer exists.")
        return Message(*row)

    def _message_in(self, conn: sqlite3.Connection, conversation_id: int,
                    message_id: int) -> Message:
        msg = self._message(conn, message_id)
        if msg.conversation_id != conversation_id:
            raise NotFoundError("This message is no longer in the conversation.")
        return msg

    def _insert(self, conn: sqlite3.Connection, conversation_id: int, parent_id: int | None,
                role: str, content: str, status: str = "complete", model: str | None = None,
                effort: str | None = None) -> int:
        """Insert a message; it becomes the current leaf, and the conversation active."""
        now = time.time()
        cur = conn.execute(
            "INSERT INTO messages (conversation_id, parent_id, role, content, status, model, "
            "effort, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (conversation_id, parent_id, role, content, status, model, effort, now, now))
        message_id = rowid(cur)
        conn.execute("UPDATE conversations SET current_leaf_id = ?, updated_at = ? "
                     "WHERE id = ?", (message_id, now, conversation_id))
        return message_id

    def _update_conversation(self, conn: sqlite3.Connection, conversation_id: int,
                             assignment: str, value: Any) -> None:
        cur = conn.execute(f"UPDATE conversations SET {assignment} WHERE id = ?",
                           (value, conversation_id))
        if cur.rowcount == 0:
            raise NotFoundError("This conversation no longer exists.")

    def _reset_leaf(self, conn: sqlite3.Connection, conversation_id: int,
                    parent_id: int | None) -> None:
        """After a delete: the newest branch under the deleted message's parent, else the
        newest anywhere in the conversation, else none (it is empty)."""
        leaf = None
        if parent_id is not None:
            leaf = conn.execute(NEWEST_LEAF_UNDER, (parent_id,)).fetchone()[0]
        if leaf is None:
            leaf = conn.execute(NEWEST_LEAF, (conversation_id,)).fetchone()[0]
        conn.execute("UPDATE conversations SET current_leaf_id = ? WHERE id = ?",
                     (leaf, conversation_id))
