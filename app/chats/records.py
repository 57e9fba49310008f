"""The history's records as Python sees them (:class:`Conversation`, :class:`Message`,
:class:`SearchHit`) and the SQL that reads them back, shared by the store, its search
and its import.

Plain data with no behaviour and no imports from the rest of :mod:`app.chats`, so that
the store, the answer writer, search and export can all use them without importing one
another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.config.sqlcipher import driver as sqlite3


@dataclass
class Conversation:
    """One chat in the sidebar. ``current_leaf_id`` is the last message of the branch
    on screen; ``system_prompt`` None means the default from the settings applies;
    ``deleted_at`` is set while the conversation sits in the undo window; ``from_app``
    is None for a conversation held in Cove, else the program that held it through the
    local API (its name from the User-Agent; '' when it gave none)."""

    id: int
    title: str
    created_at: float
    updated_at: float
    pinned: bool
    system_prompt: str | None
    current_leaf_id: int | None
    deleted_at: float | None = None
    from_app: str | None = None


@dataclass
class Message:
    """One user message or assistant answer. ``status`` is complete / streaming /
    stopped / interrupted / error; times are Unix seconds."""

    id: int
    conversation_id: int
    parent_id: int | None
    role: str
    content: str
    reasoning: str
    effort: str | None
    model: str | None
    status: str
    error: str | None
    prompt_tokens: int | None
    completion_tokens: int | None
    reasoning_ms: int | None
    tokens_per_s: float | None
    created_at: float
    updated_at: float
    tool_calls: str = ""  # JSON list of the answer's tool calls ('' for none)

    def calls(self) -> list[dict[str, Any]]:
        """The answer's tool calls (tool, arguments, status, result, ms …), in order."""
        return parse_tool_calls(self.tool_calls)


def parse_tool_calls(text: str) -> list[dict[str, Any]]:
    """A saved list of tool calls; [] for none or a damaged one (the answer still shows)."""
    if not text:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [c for c in value if isinstance(c, dict)] if isinstance(value, list) else []


@dataclass
class SearchHit:
    """A search result. ``message_id`` None means the title matched; otherwise the
    message may be on another branch: ``select_leaf(conversation_id, message_id)``
    brings it on screen."""

    conversation_id: int
    message_id: int | None
    title: str
    snippet: str


CONV_COLS = ("id, title, created_at, updated_at, pinned, system_prompt, current_leaf_id, "
             "deleted_at, from_app")
MSG_NAMES = ("id", "conversation_id", "parent_id", "role", "content", "reasoning", "effort",
              "model", "status", "error", "prompt_tokens", "completion_tokens",
              "reasoning_ms", "tokens_per_s", "created_at", "updated_at", "tool_calls")


def with_parts(table: str, column: str) -> str:
    """SQL for a message's ``content`` or ``reasoning`` with the parts a streaming
    answer has saved so far (schema version 4) appended in order; ``table`` is the
    name or alias the query gives ``messages``."""
    return (f"{table}.{column} || (SELECT coalesce(group_concat(p.{column}, '' "
            f"ORDER BY p.id), '') FROM answer_parts p WHERE p.message_id = {table}.id)")


def _columns(table: str) -> str:
    """MSG_NAMES for a SELECT: a streaming answer reads whole, parts included."""
    return ", ".join(
        f"CASE WHEN {table}.status = 'streaming' THEN {with_parts(table, name)} "
        f"ELSE {table}.{name} END" if name in ("content", "reasoning") else
        f"{table}.{name}" for name in MSG_NAMES)


MSG_COLS = _columns("messages")
M_COLS = _columns("m")

# Root → leaf: walk up from the leaf by primary key, then read the rows in one join.
PATH_SQL = f"""
WITH RECURSIVE chain(id, depth) AS (
    SELECT id, 0 FROM messages WHERE id = ? AND conversation_id = ?
    UNION ALL
    SELECT m.parent_id, chain.depth + 1 FROM chain JOIN messages m ON m.id = chain.id
    WHERE m.parent_id IS NOT NULL)
SELECT {M_COLS} FROM chain JOIN messages m ON m.id = chain.id ORDER BY chain.depth DESC
"""
SUBTREE = """
WITH RECURSIVE sub(id) AS (
    SELECT ? UNION ALL SELECT m.id FROM messages m JOIN sub ON m.parent_id = sub.id)
"""
NEWEST_LEAF_UNDER = SUBTREE + """
SELECT max(sub.id) FROM sub
WHERE NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = sub.id)
"""
NEWEST_LEAF = """
SELECT max(m.id) FROM messages m WHERE m.conversation_id = ?
AND NOT EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = m.id)
"""


def conversation_from(row: tuple[Any, ...]) -> Conversation:
    """A :data:`CONV_COLS` row as a Conversation."""
    return Conversation(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6], row[7],
                        row[8])


def rowid(cur: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just added."""
    rowid = cur.lastrowid
    assert rowid is not None
    return rowid
