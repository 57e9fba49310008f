"""After a chat with a known sentence and an attached document, no file under Cove's
folders (data, config, cache, logs) holds the sentence or the document's words: the
databases, their write-ahead logs and anything else written along the way."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app.chats.store import ChatStore
from app.documents.answering import ConversationDocuments
from tests.documents.test_answering import Heard
from tests.support.memory_keyring import MemoryKeyring

SENTENCE = "Marigold ferries leave Quillhaven at dawn"
DOCUMENT = "Ledger of the Brackwater lighthouse keeper: oil delivered by schooner Wrenna"
SECRETS = [w.encode() for w in ("Marigold", "Quillhaven", "Brackwater", "schooner",
                                "Wrenna", "ferries leave")]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("COVE_HOME", str(tmp_path / "home"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield tmp_path / "home"
    keyring.set_keyring(previous)


def leaks(folder: Path) -> list[tuple[str, str]]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            found += [(str(path.relative_to(folder)), w.decode()) for w in SECRETS
                      if w in raw or w.lower() in raw.lower()]
    return found


def test_no_file_under_cove_holds_the_words_of_a_chat_or_its_document(
        home: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    attached = tmp_path / "outside" / "ledger.txt"  # the user's own file, not Cove's
    attached.parent.mkdir()
    attached.write_text(DOCUMENT + "\n\nThe keeper's notes follow.\n", encoding="utf-8")
    heard = Heard()
    with ChatStore.default() as store, \
            ConversationDocuments.beside(store.db_path, key=store.key,
                                         listener=heard) as documents:
        conv = store.create_conversation()
        user = store.add_user_message(conv.id, SENTENCE)
        documents.attach(conv.id, [attached])
        heard.ready("ledger.txt")
        writer = store.start_answer(conv.id, user.id, "gpt-oss-20b", "low")
        documents.answer_started(writer.message_id)
        prepared = documents.prepare(conv.id, writer.message_id,
                                     [{"role": "user", "content": "Who brought the oil?"}],
                                     "", 4096, 512)
        assert prepared is not None
        assert "Brackwater" in str(prepared.messages) + prepared.instructions
        writer.append(answer="The schooner Wrenna brought the oil to Brackwater.")
        answer = writer.finish("complete")
        documents.answer_finished(answer.id, answer.content)
        assert store.search("Quillhaven")
        assert leaks(home) == []  # while open: the WAL files are there too
        assert any(p.name.endswith("-wal") for p in home.rglob("*"))
    assert leaks(home) == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not [w for w in SECRETS if w.decode() in logged]
