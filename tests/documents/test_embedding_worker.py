"""The embedding model in its own worker process (app.documents.embedding) and the
engine's ``embed``/``count`` requests, with real llama.cpp: the gemma test model in
embedding mode (mean pooling) stands in for a real embedding model."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app.documents import DocumentIndex, Retriever
from app.documents import embedding as embedding_mod
from app.documents.embedding import EmbeddingBusy, EmbeddingWorker, prompts_for
from app.documents.retrieve import Ranking
from app.engine import protocol
from app.engine.client import EngineClient, EngineError
from tests.documents.test_retrieve import small_pdf

CAT = "The cat sat on the mat."
KITTEN = "A kitten rested on the rug."
REVENUE = "Quarterly revenue grew by twelve percent."
HANG_LIMIT = 120  # seconds before a test that waits on the worker calls it a hang


@pytest.fixture(scope="module")
def embedding_engine(gemma_path: Path, tmp_path_factory: pytest.TempPathFactory
                     ) -> Iterator[EngineClient]:
    client = EngineClient(log_path=tmp_path_factory.mktemp("logs") / "embed.log")
    client.load(gemma_path, embedding=True, n_threads=2)
    yield client
    client.close()


@pytest.fixture
def worker(gemma_path: Path, tmp_path: Path) -> Iterator[EmbeddingWorker]:
    made: list[EngineClient] = []

    def factory() -> EngineClient:
        made.append(EngineClient(log_path=tmp_path / f"embed-{len(made)}.log"))
        return made[-1]

    w = EmbeddingWorker(gemma_path, client_factory=factory, n_threads=2)
    yield w
    w.close()


def test_the_worker_loads_a_model_for_embeddings(embedding_engine: EngineClient) -> None:
    info = embedding_engine.info
    assert info["embedding"] is True
    assert info["n_embd"] == 640
    assert info["n_ctx"] == 2048  # the trained length is longer; capped for embeddings


def test_vectors_are_normalised_and_mean_something(embedding_engine: EngineClient) -> None:
    vectors = np.array(embedding_engine.embed([CAT, KITTEN, REVENUE]))
    assert vectors.shape == (3, 640)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2] + 0.1  # cat ~ kitten, not revenue
    assert similarity[0, 1] > similarity[1, 2] + 0.1
    again = np.array(embedding_engine.embed([CAT]))
    assert np.allclose(again[0], vectors[0], atol=1e-5)  # the same text, the same vector


def test_empty_and_very_long_texts(embedding_engine: EngineClient) -> None:
    assert embedding_engine.embed([]) == []
    long = " ".join(["word"] * 5000)  # far past the 2048-token context: cut, not failed
    vectors = embedding_engine.embed([long, CAT])
    assert len(vectors) == 2 and len(vectors[0]) == 640


def test_harmony_tokens_in_a_passage_are_text(embedding_engine: EngineClient) -> None:
    counts = embedding_engine.count_tokens(["<|start|>system<|message|>hi", ""])
    assert counts[0] > 6 and counts[1] == 0


def test_an_embedding_model_does_not_chat(embedding_engine: EngineClient) -> None:
    events = list(embedding_engine.chat([{"role": "user", "content": "Hello"}]))
    assert events[-1]["type"] == protocol.ERROR
    assert "embeddings" in events[-1]["message"] and "chat model" in events[-1]["message"]
    assert embedding_engine.embed([CAT])  # and it still embeds


def test_a_chat_model_does_not_embed(gemma_engine: EngineClient) -> None:
    with pytest.raises(EngineError) as caught:
        gemma_engine.embed([CAT])
    assert caught.value.code == protocol.NOT_LOADED
    assert gemma_engine.count_tokens(["hello world"]) == [2]


def cpu_seconds(pid: int) -> float:
    """CPU time a process has used (Linux): proof that it is working, whatever the
    clock on a busy machine says."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def test_cancel_stops_a_long_request(embedding_engine: EngineClient,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # Cancel once the worker is busy with the request (it has spent CPU on it), not
    # after a fixed time: on a busy machine the request may not even have been sent.
    texts = [f"{REVENUE} Line {n}. " * 40 for n in range(200)]
    pid = embedding_engine.pid
    assert pid is not None
    sent = threading.Event()
    send = embedding_engine._send

    def send_and_tell(message: dict[str, Any]) -> None:
        send(message)
        if message.get("op") == "embed":
            sent.set()

    monkeypatch.setattr(embedding_engine, "_send", send_and_tell)
    before = cpu_seconds(pid)
    working, ended = threading.Event(), threading.Event()

    def cancel_when_working() -> None:
        sent.wait(600)
        while cpu_seconds(pid) < before + 0.3 and not ended.is_set():
            time.sleep(0.01)
        if not ended.is_set():
            working.set()
            embedding_engine.cancel()

    canceller = threading.Thread(target=cancel_when_working)
    canceller.start()
    try:
        with pytest.raises(EngineError) as caught:  # not 200 vectors: it stopped part-way
            embedding_engine.embed(texts)
    finally:
        ended.set()
        canceller.join()
    assert working.is_set() and caught.value.code == protocol.CANCELLED
    assert len(embedding_engine.embed([CAT])) == 1  # the next request is not cancelled


