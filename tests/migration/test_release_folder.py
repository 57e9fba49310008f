"""A user's data folder from release 3799c7a opens with today's code, nothing lost.

The folder in ``tests/data/release-3799c7a/`` was written by the release's own code
(``make_release_folder.py`` says how, and what is in it); ``expected.json`` is what the
release read back from it. Each test works on a copy in its temporary folder, with the
user's documents moved there too and the documents database pointed at them (it stores
absolute paths; nothing else is changed before today's code opens the folder).

Checked: every conversation with its title, pin, instructions, messages (text, reasoning,
status, statistics, times) and branches; the answer cut off by a kill is kept and marked
interrupted; search; the deleted conversation can still be undone; the migrated files
take new messages; every attachment of every conversation and the saved sources of both
answers, and retrieval over the old index; every setting; and a real window opened on
the folder as Cove starts (sidebar, chips, sources, branches, statuses), whose closing
purges the deleted conversation but keeps the document it shared.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from app.chats.errors import NotFoundError
from app.chats.store import ChatStore, Message
from app.config import settings as settings_mod
from app.documents.answering import ConversationDocuments
from app.documents.retrieve import Retriever

RELEASE = Path(__file__).resolve().parents[1] / "data" / "release-3799c7a"
# What a message of the release reads as today (the rest must be equal).
_MESSAGE_FIELDS = ("id", "conversation_id", "parent_id", "role", "content", "reasoning",
                   "effort", "model", "status", "error", "prompt_tokens",
                   "completion_tokens", "reasoning_ms", "tokens_per_s", "created_at")


@dataclass
class Folder:
    """The copy: ``home`` is COVE_HOME, ``files`` holds the user's documents."""

    home: Path
    files: Path
    expected: dict[str, Any]

    @property
    def data(self) -> Path:
        return self.home / "data"

    def conversation(self, role: str) -> dict[str, Any]:
        return self.expected["conversations"][role]

    def id(self, role: str) -> int:
        return int(self.conversation(role)["id"])


def _relocate(documents_db: Path, old_root: str, new_root: Path) -> None:
    """Point the stored paths at the documents' new place, as if the user's files had
    always been there. Only the path prefix changes; the format is left as it is."""
    old, new = old_root.rstrip("/") + "/", str(new_root).rstrip("/") + "/"
    json_old, json_new = json.dumps(old)[1:-1], json.dumps(new)[1:-1]
    conn = sqlite3.connect(documents_db)
    try:
        with conn:
            conn.execute("UPDATE documents SET path = ? || substr(path, ?) "
                         "WHERE substr(path, 1, ?) = ?", (new, len(old) + 1, len(old), old))
            conn.execute("UPDATE answer_sources SET context = replace(context, ?, ?)",
                         (json_old, json_new))
    finally:
        conn.close()


@pytest.fixture
def folder(tmp_path: Path) -> Folder:
    root = tmp_path / "user"
    shutil.copytree(RELEASE, root)
    expected = json.loads((root / "expected.json").read_text(encoding="utf-8"))
    _relocate(root / "home" / "data" / "documents.db", expected["root"], root)
    return Folder(root / "home", root / "files", expected)


@pytest.fixture
def history(folder: Folder) -> Iterator[ChatStore]:
    store = ChatStore(folder.data / "cove.db")
    yield store
    store.close()


@pytest.fixture
def documents(folder: Folder) -> Iterator[ConversationDocuments]:
    """The documents as the app opens them: beside the history."""
    with ConversationDocuments.beside(folder.data / "cove.db") as found:
        yield found


def _as_today(saved: dict[str, Any]) -> dict[str, Any]:
    """A message as the release saved it, as today's code must read it: an answer
    left streaming by a kill reads as interrupted."""
    out = {name: saved[name] for name in _MESSAGE_FIELDS}
    if out["status"] == "streaming":
        out["status"] = "interrupted"
    return out


def _fields(message: Message) -> dict[str, Any]:
    return {name: getattr(message, name) for name in _MESSAGE_FIELDS}


# -- the history ---------------------------------------------------------------------------
def test_every_conversation_opens_with_its_messages_and_branches(
        folder: Folder, history: ChatStore) -> None:
    assert history.notice is None and history.set_aside is None
    assert history.interrupted_on_open == 1  # the essay's answer
    assert [c.id for c in history.conversations()] == folder.expected["sidebar"]
    for role, saved in folder.expected["conversations"].items():
        conv = history.conversation(saved["id"])
        assert (conv.title, conv.pinned, conv.system_prompt, conv.created_at,
                conv.current_leaf_id) == (saved["title"], saved["pinned"],
                                          saved["system_prompt"], saved["created_at"],
                                          saved["current_leaf_id"]), role
        assert (conv.deleted_at is not None) == (saved["deleted_at"] is not None), role
        assert [_fields(m) for m in history.messages(conv.id)] == \
            [_as_today(m) for m in saved["messages"]], role
        assert [m.id for m in history.path(conv.id)] == saved["path"], role
        assert {str(k): list(v) for k, v in history.branch_points(conv.id).items()} == \
            saved["branch_points"], role


