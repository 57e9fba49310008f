"""`cove chat` as a user runs it: a real process, the real worker, the gemma model."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def cove(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin,
                          capture_output=True, text=True, timeout=300)


def test_one_prompt(gemma_path: Path) -> None:
    out = cove("chat", "--model", str(gemma_path), "--temperature", "0", "--max-tokens", "20",
               "--ctx", "1024", "What is the capital of France?")
    assert out.returncode == 0, out.stderr
    assert "Paris" in out.stdout
    assert "<|" not in out.stdout


def test_interactive_session_keeps_the_conversation(gemma_path: Path) -> None:
    out = cove("chat", "--model", str(gemma_path), "--temperature", "0", "--max-tokens", "16",
               "--ctx", "1024",
               stdin="What is the capital of France?\nAnd what is the capital of Italy?\n\n")
    assert out.returncode == 0, out.stderr
    assert "Paris" in out.stdout and "Rome" in out.stdout
    assert out.stderr.count("> ") == 3  # two questions, then the empty line that ends it


def test_bad_model_is_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "model.gguf"
    bad.write_text("nope")
    out = cove("chat", "--model", str(bad), "hi")
    assert out.returncode == 1
    assert "is not a GGUF model file" in out.stderr
    assert "Traceback" not in out.stderr


def test_worker_entry_needs_an_address() -> None:
    out = cove("worker")
    assert out.returncode == 2 and "started by Cove" in out.stderr


@pytest.mark.parametrize("effort", ["low", "high"])
def test_gpt_oss_effort_and_reasoning_flags(tiny_gpt_oss_path: Path, effort: str) -> None:
    out = cove("chat", "--model", str(tiny_gpt_oss_path), "--effort", effort,
               "--show-reasoning", "--max-tokens", "40", "--ctx", "512", "hi")
    assert out.returncode == 0, out.stderr
    assert "<|" not in out.stdout and "<|" not in out.stderr
