"""`cove chat` as a user runs it: a real process, the real worker, the gemma model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def cove(*args: str, stdin: str = "", home: Path | None = None
         ) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if home is not None:
        env["COVE_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "app", *args], input=stdin, env=env,
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


def _history(home: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each saved conversation: its title and (role, text) of its messages."""
    from app.chats.store import ChatStore
    from app.config import secrets

    path = home / "data" / "cove.db"
    if not path.exists():
        return []
    with ChatStore(path, key=secrets.stored_key()) as store:  # encrypted (issue 17)
        return [(c.title, [(m.role, m.content) for m in store.path(c.id)])
                for c in store.conversations()]


def test_a_command_line_chat_is_kept_in_the_history(gemma_path: Path, tmp_path: Path) -> None:
    """The same session as the window: the question and the answer are saved, listed,
    and a later command goes on with the same conversation."""
    model = ["--model", str(gemma_path), "--temperature", "0", "--max-tokens", "12",
             "--ctx", "1024"]
    first = cove("chat", *model, "What is the capital of France?", home=tmp_path)
    assert first.returncode == 0, first.stderr
    saved = _history(tmp_path)
    assert len(saved) == 1
    title, messages = saved[0]
    assert title.startswith("What is the capital of France")
    assert messages[0] == ("user", "What is the capital of France?")
    assert messages[1][0] == "assistant" and messages[1][1].strip() in first.stdout
    listed = cove("chat", "--list", home=tmp_path)
    assert listed.returncode == 0 and "What is the capital of France" in listed.stdout
    number = listed.stdout.split("\t")[0]
    again = cove("chat", *model, "--continue", number, "And of Italy?", home=tmp_path)
    assert again.returncode == 0, again.stderr
    (_, messages), = _history(tmp_path)
    assert [role for role, _ in messages] == ["user", "assistant", "user", "assistant"]


def test_no_save_leaves_the_history_untouched(gemma_path: Path, tmp_path: Path) -> None:
    out = cove("chat", "--model", str(gemma_path), "--max-tokens", "4", "--ctx", "1024",
               "--no-save", "Hello", home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert _history(tmp_path) == []


def test_continuing_a_conversation_that_does_not_exist(gemma_path: Path, tmp_path: Path) -> None:
    out = cove("chat", "--model", str(gemma_path), "--max-tokens", "4", "--ctx", "1024",
               "--continue", "42", "Hello", home=tmp_path)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "42" in out.stderr
