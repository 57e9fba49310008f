"""In German, the main window, Settings, Servers and the history messages are German all
the way through, and no text is cut, at 800×600 and at 640×480: the empty page with and
without a model, a chat with an answer and its open thinking block, error cards (a
model-file error from the engine among them), the queued-message line, the offer for a
message too long, search results, an attached file's chip. The same screens in English
are checked for cut text (a German word is longer, an English one can be cut too).

The checks themselves are in tests/ui/german.py; a last test shows that they fail on
what they look for."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.engine.servers import ServerStore
from app.reasons import Reason, say
from app.ui.dialogs.servers_dialog import ServersDialog
from app.ui.dialogs.settings_dialog import SettingsDialog
from tests.hardware.profiles import GPT_OSS_20B, nvidia
from tests.ui.fixtures import settle, wait_until
from tests.ui.german import clipped, problems, visible_texts
from tests.ui.test_window import finish, send

# Settings › Advanced previews the plan for a model on a computer (its longest text).
PREVIEW = (GPT_OSS_20B, nvidia(8, 32, "NVIDIA GeForce RTX 4060"))

SIZES = [(800, 600), (640, 480)]
# What the test itself writes into the chat (German, as a German user would).
QUESTION = "Wie entsteht ein Regenbogen?"
REASONING = "Licht wird in Tropfen gebrochen und gespiegelt; kurz erklären. "
ANSWER = "## Regenbogen\n\nSonnenlicht wird in jedem Tropfen **gebrochen** und gespiegelt."
NAMES = ("Regenbogen", "notizen.md", "gpt-oss-20b")


def assert_german(qapp: QApplication, window: QWidget, screen: str) -> None:
    """No English, no stray '&' and nothing cut, at each size; the scan saw the page."""
    for width, height in SIZES:
        window.resize(width, height)
        settle(qapp, 0.05)
        assert problems(window, NAMES) == [], f"{screen} at {width}×{height}"
    assert len(list(visible_texts(window))) > 5, screen


def _chat(store: ChatStore) -> int:
    conv = store.create_conversation("Regenbogen")
    user = store.add_user_message(conv.id, QUESTION)
    writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "medium")
    writer.append(reasoning=REASONING)
    writer.append(answer=ANSWER)
    writer.finish("complete", None, {"tokens_per_s": 23.4, "prompt_tokens": 100,
                                     "completion_tokens": 50, "reasoning_ms": 1200})
    return conv.id


def test_the_empty_page_is_german(qapp, german, make_window, scripted) -> None:
    assert_german(qapp, make_window(), "empty page without a model")
    window = make_window(scripted([], ["ok"]))
    assert_german(qapp, window, "empty page with a model")
    assert window.view.empty is not None and len(window.view.empty.examples) == 4


def test_a_chat_with_thinking_search_and_an_attachment_is_german(
        qapp, german, make_window, store: ChatStore, tmp_path: Path) -> None:
    conv_id = _chat(store)
    window = make_window()
    window.open_conversation(conv_id)
    answer = window.chat.widgets[-1]
    answer.thinking.set_expanded(True)
    settle(qapp, 0.05)
    assert "nachgedacht" in answer.thinking.toggle.text()
    assert_german(qapp, window, "a chat with an open thinking block")
    notes = tmp_path / "notizen.md"
    notes.write_text("Regenbogen entstehen durch Brechung.", encoding="utf-8")
    window.attachments.add_paths([notes]) if hasattr(window.attachments, "add_paths") \
        else _drop(window, notes)
    wait_until(qapp, lambda: window.attachments.chips, 30, "the chip")
    assert_german(qapp, window, "an attached file's chip")
    window.sidebar.focus_search()
    QTest.keyClicks(window.sidebar.search, "gebrochen")
    wait_until(qapp, lambda: window.sidebar.results.count() > 0, 30, "search results")
    assert_german(qapp, window, "search results")


def _drop(window: Any, path: Path) -> None:
    from PySide6.QtCore import QMimeData, QUrl

    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    window.composer.input.insertFromMimeData(data)


def test_error_cards_are_german(qapp, german, make_window, scripted, tmp_path: Path) -> None:
    client = scripted(["denken"], [], error={
        "code": "generation_failed",
        "message": "ggml_backend_cuda_buffer_type_alloc_buffer: cudaMalloc failed: "
                   "out of memory"})
    window = make_window(client)
    send(qapp, window, QUESTION)
    finish(qapp, window)
    assert window.chat.widgets[-1].error_card is not None
    assert_german(qapp, window, "an out-of-memory card")
    # A model file the engine refuses: its detail is German too, naming the file.
    from app.gguf_header import GGUFError, check_gguf

    broken = tmp_path / "kaputt.gguf"
    broken.write_bytes(b"GGUF\x03\x00\x00\x00")
    with pytest.raises(GGUFError) as refused:
        check_gguf(broken)
    window.bridge.load_failed.emit(str(refused.value), "load_failed")
    card = window.chat._extra[-1]
    assert "kaputt.gguf" in card.text.text()
    assert_german(qapp, window, "a model file the engine refused")


def test_the_queue_line_and_the_too_long_offer_are_german(qapp, german, make_window,
                                                          scripted) -> None:
    hold = threading.Event()
    window = make_window(scripted([], ["Erste Antwort."], hold=hold))
    send(qapp, window, "Erste Frage")
    QTest.keyClicks(window.composer.input, "Zweite Frage")
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.composer.queue_bar.isVisible()
    assert_german(qapp, window, "the queued message")
    hold.set()
    wait_until(qapp, lambda: not window.generating and window.composer.queued is None,
               20, "the queue to be sent")
    long = make_window(scripted([], [], error={
        "code": "too_long",
        "message": say(Reason.TOO_LONG, n_ctx=8192, reserve=1024)}))
    send(qapp, long, "Ein eingefügter Bericht. " * 2000)
    finish(qapp, long)
    card = long.chat.widgets[-1].error_card
    assert set(card.buttons) == {"attach_text"} and "8.192 Token" in card.text.text()
    assert_german(qapp, long, "a message too long for the context")


def test_settings_and_servers_are_german(qapp, german, make_window, tmp_path: Path) -> None:
    window = make_window()
    for dialog in (SettingsDialog(Settings(), window, PREVIEW),
                   ServersDialog(ServerStore(tmp_path / "servers.json"), window)):
        dialog.show()
        try:
            assert_german(qapp, dialog, type(dialog).__name__)
        finally:
            dialog.close()
            dialog.deleteLater()


@pytest.mark.parametrize("model", [True, False], ids=["model", "no-model"])
def test_nothing_is_cut_in_english_either(qapp, make_window, scripted, store: ChatStore,
                                          model: bool) -> None:
    window = make_window(scripted([], ["ok"]) if model else None)
    for width, height in SIZES:
        window.resize(width, height)
        settle(qapp, 0.05)
        assert clipped(window) == [], f"empty page at {width}×{height}"
    window.open_conversation(_chat(store))
    window.chat.widgets[-1].thinking.set_expanded(True)
    for width, height in SIZES:
        window.resize(width, height)
        settle(qapp, 0.05)
        assert clipped(window) == [], f"a chat at {width}×{height}"


def test_the_checks_catch_what_they_look_for(qapp, widgets_kept) -> None:
    """An English sentence, an untranslated source string, a stray '&', a label cut top
    and bottom, a word cut in a narrow label, a button narrower than its text: each is
    reported, so the checks above can fail."""
    root = widgets_kept(QWidget())
    QLabel("The model runs on the CPU", root).move(0, 0)
    QLabel("Zugriffs&token:", root).move(0, 30)
    low = QLabel("Nachvollziehbares Denken und noch mehr Text", root)
    low.setWordWrap(True)
    low.setGeometry(0, 60, 200, 10)
    narrow = QLabel("<b>Nachvollziehbares</b> Denken", root)
    narrow.setWordWrap(True)
    narrow.setGeometry(0, 80, 40, 200)
    button = QPushButton("Fasse Vor- und Nachteile zusammen", root)
    button.setGeometry(0, 300, 60, 30)
    QLabel("Open Settings", root).move(0, 340)
    root.resize(400, 400)
    root.show()
    settle(qapp)
    found = "\n".join(problems(root))
    for kind in ("reads as English", "a visible '&'", "cut top and bottom", "a word cut",
                 "cut off", "untranslated: 'Open Settings'"):
        assert kind in found, kind


@pytest.fixture
def widgets_kept(qapp: QApplication) -> Iterator[Any]:
    kept: list[QWidget] = []
    yield lambda w: kept.append(w) or w
    for widget in kept:
        widget.close()
        widget.deleteLater()
    settle(qapp)
