"""The per-conversation tools switch in the composer: real widgets, the real window's
tool shelf, the choice kept in the data folder (COVE_HOME of the test)."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.config import paths
from app.config.settings import Settings
from app.tools import chat_choices, mcp_servers
from app.tools import python as python_tool
from app.tools.mcp_servers import McpServer
from tests.ui.fixtures import wait_until
from tests.ui_documents.test_attachments import drop, ready

pytestmark = pytest.mark.skipif(not python_tool.supported(),
                                reason="no python sandbox on this OS")

MCP_SERVER = str(Path(__file__).parents[1] / "tools" / "mcp_test_server.py")
PYTHON_ON = replace(Settings(), tools_enabled=["python"])


def names(window: Any, conversation_id: int) -> list[str]:
    return [t.spec.name for t in window.tools.tools_for(conversation_id, 1)]


def entry(window: Any, label: str) -> Any:
    """The Tools menu's entry with that label (the menu filled as when it opens)."""
    window.composer.tools_menu.aboutToShow.emit()
    [action] = [a for a in window.composer.tools_menu.actions() if a.text() == label]
    return action


def test_the_button_hides_when_no_tool_is_switched_on(make_window: Any) -> None:
    window = make_window()
    assert not window.composer.tools_button.isVisible()
    assert window.composer.tool_choices() == {}


def test_unchecking_python_leaves_it_out_of_this_chat_and_a_new_window_remembers(
        qapp: QApplication, make_window: Any) -> None:
    window = make_window(settings=PYTHON_ON)
    composer = window.composer
    assert composer.tools_button.isVisible(), "python is on: the chat may use it"
    python = entry(window, "Run Python code")
    assert python.isChecked(), "on by default where the user switched it on"

    python.trigger()  # unchecked on the new-chat screen, then the first message
    assert composer.tools_button.text() == "Tools (1 off)"
    first = window.view.ensure_conversation()
    assert names(window, first) == []
    assert not entry(window, "Run Python code").isChecked()

    window.new_chat()  # another chat keeps the global switch
    assert entry(window, "Run Python code").isChecked()
    second = window.view.ensure_conversation()
    assert names(window, second) == ["python"]
    assert composer.tools_button.text() == "Tools"

    later = make_window(settings=PYTHON_ON)  # the same data folder, a new window
    later.open_conversation(first)
    qapp.processEvents()
    assert not entry(later, "Run Python code").isChecked()
    assert names(later, first) == [] and names(later, second) == ["python"]
    assert (paths.data_dir() / chat_choices.FILE_NAME).is_file()

    entry(later, "Run Python code").trigger()  # checked again: offered again
    assert names(later, first) == ["python"]
    assert later.composer.tools_button.text() == "Tools"


def test_a_conversation_opened_from_the_sidebar_keeps_its_own_choice(
        make_window: Any) -> None:
    """What was unchecked on the new-chat screen goes with the chat it creates, not with
    an older one the user opens instead."""
    window = make_window(settings=PYTHON_ON)
    older = window.view.ensure_conversation()
    window.new_chat()
    entry(window, "Run Python code").trigger()
    window.open_conversation(older)
    assert entry(window, "Run Python code").isChecked()
    assert names(window, older) == ["python"]


def test_an_unreadable_choices_file_leaves_every_tool_on(make_window: Any) -> None:
    (paths.data_dir() / chat_choices.FILE_NAME).parent.mkdir(parents=True, exist_ok=True)
    (paths.data_dir() / chat_choices.FILE_NAME).write_text("{not json", encoding="utf-8")
    window = make_window(settings=PYTHON_ON)
    conversation = window.view.ensure_conversation()
    assert names(window, conversation) == ["python"]
    assert entry(window, "Run Python code").isChecked()


def test_attached_documents_bring_their_search_and_it_can_be_left_out(
        qapp: QApplication, make_window: Any, tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Harbour\n\nThe harbour opens at six every morning.\n",
                     encoding="utf-8")
    window = make_window()  # nothing switched on: only the documents make the button
    assert not window.composer.tools_button.isVisible()
    drop(window, notes)
    ready(qapp, window, "notes.md")
    wait_until(qapp, window.composer.tools_button.isVisible, 30, "the Tools button")
    assert window.composer.tool_choices() == {chat_choices.DOCUMENTS: True}
    conversation = window.view.conversation_id
    assert names(window, conversation) == ["search_documents"]
    entry(window, "Search my documents").trigger()
    assert names(window, conversation) == []


def test_an_mcp_server_can_be_left_out_of_one_chat(qapp: QApplication,
                                                   make_window: Any) -> None:
    """A real stdio MCP server (tests/tools/mcp_test_server.py), started in the
    background when the conversation opens; its entry takes all its tools out."""
    mcp_servers.add(McpServer(name="helper", command=[sys.executable, MCP_SERVER]))
    try:  # the servers file is the session's: every later window would start it
        window = make_window()
        conversation = window.view.ensure_conversation()
        wait_until(qapp, lambda: names(window, conversation), 60, "the server's tools")
        served = names(window, conversation)
        helper = entry(window, "MCP server helper")
        assert helper.isChecked()
        helper.trigger()
        assert names(window, conversation) == []
        assert window.composer.tool_choices() == {"mcp:helper": False}
        entry(window, "MCP server helper").trigger()
        assert names(window, conversation) == served
    finally:
        mcp_servers.remove("helper")


def test_a_purged_conversations_choice_is_forgotten_at_the_next_start(
        make_window: Any) -> None:
    window = make_window(settings=PYTHON_ON)
    entry(window, "Run Python code").trigger()
    gone = window.view.ensure_conversation()
    window.new_chat()
    entry(window, "Run Python code").trigger()
    kept = window.view.ensure_conversation()
    window.session.delete_conversation(gone)
    window.session.purge_deleted()
    make_window(settings=PYTHON_ON)  # the next start
    assert chat_choices.ChatToolChoices().conversations() == [str(kept)]