def test_the_kinds_of_conversation_a_user_had_are_all_there(
        folder: Folder, history: ChatStore) -> None:
    """The same as above, said plainly, so a wrong expected.json cannot hide a loss."""
    titles = {c.title: c for c in history.conversations()}
    assert titles["Plan three days in Lisbon for me."].pinned
    assert titles["How is the weather?"].system_prompt == "Answer like a ship's captain."
    assert "Old shopping list" not in titles  # deleted, in the undo window
    branches = titles["Regenerated and edited"]
    shown = [m.content for m in history.path(branches.id)]
    assert shown == ["Name a prime number.", "Seven is a prime number.", "Is it even?",
                     "No, seven is odd, not even."]
    older = history.siblings(history.path(branches.id)[1].id)
    assert [m.content for m in older] == ["Nine.", "Seven is a prime number."]
    essay = history.path(titles["Write an essay on tides."].id)[-1]
    assert essay.status == "interrupted"
    assert essay.content == "Tides are the rise and fall of the sea, caused mainly by"
    assert essay.reasoning == "An essay needs an outline first."
    lisbon = history.path(titles["Plan three days in Lisbon for me."].id)
    assert [m.status for m in lisbon][-1] == "stopped"
    assert lisbon[1].reasoning == "The user wants a short itinerary."
    captain = history.path(titles["How is the weather?"].id)[-1]
    assert captain.status == "error" and captain.error and "Nothing was lost" in captain.error


def test_search_and_undo_work_on_the_old_file(folder: Folder, history: ChatStore) -> None:
    hits = [[h.conversation_id, h.message_id] for h in history.search("lighthouse")]
    assert hits == folder.expected["search"]["lighthouse"]
    deleted = folder.conversation("deleted")
    history.undo_delete(deleted["id"])
    assert deleted["id"] in [c.id for c in history.conversations()]
    assert [m.id for m in history.path(deleted["id"])] == deleted["path"]


def test_the_old_file_takes_new_messages(folder: Folder, history: ChatStore) -> None:
    cid = folder.id("documents")
    before = history.path(cid)
    user = history.add_user_message(cid, "Thank you!")
    writer = history.start_answer(cid, user.id, "gpt-oss-20b", "low")
    writer.append(answer="You're welcome.")
    answer = writer.finish("complete")
    assert [m.id for m in history.path(cid)] == [*(m.id for m in before), user.id, answer.id]
    assert answer.id > max(m["id"] for c in folder.expected["conversations"].values()
                           for m in c["messages"])


# -- the documents -------------------------------------------------------------------------
def test_every_attachment_is_there_and_points_at_its_file(
        folder: Folder, documents: ConversationDocuments) -> None:
    for role, saved in folder.expected["conversations"].items():
        found = documents.documents(saved["id"])
        assert [(d.id, d.name, d.kind, d.status, d.sha256, d.units_total, d.chars,
                 d.tokens) for d in found] == \
            [(d["id"], d["name"], d["kind"], d["status"], d["sha256"], d["units_total"],
              d["chars"], d["tokens"]) for d in saved["documents"]], role
        for document in found:
            path = Path(document.path)
            assert path.parent == folder.files, document.path
            assert hashlib.sha256(path.read_bytes()).hexdigest() == document.sha256
    names = [d.name for d in documents.documents(folder.id("documents"))]
    assert names == ["notes.txt", "harbour-report.pdf"]
    assert [d.status for d in documents.documents(folder.id("documents"))] == ["ready"] * 2
    assert [d.name for d in documents.documents(folder.id("deleted"))] == ["notes.txt"]


def test_the_saved_sources_of_answers_are_there(
        folder: Folder, documents: ConversationDocuments) -> None:
    cid = folder.id("documents")
    for role, saved in folder.expected["sources"].items():
        context = documents.sources(cid, saved["message_id"])
        assert context is not None, role
        assert (context.mode, context.found, list(context.notes)) == \
            (saved["mode"], saved["found"], saved["notes"]), role
        assert [(s.number, s.file, s.label, s.page, s.passage) for s in context.sources] == \
            [(s["number"], s["file"], s["label"], s["page"], s["passage"])
             for s in saved["sources"]], role
        for source in context.sources:
            assert Path(source.path).is_file(), source.path
    cited = documents.sources(cid, folder.expected["sources"]["found"]["message_id"])
    assert cited is not None
    assert [s.label for s in cited.sources] == ["notes.txt, line 1",
                                                "harbour-report.pdf, page 2"]


def test_the_old_index_still_answers_questions(
        folder: Folder, documents: ConversationDocuments) -> None:
    context = Retriever(documents.index).context(folder.id("documents"), "When was the "
                                           "lighthouse lit?", budget=100)
    assert context.found
    assert context.sources[0].file == "notes.txt" and "1872" in context.sources[0].passage


