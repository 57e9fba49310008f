"""Pasted texts (app.documents.pasted): the plain file lives only until its document
is read into the encrypted documents database; one not read yet, or whose document
could not be made, is kept (it is the text's only copy)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.config.sqlcipher import Key
from app.documents import pasted
from app.documents.answering import ConversationDocuments
from app.documents.index import READY, DocumentIndex

TEXT = "Minutes of the Thistlewick parish council. " * 60


def test_sweep_erases_what_is_read_and_keeps_what_is_not(tmp_path: Path) -> None:
    folder = tmp_path / "pasted"
    folder.mkdir()
    read, waiting, orphan = (folder / f"Pasted text {n}.txt" for n in (1, 2, 3))
    for n, path in enumerate((read, waiting, orphan)):
        path.write_text(f"{n} {TEXT}", encoding="utf-8")
    size = read.stat().st_size
    witness = tmp_path / "witness"  # a second name for the read text's bytes
    os.link(read, witness)
    with DocumentIndex(tmp_path / "documents.db", key=Key.random()) as index:
        done = index.add(read)
        assert index.index(done.id).status == READY
        index.add(waiting)  # attached, its reading cut off by a crash
        pasted.sweep(folder, index)
    assert not read.exists() and witness.read_bytes() == bytes(size)  # zeroed, removed
    assert waiting.exists() and orphan.exists()
    assert sorted(p.name for p in folder.iterdir()) == ["Pasted text 2.txt",
                                                        "Pasted text 3.txt"]


def test_a_saved_text_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    with ConversationDocuments(tmp_path / "documents.db", key=Key.random()) as documents:
        path = pasted.PastedTexts(documents, tmp_path / "pasted").save("Pasted text 9.txt",
                                                                       TEXT)
    assert path.read_text(encoding="utf-8") == TEXT
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