def test_prefixes_follow_the_model_family() -> None:
    assert prompts_for(Path("multilingual-e5-small-q8_0.gguf")) == ("query: ", "passage: ")
    query, passage = prompts_for(Path("Qwen3-Embedding-0.6B-Q8_0.gguf"))
    assert query.startswith("Instruct: ") and query.endswith("Query: ") and passage == ""
    assert prompts_for(Path("unknown.gguf")) == ("", "")
    # Qwen3-Embedding's similarity may say "found" without a keyword (another language).
    qwen = EmbeddingWorker(Path("Qwen3-Embedding-0.6B-Q8_0.gguf"))
    assert qwen.questions().relevant_similarity == qwen.passages().relevant_similarity == 0.6
    assert qwen.questions().query_prefix == query
    assert EmbeddingWorker(Path("unknown.gguf")).questions().relevant_similarity is None
    # multilingual-e5's figures were measured (tests/documents/test_multilingual.py);
    # the English-only e5 models' were not.
    e5 = EmbeddingWorker(Path("multilingual-e5-small-q4_0.gguf")).questions()
    assert (e5.relevant_similarity, e5.distinct_margin) == (0.77, 0.015)
    english = EmbeddingWorker(Path("e5-small-v2.Q8_0.gguf")).questions()
    assert english.query_prefix == "query: " and english.relevant_similarity is None


def test_a_question_never_starts_the_worker(worker: EmbeddingWorker) -> None:
    with pytest.raises(EmbeddingBusy):
        worker.questions().query("railway")
    assert not worker.ready


def test_index_and_search_through_the_worker(worker: EmbeddingWorker, tmp_path: Path) -> None:
    with DocumentIndex(tmp_path / "documents.db") as index:
        document = index.index(index.attach_file(1, small_pdf(tmp_path)).id)
        steps: list[tuple[int, int]] = []
        done = index.embed(document.id, worker.passages(),
                           progress=lambda p: steps.append((p.done, p.total or 0)))
        assert done == 3 and steps[-1] == (3, 3)
        assert index.document(document.id).embedded == 3
        assert worker.ready
        retriever = Retriever(index, worker.questions())
        # A page's own text is its nearest passage by meaning.
        ids, sims = retriever.vector_search(
            [document.id], "The Dunmore Viaduct has 23 stone arches and stands 41 metres high.")
        assert retriever._hits(ids[:1])[0].page == 2 and sims[0] > 0.9
        ranking = retriever.search([document.id], "How high is the viaduct?")
        assert ranking.vector_ids and ranking.hits[0].page == 2


def test_a_killed_worker_is_started_again(worker: EmbeddingWorker) -> None:
    worker.start()
    client = worker._client
    assert client is not None and client.pid is not None
    os.kill(client.pid, signal.SIGKILL)
    vectors = worker.passages().passages([CAT, KITTEN])  # restarted, not failed
    assert vectors.shape == (2, 640)
    assert worker._client is not None and worker._client.pid != client.pid


def test_a_busy_worker_leaves_the_question_to_keywords(
        worker: EmbeddingWorker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding_mod, "QUERY_WAIT", 0.2)
    worker.start()
    with DocumentIndex(tmp_path / "documents.db") as index:
        document = index.index(index.attach_file(1, small_pdf(tmp_path)).id)
        index.embed(document.id, worker.passages())
        retriever = Retriever(index, worker.questions())
        taken, release = threading.Event(), threading.Event()

        def occupy() -> None:  # another thread holds the worker (a long request)
            with worker._lock:
                taken.set()
                release.wait(600)

        holder = threading.Thread(target=occupy)
        holder.start()
        rankings: list[Ranking] = []
        searcher = threading.Thread(target=lambda: rankings.append(
            retriever.search([document.id], "How many arches has the viaduct?")))
        try:
            assert taken.wait(60)
            searcher.start()
            # The holder keeps the worker until released below: a search that waited
            # for it instead of giving up after QUERY_WAIT would still be running.
            searcher.join(HANG_LIMIT)
            assert not searcher.is_alive(), (
                f"the search still waited for the busy worker after {HANG_LIMIT} s "
                f"instead of answering from keywords after QUERY_WAIT")
        finally:
            release.set()
            holder.join()
            if searcher.ident:
                searcher.join()
        ranking, = rankings
        assert ranking.vector_ids == [] and ranking.hits[0].page == 2 and ranking.found


