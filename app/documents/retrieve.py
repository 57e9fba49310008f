"""Finding what the model should read to answer a question about attached documents.

If everything attached fits the room the caller has for it, the model reads it whole
(with a numbered marker per page): nothing retrieved can beat the whole text. When it
does not fit, chunks are found by FTS5 keyword search (always there, no model needed)
and, when an embedding model is available, by vector similarity; the two rankings are
merged by reciprocal rank fusion, and each hit is joined with its neighbouring chunks
so a fact that straddles a chunk boundary (or a page break) arrives whole.

Whether anything relevant was found is judged on keywords: the best passages must
contain most of the question's weight of rare words (IDF-weighted). A question about
something the documents never mention therefore gets "not found" instead of the least
bad passages, which a model would otherwise dress up as an answer. The question's
words are those left when its language's function words are gone (see
:mod:`app.documents.languages`): "Wie viel … braucht", "Unter welcher … wurden" are
scaffolding in German as "How much … does … need" is in English, and a passage that
answers need not contain them. Outside English, words also match by their
uninflected part, since the index stems English only.

An embedding model adds to that judgement where keywords fall short: a question in
another language than the passages (an English question about a German manual) is
answered when the nearest passage is similar enough, and a same-language question
whose keywords were only partly found is answered when the best passage by meaning is
also the best by keywords and clearly leads the rest ("date de fin de l'adhésion"
for "L'adhésion court … au 31 mars"). Similarity alone never decides within one
language: there, questions about the documents' subject that they do not answer score
as high as those they answer.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.documents import context as ctx
from app.documents import languages
from app.documents.chunking import estimate_tokens
from app.documents.context import Context, Source
from app.documents.index import INDEXING, PENDING, READY, Document, DocumentIndex
from app.documents.vectors import Embedder, from_blobs

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import numpy as np

    from app.documents.vectors import Matrix

RRF_K = 60
CANDIDATES = 50
MIN_COVERAGE = 0.4
MAX_TERMS = 24
NO_ROOM = ("The conversation leaves no room for passages from the documents; start a new "
           "conversation to ask about them.")

STOPWORDS = languages.ALL_STOPWORDS


def query_terms(question: str) -> list[str]:
    """The question's searchable words: lower-cased, without its language's function
    words, each once."""
    terms: list[str] = []
    for word in languages.content_words(question):
        if (len(word) > 1 or word.isdigit()) and word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def term_query(term: str, inflect: bool = False) -> str:
    """An FTS5 expression for one term: the word as the index stems it, and with
    ``inflect`` also any word that starts with its uninflected part (the index stems
    English only, so "Lizenz" must find "Lizenzen" this way; for English the index's
    own stemmer is better: "arch" would find "archive"). Quoted, so no word can act as
    FTS5 syntax."""
    quoted = '"' + term.replace('"', '""') + '"'
    if not inflect or len(term) <= languages.MIN_STEM or any(c.isdigit() for c in term):
        return quoted
    return f'{quoted} OR "{languages.stem(term).replace(chr(34), chr(34) * 2)}"*'


def fts_query(terms: Sequence[str], inflect: bool = False) -> str:
    """An FTS5 OR-query of :func:`term_query` for each term."""
    return " OR ".join(term_query(t, inflect) for t in terms)


def inflects(question: str) -> bool:
    """Whether the question's words are matched by their uninflected part too: for
    any language but English (which the index stems) or none told."""
    return languages.language(languages.words(question)) not in (None, "en")


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[int]:
    """Reciprocal rank fusion: each list adds 1/(k + rank) per item (Cormack et al.,
    2009). Robust to the two scores' scales being incomparable, which BM25 and cosine
    similarity are."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda item: -scores[item])


@dataclass(frozen=True)
class Hit:
    chunk_id: int
    document_id: int
    seq: int
    unit: int
    page: int | None
    heading: str


@dataclass(frozen=True)
class Ranking:
    """A search's ranked chunks, and whether any of them is relevant."""

    hits: list[Hit]
    found: bool
    keyword_ids: list[int]
    vector_ids: list[int]


