"""Tools in the window, end to end: the real worker with the scripted gpt-oss that calls
a tool, reads its result and answers; the window offers the conversation's documents
and the python tool the user switched on, shows each call as a card, and asks first
where the tool says so."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.config.settings import Settings
from app.tools import python as python_tool
from tests.tools.conftest import ANSWER
from tests.ui.fixtures import wait_until
from tests.ui_documents.test_attachments import drop, ready


def send(qapp: QApplication, window: Any, text: str) -> Any:
    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating
    return window.view.live


def test_the_model_searches_the_attached_documents_and_the_call_shows(
        qapp: QApplication, make_window: Any, engine_for: Any, tool_model: Any,
        tmp_path: Path) -> None:
    # Too long to be given whole, and the question shares no word with the one section
    # that holds the marker: only the model's own search finds it.
    notes = tmp_path / "harbour.md"
    notes.write_text("".join(f"# Boat {n}\n\nThe boat number {n} is painted colour {n}.\n\n"
                             for n in range(1, 300))
                     + "# Harbour\n\nThe harbour opens at six ~ every morning.\n",
                     encoding="utf-8")
    model = tool_model(call=" to=functions.search_documents ", args='{"query":"harbour"}')
    window = make_window(engine_for(model))
    drop(window, notes)
    ready(qapp, window, "harbour.md")
    widget = send(qapp, window, "What time is it?")
    wait_until(qapp, lambda: not window.generating, 600, "the answer")
    [card] = widget.tool_cards.values()
    assert "Search my documents" in card.title.text()
    assert card.status == "done" and "harbour.md" in card.result
    assert not card.approve_button.isVisible(), "reading the documents asks nothing"
    assert widget.answer == ANSWER


@pytest.mark.skipif(not python_tool.supported(), reason="no python sandbox on this OS")
def test_the_python_tool_asks_first_and_runs_once_approved(
        qapp: QApplication, make_window: Any, engine_for: Any, tool_model: Any) -> None:
    model = tool_model(channel="analysis", call=" to=python ", args='print("~")')
    window = make_window(engine_for(model),
                         settings=replace(Settings(), tools_enabled=["python"]))
    widget = send(qapp, window, "Run something.")
    wait_until(qapp, lambda: widget.tool_cards, 600, "the call")
    [card] = widget.tool_cards.values()
    wait_until(qapp, lambda: card.approve_button.isVisible(), 60, "the question")
    assert window.generating and card.status == "asking"
    QTest.mouseClick(card.approve_button, Qt.MouseButton.LeftButton)
    wait_until(qapp, lambda: not window.generating, 600, "the answer")
    assert card.status == "done" and "~" in card.result
    assert widget.answer == ANSWER


def test_a_denied_call_is_not_run_and_the_model_is_told(
        qapp: QApplication, make_window: Any, engine_for: Any, tool_model: Any) -> None:
    model = tool_model(channel="analysis", call=" to=python ", args='print("~")')
    window = make_window(engine_for(model),
                         settings=replace(Settings(), tools_enabled=["python"]))
    if not python_tool.supported():
        pytest.skip("no python sandbox on this OS")
    widget = send(qapp, window, "Run something.")

    def deny_what_asks() -> bool:
        """Deny each call that asks (the scripted model asks again after a denial,
        until the loop's limit on identical calls ends the answer)."""
        for card in widget.tool_cards.values():
            if card.deny_button.isVisible():
                QTest.mouseClick(card.deny_button, Qt.MouseButton.LeftButton)
        return not window.generating

    wait_until(qapp, deny_what_asks, 600, "the answer")
    cards = list(widget.tool_cards.values())
    # Denied twice; the third identical call ends the loop unasked (with a note).
    assert [c.status for c in cards] == ["denied", "denied", "failed"]
    assert not any(c.approve_button.isVisible() for c in cards)
    assert "~" not in "".join(c.result for c in cards), "nothing ran"


def test_no_tools_are_offered_unless_switched_on(make_window: Any) -> None:
    window = make_window()
    assert window.tools.tools_for(1, 1) == []
