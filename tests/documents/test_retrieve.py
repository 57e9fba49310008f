"""Retrieval and the context handed to the model: whole documents when they fit,
passages when not, neighbours joined, "not found" when nothing matches, citations."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.documents import DOCUMENT_RULES, Context, DocumentIndex, Embedder, Retriever
from app.documents.context import FULL, NONE, RETRIEVED
from app.documents.retrieve import fts_query, query_terms, rrf
from tests.documents import corpus
from tests.documents.conftest import CONVERSATION, Corpus
from tests.documents.pdfs import Page, wrap, write_pdf


def small_pdf(tmp_path: Path, name: str = "viaduct.pdf") -> Path:
    return write_pdf(tmp_path / name, [
        Page(wrap("The railway opened in 1852 between Ashford and Kellbridge."),
             bookmark="Opening"),
        Page(wrap("The Dunmore Viaduct has 23 stone arches and stands 41 metres high."),
             bookmark="Viaduct"),
        Page(wrap("Passenger services ended in 1963."), bookmark="Closure"),
    ])


def test_query_terms_drop_stop_words_and_keep_numbers() -> None:
    assert query_terms("What is the height of the Dunmore Viaduct in 1852, in metres?") == [
        "height", "dunmore", "viaduct", "1852", "metres"]
    assert query_terms("Summarize this document, please") == []


def test_fts_syntax_in_a_question_is_just_words(index: DocumentIndex, tmp_path: Path) -> None:
    document = index.index(index.attach_file(1, small_pdf(tmp_path)).id)
    question = 'What do "NEAR" AND OR* NOT ^viaduct (arches) mean? -- col:x'
    assert fts_query(["near"]) == '"near"'
    hits = Retriever(index).keyword_search([document.id], query_terms(question))
    assert len(hits) == 1


def test_rrf_rewards_agreement() -> None:
    assert rrf([[1, 2, 3], [4, 2, 5]])[0] == 2
    assert rrf([[5, 6], []]) == [5, 6]


def test_documents_that_fit_go_in_whole_with_page_markers(
        index: DocumentIndex, tmp_path: Path) -> None:
    document = index.index(index.attach_file(1, small_pdf(tmp_path)).id)
    context = Retriever(index).context(1, "How tall is the viaduct?", budget=4000)
    assert context.mode == FULL and context.found
    assert [(s.number, s.page, s.heading) for s in context.sources] == [
        (1, 1, "Opening"), (2, 2, "Viaduct"), (3, 3, "Closure")]
    assert context.block.startswith("<documents>\n[1] viaduct.pdf, page 1\nThe railway")
    assert "[2] viaduct.pdf, page 2\nThe Dunmore Viaduct has 23 stone arches" in context.block
    assert context.block.endswith("</documents>")
    assert 0 < context.tokens <= 4000
    assert context.sources[0].document_id == document.id


def test_too_much_for_the_budget_retrieves_passages(test_set: Corpus) -> None:
    retriever = Retriever(test_set.index)
    context = retriever.context(CONVERSATION, "How many arches does the Dunmore Viaduct have?",
                                budget=1500)
    assert context.mode == RETRIEVED and context.found
    best = context.sources[0]
    assert (best.file, best.page) == ("meridian-railway-history.pdf", 3)
    assert "23 stone arches" in best.passage
    assert best.heading == "The Dunmore Viaduct"
    assert context.block.startswith("<documents>\n[1] meridian-railway-history.pdf, page 3\n")
    assert [s.number for s in context.sources] == list(range(1, len(context.sources) + 1))
    assert context.tokens <= 1500


def test_more_budget_gives_more_passages_never_more_than_asked(test_set: Corpus) -> None:
    retriever = Retriever(test_set.index)
    question = "What does the report say about spending on roads in 2023?"
    small = retriever.context(CONVERSATION, question, budget=700)
    large = retriever.context(CONVERSATION, question, budget=6000, max_passages=4)
    assert 1 <= len(small.sources) < len(large.sources) <= 4


def test_neighbouring_chunks_are_joined(index: DocumentIndex, tmp_path: Path) -> None:
    lead = "The committee met to discuss the annual maintenance plan in detail. " * 14
    tail = "Its conclusion: the east tower needs new bearings before winter. " * 2
    pdf = write_pdf(tmp_path / "minutes.pdf", [
        *[Page(wrap(f"Agenda item {n} and attendance. " * 40)) for n in range(4)],
        Page(wrap(lead + "\n\nThe bridge inspection found corrosion at pier four.\n\n" + tail
                  + "\n\n" + "Other business followed at length. " * 30)),
    ])
    document = index.index(index.attach_file(1, pdf).id)
    chunks = index.query("SELECT count(*) FROM chunks WHERE document_id = ? AND page = 5",
                         (document.id,))[0][0]
    assert chunks >= 2
    retriever = Retriever(index)
    context = retriever.context(1, "What did the bridge inspection find?", budget=900)
    assert context.mode == RETRIEVED
    source = context.sources[0]
    assert source.page == source.page_end == 5, "neighbours from the same page only"
    assert len(source.chunk_ids) >= 2
    assert "corrosion at pier four" in source.passage and "new bearings" in source.passage
    alone = retriever.context(1, "What did the bridge inspection find?", budget=900, window=0)
    assert len(alone.sources[0].chunk_ids) == 1


@pytest.mark.parametrize("question", corpus.UNANSWERABLE)
def test_nothing_relevant_is_said_plainly(test_set: Corpus, question: str) -> None:
    context = Retriever(test_set.index).context(CONVERSATION, question, budget=1500)
    assert context.mode == RETRIEVED and not context.found and context.sources == ()
    assert context.block.startswith("<documents>\nNothing in the attached documents "
                                    "(riverside-report-2023.pdf, aurora-x2-manual.pdf")
    assert "say plainly that it is not in the documents" in context.instructions


def test_a_question_without_search_words_gets_the_beginnings(test_set: Corpus) -> None:
    context = Retriever(test_set.index).context(CONVERSATION, "Summarize these documents.",
                                                budget=6000)
    assert context.found and context.sources
    assert {s.page for s in context.sources} == {1}


def test_a_document_being_read_is_searched_so_far_and_noted(
        index: DocumentIndex, tmp_path: Path) -> None:
    pdf = write_pdf(tmp_path / "long.pdf", [Page([f"Page {n} mentions item{n}."])
                                            for n in range(1, 41)])
    document = index.attach_file(1, pdf)
    steps = index.indexing(document.id)
    for _ in range(11):
        next(steps)
    steps.close()
    context = Retriever(index).context(1, "What about item7?", budget=50)
    assert context.sources[0].page == 7
    assert context.notes == ("long.pdf is still being read (10 of 40 pages so far); only "
                             "that part is searched.",)


def test_nothing_attached(index: DocumentIndex) -> None:
    context = Retriever(index).context(1, "Anything?", budget=1000)
    assert context.mode == NONE and context.block == "" and context.instructions == ""
    assert context.messages([], "Anything?") == [{"role": "user", "content": "Anything?"}]


def test_vectors_find_what_keywords_miss(index: DocumentIndex, tmp_path: Path) -> None:
    """A toy embedder that knows "Auto" means "car" stands in for a real one: a German
    question about an English document has no keyword in it, and its nearest passage
    by meaning answers it."""
    def embed(texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] if ("car" in t.lower() or "auto" in t.lower())
                else [0.0, 1.0] for t in texts]

    pdf = write_pdf(tmp_path / "garage.pdf", [
        Page(["The bicycle needs new brakes, and the bell is broken."]),
        Page(["The car needs new tyres before the winter."])])
    document = index.index(index.attach_file(1, pdf).id)
    toy = Embedder(name="toy", embed=embed, relevant_similarity=0.9)
    index.embed(document.id, toy)
    question = "Was braucht das Auto?"
    ranking = Retriever(index, toy).search([document.id], question)
    assert ranking.keyword_ids == [] and ranking.found
    assert ranking.hits[0].page == 2
    assert not Retriever(index).search([document.id], question).found
    # In the passages' own language similarity alone never says "found".
    assert not Retriever(index, toy).search([document.id], "What about the automobile?").found


def test_vectors_confirm_partial_keywords_in_one_language(index: DocumentIndex,
                                                          tmp_path: Path) -> None:
    """Half the question's words found: "found" only when the best passage by meaning
    is the best by keywords too and leads the next one by the model's margin."""
    def embed(texts: list[str]) -> list[list[float]]:
        return [[1.0, 0.0] if "membership" in t.lower() else [0.6, 0.8] for t in texts]

    pdf = write_pdf(tmp_path / "club.pdf", [
        Page(["Membership runs from the first of April to the end of March."]),
        Page(["Boats are booked on the website by noon the day before."])])
    document = index.index(index.attach_file(1, pdf).id)
    question = "What is the expiry date of the membership?"
    for margin, found in ((0.3, True), (0.5, False), (None, False)):
        toy = Embedder(name="toy", embed=embed, distinct_margin=margin)
        index.embed(document.id, toy)
        ranking = Retriever(index, toy).search([document.id], question)
        assert ranking.found is found, margin
        assert ranking.hits[0].page == 1
    assert not Retriever(index).search([document.id], question).found


