"""Chat window benchmark (offscreen Qt); prints one JSON object.

* stall_p99_ms: while an answer streams at 200 tokens/s (Markdown with headings, lists,
  a table and fenced code, plus reasoning first) through the real EngineBridge thread,
  a 5 ms heartbeat timer on the GUI thread measures how late it fires; the 99th
  percentile of that lateness is the event-loop stall. The token source is a stand-in
  for the engine client that yields protocol messages at that rate.
* open_1000_ms: open a conversation of 1,000 messages (500 questions, 500 Markdown
  answers) → the chat's first paint; median of several runs.
* open_1000_encrypted_ms: the same on a history encrypted as Cove keeps the user's
  (SQLCipher, a raw 256-bit key: issue 17), and encrypted_vs_plain_open_ratio (plain
  over encrypted; 1.0: no cost).
* open_1000_rss_growth_mb: resident memory added by scrolling through all 1,000 messages
  to the oldest, back to the newest and up again (the view keeps a bounded window of
  widgets, built a page at a time as they come into view).
* paste_50k_ms, send_50k_ms: paste 50,000 characters into the composer, then send them
  (the message shown, folded); median of several runs. Moved here from a test, where
  a busy machine could stretch it past its bound.
* startup_ms, startup_painted_ms, startup_cpu_ms: process start → the window whole
  (its history open), → its first paint, and the process's CPU time, no model
  (bench/startup.py, which also compares checkouts and says how bytecode is handled).

Usage: python bench/ui.py [--tokens N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("COVE_HOME", tempfile.mkdtemp(prefix="cove-bench-"))

import psutil
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.config.sqlcipher import Key
from app.ui.app import make_app
from app.ui.language import i18n
from app.ui.services.bridge import EngineBridge
from app.ui.widgets import theme
from bench.heartbeat import Heartbeat, percentile
from bench.startup import startup

ANSWER = """## Plan

