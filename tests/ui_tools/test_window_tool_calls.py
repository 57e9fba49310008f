"""The window around tool calls, end to end: the real worker with the scripted tiny
gpt-oss calling python (tests/tools/conftest.py), the real sandbox, the real window.
"Always in this chat" (kept in the data folder, per chat, revocable in the Tools menu),
saving a file the code created, the calls-per-answer cap from the Tools window, and an
MCP server that could not start shown with its reason."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from app.config import paths
from app.config.sealed import FileKey, SealError
from app.config.settings import Settings
from app.session import events
from app.session.events import ToolCallInfo
from app.tools import chat_choices, mcp_servers, python_folder
from app.tools import python as python_tool
from app.tools.mcp_servers import McpServer
from app.ui.chat.messages import AssistantMessage
from app.ui.dialogs.tools_dialog import ToolsDialog
from tests.ui.fixtures import wait_until

pytestmark = pytest.mark.skipif(not python_tool.supported(),
                                reason="no python sandbox on this OS")

PYTHON_ON = replace(Settings(), tools_enabled=["python"])
LOOPING = 'print(1)'  # no marker in the result: the model calls again (and again)


@pytest.fixture(autouse=True)
def _no_choices_left() -> Any:
    """The per-chat choices file is the session's data folder's: removed after."""
    yield
    (paths.data_dir() / chat_choices.FILE_NAME).unlink(missing_ok=True)


def send(qapp: QApplication, window: Any, text: str) -> Any:
    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating
    return window.view.live


def asked(window: Any) -> list[int]:
    """The answers whose tool calls asked first, from now on."""
    found: list[int] = []
    window.session.subscribe(lambda e: found.append(e.answer_id)
                             if isinstance(e, events.ToolCallProposed) else None)
    return found


def entry(window: Any, label: str) -> Any:
    window.composer.tools_menu.aboutToShow.emit()
    found = [a for a in window.composer.tools_menu.actions() if a.text() == label]
    return found[0] if found else None


def test_always_in_this_chat_runs_without_asking_there_only_until_taken_back(
        qapp: QApplication, make_window: Any, engine_for: Any, tool_model: Any) -> None:
    engine = engine_for(tool_model(channel="analysis", call=" to=python ", args=LOOPING))
    window = make_window(engine, settings=PYTHON_ON)
    questions = asked(window)
    widget = send(qapp, window, "Run something.")
    first = window.view.conversation_id
    wait_until(qapp, lambda: widget.tool_cards and widget.tool_cards[1].always_button
               .isVisible(), 600, "the question")
    QTest.mouseClick(widget.tool_cards[1].always_button, Qt.MouseButton.LeftButton)
    wait_until(qapp, lambda: not window.generating, 600, "the answer")
    # The next call of the same answer ran unasked; the third, identical, ended the loop.
    assert [c.status for c in widget.tool_cards.values()] == ["done", "done", "failed"]
    assert len(questions) == 1
    assert chat_choices.ChatToolChoices().always(first) == {"python"}, "kept on disk"

    widget = send(qapp, window, "Again.")  # the next answer in this chat: not asked
    wait_until(qapp, lambda: not window.generating, 600, "the second answer")
    assert widget.tool_cards[1].status == "done" and len(questions) == 1

    later = make_window(settings=PYTHON_ON)  # a restart: still allowed in that chat
    assert [t.spec.asks_first for t in later.tools.tools_for(first, 1)] == [False]

    window.new_chat()  # another chat still asks
    widget = send(qapp, window, "Run something else.")
    wait_until(qapp, lambda: len(questions) == 2, 600, "the other chat's question")
    assert widget.tool_cards[1].status == "asking"
    window.session.stop()
    wait_until(qapp, lambda: not window.generating, 60, "the stop")

    window.open_conversation(first)  # taken back in that chat's Tools menu
    qapp.processEvents()
    allowed = entry(window, "Run Python code: without asking")
    assert allowed is not None and allowed.isChecked()
    allowed.trigger()
    assert entry(window, "Run Python code: without asking") is None
    assert entry(window, "Run Python code").isChecked(), "still offered, asking again"
    assert chat_choices.ChatToolChoices().always(first) == set()
    widget = send(qapp, window, "Once more.")
    wait_until(qapp, lambda: len(questions) == 3, 600, "the question again")
    window.session.stop()
    wait_until(qapp, lambda: not window.generating, 60, "the stop")


def test_a_file_the_code_wrote_is_saved_where_the_user_picks(
        qapp: QApplication, make_window: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The conversation's real python tool (real sandbox, its sealed or plain folder)
    writes a file; its card in the window offers Save…, which writes it where the user
    picked. (The scripted model writes only short code: the run is the tool's own.)"""
    window = make_window(settings=PYTHON_ON)
    conversation = window.view.ensure_conversation()
    [tool] = window.tools.tools_for(conversation, 1)
    code = 'open("table.csv", "w").write("a,b\\n1,2\\n")'
    result = tool.run({"code": code}, threading.Event())
    assert not result.is_error, result.text
    widget = AssistantMessage(1, window.chat.column)
    widget.tool_requested.connect(window.view._on_tool_requested)
    window.chat.column.layout().addWidget(widget)
    widget.show_tool_call(ToolCallInfo(1, "python", code, "done", result.text, ms=5))
    card = widget.tool_cards[1]
    assert card.files == ["table.csv"]
    target = tmp_path / "picked" / "my table.csv"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    QTest.mouseClick(card.save_buttons()["table.csv"], Qt.MouseButton.LeftButton)
    assert target.read_bytes() == b"a,b\n1,2\n"

    told: list[str] = []  # a file that is gone: said, nothing written, no crash
    monkeypatch.setattr(QMessageBox, "warning",
                        staticmethod(lambda _p, _t, text, *a: told.append(text)))
    window.tools.save_file(conversation, "gone.csv")
    assert told and "gone.csv is no longer in this chat's files" in told[0]
    window.tools.save_file(conversation, "../../outside.csv")
    assert len(told) == 2 and not (tmp_path / "outside.csv").exists()


