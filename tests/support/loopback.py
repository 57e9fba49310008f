"""An HTTP server for tests whose close ends every connection it still serves.

``ThreadingHTTPServer`` with ``daemon_threads`` never waits for its request threads, so
a client that keeps its connection open (a pooled keep-alive one, as ``requests`` and
``httpx`` keep) leaves a thread blocked reading the next request after the test: the
leak fixture (tests/support/leaks.py) then rightly fails the test. Here ``server_close``
shuts down each open connection, which ends its thread, and joins the threads.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from http.server import ThreadingHTTPServer
from typing import Any

JOIN_S = 30.0  # a hang limit: a connection shut down ends its thread at once


class ClosingHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer whose ``server_close`` also ends what it serves."""

    daemon_threads = True  # never holds the interpreter's exit

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._serving: dict[threading.Thread, socket.socket] = {}
        self._guard = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(target=self.process_request_thread,
                                  args=(request, client_address), daemon=True,
                                  name=f"{type(self).__name__} request")
        with self._guard:
            self._serving[thread] = request
        thread.start()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._guard:
                self._serving.pop(threading.current_thread(), None)

    def server_close(self) -> None:
        """Stop listening, end the connections still open, wait for their threads
        (call after ``shutdown()``, as ``socketserver`` wants)."""
        super().server_close()
        with self._guard:
            serving = dict(self._serving)
        for connection in serving.values():
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        for thread in serving:
            thread.join(JOIN_S)