Here is a **careful** answer with `inline code`, a [link](https://example.org) and a list:

1. First, read the *whole* file.
2. Then split it into lines.
3. Finally count the words.

| Step | Cost | Notes |
|------|------|-------|
| read | O(n) | one pass |
| split | O(n) | allocates |

```python
from collections import Counter

def count_words(path: str) -> Counter[str]:
    with open(path, encoding="utf-8") as fh:
        return Counter(word.lower() for line in fh for word in line.split())
```

That is all there is to it. Some more prose follows to make the answer longer, with
another paragraph that keeps going for a while so the last block grows and grows.

"""


def tokens(text: str, n: int) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        for i in range(0, len(text), 4):
            out.append(text[i:i + 4])
    return out[:n]


class TokenSource:
    """Yields protocol messages like EngineClient.chat, at a fixed rate."""

    def __init__(self, reasoning: list[str], answer: list[str], rate: float) -> None:
        self.reasoning, self.answer, self.period = reasoning, answer, 1.0 / rate
        self.info = {"name": "bench", "backend": "CPU", "n_ctx": 32768}
        self.alive = True
        self._cancel = threading.Event()

    def chat(self, *_: Any, **__: Any) -> Iterator[dict[str, Any]]:
        start = time.perf_counter()
        parts = [("reasoning", t) for t in self.reasoning] + [("answer", t) for t in self.answer]
        for i, (kind, text) in enumerate(parts):
            delay = start + i * self.period - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            if self._cancel.is_set():
                break
            yield {"type": "event", "id": 1, "kind": kind, "text": text, "channel": None,
                   "recipient": None, "truncated": False}
        yield {"type": "done", "id": 1, "finish_reason": "stop",
               "stats": {"prompt_tokens": 10, "completion_tokens": len(parts),
                         "tokens_per_s": 200.0, "context_used": 10 + len(parts),
                         "n_ctx": 32768}}

    def cancel(self) -> None:
        self._cancel.set()

    def answer_now(self) -> None:
        pass

    def close(self) -> None:
        self.alive = False


def bench_stall(app: QApplication, store: ChatStore, n_tokens: int) -> dict[str, float]:
    from app.ui.window import MainWindow

    source = TokenSource(tokens("The user wants a word counter. ", n_tokens // 5),
                         tokens(ANSWER, n_tokens - n_tokens // 5), rate=200.0)
    window = MainWindow(store, Settings(), bridge=EngineBridge(client=source))  # type: ignore[arg-type]
    window.resize(1200, 800)
    window.show()
    for _ in range(20):
        app.processEvents()
    heartbeat = Heartbeat()
    window.composer.input.setPlainText("Write a word counter")
    heartbeat.start()
    window.send(window.composer.input.toPlainText(), "medium")
    while window.generating:
        app.processEvents()
        time.sleep(0.0005)
    lateness = heartbeat.stop()
    widget = window.chat.widgets[-1]
    renders = getattr(widget, "render_count", 0)
    window.close()
    return {"stall_p99_ms": round(percentile(lateness, 99), 1),
            "stall_max_ms": round(max(lateness), 1),
            "stream_tokens": n_tokens, "stream_renders": renders}


class _FirstPaint(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.painted = False

    def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def bench_open(app: QApplication, store: ChatStore, runs: int) -> dict[str, float]:
    from app.ui.window import MainWindow

    conv = store.create_conversation("A thousand messages")
    parent = None
    for i in range(500):
        user = store.add_user_message(conv.id, f"Question number {i}: how do I count words?",
                                      parent)
        writer = store.start_answer(conv.id, user.id, "bench", "low")
        writer.append(answer=ANSWER, reasoning="Thinking about it.")
        parent = writer.finish("complete").id
    messages = store.path(conv.id)
    first_id, last_id = messages[0].id, messages[-1].id
    window = MainWindow(store, Settings())
    window.resize(1200, 800)
    window.show()
    for _ in range(20):
        app.processEvents()
    probe = _FirstPaint()
    window.chat.viewport().installEventFilter(probe)
    times = []
    for _ in range(runs):
        window.new_chat()
        for _ in range(5):
            app.processEvents()
        probe.painted = False
        started = time.perf_counter()
        window.open_conversation(conv.id)
        while not probe.painted:
            app.processEvents()
        times.append((time.perf_counter() - started) * 1000)
    process = psutil.Process()
    before = process.memory_info().rss
    bar = window.chat.verticalScrollBar()
    for target in (0, None, 0):  # to the oldest message, back to the newest, up again
        for _ in range(100):
            bar.setValue(bar.maximum() if target is None else target)
            for _ in range(3):
                app.processEvents()
            if window.chat.widgets[0 if target == 0 else -1].message_id == \
                    (first_id if target == 0 else last_id):
                break
    for _ in range(10):
        app.processEvents()
    growth = (process.memory_info().rss - before) / 2**20
    built = len(window.chat.widgets)
    window.close()
    return {"open_1000_ms": round(statistics.median(times), 1),
            "open_1000_rss_growth_mb": round(growth, 1), "open_1000_built": built}


def bench_paste(app: QApplication, store: ChatStore, runs: int) -> dict[str, float]:
    from PySide6.QtCore import QMimeData, Qt
    from PySide6.QtTest import QTest

    from app.ui.window import MainWindow

    text = ("All work and no play makes Jack a dull boy. " * 1200)[:50_000]
    bridge = EngineBridge(client=TokenSource([], ["Got it."], 1000.0))  # type: ignore[arg-type]
    window = MainWindow(store, Settings(), bridge=bridge)
    window.resize(1200, 800)
    window.show()
    pastes, sends = [], []
    for _ in range(runs):
        window.new_chat()
        app.processEvents()
        data = QMimeData()
        data.setText(text)
        started = time.perf_counter()
        window.composer.input.insertFromMimeData(data)
        app.processEvents()
        pastes.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
        app.processEvents()
        sends.append((time.perf_counter() - started) * 1000)
        while window.generating:
            app.processEvents()
    window.close()
    bridge.close()
    return {"paste_50k_ms": round(statistics.median(pastes), 1),
            "send_50k_ms": round(statistics.median(sends), 1)}


def bench_startup(runs: int) -> dict[str, float]:
    medians = startup(runs)
    return {"startup_ms": medians["shown_ms"], "startup_painted_ms": medians["painted_ms"],
            "startup_cpu_ms": medians["cpu_ms"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result: dict[str, Any] = {}
    result.update(bench_startup(args.runs))
    app = make_app(["cove-bench"])
    i18n.install(app, "en")
    theme.apply(app, "light")
    with tempfile.TemporaryDirectory() as tmp:
        store = ChatStore(Path(tmp) / "bench.db")
        try:
            result.update(bench_stall(app, store, args.tokens))
            result.update(bench_open(app, store, args.runs))
            result.update(bench_paste(app, store, args.runs))
        finally:
            store.close()
    with tempfile.TemporaryDirectory() as tmp:  # the same on an encrypted history
        store = ChatStore(Path(tmp) / "bench.db", key=Key.random())
        try:
            encrypted = bench_open(app, store, args.runs)
        finally:
            store.close()
    result["open_1000_encrypted_ms"] = encrypted["open_1000_ms"]
    result["encrypted_vs_plain_open_ratio"] = round(
        result["open_1000_ms"] / encrypted["open_1000_ms"], 2)
    result["cpu_count"] = os.cpu_count()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
