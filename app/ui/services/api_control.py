"""The local API in the window: serving when Settings › Other apps says so.

:class:`ApiControl` is created by the window with one line and needs nothing else from
it: it reads ``window.settings`` when the window starts and again after Settings is
saved (:attr:`app.ui.dialogs.opener.Dialogs.settings_saved`, queued so the window has
applied them), starts or stops :class:`ApiServerService` to match, shows the status line
("Serving on 127.0.0.1:PORT · N requests today") under the sidebar's list, and stops the
server when the window closes (an event filter: the server's requests run on the
window's engine thread, which the window's close ends right after).

A port that cannot be used (another program has it), or an address that is not this
computer's, is a card in the chat saying so, and the setting stays as the user chose
it: the next start, or saving Settings with another port, tries again.

When the user asked for it (Settings › Other apps › "Keep conversations from other
apps in the history"), each chat another program had answered is added to the history
through the session (``Session.import_json``, so the sidebar
lists it at once, under "From other apps").
"""

from __future__ import annotations

import errno
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout

from app.api.options import ApiOptions
from app.chats.errors import ChatStoreError
from app.hardware.plan_options import load_options
from app.ui.widgets.plain import plain_label

# The server's modules (asyncio, the keyring for its key) are imported when it is first
# needed: most windows never serve, and every start would pay for them.
if TYPE_CHECKING:
    from app.api.exchange import Exchange
    from app.ui.services.api_server import ApiServerService
    from app.ui.window import MainWindow

log = logging.getLogger(__name__)


class ApiControl(QObject):
    """Keeps the window's API server as the settings say; see the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._service: ApiServerService | None = None  # made when first needed
        self._serving: ApiOptions | None = None  # what the running server was given
        self._closing = False  # the window is closing: nothing starts again
        self.status = plain_label(QLabel(window.sidebar))
        self.status.setObjectName("apiStatus")
        self.status.setProperty("muted", True)
        self.status.setWordWrap(True)
        self.status.hide()
        layout = window.sidebar.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.count() - 1, self.status)  # above Settings and ⋯
        window.dialogs.settings_saved.connect(self.apply, Qt.ConnectionType.QueuedConnection)
        window.installEventFilter(self)
        self.apply()

    @property
    def service(self) -> ApiServerService:
        """The server (made, not started, on first use)."""
        if self._service is None:
            from app.ui.services.api_server import ApiServerService

            window = self.window
            self._service = ApiServerService(
                window.bridge, self,
                load_options=lambda: load_options(window.settings.plan_overrides()))
            self._service.request_done.connect(self._show_status)
            self._service.exchanged.connect(self._keep)
        return self._service

    @property
    def running(self) -> bool:
        return self._service is not None and self._service.running

    @property
    def serving(self) -> ApiOptions | None:
        """What the running server was given (None: not serving)."""
        return self._serving

    def options(self) -> ApiOptions:
        s = self.window.settings
        return ApiOptions(host=s.api_host, port=s.api_port, allow_switch=s.api_allow_switch,
                          log_content=s.api_log_content)

    def apply(self) -> None:
        """Serve, stop or serve again to match the window's settings."""
        on = self.window.settings.api_enabled and not self._closing
        wanted = self.options() if on else None
        if wanted == self._serving and self.running == (wanted is not None):
            return
        self.stop()
        if wanted is not None:
            self._start(wanted)

    def stop(self) -> None:
        if self._service is not None:
            self._service.stop()
        self._serving = None
        self._show_status()

    def _start(self, options: ApiOptions) -> None:
        try:
            self.service.start(options)
        except OSError as exc:
            log.warning("the local API could not listen on %s port %s: %s", options.host,
                        options.port, exc)
            if exc.errno == errno.EADDRINUSE:
                text = self.tr(
                    "Port {port} on this computer is taken by another program, so Cove "
                    "could not open its door for other apps there. Your conversations are "
                    "not affected. Choose another port in Settings › Other apps, or close "
                    "the program using it and start Cove again.").format(port=options.port)
            else:  # an address that is not this computer's, or not an address
                text = self.tr(
                    "Cove could not open its door for other apps at the address {host} "
                    "({detail}). Your conversations are not affected. Check the address in "
                    "Settings › Other apps; 127.0.0.1 is this computer.").format(
                        host=options.host, detail=exc.strerror or exc)
            self.window.show_notice(self.tr("Other apps cannot use Cove right now"), text)
        else:
            self._serving = options
        self._show_status()

    def _keep(self, exchange: Exchange) -> None:
        """Add another program's answered chat to the history, when asked to."""
        if not self.window.settings.api_keep_history:
            return
        from app.api.exchange import conversation_document

        try:
            self.window.session.import_json(conversation_document(exchange))
        except ChatStoreError as exc:  # the history is unwritable: the answer went out
            log.warning("an API conversation could not be kept: %s", exc)

    def _show_status(self) -> None:
        text = self._service.status_text() if self._service is not None else ""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The window is closing: stop before it ends the engine thread. A close the
        user then cancels (Quit while an answer is written → No) serves again."""
        if watched is self.window and event.type() == QEvent.Type.Close:
            self._closing = True
            self.stop()
            QTimer.singleShot(0, self, self._reopen)
        return False

    def _reopen(self) -> None:
        if self.window.isVisible():  # the close was cancelled
            self._closing = False
            self.apply()
