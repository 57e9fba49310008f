"""PDFs read in a reader process (app.documents.isolated): the same pages as in-process,
and a reader that crashes or hangs on a page costs that page, not the caller."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from app.documents import DocumentError, DocumentIndex, Retriever, isolated
from app.documents import errors as doc_errors
from app.documents.extract import PdfReader
from app.documents.isolated import IsolatedPdfReader
from tests.documents.pdfs import Page, encrypt, wrap, write_pdf

FAULTY = Path(__file__).with_name("faulty_reader.py")


def report(path: Path, pages: int = 6) -> Path:
    return write_pdf(path, [
        Page(wrap(f"Page {n} of the harbour report: {n * 7} boats came in."),
             bookmark=f"Part {n}" if n % 2 else None) for n in range(1, pages + 1)])


def faulty(monkeypatch: pytest.MonkeyPatch, mode: str, pages: str) -> None:
    monkeypatch.setattr(isolated, "reader_command", lambda path, start: [
        sys.executable, str(FAULTY), mode, pages, str(path), str(start)])


def test_the_same_pages_as_in_process(tmp_path: Path) -> None:
    path = report(tmp_path / "report.pdf")
    with PdfReader(path) as inside, IsolatedPdfReader(path) as outside:
        assert outside.total == inside.total == 6
        assert list(outside.units()) == list(inside.units())
        assert list(outside.units(start=4)) == list(inside.units(start=4))


def test_an_encrypted_pdf_says_so_from_the_reader_process(tmp_path: Path) -> None:
    locked = encrypt(report(tmp_path / "plain.pdf"), tmp_path / "locked.pdf")
    with pytest.raises(DocumentError) as caught:
        IsolatedPdfReader(locked)
    assert caught.value.reason == doc_errors.ENCRYPTED and "locked.pdf" in str(caught.value)


def test_a_file_that_is_not_a_pdf_inside(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    with pytest.raises(DocumentError) as caught:
        IsolatedPdfReader(bad)
    assert caught.value.reason == doc_errors.CORRUPT


def test_a_crash_costs_one_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faulty(monkeypatch, "crash", "2")
    with IsolatedPdfReader(report(tmp_path / "report.pdf")) as reader:
        units = list(reader.units())
    assert [u.page for u in units] == [1, 2, 3, 4, 5, 6]
    assert units[2].text == "" and "21 boats" not in " ".join(u.text for u in units)
    assert "28 boats" in units[3].text and "42 boats" in units[5].text
    assert reader.failures == 1


def test_a_hang_costs_one_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No clock decides what hung: only the page that never returns gets a short wait;
    # every other wait is a hang limit a busy machine cannot reach (a good page that
    # took longer than a short PAGE_TIMEOUT would be counted as hung).
    faulty(monkeypatch, "hang", "0")
    monkeypatch.setattr(isolated, "PAGE_TIMEOUT", 1.0)
    real_next = isolated._Child.next
    waits: list[tuple[int, float]] = []

    def next_frame(child: isolated._Child, timeout: float) -> dict[str, Any] | None:
        hanging = timeout == isolated.PAGE_TIMEOUT and child.next_index == 0
        waits.append((child.next_index, timeout))
        return real_next(child, timeout if hanging else max(timeout, 120.0))

    monkeypatch.setattr(isolated._Child, "next", next_frame)
    with IsolatedPdfReader(report(tmp_path / "report.pdf", 3)) as reader:
        units = list(reader.units())
    assert [u.text == "" for u in units] == [True, False, False]
    assert "14 boats" in units[1].text and "21 boats" in units[2].text
    assert reader.failures == 1
    assert (0, 1.0) in waits  # page 1 was given up by the reader's own page timeout


def test_a_file_that_keeps_crashing_is_reported_damaged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faulty(monkeypatch, "crash", ",".join(str(n) for n in range(10)))
    with IsolatedPdfReader(report(tmp_path / "report.pdf", 10)) as reader, \
            pytest.raises(DocumentError) as caught:
        list(reader.units())
    assert caught.value.reason == doc_errors.CORRUPT
    assert reader.failures == isolated.MAX_FAILURES + 1


def test_the_index_keeps_the_rest_of_a_file_that_crashed_the_reader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faulty(monkeypatch, "crash", "1")
    with DocumentIndex(tmp_path / "documents.db", isolate=True) as index:
        document = index.index(index.attach_file(1, report(tmp_path / "report.pdf")).id)
        assert document.status == "ready" and document.units_done == 6
        assert document.lost_units == 1 and document.error is None
        hits = Retriever(index).search([document.id], "How many boats came in on page 5?")
        assert any(h.page == 5 for h in hits.hits)


def test_a_hung_reader_ends_when_cove_closes_its_stdin(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faulty(monkeypatch, "hang", "0")
    child = isolated._Child(report(tmp_path / "report.pdf", 2), 0)
    assert child.next(120) == {"total": 2}  # open, and now stuck on page 1
    assert child.proc.poll() is None
    assert child.proc.stdin is not None
    child.proc.stdin.close()  # what happens when Cove quits or dies
    assert child.proc.wait(timeout=60) == 0
    child.close()
