"""Web search and page reading: the two tools that leave this computer.

Off until the user switches "web" on *and* gives a search endpoint they chose
(``Settings.web_search_url``: a SearXNG instance, their own or one they trust; its
JSON API, ``?q=…&format=json``). Nothing is contacted otherwise. Both tools say
``leaves_computer`` (the window labels them) and ask before each call.

``web_search`` returns titles, addresses and snippets; ``web_open`` fetches one page
(http/https only) and returns its readable text, cut to fit. A failure (no answer,
an error status, not JSON) is an error result the model can read, never an exception.
"""

from __future__ import annotations

import html.parser
import threading
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import httpx2

from app.tools.base import FUNCTION, ToolResult, ToolSpec, error

TIMEOUT_S = 15.0
MAX_PAGE_BYTES = 2_000_000  # read of a page at most
MAX_TEXT = 20_000  # characters of a page's text for the model
USER_AGENT = "Cove (private chat; a user's web search)"


class WebSearchTool:
    """Asks the user's search endpoint (SearXNG JSON API)."""

    def __init__(self, endpoint: str, results: int = 8) -> None:
        self.endpoint = endpoint
        self.results = results

    @property
    def spec(self) -> ToolSpec:
        return ToolSpec(
            name="web_search",
            description=("Search the web. Returns the title, address and a snippet of each "
                         "result; open a result with web_open to read it."),
            parameters={"type": "object", "properties": {
                "query": {"type": "string", "description": "what to search for"}},
                "required": ["query"]},
            kind=FUNCTION, title="Web search", leaves_computer=True, asks_first=True)

    def run(self, arguments: Mapping[str, Any], cancel: threading.Event) -> ToolResult:
        query = arguments.get("query")
        if not isinstance(query, str) or not query.strip():
            return error("web_search needs a query.")
        try:
            response = _get(self.endpoint, {"q": query, "format": "json"}, cancel)
            data = response.json()
        except _Stopped:
            return error("[stopped by the user]")
        except (httpx2.HTTPError, ValueError) as exc:
            return error(f"The search service at {_host(self.endpoint)} did not answer "
                         f"usefully: {exc}")
        items = data.get("results", []) if isinstance(data, dict) else []
        lines = []
        for n, item in enumerate(items[: self.results], 1):
            if isinstance(item, dict):
                lines.append(f"[{n}] {item.get('title', '')}\n{item.get('url', '')}\n"
                             f"{str(item.get('content', ''))[:500]}")
        text = "\n\n".join(lines) or f"No results for {query!r}."
        return ToolResult(text=text, data={"results": [i.get("url") for i in items[:8]
                                                       if isinstance(i, dict)]})


class WebOpenTool:
    """Fetches one page and returns its text."""

    @property
    def spec(self) -> ToolSpec:
        return ToolSpec(
            name="web_open",
            description="Open a web page (http or https address) and read its text.",
            parameters={"type": "object", "properties": {
                "url": {"type": "string", "description": "the page's address"}},
                "required": ["url"]},
            kind=FUNCTION, title="Open a web page", leaves_computer=True, asks_first=True)

    def run(self, arguments: Mapping[str, Any], cancel: threading.Event) -> ToolResult:
        url = arguments.get("url")
        if not isinstance(url, str) or urlparse(url).scheme not in ("http", "https"):
            return error("web_open needs an http:// or https:// address.")
        try:
            response = _get(url, None, cancel)
        except _Stopped:
            return error("[stopped by the user]")
        except httpx2.HTTPError as exc:
            return error(f"{url} could not be read: {exc}")
        kind = response.headers.get("content-type", "")
        body = response.text
        text = _readable(body) if "html" in kind or body.lstrip().startswith("<") else body
        if len(text) > MAX_TEXT:
            text = text[:MAX_TEXT] + f"\n[… {len(text) - MAX_TEXT:,} characters not shown …]"
        return ToolResult(text=text or "[no text on this page]", data={"url": url})


class _Stopped(Exception):
    pass


def _get(url: str, params: dict[str, str] | None, cancel: threading.Event) -> httpx2.Response:
    """GET with a time limit, reading the body in pieces (Stop is checked between
    them, and a page larger than MAX_PAGE_BYTES is cut)."""
    headers = {"User-Agent": USER_AGENT}
    with httpx2.Client(timeout=TIMEOUT_S, follow_redirects=True, headers=headers) as client, \
            client.stream("GET", url, params=params) as response:
        response.raise_for_status()
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            if cancel.is_set():
                raise _Stopped
            chunks.append(chunk)
            size += len(chunk)
            if size >= MAX_PAGE_BYTES:
                break
        return httpx2.Response(response.status_code, headers=response.headers,
                               content=b"".join(chunks), request=response.request)


def _host(url: str) -> str:
    return urlparse(url).hostname or url


class _Text(html.parser.HTMLParser):
    """A page's visible text: scripts, styles and markup left out, blocks on lines."""

    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head"})
    BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                       "section", "article", "pre", "blockquote", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _readable(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)
