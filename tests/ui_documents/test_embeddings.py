"""Documents searched by meaning in the window: the embedding model (the gemma test
model in llama.cpp's embedding mode, standing in for Qwen3-Embedding) runs in its own
worker process, embeds attached documents after they are read, and embeds questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

from app.documents.index import READY
from tests.documents.pdfs import Page, wrap, write_pdf
from tests.documents.test_retrieve import small_pdf
from tests.ui.fixtures import wait_until
from tests.ui_documents.test_attachments import ask, chip, drop

FILLER = ("The line was surveyed in the spring, the cuttings dug by hand, and the "
          "stations built of the local grey stone with slate roofs. ") * 5


def railway_pdf(tmp_path: Path) -> Path:
    """Three pages of about 250 tokens each: one passage a page, too long to go whole
    into a small context."""
    return write_pdf(tmp_path / "viaduct.pdf", [
        Page(wrap(f"{fact} {FILLER}")) for fact in (
            "The railway opened in 1852 between Ashford and Kellbridge.",
            "The Dunmore Viaduct has 23 stone arches and stands 41 metres high.",
            "Passenger services ended in 1963.")])


def embedded(window: Any, name: str) -> int:
    return window.attachments.index.document(chip(window, name).document_id).embedded


def test_attached_documents_are_embedded_and_questions_search_by_meaning(
        qapp: QApplication, make_window: Any, scripted: Any, tmp_path: Path,
        gemma_path: Path) -> None:
    client = scripted([], ["The viaduct stands 41 metres high [1]."])
    window = make_window(client)
    window.attachments.set_embedding_source(lambda: gemma_path)
    drop(window, railway_pdf(tmp_path))
    the_chip = chip(window, "viaduct.pdf")
    seen: list[str] = []
    shown = the_chip.set_embedding

    def spy_chip(done: int, total: int) -> None:
        shown(done, total)
        seen.append(the_chip.label.text())

    the_chip.set_embedding = spy_chip  # type: ignore[method-assign]
    wait_until(qapp, lambda: the_chip.status == READY and embedded(window, "viaduct.pdf") == 3,
               120, "viaduct.pdf to be embedded")
    wait_until(qapp, lambda: bool(seen), 10, "the chip to show the embedding")
    assert seen == ["viaduct.pdf — ready; learning what its passages mean: 3 of 3"]
    wait_until(qapp, lambda: the_chip.label.text() == "viaduct.pdf", 10, "the chip to settle")
    attachments = window.attachments
    assert attachments.embedding_model == gemma_path
    wait_until(qapp, lambda: attachments.documents.embeddings.ready, 60, "the embedding model")
    searches: list[list[int]] = []
    real = attachments.documents.retriever.vector_search

    def spy(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        searches.append(result[0])
        return result

    attachments.documents.retriever.vector_search = spy
    # A context too small for the whole document: its passages are searched for.
    window.bridge.info = {**window.bridge.info, "n_ctx": 1800}  # what the session reads
    ask(qapp, window, "How high is the viaduct?")
    assert searches and searches[0], "the question was searched by meaning too"
    sent = client.requests[-1]["messages"][-1]["content"]
    assert "41 metres" in sent and not ("1852" in sent and "1963" in sent)  # not whole


def test_an_embedding_model_downloaded_later_embeds_documents_already_read(
        qapp: QApplication, make_window: Any, tmp_path: Path, gemma_path: Path) -> None:
    window = make_window()
    found: list[Path | None] = [None]
    window.attachments.set_embedding_source(lambda: found[0])
    drop(window, small_pdf(tmp_path))
    wait_until(qapp, lambda: chip(window, "viaduct.pdf").status == READY, 30, "reading")
    assert embedded(window, "viaduct.pdf") == 0  # keyword search alone
    assert window.attachments.embedding_model is None
    found[0] = gemma_path  # the Models window finished a download
    window.attachments.models_changed()
    wait_until(qapp, lambda: embedded(window, "viaduct.pdf") == 3, 120, "embedding")


def test_a_broken_embedding_model_leaves_keyword_search_working(
        qapp: QApplication, make_window: Any, scripted: Any, tmp_path: Path) -> None:
    broken = tmp_path / "Qwen3-Embedding-0.6B-Q8_0.gguf"
    broken.write_bytes(b"GGUF" + bytes(range(256)) * 20)
    client = scripted([], ["41 metres [1]."])
    window = make_window(client)
    window.attachments.set_embedding_source(lambda: broken)
    drop(window, small_pdf(tmp_path))
    wait_until(qapp, lambda: chip(window, "viaduct.pdf").status == READY, 30, "reading")
    attachments = window.attachments
    wait_until(qapp, lambda: attachments.documents.embeddings is not None
               and attachments.documents.embeddings.error is not None, 60, "the load to fail")
    assert "Qwen3-Embedding-0.6B-Q8_0.gguf" in str(attachments.documents.embeddings.error)
    wait_until(qapp, lambda: chip(window, "viaduct.pdf").label.text() == "viaduct.pdf", 10,
               "the chip to settle")
    assert embedded(window, "viaduct.pdf") == 0
    ask(qapp, window, "How high is the viaduct?")
    assert "41 metres" in client.requests[-1]["messages"][-1]["content"]


def test_deleting_the_embedding_model_ends_its_worker_first(
        qapp: QApplication, make_window: Any, tmp_path: Path, gemma_path: Path) -> None:
    window = make_window()
    window.attachments.set_embedding_source(lambda: gemma_path)
    drop(window, small_pdf(tmp_path))
    attachments = window.attachments
    wait_until(qapp, lambda: attachments.documents.embeddings is not None
               and attachments.documents.embeddings.ready, 120, "the embedding model")
    client = attachments.documents.embeddings._client
    assert client is not None and client.alive
    attachments.release_model(str(tmp_path / "another.gguf"))  # not ours: nothing happens
    assert attachments.documents.embeddings is not None
    attachments.release_model(str(gemma_path))
    documents = attachments.documents
    assert documents.embeddings is None and documents.retriever.embedder is None
    assert not client.alive  # the file is no longer mapped by any process of ours
