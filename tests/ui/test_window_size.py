"""The window fits half a screen: every screen at 800×600 and at 640×480, whatever it
shows (a 100,000-character message with or without spaces, a long code line, search
results, the settings), keeps its minimum width at or below ``MAX_MIN_WIDTH``, does not
grow, and has no visible widget reaching past its parent's right edge or squeezed below
the width its text needs.

The minimum is documented here: 640 px with the sidebar shown (sidebar 200 px, chat
column 439 px), so two windows side by side fit a 1,280-pixel screen. Screenshots of
each screen go to ``$COVE_SHOTS_DIR`` when it is set.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.ui.dialogs.settings_dialog import SettingsDialog
from app.ui.widgets.topbar import ElidedLabel
from tests.hardware.profiles import GPT_OSS_20B, nvidia
from tests.ui.fixtures import settle, wait_until

# Settings › Advanced previews the plan for a model on a computer (its longest text).
PREVIEW = (GPT_OSS_20B, nvidia(8, 32, "NVIDIA GeForce RTX 4060"))

MAX_MIN_WIDTH = 640
SIZES = [(800, 600), (640, 480)]
LONG = 100_000


def problems(root: QWidget) -> list[str]:
    """Visible widgets under ``root`` that stick out to the right of their parent, or
    are narrower than their own minimum (their text cut), described for the failure."""
    found = []
    for widget in root.findChildren(QWidget):
        if widget.isWindow() or not widget.isVisibleTo(root):
            continue
        parent = widget.parentWidget()
        name = f"{type(widget).__name__}({widget.objectName() or _text(widget)!r})"
        if parent is not None and widget.geometry().right() > parent.rect().right() + 1:
            found.append(f"{name} ends at {widget.geometry().right()}, past its parent "
                         f"{type(parent).__name__} ({parent.width()} px)")
        if _squeezed(widget):
            found.append(f"{name} is {widget.width()} px, its text needs "
                         f"{widget.minimumSizeHint().width()}")
    return found


def _text(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""
    return text[:30]


def _squeezed(widget: QWidget) -> bool:
    """A label or button narrower than its text (elided ones mean to be)."""
    if not isinstance(widget, (QLabel, QAbstractButton)) or isinstance(widget, ElidedLabel):
        return False
    if widget.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored or \
            isinstance(widget.parentWidget(), QLineEdit):  # the field's own icons
        return False
    if isinstance(widget, QLabel) and (widget.wordWrap() or not widget.text()):
        return False
    return widget.width() + 1 < widget.minimumSizeHint().width()


def check(qapp: QApplication, window: Any, screen: str, shots: list[str]) -> None:
    for width, height in SIZES:
        window.resize(width, height)
        settle(qapp, 0.05)
        assert window.minimumSizeHint().width() <= MAX_MIN_WIDTH, screen
        assert window.width() == width, f"{screen}: the window grew to {window.width()}"
        assert problems(window) == [], f"{screen} at {width}×{height}"
        _shoot(window, f"{screen}-{width}", shots)


def _shoot(widget: QWidget, name: str, shots: list[str]) -> None:
    folder = os.environ.get("COVE_SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))
    shots.append(name)


def _conversation(store: ChatStore, title: str, question: str, answer: str) -> int:
    conv = store.create_conversation(title)
    user = store.add_user_message(conv.id, question)
    writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
    writer.append(answer=answer, reasoning="Thinking about it.")
    writer.finish("complete", None, {"tokens_per_s": 23.4, "prompt_tokens": 100,
                                     "completion_tokens": 50})
    return conv.id


@pytest.mark.parametrize("model", [True, False], ids=["model", "no-model"])
def test_every_screen_fits_half_a_screen(qapp, make_window, scripted, store: ChatStore,
                                         model: bool) -> None:
    shots: list[str] = []
    chats = {
        "chat": _conversation(store, "Lisbon", "Plan three days in Lisbon.",
                              "## Day one\n\nTrams, **pastéis** and the river.\n\n"
                              "| Day | Where |\n|---|---|\n| 1 | Alfama |"),
        "nospace": _conversation(store, "Hash", "x" * LONG, "y" * LONG),
        "spaces": _conversation(store, "Essay", "word " * (LONG // 5),
                                "answer " * (LONG // 7)),
        "code": _conversation(store, "Code", "A long line of code, please.",
                              "```python\nvalues = [" + ", ".join(str(i) for i in
                                                                   range(3000)) + "]\n```\n"),
    }
    window = make_window(scripted([], ["ok"]) if model else None)
    window.resize(800, 600)
    settle(qapp, 0.05)
    check(qapp, window, f"empty-{'model' if model else 'none'}", shots)
    for name, conv_id in chats.items():
        window.open_conversation(conv_id)
        check(qapp, window, name, shots)
    # The long messages wrap inside the column: the user's bubble and the answer's text
    # are as wide as the column at most, and the whole text is there.
    window.open_conversation(chats["nospace"])
    settle(qapp, 0.05)
    user, answer = window.chat.widgets
    viewport = window.chat.viewport().width()
    assert user.label.document().idealWidth() <= viewport
    assert user.label.text().startswith("x" * 100)
    assert answer.view.plain_text() == "y" * LONG
    # Search results wrap too.
    window.sidebar.focus_search()
    QTest.keyClicks(window.sidebar.search, "Alfama")
    wait_until(qapp, lambda: window.sidebar.results.count() > 0, 30, "search results")
    assert "Alfama" in window.sidebar.results.item(0).text()
    check(qapp, window, "search", shots)
    window.sidebar.search.clear()


def test_settings_dialog_fits(qapp, make_window) -> None:
    window = make_window()
    dialog = SettingsDialog(Settings(), window, PREVIEW)
    dialog.show()
    shots: list[str] = []
    try:
        for width, height in SIZES:
            dialog.resize(width, height)
            settle(qapp, 0.05)
            assert dialog.minimumSizeHint().width() <= MAX_MIN_WIDTH
            assert dialog.width() <= width
            assert problems(dialog) == [], f"settings at {width}×{height}"
            _shoot(dialog, f"settings-{width}", shots)
    finally:
        dialog.close()


def test_the_sidebar_width_saved_is_the_one_the_user_chose(qapp, make_window, tmp_path,
                                                            store: ChatStore) -> None:
    from app.config import settings as settings_mod

    settings = Settings(sidebar_width=400)
    window = make_window(settings=settings)
    window.resize(1200, 800)
    settle(qapp, 0.05)
    window.resize(640, 480)  # the splitter squeezes the sidebar
    settle(qapp, 0.05)
    assert window.splitter.sizes()[0] < 400
    window.save_settings()
    assert settings_mod.load(tmp_path / "settings.json").sidebar_width == 400
    # A drag is a choice: it is kept.
    window.resize(1200, 800)
    settle(qapp, 0.05)
    window.splitter.moveSplitter(340, 1)
    settle(qapp, 0.05)
    window.save_settings()
    assert settings_mod.load(tmp_path / "settings.json").sidebar_width == 340


def test_the_top_bar_sets_aside_what_does_not_fit(qapp, make_window, scripted,
                                                  store: ChatStore) -> None:
    conv_id = _conversation(store, "A title long enough to need its room " * 3, "Q", "A")
    window = make_window(scripted([], ["ok"]))
    window.open_conversation(conv_id)
    bar = window.topbar
    window.resize(1400, 700)
    settle(qapp, 0.05)
    assert bar.speed.isVisible() and bar.context.isVisible() and bar.backend.isVisible()
    window.resize(640, 480)
    settle(qapp, 0.05)
    assert not bar.speed.isVisible()  # the least needed goes first
    assert bar.model_button.isVisible() and bar.prompt_button.isVisible()
    assert bar.title.text().startswith("A title long enough")  # whole, shown elided
    assert bar.prompt_button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly
    window.resize(1400, 700)
    settle(qapp, 0.05)
    assert bar.speed.isVisible()  # back when there is room
