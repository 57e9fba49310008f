"""Which tools a conversation gets (app.tools.registry) and ``cove tools …``, through
the real settings and servers files in a private Cove folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app import cli
from app.config import settings as settings_mod
from app.tools import mcp_servers, registry
from app.tools.python import PythonTool

SERVER = str(Path(__file__).with_name("mcp_test_server.py"))


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COVE_HOME", str(tmp_path))
    return tmp_path


def cove(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["tools", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_python_is_off_until_switched_on() -> None:
    settings = settings_mod.load()
    assert registry.available(settings) == []
    registry.set_enabled(settings, "python", True)
    settings_mod.save(settings)
    tools = registry.available(settings_mod.load(), conversation=7)
    assert [t.spec.name for t in tools] == ["python"]
    assert isinstance(tools[0], PythonTool) and tools[0].workdir.name == "7"
    registry.set_enabled(settings, "python", False)
    assert registry.available(settings) == []
    with pytest.raises(ValueError):
        registry.set_enabled(settings, "rm -rf", True)


def test_a_conversation_starts_its_servers_on_first_use_and_stops_them(home: Path) -> None:
    mcp_servers.add(mcp_servers.McpServer(name="calc", command=[sys.executable, SERVER]))
    settings = settings_mod.load()
    registry.set_enabled(settings, "python", True)
    conversation = registry.ConversationTools(settings, conversation=1)
    try:
        assert conversation.hub.running() == []
        names = [t.spec.name for t in conversation.tools()]
        assert names[0] == "python" and "calc__add" in names
        assert conversation.hub.running() == ["calc"]
        # the conversation's own switch: only python, or only one server's tools
        assert [t.spec.name for t in conversation.tools(only={"python"})] == ["python"]
        assert "python" not in [t.spec.name for t in conversation.tools(only={"calc"})]
    finally:
        conversation.close()
    assert conversation.hub.running() == []


def test_cove_tools_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cove("list", capsys=capsys)
    assert code == 0 and out.startswith("python        off")
    assert cove("enable", "python", capsys=capsys)[0] == 0
    assert settings_mod.load().tools_enabled == ["python"]
    code, out, _ = cove("add-mcp", "calc", "--env", "A=1", "--", sys.executable, SERVER,
                        capsys=capsys)
    assert code == 0 and out.startswith("Added calc")
    assert mcp_servers.load()[0].command == [sys.executable, SERVER]
    assert mcp_servers.load()[0].env == {"A": "1"}
    code, out, _ = cove("test", "calc", capsys=capsys)
    assert code == 0 and "calc__add: Add two whole numbers." in out
    assert cove("trust", "calc", capsys=capsys)[0] == 0
    code, out, _ = cove("list", "--json", capsys=capsys)
    report = json.loads(out)
    assert report["python"]["enabled"] and report["mcp_servers"][0]["trusted"]
    assert cove("remove", "calc", capsys=capsys)[0] == 0
    code, _, err = cove("remove", "calc", capsys=capsys)
    assert code == 1 and "no MCP server named calc" in err
    code, _, err = cove("add-mcp", "both", "--url", "http://127.0.0.1:1/mcp", "--", "x",
                        capsys=capsys)
    assert code == 1 and "either a command" in err
    assert cove("disable", "python", capsys=capsys)[0] == 0
    assert settings_mod.load().tools_enabled == []


def test_a_server_that_cannot_start_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    cove("add-mcp", "broken", "--", sys.executable, SERVER, "crash", capsys=capsys)
    code, _, err = cove("test", "broken", capsys=capsys)
    assert code == 1 and "could not start" in err
