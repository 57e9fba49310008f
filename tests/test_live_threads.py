"""The worker's thread count follows the machine's load, and llama.cpp takes it.

The load is scripted: the worker reads CPU counters from a file this test writes
(``COVE_CPU_STAT``), because the real machine's load cannot be arranged in a test."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from app.engine.client import EngineClient
from app.hardware.plan_threads import CPU_STAT_ENV

WAIT_S = 60  # the worker reads the counters once a second; this is only a backstop


def chat_threads(engine: EngineClient) -> int:
    done: dict[str, Any] = {}
    for msg in engine.chat([{"role": "user", "content": "Hi"}], max_tokens=4):
        if msg["type"] in ("done", "error"):
            done = msg
    return int(done["stats"]["n_threads"])


def test_a_busy_machine_takes_threads_away_and_a_quiet_one_gives_them_back(
        tiny_gpt_oss_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stat = tmp_path / "stat"
    busy = 0

    def counters() -> None:
        stat.write_text(f"cpu  {busy} 0 0 1000 0 0 0 0 0 0\n")

    counters()
    monkeypatch.setenv(CPU_STAT_ENV, str(stat))
    engine = EngineClient(log_path=tmp_path / "worker.log")
    try:
        engine.load(tiny_gpt_oss_path, n_ctx=512, n_threads=None)
        planned = int(engine.info["plan"]["n_threads"])
        if planned < 2:
            pytest.skip("one core: no thread to give up")
        assert engine.stats()["n_threads"] == planned
        deadline = time.monotonic() + WAIT_S
        while engine.stats()["n_threads"] == planned:  # other programs fill every core
            busy += 100_000
            counters()
            assert time.monotonic() < deadline, "the worker never gave a thread up"
        assert engine.stats()["n_threads"] < planned
        assert chat_threads(engine) < planned, "llama.cpp generated with the new count"
        deadline = time.monotonic() + WAIT_S
        while engine.stats()["n_threads"] != planned:  # the counters stand still: quiet
            assert time.monotonic() < deadline, "the worker never took its threads back"
        assert chat_threads(engine) == planned
    finally:
        engine.close()


def test_a_count_the_user_fixed_is_kept(tiny_gpt_oss_path: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    stat = tmp_path / "stat"
    stat.write_text("cpu  0 0 0 1000 0 0 0 0 0 0\n")
    monkeypatch.setenv(CPU_STAT_ENV, str(stat))
    engine = EngineClient(log_path=tmp_path / "worker.log")
    try:
        engine.load(tiny_gpt_oss_path, n_ctx=512, n_threads=2)
        for step in range(1, 4):
            stat.write_text(f"cpu  {step * 1_000_000} 0 0 1000 0 0 0 0 0 0\n")
            assert chat_threads(engine) == 2
    finally:
        engine.close()
