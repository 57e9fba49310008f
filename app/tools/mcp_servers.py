"""The MCP servers the user added: one JSON file in the config folder, written atomically.

A server is started by a command (stdio) or reached at a streamable-HTTP URL. Its
tools ask the user before each call unless the user trusts the server. Plain data:
the Tools window and ``cove tools`` edit it, :mod:`app.tools.mcp_client` starts them.
A broken or hand-edited file never stops Cove: unreadable entries are skipped.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from app.config import paths
from app.config.files import write_atomically

log = logging.getLogger(__name__)

FILE_NAME = "mcp_servers.json"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$")


class ServerError(ValueError):
    """A server entry the user gave cannot be used (the message says why)."""


@dataclass
class McpServer:
    name: str
    command: list[str] = field(default_factory=list)  # stdio: program and arguments
    url: str = ""  # streamable HTTP
    env: dict[str, str] = field(default_factory=dict)  # extra variables for a command
    trusted: bool = False  # its calls run without asking
    enabled: bool = True

    @property
    def kind(self) -> str:
        return "http" if self.url else "stdio"

    @property
    def leaves_computer(self) -> bool:
        """A URL on another computer: what a call sends leaves this one."""
        host = (urlparse(self.url).hostname or "") if self.url else ""
        return bool(self.url) and host not in ("127.0.0.1", "localhost", "::1")

    def describe(self) -> str:
        return self.url or " ".join(self.command)


def validate(server: McpServer) -> None:
    """Raise :class:`ServerError` unless the entry can be started."""
    if not NAME.match(server.name):
        raise ServerError("A server name is 1 to 40 letters, digits, spaces, '.', '_' or '-'.")
    if bool(server.command) == bool(server.url):
        raise ServerError("Give either a command to start or a URL, not both.")
    if server.url and urlparse(server.url).scheme not in ("http", "https"):
        raise ServerError("The URL must start with http:// or https://.")


def servers_path() -> Path:
    return paths.config_dir() / FILE_NAME


def load(path: Path | None = None) -> list[McpServer]:
    path = path or servers_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.warning("mcp: %s is unreadable (%s); no MCP servers", path, exc)
        return []
    entries = data.get("servers", []) if isinstance(data, dict) else []
    return [s for s in (_entry(e) for e in entries) if s is not None]


def _entry(raw: Any) -> McpServer | None:
    try:
        server = McpServer(
            name=str(raw["name"]),
            command=[str(a) for a in raw.get("command", [])],
            url=str(raw.get("url", "")),
            env={str(k): str(v) for k, v in dict(raw.get("env", {})).items()},
            trusted=raw.get("trusted") is True,
            enabled=raw.get("enabled", True) is not False,
        )
        validate(server)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        log.warning("mcp: skipping a server entry (%s)", exc)
        return None
    return server


def save(servers: list[McpServer], path: Path | None = None) -> None:
    text = json.dumps({"servers": [asdict(s) for s in servers]}, indent=2, ensure_ascii=False)
    write_atomically(path or servers_path(), text + "\n")


def add(server: McpServer, path: Path | None = None) -> None:
    """Add (or replace, by name) a server after checking it."""
    validate(server)
    servers = [s for s in load(path) if s.name != server.name]
    save([*servers, server], path)


def remove(name: str, path: Path | None = None) -> bool:
    servers = load(path)
    kept = [s for s in servers if s.name != name]
    if len(kept) != len(servers):
        save(kept, path)
    return len(kept) != len(servers)


def set_trusted(name: str, trusted: bool, path: Path | None = None) -> bool:
    servers = load(path)
    found = False
    for server in servers:
        if server.name == name:
            server.trusted, found = trusted, True
    if found:
        save(servers, path)
    return found
