"""Turning what a user types into a safe full-text query, and showing where it matched.

User text never reaches FTS5's query syntax: each word becomes a quoted string (``"``
doubled inside), so ``"``, ``*``, ``AND``, ``NEAR(`` or ``-`` are searched for as text,
never parsed. The index uses the trigram tokenizer, so any word of three or more
characters matches inside words and in scripts without spaces (Chinese, Japanese).
Shorter words cannot use a trigram index; they become ``LIKE`` filters instead.

:func:`find` runs a parsed query over the history (titles, then messages).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.chats.records import SearchHit
from app.config.sqlcipher import driver as sqlite3

MAX_TERMS = 16
SNIPPET_BEFORE = 40
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Query:
    """A parsed search: an FTS5 MATCH expression (or None) and LIKE patterns."""

    terms: list[str] = field(default_factory=list)
    match: str | None = None
    likes: list[str] = field(default_factory=list)


def parse(text: str) -> Query:
    """Split on whitespace; every word must occur (in any order, in any field)."""
    terms = list(dict.fromkeys(text.split()))[:MAX_TERMS]
    long = [t for t in terms if len(t) >= 3]
    short = [t for t in terms if len(t) < 3]
    match = " AND ".join(quote(t) for t in long) or None
    return Query(terms, match, [f"%{escape_like(t)}%" for t in short])


def quote(term: str) -> str:
    """``term`` as an FTS5 string literal: matched as text, whatever it contains."""
    return '"' + term.replace('"', '""') + '"'


def escape_like(term: str) -> str:
    """``term`` for ``LIKE ... ESCAPE '\\'``: ``%`` and ``_`` match themselves."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def snippet(text: str, terms: list[str], width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` on one line, around the first match.

    Done here rather than with FTS5's ``snippet()``, whose "tokens" are trigrams and so
    cut at odd places; the Qt layer highlights the terms itself.
    """
    lowered = text.lower()
    same_length = len(lowered) == len(text)
    found = [lowered.find(t.lower()) for t in terms] if same_length else []
    hits = [i for i in found if i >= 0]
    start = max(0, min(hits) - SNIPPET_BEFORE) if hits else 0
    window = " ".join(text[start:start + width * 2].split())
    prefix = "…" if start > 0 else ""
    more = len(window) > width or start + width * 2 < len(text)
    return prefix + window[:width] + ("…" if more else "")


def find(conn: sqlite3.Connection, query: Query, limit: int) -> list[SearchHit]:
    """Title hits first (pinned, then recent), then message hits newest first, at most
    ``limit`` in all; see :meth:`app.chats.store.ChatStore.search`."""
    hits = _titles(conn, query, limit)
    if len(hits) < limit:
        hits += _messages(conn, query, limit - len(hits))
    return hits


def _titles(conn: sqlite3.Connection, query: Query, limit: int) -> list[SearchHit]:
    where, params = ["c.deleted_at IS NULL"], []
    source = "conversations c"
    if query.match:
        source = "conversation_fts JOIN conversations c ON c.id = conversation_fts.rowid"
        where.append("conversation_fts MATCH ?")
        params.append(query.match)
    for like in query.likes:
        where.append("c.title LIKE ? ESCAPE '\\'")
        params.append(like)
    rows = conn.execute(f"SELECT c.id, c.title FROM {source} WHERE {' AND '.join(where)} "
                        "ORDER BY c.pinned DESC, c.updated_at DESC LIMIT ?",
                        (*params, limit))
    return [SearchHit(cid, None, title, "") for cid, title in rows]

def _messages(conn: sqlite3.Connection, query: Query, limit: int) -> list[SearchHit]:
    where, params = ["c.deleted_at IS NULL"], []
    source, order = "messages m", "m.id DESC"
    if query.match:
        source = "message_fts JOIN messages m ON m.id = message_fts.rowid"
        where.append("message_fts MATCH ?")
        params.append(query.match)
        order = "message_fts.rowid DESC"
    else:
        where.append("m.status != 'streaming'")  # as the index: finished text only
    for like in query.likes:
        where.append("(m.content LIKE ? ESCAPE '\\' OR m.reasoning LIKE ? ESCAPE '\\' "
                     "OR m.tool_calls LIKE ? ESCAPE '\\')")
        params += [like, like, like]
    # CROSS JOIN keeps messages as the outer loop, newest first, so a common word
    # stops after ``limit`` rows instead of sorting every match.
    rows = conn.execute(
        f"SELECT m.conversation_id, m.id, c.title, m.content, m.reasoning || "
        f"CASE WHEN m.tool_calls != '' THEN ' ' || m.tool_calls ELSE '' END FROM {source} "
        "CROSS JOIN conversations c ON c.id = m.conversation_id "
        f"WHERE {' AND '.join(where)} ORDER BY {order} LIMIT ?", (*params, limit))
    return [SearchHit(cid, mid, title, _hit_snippet(content, reasoning, query.terms))
            for cid, mid, title, content, reasoning in rows]


def _hit_snippet(content: str, reasoning: str, terms: list[str]) -> str:
    """The snippet from the answer when it matched there, else from the reasoning."""
    lowered = content.lower()
    in_content = any(term.lower() in lowered for term in terms)
    return snippet(content if in_content or not reasoning else reasoning, terms)
