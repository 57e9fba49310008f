"""Writes a full-size synthetic gpt-oss-20b: the real model's cost per token, no download.

Same tensor names, shapes and types as the published gpt-oss-20b GGUF (459 tensors:
24 blocks, 2880 wide, 64 query / 8 KV heads of 64, 32 experts with 4 active, a
201,088-token vocabulary; experts MXFP4, the other matrices Q8_0, the router, norms,
biases and sinks F32), the real chat template and harmony control tokens at their real
ids (``<|start|>`` is 200006). The weights are nonsense, so speed, memory and loading
are the real model's and the words are not.

Fast to write (about a minute for 12 GB, mostly the disk): quantised blocks are written
as bytes, cycling through a pool of random blocks whose length is a prime, so that
rows, experts and embeddings differ from one another (the router then picks different
experts for different tokens, as it does in the real model, and touches all of them).
The bytes are chosen so that llama.cpp computes with finite numbers throughout: every
Q8_0 block has the same small fp16 scale, every MXFP4 block the same E8M0 exponent
(255 would be NaN), and the output rows of the control tokens are zero so that greedy
sampling never ends a benchmark early on ``<|return|>``.

The tokenizer is byte-level BPE with merges for letter pairs (English comes out at
about two characters a token; the real one makes about four), byte tokens, filler
tokens up to the control tokens and the control tokens themselves.

``ensure(n_layer)`` writes the file once into the cache folder (``COVE_BENCH_CACHE`` or
``~/.cache/cove-bench``) and returns its path; fewer layers make quick runs (1.2 GB of
the 12 GB are the embedding and output matrices, each block adds 0.45 GB).
``python -m tests.support.synthetic_gpt_oss [--layers N]`` does the same from a shell.
"""

from __future__ import annotations

import argparse
import os
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from tests.support.tiny_gpt_oss import (
    SPECIAL_TOKENS,
    _bytes_to_unicode,
    add_tokenizer,
    chat_template,
)

VERSION = 1  # part of the file name: change it when the bytes change
N_LAYER = 24
N_EMBD = 2880
N_HEAD, N_HEAD_KV, HEAD_DIM = 64, 8, 64
N_EXPERT, N_EXPERT_USED, N_FF = 32, 4, 2880
N_VOCAB = 201_088
FIRST_SPECIAL = 199_998  # <|startoftext|>; the control tokens follow in SPECIAL_TOKENS' order
CONTEXT_LENGTH = 131_072
QK = 32  # values per Q8_0 / MXFP4 block
Q8_0_BLOCK = 2 + QK  # fp16 scale, 32 int8
MXFP4_BLOCK = 1 + QK // 2  # E8M0 exponent, 32 nibbles
POOL_BLOCKS = 65_521  # a prime: block i of a tensor is pool block i mod POOL_BLOCKS
Q8_0_SCALE = 1 / 1024  # |w| <= 0.124: activations stay small
EMBD_SCALE = 1 / 128  # |embedding| <= 1
MXFP4_EXPONENT = 119  # 2^(119-128): |w| <= 12 * 2^-9
CHUNK = 64 << 20  # bytes written at once
TEMPLATE_CACHE = Path(__file__).resolve().parent.parent / ".cache"  # the tests' copy

F32, Q8_0, MXFP4 = "F32", "Q8_0", "MXFP4"


@dataclass(frozen=True)
class TensorSpec:
    """One tensor as llama.cpp sees it: ``shape`` in GGUF order (fastest dimension
    first, as ``gguf-dump`` prints it)."""

    name: str
    shape: tuple[int, ...]
    kind: str  # F32, Q8_0 or MXFP4

    @property
    def n_values(self) -> int:
        return int(np.prod(self.shape))

    @property
    def nbytes(self) -> int:
        if self.kind == F32:
            return 4 * self.n_values
        block = Q8_0_BLOCK if self.kind == Q8_0 else MXFP4_BLOCK
        return self.n_values // QK * block


