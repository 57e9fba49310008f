"""What an answer about the documents lists under it, kept in the documents database:
saved and read back after a restart, older files migrated, forgotten with the
conversation."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.documents import Context, DocumentIndex, Retriever, db
from app.documents.context import FULL, RETRIEVED
from tests.documents.pdfs import Page, wrap, write_pdf

CONVERSATION = 3


def harbour(path: Path, pages: int = 30) -> Path:
    filler = ("This page describes the weather, the harbour and the boats in general "
              "terms, with nothing in particular to remember. ") * 8
    facts = {4: "The lighthouse keeper Oswin Tarrant logged the comet on a cold Tuesday."}
    return write_pdf(path, [Page(wrap(f"{facts.get(n, '')} {filler} Page marker {n}."))
                            for n in range(1, pages + 1)])


@pytest.fixture
def indexed(tmp_path: Path) -> Iterator[DocumentIndex]:
    """A conversation with one PDF, read (closing it twice is harmless)."""
    with DocumentIndex(tmp_path / "documents.db") as index:
        document = index.attach_file(CONVERSATION, harbour(tmp_path / "harbour.pdf"))
        assert index.index(document.id).status == "ready"
        yield index


def kept(context: Context) -> Context:
    """What is kept of a context: all but the block and its size."""
    return replace(context, block="", tokens=0)


def test_sources_saved_are_read_back_after_a_restart(tmp_path: Path,
                                                     indexed: DocumentIndex) -> None:
    retriever = Retriever(indexed)
    found = retriever.context(CONVERSATION, "Who logged the comet?", budget=1500)
    missing = retriever.context(CONVERSATION, "boiling point of zirconium tetrachloride",
                                budget=1500)
    whole = retriever.context(CONVERSATION, "Who logged the comet?", budget=100_000)
    assert (found.mode, found.found) == (RETRIEVED, True) and found.sources
    assert found.sources[0].page == 4 and "Oswin Tarrant" in found.sources[0].passage
    assert (missing.mode, missing.found, missing.sources) == (RETRIEVED, False, ())
    assert whole.mode == FULL and len(whole.sources) == 30
    missing = replace(missing, notes=("notes.md is still being read.",))
    indexed.save_answer_sources(CONVERSATION, 10, found)
    indexed.save_answer_sources(CONVERSATION, 12, missing)
    indexed.save_answer_sources(CONVERSATION, 14, whole)
    indexed.close()

    with DocumentIndex(tmp_path / "documents.db") as reopened:
        assert reopened.answer_sources(10) == kept(found)
        assert reopened.answer_sources(12) == kept(missing)
        assert reopened.answer_sources(14) == kept(whole)
        assert reopened.answer_sources(10, CONVERSATION) == kept(found)
        assert reopened.answer_sources(10, CONVERSATION + 1) is None, \
            "an answer of another conversation (ids are reused) is not this one's"
        assert reopened.answer_sources(11) is None
        stored = reopened.query("SELECT context FROM answer_sources WHERE message_id = 10")
        assert "<documents>" not in stored[0][0], "the block sent to the model is not kept"
        # Saving again for the same id replaces what was kept.
        reopened.save_answer_sources(CONVERSATION, 10, missing)
        assert reopened.answer_sources(10) == kept(missing)
        reopened.forget_answer_sources(10)
        assert reopened.answer_sources(10) is None


def test_what_cannot_be_read_back_is_no_sources(indexed: DocumentIndex,
                                                caplog: pytest.LogCaptureFixture) -> None:
    indexed._write("INSERT INTO answer_sources VALUES (?, ?, ?, ?)",
                   (5, CONVERSATION, '{"mode": "retrieved", "sources": [{"number": 1}]}', 0))
    indexed._write("INSERT INTO answer_sources VALUES (?, ?, ?, ?)",
                   (6, CONVERSATION, "not json", 0))
    assert indexed.answer_sources(5) is None
    assert indexed.answer_sources(6) is None
    assert "cannot be read" in caplog.text


def test_a_failing_database_costs_the_saved_sources_not_the_answer(
        tmp_path: Path, indexed: DocumentIndex, caplog: pytest.LogCaptureFixture) -> None:
    """The window shows an answer's sources from memory when they cannot be saved: the
    index says so (False) and logs why; it raises nothing SQLite-specific at the UI."""
    context = Retriever(indexed).context(CONVERSATION, "Who logged the comet?", budget=1500)
    assert indexed.save_answer_sources(CONVERSATION, 10, context) is True
    with sqlite3.connect(tmp_path / "documents.db") as other:  # the table is gone
        other.execute("DROP TABLE answer_sources")
    other.close()
    assert indexed.save_answer_sources(CONVERSATION, 11, context) is False
    assert indexed.answer_sources(10) is None
    assert indexed.forget_answer_sources(10) is False
    assert "could not save the sources of answer 11" in caplog.text
    assert "could not read the sources of answer 10" in caplog.text
    assert [d.name for d in indexed.documents(CONVERSATION)] == ["harbour.pdf"]


def test_forgetting_a_conversation_forgets_its_answers_sources(
        tmp_path: Path, indexed: DocumentIndex) -> None:
    context = Retriever(indexed).context(CONVERSATION, "Who logged the comet?", budget=1500)
    indexed.save_answer_sources(CONVERSATION, 10, context)
    indexed.save_answer_sources(CONVERSATION + 1, 20, context)
    indexed.forget_conversation(CONVERSATION)
    assert indexed.documents(CONVERSATION) == []
    assert indexed.answer_sources(10) is None
    assert indexed.answer_sources(20) == kept(context)


def test_a_database_of_the_previous_version_gets_the_table(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "documents.db"
    # Made by Cove with format 1.0: its schema, without the table of answers' sources.
    assert db.MINOR == 2 and db.ANSWER_SOURCES in db.SCHEMA and db.LOST_UNITS in db.SCHEMA
    with monkeypatch.context() as old:
        old.setattr(db, "SCHEMA", db.SCHEMA.replace(db.ANSWER_SOURCES, "")
                    .replace(db.LOST_UNITS, ""))
        old.setattr(db, "MINOR", 0)
        with DocumentIndex(path) as previous:
            document = previous.attach_file(CONVERSATION, harbour(tmp_path / "h.pdf", 3))
            previous.index(document.id)
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1 << 16
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert "answer_sources" not in tables and "documents" in tables
    raw.close()

    with DocumentIndex(path) as index:
        assert index.query("PRAGMA user_version")[0][0] == 1 << 16 | 2
        assert index.documents(CONVERSATION)[0].lost_units == 0
        assert [d.name for d in index.documents(CONVERSATION)] == ["h.pdf"]
        context = Retriever(index).context(CONVERSATION, "Who logged the comet?", 10_000)
        index.save_answer_sources(CONVERSATION, 7, context)
        assert index.answer_sources(7) == kept(context)
    # A fresh file and a migrated one have the same tables and indexes.
    with DocumentIndex(tmp_path / "fresh.db") as fresh:
        def shape(i: DocumentIndex) -> set[tuple[str, str]]:
            return {(r[0], r[1]) for r in i.query("SELECT type, name FROM sqlite_master")}

        with DocumentIndex(path) as migrated:
            assert shape(migrated) == shape(fresh)
            columns = "SELECT name, type FROM pragma_table_info('documents')"
            assert migrated.query(columns) and \
                [tuple(r) for r in migrated.query(columns)] == \
                [tuple(r) for r in fresh.query(columns)]