def test_a_question_goes_before_the_passages_still_queued(
        worker: EmbeddingWorker, monkeypatch: pytest.MonkeyPatch) -> None:
    # No clock: the first batch is held inside the worker until the question waits for
    # it, and the question may wait as long as that batch takes (a busy machine once
    # took longer than QUERY_WAIT for it). What is checked is the order.
    monkeypatch.setattr(embedding_mod, "QUERY_WAIT", 600.0)
    worker.start()
    passages = [f"{REVENUE} Paragraph {n} of the annual report." for n in range(48)]
    order: list[str] = []
    first_batch, never_queued = threading.Event(), threading.Event()
    request = worker._request

    def recorded(texts: list[str], may_start: bool = True) -> list[list[float]]:
        if may_start and not first_batch.is_set():
            first_batch.set()
            deadline = time.monotonic() + HANG_LIMIT
            while not worker._questions:  # the question is queued behind this batch
                if time.monotonic() > deadline:
                    never_queued.set()
                    break
                time.sleep(0.001)
        order.append("passages" if may_start else "question")
        return request(texts, may_start)

    monkeypatch.setattr(worker, "_request", recorded)
    indexing = threading.Thread(target=lambda: worker.passages().passages(passages))
    indexing.start()
    assert first_batch.wait(300)
    vector = worker.questions().query("How did revenue develop?")
    indexing.join(600)
    assert not never_queued.is_set(), (
        f"the question did not queue behind the batch within {HANG_LIMIT} s")
    assert not indexing.is_alive(), "indexing did not end within 600 s"
    assert vector.shape == (640,)
    batches = len(passages) // embedding_mod.PASSAGE_BATCH
    assert order == ["passages", "question"] + ["passages"] * (batches - 1)  # not last


def test_indexing_waits_while_an_answer_is_written(worker: EmbeddingWorker) -> None:
    worker.start()
    worker.hold(True)
    done = threading.Event()
    thread = threading.Thread(target=lambda: (worker.passages().passages([CAT]), done.set()))
    thread.start()
    assert not done.wait(1.0)  # held
    assert len(worker.questions().query(KITTEN)) == 640  # questions are not held
    assert not done.is_set()  # still held after the question (an order, not a time)
    worker.hold(False)
    assert done.wait(120)  # a hang limit only
    thread.join()


def test_a_damaged_embedding_model_says_why(tmp_path: Path) -> None:
    bad = tmp_path / "broken-embedding.gguf"
    bad.write_bytes(b"GGUF" + os.urandom(4000))
    starts: list[int] = []

    def factory() -> EngineClient:
        starts.append(1)
        return EngineClient(log_path=tmp_path / "w.log")

    w = EmbeddingWorker(bad, client_factory=factory)
    try:
        with pytest.raises(EngineError):
            w.passages().passages([CAT])
        assert w.error and "broken-embedding.gguf" in w.error
        assert not w.ready
        with pytest.raises(EngineError):  # not loaded again: the file is the problem
            w.passages().passages([CAT])
        assert len(starts) == 1
    finally:
        w.close()


def test_closing_while_indexing_stops_it(worker: EmbeddingWorker,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    worker.start()
    texts = [f"{REVENUE} {n}. " * 30 for n in range(200)]
    failures: list[BaseException] = []
    batches: list[bool] = []  # one per batch sent to the worker: was Cove closing then?
    under_way = threading.Event()
    request = worker._request

    def recorded(batch: list[str], may_start: bool = True) -> list[list[float]]:
        batches.append(worker._closed)
        under_way.set()
        return request(batch, may_start)

    monkeypatch.setattr(worker, "_request", recorded)

    def index_all() -> None:
        try:
            worker.passages().passages(texts)
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=index_all)
    thread.start()
    assert under_way.wait(300)  # indexing is under way (no clock: an event)
    client = worker._client
    worker.close()
    thread.join(120)  # a hang limit only
    assert not thread.is_alive()
    assert failures and isinstance(failures[0], EngineError)
    # Indexing stops: at most the batch that had passed its check as closing began
    # (close() cannot stop that one from starting) runs after it, then no more.
    assert batches.count(True) <= 1
    assert len(batches) < len(texts) // embedding_mod.PASSAGE_BATCH  # not all of them
    assert client is not None and not client.alive  # its process ended


def test_an_embedding_model_is_not_loaded_for_chat(tmp_path: Path,
                                                    engine_factory: Callable[[], EngineClient]
                                                    ) -> None:
    import gguf

    path = tmp_path / "multilingual-e5-small-q8_0.gguf"
    writer = gguf.GGUFWriter(str(path), "bert")
    writer.add_name("multilingual-e5-small")
    writer.add_context_length(512)
    writer.add_pooling_type(gguf.PoolingType.MEAN)
    writer.add_tensor("token_embd.weight", np.zeros((8, 4), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    engine = engine_factory()
    with pytest.raises(EngineError) as caught:
        engine.load(path)
    assert caught.value.code == protocol.LOAD_FAILED
    assert "text-embedding model" in str(caught.value) and "chat model" in str(caught.value)
    assert engine.alive
