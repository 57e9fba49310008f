"""The tool-call card inside an answer, as real widgets on the offscreen platform:
what the session reports and what the history keeps, Approve and Deny while a call
asks, long results folded, and the model's text never read as rich text."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from app.session.events import ToolCallInfo
from app.ui.chat.messages import AssistantMessage
from app.ui.chat.tool_card import FOLD_CHARS


def answer(qapp: QApplication) -> AssistantMessage:
    widget = AssistantMessage(1)
    widget.resize(600, 400)
    widget.show()
    qapp.processEvents()
    return widget


def test_a_call_that_asks_offers_approve_and_deny(qapp: QApplication) -> None:
    widget = answer(qapp)
    try:
        decided: list[tuple[int, bool]] = []
        widget.tool_decided.connect(lambda i, ok: decided.append((i, ok)))
        widget.start_streaming()
        widget.show_tool_call(ToolCallInfo(3, "python", "print('<b>hi</b>')", "asking",
                                           title="Python"))
        card = widget.tool_cards[3]
        assert card.isVisibleTo(widget) and not widget.progress.isVisibleTo(widget)
        assert card.approve_button.isVisibleTo(widget) and card.deny_button.isVisibleTo(widget)
        assert card.arguments.text() == "print('<b>hi</b>')"  # shown as written
        assert card.state.text() == "Waiting for your approval"
        card.approve_button.click()
        assert decided == [(3, True)] and not card.approve_button.isEnabled()
        widget.show_tool_call(ToolCallInfo(3, "python", "print(1)", "running"))
        assert not card.approve_button.isVisibleTo(widget)
        assert card.state.text() == "Running…"
        widget.show_tool_call(ToolCallInfo(3, "python", "print(1)", "done", "1", ms=1500))
        assert card.state.text() in ("Done · 1.5 s", "Done · 1,5 s")
        assert card.result_label.text() == "1" and len(widget.tool_cards) == 1
    finally:
        widget.deleteLater()
        qapp.processEvents()


def test_a_long_result_is_folded_and_the_history_shows_calls_again(
        qapp: QApplication) -> None:
    widget = answer(qapp)
    try:
        long = "line of output\n" * 100
        records: list[dict[str, Any]] = [
            {"tool": "lookup", "arguments": '{"q":"x"}', "status": "done",
             "result": long, "ms": 20},
            {"tool": "lookup", "arguments": '{"q":"y"}', "status": "denied",
             "result": "The user did not allow this call.", "is_error": True}]
        widget.load(answer="Done")
        widget.load_tool_calls(records)
        first, second = widget.tool_cards[1], widget.tool_cards[2]
        assert len(first.result_label.text()) <= FOLD_CHARS + 1
        assert first.fold_button.isVisibleTo(widget) and first.fold_button.text() == "Show all"
        first.fold_button.click()
        assert first.result_label.text() == long and first.fold_button.text() == "Show less"
        assert second.state.text() == "Denied" and not second.fold_button.isVisibleTo(widget)
        assert not second.approve_button.isVisibleTo(widget)
    finally:
        widget.deleteLater()
        qapp.processEvents()
