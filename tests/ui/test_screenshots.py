"""Screenshots of the window: light and dark, English and German, a streaming answer with
its Thinking block, the settings dialog, the first screen.

Always rendered (a check that every screen paints); saved to docs/screenshots/ when
COVE_SCREENSHOTS is set::

    COVE_SCREENSHOTS=1 QT_QPA_PLATFORM=offscreen \
        .venv/bin/python -m pytest tests/ui/test_screenshots.py
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.reasons import Reason, say
from app.ui.dialogs.settings_dialog import SettingsDialog
from tests.ui.fixtures import settle, wait_until

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

QUESTION = {
    "en": "How do I count the words in a text file with Python?",
    "de": "Wie zähle ich die Wörter einer Textdatei mit Python?",
}
REASONING = {
    "en": "The user wants to count words in a file. A Counter over the split lines is the "
          "simplest; mention encoding and case. A small table of options helps. ",
    "de": "Der Nutzer will Wörter in einer Datei zählen. Ein Counter über die Zeilen ist am "
          "einfachsten; Kodierung und Groß-/Kleinschreibung erwähnen. ",
}
ANSWER = {
    "en": """## Counting words

Read the file once and let `collections.Counter` do the work:

```python
from collections import Counter

def count_words(path: str) -> Counter[str]:
    with open(path, encoding="utf-8") as fh:
        return Counter(w.lower() for line in fh for w in line.split())
```

| Approach | Memory | Speed |
|---|---|---|
| `Counter` over lines | low | fast |
| `read().split()` | whole file | fast |

