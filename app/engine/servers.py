"""Remote servers the user added: where they are, which model, and their API keys.

The list lives in ``servers.json`` in Cove's config folder (written atomically); the
API keys live in the OS keyring under the service ``Cove``, one entry per server
(``server:NAME``), and nowhere else: not in that file, not in a log line, not in an
exception's text. Nothing is ever sent to a server that is not in this list.

:func:`check_connection` is the settings page's "Test connection" button: it asks the
server for its model list and says, in a user's words, what it found (unreachable,
TLS error, wrong key, no such model, or OK with the round-trip time).
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from app.config import paths
from app.config.files import write_atomically
from app.engine import backend as codes
from app.engine import protocol
from app.engine.remote import DEFAULT_READ_TIMEOUT, RemoteBackend
from app.engine.remote_errors import RemoteError
from app.engine.remote_request import APIS, CHAT, RESPONSES, normalise_url

log = logging.getLogger(__name__)

FILE_NAME = "servers.json"
KEYRING_SERVICE = "Cove"  # the service the Hugging Face token uses too
_VERSION = 1


class ServerError(Exception):
    """A settings problem (unknown server, bad name, bad address, no keyring); the text
    is for the user. ``code`` is ``insecure_url`` when the address is plain HTTP to
    another computer: the settings page then asks the user and saves again with
    ``allow_insecure=True``."""

    def __init__(self, message: str, code: str = protocol.BAD_REQUEST) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ServerConfig:
    """One server as the settings page edits it. No secret in here, ever."""

    name: str
    base_url: str
    model: str = ""  # "" : the server's first model
    models: tuple[str, ...] = ()  # the list the server gave last time
    api: str = CHAT  # "chat" (chat completions) or "responses"
    allow_insecure: bool = False  # plain HTTP to a non-local host, confirmed by the user
    ca_file: str = ""  # an organisation's own CA certificate (PEM), besides the system's
    read_timeout: float = DEFAULT_READ_TIMEOUT
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        extra = data.pop("extra")
        data["models"] = list(self.models)
        return {**extra, **data}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ServerConfig:
        known = {"name", "base_url", "model", "models", "api", "allow_insecure", "ca_file",
                 "read_timeout"}
        models = data.get("models") or []
        timeout = data.get("read_timeout")
        return cls(
            name=str(data["name"]), base_url=str(data["base_url"]),
            model=str(data.get("model") or ""),
            models=tuple(str(m) for m in models) if isinstance(models, list) else (),
            api=str(data["api"]) if data.get("api") in APIS else CHAT,
            allow_insecure=data.get("allow_insecure") is True,
            ca_file=str(data.get("ca_file") or ""),
            read_timeout=float(timeout) if isinstance(timeout, (int, float)) and
            not isinstance(timeout, bool) and timeout > 0 else DEFAULT_READ_TIMEOUT,
            extra={k: v for k, v in data.items() if k not in known},
        )


@dataclass(frozen=True)
class Verdict:
    """What "Test connection" found. ``code`` is ``ok`` or one of backend's codes."""

    ok: bool
    code: str
    message: str
    latency_ms: float | None = None
    models: tuple[str, ...] = ()
    responses_api: bool | None = None  # the server has the Responses API (None: unknown)


# -- keys -----------------------------------------------------------------------------
def _key_name(server: str) -> str:
    return f"server:{server}"


def api_key(server: str) -> str | None:
    """The server's stored key, or None (none stored, or no usable keyring)."""
    try:
        return keyring.get_password(KEYRING_SERVICE, _key_name(server)) or None
    except (KeyringError, RuntimeError) as exc:
        log.warning("The OS keyring could not be read (%s); connecting without a key.",
                    type(exc).__name__)
        return None


def set_api_key(server: str, key: str | None) -> None:
    """Store (or, when empty, forget) the server's key. Raises ServerError when there
    is no keyring to keep it in: Cove never falls back to a file."""
    key = (key or "").strip()
    try:
        if key:
            keyring.set_password(KEYRING_SERVICE, _key_name(server), key)
        else:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, _key_name(server))
    except (KeyringError, RuntimeError) as exc:
        raise ServerError(
            "The API key could not be stored: this computer has no usable keyring "
            f"({type(exc).__name__}). Cove keeps keys only in the OS keyring.") from None


