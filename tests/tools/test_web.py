"""Web search and page reading against a search service on 127.0.0.1 that answers as
SearXNG's JSON API does (and fails as a real one can). Nothing else is contacted."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from app import cli
from app.config import settings as settings_mod
from app.tools import registry
from app.tools.web import WebOpenTool, WebSearchTool

PAGE = ("<html><head><title>t</title><script>var secret = 1;</script></head><body>"
        "<h1>Lighthouses</h1><p>The keeper&#39;s log.</p><style>p{}</style></body></html>")


class Fake(BaseHTTPRequestHandler):
    queries: list[str] = []  # noqa: RUF012 (the test reads what was asked)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/search":
            query = parse_qs(url.query)
            Fake.queries.append(query["q"][0])
            assert query["format"] == ["json"]
            body = json.dumps({"results": [
                {"title": "Lighthouse", "url": "http://127.0.0.1/page", "content": "a tower"},
                {"title": "Keeper", "url": "http://127.0.0.1/k", "content": "x" * 2000},
            ]}).encode()
            self._send(200, "application/json", body)
        elif url.path == "/page":
            self._send(200, "text/html; charset=utf-8", PAGE.encode())
        elif url.path == "/broken":
            self._send(200, "application/json", b"<html>not json")
        else:
            self._send(503, "text/plain", b"overloaded")

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Fake)
    thread = threading.Thread(target=httpd.serve_forever)
    thread.start()
    Fake.queries = []
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_search_returns_titles_addresses_and_snippets(server: str) -> None:
    tool = WebSearchTool(f"{server}/search")
    assert tool.spec.leaves_computer and tool.spec.asks_first
    result = tool.run({"query": "lighthouse keeper"}, threading.Event())
    assert not result.is_error
    assert result.text.startswith("[1] Lighthouse\nhttp://127.0.0.1/page\na tower")
    assert "x" * 500 in result.text and "x" * 501 not in result.text
    assert Fake.queries == ["lighthouse keeper"]


def test_a_page_is_read_as_text(server: str) -> None:
    result = WebOpenTool().run({"url": f"{server}/page"}, threading.Event())
    assert result.text == "Lighthouses\nThe keeper's log."


def test_failures_are_results_the_model_reads(server: str) -> None:
    for endpoint in (f"{server}/down", f"{server}/broken", "http://127.0.0.1:9/search"):
        result = WebSearchTool(endpoint).run({"query": "q"}, threading.Event())
        assert result.is_error and "did not answer usefully" in result.text
    assert WebOpenTool().run({"url": "file:///etc/passwd"}, threading.Event()).is_error
    assert WebSearchTool(f"{server}/search").run({}, threading.Event()).is_error


def test_nothing_is_offered_until_switched_on_with_a_service(
        server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("COVE_HOME", str(tmp_path))
    settings = settings_mod.load()
    registry.set_enabled(settings, "web", True)
    assert registry.available(settings) == []  # switched on, but no service chosen
    assert cli.main(["tools", "enable", "web"]) == 2
    assert "needs a search service" in capsys.readouterr().err
    assert cli.main(["tools", "enable", "web", "--search-url", f"{server}/search"]) == 0
    assert "leave this computer" in capsys.readouterr().out
    names = [t.spec.name for t in registry.available(settings_mod.load())]
    assert names == ["web_search", "web_open"]
    assert Fake.queries == []  # switching on contacts nothing
    assert cli.main(["tools", "disable", "web"]) == 0
    assert registry.available(settings_mod.load()) == []
