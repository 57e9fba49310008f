"""An MCP server's stderr stays in memory (app.tools.mcp_client.StderrTail): what a
server logs, its callers' arguments included, never lands on disk, yet a server that
fails says why in the message the user reads; Forget everything erases the plain logs
an earlier version left in the log folder."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from app.config import forget, paths
from app.tools.mcp_client import McpHub
from app.tools.mcp_servers import McpServer
from tests.support.memory_keyring import own_home

__all__ = ["own_home"]

SERVER = str(Path(__file__).with_name("mcp_test_server.py"))
SENTENCE = "the lighthouse keeper counts forty-two gulls"


def server(mode: str, name: str = "test") -> McpServer:
    return McpServer(name=name, command=[sys.executable, SERVER, mode])


def raw_files(top: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in top.rglob("*") if p.is_file()}


def test_what_a_server_logs_never_reaches_the_disk(own_home: Path) -> None:
    hub = McpHub([server("chatty")])
    try:
        tools = {t.spec.name: t for t in hub.tools()}
        shout = tools["test__shout_loud"].run({"text": SENTENCE}, threading.Event())
        assert shout.text == SENTENCE.upper()
        # The server logged the sentence: it was captured (its last words come with the
        # failure), only never written down.
        died = tools["test__die"].run({}, threading.Event())
        assert died.is_error and SENTENCE in died.text, died.text
    finally:
        hub.close()
    assert not (paths.log_dir() / "mcp").exists()
    for path, data in raw_files(own_home).items():
        assert SENTENCE.encode() not in data, path
        assert SENTENCE.upper().encode() not in data, path


def test_a_server_that_fails_to_start_says_why(own_home: Path) -> None:
    hub = McpHub([server("crash", "broken")], start_timeout=20)
    try:
        assert hub.tools() == []
    finally:
        hub.close()
    said = hub.errors["broken"]
    assert "could not start" in said
    assert said.endswith("It said: cannot start: no configuration"), said
    assert not raw_files(own_home) or all(b"no configuration" not in d
                                      for d in raw_files(own_home).values())


def test_forget_everything_erases_logs_an_earlier_version_left(own_home: Path) -> None:
    old = paths.log_dir() / "mcp" / "test__log.txt"
    old.parent.mkdir(parents=True)
    old.write_text(f"shout.loud called with text={SENTENCE!r}\n", encoding="utf-8")
    kept = paths.log_dir() / "worker.log"  # holds no message text: it stays
    kept.write_text("loaded gemma\n", encoding="utf-8")

    done = forget.forget_everything(paths.data_dir())

    assert old in done.erased and not old.parent.exists()
    assert kept.exists()
    for path, data in raw_files(own_home).items():
        assert SENTENCE.encode() not in data, path
