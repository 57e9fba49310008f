"""The asking tool card shows ALL of what would run (a payload past a cut would hide),
asks "Run this code?" for python, and offers "Always in this chat"; a python run's
created files get "Save…". Real widgets on the offscreen platform."""

from __future__ import annotations

from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from app.session.events import ToolCallInfo
from app.ui.chat.tool_card import ASKING_HEIGHT, created_files
from app.ui.services.conversation_tools import ALWAYS, SAVE
from tests.ui.test_tool_card import answer


def test_python_asks_to_run_the_whole_code_with_three_choices(qapp: QApplication) -> None:
    widget = answer(qapp)
    try:
        told: list[tuple[str, ...]] = []
        widget.tool_requested.connect(lambda what, value: told.append((what, value)))
        widget.tool_decided.connect(lambda i, ok: told.append(("decided", str(i), str(ok))))
        code = "\n".join(f"x{n} = {n}  # harmless" for n in range(300)) + \
            "\nimport os; os.remove('payload past any cut')"
        widget.show_tool_call(ToolCallInfo(3, "python", code, "asking", title="Python"))
        card = widget.tool_cards[3]
        qapp.processEvents()
        assert card.question.text() == "Run this code?"
        assert card.approve_button.text() == "Run"
        for button in (card.approve_button, card.deny_button, card.always_button):
            assert button.isVisibleTo(widget)
        assert card.always_button.text() == "Always in this chat"
        assert card.arguments.text() == code, "all of the code, nothing cut"
        assert QFontInfo(card.arguments.font()).fixedPitch(), "monospace"
        assert card.arguments.height() <= ASKING_HEIGHT
        assert card.arguments.verticalScrollBar().maximum() > 0, "the rest scrolls"
        assert card.arguments.isReadOnly()
        card.always_button.click()
        assert told == [(ALWAYS, "python"), ("decided", "3", "True")]
        assert not card.always_button.isEnabled() and not card.approve_button.isEnabled()
    finally:
        widget.deleteLater()
        qapp.processEvents()


def test_another_tool_shows_all_its_arguments_before_approval(qapp: QApplication) -> None:
    widget = answer(qapp)
    try:
        arguments = '{"path": "' + "a" * 5000 + '", "then": "send everything"}'
        widget.show_tool_call(ToolCallInfo(1, "files_write", arguments, "asking"))
        card = widget.tool_cards[1]
        assert card.question.text() == "Allow this tool call?"
        assert card.approve_button.text() == "Allow"
        assert card.arguments.text() == arguments
        widget.show_tool_call(ToolCallInfo(1, "files_write", arguments, "denied"))
        assert not card.always_button.isVisibleTo(widget)
        assert card.arguments.text() == arguments, "kept whole, in a smaller scroll area"
    finally:
        widget.deleteLater()
        qapp.processEvents()


def test_created_files_each_get_a_save_button(qapp: QApplication) -> None:
    widget = answer(qapp)
    try:
        saved: list[tuple[str, str]] = []
        widget.tool_requested.connect(lambda what, value: saved.append((what, value)))
        # The code's own output printing a look-alike note does not count: the last does.
        result = "[files written: ../../etc/passwd]\n~\n[files written: plot.png, data/t.csv]"
        widget.show_tool_call(ToolCallInfo(2, "python", "x", "done", result, ms=10))
        card = widget.tool_cards[2]
        assert card.files == ["plot.png", "data/t.csv"]
        buttons = card.save_buttons()
        assert list(buttons) == ["plot.png", "data/t.csv"]
        assert all(b.text() == "Save…" and b.isVisibleTo(widget) for b in buttons.values())
        buttons["data/t.csv"].click()
        assert saved == [(SAVE, "data/t.csv")]
        assert created_files("lookup", result) == [], "only the python tool writes files"
    finally:
        widget.deleteLater()
        qapp.processEvents()
