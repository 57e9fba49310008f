"""What an answer about the documents lists under it is there again after a restart;
deleting a conversation for good forgets its documents and sources. Real windows on
real files, the engine played by a scripted client (as in test_attachments)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from app.chats.errors import NotFoundError
from app.chats.store import ChatStore
from app.documents import DocumentIndex, Source
from app.ui.chat.sources import SourcesView, source_url
from tests.ui.fixtures import settle
from tests.ui_documents.test_attachments import ask, book, chip, drop, ready


def sources_under(window: Any, message_id: int) -> SourcesView | None:
    widget = next(w for w in window.chat.widgets if w.message_id == message_id)
    return widget.findChild(SourcesView)


def test_sources_and_not_found_are_listed_again_after_a_restart(
        qapp: QApplication, make_window, scripted, store: ChatStore, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    client = scripted([], ["The comet was logged by Oswin Tarrant [1]."])
    window = make_window(client)
    path = book(tmp_path / "harbour.pdf")
    drop(window, path)
    ready(qapp, window, "harbour.pdf")
    answer = ask(qapp, window, "Who logged the comet?")
    found_in, found_id = window.conversation_id, answer.message_id
    listed = [b.full_text for b in answer.findChild(SourcesView).buttons]
    assert listed and "harbour.pdf, page 7" in listed[0]
    window.new_chat()
    drop(window, path)  # the same file in a second conversation
    ready(qapp, window, "harbour.pdf")
    client.answer = ["It is not in the documents."]
    answer = ask(qapp, window, "What is the boiling point of zirconium tetrachloride?")
    missing_in, missing_id = window.conversation_id, answer.message_id
    assert answer.findChild(SourcesView).not_found is not None
    window.close()
    settle(qapp)

    history = ChatStore(store.db_path)  # Cove started again on the same data folder
    again = make_window(scripted(), history=history)
    try:
        again.open_conversation(found_in)
        view = sources_under(again, found_id)
        assert view is not None and view.not_found is None
        assert [b.full_text for b in view.buttons] == listed
        view.buttons[0].click()
        box = view.dialog
        assert box is not None and "Oswin Tarrant" in box.text()
        opened: list[QUrl] = []
        # The system opens it (True, as openUrl says when an app took the file).
        monkeypatch.setattr(QDesktopServices, "openUrl",
                            lambda url: opened.append(url) is None)
        open_button = next(b for b in box.buttons()
                           if box.buttonRole(b) == QMessageBox.ButtonRole.ActionRole)
        assert open_button.text() == "Open file"
        open_button.click()
        assert view.notice is None, "opened: nothing to say"
        assert len(opened) == 1 and opened[0].isLocalFile()
        assert Path(opened[0].toLocalFile()) == path.resolve()
        assert opened[0].fragment() == "page=7", "a PDF opens at the source's page"
        box.close()
        again.open_conversation(missing_in)
        view = sources_under(again, missing_id)
        assert view is not None and view.not_found is not None
        assert view.not_found.text() == "Not found in your documents"
        assert view.buttons == []
        # An answer of one conversation is not listed under another's with its id.
        assert again.attachments.index.answer_sources(found_id, missing_in) is None
    finally:
        again.close()
        history.close()


def test_deleting_a_conversation_for_good_forgets_its_documents_and_sources(
        qapp: QApplication, make_window, scripted, store: ChatStore,
        tmp_path: Path) -> None:
    client = scripted([], ["Oswin Tarrant [1]."])
    window = make_window(client)
    path = book(tmp_path / "harbour.pdf")
    notes = tmp_path / "notes.md"
    notes.write_text("# Notes\n\nThe boats are blue.\n", encoding="utf-8")
    drop(window, path, notes)
    ready(qapp, window, "harbour.pdf")
    ready(qapp, window, "notes.md")
    answer = ask(qapp, window, "Who logged the comet?")
    deleted, answer_id = window.conversation_id, answer.message_id
    window.new_chat()
    drop(window, path)  # shared with a conversation that stays
    kept = window.conversation_id
    index = window.attachments.index
    window.history.delete(deleted)
    # Deleted, but kept for undo until the window closes.
    assert len(index.documents(deleted)) == 2 and index.answer_sources(answer_id)
    window.close()
    settle(qapp)

    with pytest.raises(NotFoundError):
        store.conversation(deleted)
    with DocumentIndex(tmp_path / "documents.db") as reopened:
        assert reopened.documents(deleted) == []
        assert reopened.answer_sources(answer_id) is None
        assert [d.name for d in reopened.documents(kept)] == ["harbour.pdf"]
        names = [r[0] for r in reopened.query("SELECT name FROM documents")]
        assert names == ["harbour.pdf"], "notes.md had no other conversation"


def test_a_deleted_answers_id_given_to_a_new_answer_does_not_bring_its_sources(
        qapp: QApplication, make_window, scripted, store: ChatStore,
        tmp_path: Path) -> None:
    client = scripted([], ["Oswin Tarrant [1]."])
    window = make_window(client)
    drop(window, book(tmp_path / "harbour.pdf"))
    ready(qapp, window, "harbour.pdf")
    answer = ask(qapp, window, "Who logged the comet?")
    conversation_id, answer_id = window.conversation_id, answer.message_id
    assert answer.findChild(SourcesView) is not None
    chip(window, "harbour.pdf").remove_button.click()
    settle(qapp)
    question = store.path(conversation_id)[0]
    window.view.delete_message(question.id, confirm=False)  # the question and its answer
    assert store.path(conversation_id) == []
    client.answer = ["Hello there."]
    again = ask(qapp, window, "Hello")
    assert again.message_id == answer_id, "SQLite gives the deleted last id again"
    assert again.findChild(SourcesView) is None
    window.new_chat()
    window.open_conversation(conversation_id)
    assert sources_under(window, answer_id) is None
    assert window.attachments.index.answer_sources(answer_id) is None


def test_only_a_pdf_opens_at_a_page() -> None:
    def source(path: str, page: int | None) -> Source:
        return Source(1, 1, Path(path).name, path, page, page, "", None, "text", (1,), 0)

    pdf = source("/tmp/Report 2024.PDF", 4)
    assert source_url(pdf).fragment() == "page=4"
    assert source_url(pdf).toLocalFile() == "/tmp/Report 2024.PDF"
    assert source_url(source("/tmp/notes.md", None)) == QUrl.fromLocalFile("/tmp/notes.md")
    assert source_url(source("/tmp/scan.pdf", None)).fragment() == ""


def test_documents_given_whole_keep_only_the_sources_the_answer_lists(
        qapp: QApplication, make_window, scripted, store: ChatStore,
        tmp_path: Path) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("".join(f"# Part {n}\n\nThe boat number {n} is painted blue.\n\n"
                             for n in range(1, 21)), encoding="utf-8")
    client = scripted([], ["Boat 3 is blue [3]."])
    window = make_window(client)
    drop(window, notes)
    ready(qapp, window, "notes.md")
    answer = ask(qapp, window, "What colour is boat 3?")
    listed = [b.full_text for b in answer.findChild(SourcesView).buttons]
    assert len(listed) == 1 and "[3] notes.md, section Part 3" in listed[0]
    conversation_id, answer_id = window.conversation_id, answer.message_id
    saved = window.attachments.index.answer_sources(answer_id)
    assert saved is not None and saved.mode == "full"
    assert [s.number for s in saved.sources] == [3], "not every part of the document"
    window.close()
    settle(qapp)
    history = ChatStore(store.db_path)  # Cove started again on the same data folder
    again = make_window(scripted(), history=history)
    try:
        again.open_conversation(conversation_id)
        view = sources_under(again, answer_id)
        assert view is not None and [b.full_text for b in view.buttons] == listed
    finally:
        again.close()
        history.close()