# -- the settings --------------------------------------------------------------------------
def test_every_setting_loads_as_saved(folder: Folder) -> None:
    loaded = settings_mod.load(folder.home / "config" / "settings.json").to_json()
    saved = folder.expected["settings"]
    assert {key: loaded.get(key) for key in saved} == saved


# -- the window ----------------------------------------------------------------------------
@pytest.fixture
def window(qapp: Any, folder: Folder, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A MainWindow made as Cove's start makes it (app.ui.app.run_gui) on the folder."""
    from app.ui.window import MainWindow

    monkeypatch.setenv("COVE_HOME", str(folder.home))
    store = ChatStore.default()
    settings_file = settings_mod.settings_path()
    assert settings_file == folder.home / "config" / "settings.json"
    made = MainWindow(store, settings_mod.load(settings_file), settings_file=settings_file)
    made.resize(1200, 800)
    made.show()
    yield made
    made.close()
    made.deleteLater()
    qapp.processEvents()
    store.close()


def _sidebar_titles(window: Any) -> list[str]:
    items = window.sidebar.list
    return [items.item(row).text() for row in range(items.count())]


def test_the_window_shows_every_conversation_attachment_and_source(
        qapp: Any, folder: Folder, window: Any) -> None:
    from PySide6.QtCore import Qt

    from app.ui.chat.messages import SiblingNav
    from app.ui.chat.sources import SourcesView
    from tests.ui.fixtures import wait_until

    conversations = folder.expected["conversations"]
    titles = {c["id"]: c["title"] for c in conversations.values()}
    assert _sidebar_titles(window) == [titles[cid] for cid in folder.expected["sidebar"]]
    assert window.sidebar.item_for(folder.id("deleted")) is None
    pinned = window.sidebar.item_for(folder.id("pinned"))
    assert pinned is not None
    assert pinned.data(Qt.ItemDataRole.AccessibleDescriptionRole) == "Pinned"
    assert window.composer.effort.currentData() == "high"  # the saved default effort

    window.open_conversation(folder.id("documents"))
    chips = window.attachments.chips
    assert sorted(chip.name for chip in chips.values()) == ["harbour-report.pdf",
                                                            "notes.txt"]
    wait_until(qapp, lambda: all(c.isVisible() for c in chips.values()), what="the chips")
    assert sorted(chip.label.text() for chip in chips.values()) == ["harbour-report.pdf",
                                                                    "notes.txt"]
    found = folder.expected["sources"]["found"]["message_id"]
    missed = folder.expected["sources"]["not_found"]["message_id"]
    wait_until(qapp, lambda: window.chat.widget_for(missed) is not None, what="the answers")
    cited = window.chat.widget_for(found).findChild(SourcesView)
    assert cited is not None and cited.not_found is None
    labels = [button.text() for button in cited.buttons]
    assert len(labels) == 2
    assert labels[0].startswith("[1] notes.txt, line 1 — “Harbour notes The lighthouse")
    assert labels[1].startswith("[3] harbour-report.pdf, page 2 — “Dredging")
    nothing = window.chat.widget_for(missed).findChild(SourcesView)
    assert nothing is not None and nothing.not_found is not None
    assert nothing.not_found.text() == "Not found in your documents"

    window.open_conversation(folder.id("branches"))
    shown = {w.message_id: w for w in window.chat.widgets}
    assert list(shown) == conversations["branches"]["path"]
    for message_id, (place, count) in conversations["branches"]["branch_points"].items():
        nav = shown[int(message_id)].findChild(SiblingNav)
        assert nav is not None and nav.label.text() == f"{place}/{count}"

    window.open_conversation(folder.id("interrupted"))
    essay = window.chat.widgets[-1]
    assert essay.status == "interrupted"
    assert essay.notice.text() == "Interrupted: the answer was cut off before it ended."
    assert essay.answer == "Tides are the rise and fall of the sea, caused mainly by"


def test_closing_the_window_purges_the_deleted_conversation_not_the_shared_file(
        qapp: Any, folder: Folder, window: Any) -> None:
    key = window.store.key  # the start encrypted the release's plain files (issue 17)
    assert key is not None
    window.close()
    qapp.processEvents()
    with ChatStore(folder.data / "cove.db", key=key) as store:
        with pytest.raises(NotFoundError):
            store.conversation(folder.id("deleted"))
        assert [c.id for c in store.conversations()] == folder.expected["sidebar"]
    with ConversationDocuments.beside(folder.data / "cove.db", key=key) as documents:
        assert documents.documents(folder.id("deleted")) == []
        assert [d.name for d in documents.documents(folder.id("documents"))] == [
            "notes.txt", "harbour-report.pdf"]
        assert documents.sources(
            folder.id("documents"), folder.expected["sources"]["found"]["message_id"])
