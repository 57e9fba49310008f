"""The KV cache's type (Settings › Advanced, "Context memory"): planned, counted in the
memory a context needs, and loaded by the real worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.engine.transcript import Reply
from app.hardware.plan import KV_CACHE_TYPES, Overrides, plan
from tests.hardware.profiles import GPT_OSS_20B, cpu_only, nvidia


def test_a_quantised_cache_needs_less_memory_and_flash_attention() -> None:
    machine = cpu_only(32)
    full = plan(GPT_OSS_20B, machine, 16384, Overrides(n_ctx=16384))
    half = plan(GPT_OSS_20B, machine, 16384, Overrides(n_ctx=16384, kv_cache="q8_0",
                                                       flash_attn=False))
    quarter = plan(GPT_OSS_20B, machine, 16384, Overrides(n_ctx=16384, kv_cache="q4_0"))
    kv_full = full.memory_needed - GPT_OSS_20B.weights_bytes
    assert full.kv_cache == "f16" and "type_k" not in full.llama_kwargs()
    assert half.memory_needed - GPT_OSS_20B.weights_bytes < 0.6 * kv_full
    assert quarter.memory_needed - GPT_OSS_20B.weights_bytes < 0.3 * kv_full
    assert half.flash_attn, "a quantised V cache works only with flash attention"
    assert half.llama_kwargs()["type_k"] == half.llama_kwargs()["type_v"] == \
        KV_CACHE_TYPES["q8_0"]
    assert half.to_dict()["kv_cache"] == "q8_0"


def test_a_smaller_cache_leaves_room_for_a_longer_context() -> None:
    """On a graphics card that holds the model but not a long context in f16."""
    machine = nvidia(16, 32)
    full = plan(GPT_OSS_20B, machine, 131072)
    small = plan(GPT_OSS_20B, machine, 131072, Overrides(kv_cache="q4_0"))
    assert small.n_ctx >= full.n_ctx
    assert small.gpu_bytes <= full.gpu_bytes or small.n_ctx > full.n_ctx


def test_an_unknown_type_is_left_to_cove() -> None:
    chosen = plan(GPT_OSS_20B, cpu_only(32), 8192, Overrides(kv_cache="q9"))
    assert chosen.kv_cache == "f16"


def test_the_worker_loads_with_an_8_bit_cache(gemma_path: Path, engine_factory: Any) -> None:
    engine = engine_factory()
    info = engine.load(gemma_path, n_ctx=1024, kv_cache="q8_0")
    assert info["plan"]["kv_cache"] == "q8_0" and info["plan"]["flash_attn"]
    reply = Reply()
    for msg in engine.chat([{"role": "user", "content": "The capital of France is"}],
                           max_tokens=8):
        reply.add(msg)
    assert reply.error is None and reply.answer.strip()