See the [collections docs](https://docs.python.org/3/library/collections.html).
""",
    "de": """## Wörter zählen

Lies die Datei einmal und überlass `collections.Counter` die Arbeit:

```python
from collections import Counter

def count_words(path: str) -> Counter[str]:
    with open(path, encoding="utf-8") as fh:
        return Counter(w.lower() for line in fh for w in line.split())
```

| Ansatz | Speicher | Tempo |
|---|---|---|
| `Counter` über Zeilen | wenig | schnell |
| `read().split()` | ganze Datei | schnell |
""",
}
SIDEBAR = {
    "en": ["Plan a weekend in Lisbon", "Explain quantum tunnelling simply",
           "Fix my SQL join", "Birthday poem for Ana"],
    "de": ["Wochenende in Lissabon planen", "Quantentunneln einfach erklärt",
           "SQL-Join reparieren", "Geburtstagsgedicht für Ana"],
}


def save(widget: QWidget, name: str, tmp_path: Path) -> Path:
    target = SHOTS if os.environ.get("COVE_SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    path = target / name
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 10_000
    return path


def fill(store: ChatStore, lang: str, answer: bool = True) -> int:
    for title in SIDEBAR[lang]:
        conv = store.create_conversation(title)
        store.add_user_message(conv.id, title)
        time.sleep(0.002)
    store.set_pinned(store.conversations()[-1].id, True)
    if not answer:
        return 0
    conv = store.create_conversation("")
    user = store.add_user_message(conv.id, QUESTION[lang])
    writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "medium")
    writer.append(reasoning=REASONING[lang])
    writer.append(answer=ANSWER[lang])
    writer.finish("complete", None, {"tokens_per_s": 38.4, "prompt_tokens": 96,
                                     "completion_tokens": 240, "reasoning_ms": 2300})
    return conv.id


@pytest.mark.parametrize("theme_name,lang", [("light", "en"), ("dark", "en"),
                                             ("light", "de"), ("dark", "de")])
def test_main_window(qapp, make_window, scripted, store, look, tmp_path,  # type: ignore[no-untyped-def]
                     theme_name: str, lang: str) -> None:
    look(theme_name, lang)
    conv_id = fill(store, lang)
    window = make_window(scripted())
    window.resize(1280, 820)
    window.refresh_sidebar()
    window.open_conversation(conv_id)
    settle(qapp, 0.3)
    save(window, f"main-{theme_name}-{lang}.png", tmp_path)


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_streaming_answer_with_thinking(qapp, make_window, scripted, store, look,  # type: ignore[no-untyped-def]
                                        tmp_path, theme_name: str) -> None:
    look(theme_name, "en")
    fill(store, "en", answer=False)
    hold = threading.Event()
    words = REASONING["en"].split(" ") * 3
    answer = [line + "\n" for line in ANSWER["en"].split("\n")]
    client = scripted([w + " " for w in words], answer, hold=hold, delay=0.001)
    # The answer pauses after the table's Counter row until the picture is taken, so
    # it is caught half-written however slow the machine is.
    shot = threading.Event()
    chat = client.chat

    def paused_chat(*args, **kwargs):  # type: ignore[no-untyped-def]
        for msg in chat(*args, **kwargs):
            yield msg
            if "| `Counter`" in str(msg.get("text", "")):
                shot.wait(120)

    client.chat = paused_chat
    window = make_window(client)
    window.resize(1280, 820)
    window.composer.set_effort("high")
    window.send(QUESTION["en"], "high")
    widget = window.view.live
    wait_until(qapp, lambda: widget.thinking is not None
               and widget.thinking.tokens == len(words), 60, "reasoning")
    settle(qapp, 1.1)  # the clock shows a second of thinking
    save(window, f"streaming-thinking-{theme_name}.png", tmp_path)
    hold.set()
    wait_until(qapp, lambda: "| `Counter`" in widget.answer, 60, "part of the answer")
    settle(qapp, 0.1)
    assert window.generating
    save(window, f"streaming-answer-{theme_name}.png", tmp_path)
    shot.set()
    client.cancel()
    wait_until(qapp, lambda: not window.generating, 60, "the stop")


@pytest.mark.parametrize("theme_name,lang", [("light", "en"), ("dark", "de")])
def test_settings_dialog(qapp, make_window, look, tmp_path,  # type: ignore[no-untyped-def]
                         theme_name: str, lang: str) -> None:
    look(theme_name, lang)
    window = make_window()
    dialog = SettingsDialog(Settings(), window)
    dialog.resize(620, 900)
    dialog.show()
    settle(qapp, 0.2)
    save(dialog, f"settings-{theme_name}-{lang}.png", tmp_path)
    dialog.close()
    dialog.deleteLater()


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_first_screen(qapp, make_window, look, tmp_path,  # type: ignore[no-untyped-def]
                      theme_name: str) -> None:
    look(theme_name, "en")
    window = make_window()
    window.resize(1280, 820)
    settle(qapp, 0.2)
    save(window, f"first-run-{theme_name}.png", tmp_path)


# -- the screens the first-user report fixed, at half a screen (800×600) ----------------
GENERICS = {
    "en": ("What is a Vec<String> in Rust?",
           "In Rust, a `Vec<String>` is a growable list of owned strings; "
           "Vec<String> and List<T> show as written, and so does a<b and c>d.\n\n"
           "```rust\nlet names: Vec<String> = Vec::new();\n```"),
    "de": ("Was ist ein Vec<String> in Rust?",
           "In Rust ist ein `Vec<String>` eine wachsende Liste eigener Strings; "
           "Vec<String> und List<T> stehen da, wie sie geschrieben sind, auch a<b und c>d.\n\n"
           "```rust\nlet names: Vec<String> = Vec::new();\n```"),
}


@pytest.mark.parametrize("theme_name,lang", [("light", "en"), ("dark", "en"),
                                             ("light", "de"), ("dark", "de")])
def test_half_screen_answer_with_generics(qapp, make_window, scripted, store, look,  # type: ignore[no-untyped-def]
                                          tmp_path, theme_name: str, lang: str) -> None:
    look(theme_name, lang)
    fill(store, lang, answer=False)
    question, answer = GENERICS[lang]
    conv = store.create_conversation("")
    user = store.add_user_message(conv.id, question)
    writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "medium")
    writer.append(reasoning=REASONING[lang], answer=answer)
    writer.finish("complete", None, {"tokens_per_s": 4.1, "reasoning_ms": 2300})
    window = make_window(scripted())
    window.resize(800, 600)
    window.refresh_sidebar()
    window.open_conversation(conv.id)
    widget = window.chat.widgets[-1]
    widget.thinking.set_expanded(True)
    settle(qapp, 0.3)
    assert window.width() == 800  # the content did not widen the window
    shown = widget.view.plain_text()
    assert "Vec<String>" in shown and "List<T>" in shown and "c>d" in shown
    save(window, f"half-screen-answer-{theme_name}-{lang}.png", tmp_path)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_half_screen_too_long_offer(qapp, make_window, scripted, store, look,  # type: ignore[no-untyped-def]
                                    tmp_path, lang: str) -> None:
    look("light", lang)
    client = scripted([], [], error={  # what the worker says
        "code": "too_long", "message": say(Reason.TOO_LONG, n_ctx=8192, reserve=1024)})
    window = make_window(client)
    window.resize(800, 600)
    window.send("The quarterly figures show growth. " * 600, "medium")
    wait_until(qapp, lambda: not window.generating, 60, "the answer to fail")
    card = window.chat.widgets[-1].error_card
    assert card is not None and set(card.buttons) == {"attach_text"}
    if lang == "de":  # the worker's English reason is said in German
        assert "8.192 Token" in card.text.text() and "context" not in card.text.text()
    window.chat.scroll_to_bottom()
    settle(qapp, 0.3)
    save(window, f"half-screen-too-long-{lang}.png", tmp_path)
