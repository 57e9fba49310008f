"""The local API inside the window: other programs use the model the window has loaded.

:class:`WindowGate` is the API's :class:`app.api.gate.ModelGate` over the window's
:class:`app.ui.services.bridge.EngineBridge`: every request is a job on the one engine
thread, queued ``later`` than the window's own chats, which therefore go first; no
second copy of the model is loaded. :class:`ApiServerService` runs the server (uvicorn
on a thread of its own, started and stopped with Settings, stopped cleanly when the
window closes) and counts the requests for the status line. :func:`replace_key` makes
a new key that every running server takes at once (Settings › Other apps › New key).

Signals:
    request_done(): a request was answered (the status line's count changed); emitted
        on the GUI thread.
    exchanged(Exchange): a chat was answered whole (app.api.exchange); on the GUI
        thread, for the history to keep when the user asked for it.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal

from app.api import keys
from app.api.gate import Ticket
from app.api.options import ApiOptions, is_loopback
from app.api.request_log import Entry, RequestLog, default_path
from app.config import paths
from app.engine import protocol
from app.engine.client import EngineError
from app.engine.model_info import ModelInfo

if TYPE_CHECKING:
    from app.api.server import ApiServer
    from app.ui.services.bridge import EngineBridge

log = logging.getLogger(__name__)


class WindowGate:
    """Requests through the window's engine thread, after the window's own work."""

    def __init__(self, bridge: EngineBridge,
                 load_options: Callable[[], dict[str, Any]] = dict) -> None:
        self.bridge = bridge
        self._load_options = load_options

    @property
    def model(self) -> ModelInfo | None:
        return self.bridge.model

    def submit(self, ticket: Ticket) -> None:
        bridge = self.bridge
        bridge.submit(lambda: ticket.run(bridge.backend if bridge.info else None),
                      later=True)

    def switch(self, path: Path) -> ModelInfo:
        """Load ``path`` through the bridge, as the window's model menu does (the window
        hears ``loaded`` and shows it); waits for the load's turn and its end."""
        done = threading.Event()
        self.bridge.load(str(path), **self._load_options())
        self.bridge.submit(done.set)  # runs right after the load
        done.wait()
        model = self.bridge.model
        if model is None or Path(model.path).resolve() != Path(path).resolve():
            raise EngineError(f"{Path(path).name} could not be loaded.",
                              protocol.LOAD_FAILED)
        return model


class ApiServerService(QObject):
    """Starts and stops the window's API server; see the module docstring."""

    request_done = Signal()
    exchanged = Signal(object)
    _entry = Signal(object)  # from the server's thread to the GUI thread
    _exchange = Signal(object)  # the same

    def __init__(self, bridge: EngineBridge, parent: QObject | None = None,
                 load_options: Callable[[], dict[str, Any]] = dict,
                 log_path: Path | None = None) -> None:
        super().__init__(parent)
        self.gate = WindowGate(bridge, load_options)
        self.requests = RequestLog(log_path or default_path())
        self._server: ApiServer | None = None
        self.key: keys.ApiKey | None = None
        self._entry.connect(self._on_entry, Qt.ConnectionType.QueuedConnection)
        self._exchange.connect(self.exchanged, Qt.ConnectionType.QueuedConnection)
        _services.add(self)

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def address(self) -> str:
        return self._server.address if self._server is not None else ""

    @property
    def base_url(self) -> str:
        return self._server.base_url if self._server is not None else ""

    def start(self, options: ApiOptions) -> None:
        """Serve with ``options`` (a running server is stopped first). Raises OSError
        when the address cannot be used (a port in use): the caller says so."""
        from app.api.server import ApiServer, ApiService
        from app.models.library import Library

        self.stop()
        if not is_loopback(options.host):
            log.warning("the local API listens on %s: other computers may reach it",
                        options.host)
        self.key = keys.api_key()
        library = Library(paths.models_dir())
        service = ApiService(self.gate, self.key.value, options, library=library.models,
                             requests=self.requests, on_request=self._entry.emit,
                             on_exchange=self._exchange.emit)
        server = ApiServer(service)
        server.start()
        self._server = server

    def use_key(self, key: keys.ApiKey) -> None:
        """Take ``key`` from now on: the next request with the old one gets 401."""
        self.key = key
        if self._server is not None:
            self._server.service.key = key.value

    def stop(self) -> None:
        """Stop serving: answers under way are cancelled, the thread joined."""
        server, self._server = self._server, None
        if server is not None:
            server.stop()

    def status_text(self) -> str:
        """The status line: where it serves and how many requests today."""
        if self._server is None:
            return ""
        return self.tr("Serving on %1 · requests today: %2").replace(
            "%1", self.address).replace("%2", str(self.requests.today))

    def _on_entry(self, entry: Entry) -> None:
        self.request_done.emit()


_services: weakref.WeakSet[ApiServerService] = weakref.WeakSet()


def replace_key() -> keys.ApiKey:
    """A new API key, in the keyring and taken at once by every running server: the
    old key stops working (programs must be given the new one)."""
    key = keys.new_api_key()
    for service in list(_services):
        service.use_key(key)
    return key
