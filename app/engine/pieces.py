"""A token's bytes as llama.cpp writes them, however long the piece.

llama-cpp-python's ``Llama.detokenize`` reads each token into a 32-byte buffer. For a
longer piece ``llama_token_to_piece`` answers with the negative size it needs, the
package slices its buffer with that negative end, and the token comes back empty or as
stale bytes. Real vocabularies have such tokens: Gemma 3 has 379 of 33–48 bytes, and
o200k (gpt-oss) has long runs of spaces, dashes and ``=`` (code indentation, rules).
So an answer lost text wherever the model chose one. Cove asks with a buffer that
fits and grows it when told (docs/FACTS.md).
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Iterable
from typing import Any

FIRST_SIZE = 64  # bytes; a piece longer than this is asked for again at its size


def piece(llm: Any, token: int, special: bool) -> bytes:
    """The bytes of ``token`` (``special``: control tokens as their text)."""
    # llama.cpp's functions from the module the worker loaded ``llm`` with: only the
    # worker process imports llama.cpp (an import rule in pyproject.toml).
    lib = sys.modules["llama_cpp"].llama_cpp
    vocab = llm._model.vocab
    size = FIRST_SIZE
    while True:
        buffer = ctypes.create_string_buffer(size)
        n = lib.llama_token_to_piece(vocab, lib.llama_token(token), buffer, size, 0,
                                     special)
        if n >= 0:
            return buffer.raw[:n]
        size = -n


def pieces(llm: Any, tokens: Iterable[int], special: bool) -> bytes:
    """The bytes of ``tokens`` one after the other, as they were generated."""
    return b"".join(piece(llm, token, special) for token in tokens)