# -- the list -------------------------------------------------------------------------
class ServerStore:
    """The servers the user added, in ``servers.json`` (``path`` for tests)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or paths.config_dir() / FILE_NAME

    def servers(self) -> list[ServerConfig]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("servers: %s is unreadable (%s)", self.path, exc)
            return []
        items = data.get("servers") if isinstance(data, dict) else None
        servers = []
        for item in items if isinstance(items, list) else []:
            try:
                servers.append(ServerConfig.from_json(item))
            except (KeyError, TypeError, ValueError, AttributeError):
                log.warning("servers: skipping an unreadable entry")
        return servers

    def get(self, name: str) -> ServerConfig:
        for server in self.servers():
            if server.name == name:
                return server
        known = ", ".join(s.name for s in self.servers()) or "none yet"
        raise ServerError(f"There is no server named {name!r} (servers: {known}).")

    def save(self, server: ServerConfig, key: str | None = None, *,
             replace_name: str | None = None) -> ServerConfig:
        """Add or update a server (``replace_name``: its name before a rename). The
        address is checked first; ``key`` (when given) goes to the keyring."""
        name = server.name.strip()
        if not name or any(ord(c) < 32 for c in name):
            raise ServerError("A server needs a name.")
        try:
            url = normalise_url(server.base_url, server.allow_insecure)
        except RemoteError as exc:
            raise ServerError(str(exc), exc.code) from None
        server = replace(server, name=name, base_url=url)
        old = replace_name or name
        existing = self.servers()
        if name != old and any(s.name == name for s in existing):
            raise ServerError(f"There is already a server named {name!r}.")
        servers: list[ServerConfig] = []
        for s in existing:  # keep the list's order: the edited server stays in its place
            if s.name in (old, name):
                if server not in servers:
                    servers.append(server)
            else:
                servers.append(s)
        if server not in servers:
            servers.append(server)
        if key is not None:
            set_api_key(name, key)
        elif name != old:
            moved = api_key(old)
            if moved:
                set_api_key(name, moved)
        if name != old:
            set_api_key(old, None)
        self._write(servers)
        return server

    def remove(self, name: str) -> None:
        self.get(name)
        self._write([s for s in self.servers() if s.name != name])
        with contextlib.suppress(ServerError):
            set_api_key(name, None)

    def remember_models(self, name: str, models: Iterable[str]) -> None:
        servers = [replace(s, models=tuple(models)) if s.name == name else s
                   for s in self.servers()]
        self._write(servers)

    def connect(self, name: str) -> RemoteBackend:
        """A backend for the named server, with its key from the keyring."""
        return backend_for(self.get(name))

    def _write(self, servers: list[ServerConfig]) -> None:
        text = json.dumps({"version": _VERSION, "servers": [s.to_json() for s in servers]},
                          indent=2, ensure_ascii=False)
        write_atomically(self.path, text + "\n")


def backend_for(server: ServerConfig, key: str | None = None) -> RemoteBackend:
    """A RemoteBackend for ``server``; ``key`` None reads it from the keyring."""
    try:
        return RemoteBackend(
            server.base_url, server.model, key if key is not None else api_key(server.name),
            name=server.name, api=server.api, allow_insecure=server.allow_insecure,
            ca_file=server.ca_file or None, read_timeout=server.read_timeout)
    except OSError as exc:  # an unreadable CA file
        raise ServerError(f"The CA file {server.ca_file} could not be read: "
                          f"{exc.strerror or exc}.") from None


def check_connection(server: ServerConfig, key: str | None = None) -> Verdict:
    """"Test connection": ask for the model list, time it, check the chosen model."""
    try:
        remote = backend_for(server, key)
    except RemoteError as exc:
        return Verdict(False, exc.code, str(exc))
    except ServerError as exc:
        return Verdict(False, protocol.BAD_REQUEST, str(exc))
    with remote:
        started = time.perf_counter()
        try:
            models = tuple(remote.models())
        except RemoteError as exc:
            return Verdict(False, exc.code, str(exc))
        latency = round((time.perf_counter() - started) * 1000, 1)
        responses = remote.has_responses_api()
    if server.model and server.model not in models:
        offered = ", ".join(models[:8]) + (" …" if len(models) > 8 else "")
        return Verdict(False, codes.NO_SUCH_MODEL,
                       f"{server.name} answers, but has no model {server.model!r}. "
                       f"It offers: {offered or 'nothing'}.", latency, models)
    if not models:
        return Verdict(False, codes.NO_SUCH_MODEL,
                       f"{server.name} answers, but offers no models.", latency, models)
    if server.api == RESPONSES and responses is False:
        return Verdict(False, codes.SERVER_ERROR,
                       f"{server.name} answers, but has no Responses API: choose chat "
                       "completions for it.", latency, models, responses)
    return Verdict(True, "ok", f"Connected to {server.name}: {len(models)} model(s), "
                   f"{latency:.0f} ms.", latency, models, responses)
