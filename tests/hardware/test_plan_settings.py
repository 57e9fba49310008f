"""Automatic's llama.cpp settings chosen from measurements (bench/gpt_oss_20b.py
--settings): on the CPU, flash attention off where the memory allows it."""

from __future__ import annotations

from app.hardware.plan import Overrides, plan
from tests.hardware.profiles import GPT_OSS_20B, apple, cpu_only, nvidia


def test_a_cpu_plan_with_room_reads_prompts_without_flash_attention() -> None:
    chosen = plan(GPT_OSS_20B, cpu_only(32), 16384)
    assert chosen.fits and not chosen.uses_gpu
    assert chosen.flash_attn is False and chosen.llama_kwargs()["flash_attn"] is False


def test_flash_attention_stays_where_its_memory_is_needed_for_the_context() -> None:
    kept = []
    for tenths in range(100, 240):
        machine = cpu_only(24, available_gb=tenths / 10)
        chosen = plan(GPT_OSS_20B, machine, 16384)
        with_flash = plan(GPT_OSS_20B, machine, 16384, Overrides(flash_attn=True))
        assert chosen.n_ctx == with_flash.n_ctx, "never a shorter context for the speed"
        assert chosen.fits == with_flash.fits
        kept.append(chosen.flash_attn)
    assert True in kept and False in kept, "both cases were seen"


def test_gpu_plans_and_the_users_choice_keep_flash_attention() -> None:
    assert plan(GPT_OSS_20B, nvidia(24, 32), 16384).flash_attn is True
    assert plan(GPT_OSS_20B, apple(32), 16384).flash_attn is True
    assert plan(GPT_OSS_20B, cpu_only(32), 16384, Overrides(flash_attn=True)).flash_attn
    assert plan(GPT_OSS_20B, cpu_only(32), 16384, Overrides(kv_cache="q8_0")).flash_attn
