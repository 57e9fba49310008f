"""Starting the window: the Qt application, settings, language, theme, history.

``run_gui(argv)`` is what ``cove`` (and ``cove gui``) runs. A path to a ``.gguf`` file in
``argv`` (or ``COVE_MODEL``) is loaded at start; otherwise the last model used is.

The window is on screen before the history is opened (:class:`HistoryStart`): it is
shown without one, its message box waiting ("Opening your history…", what is typed
there stays), and the history is opened once the window has been painted. Reading its
key from the OS keyring (importing ``keyring`` alone is 45-80 ms of Python) and opening
the encrypted files then take place under a window the user already sees, not before
it. The question a missing keyring raises (a passphrase, or staying unencrypted) is
asked over the window; a history that cannot be opened (a wrong or missing key) is
said in a message box, the window closes and Cove ends with 1, as before.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QTimer,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app import APP_NAME, __version__
from app.config import paths
from app.config import settings as settings_mod
from app.config.log_file import log_to_file
from app.ui.language import i18n
from app.ui.services.bridge import EngineBridge
from app.ui.widgets import theme
from app.ui.widgets.icons import icon
from app.ui.widgets.plain import plain_box

if TYPE_CHECKING:
    from app.chats.store import ChatStore
    from app.ui.window import MainWindow

__all__ = ["EngineBridge", "HistoryStart", "run_gui"]

log = logging.getLogger("app.ui")

QUIT_AFTER_SHOW = "--quit-after-show"  # start, print when painted and when whole, quit
OPEN_AT_THE_LATEST_MS = 500  # a window that reports no paint opens its history anyway


def __getattr__(name: str) -> object:
    if name == "MainWindow":  # the window module imports the history: only on demand
        from app.ui.window import MainWindow

        return MainWindow
    raise AttributeError(name)


def _setup_logging() -> None:
    if logging.getLogger().handlers:
        return
    log_to_file(fallback=logging.StreamHandler())

    def on_qt_message(kind: QtMsgType, _context: object, text: str) -> None:
        level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
                 QtMsgType.QtWarningMsg: logging.WARNING}.get(kind, logging.ERROR)
        logging.getLogger("qt").log(level, "%s", text)

    qInstallMessageHandler(on_qt_message)

    def on_exception(kind: type[BaseException], value: BaseException,
                     tb: TracebackType | None) -> None:
        # A bug in one slot is logged; the window stays open.
        log.error("uncaught exception", exc_info=(kind, value, tb))

    sys.excepthook = on_exception


def make_app(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(
        [APP_NAME, *argv])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(APP_NAME)
    app.setDesktopFileName("cove")
    return app


class HistoryStart(QObject):
    """Opens the user's history for a window shown without one, once it has been
    painted (:func:`open_users_history`). Afterwards ``store`` is the history opened
    (None until then, and when it could not be), ``error`` what the user was told.

    Signals:
        painted(): the window's first paint; the history is opened right after it.
        opened(): the history is open and the window whole.
    """

    painted = Signal()
    opened = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.store: ChatStore | None = None
        self.error: str | None = None
        self._scheduled = False
        # Any widget of the window painted, not the window itself: Qt does not paint
        # a widget its opaque children cover.
        app = QCoreApplication.instance()
        assert app is not None
        self._app = app
        app.installEventFilter(self)
        QTimer.singleShot(OPEN_AT_THE_LATEST_MS, self, self._schedule)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._scheduled and \
                isinstance(watched, QWidget) and watched.window() is self.window:
            self.painted.emit()
            self._schedule()
        return False

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            self._app.removeEventFilter(self)
            QTimer.singleShot(0, self, self._open)  # once this paint is on the screen

    def _open(self) -> None:
        from app.chats.errors import ChatStoreError

        window = self.window
        if not window.isVisible():  # closed before its history was needed
            return
        try:
            store = open_users_history(window)
        except ChatStoreError as exc:
            log.error("history cannot be opened: %s", exc)
            self._fail(str(exc))
            return
        except Exception:  # a bug: said, and the start ends rather than wait forever
            log.exception("history cannot be opened")
            self._fail(QCoreApplication.translate(
                "HistoryStart", "Cove could not open your history. What went wrong is "
                "written in the log file, cove.log."))
            return
        if not window.isVisible():  # closed while a question was asked
            store.close()
            return
        self.store = store
        window.open_history(store)
        if store.notice is not None:
            window.show_notice(QCoreApplication.translate("MainWindow",
                                                          "The history was damaged"),
                               str(store.notice))
        self.opened.emit()

    def _fail(self, text: str) -> None:
        self.error = text
        plain_box(QMessageBox(QMessageBox.Icon.Critical, APP_NAME, text,
                              parent=self.window)).exec()
        self.window.close()


def open_users_history(window: MainWindow) -> ChatStore:
    """The user's history (``ChatStore.default``); without a keyring the question is
    asked over ``window`` (app.ui.dialogs.protection)."""
    from app.chats.store import ChatStore
    from app.ui.dialogs import protection

    return ChatStore.default(ask=lambda question: protection.ask(question, window))


def run_gui(argv: Sequence[str]) -> int:
    started = time.perf_counter()
    quit_after_show = QUIT_AFTER_SHOW in argv
    argv = [a for a in argv if a != QUIT_AFTER_SHOW]
    _setup_logging()
    app = make_app(argv)
    settings_file = settings_mod.settings_path()
    settings = settings_mod.load(settings_file)
    i18n.install(app, settings.language)
    theme.apply(app, settings.theme)
    theme.follow_system(app)
    app.setWindowIcon(QIcon(icon("logo")))

    from app.ui.window import MainWindow

    model = next((a for a in argv if a.lower().endswith(".gguf")), None) or \
        os.environ.get("COVE_MODEL")
    window = MainWindow(None, settings, settings_file=settings_file, model_path=model)
    start = HistoryStart(window)
    if quit_after_show:
        def report(what: str) -> None:
            print(f"{what}={(time.perf_counter() - started) * 1000:.1f}", flush=True)

        def whole() -> None:
            report("shown_after_ms")
            window.close()
            app.quit()

        start.painted.connect(lambda: report("painted_after_ms"))
        start.opened.connect(lambda: QTimer.singleShot(0, whole))
    elif not (model or settings.model_path):
        # Nothing to chat with yet: the welcome wizard explains the machine, recommends
        # a model and gets it (also in the "…" menu as "Get started…").
        start.opened.connect(lambda: QTimer.singleShot(0, window.open_welcome))
    window.show()
    try:
        code = app.exec()
    finally:
        if start.store is not None:
            start.store.close()
    if start.error is not None:
        return 1
    return _forget_and_start_again(argv) if window.forget_on_close else code


def _forget_and_start_again(argv: Sequence[str]) -> int:
    """Settings › Forget everything: the window has closed the databases; erase them,
    what else holds conversation text and the key, then start anew, empty."""
    from app.config import forget

    try:
        forget.forget_everything(paths.data_dir())
    except forget.ForgetError as exc:
        log.error("forget everything: %s", exc)
        plain_box(QMessageBox(QMessageBox.Icon.Warning, APP_NAME, str(exc))).exec()
    return run_gui(argv)
