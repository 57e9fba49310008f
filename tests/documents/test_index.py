"""The SQLite index: schema, attachments, progress, cancel and resume (after a cancel,
a killed process, a moved file), removal, embeddings."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from app.documents import DocumentError, DocumentIndex, Embedder, Progress, Retriever, errors
from app.documents.db import DatabaseError
from tests.documents.pdfs import Page, wrap, write_pdf

ROOT = Path(__file__).resolve().parents[2]


def book(path: Path, pages: int) -> Path:
    """A PDF with ``pages`` pages, each with its own findable word."""
    return write_pdf(path, [
        Page(wrap(f"This is page {n} of the long book. Its special word is marker{n}. "
                  + "Filler text that every page shares to make it a real page. " * 12),
             bookmark=f"Chapter {1 + (n - 1) // 50}" if n % 50 == 1 else None)
        for n in range(1, pages + 1)])


def chunk_layout(index: DocumentIndex, document_id: int) -> list[tuple[int, int, int, int]]:
    return [tuple(r) for r in index.query(  # type: ignore[misc]
        'SELECT seq, unit, start, "end" FROM chunks WHERE document_id = ? ORDER BY seq',
        (document_id,))]


def test_database_settings(index: DocumentIndex) -> None:
    pragma = {name: index.query(f"PRAGMA {name}")[0][0]
              for name in ("journal_mode", "foreign_keys", "user_version")}
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "user_version": 1 << 16 | 2}


def test_default_location_is_the_data_folder() -> None:
    from app.config.paths import data_dir

    with DocumentIndex() as idx:
        assert idx.path == data_dir() / "documents.db"


def test_a_database_from_a_newer_cove_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "documents.db"
    DocumentIndex(path).close()
    with sqlite3.connect(path) as raw:
        raw.execute(f"PRAGMA user_version = {2 << 16}")
    with pytest.raises(DatabaseError, match="newer version of Cove"):
        DocumentIndex(path)


def test_one_file_two_conversations_stored_once(tmp_path: Path, index: DocumentIndex) -> None:
    pdf = book(tmp_path / "book.pdf", 3)
    first = index.attach_file(1, pdf)
    index.index(first.id)
    moved = tmp_path / "elsewhere.pdf"
    moved.write_bytes(pdf.read_bytes())
    second = index.attach_file(2, moved)
    assert second.id == first.id and second.status == "ready"
    assert second.path == str(moved), "the newest location is remembered"
    assert [d.id for d in index.documents(1)] == [d.id for d in index.documents(2)]


def test_removing_the_last_attachment_removes_everything(
        tmp_path: Path, index: DocumentIndex, static_embedder: Embedder) -> None:
    document = index.attach_file(1, book(tmp_path / "book.pdf", 4))
    index.attach(2, document.id)
    index.index(document.id)
    index.embed(document.id, static_embedder)
    search = Retriever(index)
    assert search.keyword_search([document.id], ["marker3"])
    index.detach(1, document.id)
    assert index.documents(2) and search.keyword_search([document.id], ["marker3"])
    index.detach(2, document.id)
    assert index.documents(2) == []
    counts = [index.query(f"SELECT count(*) FROM {table}")[0][0]
              for table in ("documents", "chunks", "embeddings", "attachments")]
    assert counts == [0, 0, 0, 0]
    hits = index.query("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH 'marker3'")
    assert hits[0][0] == 0, "the keyword index forgets the removed chunks"


def test_forgetting_a_conversation(tmp_path: Path, index: DocumentIndex) -> None:
    a = index.attach_file(5, book(tmp_path / "a.pdf", 1))
    b = index.attach_file(5, book(tmp_path / "b.pdf", 2))
    index.attach(6, b.id)
    index.forget_conversation(5)
    assert index.documents(5) == []
    assert [d.id for d in index.documents(6)] == [b.id]
    with pytest.raises(KeyError):
        index.document(a.id)


def test_500_pages_progress_per_page_cancel_and_resume(tmp_path: Path) -> None:
    pdf = book(tmp_path / "big.pdf", 500)
    with DocumentIndex(tmp_path / "straight.db") as straight:
        reference = straight.index(straight.attach_file(1, pdf).id)
        expected = chunk_layout(straight, reference.id)
    assert reference.status == "ready" and reference.units_done == 500
    with DocumentIndex(tmp_path / "documents.db") as index:
        document = index.attach_file(1, pdf)
        seen: list[Progress] = []
        paused = index.index(document.id, progress=seen.append,
                             cancel=lambda: seen[-1].done >= 120)
        assert paused.status == "indexing" and paused.units_done == 120
        assert [p.done for p in seen] == list(range(121))
        assert seen[-1].total == 500 and seen[-1].text == "Reading big.pdf — page 120 of 500"
        assert index.unfinished() == [paused]
        seen.clear()
        done = index.index(document.id, progress=seen.append)
        assert done.status == "ready" and index.unfinished() == []
        assert [p.done for p in seen] == list(range(120, 501))
        assert chunk_layout(index, document.id) == expected, "same chunks, no repeats"
        assert done.tokens == reference.tokens and done.chars == reference.chars


RESUMABLE = """
import sys, time
from pathlib import Path
from app.documents import DocumentIndex
index = DocumentIndex(Path(sys.argv[1]))
document = index.attach_file(1, Path(sys.argv[2]))
def report(step):
    print(step.done, flush=True)
    time.sleep(0.01)
