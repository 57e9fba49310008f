"""Tokens longer than 32 bytes come back whole (app/engine/pieces.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine import pieces


@pytest.fixture(scope="module")
def gemma_vocab(gemma_path: Path):  # type: ignore[no-untyped-def]
    from llama_cpp import Llama

    return Llama(model_path=str(gemma_path), vocab_only=True, verbose=False)


def _needed(llm, token: int) -> int:  # type: ignore[no-untyped-def]
    from llama_cpp import llama_cpp as lib

    return -lib.llama_token_to_piece(llm._model.vocab, token, None, 0, 0, True)


def test_long_tokens_come_back_whole(gemma_vocab) -> None:  # type: ignore[no-untyped-def]
    long = [t for t in range(gemma_vocab.n_vocab()) if _needed(gemma_vocab, t) > 32]
    assert len(long) > 100  # Gemma 3 has hundreds; the package's 32-byte reads lose them
    for token in long:
        got = pieces.piece(gemma_vocab, token, special=True)
        assert len(got) == _needed(gemma_vocab, token)
        assert gemma_vocab.tokenize(got, add_bos=False, special=True) == [token]
    joined = pieces.pieces(gemma_vocab, long[:5], special=True)
    assert joined == b"".join(pieces.piece(gemma_vocab, t, True) for t in long[:5])


def test_short_and_control_tokens_as_before(gemma_vocab) -> None:  # type: ignore[no-untyped-def]
    tokens = gemma_vocab.tokenize(b"The lighthouse keeper logged the comet.",
                                  add_bos=False)
    assert pieces.pieces(gemma_vocab, tokens, special=True) == \
        b"The lighthouse keeper logged the comet."
    eos = gemma_vocab.token_eos()
    assert pieces.piece(gemma_vocab, eos, special=True) == \
        bytes(gemma_vocab.detokenize([eos], special=True))
    assert pieces.piece(gemma_vocab, eos, special=False) == b""