def tensor_table(n_layer: int = N_LAYER) -> list[TensorSpec]:
    """The tensors of gpt-oss-20b (``n_layer`` blocks of it), in the file's order."""
    q, kv = N_HEAD * HEAD_DIM, N_HEAD_KV * HEAD_DIM
    table = [TensorSpec("token_embd.weight", (N_EMBD, N_VOCAB), Q8_0)]
    for i in range(n_layer):
        p = f"blk.{i}."
        table += [
            TensorSpec(p + "attn_norm.weight", (N_EMBD,), F32),
            TensorSpec(p + "attn_q.weight", (N_EMBD, q), Q8_0),
            TensorSpec(p + "attn_q.bias", (q,), F32),
            TensorSpec(p + "attn_k.weight", (N_EMBD, kv), Q8_0),
            TensorSpec(p + "attn_k.bias", (kv,), F32),
            TensorSpec(p + "attn_v.weight", (N_EMBD, kv), Q8_0),
            TensorSpec(p + "attn_v.bias", (kv,), F32),
            TensorSpec(p + "attn_output.weight", (q, N_EMBD), Q8_0),
            TensorSpec(p + "attn_output.bias", (N_EMBD,), F32),
            TensorSpec(p + "attn_sinks.weight", (N_HEAD,), F32),
            TensorSpec(p + "post_attention_norm.weight", (N_EMBD,), F32),
            TensorSpec(p + "ffn_gate_inp.weight", (N_EMBD, N_EXPERT), F32),
            TensorSpec(p + "ffn_gate_inp.bias", (N_EXPERT,), F32),
            TensorSpec(p + "ffn_gate_exps.weight", (N_EMBD, N_FF, N_EXPERT), MXFP4),
            TensorSpec(p + "ffn_gate_exps.bias", (N_FF, N_EXPERT), F32),
            TensorSpec(p + "ffn_up_exps.weight", (N_EMBD, N_FF, N_EXPERT), MXFP4),
            TensorSpec(p + "ffn_up_exps.bias", (N_FF, N_EXPERT), F32),
            TensorSpec(p + "ffn_down_exps.weight", (N_FF, N_EMBD, N_EXPERT), MXFP4),
            TensorSpec(p + "ffn_down_exps.bias", (N_EMBD, N_EXPERT), F32),
        ]
    table += [TensorSpec("output_norm.weight", (N_EMBD,), F32),
              TensorSpec("output.weight", (N_EMBD, N_VOCAB), Q8_0)]
    return table


def bytes_per_token(table: list[TensorSpec]) -> int:
    """Weight bytes one generated token reads: everything but the experts, 4 of 32 of
    each expert tensor, and one row of the embedding (the output matrix is read whole)."""
    total = 0
    for t in table:
        if t.name == "token_embd.weight":
            total += t.nbytes // N_VOCAB
        elif "_exps.weight" in t.name:
            total += t.nbytes * N_EXPERT_USED // N_EXPERT
        else:
            total += t.nbytes
    return total


def cache_dir() -> Path:
    return Path(os.environ.get("COVE_BENCH_CACHE") or Path.home() / ".cache" / "cove-bench")


def ensure(n_layer: int = N_LAYER, folder: Path | None = None) -> Path:
    """The synthetic model with ``n_layer`` blocks, written once (atomically: a half
    written file is never taken for a whole one)."""
    folder = folder or cache_dir()
    path = folder / f"gpt-oss-20b-synthetic-{n_layer}L-v{VERSION}.gguf"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    try:
        write(partial, n_layer, chat_template(TEMPLATE_CACHE))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


# -- the vocabulary --------------------------------------------------------------------

def vocabulary() -> tuple[list[str], list[int], list[str]]:
    """Tokens, their types (1 normal, 3 control) and BPE merges: 256 byte tokens,
    letter pairs (with and without a leading space), fillers, then the control tokens
    at gpt-oss's ids and ``<|reserved_N|>`` up to the end."""
    byte_map = _bytes_to_unicode()
    tokens = [byte_map[b] for b in range(256)]
    merges: list[str] = []
    space = byte_map[ord(" ")]
    letters = string.ascii_letters
    for first in [space, *letters]:
        for second in letters:
            tokens.append(first + second)
            merges.append(f"{first} {second}")
    tokens += ["".join(byte_map[b] for b in f"[{i}]".encode())
               for i in range(len(tokens), FIRST_SPECIAL)]
    types = [1] * len(tokens)
    tokens += SPECIAL_TOKENS
    tokens += [f"<|reserved_{i}|>" for i in range(len(tokens), N_VOCAB)]
    types += [3] * (N_VOCAB - len(types))
    assert len(tokens) == N_VOCAB and tokens[200006] == "<|start|>"
    return tokens, types, merges


# -- the file ---------------------------------------------------------------------------