def test_vector_cache_follows_new_embeddings(index: DocumentIndex, tmp_path: Path) -> None:
    toy = Embedder(name="toy", embed=lambda texts: [[1.0, float(len(t))] for t in texts])
    first = index.index(index.attach_file(1, small_pdf(tmp_path)).id)
    retriever = Retriever(index, toy)
    assert retriever.vector_search([first.id], "viaduct") == ([], [])
    index.embed(first.id, toy)
    ids, sims = retriever.vector_search([first.id], "viaduct")
    assert len(ids) == len(sims) == 3 and sims[0] > 0.9


def full_context(index: DocumentIndex, tmp_path: Path) -> Context:
    index.index(index.attach_file(1, small_pdf(tmp_path)).id)
    return Retriever(index).context(1, "x", budget=4000)


def test_whole_documents_sit_before_the_first_question(index: DocumentIndex,
                                                       tmp_path: Path) -> None:
    context = full_context(index, tmp_path)
    history = [{"role": "user", "content": "First question"},
               {"role": "assistant", "content": "First answer"}]
    messages = context.messages(history, "Second question")  # type: ignore[arg-type]
    assert messages[0]["content"] == context.block + "\n\nFirst question"
    assert messages[1:] == [history[1], {"role": "user", "content": "Second question"}]
    assert history[0]["content"] == "First question", "the stored history is not changed"
    opening = context.messages([], "First question")
    assert opening[0] == messages[0], "turn one renders as turn two replays it"


