"""Conversation titles made from what the user first wrote."""

from __future__ import annotations

TITLE_CHARS = 60


def derive_title(text: str, limit: int = TITLE_CHARS) -> str:
    """The first line that says something, cut near ``limit`` characters at a word.

    Code fences are skipped (a title of "```python" tells nobody anything) and runs of
    whitespace collapse, so a pasted, indented first line still reads well in a sidebar.
    """
    line = next((" ".join(raw.split()) for raw in text.splitlines()
                 if raw.strip() and not raw.lstrip().startswith("```")), "")
    if len(line) <= limit:
        return line
    cut = line[:limit]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-–—") + "…"
