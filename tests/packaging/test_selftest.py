"""`cove --self-test` (app/selftest.py) from source, as the frozen app runs it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import selftest


def run_selftest(*args: str) -> tuple[int, dict[str, object], str]:
    out, err = io.StringIO(), io.StringIO()
    status = selftest.main(list(args), out=out, err=err)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1, "stdout carries exactly one JSON object"
    return status, json.loads(lines[0]), err.getvalue()


def test_no_model_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COVE_HOME", str(tmp_path))  # no settings, an empty library
    status, report, err = run_selftest()
    assert status == 1
    assert report["ok"] is False and report["stage"] == "model"
    assert isinstance(report["worker_start_ms"], float)  # the worker itself did start
    assert "--model" in str(report["error"]) and "self-test failed" in err


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    status, report, _ = run_selftest("--model", str(tmp_path / "nothing.gguf"))
    assert status == 1 and report["stage"] == "model"
    assert "nothing.gguf" in str(report["error"])


def test_a_file_that_is_not_a_model_fails_at_load(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"not a gguf file" * 100)
    status, report, _ = run_selftest("--model", str(bogus))
    assert status == 1 and report["stage"] == "load"
    assert report["error"] and "worker_log_tail" in report


@pytest.mark.slow
def test_generates_with_the_gemma_model(gemma_path: Path, tmp_path: Path) -> None:
    env = dict(os.environ, COVE_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "app.selftest", "--model", str(gemma_path),
                          "--tokens", "4"], capture_output=True, text=True, timeout=300,
                         env=env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["ok"] is True and report["frozen"] is False
    assert report["backend"] == "CPU" and report["tokens_generated"] >= 1
    assert report["tokens_per_s"] is not None and report["load_ms"] > 0
    assert report["documents_ms"] > 0  # a PDF and a Word file were read and searched
    assert "self-test passed" in out.stderr


def test_the_cove_command_routes_self_test(tmp_path: Path) -> None:
    import app.cli

    if "--self-test" not in Path(app.cli.__file__).read_text():
        pytest.skip("app/cli.py does not route --self-test to app.selftest yet")
    env = dict(os.environ, COVE_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "app", "--self-test", "--model",
                          str(tmp_path / "missing.gguf")], capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 1
    assert json.loads(out.stdout)["stage"] == "model"


def test_a_build_without_the_pdf_reader_fails_at_documents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.documents import isolated

    # The reader process of a build that left PDFium out cannot import it.
    code = ("import sys; sys.modules['pypdfium2'] = None; from app.cli import main; "
            "sys.exit(main(sys.argv[1:]))")
    monkeypatch.setattr(isolated, "reader_command", lambda path, start: [
        sys.executable, "-c", code, "read-document", str(path), str(start)])
    status, report, err = run_selftest("--model", str(tmp_path / "unused.gguf"))
    assert status == 1 and report["stage"] == "documents"
    assert "check.pdf" in str(report["error"]) and "self-test failed (documents)" in err


def test_the_documents_check_reads_a_pdf_and_a_word_file() -> None:
    report: dict[str, object] = {}
    selftest.check_documents(report)
    assert isinstance(report["documents_ms"], float)
    assert isinstance(report["keyring"], str) and report["keyring"]


def test_a_build_without_sqlcipher_fails_at_documents(tmp_path: Path) -> None:
    """A bundle whose sqlcipher3 is plain SQLite (the standard library's module in its
    place: ``PRAGMA key`` is silently ignored) would write every history in the clear:
    the self-test says so rather than pass."""
    code = ("import sqlite3, sys, types; shim = types.ModuleType('sqlcipher3'); "
            "shim.dbapi2 = sqlite3; sys.modules['sqlcipher3'] = shim; "
            "sys.modules['sqlcipher3.dbapi2'] = sqlite3; "
            "from app.selftest import main; sys.exit(main(sys.argv[1:]))")
    env = dict(os.environ, COVE_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code, "--model",
                          str(tmp_path / "unused.gguf")], capture_output=True, text=True,
                         timeout=120, env=env)
    report = json.loads(out.stdout)
    assert out.returncode == 1 and report["stage"] == "documents", out.stderr
    assert "SQLCipher is missing" in report["error"]
