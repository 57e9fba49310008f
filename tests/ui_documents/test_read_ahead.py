"""Reading ahead in the window (issue 15 §3), with the real worker and gemma: a
document attached is read while the user types, so the question evaluates only
itself; a question that has to read the documents says so, with the time left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.chats.store import ChatStore
from app.config.settings import Settings
from app.session import events
from tests.ui.fixtures import engine_for, wait_until
from tests.ui_documents.test_attachments import ask, drop, ready

__all__ = ["engine_for"]

SHORT = Settings(sampling={"temp": 0.0}, max_tokens=8)
TEXT = "# Rivers\n\n" + "\n\n".join(
    f"River {i} flows north into lake {i * 7} past the town of Vale{i}." for i in range(40))


def finished(window: Any) -> list[events.AnswerFinished]:
    seen: list[events.AnswerFinished] = []
    window.session.subscribe(lambda e: seen.append(e)
                             if isinstance(e, events.AnswerFinished) else None)
    return seen


def test_a_document_is_read_ahead_and_the_question_evaluates_only_itself(
        qapp: QApplication, make_window: Any, engine_for: Any, gemma_path: Path,
        store: ChatStore, tmp_path: Path) -> None:
    client = engine_for(gemma_path)
    window = make_window(client, settings=SHORT)
    answers = finished(window)
    path = tmp_path / "rivers.md"
    path.write_text(TEXT, encoding="utf-8")
    drop(window, path)
    ready(qapp, window, "rivers.md")
    wait_until(qapp, lambda: not window.bridge.busy and client.last_prefill is not None,
               60, "the documents to be sent to the model to read")
    done = client.wait_prefilled(client.last_prefill)  # the engine thread is idle
    assert done["finished"] and done["tokens"] > 400

    ask(qapp, window, "Where does river 5 flow?")
    stats = answers[-1].stats
    assert stats["cached_tokens"] >= done["tokens"] - 1
    assert stats["evaluated_tokens"] < 30  # the question, not the document


def test_a_question_that_reads_the_documents_shows_how_far_and_how_long(
        qapp: QApplication, make_window: Any, engine_for: Any, gemma_path: Path,
        tmp_path: Path) -> None:
    client = engine_for(gemma_path)
    window = make_window(client, settings=SHORT)
    window.session.read_ahead = lambda *_args, **_kw: False  # as if asked at once
    answers = finished(window)
    shown: list[str] = []

    def progress(event: events.Event) -> None:
        if isinstance(event, events.PromptProgressed) and window.view.live is not None:
            shown.append(window.view.live.progress.text())  # after the view's own

    window.session.subscribe(progress)
    path = tmp_path / "streams.md"  # not read before (saved states outlive a test)
    path.write_text(TEXT.replace("River", "Stream"), encoding="utf-8")
    drop(window, path)
    ready(qapp, window, "streams.md")
    ask(qapp, window, "Where does stream 5 flow?")
    assert answers[-1].stats["cached_tokens"] < 10, answers[-1].stats
    assert shown and all(t.startswith("Reading your documents… ") for t in shown), shown
    assert any(" % · about " in t and t.endswith(" left") for t in shown), shown


def test_passages_when_reading_would_take_long_then_read_the_whole_document(
        qapp: QApplication, make_window: Any, engine_for: Any, gemma_path: Path,
        tmp_path: Path, monkeypatch: Any) -> None:
    from app.documents import answering
    from app.ui.chat.sources import SourcesView

    monkeypatch.setattr(answering, "WAIT_LIMIT_S", 0.2)  # this machine reads gemma fast
    client = engine_for(gemma_path)
    window = make_window(client, settings=SHORT)
    window.session.read_ahead = lambda *_args, **_kw: False  # asked before it was read
    answers = finished(window)
    path = tmp_path / "brooks.md"
    path.write_text(TEXT.replace("River", "Brook"), encoding="utf-8")
    drop(window, path)
    ready(qapp, window, "brooks.md")
    widget = ask(qapp, window, "Where does brook 5 flow?")
    assert answers[-1].sources is not None and answers[-1].sources.whole_seconds > 0.2
    view = widget.findChild(SourcesView)
    assert view is not None and view.read_whole is not None and not view.read_whole.isHidden()
    del window.session.read_ahead  # the real one again
    before = client.last_prefill
    view.read_whole.click()
    assert not view.read_whole.isEnabled()
    wait_until(qapp, lambda: client.last_prefill != before and not window.bridge.busy,
               60, "the document to be sent to the model to read")
    done = client.wait_prefilled(client.last_prefill)
    assert done["finished"] and done["tokens"] > 400