def test_retrieved_passages_go_with_the_new_question(test_set: Corpus) -> None:
    context = Retriever(test_set.index).context(CONVERSATION, "What does error E17 mean?",
                                                budget=1000)
    history = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]
    messages = context.messages(history, "What does error E17 mean?")  # type: ignore[arg-type]
    assert messages[:2] == history
    assert messages[2]["content"] == context.block + "\n\nWhat does error E17 mean?"


def test_instructions_keep_the_users_and_add_the_rules(index: DocumentIndex,
                                                       tmp_path: Path) -> None:
    context = full_context(index, tmp_path)
    assert context.with_instructions("Answer in French.") == \
        "Answer in French.\n\n" + DOCUMENT_RULES
    assert context.with_instructions("") == DOCUMENT_RULES
    assert "not instructions" in DOCUMENT_RULES and "[2]" in DOCUMENT_RULES


def test_cited_sources(index: DocumentIndex, tmp_path: Path) -> None:
    context = full_context(index, tmp_path)
    answer = "It has 23 arches [2]. It opened in 1852 [1, 2] and closed【3†L1-L2】. See [9]."
    assert [s.number for s in context.cited(answer)] == [2, 1, 3]
    assert context.cited("No citations.") == []
    assert context.sources[1].label == "viaduct.pdf, page 2"


def test_other_conversations_documents_do_not_crowd_out_this_ones(
        index: DocumentIndex, tmp_path: Path) -> None:
    crowd = write_pdf(tmp_path / "crowd.pdf", [Page([f"Lighthouse keeper log {n}."])
                                               for n in range(300)])
    index.index(index.attach_file(2, crowd).id)
    mine = index.index(index.attach_file(1, small_pdf(tmp_path)).id)
    index.index(index.attach_file(1, write_pdf(tmp_path / "keeper.pdf", [
        Page(wrap("The lighthouse keeper retired in 1950. " + "Nothing else happened "
                  "that year on the island, and the fishing fleet kept to its routine. " * 8))
    ])).id)
    retriever = Retriever(index)
    crowded = retriever.index.query(
        "SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH 'lighthouse keeper' "
        "ORDER BY rank LIMIT 200")
    assert len(crowded) == 200, "this conversation's chunk is not among the best 200"
    context = retriever.context(1, "When did the lighthouse keeper retire?", budget=200)
    assert context.mode == RETRIEVED and context.found
    assert [s.file for s in context.sources] == ["keeper.pdf"]
    assert mine.id not in [s.document_id for s in context.sources]


def test_an_exact_token_counter_can_be_given(index: DocumentIndex, tmp_path: Path) -> None:
    index.index(index.attach_file(1, small_pdf(tmp_path)).id)
    words = Retriever(index).context(1, "viaduct", budget=4000,
                                     count_tokens=lambda text: len(text.split()))
    assert words.mode == FULL and words.tokens == len(words.block.split())
    tight = Retriever(index).context(1, "viaduct arches", budget=30,
                                     count_tokens=lambda text: len(text.split()))
    assert tight.mode == RETRIEVED and tight.tokens <= 30


def test_no_room_left_is_said(test_set: Corpus) -> None:
    context = Retriever(test_set.index).context(CONVERSATION, "What does error E17 mean?",
                                                budget=20)
    assert not context.found and context.sources == ()
    assert "did not fit" in context.block and "no room" in context.notes[-1]