def test_the_calls_per_answer_cap_set_in_the_tools_window_ends_the_loop(
        qapp: QApplication, make_window: Any, engine_for: Any, tool_model: Any) -> None:
    engine = engine_for(tool_model(channel="analysis", call=" to=python ", args=LOOPING))
    window = make_window(engine, settings=PYTHON_ON)
    assert window.session.tool_limits.max_calls == 8, "the default"
    window.dialogs.open_tools()
    [dialog] = window.findChildren(ToolsDialog)
    assert dialog.calls.value() == 8 and (dialog.calls.minimum(), dialog.calls.maximum()) \
        == (1, 32)
    dialog.calls.setValue(1)
    dialog.accept()
    assert window.settings.tool_calls_per_answer == 1
    assert window.session.tool_limits.max_calls == 1
    widget = send(qapp, window, "Run something.")

    def approve_what_asks() -> bool:
        for card in widget.tool_cards.values():
            if card.approve_button.isVisible() and card.approve_button.isEnabled():
                QTest.mouseClick(card.approve_button, Qt.MouseButton.LeftButton)
        return not window.generating

    wait_until(qapp, approve_what_asks, 600, "the answer")
    cards = list(widget.tool_cards.values())
    assert [c.status for c in cards] == ["done", "failed"]
    assert "more than 1 tool calls" in cards[1].result


def test_an_mcp_server_that_cannot_start_says_why(qapp: QApplication,
                                                  make_window: Any) -> None:
    mcp_servers.add(McpServer(name="broken", command=[
        sys.executable, "-c", "import sys; sys.exit('no such database')"]))
    try:  # the servers file is the session's: every later window would start it
        window = make_window()
        conversation = window.view.ensure_conversation()
        wait_until(qapp, lambda: window.tools.unavailable(conversation), 60, "the failure")
        window.composer.tools_menu.aboutToShow.emit()
        [line] = [a for a in window.composer.tools_menu.actions() if "broken" in a.text()]
        assert line.text().startswith("MCP server broken could not start: ")
        assert not line.isEnabled() and not line.isCheckable()
        assert window.composer.tools_button.isVisible()
        window.dialogs.open_tools()
        [dialog] = window.findChildren(ToolsDialog)
        [item] = [dialog.servers.item(i).text() for i in range(dialog.servers.count())]
        assert "could not start: " in item
        dialog.reject()
    finally:
        mcp_servers.remove("broken")


def test_a_file_is_read_from_the_sealed_archive_and_only_from_inside(tmp_path: Path) -> None:
    """What Save… reads on an encrypted history: one file out of the sealed archive
    (the plain files exist only while a run lasts); names leading outside are refused."""
    key = FileKey(os.urandom(32), "python")
    folder = tmp_path / "python" / "7"
    with python_folder.opened(folder, key, runs=tmp_path / "runs") as work:
        (work / "sub").mkdir()
        (work / "sub" / "plot.png").write_bytes(b"\x89PNG not really")
        (work / "notes.txt").write_text("kept", encoding="utf-8")
    assert not folder.exists() and python_folder.archive_for(folder).is_file()
    assert python_folder.read_file(folder, key, "sub/plot.png") == b"\x89PNG not really"
    assert python_folder.read_file(folder, key, "notes.txt") == b"kept"
    for name in ("missing.txt", "../7.sealed", "/etc/passwd", "sub"):
        with pytest.raises(FileNotFoundError):
            python_folder.read_file(folder, key, name)
    with pytest.raises(SealError):  # another key: said, not a crash
        python_folder.read_file(folder, FileKey(os.urandom(32), "python"), "notes.txt")