def write(path: Path, n_layer: int, template: str, seed: int = 0) -> Path:
    """Write the GGUF: metadata and tensor table through the ``gguf`` package, then the
    tensor data as bytes, aligned as GGUFWriter aligns it."""
    import gguf

    tokens, types, merges = vocabulary()
    writer = gguf.GGUFWriter(str(path), "gpt-oss")
    writer.add_name("gpt-oss-20b synthetic")
    writer.add_file_type(getattr(gguf.LlamaFileType, "MOSTLY_MXFP4_MOE", 38))
    writer.add_context_length(CONTEXT_LENGTH)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(N_HEAD)
    writer.add_head_count_kv(N_HEAD_KV)
    writer.add_key_length(HEAD_DIM)
    writer.add_value_length(HEAD_DIM)
    writer.add_rope_dimension_count(HEAD_DIM)
    writer.add_rope_freq_base(150000.0)
    writer.add_rope_scaling_type(gguf.RopeScalingType.YARN)
    writer.add_rope_scaling_factor(32.0)
    writer.add_rope_scaling_orig_ctx_len(4096)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_expert_count(N_EXPERT)
    writer.add_expert_used_count(N_EXPERT_USED)
    writer.add_expert_feed_forward_length(N_FF)
    writer.add_sliding_window(128)
    add_tokenizer(writer, tokens, types, merges, FIRST_SPECIAL, template)
    table = tensor_table(n_layer)
    qtype = {F32: gguf.GGMLQuantizationType.F32, Q8_0: gguf.GGMLQuantizationType.Q8_0,
             MXFP4: gguf.GGMLQuantizationType.MXFP4}
    for t in table:
        byte_shape = (*reversed(t.shape[1:]), t.nbytes // int(np.prod(t.shape[1:])))
        writer.add_tensor_info(t.name, byte_shape, np.dtype(np.uint8), t.nbytes,
                               raw_dtype=qtype[t.kind])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    out = writer.fout[0] if isinstance(writer.fout, list) else writer.fout
    align = writer.data_alignment
    out.flush()
    rng = np.random.default_rng(seed)
    pools = {"q8": _q8_pool(rng, Q8_0_SCALE), "embd": _q8_pool(rng, EMBD_SCALE),
             "mxfp4": _mxfp4_pool(rng)}
    _pad(out, align)
    for t in table:
        for chunk in _tensor_bytes(t, pools, rng):
            out.write(chunk)
        _pad(out, align)
    writer.close()
    return path


def _pad(out: BinaryIO, align: int) -> None:
    out.write(b"\0" * (-out.tell() % align))


def _q8_pool(rng: np.random.Generator, scale: float) -> bytes:
    blocks = np.zeros((POOL_BLOCKS, Q8_0_BLOCK), np.uint8)
    blocks[:, :2] = np.frombuffer(np.float16(scale).tobytes(), np.uint8)
    blocks[:, 2:] = rng.integers(-127, 128, (POOL_BLOCKS, QK), np.int8).view(np.uint8)
    return blocks.tobytes()


def _mxfp4_pool(rng: np.random.Generator) -> bytes:
    blocks = np.zeros((POOL_BLOCKS, MXFP4_BLOCK), np.uint8)
    blocks[:, 0] = MXFP4_EXPONENT
    blocks[:, 1:] = rng.integers(0, 256, (POOL_BLOCKS, QK // 2), np.uint8)
    return blocks.tobytes()


def _tensor_bytes(t: TensorSpec, pools: dict[str, bytes],
                  rng: np.random.Generator) -> Iterator[bytes]:
    """The tensor's data in chunks of at most CHUNK bytes."""
    if t.kind == F32:
        yield _f32_values(t, rng).astype("<f4").tobytes()
        return
    if t.kind == MXFP4:
        yield from _cycle(pools["mxfp4"], t.nbytes)
        return
    if t.name == "token_embd.weight":
        yield from _cycle(pools["embd"], t.nbytes)
        return
    if t.name != "output.weight":
        yield from _cycle(pools["q8"], t.nbytes)
        return
    row = t.nbytes // N_VOCAB
    yield from _cycle(pools["q8"], row * FIRST_SPECIAL)
    silent = bytearray(pools["q8"][:Q8_0_BLOCK * (N_EMBD // QK)])  # one row, all zero
    for start in range(0, len(silent), Q8_0_BLOCK):
        silent[start + 2:start + Q8_0_BLOCK] = bytes(QK)
    yield bytes(silent) * (N_VOCAB - FIRST_SPECIAL)


def _f32_values(t: TensorSpec, rng: np.random.Generator) -> np.ndarray:
    if t.name.endswith("norm.weight"):
        return np.ones(t.n_values, np.float32)
    if t.name.endswith("ffn_gate_inp.weight"):  # the router: varied, so experts vary
        return rng.standard_normal(t.n_values).astype(np.float32) * 0.05
    return np.zeros(t.n_values, np.float32)  # biases and attention sinks


def _cycle(pool: bytes, nbytes: int) -> Iterator[bytes]:
    """``nbytes`` of ``pool`` repeated from its start."""
    big = pool * max(1, CHUNK // len(pool))
    for start in range(0, nbytes, len(big)):
        yield big[: min(len(big), nbytes - start)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", type=int, default=N_LAYER)
    args = parser.parse_args()
    print(ensure(args.layers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
