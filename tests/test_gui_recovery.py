"""The window with the real worker (gemma) when things go wrong between messages: a
model file that fails to load leaves the working model in use, and a worker killed
while idle is started again by the next message, which is answered (issue 16 §3, §4).
A server in use is left alone when the local worker is dead."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.engine.servers import ServerConfig, ServerStore
from app.ui.chat.messages import AssistantMessage
from tests.remote.servers import LlamaServer
from tests.support.memory_keyring import memory_keyring
from tests.test_engine import _StartKiller, kill_and_wait
from tests.ui.fixtures import make_window, qapp, qt_warnings_fail, store, wait_until
from tests.ui.german import english_words

__all__ = ["make_window", "memory_keyring", "qapp", "qt_warnings_fail", "store"]

GREEDY = Settings(sampling={"temp": 0.0}, n_ctx=1024)
FRANCE = "What is the capital of France?"


def ask(app: QApplication, window: Any, text: str) -> AssistantMessage:
    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating
    widget = window.view.live
    wait_until(app, lambda: not window.generating, 180, "the answer")
    return widget


def answers(store: ChatStore, conversation_id: int) -> list[tuple[str, str]]:
    """(status, content) of every saved answer of the conversation, in order."""
    return [(m.status, m.content) for m in store.path(conversation_id)
            if m.role == "assistant"]


def test_an_idle_crash_and_a_broken_file_leave_a_working_model(
    qapp: QApplication, make_window: Any, gemma_path: Path, store: ChatStore,
    tmp_path: Path
) -> None:
    client = _StartKiller(log_path=tmp_path / "worker.log")
    try:
        client.load(gemma_path, n_ctx=1024, seed=1)
        window = make_window(client, settings=GREEDY)
        model = window.topbar.model_button.text()
        assert "gemma" in model.lower()
        first = ask(qapp, window, FRANCE)
        assert "Paris" in first.answer

        # Killed while idle: the next message starts it again and is answered.
        kill_and_wait(client.pid)  # type: ignore[arg-type]
        second = ask(qapp, window, FRANCE)
        assert second.error_card is None and second.answer == first.answer
        saved = answers(store, window.conversation_id)
        assert saved == [("complete", first.answer)] * 2  # no empty "interrupted" one

        # Killed while idle, and again while it is being started: a clear error; the
        # history is intact and the next message is answered.
        kill_and_wait(client.pid)  # type: ignore[arg-type]
        client.kills = 2
        third = ask(qapp, window, FRANCE)
        assert third.error_card is not None
        assert "could not be loaded" in third.error_card.title.text()
        assert "starting it again failed" in third.error_card.text.text()
        assert answers(store, window.conversation_id) == [
            ("complete", first.answer), ("complete", first.answer), ("error", "")]
        assert window.composer.send_button.isEnabled()
        client.kills = 0
        fourth = ask(qapp, window, FRANCE)
        assert fourth.error_card is None and "Paris" in fourth.answer

        # A broken file: the card says so, and that the model before it still answers.
        bad = tmp_path / "broken.gguf"
        bad.write_bytes(b"GGUF\x03\x00\x00\x00")
        window.load_model(str(bad))
        wait_until(qapp, lambda: window.view.notices, 60, "the load error")
        card = window.view.notices[-1]
        assert card.title.text() == "<b>The model could not be loaded</b>"
        assert "broken.gguf" in card.text.text()
        assert "is still loaded and in use" in card.text.text()
        assert window.topbar.model_button.text() == model
        assert window.composer.send_button.isEnabled()
        assert "Paris" in ask(qapp, window, FRANCE).answer
        assert window.settings.model_path != str(bad)
    finally:
        client.close()


class _HeldStart(_StartKiller):
    """A real client whose next worker start waits for the test (``hold``), as loading
    a 12 GB model again holds it for tens of seconds."""

    hold: threading.Event | None = None

    def start(self) -> None:
        gate, self.hold = self.hold, None
        if gate is not None:
            assert gate.wait(120), "the test did not let the worker start"
        super().start()


def test_a_revive_shows_loading_and_stop_ends_its_wait(
    qapp: QApplication, make_window: Any, gemma_path: Path, store: ChatStore,
    tmp_path: Path
) -> None:
    """The worker died while idle: the next message loads the model again, and the
    window says so ("Loading …") instead of only "Thinking…"; Stop meanwhile ends
    the wait at once, keeping the message, and the model is there for the next one."""
    client = _HeldStart(log_path=tmp_path / "worker.log")
    try:
        client.load(gemma_path, n_ctx=1024, seed=1)
        window = make_window(client, settings=GREEDY)
        model = window.topbar.model_button.text()
        shown: list[tuple[str, bool]] = []
        window.bridge.restarting.connect(lambda: shown.append(
            (window.topbar.model_button.text(), window.composer.send_button.isEnabled())))

        # Answered after the loading state was shown.
        kill_and_wait(client.pid)  # type: ignore[arg-type]
        first = ask(qapp, window, FRANCE)
        assert shown and shown[0][0].startswith("Loading ") and "gemma" in shown[0][0].lower()
        assert first.error_card is None and "Paris" in first.answer
        assert window.topbar.model_button.text() == model

        # Stop while the model loads again: the wait ends now, the message is kept.
        kill_and_wait(client.pid)  # type: ignore[arg-type]
        client.hold = gate = threading.Event()
        window.composer.input.setPlainText("And of Italy?")
        QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
        wait_until(qapp, lambda: len(shown) == 2, 60, "the loading state")
        assert window.generating and window.topbar.model_button.text().startswith("Loading ")
        assert window.composer.send_button.isEnabled()  # it is the Stop button now
        QTest.mouseClick(window.composer.send_button, Qt.MouseButton.LeftButton)
        assert not window.generating  # at once, not when the model has loaded
        path = store.path(window.conversation_id)
        assert [m.content for m in path if m.role == "user"] == [FRANCE, "And of Italy?"]
        assert path[-1].role == "assistant" and path[-1].status == "stopped"
        gate.set()
        wait_until(qapp, lambda: window.topbar.model_button.text() == model
                   and window.composer.send_button.isEnabled(), 120, "the model again")
        pid = client.pid
        assert "Paris" in ask(qapp, window, FRANCE).answer and client.pid == pid
    finally:
        client.close()


def test_a_failed_load_card_is_german_in_a_german_window(
    qapp: QApplication, make_window: Any, gemma_path: Path, tmp_path: Path
) -> None:
    """The failed-load card names the broken file and the model still in use, all in
    German (the engine's sentence and its follow-up are reasons of their own)."""
    from app.ui.language import i18n
    client = _StartKiller(log_path=tmp_path / "worker.log")
    assert i18n.install(qapp, "de") == "de"
    try:
        client.load(gemma_path, n_ctx=1024, seed=1)
        window = make_window(client, settings=GREEDY)
        bad = tmp_path / "kaputt.gguf"
        bad.write_bytes(gemma_path.read_bytes()[:100_000])
        window.load_model(str(bad))
        wait_until(qapp, lambda: window.view.notices, 60, "the load error")
        text = window.view.notices[-1].text.text()
        assert "kaputt.gguf" in text and client.info["name"] in text
        assert not english_words(text), text
        assert window.composer.send_button.isEnabled()
    finally:
        i18n.install(qapp, "en")
        client.close()


def test_a_server_in_use_is_not_held_up_by_a_dead_local_worker(
    qapp: QApplication, make_window: Any, gemma_path: Path, tmp_path: Path
) -> None:
    client = _StartKiller(log_path=tmp_path / "worker.log")
    try:
        client.load(gemma_path, n_ctx=1024, seed=1)
        window = make_window(client, settings=GREEDY)
        with LlamaServer(gemma_path, tmp_path / "server.log", chat_format="chatml",
                         threads=2) as server:
            servers = ServerStore(tmp_path / "servers.json")
            servers.save(ServerConfig("box", server.url, server.model_id))
            window.bridge.use_remote("box", store=servers)
            wait_until(qapp, lambda: getattr(window.model_info, "backend", None) == "remote"
                       and window.composer.send_button.isEnabled(), 60, "the server")
            pid = client.pid
            kill_and_wait(pid)  # type: ignore[arg-type]
            answer = ask(qapp, window, FRANCE)
            assert answer.error_card is None and answer.answer
            # The server answered; the dead local worker was not started for it.
            assert client.pid == pid and not client.alive
    finally:
        client.close()
