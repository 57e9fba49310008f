"""The synthetic gpt-oss-20b (tests/support/synthetic_gpt_oss.py): the full-size table
is the published model's, and a one-block version loads and writes in real llama.cpp."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from app.engine.client import EngineClient
from tests.support import synthetic_gpt_oss as synthetic

# Read from the published gpt-oss-20b GGUF (ggml-org, MXFP4): 459 tensors, 12.1 GB.
PUBLISHED = {
    "token_embd.weight": ((2880, 201088), "Q8_0"),
    "output.weight": ((2880, 201088), "Q8_0"),
    "output_norm.weight": ((2880,), "F32"),
    "blk.0.attn_q.weight": ((2880, 4096), "Q8_0"),
    "blk.0.attn_k.weight": ((2880, 512), "Q8_0"),
    "blk.0.attn_v.weight": ((2880, 512), "Q8_0"),
    "blk.0.attn_output.weight": ((4096, 2880), "Q8_0"),
    "blk.0.attn_q.bias": ((4096,), "F32"),
    "blk.0.attn_sinks.weight": ((64,), "F32"),
    "blk.0.ffn_gate_inp.weight": ((2880, 32), "F32"),
    "blk.0.ffn_gate_inp.bias": ((32,), "F32"),
    "blk.23.ffn_gate_exps.weight": ((2880, 2880, 32), "MXFP4"),
    "blk.23.ffn_up_exps.weight": ((2880, 2880, 32), "MXFP4"),
    "blk.23.ffn_down_exps.weight": ((2880, 2880, 32), "MXFP4"),
    "blk.23.ffn_down_exps.bias": ((2880, 32), "F32"),
    "blk.23.post_attention_norm.weight": ((2880,), "F32"),
}


def test_the_full_size_table_is_gpt_oss_20b() -> None:
    table = synthetic.tensor_table()
    by_name = {t.name: t for t in table}
    assert len(table) == len(by_name) == 459
    for name, (shape, kind) in PUBLISHED.items():
        assert (by_name[name].shape, by_name[name].kind) == (shape, kind), name
    kinds = Counter(t.kind for t in table)
    assert kinds == {"MXFP4": 72, "Q8_0": 98, "F32": 289}
    total = sum(t.nbytes for t in table)
    assert 12.0e9 < total < 12.2e9  # the download is 12.1 GB
    per_token = synthetic.bytes_per_token(table)
    experts = sum(t.nbytes for t in table if "_exps.weight" in t.name)
    assert per_token == pytest.approx(total - experts * 28 / 32 - by_name[
        "token_embd.weight"].nbytes, rel=0.001)


@pytest.fixture(scope="module")
def one_block() -> Path:
    return synthetic.ensure(1)


def test_the_written_file_holds_that_table(one_block: Path) -> None:
    import gguf

    reader = gguf.GGUFReader(one_block)
    written = [(t.name, tuple(int(n) for n in t.shape), t.tensor_type.name)
               for t in reader.tensors]
    expected = [(t.name, t.shape, t.kind) for t in synthetic.tensor_table(1)]
    assert written == expected
    tokens = reader.fields["tokenizer.ggml.tokens"]
    assert len(tokens.data) == 201088


def test_one_block_loads_in_real_llama_cpp_and_writes(one_block: Path, tmp_path: Path) -> None:
    engine = EngineClient(log_path=tmp_path / "worker.log")
    try:
        info = engine.load(one_block, n_ctx=1024, n_threads=1)
        assert info["architecture"] == "gpt-oss" and info["harmony"] is True
        prompt = engine.prompt_tokens([{"role": "user", "content": "Hello there"}])
        start = [t for t, p in zip(prompt["tokens"], prompt["pieces"]) if p == "<|start|>"]
        assert start and set(start) == {200006}, "the control tokens are at their real ids"
        done: dict[str, Any] = {}
        for msg in engine.chat([{"role": "user", "content": "Hello there"}],
                               sampling={"temp": 0.0}, max_tokens=12):
            if msg["type"] in ("done", "error"):
                done = msg
        # Finite numbers throughout: greedy sampling runs to the limit, never onto a
        # control token (their output rows are zero) or a NaN's arbitrary pick.
        assert done.get("finish_reason") == "length", done
        assert done["stats"]["completion_tokens"] == 12
    finally:
        engine.close()
