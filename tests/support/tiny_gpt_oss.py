"""Builds a tiny random-weight GGUF of the gpt-oss architecture that llama.cpp loads.

Real chat template (read from the llama.cpp sources in the llama-cpp-python sdist),
real harmony special tokens, a byte-level BPE vocabulary with the o200k ("gpt-4o")
pre-tokenizer, two transformer blocks with four experts. About half a megabyte.

``favour`` makes every step's most likely next token that one token (all blocks add
nothing to the residual stream, every embedding is the same vector, and the output row
of the favoured token points along it): a way to test stop tokens with real sampling.

``successors`` scripts the model instead: each token's embedding is its own one-hot
vector, the blocks add nothing, and the output row of ``successors[t]`` points along
``t``'s vector, so after token ``t`` the model writes ``successors[t]`` (with
probability ~1 - 1e-5 at temperature 1). ``{"assistant": "<|channel|>",
"<|channel|>": "analysis", …}`` makes real harmony output through real llama.cpp.

``words`` adds whole tokens to the vocabulary (``" to=functions.lookup "``), so a
script can write a tool call. ``after_marker`` makes the scripted model *read*: when
``marker`` (one byte, ``"~"``) appears earlier in the context, token ``t`` is followed
by ``after_marker[t]`` instead of ``successors[t]`` (at most four such tokens). One
attention head per entry does it: its query comes only from ``t``, its key and value
only from the marker (on the slowest rotary dimension, so distance hardly matters), and
its output adds a flag dimension that the output row of ``after_marker[t]`` reads.
Without the marker the head's value is zero and the script runs as before: a tool
result holding ``~`` turns a model that calls a tool into one that answers.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

TEMPLATE_NAME = "openai-gpt-oss-120b.jinja"

SPECIAL_TOKENS = [
    "<|startoftext|>", "<|endoftext|>", "<|reserved_200000|>", "<|reserved_200001|>",
    "<|return|>", "<|constrain|>", "<|reserved_200004|>", "<|channel|>", "<|start|>",
    "<|end|>", "<|message|>", "<|reserved_200009|>", "<|reserved_200010|>",
    "<|reserved_200011|>", "<|call|>",
]
WORDS = ["assistant", "analysis", "final", "user", "system", "developer", "commentary"]


def chat_template(cache: Path) -> str:
    """The real gpt-oss template from the installed llama-cpp-python version's sdist."""
    target = cache / TEMPLATE_NAME
    if target.exists():
        return target.read_text(encoding="utf-8")
    cache.mkdir(parents=True, exist_ok=True)
    version = metadata.version("llama-cpp-python")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", ":all:", f"llama-cpp-python=={version}", "-d", tmp],
            check=True,
        )
        sdist = next(Path(tmp).glob("llama_cpp_python-*.tar.gz"))
        with tarfile.open(sdist) as tar:
            member = next(m for m in tar.getmembers()
                          if m.name.endswith(f"models/templates/{TEMPLATE_NAME}"))
            extracted = tar.extractfile(member)
            assert extracted is not None
            text = extracted.read().decode("utf-8")
    target.write_text(text, encoding="utf-8")
    return text


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte → printable character map (byte-level BPE)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def build(path: Path, template: str, favour: str | None = None, seed: int = 0,
          successors: dict[str, str] | None = None, words: Sequence[str] = (),
          after_marker: dict[str, str] | None = None, marker: str = "~") -> Path:
    import gguf

    byte_map = _bytes_to_unicode()
    tokens: list[str] = [byte_map[b] for b in range(256)]
    types: list[int] = [gguf.TokenType.NORMAL] * 256
    merges: list[str] = []
    for word in WORDS:
        for i in range(1, len(word)):
            left, right = word[:i], word[i]
            merges.append(f"{left} {right}")
            if word[: i + 1] not in tokens:
                tokens.append(word[: i + 1])
                types.append(gguf.TokenType.NORMAL)
    for word in words:
        mapped = "".join(byte_map[b] for b in word.encode("utf-8"))
        if mapped not in tokens:
            tokens.append(mapped)
            types.append(gguf.TokenType.NORMAL)
    first_special = len(tokens)
    tokens += SPECIAL_TOKENS
    types += [gguf.TokenType.CONTROL] * len(SPECIAL_TOKENS)
    ids = {t: i for i, t in enumerate(tokens)}
    for word in words:  # scripts name words as text, not in the byte-level alphabet
        ids.setdefault(word, ids["".join(byte_map[b] for b in word.encode("utf-8"))])

    n_vocab = len(tokens)
    n_embd, n_head, n_head_kv, head_dim = 64, 4, 2, 16
    if successors is not None:
        # Room for one-hot embeddings, and a flag dimension per after_marker entry.
        n_embd = (n_vocab + 4 + 31) // 32 * 32
    n_expert, n_expert_used, n_ff_exp, n_layer = 4, 2, 64, 2
    rng = np.random.default_rng(seed)

    def rand(*shape: int, scale: float = 0.02) -> np.ndarray:
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=np.float32)

    writer = gguf.GGUFWriter(str(path), "gpt-oss")
    writer.add_name("tiny-gpt-oss-test")
    writer.add_context_length(4096)
    writer.add_embedding_length(n_embd)
    writer.add_block_count(n_layer)
    writer.add_feed_forward_length(n_ff_exp)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_head_kv)
    writer.add_key_length(head_dim)
    writer.add_value_length(head_dim)
    writer.add_rope_dimension_count(head_dim)
    writer.add_rope_freq_base(150000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_expert_count(n_expert)
    writer.add_expert_used_count(n_expert_used)
    writer.add_expert_feed_forward_length(n_ff_exp)
    writer.add_sliding_window(128)
    add_tokenizer(writer, tokens, types, merges, ids["<|startoftext|>"], template)
    assert first_special > 256

    quiet = favour is not None or successors is not None
    embd = np.ones((n_vocab, n_embd), np.float32) if quiet else rand(n_vocab, n_embd, scale=1.0)
    output = rand(n_vocab, n_embd)
    if favour is not None:
        output[ids[favour]] = 1.0
    if successors is not None:
        embd = np.zeros((n_vocab, n_embd), np.float32)
        embd[np.arange(n_vocab), np.arange(n_vocab)] = 1.0
        output = np.zeros((n_vocab, n_embd), np.float32)
        for before, after in successors.items():
            output[ids[after], ids[before]] = 1.0
        for head, after in enumerate((after_marker or {}).values()):
            output[ids[after], n_vocab + head] = 2.0  # the flag outweighs the successor
    writer.add_tensor("token_embd.weight", embd)
    writer.add_tensor("output_norm.weight", np.ones(n_embd, np.float32))
    writer.add_tensor("output.weight", output)
    out_scale = zeros if quiet else (lambda *s: rand(*s))
    reader = _marker_reader(after_marker or {}, ids, ids.get(marker, -1), n_vocab, n_embd,
                            n_head, n_head_kv, head_dim)
    for i in range(n_layer):
        p = f"blk.{i}."
        if i == 0 and reader is not None:
            for name, tensor in reader.items():
                writer.add_tensor(p + name, tensor)
            writer.add_tensor(p + "attn_q.bias", zeros(n_head * head_dim))
            writer.add_tensor(p + "attn_k.bias", zeros(n_head_kv * head_dim))
            writer.add_tensor(p + "attn_v.bias", zeros(n_head_kv * head_dim))
            writer.add_tensor(p + "attn_output.bias", zeros(n_embd))
            _add_block_rest(writer, p, n_embd, n_head, n_expert, n_ff_exp, rand, zeros,
                            out_scale)
            continue
        writer.add_tensor(p + "attn_norm.weight", np.ones(n_embd, np.float32))
        writer.add_tensor(p + "post_attention_norm.weight", np.ones(n_embd, np.float32))
        writer.add_tensor(p + "attn_q.weight", rand(n_head * head_dim, n_embd))
        writer.add_tensor(p + "attn_q.bias", zeros(n_head * head_dim))
        writer.add_tensor(p + "attn_k.weight", rand(n_head_kv * head_dim, n_embd))
        writer.add_tensor(p + "attn_k.bias", zeros(n_head_kv * head_dim))
        writer.add_tensor(p + "attn_v.weight", rand(n_head_kv * head_dim, n_embd))
        writer.add_tensor(p + "attn_v.bias", zeros(n_head_kv * head_dim))
        writer.add_tensor(p + "attn_output.weight", out_scale(n_embd, n_head * head_dim))
        writer.add_tensor(p + "attn_output.bias", zeros(n_embd))
        writer.add_tensor(p + "attn_sinks.weight", zeros(n_head))
        writer.add_tensor(p + "ffn_gate_inp.weight", rand(n_expert, n_embd))
        writer.add_tensor(p + "ffn_gate_inp.bias", zeros(n_expert))
        writer.add_tensor(p + "ffn_gate_exps.weight", rand(n_expert, n_ff_exp, n_embd))
        writer.add_tensor(p + "ffn_gate_exps.bias", zeros(n_expert, n_ff_exp))
        writer.add_tensor(p + "ffn_up_exps.weight", rand(n_expert, n_ff_exp, n_embd))
        writer.add_tensor(p + "ffn_up_exps.bias", zeros(n_expert, n_ff_exp))
        writer.add_tensor(p + "ffn_down_exps.weight", out_scale(n_expert, n_embd, n_ff_exp))
        writer.add_tensor(p + "ffn_down_exps.bias", zeros(n_expert, n_embd))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def add_tokenizer(writer: object, tokens: list[str], types: list[int], merges: list[str],
                  first_special: int, template: str) -> None:
    """gpt-oss's byte-level BPE tokenizer and chat template; ``first_special`` is the id
    of ``<|startoftext|>``, the other control tokens follow in SPECIAL_TOKENS' order."""
    w: Any = writer
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("gpt-4o")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_bos_token_id(first_special)
    w.add_eos_token_id(first_special + SPECIAL_TOKENS.index("<|return|>"))
    w.add_pad_token_id(first_special + SPECIAL_TOKENS.index("<|endoftext|>"))
    w.add_add_bos_token(False)
    w.add_chat_template(template)


def _marker_reader(after_marker: dict[str, str], ids: dict[str, int], marker: int,
                   n_vocab: int, n_embd: int, n_head: int, n_head_kv: int,
                   head_dim: int) -> dict[str, np.ndarray] | None:
    """Layer 0's attention weights that make token ``t`` see the marker (see
    :func:`build`): head ``h`` queries from ``t`` only, every key and value comes from
    the marker only, and the head writes flag dimension ``n_vocab + h``."""
    if not after_marker:
        return None
    if len(after_marker) > n_head or marker < 0:
        raise ValueError("after_marker takes at most one entry per head, and a marker")
    q = np.zeros((n_head * head_dim, n_embd), np.float32)
    k = np.zeros((n_head_kv * head_dim, n_embd), np.float32)
    v = np.zeros((n_head_kv * head_dim, n_embd), np.float32)
    out = np.zeros((n_embd, n_head * head_dim), np.float32)
    slow = head_dim - 1  # in the slowest-turning rotary pair in either rope layout
    for kv in range(n_head_kv):
        k[kv * head_dim + slow, marker] = 0.5
        v[kv * head_dim, marker] = 1.0
    for head, before in enumerate(after_marker):
        q[head * head_dim + slow, ids[before]] = 0.5
        # The marker's normalised value is sqrt(n_embd): the flag arrives as 1.0.
        out[n_vocab + head, head * head_dim] = 1.0 / float(np.sqrt(n_embd))
    return {"attn_q.weight": q, "attn_k.weight": k, "attn_v.weight": v,
            "attn_output.weight": out}


def _add_block_rest(writer: object, p: str, n_embd: int, n_head: int, n_expert: int,
                    n_ff_exp: int, rand: object, zeros: object, out_scale: object) -> None:
    """A block's tensors other than the attention projections (as in :func:`build`)."""
    add = writer.add_tensor  # type: ignore[attr-defined]
    r, z, o = rand, zeros, out_scale
    add(p + "attn_norm.weight", np.ones(n_embd, np.float32))
    add(p + "post_attention_norm.weight", np.ones(n_embd, np.float32))
    add(p + "attn_sinks.weight", z(n_head))  # type: ignore[operator]
    add(p + "ffn_gate_inp.weight", r(n_expert, n_embd))  # type: ignore[operator]
    add(p + "ffn_gate_inp.bias", z(n_expert))  # type: ignore[operator]
    add(p + "ffn_gate_exps.weight", r(n_expert, n_ff_exp, n_embd))  # type: ignore[operator]
    add(p + "ffn_gate_exps.bias", z(n_expert, n_ff_exp))  # type: ignore[operator]
    add(p + "ffn_up_exps.weight", r(n_expert, n_ff_exp, n_embd))  # type: ignore[operator]
    add(p + "ffn_up_exps.bias", z(n_expert, n_ff_exp))  # type: ignore[operator]
    add(p + "ffn_down_exps.weight", o(n_expert, n_embd, n_ff_exp))  # type: ignore[operator]
    add(p + "ffn_down_exps.bias", z(n_expert, n_embd))  # type: ignore[operator]
