"""A whole Cove session through the real window, for the privacy test to watch.

Run as ``python -m tests.privacy.session REPORT`` by ``test_privacy.py`` in a process
of its own (HOME, COVE_HOME and the audit hook set by the test, before anything is
imported). It starts the window as ``cove`` does (settings, history and models in
Cove's folders), then does what a user does in a first week: load a model and chat,
attach a document and ask about it, search the history and reopen a conversation,
change the settings, open the model list, set a download mirror and download a model
from it, look at This computer, add a remote server, test it and chat through it. Every
step checks what the user would see and is written to REPORT (JSON), so a step that
silently did nothing cannot make the privacy test pass.

Models and servers are real: gemma for the chat (``COVE_SESSION_CHAT_MODEL``), the
loopback Hub of the models tests as the mirror, llama.cpp's OpenAI-compatible server
on 127.0.0.1 with the tiny gpt-oss (``COVE_SESSION_SERVER_MODEL``) as the remote.
Waits are for events; their bounds only stop a hang.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HANG = 300.0  # seconds: only a hung step takes this long; a busy machine is slow, not stuck


def wait_until(condition: Callable[[], Any], what: str) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + HANG
    while not condition():
        QApplication.processEvents()
        if time.monotonic() > deadline:
            raise AssertionError(f"the session hung waiting for {what}")
        time.sleep(0.01)


def ask(window: Any, text: str) -> Any:
    """Type a question and press Return, as a user does; the answer's widget."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating, f"{text!r} was not sent"
    widget = window.view.live
    wait_until(lambda: not window.generating, f"the answer to {text!r}")
    assert widget.error_card is None, widget.error_card.title.text()
    return widget


def start_window() -> Any:
    """The window as ``run_gui`` builds it: Cove's own settings file and history."""
    from app.chats.store import ChatStore
    from app.config import settings as settings_mod
    from app.ui.app import make_app
    from app.ui.language import i18n
    from app.ui.widgets import theme
    from app.ui.window import MainWindow

    app = make_app(["cove"])
    settings_file = settings_mod.settings_path()
    settings = settings_mod.load(settings_file)
    settings.sampling = {"temp": 0.0}
    settings.n_ctx = 2048
    settings.max_tokens = 24  # short answers: the session is about what leaves, not prose
    i18n.install(app, settings.language)
    theme.apply(app, settings.theme)
    window = MainWindow(ChatStore.default(), settings, settings_file=settings_file,
                        model_path=os.environ["COVE_SESSION_CHAT_MODEL"])
    window.resize(1200, 800)
    window.show()
    return window


def chat(window: Any, report: dict[str, Any]) -> int:
    wait_until(lambda: window.composer.send_button.isEnabled(), "the model to load")
    answer = ask(window, "What is the capital of France?")
    assert answer.answer.strip(), "the model said nothing"
    report["chat"] = answer.answer
    return int(window.conversation_id)


def documents(window: Any, scratch: Path, report: dict[str, Any]) -> None:
    from PySide6.QtCore import QMimeData, QUrl

    from app.documents.index import READY

    window.new_chat()
    notes = scratch / "harbour-notes.txt"
    notes.write_text("The lighthouse keeper Oswin Tarrant logged the comet on a cold "
                     "Tuesday in the harbour of Dunmore.\n", encoding="utf-8")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(notes))])
    window.composer.input.insertFromMimeData(data)  # dropped on the composer

    def chip() -> Any:
        return next((c for c in window.attachments.chips.values()
                     if c.name == notes.name), None)

    wait_until(lambda: chip() is not None and chip().status == READY, "the document")
    answer = ask(window, "Who logged the comet?")
    report["documents"] = {"chip": chip().status, "answer": answer.answer}


