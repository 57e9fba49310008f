"""Screenshots of the tools: a python call waiting for approval inside an answer, the
model searching the documents itself, and the Tools window (saved to
docs/screenshots/ when COVE_SCREENSHOTS is set, as tests/ui/test_screenshots.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.config.settings import Settings
from app.tools import python as python_tool
from tests.ui.fixtures import settle, wait_until
from tests.ui.test_screenshots import save
from tests.ui.test_window_tools import send
from tests.ui_documents.test_attachments import drop, ready


@pytest.mark.skipif(not python_tool.supported(), reason="no python sandbox on this OS")
@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_python_call_asking_first(qapp: QApplication, make_window: Any, engine_for: Any,
                                    tool_model: Any, look: Any, tmp_path: Path,
                                    lang: str) -> None:
    look("light", lang)
    # The scripted model writes its code as one token, and a token comes back from
    # llama-cpp-python's detokenize only up to 32 bytes: short code.
    code = 'import math\nprint(math.pi, "~")'
    model = tool_model(channel="analysis", call=" to=python ", args=code)
    window = make_window(engine_for(model),
                         settings=replace(Settings(), tools_enabled=["python"]))
    window.resize(1100, 720)
    widget = send(qapp, window, "Run something." if lang == "en" else "Führ etwas aus.")
    wait_until(qapp, lambda: widget.tool_cards, 600, "the call")
    [card] = widget.tool_cards.values()
    wait_until(qapp, lambda: card.approve_button.isVisible(), 60, "the question")
    assert card.arguments.text() == code, "the whole code, before it runs"
    assert card.always_button.isVisible() and card.deny_button.isVisible()
    assert card.arguments.verticalScrollBar().maximum() == 0, "short code: no scrolling"
    settle(qapp, 0.2)
    save(window, f"tool-call-asking-{lang}.png", tmp_path)
    window.session.stop()  # Stop while a call waits for approval ends the answer
    wait_until(qapp, lambda: not window.generating, 60, "the stop")
    assert card.status == "denied"


def test_the_model_searching_the_documents(qapp: QApplication, make_window: Any,
                                           engine_for: Any, tool_model: Any, look: Any,
                                           tmp_path: Path) -> None:
    look("light", "en")
    notes = tmp_path / "harbour.md"
    notes.write_text("".join(f"# Boat {n}\n\nThe boat number {n} is painted colour {n}.\n\n"
                             for n in range(1, 300))
                     + "# Harbour\n\nThe harbour opens at six ~ every morning.\n",
                     encoding="utf-8")
    model = tool_model(call=" to=functions.search_documents ", args='{"query":"harbour"}')
    window = make_window(engine_for(model))
    window.resize(1100, 720)
    drop(window, notes)
    ready(qapp, window, "harbour.md")
    widget = send(qapp, window, "What time is it?")
    wait_until(qapp, lambda: not window.generating, 600, "the answer")
    assert widget.tool_cards
    settle(qapp, 0.2)
    save(window, "tool-call-documents.png", tmp_path)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_tools_window(qapp: QApplication, make_window: Any, look: Any, tmp_path: Path,
                          lang: str) -> None:
    from app.ui.dialogs.tools_dialog import ToolsDialog

    look("light", lang)
    window = make_window()
    dialog = ToolsDialog(window.settings, window.settings_file, parent=window)
    dialog.show()
    settle(qapp, 0.2)
    save(dialog, f"tools-window-{lang}.png", tmp_path)
    dialog.close()
    dialog.deleteLater()
