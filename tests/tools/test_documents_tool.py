"""The documents tool with real parts: files attached and indexed by the real
documents service, searched by the tool with the model's own words, numbered on for
the answer's citations; and end to end, the scripted gpt-oss calling it in a session."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.chats.store import ChatStore
from app.documents.answering import ConversationDocuments
from app.session import events
from app.session.direct import DirectEngine
from app.session.service import AnswerOptions, Session
from app.tools import documents as documents_tool
from tests.documents.test_answering import Heard, attach
from tests.tools.conftest import ANSWER, ToolModel

CONVERSATION = 1


def sections(path: Path, count: int = 300) -> Path:
    """Notes too long to be given whole: one short section a boat."""
    path.write_text("".join(f"# Boat {n}\n\nThe boat number {n} is painted colour {n}.\n\n"
                            for n in range(1, count + 1)), encoding="utf-8")
    return path


@pytest.fixture
def heard() -> Heard:
    return Heard()


@pytest.fixture
def documents(tmp_path: Path, heard: Heard) -> Iterator[ConversationDocuments]:
    service = ConversationDocuments(tmp_path / "documents.db", listener=heard)
    yield service
    service.close()


def test_the_tool_finds_passages_and_numbers_them_for_the_answer(
        documents: ConversationDocuments, heard: Heard, tmp_path: Path) -> None:
    attach(documents, heard, CONVERSATION, sections(tmp_path / "boats.md"))
    [tool] = documents_tool.tools_for(documents, CONVERSATION, answer_id=7)
    assert tool.spec.name == "search_documents" and not tool.spec.asks_first
    first = tool.run({"query": "boat number 250"}, threading.Event())
    assert not first.is_error
    assert first.text.startswith("<documents>\n[1] boats.md") and "number 250 " in first.text
    sources = first.data["sources"]
    assert sources[0].number == 1 and "Boat 250" in sources[0].label
    # A second lookup with other words goes on numbering; a passage found again keeps
    # its number.
    second = tool.run({"query": "painted colour 17"}, threading.Event())
    numbers = [s.number for s in second.data["sources"]]
    assert min(numbers) > max(s.number for s in sources)
    again = tool.run({"query": "boat number 250"}, threading.Event())
    assert again.data["sources"][0].number == 1
    # The answer's citations know them all.
    cited = documents.answer_finished(7, f"Blue [1], and [{numbers[0]}].")
    assert cited is not None
    assert [s.number for s in cited.sources] == [1, numbers[0]]


def test_nothing_found_and_no_documents_are_said(
        documents: ConversationDocuments, heard: Heard, tmp_path: Path) -> None:
    assert documents_tool.tools_for(documents, CONVERSATION, 1) == []
    tool = documents_tool.DocumentSearch(documents, CONVERSATION, 1)
    assert tool.run({"query": "boats"}, threading.Event()).is_error
    attach(documents, heard, CONVERSATION, sections(tmp_path / "boats.md"))
    missing = tool.run({"query": "zeppelin hangar"}, threading.Event())
    assert "Nothing in the attached documents (boats.md)" in missing.text
    assert tool.run({"query": "  "}, threading.Event()).is_error


def test_the_model_searches_the_documents_itself(
        documents: ConversationDocuments, heard: Heard, tmp_path: Path,
        tool_model: ToolModel) -> None:
    from app.engine.client import EngineClient

    path = tmp_path / "harbour.md"
    path.write_text("# Harbour\n\nThe harbour opens at six ~ every morning.\n",
                    encoding="utf-8")
    model = tool_model(call=" to=functions.search_documents ", args='{"query":"harbour"}')
    client = EngineClient(log_path=tmp_path / "worker.log")
    try:
        client.load(model, n_ctx=2048, seed=1)
        with ChatStore(tmp_path / "cove.db") as store:
            conversation = store.create_conversation("").id
            attach(documents, heard, conversation, path)
            session = Session(
                store, DirectEngine(client), None,
                options=lambda: AnswerOptions(max_tokens=64),
                tools=lambda c, a: documents_tool.tools_for(documents, c, a))
            seen: list[Any] = []
            session.subscribe(seen.append)
            session.send(conversation, "When does the harbour open?")
            [call] = [e.call for e in seen if isinstance(e, events.ToolCallFinished)]
            assert (call.tool, call.status) == ("search_documents", "done")
            assert "[1] harbour.md" in call.result and "opens at six" in call.result
            assert call.shown == "[1] harbour.md, section Harbour"
            [finished] = [e for e in seen if isinstance(e, events.AnswerFinished)]
            assert finished.saved is not None and finished.saved.content == ANSWER
            kept = documents.sources(conversation, finished.answer_id)
            assert kept is not None and kept.sources[0].file == "harbour.md"
            session.close()
    finally:
        client.close()