def history(window: Any, first: int, report: dict[str, Any]) -> None:
    sidebar = window.sidebar
    sidebar.search.setText("capital")
    wait_until(lambda: sidebar.results.count() > 0, "the search results")
    hits = [sidebar.results.item(i).text() for i in range(sidebar.results.count())]
    sidebar.search.clear()
    window.open_conversation(first)
    wait_until(lambda: window.conversation_id == first and window.chat.widgets,
               "the first conversation")
    report["history"] = {"hits": hits, "reopened": len(window.chat.widgets)}


def settings(window: Any, report: dict[str, Any]) -> None:
    from app.config import settings as settings_mod
    from app.ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.settings, window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.accept()
    window.apply_settings(dialog.result_settings)
    saved = settings_mod.load(settings_mod.settings_path())
    report["settings"] = {"theme": saved.theme, "file": str(settings_mod.settings_path())}


def models_and_download(window: Any, scratch: Path, report: dict[str, Any]) -> None:
    from app.ui.dialogs.models_dialog import ModelsDialog
    from tests.models.hub_server import HubServer

    payload = Path(os.environ["COVE_SESSION_CHAT_MODEL"]).read_bytes()
    with HubServer() as hub:
        hub.add_repo("cove-test/tiny-GGUF", {"tiny-q4.gguf": payload})
        window.open_models()
        dialog = window.findChild(ModelsDialog)
        assert dialog is not None, "the Models window did not open"
        dialog.endpoint_edit.setText(hub.url)
        dialog.save_endpoint_button.click()  # the mirror, as a user sets it
        ready: list[str] = []
        window.downloads.model_ready.connect(ready.append)
        window.downloads.download("cove-test/tiny-GGUF", "tiny-q4.gguf")
        wait_until(lambda: ready, "the download")
        dialog.close()
        requests = [r.path for r in hub.log]
    report["download"] = {"model": ready[0], "mirror_requests": requests,
                          "endpoint_saved": window.settings.hf_endpoint}


def this_computer(window: Any, report: dict[str, Any]) -> None:
    window.open_computer()
    page = window.dialogs.computer.page
    wait_until(lambda: not page.detecting, "This computer's detection")
    report["computer"] = True
    window.dialogs.computer.close()


def remote(window: Any, scratch: Path, report: dict[str, Any]) -> None:
    from app.ui.dialogs.servers_dialog import ServersDialog
    from tests.remote.servers import LlamaServer

    model = Path(os.environ["COVE_SESSION_SERVER_MODEL"])
    with LlamaServer(model, scratch / "server.log", n_ctx=4096) as server:
        window.open_servers()
        dialog = window.findChild(ServersDialog)
        assert dialog is not None, "the Servers window did not open"
        dialog.name.setText("lab")
        dialog.url.setText(server.url)
        dialog.test_button.click()
        wait_until(lambda: dialog.last_verdict is not None, "the connection test")
        verdict = dialog.verdict.text()
        assert dialog.save_server(), "the server was not saved"
        dialog.close()
        window.new_chat()
        window.use_server("lab")
        wait_until(lambda: getattr(window.model_info, "server", None) == "lab"
                   or window.view.notices,
                   "the server to be in use")
        answer = ask(window, "Hi")
    report["remote"] = {"verdict": verdict, "server": getattr(window.model_info, "server", None),
                        "answered": bool(answer.answer or answer.thinking is not None)}


def main(report_path: Path) -> int:
    import keyring

    from tests.support.memory_keyring import MemoryKeyring

    keyring.set_keyring(MemoryKeyring())  # the OS keyring is not this machine's to use
    scratch = Path(os.environ["COVE_SESSION_SCRATCH"])
    report: dict[str, Any] = {}
    window = start_window()
    try:
        first = chat(window, report)
        documents(window, scratch, report)
        history(window, first, report)
        settings(window, report)
        models_and_download(window, scratch, report)
        this_computer(window, report)
        remote(window, scratch, report)
    finally:
        window.close()
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
        report_path.write_text(json.dumps(report, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
