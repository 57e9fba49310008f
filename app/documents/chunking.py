"""Cutting a unit's text into chunks for search, at natural boundaries.

Chunks never cross a unit (so every chunk has one page to cite) and cover the unit's
text exactly, end to end: joining a unit's chunks gives its text back, which is how
the full text is put together when a document fits the context whole, and why
neighbouring chunks can be joined into one passage without repeats.

About 1,000 characters (roughly 250 tokens) per chunk: small enough that a hit points
at one passage on one page, large enough to hold a fact with its context.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TARGET_CHARS = 1000
LIMIT_CHARS = 1500

_SENTENCE_END = re.compile(r"[.!?。！？…][\"')\]»”’]*\s+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Chunk:
    start: int  # character offsets in the unit's text
    end: int
    text: str


def split(text: str, target: int = TARGET_CHARS, limit: int = LIMIT_CHARS) -> list[Chunk]:
    """Chunks of ``text`` near ``target`` characters, never above ``limit`` unless a
    single word is longer; nothing for text that is only whitespace."""
    if not text.strip():
        return []
    chunks: list[Chunk] = []
    pos = 0
    while pos < len(text):
        end = len(text) if len(text) - pos <= limit else _cut(text, pos, target, limit)
        chunks.append(Chunk(pos, end, text[pos:end]))
        pos = end
    return chunks


def _cut(text: str, pos: int, target: int, limit: int) -> int:
    """Where the chunk starting at ``pos`` should end: the line break, else the sentence
    end, else the space nearest to the target, never before half the target."""
    low, goal, high = pos + target // 2, pos + target, pos + limit
    window = text[low:high]
    for finder in (_line_breaks, _sentence_ends, _spaces):
        cuts = [low + offset for offset in finder(window)]
        if cuts:
            return min(cuts, key=lambda cut: abs(cut - goal))
    return high


def _line_breaks(window: str) -> list[int]:
    return [m.end() for m in re.finditer(r"\n+", window)]


def _sentence_ends(window: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(window)]


def _spaces(window: str) -> list[int]:
    return [m.end() for m in _SPACE.finditer(window)]


_WIDE_CHARS = "\u2e80-\ua4cf\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_WORDS = re.compile(rf"[^\W\d_{_WIDE_CHARS}]+")
_LONG_WORDS = re.compile(rf"[^\W\d_{_WIDE_CHARS}]{{8,}}")
_WIDE = re.compile(rf"[{_WIDE_CHARS}]")
_DIGITS = re.compile(r"\d")
_SYMBOLS = re.compile(r"[^\w\s]")
_GAPS = re.compile(r"\n|[ \t]{2,}")


def estimate_tokens(text: str) -> int:
    """Tokens ``text`` will take, estimated without a tokenizer (the GUI process has
    none) and on the high side, so that a document judged to fit really does.

    Counted the way large BPE vocabularies (gpt-oss's o200k, Gemma's 262k) cut text: a
    word is a token, a word of eight letters or more two; a CJK character is a token; so
    is each digit (Gemma and Llama split numbers into digits), each punctuation mark,
    each line break and each run of indentation.
    """
    words = len(_WORDS.findall(text)) + len(_LONG_WORDS.findall(text))
    return (words + len(_WIDE.findall(text)) + len(_DIGITS.findall(text))
            + len(_SYMBOLS.findall(text)) + len(_GAPS.findall(text)) + 1)
