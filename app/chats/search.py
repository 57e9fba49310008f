"""Turning what a user types into a safe full-text query, and showing where it matched.

User text never reaches FTS5's query syntax: each word becomes a quoted string (``"``
doubled inside), so ``"``, ``*``, ``AND``, ``NEAR(`` or ``-`` are searched for as text,
never parsed. The index uses the trigram tokenizer, so any word of three or more
characters matches inside words and in scripts without spaces (Chinese, Japanese).
Shorter words cannot use a trigram index; they become ``LIKE`` filters instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