class Retriever:
    """Searches a :class:`DocumentIndex`; keeps each document's vectors in memory so a
    question costs one matrix product, not a reload of every BLOB."""

    def __init__(self, index: DocumentIndex, embedder: Embedder | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self._matrices: dict[int, tuple[tuple[object, ...], np.ndarray, Matrix]] = {}

    # -- search ------------------------------------------------------------------------
    def search(self, document_ids: Sequence[int], question: str, k: int = 10,
               use_vectors: bool = True) -> Ranking:
        """The ``k`` best chunks of these documents for ``question``."""
        terms, inflect = query_terms(question), inflects(question)
        counts = self._document_frequencies(terms, inflect)
        keyword = self.keyword_search(document_ids, self._telling(counts),
                                      inflect=inflect) if terms else []
        vector: list[int] = []
        sims: list[float] = []
        if use_vectors and self.embedder is not None:
            try:
                vector, sims = self.vector_search(document_ids, question)
            except Exception as exc:  # the embedding worker is busy, stopped or broken
                log.info("searching by keywords only: %s", exc)
        covered = bool(keyword) and self._coverage(counts, keyword[:10], inflect) >= MIN_COVERAGE
        threshold = self.embedder.relevant_similarity if self.embedder else None
        if (vector and threshold is not None and not covered
                and self._other_language(question, vector[:3])):
            # Keywords match only the few words two languages share (names, numbers):
            # a model that knows both languages orders and judges alone.
            fused, found = vector[:k], sims[0] >= threshold
        else:
            fused = rrf([keyword, vector])[:k] if vector else keyword[:k]
            found = covered or self._distinct(keyword, vector, sims)
        return Ranking(self._hits(fused), found, keyword, vector)

    def _telling(self, counts: dict[str, int]) -> list[str]:
        """The terms worth searching for: those in fewer than half of all chunks.

        BM25 gives a term in half the collection or more no weight (FTS5 clamps its IDF
        to nearly zero), yet ranking every chunk that contains it costs the most: a word
        on every page of a report ("Riverside" in Riverside's report) decides nothing.
        When every term found is that common, the rarest one is kept.
        """
        half = self._chunk_count() / 2
        telling = [t for t, df in counts.items() if 0 < df < half]
        if not telling and any(counts.values()):
            telling = [min((t for t, df in counts.items() if df), key=lambda t: counts[t])]
        return telling

    def _document_frequencies(self, terms: Sequence[str], inflect: bool = False
                              ) -> dict[str, int]:
        """How many chunks contain each term (stemmed as the index stems it)."""
        return {term: self.index.query(
            "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?",
            (fts_query([term], inflect),))[0][0] for term in terms}

    def keyword_search(self, document_ids: Sequence[int], terms: Sequence[str],
                       limit: int = CANDIDATES, inflect: bool = False) -> list[int]:
        """Chunk ids by BM25 (a heading match counts half as much as one in the text).

        FTS5 ranks its own matches fastest on its own (``ORDER BY rank``), so the best
        few hundred are taken from every document and then narrowed to these
        documents; only when other documents crowd them out is the slower join used.
        """
        if not document_ids or not terms:
            return []
        query, fetch = fts_query(terms, inflect), limit * 4
        ranked = [r[0] for r in self.index.query(
            "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?",
            (query, fetch))]
        if not ranked:
            return []
        docs = ",".join("?" * len(document_ids))
        keep = {r[0] for r in self.index.query(
            f"SELECT id FROM chunks WHERE id IN ({','.join('?' * len(ranked))}) "
            f"AND document_id IN ({docs})", (*ranked, *document_ids))}
        mine = [chunk for chunk in ranked if chunk in keep]
        if len(mine) >= limit or len(ranked) < fetch:
            return mine[:limit]
        rows = self.index.query(
            "SELECT f.rowid FROM chunks_fts f JOIN chunks c ON c.id = f.rowid "
            f"WHERE chunks_fts MATCH ? AND c.document_id IN ({docs}) ORDER BY f.rank LIMIT ?",
            (query, *document_ids, limit))
        return [row[0] for row in rows]

    def vector_search(self, document_ids: Sequence[int], question: str,
                      limit: int = CANDIDATES) -> tuple[list[int], list[float]]:
        """Chunk ids by cosine similarity to the question, and their similarities.

        Scored with einsum, which runs on this thread alone: BLAS's threads would spin
        against the model worker for the same cores and take ten times longer.
        """
        import numpy as np  # only with an embedder (see vectors.py)

        assert self.embedder is not None
        query = self.embedder.query(question)
        ids: list[np.ndarray] = []
        sims: list[np.ndarray] = []
        for document_id in document_ids:
            chunk_ids, matrix = self._matrix(document_id)
            if len(chunk_ids) and matrix.shape[1] == query.shape[0]:
                ids.append(chunk_ids)
                sims.append(np.einsum("ij,j->i", matrix, query))
        if not ids:
            return [], []
        all_ids, all_sims = np.concatenate(ids), np.concatenate(sims)
        top = np.argsort(-all_sims)[:limit] if len(all_sims) <= limit else \
            np.argpartition(-all_sims, limit)[:limit]
        top = top[np.argsort(-all_sims[top])]
        return [int(i) for i in all_ids[top]], [float(s) for s in all_sims[top]]

    def _distinct(self, keyword: Sequence[int], vector: Sequence[int],
                  sims: Sequence[float]) -> bool:
        """Whether the model confirms a same-language question whose keywords were only
        partly found: its best passage by meaning is the best by keywords too and leads
        the next passage by the model's margin. (Similarity alone never decides in one
        language: a question the passages answer and one merely about their subject
        score alike; measured with multilingual-e5-small, see ``embedding.PROMPTS``.)"""
        margin = self.embedder.distinct_margin if self.embedder else None
        return (margin is not None and bool(keyword) and bool(vector)
                and keyword[0] == vector[0] and len(sims) > 1 and sims[0] - sims[1] >= margin)

    def _other_language(self, question: str, chunk_ids: Sequence[int]) -> bool:
        """Whether the question is told to be in another language than these chunks."""
        asked = languages.language(languages.words(question))
        if asked is None or not chunk_ids:
            return False
        rows = self.index.query(
            f"SELECT text FROM chunks WHERE id IN ({','.join('?' * len(chunk_ids))})",
            tuple(chunk_ids))
        written = languages.language(languages.words(" ".join(r[0] for r in rows)))
        return written is not None and written != asked

    def _matrix(self, document_id: int) -> tuple[np.ndarray, Matrix]:
        import numpy as np

        assert self.embedder is not None
        row = self.index.query("SELECT sha256, units_done, embedded FROM documents "
                               "WHERE id = ?", (document_id,))
        version = tuple(row[0]) if row else ()  # an id can be reused by a new document
        cached = self._matrices.get(document_id)
        if cached is not None and cached[0] == version:
            return cached[1], cached[2]
        rows = self.index.query(
            "SELECT e.chunk_id, e.vector FROM embeddings e JOIN chunks c ON c.id = e.chunk_id "
            "WHERE c.document_id = ? AND e.model = ? ORDER BY c.seq",
            (document_id, self.embedder.name))
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        matrix = from_blobs([r[1] for r in rows])
        self._matrices[document_id] = (version, ids, matrix)
        return ids, matrix

    def _coverage(self, counts: dict[str, int], candidates: Sequence[int],
                  inflect: bool = False) -> float:
        """The largest IDF-weighted share of the question's terms that one candidate
        contains. Terms the documents never use weigh the most, so "capital of
        Mongolia" against a finance report (which has "capital") is not a match."""
        total = self._chunk_count()
        marks = ",".join("?" * len(candidates))
        weights = {t: math.log(1 + (total - df + 0.5) / (df + 0.5)) for t, df in counts.items()}
        present: dict[int, set[str]] = {c: set() for c in candidates}
        for term, df in counts.items():
            if not df:
                continue
            for row in self.index.query(
                    "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid IN "
                    f"({marks})", (fts_query([term], inflect), *candidates)):
                present[row[0]].add(term)
        whole = sum(weights.values()) or 1.0
        return max(sum(weights[t] for t in found) / whole for found in present.values())

    def _chunk_count(self) -> int:
        return int(self.index.query("SELECT count(*) FROM chunks")[0][0]) or 1

    def _hits(self, chunk_ids: Sequence[int]) -> list[Hit]:
        if not chunk_ids:
            return []
        marks = ",".join("?" * len(chunk_ids))
        rows = self.index.query(
            f"SELECT id, document_id, seq, unit, page, heading FROM chunks WHERE id IN ({marks})",
            tuple(chunk_ids))
        by_id = {r[0]: Hit(*r) for r in rows}
        return [by_id[c] for c in chunk_ids if c in by_id]

    # -- context -----------------------------------------------------------------------
    def context(
        self,
        conversation_id: int,
        question: str,
        budget: int,
        count_tokens: Callable[[str], int] = estimate_tokens,
        max_passages: int = 6,
        window: int = 1,
    ) -> Context:
        """What to give the model about this conversation's documents.

        ``budget`` is the tokens the documents may take: the context size less the
        instructions, the history, the question and room for the answer (and its
        reasoning). Whole documents when they fit, else the best passages that fit.
        """
        documents = self.index.documents(conversation_id)
        usable = [d for d in documents if d.status == READY
                  or (d.status == INDEXING and d.units_done > 0)]
        notes = tuple(_note(d) for d in documents if d.status in (PENDING, INDEXING))
        if not usable:
            return Context(ctx.NONE, "", (), False, 0, notes)
        whole = self._whole(usable, budget, count_tokens)
        if whole is not None:
            return Context(ctx.FULL, whole[0], whole[1], True, whole[2], notes)
        return self._retrieved(usable, question, budget, count_tokens, max_passages,
                               window, notes)

    def _whole(self, documents: Sequence[Document], budget: int,
               count_tokens: Callable[[str], int]) -> tuple[str, tuple[Source, ...], int] | None:
        """Every document whole, a numbered source per page or section, if it fits."""
        rough = sum(d.tokens for d in documents) + 12 * sum(d.units_done for d in documents)
        if rough > budget * 1.2:
            return None
        sources: list[Source] = []
        for document in documents:
            for unit, chunk_ids in self.index.unit_texts(document.id):
                if unit.text.strip():
                    sources.append(Source(
                        len(sources) + 1, document.id, document.name, document.path,
                        unit.page, unit.page, unit.heading, unit.line, unit.text.strip(),
                        tuple(chunk_ids), 0))
        block = ctx.render_block(sources)
        if count_tokens is estimate_tokens:  # what was counted when indexing, plus markers
            tokens = sum(d.tokens for d in documents) + estimate_tokens(
                "\n".join(f"[{s.number}] {s.label}" for s in sources)) + 4
        else:
            tokens = count_tokens(block)
        return (block, tuple(sources), tokens) if tokens <= budget else None

    def _retrieved(self, documents: Sequence[Document], question: str, budget: int,
                   count_tokens: Callable[[str], int], max_passages: int, window: int,
                   notes: tuple[str, ...]) -> Context:
        ids = [d.id for d in documents]
        by_id = {d.id: d for d in documents}
        if not query_terms(question):
            spans = self._openings(ids, max_passages)  # "summarise this": the beginnings
            found = True
        else:
            ranking = self.search(ids, question, k=max_passages * 2)
            found = ranking.found
            spans = _spans(ranking.hits, window, max_passages) if found else []
        if not found:
            block = ctx.render_not_found([d.name for d in documents])
            return Context(ctx.RETRIEVED, block, (), False, count_tokens(block), notes)
        sources, tokens = self._fit(spans, by_id, budget, count_tokens)
        if not sources:
            notes = (*notes, NO_ROOM)
            block = ctx.render_no_room()
            return Context(ctx.RETRIEVED, block, (), False, count_tokens(block), notes)
        return Context(ctx.RETRIEVED, ctx.render_block(sources), tuple(sources), True, tokens,
                       notes)

    def _openings(self, document_ids: Sequence[int], count: int) -> list[_Span]:
        """The first chunks of each document, taken in turn."""
        spans: list[_Span] = []
        per_document = max(1, count // max(1, len(document_ids)))
        for document_id in document_ids:
            rows = self.index.query(
                "SELECT seq, unit FROM chunks WHERE document_id = ? ORDER BY seq LIMIT ?",
                (document_id, per_document))
            if rows:
                spans.append(_Span(document_id, rows[0][0], rows[-1][0], {r[1] for r in rows},
                                   rows[0][0]))
        return spans

    def _fit(self, spans: Sequence[_Span], documents: dict[int, Document], budget: int,
             count_tokens: Callable[[str], int]) -> tuple[list[Source], int]:
        """Passages in rank order, each one that still fits the budget (a passage too
        long for what is left shrinks to its best chunk).

        Sizes add up per passage (with the default estimate, from the counts stored at
        indexing), so fitting costs no recounting of the growing block.
        """
        sources: list[Source] = []
        used = count_tokens(ctx.render_block([]))
        for span in spans:
            for low, high in ((span.low, span.high), (span.best, span.best)):
                found = self._source(span, low, high, documents, len(sources) + 1)
                if found is None:
                    continue
                source, stored = found
                size = count_tokens(ctx.render_header(source)) + (
                    stored if count_tokens is estimate_tokens
                    else count_tokens(source.passage))
                if used + size <= budget:
                    sources.append(source)
                    used += size
                    break
        return sources, used

    def _source(self, span: _Span, low: int, high: int, documents: dict[int, Document],
                number: int) -> tuple[Source, int] | None:
        """The passage of chunks ``low``..``high`` in the span's units, and its size as
        counted when it was indexed."""
        rows = [r for r in self.index.query(
            "SELECT id, unit, page, heading, line, start, tokens, text FROM chunks "
            "WHERE document_id = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            (span.document_id, low, high)) if r["unit"] in span.units]
        if not rows:
            return None
        document = documents[span.document_id]
        source = Source(
            number, document.id, document.name, document.path, rows[0]["page"],
            rows[-1]["page"], rows[0]["heading"], rows[0]["line"],
            "".join(r["text"] for r in rows).strip(), tuple(r["id"] for r in rows),
            rows[0]["start"])
        return source, sum(r["tokens"] for r in rows)


@dataclass
class _Span:
    """Chunks ``low``..``high`` of a document, limited to the units its hits are in."""

    document_id: int
    low: int
    high: int
    units: set[int]
    best: int  # the seq of its best hit: the passage when the whole span won't fit


def _spans(hits: Sequence[Hit], window: int, limit: int) -> list[_Span]:
    """Hits widened by ``window`` neighbours on their own page, hits that touch joined
    into one passage (across a page break too), in the order of each one's best hit.

    Passages never overlap, and one stays short (at most ``2 * window + 3`` chunks), so
    a run of adjacent hits cannot swallow the whole budget.
    """
    longest = 2 * window + 3
    spans: list[_Span] = []
    for hit in hits:
        mine = [s for s in spans if s.document_id == hit.document_id]
        covering = next((s for s in mine if s.low <= hit.seq <= s.high), None)
        if covering is not None:
            covering.units.add(hit.unit)
            continue
        low, high = max(0, hit.seq - window), hit.seq + window
        for span in mine:
            if span.high < hit.seq:
                low = max(low, span.high + 1)
            else:
                high = min(high, span.low - 1)
        touching = next((s for s in mine if s.high + 1 == low or s.low - 1 == high), None)
        if touching is not None and \
                max(touching.high, high) - min(touching.low, low) < longest:
            touching.low, touching.high = min(touching.low, low), max(touching.high, high)
            touching.units.add(hit.unit)
        elif len(spans) < limit:
            spans.append(_Span(hit.document_id, low, high, {hit.unit}, hit.seq))
    return spans


def _note(document: Document) -> str:
    if document.units_done and document.units_total:
        return (f"{document.name} is still being read ({document.units_done} of "
                f"{document.units_total} {document.unit_name}s so far); only that part "
                "is searched.")
    return f"{document.name} is still being read and isn't searched yet."
