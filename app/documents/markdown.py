"""Markdown as sections split at its headings, the text kept as written.

The model reads Markdown well, so tables and code blocks stay as they are; only the
structure is parsed: ATX (``## Title``) and setext (underlined) headings outside fenced
code blocks and outside YAML front matter.
"""

from __future__ import annotations

import re

from app.documents.units import Unit

_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_OR_QUOTE = re.compile(r"^ {0,3}([-*+>]|\d+[.)])\s")


def _headings(lines: list[str]) -> dict[int, tuple[int, str, int]]:
    """line index → (level, text, lines it spans) for each heading."""
    found: dict[int, tuple[int, str, int]] = {}
    fence = ""
    start = _front_matter_end(lines)
    for i in range(start, len(lines)):
        line = lines[i]
        match = _FENCE.match(line)
        if match and (not fence or match.group(1)[0] == fence[0]):
            fence = "" if fence else match.group(1)
            continue
        if fence:
            continue
        atx = _ATX.match(line)
        if atx:
            found[i] = (len(atx.group(1)), atx.group(2), 1)
        elif (i + 1 < len(lines) and line.strip() and not _LIST_OR_QUOTE.match(line)
              and _SETEXT.match(lines[i + 1]) and i not in found
              and (i == 0 or not lines[i - 1].strip() or i - 1 in found)):
            level = 1 if lines[i + 1].strip()[0] == "=" else 2
            found[i] = (level, line.strip(), 2)
    return found


def _front_matter_end(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                return i + 1
    return 0


def read_markdown(text: str) -> list[Unit]:
    """Sections with their heading paths. A heading with no text of its own (a chapter
    title straight before its first section) joins the section that follows."""
    lines = text.split("\n")
    headings = _headings(lines)
    raw: list[tuple[str, list[str], int]] = []  # heading path, lines, heading lines
    path: list[tuple[int, str]] = []
    current: list[str] = []
    span = 0
    i = 0
    while i < len(lines):
        if i in headings:
            raw.append((" › ".join(t for _, t in path), current, span))
            level, title, span = headings[i]
            while path and path[-1][0] >= level:
                path.pop()
            path.append((level, title))
            current = lines[i: i + span]
            i += span
            continue
        current.append(lines[i])
        i += 1
    raw.append((" › ".join(t for _, t in path), current, span))
    return _merge(raw)


def _merge(raw: list[tuple[str, list[str], int]]) -> list[Unit]:
    units: list[Unit] = []
    pending = ""
    for number, (heading, lines, span) in enumerate(raw):
        body = "\n".join(lines).strip("\n")
        if not body.strip():
            continue
        own_text = any(line.strip() for line in lines[span:])
        if not own_text and number + 1 < len(raw):
            pending += body + "\n\n"
            continue
        units.append(Unit(len(units), pending + body + "\n", heading=heading))
        pending = ""
    return units
