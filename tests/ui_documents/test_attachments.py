"""Documents in the window, driven through its widgets: real files (PDFs written by
the documents tests' writer), real extraction and indexing on the worker thread, and
the engine played by a scripted client."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.chats.store import ChatStore
from app.documents.index import FAILED, READY
from app.ui.chat.attachments import AttachmentChip, SourcesView
from tests.documents.pdfs import Page, encrypt, wrap, write_pdf
from tests.ui.fixtures import settle, wait_until

FACTS = {
    7: "The lighthouse keeper Oswin Tarrant logged the comet on a cold Tuesday.",
    23: "Marmalade production at the Quillfeather cannery peaked in the year 1887.",
}


def book(path: Path, pages: int = 40) -> Path:
    filler = ("This page describes the weather, the harbour and the boats in general "
              "terms, with nothing in particular to remember. ") * 8
    return write_pdf(path, [
        Page(wrap(FACTS.get(n, "") + " " + filler + f" Page marker {n}."))
        for n in range(1, pages + 1)])


def drop(window: Any, *paths: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    window.composer.input.insertFromMimeData(data)


def chip(window: Any, name: str) -> AttachmentChip:
    return next(c for c in window.attachments.chips.values() if c.name == name)


def ready(qapp: QApplication, window: Any, name: str) -> AttachmentChip:
    wait_until(qapp, lambda: chip(window, name).status == READY, 30, f"{name} to be read")
    return chip(window, name)


def ask(qapp: QApplication, window: Any, text: str) -> Any:
    window.composer.input.setPlainText(text)
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    assert window.generating
    widget = window.view.live
    wait_until(qapp, lambda: not window.generating, 20, "the answer to end")
    return widget


def test_a_dropped_pdf_is_read_with_progress_then_answers_cite_its_pages(
        qapp, make_window, scripted, store: ChatStore, tmp_path: Path) -> None:
    client = scripted([], ["The comet was logged by Oswin Tarrant [1]."])
    window = make_window(client)
    assert window.conversation_id is None
    path = book(tmp_path / "harbour.pdf", 300)
    seen: list[str] = []
    threads: list[str] = []
    index = window.attachments.index
    real_index = index.index

    def spy(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        return real_index(*args, **kwargs)

    index.index = spy  # the worker calls it through the instance
    drop(window, path)
    assert window.conversation_id is not None  # created for the attachment
    assert window.attachments.bar.isVisible()
    the_chip = chip(window, "harbour.pdf")

    def progress_seen() -> bool:
        seen.append(the_chip.label.text())
        return the_chip.status == READY

    wait_until(qapp, progress_seen, 60, "harbour.pdf to be read")
    assert any("Reading harbour.pdf — page" in t and "of 300" in t for t in seen), seen[:5]
    assert the_chip.label.text() == "harbour.pdf"
    # The chat stays usable: the question goes out with the passage and the rules.
    widget = ask(qapp, window, "Who logged the comet?")
    request = client.requests[-1]
    assert "Oswin Tarrant" in request["messages"][-1]["content"]
    assert "<documents>" in request["messages"][-1]["content"]
    assert "Attached documents" in request["instructions"]
    assert store.path(window.conversation_id)[0].content == "Who logged the comet?"
    sources = widget.findChild(SourcesView)
    assert sources is not None and sources.not_found is None
    assert sources.buttons and "harbour.pdf, page 7" in sources.buttons[0].text()
    sources.buttons[0].click()
    box = sources.dialog
    assert box is not None and box.isVisible() and "Oswin Tarrant" in box.text()
    box.close()
    assert "documents" in window.attachments.meter.text()
    assert threads and threading.main_thread().name not in threads  # never the GUI's
    # Shown again (another chat, then back), the answer keeps its sources.
    conversation_id = window.conversation_id
    window.new_chat()
    window.open_conversation(conversation_id)
    answers = [w for w in window.chat.widgets if w.findChild(SourcesView) is not None]
    assert len(answers) == 1


def test_a_question_the_documents_do_not_answer_says_so(
        qapp, make_window, scripted, tmp_path: Path) -> None:
    client = scripted([], ["It is not in the documents."])
    window = make_window(client)
    drop(window, book(tmp_path / "harbour.pdf", 300))
    ready(qapp, window, "harbour.pdf")
    widget = ask(qapp, window, "What is the boiling point of zirconium tetrachloride?")
    sources = widget.findChild(SourcesView)
    assert sources is not None and sources.not_found is not None
    assert sources.not_found.text() == "Not found in your documents"


def test_an_encrypted_pdf_gets_a_clear_message_on_its_chip(
        qapp, make_window, tmp_path: Path) -> None:
    window = make_window()
    locked = encrypt(book(tmp_path / "plain.pdf", 3), tmp_path / "locked.pdf")
    drop(window, locked)
    the_chip = chip(window, "locked.pdf")  # its reader process finds the password
    wait_until(qapp, lambda: the_chip.status == FAILED, 30, "the password to be found")
    assert "protected by a password" in the_chip.label.text()
    assert not the_chip.bar.isVisible()


def test_a_chip_can_be_removed_and_a_gguf_still_loads_as_a_model(
        qapp, make_window, scripted, tmp_path: Path) -> None:
    client = scripted([], ["Fine."])
    window = make_window(client)
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nremember the milk\n", encoding="utf-8")
    drop(window, notes)
    the_chip = ready(qapp, window, "notes.md")
    conversation_id = window.conversation_id
    assert [d.name for d in window.attachments.index.documents(conversation_id)] == \
        ["notes.md"]
    the_chip.remove_button.click()
    settle(qapp)
    assert window.attachments.chips == {}
    assert window.attachments.index.documents(conversation_id) == []
    assert not window.attachments.bar.isVisible()
    # Without documents a question goes out as before.
    ask(qapp, window, "Hello")
    assert "<documents>" not in client.requests[-1]["messages"][-1]["content"]
    loaded: list[str] = []
    window.composer.input.model_dropped.connect(loaded.append)
    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF")
    drop(window, model)
    assert loaded == [str(model)]
    assert window.attachments.chips == {}


def test_a_folder_attaches_its_files_and_switching_chats_shows_their_chips(
        qapp, make_window, tmp_path: Path) -> None:
    window = make_window()
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "a.txt").write_text("alpha text\n", encoding="utf-8")
    (folder / "b.csv").write_text("name,value\nbeta,2\n", encoding="utf-8")
    drop(window, folder)
    first = window.conversation_id
    assert sorted(c.name for c in window.attachments.chips.values()) == ["a.txt", "b.csv"]
    ready(qapp, window, "a.txt")
    window.new_chat()
    assert window.attachments.chips == {}
    window.open_conversation(first)
    assert sorted(c.name for c in window.attachments.chips.values()) == ["a.txt", "b.csv"]


def test_unfinished_indexing_resumes_when_the_window_opens(
        qapp, make_window, store: ChatStore, tmp_path: Path) -> None:
    from app.documents import DocumentIndex

    conversation = store.create_conversation("Docs")
    index = DocumentIndex(tmp_path / "documents.db")  # where the window keeps them
    document = index.attach_file(conversation.id, book(tmp_path / "harbour.pdf", 30))
    index.index(document.id, cancel=lambda: True)  # stopped after the first page
    assert index.document(document.id).status != READY
    index.close()
    window = make_window()
    window.open_conversation(conversation.id)
    ready(qapp, window, "harbour.pdf")


def test_files_dropped_on_the_chat_or_chosen_with_the_button_are_attached(
        qapp, make_window, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    from app.ui.chat import attachments
    window = make_window()
    first = tmp_path / "first.txt"
    first.write_text("first file\n", encoding="utf-8")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(first))])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, data,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    viewport = window.chat.viewport()
    assert viewport.acceptDrops()
    # Qt delivers a real drop to the viewport's filter; a synthetic one is handed to it.
    assert window.attachments.drop_filter.eventFilter(viewport, event)
    assert [c.name for c in window.attachments.chips.values()] == ["first.txt"]
    second = tmp_path / "second.md"
    second.write_text("# Second\n\nsecond file\n", encoding="utf-8")
    monkeypatch.setattr(attachments.QFileDialog, "getOpenFileNames",
                        lambda *a, **k: ([str(second)], ""))
    window.composer.attach_button.click()
    assert sorted(c.name for c in window.attachments.chips.values()) == \
        ["first.txt", "second.md"]
    ready(qapp, window, "second.md")


def test_stop_while_the_documents_are_searched_sends_nothing(
        qapp, make_window, scripted, store: ChatStore, tmp_path: Path) -> None:
    client = scripted([], ["This answer must never be written."])
    window = make_window(client)
    drop(window, book(tmp_path / "harbour.pdf", 30))
    ready(qapp, window, "harbour.pdf")
    searching, go_on = threading.Event(), threading.Event()
    documents = window.attachments.documents
    real_prepare = documents.prepare

    def slow_prepare(*args: Any, **kwargs: Any) -> Any:  # a long search (50k passages)
        searching.set()
        go_on.wait(120)  # until the test has pressed Stop (a hang limit only)
        return real_prepare(*args, **kwargs)

    documents.prepare = slow_prepare  # type: ignore[method-assign]
    window.composer.input.setPlainText("Who logged the comet?")
    QTest.keyClick(window.composer.input, Qt.Key.Key_Return)
    wait_until(qapp, searching.is_set, 10, "the search to start")
    QTest.keyClick(window, Qt.Key.Key_Escape)
    go_on.set()
    wait_until(qapp, lambda: not window.generating, 20, "the answer to end")
    assert client.requests == []  # the question never went to the model
    assert store.path(window.conversation_id)[-1].status == "stopped"


def test_pages_the_reader_gave_up_on_are_shown_on_the_chip(
        qapp, make_window, tmp_path: Path, monkeypatch) -> None:
    import sys

    from app.documents import isolated

    faulty = Path(__file__).parents[1] / "documents" / "faulty_reader.py"
    monkeypatch.setattr(isolated, "reader_command", lambda path, start: [
        sys.executable, str(faulty), "crash", "1,4", str(path), str(start)])
    window = make_window()
    drop(window, book(tmp_path / "harbour.pdf", 8))
    the_chip = ready(qapp, window, "harbour.pdf")
    assert the_chip.label.text() == ("harbour.pdf — 2 pages could not be read; the rest "
                                     "can be asked about")


def test_files_are_added_off_the_gui_thread_and_a_chip_removed_meanwhile_stays_out(
        qapp, make_window, tmp_path: Path) -> None:
    window = make_window()
    attachments = window.attachments
    index = attachments.index
    real_attach = index.attach_file
    threads: list[str] = []
    gate = threading.Event()

    def slow_attach(*args: Any, **kwargs: Any) -> Any:  # hashing a large file
        threads.append(threading.current_thread().name)
        gate.wait(120)  # until the test has removed a chip (a hang limit only)
        return real_attach(*args, **kwargs)

    index.attach_file = slow_attach
    first, second = book(tmp_path / "first.pdf", 3), book(tmp_path / "second.pdf", 4)
    drop(window, first, second, first)  # the same file twice is attached once
    assert [c.name for c in attachments.chips.values()] == ["first.pdf", "second.pdf",
                                                            "first.pdf"]
    assert chip(window, "second.pdf").label.text() == "Reading second.pdf…"
    attachments.remove(chip(window, "second.pdf").document_id)  # changed my mind
    gate.set()
    wait_until(qapp, lambda: all(c.document_id >= 0 for c in attachments.chips.values())
               and len(attachments.chips) == 1, 30, "the files to be added")
    assert threads and threading.main_thread().name not in threads
    ready(qapp, window, "first.pdf")
    assert [d.name for d in index.documents(window.conversation_id)] == ["first.pdf"]


def test_a_file_that_cannot_be_added_says_why_on_its_chip(
        qapp, make_window, tmp_path: Path) -> None:
    window = make_window()
    empty = tmp_path / "notes.txt"
    empty.write_text("")
    drop(window, empty)
    the_chip = chip(window, "notes.txt")
    wait_until(qapp, lambda: the_chip.status == FAILED, 10, "the refusal")
    assert the_chip.label.text() == "“notes.txt” is empty: there is nothing in it to read."
