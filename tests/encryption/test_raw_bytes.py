"""After a chat with a known sentence, an attached document, a pasted long text, a
python tool run that writes the sentence to a file, and searches, no file under Cove's
folders (data, config, cache, logs), nor any file Cove made in the temporary folder,
holds the sentence or the document's words: the databases, their write-ahead logs and
shared-memory indexes, and anything else written along the way."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from pathlib import Path

import pytest

from app.chats.store import ChatStore
from app.config import paths
from app.documents.answering import ConversationDocuments
from app.documents.pasted import PastedTexts
from app.tools import python, registry
from tests.documents.test_answering import Heard

SENTENCE = "Marigold ferries leave Quillhaven at dawn"
DOCUMENT = "Ledger of the Brackwater lighthouse keeper: oil delivered by schooner Wrenna"
PASTED = "Minutes of the Thistlewick parish council. " * 60  # a long pasted text
SECRETS = [w.encode() for w in ("Marigold", "Quillhaven", "Brackwater", "schooner",
                                "Wrenna", "ferries leave", "Thistlewick")]


def leaks(folder: Path, since: float = 0.0, besides: Path | None = None
          ) -> list[tuple[str, str]]:
    """Files under ``folder`` (changed after ``since``, not under ``besides``) holding a
    secret word."""
    found = []
    every = (Path(root, name) for root, _dirs, names in os.walk(folder) for name in names)
    for path in every:  # os.walk: other programs' folders may vanish meanwhile
        try:
            if not path.is_file() or path.is_symlink() or path.stat().st_mtime < since \
                    or (besides is not None and path.is_relative_to(besides)):
                continue
            raw = path.read_bytes()
        except OSError:  # another program's file, or gone meanwhile
            continue
        found += [(str(path.relative_to(folder)), w.decode()) for w in SECRETS
                  if w in raw or w.lower() in raw.lower()]
    return found


def test_no_file_under_cove_holds_the_words_of_a_chat_or_its_document(
        home: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    attached = tmp_path / "outside" / "ledger.txt"  # the user's own file, not Cove's
    attached.parent.mkdir()
    attached.write_text(DOCUMENT + "\n\nThe keeper's notes follow.\n", encoding="utf-8")
    started = time.time() - 1
    heard, after = Heard(), Heard()
    with ChatStore.default() as store, \
            ConversationDocuments.beside(store.db_path, key=store.key,
                                         listener=heard) as documents:
        pasted = PastedTexts(documents)
        documents.add_listener(after)  # hears each event after the pasted texts did
        conv = store.create_conversation()
        user = store.add_user_message(conv.id, SENTENCE)
        documents.attach(conv.id, [attached])
        heard.ready("ledger.txt")
        saved = pasted.save("Pasted text 1.txt", PASTED)  # as the window's "attach the text"
        documents.attach(conv.id, [saved])
        after.ready("Pasted text 1.txt")
        assert not saved.exists()  # read into documents.db: erased
        if python.supported():
            tool = registry.python_tool(conv.id)
            assert tool is not None and tool.key is not None  # sealed with the history's
            code = f"open('said.txt', 'w').write({SENTENCE!r})\nprint(open('said.txt').read())"
            result = tool.run({"code": code}, threading.Event())
            assert SENTENCE in result.text and "said.txt" in result.text, result.text
            again = registry.python_tool(conv.id)
            assert again is not None
            assert SENTENCE in again.run({"code": "print(open('said.txt').read())"},
                                         threading.Event()).text  # kept for the next call
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
        ids = [d.id for d in documents.documents(conv.id)]
        assert documents.retriever.search(ids, "Thistlewick parish council", 3)
        assert leaks(home) == []  # while open: the WAL files are there too
        assert {p.name for p in home.rglob("*")} >= {"cove.db-wal", "cove.db-shm",
                                                      "documents.db-wal"}
        data = paths.data_dir()  # the logs hold pages of what was written: not empty
        assert (data / "cove.db-wal").stat().st_size > 4096
        assert (data / "documents.db-wal").stat().st_size > 4096
        # the temporary folder: what Cove made there (not pytest's own folders, where
        # this and other tests keep their files)
        assert leaks(Path(tempfile.gettempdir()), started, tmp_path.parents[1]) == []
    assert leaks(home) == []
    assert leaks(Path(tempfile.gettempdir()), started, tmp_path.parents[1]) == []
    if python.supported():
        assert [p.name for p in paths.data_dir().glob("python/*")] == [f"{conv.id}.sealed"]
    assert os.listdir(paths.data_dir() / "pasted") == []
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not [w for w in SECRETS if w.decode() in logged]
