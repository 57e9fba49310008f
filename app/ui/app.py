"""Starting the window: the Qt application, settings, language, theme, history.

``run_gui(argv)`` is what ``cove`` (and ``cove gui``) runs. A path to a ``.gguf`` file in
``argv`` (or ``COVE_MODEL``) is loaded at start; otherwise the last model used is.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from app import APP_NAME, __version__
from app.config import paths
from app.config import settings as settings_mod
from app.ui.language import i18n
from app.ui.services.bridge import EngineBridge
from app.ui.widgets import theme
from app.ui.widgets.icons import icon
from app.ui.widgets.plain import plain_box

__all__ = ["EngineBridge", "run_gui"]

log = logging.getLogger("app.ui")

QUIT_AFTER_SHOW = "--quit-after-show"  # start, show the window, print the time, quit


def __getattr__(name: str) -> object:
    if name == "MainWindow":  # the window module imports the history: only on demand
        from app.ui.window import MainWindow

        return MainWindow
    raise AttributeError(name)


def _setup_logging() -> None:
    if logging.getLogger().handlers:
        return
    try:
        handler: logging.Handler = logging.FileHandler(paths.log_dir() / "cove.log",
                                                       encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)

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

    from app.chats.errors import ChatStoreError
    from app.chats.store import ChatStore
    from app.ui.dialogs import protection
    from app.ui.window import MainWindow

    try:
        store = ChatStore.default(ask=protection.ask)  # no keyring: asks once
    except ChatStoreError as exc:
        log.error("history cannot be opened: %s", exc)
        plain_box(QMessageBox(QMessageBox.Icon.Critical, APP_NAME, str(exc))).exec()
        return 1
    model = next((a for a in argv if a.lower().endswith(".gguf")), None)
    window = MainWindow(store, settings, settings_file=settings_file,
                        model_path=model or os.environ.get("COVE_MODEL"))
    if store.notice is not None:
        window.show_notice(QCoreApplication.translate("MainWindow", "The history was damaged"),
                           str(store.notice))
    window.show()
    first_run = not (model or os.environ.get("COVE_MODEL") or settings.model_path)
    if first_run and not quit_after_show:
        # Nothing to chat with yet: the welcome wizard explains the machine, recommends
        # a model and gets it (also in the "…" menu as "Get started…").
        QTimer.singleShot(0, window.open_welcome)
    if quit_after_show:
        def report() -> None:
            print(f"shown_after_ms={(time.perf_counter() - started) * 1000:.1f}", flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(0, report)
    try:
        code = app.exec()
    finally:
        store.close()
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
