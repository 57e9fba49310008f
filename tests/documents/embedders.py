"""Embedding functions made from the gemma test model, standing in for the small
multilingual embedding model that the app's embedding worker will run.

``llama_embedder`` is the real path: llama.cpp's embedding mode (mean pooling) on the
GGUF. Gemma 3 270M is a causal language model with a 262k-token output head that
llama.cpp evaluates for every token in embedding mode, so it costs about 15 ms per token
on this machine: right for checking the path works, too slow for a 300-chunk test set.

``static_embedder`` reads the same model's input token embeddings (its first layer)
straight from the GGUF and averages them over a text's content tokens, the way static
embedding models (model2vec and kin) work: real vectors from real weights, in
microseconds, for the retrieval-quality measurement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from app.documents.retrieve import STOPWORDS
from app.documents.vectors import Embedder

Embed = Callable[[list[str]], Sequence[Sequence[float]]]


def llama_embedder(model_path: Path, n_ctx: int = 512, n_threads: int = 1) -> Embedder:
    import llama_cpp

    llm = llama_cpp.Llama(str(model_path), embedding=True, n_ctx=n_ctx, n_batch=n_ctx,
                          n_ubatch=n_ctx, n_threads=n_threads, verbose=False,
                          pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN)

    def embed(texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in llm.embed(texts, truncate=True)]

    return Embedder(name="gemma3-270m-mean", embed=embed)


def static_embedder(model_path: Path) -> Embedder:
    import gguf
    import llama_cpp

    table = _token_table(model_path)
    qtype = gguf.GGMLQuantizationType.Q8_0
    vocab = llama_cpp.Llama(str(model_path), vocab_only=True, verbose=False)
    common = gguf.quants.dequantize(table[::16], qtype).mean(axis=0)

    def content_tokens(text: str) -> list[int]:
        tokens = vocab.tokenize(text.encode(), add_bos=False)
        keep = []
        for token in tokens:
            piece = vocab.detokenize([token]).decode("utf-8", "ignore").strip().lower()
            if any(c.isalnum() for c in piece) and piece not in STOPWORDS:
                keep.append(token)
        return keep or tokens

    def embed(texts: list[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            rows = gguf.quants.dequantize(table[content_tokens(text)], qtype)
            vectors.append((rows.mean(axis=0) - common).tolist())
        return vectors

    return Embedder(name="gemma3-270m-static", embed=embed)


def _token_table(model_path: Path) -> np.ndarray:
    """The Q8_0 token-embedding matrix, memory-mapped, one row per token.

    gguf's own reader parses every one of the 262k vocabulary strings (20 s here); the
    app's header reader skips them, and tensors lie in directory order, each aligned.
    """
    from app.gguf_header import read_header

    header = read_header(model_path)
    alignment = int(header.metadata.get("general.alignment", 32))
    offset = header.data_offset
    for name, size in header.tensors:
        if name == "token_embd.weight":
            rows = size // 680
            assert size == rows * 680, "expected Q8_0 rows of 640 values"
            return np.memmap(model_path, dtype=np.uint8, mode="r", offset=offset,
                             shape=(rows, 680))
        offset += (size + alignment - 1) // alignment * alignment
    raise LookupError("no token_embd.weight")


def gguf_embedder(model_path: Path, n_threads: int = 2) -> Embedder:
    """An embedding GGUF run in this process, loaded as the app's embedding worker loads
    it (``embedding_request``: its trained context, its own pooling) and given its
    family's prefixes and figures (``app.documents.embedding.PROMPTS``)."""
    import llama_cpp

    from app.documents.embedding import family_of
    from app.engine.model_load import embedding_request
    from app.gguf_header import read_header

    req, extra = embedding_request(llama_cpp, read_header(model_path), {})
    llm = llama_cpp.Llama(str(model_path), n_ctx=req["n_ctx"], n_batch=req["n_batch"],
                          n_ubatch=req["n_ubatch"], n_threads=n_threads, verbose=False,
                          **extra)

    def embed(texts: list[str]) -> list[list[float]]:  # one at a time, as the worker does
        return [list(map(float, llm.embed(t, normalize=True, truncate=True))) for t in texts]

    return family_of(model_path).embedder(model_path.name, embed)
