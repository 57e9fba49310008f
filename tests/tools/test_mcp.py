"""MCP: a real stdio server written with the SDK (tests/tools/mcp_test_server.py), and
servers that crash, hang or answer slowly: each becomes an error result the model can
read, within its time limit, and the conversation's other tools and Cove carry on."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from app.tools import mcp_servers
from app.tools.base import FUNCTION, Tool
from app.tools.mcp_client import McpHub, McpTool, tool_name
from app.tools.mcp_servers import McpServer, ServerError

SERVER = str(Path(__file__).with_name("mcp_test_server.py"))


def server(name: str = "test", mode: str = "normal", trusted: bool = False) -> McpServer:
    return McpServer(name=name, command=[sys.executable, SERVER, mode], trusted=trusted)


@pytest.fixture
def hubs() -> Iterator[list[McpHub]]:
    made: list[McpHub] = []
    yield made
    for hub in made:
        hub.close()


def hub_of(hubs: list[McpHub], *servers: McpServer, **timeouts: float) -> McpHub:
    hub = McpHub(list(servers), **timeouts)
    hubs.append(hub)
    return hub


def by_name(tools: list[McpTool]) -> dict[str, McpTool]:
    return {t.spec.name: t for t in tools}


def test_a_servers_tools_become_cove_tools_and_run(hubs: list[McpHub]) -> None:
    hub = hub_of(hubs, server("My Files"))
    assert hub.running() == []  # nothing starts before the conversation asks
    tools = by_name(hub.tools())
    assert set(tools) == {"My_Files__add", "My_Files__shout_loud", "My_Files__slow",
                          "My_Files__fails", "My_Files__die"}
    add = tools["My_Files__add"]
    assert isinstance(add, Tool)
    assert add.spec.kind == FUNCTION and add.spec.asks_first
    assert add.spec.description == "Add two whole numbers."
    assert set(add.spec.parameters["properties"]) == {"a", "b"}
    assert add.run({"a": 2, "b": 40}, threading.Event()).text == "42"
    shout = tools["My_Files__shout_loud"].run({"text": "hi"}, threading.Event())
    assert shout.text == "HI" and not shout.is_error


def test_a_tool_error_is_a_result_the_model_reads(hubs: list[McpHub]) -> None:
    tools = by_name(hub_of(hubs, server()).tools())
    result = tools["test__fails"].run({}, threading.Event())
    assert result.is_error and "fails" in result.text


def test_trusted_servers_do_not_ask(hubs: list[McpHub]) -> None:
    tools = hub_of(hubs, server(trusted=True)).tools()
    assert tools and not any(t.spec.asks_first for t in tools)


def test_a_server_that_crashes_at_start_is_a_clear_error(hubs: list[McpHub]) -> None:
    hub = hub_of(hubs, server("broken", "crash"), server("good"), start_timeout=20)
    tools = by_name(hub.tools())
    assert "good__add" in tools  # the other server is unaffected
    assert "broken" in hub.errors and "could not start" in hub.errors["broken"]
    assert tools["good__add"].run({"a": 1, "b": 1}, threading.Event()).text == "2"


def test_a_missing_program_is_a_clear_error(hubs: list[McpHub]) -> None:
    hub = hub_of(hubs, McpServer(name="gone", command=["/nonexistent/mcp-server"]))
    assert hub.tools() == []
    assert "not found" in hub.errors["gone"]


def test_a_server_that_never_answers_times_out(hubs: list[McpHub]) -> None:
    hub = hub_of(hubs, server("mute", "hang"), start_timeout=2)
    started = time.monotonic()
    assert hub.tools() == []
    assert time.monotonic() - started < 15  # the start limit, plus stopping it
    assert hub.errors["mute"].endswith("did not start within 2 s.")
    assert not _children_running(SERVER)


def test_a_slow_tool_times_out_and_the_server_still_works(hubs: list[McpHub]) -> None:
    tools = by_name(hub_of(hubs, server(), call_timeout=1).tools())
    result = tools["test__slow"].run({"seconds": 30}, threading.Event())
    assert result.is_error and "did not answer within 1 s" in result.text
    assert tools["test__add"].run({"a": 3, "b": 4}, threading.Event()).text == "7"


def test_stop_ends_the_wait_at_once(hubs: list[McpHub]) -> None:
    tools = by_name(hub_of(hubs, server()).tools())
    cancel = threading.Event()
    threading.Timer(0, cancel.set).run()  # Stop already pressed when the call is waiting
    result = tools["test__slow"].run({"seconds": 30}, cancel)
    assert result.is_error and result.text == "[stopped by the user]"


def test_a_server_that_dies_during_a_call_is_started_again(hubs: list[McpHub]) -> None:
    hub = hub_of(hubs, server())
    tools = by_name(hub.tools())
    result = tools["test__die"].run({}, threading.Event())
    assert result.is_error and "failed" in result.text
    assert tools["test__add"].run({"a": 5, "b": 5}, threading.Event()).text == "10"


def test_close_stops_the_servers(hubs: list[McpHub]) -> None:
    hub = hub_of(hubs, server("one"), server("two"))
    hub.tools()
    assert sorted(hub.running()) == ["one", "two"]
    assert _children_running(SERVER)
    hub.close()
    assert hub.running() == []
    assert not _children_running(SERVER)


def test_names_are_callable_and_never_clash() -> None:
    assert tool_name("My Server", "read.file") == "My_Server__read_file"
    assert tool_name("a", "x" * 100) == ("a__" + "x" * 100)[:64]
    assert tool_name("ü-ber", "search") == "ber__search"


def test_the_servers_file(tmp_path: Path) -> None:
    path = tmp_path / "mcp_servers.json"
    mcp_servers.add(server("files"), path)
    mcp_servers.add(McpServer(name="web", url="https://example.org/mcp"), path)
    assert [s.name for s in mcp_servers.load(path)] == ["files", "web"]
    assert mcp_servers.load(path)[1].leaves_computer
    assert not McpServer(name="l", url="http://127.0.0.1:9/mcp").leaves_computer
    assert mcp_servers.set_trusted("files", True, path)
    assert mcp_servers.load(path)[0].trusted
    assert mcp_servers.remove("files", path) and not mcp_servers.remove("files", path)
    for bad in (McpServer(name="x"), McpServer(name="x", url="ftp://h"),
                McpServer(name="", command=["a"]),
                McpServer(name="x", command=["a"], url="http://h")):
        with pytest.raises(ServerError):
            mcp_servers.add(bad, path)
    path.write_text('{"servers": [{"name": "ok", "command": ["x"]}, {"nonsense": 1}, 3]}')
    assert [s.name for s in mcp_servers.load(path)] == ["ok"]
    path.write_text("{not json")
    assert mcp_servers.load(path) == []


def _children_running(script: str) -> bool:
    me = psutil.Process()
    return any(script in " ".join(p.cmdline()) for p in me.children(recursive=True)
               if p.status() != psutil.STATUS_ZOMBIE)


def test_a_tool_whose_schema_the_prompt_cannot_hold_is_still_offered(
        hubs: list[McpHub], tool_engine: Any) -> None:
    """A server's schema with ``properties`` as a list made the chat template fail, and
    with it every answer of the conversation: the tool is offered without it, saying so."""
    from mcp import types

    from app.session.tools import offer

    broken = types.Tool(name="find", description="Finds things.",
                        input_schema={"type": "object", "properties": ["q"]})
    tool = McpTool(hub_of(hubs, server()), server(), broken)
    assert "could not read this tool's arguments" in tool.spec.description
    prompt = tool_engine.prompt_tokens([{"role": "user", "content": "Find x."}], "",
                                       tools=[offer(tool)])
    assert "type test__find = () => any;" in "".join(prompt["pieces"])


def test_a_server_at_a_streamable_http_address(hubs: list[McpHub], tmp_path: Path) -> None:
    """The other kind the user can add: an address (here the SDK's own server over
    streamable HTTP on this computer), not a command."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "http-server.log").open("w")
    proc = subprocess.Popen([sys.executable, SERVER, "http", str(port)], stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        _wait_listening(port, proc)
        web = McpServer(name="web", url=f"http://127.0.0.1:{port}/mcp")
        assert not web.leaves_computer
        hub = hub_of(hubs, web)
        tools = by_name(hub.tools())
        assert "web__add" in tools, hub.errors
        assert tools["web__add"].run({"a": 20, "b": 22}, threading.Event()).text == "42"
        hub.close()
        assert hub.running() == []
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()


def _wait_listening(port: int, proc: subprocess.Popen[bytes]) -> None:
    """Until the server accepts connections (or has died)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        with socket.socket() as client:
            if client.connect_ex(("127.0.0.1", port)) == 0:
                return
        threading.Event().wait(0.05)
    raise AssertionError("the HTTP MCP server did not start")


def test_two_servers_whose_names_clean_alike_keep_every_tool(hubs: list[McpHub]) -> None:
    """"My Files" and "My_Files" both give My_Files__add: the second hid the first."""
    hub = hub_of(hubs, server("My Files"), server("My_Files"))
    tools = by_name(hub.tools())
    assert {"My_Files__add", "My_Files__add_2"} <= set(tools)
    assert len(tools) == 10
    assert {tools["My_Files__add"].server.name, tools["My_Files__add_2"].server.name} == {
        "My Files", "My_Files"}
    assert tools["My_Files__add_2"].run({"a": 1, "b": 2}, threading.Event()).text == "3"