index.index(document.id, progress=report)
"""


def test_indexing_killed_midway_resumes_where_it_stopped(tmp_path: Path) -> None:
    pdf = book(tmp_path / "big.pdf", 300)
    db_path = tmp_path / "documents.db"
    child = subprocess.Popen(
        [sys.executable, "-c", RESUMABLE, str(db_path), str(pdf)], cwd=ROOT,
        stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None
    for line in child.stdout:
        if int(line) >= 40:
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=30)
    with DocumentIndex(db_path) as index:
        [document] = index.unfinished()
        assert 40 <= document.units_done < 300
        assert index.index(document.id).status == "ready"
        layout = chunk_layout(index, document.id)
    assert [row[0] for row in layout] == list(range(len(layout)))
    assert sorted({row[1] for row in layout}) == list(range(300))


def test_a_moved_file_fails_clearly_and_resumes_when_attached_again(
        tmp_path: Path, index: DocumentIndex) -> None:
    pdf = book(tmp_path / "book.pdf", 30)
    document = index.attach_file(1, pdf)
    pages: list[Progress] = []
    index.index(document.id, progress=pages.append, cancel=lambda: pages[-1].done == 1)
    moved = pdf.rename(tmp_path / "moved.pdf")
    with pytest.raises(DocumentError) as caught:
        index.index(document.id)
    assert caught.value.reason == errors.MISSING
    assert "What was already read is kept" in str(caught.value)
    again = index.attach_file(1, moved)
    assert again.id == document.id and again.status == "pending" and again.units_done == 1
    assert index.index(document.id).status == "ready"


def test_a_file_changed_before_resuming(tmp_path: Path, index: DocumentIndex) -> None:
    pdf = book(tmp_path / "book.pdf", 10)
    document = index.attach_file(1, pdf)
    index.index(document.id, cancel=lambda: True)
    book(pdf, 11)
    with pytest.raises(DocumentError) as caught:
        index.index(document.id)
    assert caught.value.reason == errors.CHANGED


def test_search_works_while_a_long_document_is_indexed(tmp_path: Path,
                                                       index: DocumentIndex) -> None:
    ready = index.index(index.attach_file(1, book(tmp_path / "small.pdf", 5)).id)
    big = index.attach_file(1, book(tmp_path / "big.pdf", 400))
    worker = threading.Thread(target=index.index, args=(big.id,))
    worker.start()
    search = Retriever(index)
    found = 0
    while worker.is_alive():
        found += bool(search.keyword_search([ready.id], ["marker4"]))
        search.context(1, "What is marker399?", budget=2000)
    worker.join()
    assert found > 0 and index.document(big.id).status == "ready"
    assert search.context(1, "Which page has marker399?", budget=2000).sources[0].page == 399


def test_the_same_document_is_not_indexed_twice_at_once(tmp_path: Path,
                                                        index: DocumentIndex) -> None:
    document = index.attach_file(1, book(tmp_path / "book.pdf", 5))
    steps = index.indexing(document.id)
    next(steps)
    with pytest.raises(RuntimeError, match="already being indexed"):
        index.index(document.id)
    steps.close()
    assert index.index(document.id).status == "ready"


def test_removing_a_document_while_it_is_indexed_stops_the_indexing(
        tmp_path: Path, index: DocumentIndex) -> None:
    document = index.attach_file(1, book(tmp_path / "book.pdf", 50))
    steps = index.indexing(document.id)
    for _ in range(5):
        next(steps)
    index.detach(1, document.id)
    assert list(steps) == []  # ends quietly, stores nothing more
    assert index.query("SELECT count(*) FROM chunks")[0][0] == 0


def test_embeddings_are_normalised_float32_and_resume(tmp_path: Path,
                                                      index: DocumentIndex) -> None:
    calls: list[int] = []

    def embed(texts: list[str]) -> list[list[float]]:
        calls.append(len(texts))
        return [[float(len(t)), 1.0, 2.0] for t in texts]

    embedder = Embedder(name="toy", embed=embed)
    document = index.index(index.attach_file(1, book(tmp_path / "book.pdf", 20)).id)
    total = index.query("SELECT count(*) FROM chunks")[0][0]
    assert index.embed(document.id, embedder, batch_size=4, cancel=lambda: True) == 4
    assert index.embed(document.id, embedder, batch_size=8) == total - 4
    assert index.embed(document.id, embedder) == 0
    assert calls[0] == 4 and sum(calls) == total
    blobs = [r[0] for r in index.query("SELECT vector FROM embeddings")]
    vectors = np.frombuffer(b"".join(blobs), dtype="<f4").reshape(total, 3)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_a_full_disk_stops_indexing_without_failing_the_document(
        tmp_path: Path, index: DocumentIndex) -> None:
    document = index.attach_file(1, book(tmp_path / "book.pdf", 200))
    pages = index.query("PRAGMA page_count")[0][0]
    index.query(f"PRAGMA max_page_count = {pages + 20}")  # SQLite's own "disk is full"
    with pytest.raises(DocumentError) as caught:
        index.index(document.id)
    assert caught.value.reason == errors.STORAGE and "free some disk space" in str(caught.value)
    stopped = index.document(document.id)
    assert stopped.status == "indexing" and 0 < stopped.units_done < 200
    index.query("PRAGMA max_page_count = 1073741823")
    assert index.index(document.id).status == "ready"
    units = index.query("SELECT count(DISTINCT unit) FROM chunks")[0][0]
    assert units == 200
