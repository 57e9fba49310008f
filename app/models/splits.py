"""Split GGUF names (``name-00001-of-00003.gguf``): one model stored as several files.

llama.cpp's ``gguf-split`` names the parts this way and loads the whole model from the
first one, so Cove downloads, lists, verifies and deletes them together.
"""

from __future__ import annotations

import re

_SPLIT = re.compile(r"^(?P<stem>.*)-(?P<no>\d{5})-of-(?P<count>\d{5})\.gguf$")


def split_info(filename: str) -> tuple[str, int, int] | None:
    """(stem, part number, part count) for a split part's name, else None."""
    match = _SPLIT.match(filename)
    if match is None:
        return None
    number, count = int(match["no"]), int(match["count"])
    if not 1 <= number <= count:
        return None
    return match["stem"], number, count


def part_names(filename: str) -> list[str]:
    """Every file of the model ``filename`` belongs to, first part first."""
    info = split_info(filename)
    if info is None:
        return [filename]
    stem, _, count = info
    return [f"{stem}-{n:05d}-of-{count:05d}.gguf" for n in range(1, count + 1)]


def first_part(filename: str) -> str:
    """The file llama.cpp is given: the first part of a split model, or the file itself."""
    return part_names(filename)[0]
