"""Markdown that holds no raw HTML, for exports that other programs will render.

An exported conversation is read in Markdown viewers (a code forge, an editor's preview,
a notes app). In Markdown, ``<`` followed by a letter, ``/``, ``!`` or ``?`` starts raw
HTML, and viewers hide tags they do not know: ``Vec<String>`` becomes ``Vec``, a
``<documents>`` line disappears. Model and user text is never HTML, so every such ``<`` is
written as the entity ``&lt;``, except where Markdown shows it literally anyway: fenced
code, indented code, inline code spans and autolinks (``<https://…>``). The entity, not
CommonMark's backslash escape, because it also holds inside the ``<details>`` block that
carries the reasoning, where some viewers read the text as HTML.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_AUTOLINK = re.compile(
    r"<(?:[A-Za-z][A-Za-z0-9.+-]{1,31}:[^<>\s]*"
    r"|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>")
_BACKTICKS = re.compile(r"`+")


def without_html(text: str) -> str:
    """``text`` as Markdown in which nothing is read as raw HTML."""
    out: list[str] = []
    prose: list[str] = []
    fence = ""
    previous_blank = True
    for line in text.split("\n"):
        if fence:
            out.append(line)
            stripped = line.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                fence = ""
            continue
        opening = _FENCE.match(line)
        indented_code = previous_blank and not prose and _indented(line)
        if opening or indented_code:
            out.extend(_escape_prose("\n".join(prose)).split("\n") if prose else [])
            prose.clear()
            out.append(line)
            if opening:
                fence = opening.group(1)
            previous_blank = False
            continue
        if not line.strip():
            out.extend(_escape_prose("\n".join(prose)).split("\n") if prose else [])
            prose.clear()
            out.append(line)
            previous_blank = True
            continue
        prose.append(line)
        previous_blank = False
    if prose:
        out.extend(_escape_prose("\n".join(prose)).split("\n"))
    return "\n".join(out)


def _indented(line: str) -> bool:
    return line.startswith(("    ", "\t")) and bool(line.strip())


def _escape_prose(paragraph: str) -> str:
    """Escape tag starts in one paragraph, outside code spans and autolinks."""
    pieces: list[str] = []
    position = 0
    for start, end in _code_spans(paragraph):
        pieces.append(_escape_outside_code(paragraph[position:start]))
        pieces.append(paragraph[start:end])
        position = end
    pieces.append(_escape_outside_code(paragraph[position:]))
    return "".join(pieces)


def _code_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span: a run of backticks up to the next run of
    the same length (CommonMark); an unmatched run is literal text."""
    spans: list[tuple[int, int]] = []
    runs = list(_BACKTICKS.finditer(paragraph))
    i = 0
    while i < len(runs):
        opener = runs[i]
        if opener.start() > 0 and paragraph[opener.start() - 1] == "\\":
            i += 1
            continue
        closer = next((j for j in range(i + 1, len(runs))
                       if len(runs[j].group()) == len(opener.group())), None)
        if closer is None:
            i += 1
            continue
        spans.append((opener.start(), runs[closer].end()))
        i = closer + 1
    return spans


def _escape_outside_code(text: str) -> str:
    pieces: list[str] = []
    position = 0
    for link in _AUTOLINK.finditer(text):
        pieces.append(_escape_tags(text[position:link.start()]))
        pieces.append(link.group())
        position = link.end()
    pieces.append(_escape_tags(text[position:]))
    return "".join(pieces)


def _escape_tags(text: str) -> str:
    return _TAG_START.sub("&lt;", text)
